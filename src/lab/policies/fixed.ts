// Fixed thresholds, to sweep: CPython's count-based trigger with the
// thresholds (and the long-lived ratio) of your choice. Template for new
// policies: copy this file, rename, register it in index.ts.
import type { Policy } from "../types.js";

export const fixed: Policy = {
  name: "fixed",
  description: "count-based thresholds of your choice (threshold0/1/2, longLivedRatio)",
  params: {
    threshold0: { default: 700, doc: "net allocations that make a young collection due (0: never)", integer: true, min: 0, max: 2 ** 31 - 1 },
    threshold1: { default: 10, doc: "young collections per generation-1 collection", integer: true, min: 0, max: 2 ** 31 - 1 },
    threshold2: { default: 10, doc: "generation-1 collections per full collection", integer: true, min: 0, max: 2 ** 31 - 1 },
    longLivedRatio: { default: 0.25, doc: "full collections wait for pending ≥ ratio × long-lived (0: off)", min: 0, max: 1e6 },
  },
  apply(heap, p) {
    heap.setThreshold(p.threshold0, p.threshold1, p.threshold2);
    heap.lab.setPolicy({ kind: "cpython", longLivedRatio: p.longLivedRatio });
  },
};
