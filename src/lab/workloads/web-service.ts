// A web service's request loop: each request allocates a burst of objects
// (the request, its frames, its data: a small tree), some requests leave an
// exception whose traceback refers back to the frames (a cycle), a few
// results survive into a bounded cache, and everything else is released
// when the request ends — by reference counting, except the cycles.

import type { Workload } from "../types.js";
import { request } from "../../workloads/requests.js";

export const webService: Workload = {
  name: "web-service",
  description: "request loop: a burst of objects per request, traceback cycles, a bounded cache",
  params: {
    requests: { default: 5000, doc: "requests served", sizes: { small: 2000, medium: 20000, large: 200000 }, integer: true, min: 1, max: 10_000_000 },
    burst: { default: 60, doc: "objects allocated per request", integer: true, min: 3, max: 100_000 },
    cycleEvery: { default: 3, doc: "every n-th request raises: its traceback makes a cycle (0: never)", integer: true, min: 0, max: 1e9 },
    cacheEvery: { default: 20, doc: "every n-th request stores one object in the cache (0: never)", integer: true, min: 0, max: 1e9 },
    cacheSize: { default: 2000, doc: "cache entries kept (oldest evicted)", integer: true, min: 0, max: 10_000_000 },
  },
  steps: (p) => Number(p.requests),
  run({ heap, params, step }) {
    const requests = Number(params.requests), burst = Math.max(3, Number(params.burst));
    const cycleEvery = Number(params.cycleEvery), cacheEvery = Number(params.cacheEvery);
    const cacheSize = Number(params.cacheSize);
    const cache = heap.newObject("list");
    const cached: number[] = [];
    for (let r = 1; r <= requests; r++) {
      request(heap, burst, cycleEvery > 0 && r % cycleEvery === 0, "tree", (ids) => {
        if (cacheEvery > 0 && r % cacheEvery === 0) {
          heap.addRef(cache, ids[2]);
          cached.push(ids[2]);
          if (cached.length > cacheSize) heap.removeRef(cache, cached.shift()!);
        }
      });
      step();
    }
  },
};
