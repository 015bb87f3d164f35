// A collection of one generation, as CPython's gc_collect_main (3.9–3.13) runs
// it, with the profile switches that give 2.7 and 3.6–3.8 their own results.
// Read this function for the whole story; each stage is a small function named
// after its CPython counterpart.

import { FINALIZERS, FINAL_UNREACHABLE, UNREACHABLE, genHead } from "../common";
import { gcListMerge, gcListSize } from "../gclist";
import {
  count, setCount, debugFlags, DEBUG_SAVEALL, addStats, setLongLived, addLongLivedPending,
} from "../state";
import {
  counting, COUNT_AT_DELETE, COUNT_PRE_FINALIZE, dictsAlwaysTracked, legacyDel, resurrection,
  RESURRECT_PARTIAL, untrackTuplesInScan,
} from "../profile";
import { deduceUnreachable, untrackDicts, untrackTuples } from "./unreachable";
import {
  checkGarbage, finalizeGarbage, handleLegacyFinalizers, handleResurrectedObjects,
  moveLegacyFinalizerReachable, moveLegacyFinalizers,
} from "./finalize";
import { handleWeakrefs } from "./weakrefs";
import { deleteGarbage } from "./delete";
import { validateCollectionStart, validateStage } from "./validate";
import { EV_GC_START, EV_GC_STOP, logEvent } from "../events";

/** Results of the last collection (CPython's gc_collection_stats). */
export let lastCollected: u32 = 0;
export let lastUncollectable: u32 = 0;

/** gc_collect_main(generation): returns collected + uncollectable. */
export function collectMain(gen: u32): u32 {
  let saveAll = (debugFlags & DEBUG_SAVEALL) != 0;
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
  deduceUnreachable(young, UNREACHABLE);
  validateStage(young, UNREACHABLE, 1);
  if (!untrackTuplesInScan) untrackTuples(young);

  // Survivors move on; a full collection also untracks dicts and resets the
  // long-lived counters that gate the next full collection.
  if (young != old) {
    if (gen == 1) addLongLivedPending(<i32>gcListSize(young));
    gcListMerge(young, old);
  } else {
    if (!dictsAlwaysTracked) untrackDicts(young);
    setLongLived(<i32>gcListSize(young), 0);
  }

  // Legacy finalizers (tp_del) and everything they reach are uncollectable.
  moveLegacyFinalizers(UNREACHABLE, FINALIZERS);
  moveLegacyFinalizerReachable(FINALIZERS);
  validateStage(old, UNREACHABLE, 2);

  let m: u32 = 0;
  if (counting == COUNT_PRE_FINALIZE) m = gcListSize(UNREACHABLE);

  // Weakrefs to garbage are cleared; callbacks of reachable weakrefs run.
  m += handleWeakrefs(UNREACHABLE, old);

  if (legacyDel) {
    // 2.7: no PEP 442 finalizers, nothing can resurrect inside a collection.
    deleteGarbage(UNREACHABLE, old, saveAll);
  } else {
    finalizeGarbage(UNREACHABLE);
    if (resurrection == RESURRECT_PARTIAL) {
      // 3.9+: only what the finalizers made reachable survives.
      handleResurrectedObjects(UNREACHABLE, FINAL_UNREACHABLE, old);
      validateStage(old, FINAL_UNREACHABLE, 3);
      m += gcListSize(FINAL_UNREACHABLE);
      deleteGarbage(FINAL_UNREACHABLE, old, saveAll);
    } else if (checkGarbage(UNREACHABLE)) {
      // 3.4–3.8: one resurrection keeps the whole batch alive.
      gcListMerge(UNREACHABLE, old);
    } else {
      if (counting == COUNT_AT_DELETE) m += gcListSize(UNREACHABLE);
      deleteGarbage(UNREACHABLE, old, saveAll);
    }
  }

  let n = gcListSize(FINALIZERS);
  handleLegacyFinalizers(FINALIZERS, old, saveAll);
  validateStage(old, 0, 4);

  addStats(gen, m, n);
  lastCollected = m;
  lastUncollectable = n;
  return m + n;
}

/** gc_collect_with_callback: gc.callbacks see "start" and "stop". */
export function collectWithCallback(gen: u32): u32 {
  logEvent(EV_GC_START, gen, <u32>count(0), 0);
  let r = collectMain(gen);
  logEvent(EV_GC_STOP, gen, lastCollected, lastUncollectable);
  return r;
}
