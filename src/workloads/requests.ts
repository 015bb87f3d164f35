// One request of a service's loop, shared by the lab's request workloads:
// a burst of new objects linked as a chain (or a tree of fan-out 4), the
// last one referring back to the first when the request leaves a cycle
// (an exception's traceback), then everything released at the request's end.

import type { Heap } from "../heap.js";

export function request(heap: Heap, burst: number, cycle: boolean, shape: "chain" | "tree" = "chain",
  keep?: (ids: Uint32Array) => void): void {
  const ids = heap.newObjects("obj", burst);
  const from = new Uint32Array(burst), to = new Uint32Array(burst);
  let k = 0;
  for (let i = 1; i < burst; i++, k++) { from[k] = ids[shape === "tree" ? (i - 1) >> 2 : i - 1]; to[k] = ids[i]; }
  if (cycle) { from[k] = ids[burst - 1]; to[k] = ids[0]; k++; }
  heap.addRefs(from.subarray(0, k), to.subarray(0, k));
  keep?.(ids);
  heap.unbindMany(ids);
}
