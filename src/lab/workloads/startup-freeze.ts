// A large heap built at start-up (modules, caches: ~900k objects in a big
// service), optionally frozen with gc.freeze() as a pre-fork server does,
// then young churn: short requests, some leaving cycles.

import type { Workload } from "../types.js";
import { request } from "../../workloads/requests.js";
import { randomGraph } from "../../workloads/random-graph.js";

export const startupFreeze: Workload = {
  name: "startup-freeze",
  description: "a big start-up heap (frozen or not), then young churn",
  params: {
    oldObjects: { default: 100000, doc: "objects built at start-up", sizes: { small: 50000, medium: 300000, large: 900000 }, integer: true, min: 1, max: 10_000_000 },
    freeze: { default: 1, doc: "1: gc.freeze() after start-up (3.7+); 0: leave it to the collector", integer: true, min: 0, max: 1 },
    requests: { default: 5000, doc: "requests after start-up", integer: true, min: 1, max: 10_000_000 },
    burst: { default: 40, doc: "objects per request", integer: true, min: 2, max: 100_000 },
    cycleEvery: { default: 4, doc: "every n-th request leaves a cycle (0: never)", integer: true, min: 0, max: 1e9 },
  },
  steps: (p) => Number(p.requests),
  run({ heap, params, step, rng }) {
    const wasEnabled = heap.isEnabled();
    heap.disable();
    randomGraph(heap, { n: Number(params.oldObjects), degree: 3, seed: rng() });
    if (wasEnabled) heap.enable();
    heap.collect();
    if (Number(params.freeze)) heap.freeze();
    const burst = Math.max(2, Number(params.burst)), cycleEvery = Number(params.cycleEvery);
    for (let r = 1; r <= Number(params.requests); r++) {
      request(heap, burst, cycleEvery > 0 && r % cycleEvery === 0);
      step();
    }
  },
};
