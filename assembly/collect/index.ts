// A collection, as CPython schedules it. The generational collector (2.7 –
// 3.13, and 3.14.5+) is gc_collect_main: read collectGeneration for the whole
// story. The incremental collector of 3.14.0–3.14.4 lives in incremental.ts.
// Both hand the garbage they find to finishCollection (region.ts).

import { PERMANENT, SIM_DEBUG, UNREACHABLE, genHead } from "../common";
import { gcListIsEmpty, gcListMerge, gcListSize } from "../gclist";
import { count, setCount, addStats, addStatsExtra, setLongLived, addLongLivedPending, startupInOld } from "../state";
import { dictsAlwaysTracked, incremental, untrackTuplesInScan } from "../profile";
import {
  addExamined, deduceUnreachable, examined, lastCandidates, lastUnreachable, noteCandidates, lastUpdated, resetUntracked, untrackDicts, untrackTuples,
  untrackedInCollection,
} from "./unreachable";
import { finishCollection, lastCollected, lastUncollectable, resetCollectionStats } from "./region";
import { validateCollectionStart, validateStage } from "./validate";
import { collectFull, collectIncrement, collectYoung, workToDo } from "./incremental";
import { EV_GC_START, EV_GC_STOP, logEvent } from "../events";
import { hostNow, resetYoungBytes } from "../policy";
import { clearFreeLists } from "../freelists";
import { onGcFree } from "../schedule";

export { lastCollected, lastUncollectable };

/** gc_collect_main(generation) of the generational collector. */
export function collectGeneration(gen: u32): void {
  validateCollectionStart();

  // Counters: this generation and the younger ones restart; the next one counts us.
  if (gen < 2) setCount(gen + 1, count(gen + 1) + 1);
  for (let i: u32 = 0; i <= gen; i++) setCount(i, 0);

  // Merge the younger generations onto the tail of this one, youngest first.
  for (let i: u32 = 0; i < gen; i++) gcListMerge(genHead(i), genHead(gen));
  let young = genHead(gen);
  let old = gen < 2 ? genHead(gen + 1) : young;

  // update_refs, subtract_refs, move_unreachable: young keeps the reachable
  // objects, UNREACHABLE gets the rest (COLLECTING and UNREACHABLE set).
  resetUntracked();
  // a full collection with nothing frozen examines every tracked object
  deduceUnreachable(young, UNREACHABLE, gen == 2 && gcListIsEmpty(PERMANENT));
  noteCandidates(gen == 2 ? <f64>startupInOld() : 0);
  validateStage(young, UNREACHABLE, 1);
  if (!untrackTuplesInScan) untrackTuples(young);

  // Survivors move on; a full collection also untracks dicts and resets the
  // long-lived counters that gate the next full collection. (len(young) is
  // counted, not walked: examined − unreachable − untracked.)
  if (young != old) {
    if (gen == 1) addLongLivedPending(<i32>survivors());
    gcListMerge(young, old);
  } else {
    if (!dictsAlwaysTracked) untrackDicts(young);
    if (SIM_DEBUG) assert(survivors() == gcListSize(young)); // the count is right
    // the interpreter's own objects are examined, survive and are long-lived too
    addExamined(<f64>startupInOld());
    setLongLived(<i32>survivors() + startupInOld(), 0);
  }

  finishCollection(old);
  if (gen == 2) emptyFreeLists();
  addStats(gen, lastCollected, lastUncollectable);
}

/** _PyGC_ClearAllFreeLists at the end of a full collection: each entry is freed for real. */
export function emptyFreeLists(): void {
  let n = clearFreeLists();
  for (let i: u32 = 0; i < n; i++) onGcFree();
}

function survivors(): u32 {
  return lastUpdated - lastUnreachable - untrackedInCollection;
}

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
  if (!incremental) collectGeneration(gen);
  else if (gen == 0) collectYoung();
  else if (gen == 1) collectIncrement();
  else collectFull();
  resetYoungBytes();
  let ms = hostNow() - t0;
  addStatsExtra(gen, lastCandidates, ms / 1000);
  logEvent(EV_GC_STOP, gen, lastCollected, lastUncollectable, <u32>(examined - before),
    automatic ? 1 : 0, <u32>(<i32>workToDo), <u32>(ms * 1000), <u32>lastCandidates);
  return lastCollected + lastUncollectable;
}
