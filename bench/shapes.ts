// Deterministic heap shapes for the benchmarks, built through the batch API.
//
//   reach    N obj nodes, 4 random references each (heap.addRefs), every node
//            bound as a root: a full collection examines all and frees nothing.
//   garbage  the same graph, then unbindMany(all ids): refcounting frees what
//            no cycle keeps alive (the ~e^-4 of nodes nobody refers to, and
//            what hangs only off them); the rest is cyclic garbage that only
//            a full collection finds and frees.
//
// The random targets come from mulberry32 (a 32-bit state, good avalanche in
// every output bit; a plain LCG mod N would reuse its weak low bits and give
// a poorly connected graph). They are drawn in the order node 0 slots 0..3,
// node 1 slots 0..3, … and scaled as floor(u / 2^32 * N) in double
// arithmetic, which bench/cpython/shapes.py reproduces exactly.

import { Heap, type HeapOptions } from "../src/index.js";
import { mulberry32 } from "../src/workloads/random-graph.js";

export const REFS_PER_NODE = 4;
export const DEFAULT_SEED = 1;

/** mulberry32, the same generator the workloads use (src/workloads/random-graph.ts). */
export { mulberry32 };

/** The graph as indices: node i refers to targets[4i .. 4i+3] (each in [0, n)). */
export function drawTargets(n: number, seed = DEFAULT_SEED): Uint32Array {
  const next = mulberry32(seed);
  const out = new Uint32Array(n * REFS_PER_NODE);
  for (let j = 0; j < out.length; j++) out[j] = Math.floor((next() / 4294967296) * n);
  return out;
}

/** The addRefs arguments for a heap whose nodes are `ids` (index → id). */
export function edgeArrays(ids: Uint32Array, targets: Uint32Array): { from: Uint32Array; to: Uint32Array } {
  const from = new Uint32Array(targets.length);
  const to = new Uint32Array(targets.length);
  for (let j = 0; j < targets.length; j++) {
    from[j] = ids[(j / REFS_PER_NODE) | 0];
    to[j] = ids[targets[j]];
  }
  return { from, to };
}

export interface BuiltHeap {
  heap: Heap;
  ids: Uint32Array;
}

/** A fresh heap with the automatic collector off (as gc.disable() in CPython while building). */
export function freshHeap(options: HeapOptions = {}): Heap {
  const heap = new Heap(options);
  heap.disable();
  return heap;
}

/** reach: N bound nodes with their references; nothing is garbage. */
export function buildReach(n: number, targets: Uint32Array, options: HeapOptions = {}): BuiltHeap {
  if (targets.length !== n * REFS_PER_NODE) throw new Error(`targets for ${targets.length / REFS_PER_NODE} nodes, not ${n}`);
  const heap = freshHeap(options);
  const ids = heap.newObjects("obj", n);
  const { from, to } = edgeArrays(ids, targets);
  heap.addRefs(from, to);
  return { heap, ids };
}

/** garbage: the reach graph with every root binding dropped. */
export function buildGarbage(n: number, targets: Uint32Array, options: HeapOptions = {}): BuiltHeap {
  const built = buildReach(n, targets, options);
  built.heap.unbindMany(built.ids);
  return built;
}
