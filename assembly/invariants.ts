// The whole-heap check (debug builds and tests run it after every operation):
// list integrity, no collection masks between collections, every tracked
// object in exactly one generation, references to live objects only, weakref
// lists consistent, and every refcount explained by the references that exist.
// Returns 0, or the number of the violated rule; invariantBadId names the object.

import {
  ATOM, EMPTY_TUPLE, F_ALLOCATED, F_IMMORTAL, FINALIZERS, FINAL_UNREACHABLE,
  FIRST_OBJECT, GEN0, GEN2, NIL, PERMANENT, SEEN, T_DICT, T_FIN, T_OBJ, T_OTHER, T_WEAKREF, UNREACHABLE,
  WRCB_TO_CALL,
} from "./common";
import {
  edgeLen, edgeStart, flags, gcNext, gcPrev, gcWord, leaks, nextFresh, refcnt, roots,
  setGcWord, typeOf, weak, wrNext, isTracked, isGcType,
} from "./heap";
import { word } from "./edges";
import { gcListIsEmpty } from "./gclist";
import { count } from "./state";
import { releaseIsIdle } from "./refcount";
import { mayBeTracked } from "./tracking";

export let invariantBadId: u32 = 0;

// @ts-ignore: decorator
@inline function weakrefable(t: u32): bool { return t == T_OBJ || t == T_FIN || t == T_OTHER; }

function fail(rule: i32, x: u32): i32 {
  invariantBadId = x;
  return rule;
}

// @ts-ignore: decorator
@inline function live(x: u32): bool { return (flags(x) & F_ALLOCATED) != 0; }

export function checkInvariants(): i32 {
  if (!releaseIsIdle()) return fail(1, 0);
  if (count(0) < 0) return fail(2, 0);
  // the collector's temporary lists are empty between collections
  if (!gcListIsEmpty(UNREACHABLE)) return fail(3, UNREACHABLE);
  if (!gcListIsEmpty(FINALIZERS)) return fail(3, FINALIZERS);
  if (!gcListIsEmpty(WRCB_TO_CALL)) return fail(3, WRCB_TO_CALL);
  if (!gcListIsEmpty(SEEN)) return fail(3, SEEN);
  if (!gcListIsEmpty(FINAL_UNREACHABLE)) return fail(3, FINAL_UNREACHABLE);
  // generation lists
  let listed: u32 = 0;
  for (let h = GEN0; h <= PERMANENT; h++) {
    let prev = h;
    for (let x = gcNext(h); x != h; x = gcNext(x)) {
      if (x < FIRST_OBJECT || x >= nextFresh) return fail(4, x);
      if (gcPrev(x) != prev) return fail(5, x);
      if (!live(x)) return fail(6, x);
      if (refcnt(x) <= 0) return fail(7, x);
      if ((gcWord(x) & 3) != 0) return fail(8, x); // no collection mask between collections
      if (!isGcType(typeOf(x))) return fail(9, x);
      prev = x;
      if (++listed > nextFresh) return fail(10, h);
    }
    if (gcPrev(h) != prev) return fail(5, h);
  }
  // every tracked object was listed; expected refcounts accumulate in the gc word
  let tracked: u32 = 0;
  for (let x = FIRST_OBJECT; x < nextFresh; x++) {
    if (!live(x)) continue;
    if (isTracked(x)) tracked++;
    if ((gcWord(x) & 3) != 0) return fail(8, x);
    setGcWord(x, <i32>(roots(x) + leaks(x)));
  }
  if (tracked != listed) return fail(11, 0);
  for (let x = FIRST_OBJECT; x < nextFresh; x++) {
    if (!live(x)) continue;
    let t = typeOf(x);
    if (t == T_WEAKREF) {
      // its references (a loaded weakref's callback) count like any object's below
      let target = weak(x);
      if (target != NIL && (!live(target) || !weakrefable(typeOf(target)))) return fail(12, x);
    }
    let s = edgeStart(x), n = edgeLen(x);
    let needsTracking = false;
    for (let i: u32 = 0; i < n; i++) {
      let r = word(s + i);
      if (r == NIL) continue;
      if (r == ATOM || r == EMPTY_TUPLE) continue;
      if (r >= nextFresh || !live(r)) return fail(13, x);
      setGcWord(r, gcWord(r) + 1);
      if (mayBeTracked(r)) needsTracking = true;
    }
    if (t == T_DICT && needsTracking && !isTracked(x)) return fail(14, x);
    if (weakrefable(t)) {
      // weakref list: links agree and point back at x
      let guard: u32 = 0;
      for (let w = weak(x); w != NIL; w = wrNext(w)) {
        if (!live(w) || typeOf(w) != T_WEAKREF || weak(w) != x || ++guard > nextFresh) return fail(15, x);
      }
    }
  }
  for (let x = FIRST_OBJECT; x < nextFresh; x++) {
    if (!live(x) || (flags(x) & F_IMMORTAL) != 0) continue;
    if (gcWord(x) != refcnt(x)) return fail(16, x);
    if (refcnt(x) <= 0) return fail(17, x);
    setGcWord(x, 0);
  }
  return 0;
}
