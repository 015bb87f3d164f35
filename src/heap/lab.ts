// heap.lab: what the lab and the schedule twin set and read beyond Python's
// gc module — the scheduling policy, the garbage held, the collector's
// counters (gc.get_count's, long_lived_*, 3.14's incremental state).

import { count, type HeapPart } from "./part.js";
import type { PolicyHost } from "./policy.js";
import type { SchedulingPolicy } from "./types.js";

export class HeapLab {
  constructor(private readonly heap: HeapPart, private readonly policy: PolicyHost) {}

  /** Sets the scheduling policy of automatic collections (see SchedulingPolicy). */
  setPolicy(policy: SchedulingPolicy): void {
    this.heap.read("setPolicy", (w) => this.policy.set(w, policy, "setPolicy"));
  }

  /**
   * The garbage the heap holds now: live objects that no root binding, leak,
   * gc.garbage or resurrection-list entry reaches (a reachability pass in wasm).
   */
  garbageHeld(): { objects: number; bytes: number } {
    return this.heap.read("garbageHeld", (w) => {
      const objects = this.heap.check("garbageHeld", w.labGarbageHeld(), "");
      return { objects, bytes: w.labGarbageBytes() };
    });
  }

  /** Bytes allocated since the last collection, and bytes of all live objects. */
  getBytes(): { young: number; live: number } {
    return this.heap.read("getBytes", (w) => ({ young: w.youngBytesNow(), live: w.liveBytesNow() }));
  }

  /** Sets gc.get_count()'s counters (to replay a recorded run from its starting counts). */
  setCounts(c0: number, c1: number, c2: number): void {
    const op = "setCounts";
    [c0, c1, c2].forEach((v, i) => count(op, `count${i}`, v));
    this.heap.run(op, (w) => w.setCounts(c0, c1, c2));
  }

  /** long_lived_total / long_lived_pending: the gate of full collections (3.8–3.13's 25% rule). */
  getLongLived(): { total: number; pending: number } {
    return this.heap.read("getLongLived", (w) => ({ total: w.longLived(0), pending: w.longLived(1) }));
  }

  /** Sets long_lived_total / long_lived_pending, for experiments. */
  setLongLived(total: number, pending: number): void {
    const op = "setLongLived";
    count(op, "total", total);
    count(op, "pending", pending);
    this.heap.run(op, (w) => w.setLongLivedCounters(total, pending));
  }

  /** 3.14's incremental collector: which old space is visited, the work budget, the phase, heap_size. */
  getIncrementalState(): { visitedSpace: number; workToDo: number; phase: "mark" | "collect"; heapSize: number } {
    return this.heap.read("getIncrementalState", (w) => ({
      visitedSpace: w.incrementalState(0), workToDo: w.incrementalState(1),
      phase: w.incrementalState(2) ? "mark" as const : "collect" as const, heapSize: w.incrementalState(3),
    }));
  }

  /**
   * Heap operations applied since the heap was made: objects created,
   * references stored and removed, bindings made and dropped, leaked
   * references — one per simulated statement (a batch call counts each
   * element). What the lab divides by its run time for its throughput.
   */
  operationsDone(): number { return this.heap.read("operationsDone", (w) => w.operationsDone()); }
}
