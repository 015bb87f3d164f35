// The graph of a part of a heap, as the DOT and SVG renderers draw it: the
// objects (with what the heap knows about each: type, name, refcount, root
// bindings, leaked references, finalizer, gc.garbage, the resurrection list),
// their strong references, weak references (weakref → target), and a marker
// per object with leaked references. Three selections: the neighbourhood of an
// object (N hops along references either way), the cycle an object is in (its
// strongly connected component), and the chain of references that keeps it
// alive (from a root binding, a leak, gc.garbage or the resurrection list).

import type { Heap, ObjectType } from "../heap.js";
import { PygcsimError, UnknownObjectError } from "../errors.js";
import {
  bfs, chainTo, cyclicComponents, leakCounts, referrersOf, snapshot, stronglyConnected, type Snapshot,
} from "../tracker/graph-helpers.js";

export interface ObjectNode {
  kind: "object";
  /** DOT / SVG node key: `n<id>`. */
  key: string;
  id: number;
  serial: number;
  type: ObjectType;
  name?: string;
  refcount: number;
  /** Root bindings (names): drawn with a double border. */
  rootCount: number;
  /** References leaked with incref: drawn as a red marker pointing at the object. */
  leakedRefs: number;
  /** Has __del__ (type fin). */
  finalizer: boolean;
  inGarbage: boolean;
  resurrected: boolean;
  tracked: boolean;
  /** The object the picture is about. */
  focus: boolean;
}

/** A leaked reference marker: `count` references nobody holds, into `target`. */
export interface LeakNode {
  kind: "leak";
  key: string;
  target: number;
  count: number;
}

export type GraphNode = ObjectNode | LeakNode;

export interface GraphEdge {
  from: string;
  to: string;
  /** strong: a reference; weak: a weakref object to its referent; leak: a leak marker to its object. */
  kind: "strong" | "weak" | "leak";
  /** How many references from → to (a list may hold the same object twice). */
  count: number;
}

export interface HeapGraph {
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Objects left out (maxNodes reached). */
  truncated: number;
}

export interface GraphOptions {
  /** Names objects (the CLI: the scenario's names); default: none, objects show their ids. */
  names?: (id: number, serial: number) => string | undefined;
  /** At most this many objects (default 80). */
  maxNodes?: number;
  title?: string;
}

/** Everything a selection needs, computed once per heap state. */
class HeapView {
  readonly snap: Snapshot;
  readonly back: Map<number, number[]>;
  /** weakref → referent, for live weakrefs whose referent is alive. */
  readonly weakTarget = new Map<number, number>();
  /** referent → its weakrefs. */
  readonly weakrefsTo = new Map<number, number[]>();
  readonly leaks: Map<number, number>;
  readonly garbage: Set<number>;
  readonly resurrected: Set<number>;

  constructor(readonly heap: Heap) {
    this.snap = snapshot(heap);
    this.back = referrersOf(this.snap);
    for (const o of this.snap.values()) {
      if (o.type !== "weakref") continue;
      const t = heap.deref(o.id);
      if (t === null) continue;
      this.weakTarget.set(o.id, t);
      const l = this.weakrefsTo.get(t);
      if (l) l.push(o.id); else this.weakrefsTo.set(t, [o.id]);
    }
    this.leaks = leakCounts(heap, this.snap);
    this.garbage = new Set(heap.garbage);
    this.resurrected = new Set(heap.resurrected);
  }

  referents(id: number): number[] { return this.snap.get(id)?.referents ?? []; }

  /** Neighbours along strong and weak references, both directions. */
  neighbours(id: number): number[] {
    const out = [...this.referents(id), ...(this.back.get(id) ?? []), ...(this.weakrefsTo.get(id) ?? [])];
    const t = this.weakTarget.get(id);
    if (t !== undefined) out.push(t);
    return out;
  }
}

function check(heap: Heap, id: number, op: string): void {
  if (!heap.exists(id)) throw new UnknownObjectError(op, id);
}

/** The graph of the given objects: every strong and weak reference among them, leak markers, focus marked. */
function build(view: HeapView, ids: number[], focus: number[], options: GraphOptions, title: string, truncated = 0): HeapGraph {
  const h = view.heap;
  const inSet = new Set(ids);
  const ordered = [...inSet].sort((a, b) => view.snap.get(a)!.serial - view.snap.get(b)!.serial);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const focusSet = new Set(focus);
  for (const id of ordered) {
    const o = view.snap.get(id)!;
    const name = options.names?.(id, o.serial);
    const node: ObjectNode = {
      kind: "object", key: `n${id}`, id, serial: o.serial, type: o.type, refcount: h.refcount(id),
      rootCount: h.rootCount(id), leakedRefs: view.leaks.get(id) ?? 0, finalizer: o.type === "fin",
      inGarbage: view.garbage.has(id), resurrected: view.resurrected.has(id), tracked: o.tracked, focus: focusSet.has(id),
    };
    if (name !== undefined) node.name = name;
    nodes.push(node);
  }
  for (const id of ordered) {
    const leaked = view.leaks.get(id);
    if (leaked) {
      nodes.push({ kind: "leak", key: `leak${id}`, target: id, count: leaked });
      edges.push({ from: `leak${id}`, to: `n${id}`, kind: "leak", count: leaked });
    }
    const counts = new Map<number, number>();
    for (const r of view.referents(id)) if (inSet.has(r)) counts.set(r, (counts.get(r) ?? 0) + 1);
    for (const [r, count] of counts) edges.push({ from: `n${id}`, to: `n${r}`, kind: "strong", count });
    const t = view.weakTarget.get(id);
    if (t !== undefined && inSet.has(t)) edges.push({ from: `n${id}`, to: `n${t}`, kind: "weak", count: 1 });
  }
  return { title: options.title ?? title, nodes, edges, truncated };
}

function labelOf(heap: Heap, id: number, options: GraphOptions): string {
  const name = options.names?.(id, heap.serial(id));
  return `${heap.typeOf(id)} ${name ?? id}`;
}

/** Objects within `depth` hops of id, along references in either direction (weak ones included). */
export function neighbourhoodGraph(heap: Heap, id: number, options: GraphOptions & { depth?: number } = {}): HeapGraph {
  check(heap, id, "neighbourhoodGraph");
  const depth = options.depth ?? 2;
  const max = options.maxNodes ?? 80;
  const view = new HeapView(heap);
  const dist = new Map<number, number>([[id, 0]]);
  const queue = [id];
  let truncated = 0;
  for (let i = 0; i < queue.length; i++) {
    const x = queue[i];
    if (dist.get(x)! >= depth) continue;
    for (const y of view.neighbours(x)) {
      if (dist.has(y)) continue;
      if (dist.size >= max) { truncated++; dist.set(y, -1); continue; }
      dist.set(y, dist.get(x)! + 1);
      queue.push(y);
    }
  }
  const ids = [...dist].filter(([, d]) => d >= 0).map(([x]) => x);
  return build(view, ids, [id], options, `${depth} hop${depth === 1 ? "" : "s"} around ${labelOf(heap, id, options)}`, truncated);
}

/** The strongly connected component of id (every cycle through it, and what they share). */
export function cycleGraph(heap: Heap, id: number, options: GraphOptions = {}): HeapGraph {
  check(heap, id, "cycleGraph");
  const view = new HeapView(heap);
  // only the part of the heap that id reaches can be in its component
  const reach = bfs([id], (x) => view.referents(x));
  const comp = stronglyConnected(reach.keys(), (x) => view.referents(x)).find((c) => c.includes(id))!;
  if (comp.length === 1 && !view.referents(id).includes(id)) {
    throw new PygcsimError(`${labelOf(heap, id, options)} is in no cycle`, "cycleGraph");
  }
  const max = options.maxNodes ?? 80;
  const ids = comp.slice(0, max);
  return build(view, ids, [id], options, `the cycle of ${labelOf(heap, id, options)} (${comp.length} object${comp.length === 1 ? "" : "s"})`, comp.length - ids.length);
}

/**
 * The shortest chain of references that keeps id alive: from a root binding,
 * a leaked reference, gc.garbage or the resurrection list. An object none of
 * them reaches is garbage: the chain then starts in the cycle that holds it,
 * and that cycle is drawn too.
 */
export function chainGraph(heap: Heap, id: number, options: GraphOptions = {}): HeapGraph {
  check(heap, id, "chainGraph");
  const view = new HeapView(heap);
  const next = (x: number) => view.referents(x);
  const sources = [...view.snap.values()].filter((o) => heap.rootCount(o.id) > 0 || view.leaks.has(o.id)).map((o) => o.id);
  const parent = bfs([...sources, ...heap.garbage, ...heap.resurrected], next);
  let ids = chainTo(parent, id);
  let title = `what keeps ${labelOf(heap, id, options)} alive`;
  if (!ids.length) {
    const unreachable = [...view.snap.keys()].filter((x) => !parent.has(x));
    const comps = cyclicComponents(unreachable, next);
    const fromCycles = bfs(comps.flat(), next, (x) => parent.has(x));
    const chain = chainTo(fromCycles, id);
    const comp = comps.find((c) => c.includes(chain[0])) ?? [];
    ids = [...new Set([...comp, ...chain])];
    title = `${labelOf(heap, id, options)} is garbage: the cycle that holds it`;
  }
  const max = options.maxNodes ?? 80;
  return build(view, ids.slice(0, max), [id], options, title, Math.max(0, ids.length - max));
}

/** The graph of exactly these objects (all references among them). */
export function objectsGraph(heap: Heap, ids: readonly number[], options: GraphOptions & { focus?: number[] } = {}): HeapGraph {
  ids.forEach((x) => check(heap, x, "objectsGraph"));
  const view = new HeapView(heap);
  return build(view, [...ids], options.focus ?? [], options, options.title ?? `${ids.length} objects`);
}
