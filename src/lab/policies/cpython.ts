// CPython's own scheduling, as the profile (--python) does it: thresholds
// and the long-lived rule, or 3.14's increments.
import type { Policy } from "../types.js";

export const cpython: Policy = {
  name: "cpython",
  description: "the profile's own scheduling (--python decides which)",
  params: {},
  apply(heap) {
    heap.lab.setPolicy({ kind: "cpython" });
  },
};
