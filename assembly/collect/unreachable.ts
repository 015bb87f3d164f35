// deduce_unreachable and its three steps, the heart of a collection
// (CPython's update_refs, subtract_refs, move_unreachable), plus the two
// untracking passes that run over the survivors.
//
// gc_refs and the two masks during a collection (CPython's "_gc_prev values"):
//   F_COLLECTING  set by update_refs on every object of the examined list;
//                 cleared by move_unreachable on each object proven reachable.
//   F_UNREACHABLE set by move_unreachable on objects it moves to U; cleared when
//                 an object is rescued, and on all of U by move_legacy_finalizers.
//   gc_refs       refcnt minus references from inside the examined list, i.e.
//                 the references from outside; meaningless between collections.

import { F_COLLECTING, F_UNREACHABLE, NIL, SIM_DEBUG, T_DICT, T_TUPLE } from "../common";
import {
  clearFlag, edgeLen, edgeStart, flags, gcNext, gcRefs, refcnt, setFlags, setGcRefs, typeOf,
} from "../heap";
import { gcListMove } from "../gclist";
import { refAt, word } from "../edges";
import { dictMaybeUntrack, tupleMaybeUntrack } from "../tracking";
import { untrackTuplesInScan } from "../profile";

/** Objects examined by the collector since start-up (the lab's work unit). */
export let examined: f64 = 0;

/** update_refs: gc_refs = refcnt and COLLECTING on every object of the list. */
export function updateRefs(head: u32): void {
  let n: u32 = 0;
  for (let x = gcNext(head); x != head; x = gcNext(x)) {
    if (SIM_DEBUG) assert(refcnt(x) > 0); // a tracked object with refcount 0 is a bug
    setGcRefs(x, refcnt(x));
    setFlags(x, flags(x) | F_COLLECTING);
    n++;
  }
  examined += <f64>n;
}

/** subtract_refs: each reference from inside the list lowers its target's gc_refs. */
export function subtractRefs(head: u32): void {
  for (let x = gcNext(head); x != head; x = gcNext(x)) {
    let s = edgeStart(x), n = edgeLen(x);
    for (let i: u32 = 0; i < n; i++) {
      let r = word(s + i);
      if (r != NIL && (flags(r) & F_COLLECTING) != 0) {
        let g = gcRefs(r) - 1;
        if (SIM_DEBUG) assert(g >= 0); // refcount too small for the references that exist
        setGcRefs(r, g);
      }
    }
  }
}

/** visit_reachable: a referent of a reachable object is reachable too. */
// @ts-ignore: decorator
@inline function visitReachable(r: u32, young: u32): void {
  let f = flags(r);
  if ((f & F_COLLECTING) == 0) return; // other list, untracked, or already scanned
  if ((f & F_UNREACHABLE) != 0) {
    // judged unreachable earlier: back to young's tail, the cursor will reach it
    setFlags(r, f & ~F_UNREACHABLE);
    gcListMove(r, young);
    setGcRefs(r, 1);
  } else if (gcRefs(r) == 0) {
    setGcRefs(r, 1);
  }
}

/**
 * move_unreachable: a cursor walks young from the head; objects with gc_refs > 0
 * are reachable and make their referents reachable (in traversal order), the
 * others move to the tail of `unreachable` until something rescues them.
 * Afterwards young holds the reachable objects, COLLECTING clear; U holds the
 * unreachable ones with COLLECTING and UNREACHABLE set.
 */
export function moveUnreachable(young: u32, unreachable: u32): void {
  let x = gcNext(young);
  while (x != young) {
    if (gcRefs(x) > 0) {
      let t = typeOf(x), s = edgeStart(x), n = edgeLen(x);
      for (let k: u32 = 0; k < n; k++) {
        let r = refAt(t, s, n, k);
        if (r != NIL) visitReachable(r, young);
      }
      clearFlag(x, F_COLLECTING);
      let next = gcNext(x);
      // ≤3.7 untracked tuples right here, after traversing them
      if (untrackTuplesInScan && t == T_TUPLE) tupleMaybeUntrack(x);
      x = next;
    } else {
      let next = gcNext(x);
      gcListMove(x, unreachable);
      setFlags(x, flags(x) | F_UNREACHABLE);
      x = next;
    }
  }
}

/** deduce_unreachable: update_refs, subtract_refs, move_unreachable. */
export function deduceUnreachable(young: u32, unreachable: u32): void {
  updateRefs(young);
  subtractRefs(young);
  moveUnreachable(young, unreachable);
}

/** untrack_tuples (3.8+): survivors whose items cannot be tracked leave the lists. */
export function untrackTuples(head: u32): void {
  let x = gcNext(head);
  while (x != head) {
    let next = gcNext(x);
    if (typeOf(x) == T_TUPLE) tupleMaybeUntrack(x);
    x = next;
  }
}

/** untrack_dicts: only full collections untrack dicts (issue #14775). */
export function untrackDicts(head: u32): void {
  let x = gcNext(head);
  while (x != head) {
    let next = gcNext(x);
    if (typeOf(x) == T_DICT) dictMaybeUntrack(x);
    x = next;
  }
}

/** Clears COLLECTING on every member (gc_list_clear_collecting). */
export function clearCollecting(head: u32): void {
  for (let x = gcNext(head); x != head; x = gcNext(x)) clearFlag(x, F_COLLECTING);
}

/** Clears UNREACHABLE on every member (clear_unreachable_mask). */
export function clearUnreachableMask(head: u32): void {
  for (let x = gcNext(head); x != head; x = gcNext(x)) clearFlag(x, F_UNREACHABLE);
}

