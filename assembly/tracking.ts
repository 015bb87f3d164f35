// Tracking rules: which GC-capable objects sit in a generation list, and the
// two untracking optimisations (tuples by every collection, dicts by full ones).

import { ATOM, GEN0, NIL, T_DICT, T_TUPLE } from "./common";
import { edgeLen, edgeStart, isGcType, isTracked, typeOf } from "./heap";
import { gcListAppend, gcListRemove } from "./gclist";
import { word } from "./edges";
import { countTracked, incremental } from "./profile";
import { setOldSpace, visitedSpace } from "./oldspace";
import { addHeapSize, count, setCount } from "./state";
import { scheduleIfDue } from "./trigger";

/**
 * _PyObject_GC_TRACK: appended at the tail of generation 0. From 3.14.1 on
 * count[0] and heap_size count tracked objects, so tracking is what counts
 * (and what can schedule a collection).
 */
export function track(x: u32): void {
  if (isTracked(x)) return;
  gcListAppend(x, GEN0);
  if (incremental) setOldSpace(x, visitedSpace ^ 1); // new objects are not visited yet
  if (countTracked) {
    setCount(0, count(0) + 1);
    addHeapSize(1);
    scheduleIfDue();
  }
}

/** _PyObject_GC_UNTRACK: unlinked from whatever list holds it. */
export function untrack(x: u32): void {
  if (!isTracked(x)) return;
  gcListRemove(x);
  countUntrack();
}

/** The accounting of one untrack (3.14.1+ count tracked objects). */
export function countUntrack(): void {
  if (countTracked) {
    let c = count(0);
    if (c > 0) setCount(0, c - 1);
    addHeapSize(-1);
  }
}

/** _PyObject_GC_MAY_BE_TRACKED: GC-capable, and if a tuple, currently tracked. */
export function mayBeTracked(x: u32): bool {
  if (x == NIL || x == ATOM) return false;
  let t = typeOf(x);
  if (!isGcType(t)) return false;
  if (t == T_TUPLE) return isTracked(x);
  return true;
}

function anyMayBeTracked(x: u32): bool {
  let s = edgeStart(x), n = edgeLen(x);
  for (let i: u32 = 0; i < n; i++) if (mayBeTracked(word(s + i))) return true;
  return false;
}

/** _PyTuple_MaybeUntrack: untrack a tuple none of whose items may be tracked. True if it did. */
export function tupleMaybeUntrack(x: u32): bool {
  if (typeOf(x) == T_TUPLE && isTracked(x) && !anyMayBeTracked(x)) { untrack(x); return true; }
  return false;
}

/** _PyDict_MaybeUntrack: untrack a dict none of whose values may be tracked. True if it did. */
export function dictMaybeUntrack(x: u32): bool {
  if (typeOf(x) == T_DICT && isTracked(x) && !anyMayBeTracked(x)) { untrack(x); return true; }
  return false;
}

/**
 * A tuple at creation: tracked, unless the profile (3.14.1+) leaves a tuple
 * whose items are all non-GC objects untracked. Any GC item counts here, even
 * an untracked tuple: such a tuple is tracked and untracked by a collection.
 */
export function tupleNeedsTracking(x: u32, onlyIfNeeded: bool): bool {
  if (!onlyIfNeeded) return true;
  let s = edgeStart(x), n = edgeLen(x);
  for (let i: u32 = 0; i < n; i++) {
    let r = word(s + i);
    if (r != ATOM && isGcType(typeOf(r))) return true;
  }
  return false;
}
