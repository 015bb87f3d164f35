// A user policy written in TypeScript: decide() runs at decision points only
// (when count[0] passes threshold 0), never per allocation, and returns the
// generation to collect or null. This one collects the young generation at
// each decision point and escalates to a full collection when the live bytes
// have grown by `growthPercent` since the last one.
import type { Policy } from "../types.js";

export const userExample: Policy = {
  name: "user-example",
  description: "a TS policy: young at each decision point, full when live bytes grew by growthPercent",
  params: {
    threshold0: { default: 700, doc: "decision interval: net allocations", integer: true, min: 1, max: 2 ** 31 - 1 },
    growthPercent: { default: 50, doc: "full collection when live bytes grew this much since the last", min: 0, max: 1e6 },
  },
  apply(heap, p) {
    let lastFull = 0;
    heap.setThreshold(p.threshold0);
    heap.lab.setPolicy({
      kind: "delegated",
      decide(s) {
        if (s.liveBytes > lastFull * (1 + p.growthPercent / 100)) {
          lastFull = s.liveBytes;
          return 2;
        }
        return 0;
      },
    });
  },
};
