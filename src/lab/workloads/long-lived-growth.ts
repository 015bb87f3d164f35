// A steadily growing long-lived heap: batches of new objects appended to one
// structure and never released. Without CPython's long-lived-pending rule
// every full collection would re-examine the whole structure (issue #4074).

import type { Workload } from "../types.js";

export const longLivedGrowth: Workload = {
  name: "long-lived-growth",
  description: "a structure that only grows: nothing is ever garbage",
  params: {
    objects: { default: 200000, doc: "objects added in all", sizes: { small: 50000, medium: 500000, large: 2000000 }, integer: true, min: 1, max: 20_000_000 },
    batch: { default: 1000, doc: "objects added per step", integer: true, min: 1, max: 20_000_000 },
  },
  steps: (p) => Math.ceil(Number(p.objects) / Number(p.batch)),
  run({ heap, params, step }) {
    const total = Number(params.objects), batch = Number(params.batch);
    const holder = heap.newObject("list");
    for (let done = 0; done < total; done += batch) {
      const n = Math.min(batch, total - done);
      const ids = heap.newObjects("dict", n);
      heap.addRefs(new Uint32Array(n).fill(holder), ids);
      heap.unbindMany(ids);
      step();
    }
  },
};
