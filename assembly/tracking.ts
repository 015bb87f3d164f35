// Tracking rules: which GC-capable objects sit in a generation list, and the
// two untracking optimisations (tuples by every collection, dicts by full ones).

import { ATOM, GEN0, NIL, T_DICT, T_TUPLE } from "./common";
import { edgeLen, edgeStart, isGcType, isTracked, typeOf } from "./heap";
import { gcListAppend, gcListRemove } from "./gclist";
import { word } from "./edges";

/** _PyObject_GC_TRACK: appended at the tail of generation 0. */
export function track(x: u32): void {
  if (!isTracked(x)) gcListAppend(x, GEN0);
}

/** _PyObject_GC_UNTRACK: unlinked from whatever list holds it. */
export function untrack(x: u32): void {
  if (isTracked(x)) gcListRemove(x);
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

/** _PyTuple_MaybeUntrack: untrack a tuple none of whose items may be tracked. */
export function tupleMaybeUntrack(x: u32): void {
  if (typeOf(x) == T_TUPLE && isTracked(x) && !anyMayBeTracked(x)) gcListRemove(x);
}

/** _PyDict_MaybeUntrack: untrack a dict none of whose values may be tracked. */
export function dictMaybeUntrack(x: u32): void {
  if (typeOf(x) == T_DICT && isTracked(x) && !anyMayBeTracked(x)) gcListRemove(x);
}

/** A tuple at creation: tracked unless the profile untracks tuples of atoms at once. */
export function tupleNeedsTracking(x: u32, onlyIfNeeded: bool): bool {
  return !onlyIfNeeded || anyMayBeTracked(x);
}
