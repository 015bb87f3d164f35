// GarbageTracker: Yagot's model on a simulated heap, with its gaps closed.
//
// start() remembers the user's thresholds, enabled state and debug flags,
// suspends automatic collection and notes the highest serial alive (objects
// created later have higher serials: only they count). While the region runs,
// every explicit collection is observed: the tracked objects alive before it
// are compared with those alive after it, so the tracker knows exactly what
// the collector freed — with the references those objects had, hence the
// cycles they formed. stop() closes the region with a full collection, as
// Yagot's does, then classifies what is still alive yet unreachable from
// every root binding (leaks, gc.garbage, the resurrection list, gc.freeze),
// and restores the three settings exactly.
//
// Unlike Yagot it never turns DEBUG_SAVEALL on: a collection under SAVEALL
// keeps the batch alive (not cleared, not freed, and on 2.7 no finalizer
// runs), and taking it back out of gc.garbage afterwards frees nothing — the
// cycles are still cycles, so a second collection would be needed, counted
// twice in gc.get_stats(), with frees in another order (and so other ids
// reused later). The closing collection here is a plain collect(2) under the
// user's own flags: the heap ends exactly as if the user had called
// heap.collect() there, and nothing the tracker found is kept alive by it.

import { Heap, type ObjectType } from "../heap.js";
import { InvalidArgumentError, PygcsimError, UnknownObjectError } from "../errors.js";
import {
  ALL_SOURCES, bfsTree, boundedChain, cyclesThrough, cyclicComponents, leakCounts, snapshot, unreachableFrom,
  type BfsTree, type CycleOf, type Snapshot,
} from "./graph-helpers.js";
import { formatReport } from "./report.js";

/** An object as the tracker names it: id and serial (ids are reused; serials are not), type, optional name. */
export interface ObjectRef {
  id: number;
  serial: number;
  type: ObjectType;
  /** A name given by the `names` option (the CLI: the scenario's names, chain members as `id.1` …). */
  name?: string;
}

export type Category = "collected" | "uncollectable" | "leaked" | "resurrected" | "frozen" | "pending";
export const CATEGORIES: readonly Category[] = ["collected", "uncollectable", "leaked", "resurrected", "frozen", "pending"];
/** The categories a `leaksOnly` check fails on: what no collection will ever free. */
export const LEAK_CATEGORIES: readonly Category[] = ["uncollectable", "leaked", "frozen"];

/** A chain of references, first object first. `omitted` objects between path[0] and path[1] are left out (long chains keep their start and their last 12). */
export interface Chain {
  path: ObjectRef[];
  omitted: number;
}

/**
 * A cycle through an object: `path` is closed (first = last). Small
 * components get the shortest cycle through each object, starting at it; the
 * members of a large one (over 64 objects) share one shortest cycle, and
 * `position` says where the object is on it (-1: that cycle misses it).
 */
export interface CycleRef {
  path: ObjectRef[];
  position: number;
  /** Objects strongly connected with it (its component). */
  componentSize: number;
}

/** Why an object is a finding. */
export type Why =
  /** It was in a cycle. */
  | { kind: "cycle"; cycle: CycleRef }
  /** Not in a cycle itself but reachable only from one: the chain runs from a cycle member to the object. */
  | { kind: "held-by-cycle"; chain: Chain }
  /** Kept alive by leaked references (heap.incref): the chain's first object holds `leakedRefs` of them. */
  | { kind: "leak"; chain: Chain; leakedRefs: number }
  /** Kept alive by gc.garbage: the chain's first object is in gc.garbage. */
  | { kind: "garbage"; chain: Chain }
  /** Kept alive by the resurrection list (a resurrecting __del__ stored the chain's first object there). */
  | { kind: "resurrected"; chain: Chain }
  /** Kept alive because gc.freeze() hid the chain's first object (in the permanent generation) from the collector. */
  | { kind: "frozen"; chain: Chain }
  | { kind: "unknown" };

export interface Finding extends ObjectRef {
  category: Category;
  /** What it referred to: for a collected object, just before the collection that freed it. */
  referents: ObjectRef[];
  /** Its __del__ ran during the region. */
  finalized: boolean;
  /** Alive objects: the reference count at the end of the region. */
  refcount?: number;
  /** Alive objects: references the heap does not explain (leaked with incref). */
  leakedRefs?: number;
  /** Alive objects: it is itself in gc.garbage. */
  inGarbage?: boolean;
  /** Collected objects: which of the region's collections freed it (0-based; the last is stop()'s). */
  collection?: number;
  why: Why;
  /** Alive objects: a cycle through it among the unreachable objects, if it is in one. */
  cycle?: CycleRef;
}

export interface TrackerResult {
  /** The profile's full version ("3.11.7"). */
  python: string;
  /** Cyclic garbage the collector freed during the region (explicit collections and stop()'s). */
  collected: Finding[];
  /** In gc.garbage at the end (2.7's legacy finalizers, DEBUG_SAVEALL), or kept alive only by something there. */
  uncollectable: Finding[];
  /** Alive at the end, unreachable from every root binding, kept by leaked references (incref) — including what a leaked object keeps alive. */
  leaked: Finding[];
  /** Alive only through the resurrection list (resurrecting __del__). */
  resurrected: Finding[];
  /** Alive only because gc.freeze() hid them (or what refers to them) from the collector. */
  frozen: Finding[];
  /**
   * Unreachable and alive for none of those reasons: garbage the closing
   * collection left for the next one (3.6–3.8 keep a whole batch alive when
   * one of its finalizers resurrects an object).
   */
  pending: Finding[];
  /** Collections observed in the region, stop()'s included. */
  collections: number;
  /** The whole region was ignored (ignore() without ids): every list is empty. */
  ignored: boolean;
  /** Anything that makes the result incomplete (e.g. an automatic collection ran in the region). */
  warnings: string[];
}

export interface TrackerOptions {
  /** Names objects in results and reports, by id and serial (serials are unique for the heap's life). */
  names?: (id: number, serial: number) => string | undefined;
}

interface Saved {
  thresholds: [number, number, number];
  enabled: boolean;
  debug: number;
}

/** Every finding of a result, in category order; `leaksOnly` keeps uncollectable, leaked and frozen ones. */
export function findingsOf(result: TrackerResult, options: { leaksOnly?: boolean } = {}): Finding[] {
  const cats = options.leaksOnly ? LEAK_CATEGORIES : CATEGORIES;
  return cats.flatMap((c) => result[c]);
}

export class GarbageTracker {
  private saved: Saved | null = null;
  private baseSerial = 0;
  private collected: Finding[] = [];
  private collections = 0;
  private warnings: string[] = [];
  private automatic = 0;
  private finalizedSerials = new Set<number>();
  private ignoredTypes = new Set<string>();
  private ignoredSerials = new Set<number>();
  private ignoreAll = false;
  private unsubscribe: (() => void) | null = null;
  private wrapper: ((generation?: number) => number) | null = null;
  private hadOwnCollect = false;
  private previousCollect: ((generation?: number) => number) | null = null;
  private last: TrackerResult | null = null;

  constructor(readonly heap: Heap, private readonly options: TrackerOptions = {}) {}

  /** A region is being tracked. */
  get active(): boolean { return this.saved !== null; }
  /** The last region's result (null before the first stop()). */
  get result(): TrackerResult | null { return this.last; }
  /** Yagot's `garbage`: every finding of the last region (empty when ignored). */
  get garbage(): Finding[] { return this.last ? findingsOf(this.last) : []; }

  /**
   * Starts a region: saves thresholds, enabled state and debug flags, disables
   * automatic collection, and notes which objects exist (only newer ones count).
   */
  start(): this {
    if (this.saved) throw new PygcsimError("the tracker is already started", "GarbageTracker.start");
    const h = this.heap;
    this.saved = { thresholds: h.getThreshold(), enabled: h.isEnabled(), debug: h.getDebug() };
    this.collected = [];
    this.collections = 0;
    this.warnings = [];
    this.automatic = 0;
    this.finalizedSerials = new Set();
    this.last = null;
    h.disable();
    // serials only grow: an object created after this point has a higher one
    this.baseSerial = h.newestSerial();
    this.unsubscribe = h.onEvent((e) => {
      if (e.kind === "finalized") this.finalizedSerials.add(e.serial);
      else if (e.kind === "gc-start" && e.automatic) this.automatic++;
    });
    // every explicit collection in the region is observed (Yagot's SAVEALL sees them too)
    this.hadOwnCollect = Object.prototype.hasOwnProperty.call(h, "collect");
    this.previousCollect = h.collect;
    const inner = h.collect;
    this.wrapper = (generation = 2) => this.observe(() => inner.call(h, generation));
    h.collect = this.wrapper;
    return this;
  }

  /** Findings of these types are left out (exact type names: obj, fin, list, dict, tuple, int, str, weakref). */
  ignoreTypes(types: readonly string[]): this {
    if (!Array.isArray(types) || types.some((t) => typeof t !== "string")) {
      throw new InvalidArgumentError("ignoreTypes takes an array of type names", "GarbageTracker.ignoreTypes");
    }
    this.ignoredTypes = new Set(types);
    return this;
  }

  /**
   * ignore(ids): these objects (alive now; remembered by serial) are not
   * findings of the current or next region. ignore() without ids: that whole
   * region is ignored (Yagot's ignore()). Both are cleared by stop();
   * ignoreTypes() stays until it is called again.
   */
  ignore(ids?: readonly number[]): this {
    if (ids === undefined) {
      this.ignoreAll = true;
      return this;
    }
    if (!Array.isArray(ids)) throw new InvalidArgumentError("ignore takes an array of ids", "GarbageTracker.ignore");
    ids.forEach((id, i) => {
      if (!this.heap.exists(id)) throw new UnknownObjectError("GarbageTracker.ignore", id, `ids[${i}]`);
      this.ignoredSerials.add(this.heap.serial(id));
    });
    return this;
  }

  /**
   * Ends the region: one full collection (as heap.collect() would do it, under
   * the user's flags), then the classification of what is still alive, then
   * the settings are restored exactly. Returns the result (also in `result`).
   */
  stop(): TrackerResult {
    const saved = this.saved;
    if (!saved) throw new PygcsimError("the tracker is not started", "GarbageTracker.stop");
    const h = this.heap;
    try {
      h.collect(2);
    } finally {
      this.unwrap();
      this.unsubscribe?.();
      this.unsubscribe = null;
      h.setThreshold(...saved.thresholds);
      h.setDebug(saved.debug);
      if (saved.enabled) h.enable(); else h.disable();
      this.saved = null;
    }
    const alive = this.classifyAlive();
    const ignored = this.ignoreAll;
    const ignoredSerials = this.ignoredSerials;
    // ignore() and ignore(ids) apply to one region (before start() or inside it); ignoreTypes stays
    this.ignoreAll = false;
    this.ignoredSerials = new Set();
    const keep = (f: Finding) => !ignored && !this.ignoredTypes.has(f.type) && !ignoredSerials.has(f.serial);
    this.last = {
      python: h.profile.version,
      collected: this.collected.filter(keep),
      uncollectable: alive.uncollectable.filter(keep),
      leaked: alive.leaked.filter(keep),
      resurrected: alive.resurrected.filter(keep),
      frozen: alive.frozen.filter(keep),
      pending: alive.pending.filter(keep),
      collections: this.collections,
      ignored,
      warnings: [
        ...(this.automatic ? [`${this.automatic} automatic collection${this.automatic === 1 ? "" : "s"} ran inside the region (automatic collection was re-enabled): what ${this.automatic === 1 ? "it" : "they"} freed is not reported`] : []),
        ...this.warnings, ...alive.warnings,
      ],
    };
    return this.last;
  }

  /** Yagot's assert_message: a header and one entry per finding, with why (see report.ts). */
  assertMessage(location?: string, max = 10, options: { leaksOnly?: boolean } = {}): string {
    if (!this.last) throw new PygcsimError("no tracked region has ended yet", "GarbageTracker.assertMessage");
    return formatReport(this.last, { location, max, leaksOnly: options.leaksOnly });
  }

  // ── internals ─────────────────────────────────────────────────────────────
  private unwrap(): void {
    const h = this.heap as Heap & { collect: (g?: number) => number };
    if (h.collect !== this.wrapper) {
      this.warnings.push("heap.collect was replaced inside the region (another tracker not stopped?); left as it is");
      return;
    }
    if (this.hadOwnCollect) h.collect = this.previousCollect!;
    else delete (h as unknown as Record<string, unknown>).collect;
    this.wrapper = null;
  }

  private ref(id: number, serial: number, type: ObjectType): ObjectRef {
    const name = this.options.names?.(id, serial);
    return name === undefined ? { id, serial, type } : { id, serial, type, name };
  }

  /**
   * The objects made after start(), oldest first. Serials count modulo 2^32,
   * so they are compared as distances from the start (the newest read once).
   */
  private madeInRegion<T extends { serial: number }>(objects: T[]): T[] {
    const since = (serial: number) => (serial - this.baseSerial) >>> 0;
    const newest = since(this.heap.newestSerial());
    return objects
      .filter((o) => { const d = since(o.serial); return d !== 0 && d <= newest; })
      .sort((a, b) => since(a.serial) - since(b.serial));
  }

  /** Runs one collection, recording the new objects it freed and why. */
  private observe(run: () => number): number {
    const h = this.heap;
    // a collection frees only objects no outside reference reaches: snapshot just those
    const before = snapshot(h, unreachableFrom(h, ALL_SOURCES));
    // referents the snapshot does not hold (untracked objects, atoms): their type and serial now
    const others = new Map<number, ObjectRef>();
    for (const o of before.values()) {
      for (const r of o.referents) {
        if (!before.has(r) && !others.has(r)) others.set(r, this.ref(r, h.serial(r), h.typeOf(r)));
      }
    }
    const result = run();
    const index = this.collections++;
    const freed = [...before.values()].filter((o) => o.tracked && (!h.exists(o.id) || h.serial(o.id) !== o.serial));
    const fresh = this.madeInRegion(freed);
    if (!fresh.length) return result;
    const freedSet = new Set(freed.map((o) => o.id));
    const next = (id: number) => before.get(id)!.referents.filter((r) => freedSet.has(r));
    const refOf = (id: number): ObjectRef => {
      const o = before.get(id);
      return o ? this.ref(o.id, o.serial, o.type) : others.get(id)!;
    };
    const comps = cyclicComponents(freedSet, next);
    const cycles = cyclesThrough(fresh.map((o) => o.id), comps, next);
    const fromCycles = bfsTree(comps.flat(), next);
    const refs = new RefCache(refOf);
    for (const o of fresh) {
      let why: Why = { kind: "unknown" };
      const c = cycles.get(o.id);
      if (c) why = { kind: "cycle", cycle: refs.cycle(c) };
      else if (fromCycles.parent.has(o.id)) why = { kind: "held-by-cycle", chain: refs.chain(boundedChain(fromCycles, o.id)) };
      this.collected.push({
        ...this.ref(o.id, o.serial, o.type), category: "collected", referents: o.referents.map(refOf),
        finalized: this.finalizedSerials.has(o.serial), collection: index, why,
      });
    }
    return result;
  }

  /** What is alive after the closing collection yet unreachable from every root binding. */
  private classifyAlive(): Record<Exclude<Category, "collected">, Finding[]> & { warnings: string[] } {
    const h = this.heap;
    // only objects no root binding reaches can be findings; whatever refers to one is one of them too
    const snap: Snapshot = snapshot(h, unreachableFrom(h, ["roots"]));
    const next = (id: number) => snap.get(id)?.referents ?? [];
    const all = [...snap.values()];
    const rooted = { has: (id: number) => !snap.has(id) };
    const leaks = leakCounts(h, snap);
    const garbage = h.garbage;
    const inGarbage = new Set(garbage);
    let frozenSources: number[] = [];
    if (h.profile.features.freeze && h.getFreezeCount() > 0) {
      const visible = new Set(h.getObjects());
      frozenSources = all.filter((o) => o.tracked && !visible.has(o.id)).map((o) => o.id);
    }
    const out = {
      uncollectable: [] as Finding[], leaked: [] as Finding[], resurrected: [] as Finding[], frozen: [] as Finding[],
      pending: [] as Finding[], warnings: [] as string[],
    };
    const claimed = new Map<number, Exclude<Category, "collected">>();
    const kinds: [Exclude<Category, "collected">, number[]][] = [
      ["leaked", [...leaks.keys()].sort((a, b) => snap.get(a)!.serial - snap.get(b)!.serial)],
      ["uncollectable", garbage],
      ["resurrected", h.resurrected],
      ["frozen", frozenSources],
    ];
    const trees = new Map<number, BfsTree>();
    for (const [category, sources] of kinds) {
      const tree = bfsTree(sources.filter((s) => snap.has(s)), next, (x) => rooted.has(x) || claimed.has(x));
      for (const x of tree.parent.keys()) {
        claimed.set(x, category);
        trees.set(x, tree);
      }
    }
    // a finding's referents may be live objects outside the snapshot (a leaked object holding a rooted one)
    const refOf = (id: number) => {
      const o = snap.get(id);
      return o ? this.ref(o.id, o.serial, o.type) : this.ref(id, h.serial(id), h.typeOf(id));
    };
    const refs = new RefCache(refOf);
    const fresh = this.madeInRegion(all).filter((o) => !rooted.has(o.id));
    const unrooted = fresh.length ? all.filter((o) => !rooted.has(o.id)).map((o) => o.id) : [];
    const cycles = cyclesThrough(fresh.map((o) => o.id), cyclicComponents(unrooted, next), next);
    // what nothing holds: garbage the closing collection left alive (why: its cycle, or the cycle holding it)
    const left = all.filter((o) => !rooted.has(o.id) && !claimed.has(o.id)).map((o) => o.id);
    const leftComps = cyclicComponents(left, next);
    const fromLeftCycles = bfsTree(leftComps.flat(), next, (x) => rooted.has(x) || claimed.has(x));
    for (const o of fresh) {
      const category = claimed.get(o.id) ?? "pending";
      let why: Why;
      if (category === "pending") {
        const c = cycles.get(o.id);
        why = c ? { kind: "cycle", cycle: refs.cycle(c) }
          : fromLeftCycles.parent.has(o.id) ? { kind: "held-by-cycle", chain: refs.chain(boundedChain(fromLeftCycles, o.id)) }
          : { kind: "unknown" };
      } else {
        const tree = trees.get(o.id)!;
        const chain = refs.chain(boundedChain(tree, o.id));
        why = category === "leaked" ? { kind: "leak", chain, leakedRefs: leaks.get(tree.origin.get(o.id)!) ?? 0 }
          : category === "uncollectable" ? { kind: "garbage", chain }
          : category === "resurrected" ? { kind: "resurrected", chain }
          : { kind: "frozen", chain };
      }
      const f: Finding = {
        ...refOf(o.id), category, referents: o.referents.map(refOf), finalized: this.finalizedSerials.has(o.serial),
        refcount: h.refcount(o.id), leakedRefs: leaks.get(o.id) ?? 0, inGarbage: inGarbage.has(o.id), why,
      };
      const c = cycles.get(o.id);
      if (c && category !== "pending") f.cycle = refs.cycle(c);
      out[category].push(f);
    }
    return out;
  }
}

/** Turns id paths into ObjectRef paths, once per shared cycle (the members of a large component share it). */
class RefCache {
  private paths = new Map<number[], ObjectRef[]>();
  constructor(private readonly refOf: (id: number) => ObjectRef) {}
  cycle(c: CycleOf): CycleRef {
    let path = this.paths.get(c.path);
    if (!path) this.paths.set(c.path, (path = c.path.map(this.refOf)));
    return { path, position: c.position, componentSize: c.componentSize };
  }
  chain(c: { path: number[]; omitted: number }): Chain {
    return { path: c.path.map(this.refOf), omitted: c.omitted };
  }
}
