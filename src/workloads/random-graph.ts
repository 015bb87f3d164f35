// A random graph built through the batch API: the benchmark shape of the
// issues ("N objects with 4 random references each"), deterministic per seed.

import type { Heap, PlainType } from "../heap.js";

/** mulberry32: a small, well-mixed 32-bit PRNG (an LCG's low bits would make a poorly connected graph). */
export function mulberry32(seed: number): () => number {
  // the state stays an int32 (a value above 2^31 would be boxed on every
  // step); the bit operations give the same 32 bits either way
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export interface RandomGraphOptions {
  n: number;
  /** References per object (≤ 16 for obj). */
  degree?: number;
  seed?: number;
  type?: PlainType;
}

const CHUNK = 1 << 20;

/** n bound objects, each with `degree` references to random others. Returns the ids. */
export function randomGraph(heap: Heap, o: RandomGraphOptions): { ids: Uint32Array } {
  const degree = o.degree ?? 4;
  const rnd = mulberry32(o.seed ?? 1);
  const ids = heap.newObjects(o.type ?? "obj", o.n);
  // references in batches of ~1M: one call each, and a bounded exchange buffer
  const per = Math.max(1, Math.floor(CHUNK / degree));
  const from = new Uint32Array(Math.min(o.n, per) * degree), to = new Uint32Array(from.length);
  for (let start = 0; start < o.n; start += per) {
    const end = Math.min(o.n, start + per);
    let k = 0;
    for (let i = start; i < end; i++) {
      for (let j = 0; j < degree; j++, k++) {
        from[k] = ids[i];
        to[k] = ids[rnd() % o.n];
      }
    }
    heap.addRefs(from.subarray(0, k), to.subarray(0, k));
  }
  return { ids };
}
