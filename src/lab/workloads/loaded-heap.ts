// A real program's heap, loaded from a dump (python/pygcsim_dump.py), with
// synthetic request churn on top: how would each policy treat this heap as
// the program keeps running? The default dump is a small test program's heap
// recorded on CPython 3.12.1 (examples/heap-3.12.1.jsonl.gz).

import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Heap } from "../../heap.js";
import { InvalidArgumentError } from "../../errors.js";
import type { Workload } from "../types.js";
import { request } from "../../workloads/requests.js";

function packageFile(rel: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, rel);
}

export const loadedHeap: Workload = {
  name: "loaded-heap",
  description: "a real heap from a Python dump, with request churn on top",
  stringParams: {
    dump: { default: "", doc: "dump file (default: examples/heap-3.12.1.jsonl.gz)" },
  },
  params: {
    requests: { default: 5000, doc: "requests after loading", sizes: { small: 2000, medium: 20000, large: 100000 }, integer: true, min: 1, max: 10_000_000 },
    burst: { default: 40, doc: "objects per request", integer: true, min: 2, max: 100_000 },
    cycleEvery: { default: 4, doc: "every n-th request leaves a cycle (0: never)", integer: true, min: 0, max: 1e9 },
  },
  heap(params, python) {
    const path = params.dump ? resolve(String(params.dump)) : packageFile("examples/heap-3.12.1.jsonl.gz");
    if (!existsSync(path)) throw new InvalidArgumentError(`loaded-heap: no dump file ${path}`, "lab");
    // a device or a FIFO would be read forever
    if (!statSync(path).isFile()) throw new InvalidArgumentError(`loaded-heap: ${path} is not a regular file`, "lab");
    return Heap.fromDump(path, { python });
  },
  steps: (p) => Number(p.requests),
  run({ heap, params, step }) {
    const burst = Math.max(2, Number(params.burst)), cycleEvery = Number(params.cycleEvery);
    for (let r = 1; r <= Number(params.requests); r++) {
      request(heap, burst, cycleEvery > 0 && r % cycleEvery === 0);
      step();
    }
  },
};
