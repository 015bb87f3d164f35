// A deliberately naive reference model of CPython's generational collector
// for heaps without finalizers, weakrefs or tuples — everything the fuzz suite
// compares the engine against. No lists in collection order, no gc_refs: just
// sets and the textbook definition of reachability.
//
//  - An object lives while something refers to it: a root binding, a leaked
//    incref or a reference from a live object. At 0 it is freed at once and
//    drops its own references (the cascade).
//  - collect(g) examines the tracked objects of generations 0..g ("young").
//    A young object is reachable when a reference from outside young (a root,
//    a leak, an object that is not young) reaches it through young objects.
//    The rest is garbage: every garbage object is freed and counted.
//  - Survivors move to generation g+1 (stay in 2). A full collection untracks
//    dicts that hold no GC-capable value and records long_lived_total (which
//    counts gc.garbage and the resurrection list too: two lists of the gc
//    module in generation 2 from the start); a
//    generation-1 collection adds its survivors to long_lived_pending.
//  - count[0] = GC allocations − GC frees since the last collection (never
//    below 0); collect(g) adds one to count[g+1] and zeroes counts 0..g.
//  - obj and list are tracked from birth; a dict from its first GC-capable value.
//  - With `dictsAlwaysTracked` (3.14's rule) dicts are tracked from birth and
//    never untracked.

export type ModelType = "obj" | "list" | "dict" | "int" | "str";

export interface ModelObject {
  readonly handle: number;
  readonly type: ModelType;
  /** Outgoing references, as handles (a multiset: order does not matter here). */
  readonly edges: number[];
  roots: number;
  leaks: number;
  refcnt: number;
  /** -1 when untracked, else the generation. */
  gen: number;
}

const isGcType = (t: ModelType) => t === "obj" || t === "list" || t === "dict";

export class ReferenceModel {
  readonly objects = new Map<number, ModelObject>();
  readonly count: [number, number, number] = [0, 0, 0];
  /** The gc module's own lists (gc.garbage, the resurrection list) are long-lived from the start. */
  static readonly GC_LISTS = 2;
  longLivedTotal = ReferenceModel.GC_LISTS;
  longLivedPending = 0;
  private nextHandle = 1;

  constructor(private readonly options: { dictsAlwaysTracked?: boolean } = {}) {}

  get(h: number): ModelObject {
    const o = this.objects.get(h);
    if (!o) throw new Error(`model: no live object ${h}`);
    return o;
  }

  /** A new object with one root binding. */
  create(type: ModelType): number {
    const handle = this.nextHandle++;
    const tracked = type === "obj" || type === "list" || (type === "dict" && !!this.options.dictsAlwaysTracked);
    this.objects.set(handle, { handle, type, edges: [], roots: 1, leaks: 0, refcnt: 1, gen: tracked ? 0 : -1 });
    if (isGcType(type)) this.count[0]++;
    return handle;
  }

  addRef(from: number, to: number): void {
    const f = this.get(from), t = this.get(to);
    f.edges.push(to);
    t.refcnt++;
    if (f.type === "dict" && f.gen === -1 && isGcType(t.type)) f.gen = 0; // tracked now: generation 0
  }

  removeRef(from: number, to: number): void {
    const f = this.get(from);
    const k = f.edges.indexOf(to);
    if (k < 0) throw new Error(`model: ${from} holds no reference to ${to}`);
    f.edges.splice(k, 1);
    this.decref(to);
  }

  bind(h: number): void {
    const o = this.get(h);
    o.roots++;
    o.refcnt++;
  }

  unbind(h: number): void {
    const o = this.get(h);
    if (o.roots === 0) throw new Error(`model: ${h} is not bound`);
    o.roots--;
    this.decref(h);
  }

  incref(h: number): void {
    const o = this.get(h);
    o.leaks++;
    o.refcnt++;
  }

  private decref(h: number): void {
    const o = this.get(h);
    o.refcnt--;
    if (o.refcnt === 0) this.free(o);
  }

  private free(o: ModelObject): void {
    this.objects.delete(o.handle);
    if (isGcType(o.type) && this.count[0] > 0) this.count[0]--;
    for (const e of o.edges) this.decref(e);
  }

  /** gc.collect(gen) for this model's heaps: the number of garbage objects. */
  collect(gen: number): number {
    if (gen < 2) this.count[gen + 1]++;
    for (let i = 0; i <= gen; i++) this.count[i] = 0;

    const young = new Set<number>();
    for (const o of this.objects.values()) if (o.gen >= 0 && o.gen <= gen) young.add(o.handle);

    // references from outside young
    const external = new Map<number, number>();
    for (const h of young) {
      const o = this.get(h);
      external.set(h, o.roots + o.leaks);
    }
    for (const o of this.objects.values()) {
      if (young.has(o.handle)) continue;
      for (const e of o.edges) if (young.has(e)) external.set(e, external.get(e)! + 1);
    }
    // reachable: from the externally referenced young objects, through young objects
    const reachable = new Set<number>();
    const todo = [...young].filter((h) => external.get(h)! > 0);
    for (const h of todo) reachable.add(h);
    while (todo.length) {
      const h = todo.pop()!;
      for (const e of this.get(h).edges) {
        if (young.has(e) && !reachable.has(e)) {
          reachable.add(e);
          todo.push(e);
        }
      }
    }
    const garbage = [...young].filter((h) => !reachable.has(h));

    // survivors
    if (gen < 2) {
      for (const h of reachable) this.get(h).gen = gen + 1;
      if (gen === 1) this.longLivedPending += reachable.size;
    } else {
      let total = ReferenceModel.GC_LISTS;
      for (const h of reachable) {
        const o = this.get(h);
        if (o.type === "dict" && !this.options.dictsAlwaysTracked
            && !o.edges.some((e) => isGcType(this.get(e).type))) {
          o.gen = -1;
        } else {
          o.gen = 2;
          total++;
        }
      }
      this.longLivedTotal = total;
      this.longLivedPending = 0;
    }

    // the garbage dies; whatever only it kept alive follows by refcount
    const dying = garbage.map((h) => this.get(h));
    const dead = new Set(garbage);
    for (const o of dying) {
      this.objects.delete(o.handle);
      if (this.count[0] > 0) this.count[0]--;
    }
    for (const o of dying) for (const e of o.edges) if (!dead.has(e)) this.decref(e);
    return garbage.length;
  }

  /** Tracked objects of one generation (-1: all generations). */
  generation(g: number): number[] {
    return [...this.objects.values()].filter((o) => (g < 0 ? o.gen >= 0 : o.gen === g)).map((o) => o.handle);
  }
}
