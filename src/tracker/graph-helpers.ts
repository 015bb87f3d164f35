// Small graph helpers over a Heap's public API, used by the garbage tracker and
// the graph output: enumerating live objects, snapshots of their references,
// breadth-first searches (shortest chains), Tarjan's strongly connected
// components and the shortest cycle through an object.
//
// Everything here costs one or two engine calls per object, fine for the
// garbage of a tracked region and for the neighbourhoods a picture shows.
// The one whole-heap question — which objects no source reaches — goes to
// src/analysis.ts (work per object and edge in wasm). The SCCs stay here:
// the tracker needs the cycles of objects a collection is about to free, on
// the snapshot it took of them, after which they no longer exist.

import { Heap, type ObjectType } from "../heap.js";

/** The reserved singletons (the empty tuple, the int literal): immortal, never reported, never drawn. */
export function isReserved(id: number): boolean {
  return id === Heap.EMPTY_TUPLE || id === Heap.INT_LITERAL;
}

/** Every live object's id, ascending (reserved singletons excluded). */
export function liveIds(heap: Heap): number[] {
  return [...heap.liveIds()];
}

/** Outside references that keep objects alive (src/analysis.ts names them the same). */
export type Source = "roots" | "leaks" | "garbage" | "resurrected";
export const ALL_SOURCES: readonly Source[] = ["roots", "leaks", "garbage", "resurrected"];

/**
 * Live objects (reserved singletons excluded) that no chain of references
 * from the given sources reaches, in id order (heap.analysis: one pass in wasm).
 */
export function unreachableFrom(heap: Heap, sources: readonly Source[]): number[] {
  return heap.analysis.unreachableFromRoots({ sources }).filter((id) => !isReserved(id));
}

/** One object as a snapshot saw it. */
export interface ObjInfo {
  id: number;
  serial: number;
  type: ObjectType;
  tracked: boolean;
  /** What it refers to (gc.get_referents), reserved singletons left out, duplicates kept. */
  referents: number[];
}

export type Snapshot = Map<number, ObjInfo>;

/** Type, serial, tracked state and references of the given live objects (default: all). */
export function snapshot(heap: Heap, ids: Iterable<number> = liveIds(heap)): Snapshot {
  const snap: Snapshot = new Map();
  // one engine call per 65,536 objects (Heap.describeMany), not several per object
  for (const o of heap.describeMany([...ids].filter((id) => !isReserved(id)))) {
    const referents: number[] = [];
    for (const r of o.referents) if (!isReserved(r)) referents.push(r);
    snap.set(o.id, { id: o.id, serial: o.serial, type: o.type, tracked: o.tracked, referents });
  }
  return snap;
}

/** id → the ids that refer to it (each referrer once), from a snapshot's edges. */
export function referrersOf(snap: Snapshot): Map<number, number[]> {
  const back = new Map<number, number[]>();
  for (const o of snap.values()) {
    let last = -1;
    for (const r of [...o.referents].sort((a, b) => a - b)) {
      if (r === last) continue;
      last = r;
      let l = back.get(r);
      if (!l) back.set(r, (l = []));
      l.push(o.id);
    }
  }
  return back;
}

/** The leaked references (heap.incref) of each live object of the snapshot that has any. */
export function leakCounts(heap: Heap, snap: Snapshot): Map<number, number> {
  const out = new Map<number, number>();
  for (const o of snap.values()) {
    const leaks = heap.leakCount(o.id);
    if (leaks > 0) out.set(o.id, leaks);
  }
  return out;
}

/**
 * Breadth-first search from `sources` along `next`, never entering `blocked`.
 * Returns every node reached → the node it was reached from (-1 for a source),
 * so the shortest chain to any node can be read back with `chainTo`.
 */
export function bfs(sources: Iterable<number>, next: (id: number) => Iterable<number>,
  blocked?: (id: number) => boolean): Map<number, number> {
  return bfsTree(sources, next, blocked).parent;
}

/** The chain source → … → id from a bfs parent map (empty when id was not reached). */
export function chainTo(parent: Map<number, number>, id: number): number[] {
  if (!parent.has(id)) return [];
  const out: number[] = [];
  for (let x = id; x !== -1; x = parent.get(x)!) out.push(x);
  return out.reverse();
}

/**
 * Tarjan's strongly connected components of the subgraph induced by `nodes`
 * (iterative: deep chains do not overflow the stack). Components come out in
 * reverse topological order; each lists its members in discovery order.
 */
export function stronglyConnected(nodes: Iterable<number>, next: (id: number) => Iterable<number>): number[][] {
  const inSet = new Set(nodes);
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (const root of inSet) {
    if (index.has(root)) continue;
    const work: { id: number; it: Iterator<number> }[] = [];
    const enter = (id: number) => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      work.push({ id, it: next(id)[Symbol.iterator]() });
    };
    enter(root);
    while (work.length) {
      const top = work[work.length - 1];
      const step = top.it.next();
      if (!step.done) {
        const w = step.value;
        if (!inSet.has(w)) continue;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(top.id, Math.min(low.get(top.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.id)!));
      }
      if (low.get(top.id) === index.get(top.id)) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.id);
        out.push(comp.reverse());
      }
    }
  }
  return out;
}

/** Components that are cycles: more than one member, or one that refers to itself. */
export function cyclicComponents(nodes: Iterable<number>, next: (id: number) => Iterable<number>): number[][] {
  return stronglyConnected(nodes, next).filter((c) => c.length > 1 || [...next(c[0])].includes(c[0]));
}

/** The shortest cycle id → … → id inside `within` (the path starts and ends with id), or null. */
export function shortestCycleThrough(id: number, next: (id: number) => Iterable<number>, within: (id: number) => boolean): number[] | null {
  for (const y of next(id)) if (y === id) return [id, id];
  const parent = bfs([...next(id)].filter(within), next, (y) => !within(y) || y === id);
  // the parent map is in breadth-first order: the first node that closes the cycle is the nearest
  for (const [x] of parent) {
    for (const y of next(x)) if (y === id) return [id, ...chainTo(parent, x), id];
  }
  return null;
}

/** A breadth-first tree: each node's parent (-1 for a source), the source it was reached from, its depth. */
export interface BfsTree {
  parent: Map<number, number>;
  origin: Map<number, number>;
  depth: Map<number, number>;
}

/** bfs that also records each node's source and depth (for chains that must stay short). */
export function bfsTree(sources: Iterable<number>, next: (id: number) => Iterable<number>,
  blocked?: (id: number) => boolean): BfsTree {
  const parent = new Map<number, number>(), origin = new Map<number, number>(), depth = new Map<number, number>();
  const queue: number[] = [];
  for (const s of sources) {
    if (parent.has(s) || blocked?.(s)) continue;
    parent.set(s, -1);
    origin.set(s, s);
    depth.set(s, 0);
    queue.push(s);
  }
  for (let i = 0; i < queue.length; i++) {
    const x = queue[i];
    for (const y of next(x)) {
      if (parent.has(y) || blocked?.(y)) continue;
      parent.set(y, x);
      origin.set(y, origin.get(x)!);
      depth.set(y, depth.get(x)! + 1);
      queue.push(y);
    }
  }
  return { parent, origin, depth };
}

/**
 * The chain source → … → id, at most 1 + `keep` objects: a longer one keeps
 * its source and its last `keep` objects, and says how many were left out
 * between them. Costs O(keep), so a deep structure does not cost O(n²).
 */
export function boundedChain(tree: BfsTree, id: number, keep = 12): { path: number[]; omitted: number } {
  const d = tree.depth.get(id);
  if (d === undefined) return { path: [], omitted: 0 };
  if (d <= keep) return { path: chainTo(tree.parent, id), omitted: 0 };
  const tail: number[] = [];
  for (let x = id, k = 0; k < keep; k++, x = tree.parent.get(x)!) tail.push(x);
  return { path: [tree.origin.get(id)!, ...tail.reverse()], omitted: d - keep };
}

/** A cycle through an object: `path` is closed (first = last); `position` is the object's index in it (-1: not on it). */
export interface CycleOf {
  path: number[];
  position: number;
  componentSize: number;
}

/**
 * For each of `ids` in a cyclic component: a cycle through it. Components up
 * to `exactUpTo` objects get the shortest cycle through each object; larger
 * ones (a ring of 10,000 lists) share one shortest cycle through their first
 * object of `ids`, with each object's position on it (-1 when that cycle
 * misses it), so the cost stays O(objects + references) per component.
 */
export function cyclesThrough(ids: readonly number[], comps: readonly number[][], next: (id: number) => Iterable<number>,
  exactUpTo = 64): Map<number, CycleOf> {
  const compOf = new Map<number, readonly number[]>();
  for (const c of comps) for (const x of c) compOf.set(x, c);
  const shared = new Map<readonly number[], { path: number[]; index: Map<number, number> }>();
  const out = new Map<number, CycleOf>();
  for (const id of ids) {
    const comp = compOf.get(id);
    if (!comp) continue;
    const within = (x: number) => compOf.get(x) === comp;
    if (comp.length <= exactUpTo) {
      const path = shortestCycleThrough(id, next, within);
      if (path) out.set(id, { path, position: 0, componentSize: comp.length });
      continue;
    }
    let s = shared.get(comp);
    if (!s) {
      const path = shortestCycleThrough(id, next, within) ?? [id, id];
      const index = new Map<number, number>();
      path.forEach((x, i) => { if (i < path.length - 1) index.set(x, i); });
      shared.set(comp, (s = { path, index }));
    }
    out.set(id, { path: s.path, position: s.index.get(id) ?? -1, componentSize: comp.length });
  }
  return out;
}
