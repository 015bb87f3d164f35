// A real program's heap, loaded from a dump (python/pygcsim_dump.py), with
// synthetic request churn on top: how would each policy treat this heap as
// the program keeps running? The default dump is a small test program's heap
// recorded on CPython 3.12.1 (examples/heap-3.12.1.jsonl.gz).

import { Heap } from "../../heap.js";
import { InvalidArgumentError, UnsupportedError } from "../../errors.js";
import { dumpHost } from "../../load/dump-host.js";
import type { Workload } from "../types.js";
import { request } from "../../workloads/requests.js";

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
    // files come through Node's host (src/load/dump-files.ts): a page has none
    const host = dumpHost();
    if (!host) throw new UnsupportedError("loaded-heap reads a dump file: it runs in Node (pygcsim lab), not in a page", "lab");
    const path = params.dump ? String(params.dump) : host.packagePath("examples/heap-3.12.1.jsonl.gz");
    const kind = host.fileKind(path);
    if (kind === "missing") throw new InvalidArgumentError(`loaded-heap: no dump file ${path}`, "lab");
    // a device or a FIFO would be read forever
    if (kind === "other") throw new InvalidArgumentError(`loaded-heap: ${path} is not a regular file`, "lab");
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
