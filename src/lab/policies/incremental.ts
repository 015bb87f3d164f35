// CPython 3.14's incremental schedule: one increment whenever the young
// generation passes threshold0; threshold1 scales how much of the old spaces
// each increment scans (1% of the heap at 10).
import type { Policy } from "../types.js";

export const incremental: Policy = {
  name: "incremental",
  description: "3.14's increments (threshold0 new objects each; rate = threshold1 scale)",
  python: "3.14",
  params: {
    threshold0: { default: 2000, doc: "young objects that make an increment due" },
    rate: { default: 10, doc: "old-space scan scale (CPython's threshold1): lower scans more" },
  },
  apply(heap, p) {
    heap.setThreshold(p.threshold0, p.rate, 0);
    heap.setPolicy({ kind: "cpython" });
  },
};
