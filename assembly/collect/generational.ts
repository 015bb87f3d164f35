// The generational collector (2.7 – 3.13, 3.14.5+, 3.15): CPython's
// gc_collect_main, stage by stage. The garbage it finds goes to
// finishCollection (region.ts), shared with the incremental collector.

import { PERMANENT, SIM_DEBUG, UNREACHABLE, genHead } from "../common";
import { gcListIsEmpty, gcListMerge, gcListSize } from "../gclist";
import { count, setCount, addStats, setLongLived, addLongLivedPending, startupInOld } from "../state";
import { dictsAlwaysTracked, untrackTuplesInScan } from "../profile";
import {
  addExamined, deduceUnreachable, lastUnreachable, noteCandidates, lastUpdated, resetUntracked, untrackDicts, untrackTuples,
  untrackedInCollection,
} from "./unreachable";
import { finishCollection, lastCollected, lastUncollectable } from "./region";
import { validateCollectionStart, validateStage } from "./validate";
import { emptyFreeLists } from "../freelists";
import { traceStage, STAGE_MERGED } from "./trace";

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
  traceStage(STAGE_MERGED, young);

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


function survivors(): u32 {
  return lastUpdated - lastUnreachable - untrackedInCollection;
}
