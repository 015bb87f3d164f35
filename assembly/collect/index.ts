// A collection, as CPython runs one: gc.callbacks and the statistics around
// the collector kind's collection (kinds.ts decides which: the generational
// collector in generational.ts, 3.14's incremental one in incremental.ts).

import { count, addStatsExtra } from "../state";
import { examined, lastCandidates, noteCandidates } from "./unreachable";
import { lastCollected, lastUncollectable, resetCollectionStats } from "./region";
import { workToDo } from "./incremental";
import { runCollection } from "./kinds";
import { EV_GC_START, EV_GC_STOP, logEvent } from "../events";
import { hostNow, resetYoungBytes } from "../policy";

export { lastCollected, lastUncollectable };

/**
 * gc_collect_with_callback: gc.callbacks see "start" and "stop" around one
 * collection of the profile's kind. Returns collected + uncollectable.
 */
export function collectWithCallback(gen: u32, automatic: bool = false): u32 {
  logEvent(EV_GC_START, gen, <u32>count(0), automatic ? 1 : 0);
  let before = examined;
  let t0 = hostNow();
  resetCollectionStats();
  noteCandidates(0);
  runCollection(gen);
  resetYoungBytes();
  let ms = hostNow() - t0;
  addStatsExtra(gen, lastCandidates, ms / 1000);
  logEvent(EV_GC_STOP, gen, lastCollected, lastUncollectable, <u32>(examined - before),
    automatic ? 1 : 0, <u32>(<i32>workToDo), <u32>(ms * 1000), <u32>lastCandidates);
  return lastCollected + lastUncollectable;
}
