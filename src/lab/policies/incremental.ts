// CPython 3.14's incremental schedule: one increment whenever the young
// generation passes threshold0; threshold1 scales how much of the old spaces
// each increment scans (1% of the heap at 10).
import type { Policy } from "../types.js";

export const incremental: Policy = {
  name: "incremental",
  description: "3.14's increments (threshold0 new objects each; rate = threshold1 scale)",
  python: "3.14",
  // the thresholds mean increments only to the incremental collector; elsewhere they would silently be another policy
  accepts: (profile) => profile.incremental,
  requires: "CPython 3.14's incremental collector (Python 3.14.0–3.14.4: --python 3.14.0 or 3.14)",
  params: {
    threshold0: { default: 2000, doc: "young objects that make an increment due", integer: true, min: 1, max: 2 ** 31 - 1 },
    rate: { default: 10, doc: "old-space scan scale (CPython's threshold1): lower scans more", integer: true, min: 1, max: 2 ** 31 - 1 },
  },
  apply(heap, p) {
    heap.setThreshold(p.threshold0, p.rate, 0);
    heap.lab.setPolicy({ kind: "cpython" });
  },
};
