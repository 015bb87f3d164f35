// deduce_unreachable and its three steps, the heart of a collection
// (CPython's update_refs, subtract_refs, move_unreachable), plus the two
// untracking passes that run over the survivors. The masks they set and
// clear live in the gc word (heap.ts); these passes touch only the gc word
// of the objects a reference points to.

import { FIRST_OBJECT, SIM_DEBUG, T_DICT, T_FIN, T_LIST, T_OBJ, T_TUPLE } from "../common";
import {
  edgeLen, edgeStart, gcClearCollecting, gcClearUnreachable, gcNext, gcResetRefs,
  gcSetUnreachable, gcWord, refcnt, typeOf, GC_COLLECTING, GC_UNREACHABLE, GCREFS, liveOfType, nextFresh,
  isTracked,
} from "../heap";
import { gcListMove, gcListSize } from "../gclist";
import { POOL } from "../edges";
import { dictMaybeUntrack, tupleMaybeUntrack } from "../tracking";
import { untrackTuplesInScan } from "../profile";
import { traceStage, STAGE_MOVE_UNREACHABLE, STAGE_SUBTRACT_REFS, STAGE_UPDATE_REFS } from "./trace";

/** Objects examined by the collector since start-up (the lab's work unit). */
export let examined: f64 = 0;
export function addExamined(n: f64): void { examined += n; }

/** Objects the last update_refs examined; objects the collection's untracking passes removed. */
export let lastUpdated: u32 = 0;
/** update_refs' count in a collection's first deduce_unreachable: 3.15's "candidates". */
export let lastCandidates: f64 = 0;
export function noteCandidates(extra: f64): void { lastCandidates = <f64>lastUpdated + extra; }
export let untrackedInCollection: u32 = 0;
/** Objects the last move_unreachable left in U (moved there, less those rescued). */
export let lastUnreachable: u32 = 0;
export function resetUntracked(): void { untrackedInCollection = 0; }

/**
 * update_refs: gc_refs = refcnt, COLLECTING set, on every object of the list.
 * `everyTracked`: the list holds every tracked object (a full collection with
 * nothing frozen), so the ids can be walked in memory order instead.
 */
export function updateRefs(head: u32, everyTracked: bool = false): void {
  let n: u32 = 0;
  if (everyTracked) {
    for (let x = FIRST_OBJECT; x < nextFresh; x++) {
      if (isTracked(x)) {
        gcResetRefs(x, refcnt(x));
        n++;
      }
    }
    if (SIM_DEBUG) assert(n == gcListSize(head)); // every tracked object is in the list
    examined += <f64>n;
    lastUpdated = n;
    return;
  }
  for (let x = gcNext(head); x != head; x = gcNext(x)) {
    if (SIM_DEBUG) assert(refcnt(x) > 0); // a tracked object with refcount 0 is a bug
    gcResetRefs(x, refcnt(x));
    n++;
  }
  examined += <f64>n;
  lastUpdated = n;
}

/**
 * subtract_refs: each reference from inside the list lowers its target's
 * gc_refs. Targets outside the list (no COLLECTING) are left alone; empty
 * slots (id 0) and the shared singletons have a zero gc word, so they fall
 * through the same test.
 */
export function subtractRefs(head: u32): void {
  // The result does not depend on the order, and the members are exactly the
  // objects with COLLECTING set: when they are a good share of all ids, visit
  // them in id order, which streams through memory; the list's own order may
  // be anything (after move_unreachable's rescues it is breadth-first order).
  // (the column bases in locals: the loops store to memory, which the
  // compiler cannot prove leaves the globals alone)
  let gcrefs = GCREFS, pool = POOL;
  if (lastUpdated > (nextFresh - FIRST_OBJECT) >> 2) {
    let end = nextFresh;
    for (let x = FIRST_OBJECT; x < end; x++) {
      if ((load<i32>(gcrefs + (<usize>x << 2)) & GC_COLLECTING) != 0) subtractFrom(x, gcrefs, pool);
    }
  } else {
    for (let x = gcNext(head); x != head; x = gcNext(x)) subtractFrom(x, gcrefs, pool);
  }
}

// @ts-ignore: decorator
@inline function subtractFrom(x: u32, gcrefs: usize, pool: usize): void {
  let p = pool + (<usize>edgeStart(x) << 2);
  let end = p + (<usize>edgeLen(x) << 2);
  for (; p < end; p += 4) {
    let a = gcrefs + (<usize>load<u32>(p) << 2);
    let w = load<i32>(a);
    if (SIM_DEBUG) assert((w & GC_COLLECTING) == 0 || w >= 4); // refcount too small for the references that exist
    // branch-free: only a word with COLLECTING set loses one reference (4 = 1 << 2)
    store<i32>(a, w - ((w & GC_COLLECTING) << 2));
  }
}

/** visit_reachable: a referent of a reachable object is reachable too. */
// @ts-ignore: decorator
@inline function visitReachable(r: u32, young: u32, gcrefs: usize): void {
  let a = gcrefs + (<usize>r << 2);
  let w = load<i32>(a);
  if ((w & GC_UNREACHABLE) != 0) {
    // judged unreachable earlier: back to young's tail, the cursor will reach it
    gcListMove(r, young);
    store<i32>(a, (1 << 2) | GC_COLLECTING);
    lastUnreachable--;
  } else if (w == GC_COLLECTING) {
    store<i32>(a, (1 << 2) | GC_COLLECTING); // ahead of the cursor with gc_refs 0: now 1
  }
}

/**
 * Visits x's referents in CPython's tp_traverse order: dicts and instances
 * (up to ten slots) first to last, lists and tuples last to first, instances
 * using s10… in sorted member order (s0, s1, s10, …, s2, …).
 */
// @ts-ignore: decorator
@inline function traverseReachable(x: u32, young: u32, gcrefs: usize, pool: usize): void {
  let t = typeOf(x);
  let n = edgeLen(x);
  if (n == 0) return;
  let base = pool + (<usize>edgeStart(x) << 2);
  if (t == T_LIST || t == T_TUPLE) {
    for (let p = base + (<usize>(n - 1) << 2); p >= base; p -= 4) visitReachable(load<u32>(p), young, gcrefs);
  } else if ((t == T_OBJ || t == T_FIN) && n > 10) {
    visitReachable(load<u32>(base), young, gcrefs);
    visitReachable(load<u32>(base, 4), young, gcrefs);
    for (let i: u32 = 10; i < n; i++) visitReachable(load<u32>(base + (<usize>i << 2)), young, gcrefs);
    for (let i: u32 = 2; i < 10; i++) visitReachable(load<u32>(base + (<usize>i << 2)), young, gcrefs);
  } else {
    let end = base + (<usize>n << 2);
    for (let p = base; p < end; p += 4) visitReachable(load<u32>(p), young, gcrefs);
  }
}

/**
 * move_unreachable: a cursor walks young from the head; objects with gc_refs > 0
 * are reachable and make their referents reachable (in traversal order), the
 * others move to the tail of `unreachable` until something rescues them.
 * Afterwards young holds the reachable objects, COLLECTING clear; U holds the
 * unreachable ones with COLLECTING and UNREACHABLE set. (CPython's A/B/C
 * argument: an object judged unreachable and rescued later moves to the tail,
 * so a chain found in reverse is scanned once and stays in the new order.)
 */
export function moveUnreachable(young: u32, unreachable: u32): void {
  lastUnreachable = 0;
  let gcrefs = GCREFS, pool = POOL; // in locals, as in subtractRefs
  let x = gcNext(young);
  while (x != young) {
    if ((gcWord(x) >> 2) > 0) { // gc_refs > 0
      traverseReachable(x, young, gcrefs, pool);
      gcClearCollecting(x);
      let next = gcNext(x);
      // ≤3.7 untracked tuples right here, after traversing them
      if (untrackTuplesInScan && typeOf(x) == T_TUPLE && tupleMaybeUntrack(x)) untrackedInCollection++;
      x = next;
    } else {
      let next = gcNext(x);
      gcListMove(x, unreachable);
      gcSetUnreachable(x);
      lastUnreachable++;
      x = next;
    }
  }
}

/** deduce_unreachable: update_refs, subtract_refs, move_unreachable. */
export function deduceUnreachable(young: u32, unreachable: u32, everyTracked: bool = false): void {
  updateRefs(young, everyTracked);
  traceStage(STAGE_UPDATE_REFS, young);
  subtractRefs(young);
  traceStage(STAGE_SUBTRACT_REFS, young);
  moveUnreachable(young, unreachable);
  traceStage(STAGE_MOVE_UNREACHABLE, young);
}

/** untrack_tuples (3.8+): survivors whose items cannot be tracked leave the lists. */
export function untrackTuples(head: u32): void {
  if (liveOfType(T_TUPLE) == 0) return; // nothing to look for
  let x = gcNext(head);
  while (x != head) {
    let next = gcNext(x);
    if (typeOf(x) == T_TUPLE && tupleMaybeUntrack(x)) untrackedInCollection++;
    x = next;
  }
}

/** untrack_dicts: only full collections untrack dicts (issue #14775). */
export function untrackDicts(head: u32): void {
  if (liveOfType(T_DICT) == 0) return;
  let x = gcNext(head);
  while (x != head) {
    let next = gcNext(x);
    if (typeOf(x) == T_DICT && dictMaybeUntrack(x)) untrackedInCollection++;
    x = next;
  }
}

/** gc_list_clear_collecting. */
export function clearCollecting(head: u32): void {
  for (let x = gcNext(head); x != head; x = gcNext(x)) gcClearCollecting(x);
}

/** clear_unreachable_mask. */
export function clearUnreachableMask(head: u32): void {
  for (let x = gcNext(head); x != head; x = gcNext(x)) gcClearUnreachable(x);
}

