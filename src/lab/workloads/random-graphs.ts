// Random graphs with a tunable share of cyclic garbage: each chunk of objects
// gets random references among its own members; part of the chunk stays
// reachable from a root list, the rest is dropped (cyclic garbage, mostly).

import type { Workload } from "../types.js";

export const randomGraphs: Workload = {
  name: "random-graphs",
  description: "chunks of random graphs, a tunable percentage left as cyclic garbage",
  params: {
    chunks: { default: 200, doc: "chunks allocated", sizes: { small: 100, medium: 500, large: 2000 }, integer: true, min: 1, max: 1_000_000 },
    chunkSize: { default: 1000, doc: "objects per chunk", integer: true, min: 1, max: 1_000_000 },
    degree: { default: 4, doc: "references per object (an obj has 16 slots)", integer: true, min: 0, max: 16 },
    garbagePercent: { default: 30, doc: "share of each chunk dropped", min: 0, max: 100 },
  },
  steps: (p) => Number(p.chunks),
  run({ heap, params, step, rng }) {
    const size = Number(params.chunkSize), degree = Math.min(16, Number(params.degree));
    const keepUpTo = Math.round(size * (1 - Number(params.garbagePercent) / 100));
    const roots = heap.newObject("list");
    for (let c = 0; c < Number(params.chunks); c++) {
      const ids = heap.newObjects("obj", size);
      const from = new Uint32Array(size * degree), to = new Uint32Array(size * degree);
      for (let i = 0, k = 0; i < size; i++) {
        for (let j = 0; j < degree; j++, k++) {
          from[k] = ids[i];
          // the kept part refers among itself; the dropped part anywhere in the chunk
          to[k] = ids[i < keepUpTo ? rng() % Math.max(1, keepUpTo) : rng() % size];
        }
      }
      heap.addRefs(from, to);
      if (keepUpTo > 0) heap.addRefs(new Uint32Array(keepUpTo).fill(roots), ids.subarray(0, keepUpTo));
      heap.unbindMany(ids);
      step();
    }
  },
};
