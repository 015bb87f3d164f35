// What happens to the unreachable set once it is known: CPython's stages
// after deduce_unreachable (gc_collect_main's second half in 3.9–3.13,
// gc_collect_region's in 3.14), shared by the generational and the
// incremental collectors. Survivors of every stage go to `old`.

import { FINALIZERS, FINAL_UNREACHABLE, SIM_DEBUG, UNREACHABLE } from "../common";
import { gcListIsEmpty, gcListMerge, gcListSize } from "../gclist";
import { debugFlags, DEBUG_SAVEALL } from "../state";
import {
  counting, COUNT_AT_DELETE, COUNT_PRE_FINALIZE, legacyDel, resurrection, RESURRECT_PARTIAL, weakrefsClearedLate,
} from "../profile";
import {
  checkGarbage, finalizeGarbage, handleLegacyFinalizers, handleResurrectedObjects,
  moveLegacyFinalizerReachable, moveLegacyFinalizers,
} from "./finalize";
import { clearWeakrefs, handleWeakrefs } from "./weakrefs";
import { deleteGarbage } from "./delete";
import { validateStage } from "./validate";
import { addExamined, deduceUnreachable, lastUnreachable, noteCandidates, untrackTuples } from "./unreachable";
import {
  traceStage, STAGE_DELETE_GARBAGE, STAGE_FINALIZE_GARBAGE, STAGE_HANDLE_WEAKREFS, STAGE_HANDLE_LEGACY_FINALIZERS, STAGE_MOVE_LEGACY_FINALIZERS,
  STAGE_HANDLE_RESURRECTED_OBJECTS, STAGE_SURVIVORS,
} from "./trace";

/** Results of the last collection (CPython's gc_collection_stats). */
export let lastCollected: u32 = 0;
export let lastUncollectable: u32 = 0;

export function resetCollectionStats(): void {
  lastCollected = 0;
  lastUncollectable = 0;
}

/**
 * gc_collect_region (3.14): one region examined — deduce_unreachable, the
 * survivors' tuples untracked and appended to `to` — then what happens to
 * its garbage (finishCollection). The incremental collector's young
 * collections, increments and full collections are each one region.
 */
export function collectRegion(from: u32, to: u32, everyTracked: bool = false): void {
  deduceUnreachable(from, UNREACHABLE, everyTracked);
  noteCandidates(0);
  validateStage(from, UNREACHABLE, 1);
  untrackTuples(from);
  if (from != to) gcListMerge(from, to);
  finishCollection(to);
}

/**
 * From the legacy split to handle_legacy_finalizers. UNREACHABLE holds the
 * garbage found by deduce_unreachable (COLLECTING and UNREACHABLE set).
 * Sets lastCollected (m) and lastUncollectable (n).
 */
export function finishCollection(old: u32): void {
  let saveAll = (debugFlags & DEBUG_SAVEALL) != 0;
  traceStage(STAGE_SURVIVORS, old);

  // Legacy finalizers (tp_del) and everything they reach are uncollectable.
  moveLegacyFinalizers(UNREACHABLE, FINALIZERS);
  moveLegacyFinalizerReachable(FINALIZERS);
  validateStage(old, UNREACHABLE, 2);
  traceStage(STAGE_MOVE_LEGACY_FINALIZERS, UNREACHABLE);

  let m: u32 = 0;
  if (counting == COUNT_PRE_FINALIZE) m = gcListSize(UNREACHABLE);

  // Weakrefs to garbage are cleared; callbacks of reachable weakrefs run.
  m += handleWeakrefs(UNREACHABLE, old);
  traceStage(STAGE_HANDLE_WEAKREFS, UNREACHABLE);

  if (legacyDel) {
    // 2.7: no PEP 442 finalizers, nothing can resurrect inside a collection.
    deleteGarbage(UNREACHABLE, old, saveAll);
    traceStage(STAGE_DELETE_GARBAGE, UNREACHABLE);
  } else {
    let finalizersRan = finalizeGarbage(UNREACHABLE) > 0;
    traceStage(STAGE_FINALIZE_GARBAGE, UNREACHABLE);
    if (resurrection == RESURRECT_PARTIAL) {
      // 3.9+: only what the finalizers made reachable survives. When no
      // finalizer ran nothing can have changed: the second deduce_unreachable
      // would move all of U, in order, to U'. It is counted as work all the same.
      if (finalizersRan) {
        handleResurrectedObjects(UNREACHABLE, FINAL_UNREACHABLE, old);
        m += gcListSize(FINAL_UNREACHABLE);
      } else {
        // U is what move_unreachable left there, less what went to L (counted, not walked)
        let size = gcListIsEmpty(FINALIZERS) ? lastUnreachable : gcListSize(UNREACHABLE);
        if (SIM_DEBUG) assert(size == gcListSize(UNREACHABLE));
        addExamined(<f64>size);
        gcListMerge(UNREACHABLE, FINAL_UNREACHABLE);
        m += size;
      }
      validateStage(old, FINAL_UNREACHABLE, 3);
      traceStage(STAGE_HANDLE_RESURRECTED_OBJECTS, FINAL_UNREACHABLE);
      if (weakrefsClearedLate) clearWeakrefs(FINAL_UNREACHABLE);
      deleteGarbage(FINAL_UNREACHABLE, old, saveAll);
      traceStage(STAGE_DELETE_GARBAGE, FINAL_UNREACHABLE);
    } else if (checkGarbage(UNREACHABLE)) {
      // 3.4–3.8: one resurrection keeps the whole batch alive.
      gcListMerge(UNREACHABLE, old);
      traceStage(STAGE_HANDLE_RESURRECTED_OBJECTS, old);
    } else {
      traceStage(STAGE_HANDLE_RESURRECTED_OBJECTS, UNREACHABLE);
      if (counting == COUNT_AT_DELETE) m += gcListSize(UNREACHABLE);
      deleteGarbage(UNREACHABLE, old, saveAll);
      traceStage(STAGE_DELETE_GARBAGE, UNREACHABLE);
    }
  }

  let n = gcListSize(FINALIZERS);
  handleLegacyFinalizers(FINALIZERS, old, saveAll);
  traceStage(STAGE_HANDLE_LEGACY_FINALIZERS, old);
  validateStage(old, 0, 4);
  lastCollected = m;
  lastUncollectable = n;
}
