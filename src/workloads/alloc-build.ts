// The allocation build, as a Python program writes it and as
// bench/cpython/shapes.py's `alloc` shape runs it with the collector on:
//
//     nodes = [Node() for _ in range(n)]          # n statements: make, append
//     for o in nodes:                             # 4n statements
//         o.s0 = nodes[e[j]]; o.s1 = …; o.s2 = …; o.s3 = …
//
// One op per statement (src/ops.ts), each followed by its safe point, so the
// automatic collections fall where the interpreter's would; the targets come
// from mulberry32 as shapes.py draws them (target = floor(u / 2^32 * n)).

import type { Heap } from "../heap.js";
import { OpStream } from "../ops.js";
import { mulberry32 } from "./random-graph.js";

/** Ops per engine call: bounds the stream's buffer (~3 words per op). */
const CHUNK = 1 << 18;

/** Builds the graph; returns the list holding the nodes and the node ids. */
export function allocBuild(heap: Heap, n: number, seed = 1): { list: number; nodes: Uint32Array } {
  const rnd = mulberry32(seed);
  const nodes = new Uint32Array(n);
  const s = new OpStream();
  const list = heap.newObject("list");
  // the list comprehension: Node() made, appended, its temporary reference dropped
  for (let start = 0; start < n; start += CHUNK / 4) {
    const end = Math.min(n, start + CHUNK / 4);
    s.clear();
    for (let i = start; i < end; i++) {
      const x = s.new("obj");
      s.addRef(list, x);
      s.unbind(x);
    }
    const r = heap.runOps(s).values;
    for (let i = start, k = 0; i < end; i++, k += 3) nodes[i] = r[k];
  }
  // the slot assignments
  for (let start = 0; start < n; start += CHUNK / 4) {
    const end = Math.min(n, start + CHUNK / 4);
    s.clear();
    for (let i = start; i < end; i++) {
      const o = nodes[i];
      for (let j = 0; j < 4; j++) s.addRef(o, nodes[Math.floor((rnd() / 4294967296) * n)]);
    }
    heap.runOps(s);
  }
  return { list, nodes };
}
