// A memory-aware trigger: collect when the bytes allocated since the last
// collection pass a limit. CPython's triggers count objects, not memory, so
// a few large objects never trigger and many tiny ones trigger often.
import type { Policy } from "../types.js";

export const memory: Policy = {
  name: "memory",
  description: "a young collection per limitKiB allocated; older generations by CPython's counts",
  params: {
    limitKiB: { default: 256, doc: "KiB of GC objects allocated since the last collection", min: 0.001, max: 4 * 1024 * 1024 },
    longLivedRatio: { default: 0.25, doc: "as CPython's long-lived rule (0: off)", min: 0, max: 1e6 },
  },
  apply(heap, p) {
    heap.lab.setPolicy({ kind: "memory", youngBytes: p.limitKiB * 1024, longLivedRatio: p.longLivedRatio });
  },
};
