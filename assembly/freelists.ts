// CPython's free lists for the GC types the simulator has: lists and dicts
// (80 each) and tuples of 1–19 items (2,000 per size). A dealloc that finds
// room keeps the object's memory instead of calling PyObject_GC_Del, so
// count[0] does not fall; the next allocation of that kind reuses it without
// _PyObject_GC_Alloc, so count[0] does not rise and no collection is due
// (model doc §C.1, case C14). A full collection empties them at its end
// (_PyGC_ClearAllFreeLists), each entry then really freed; 2.7 keeps its list
// and dict free lists. The free lists only matter where allocations are
// counted (≤3.13, 3.14.0, 3.15); from 3.14.1 count[0] follows tracking.

import { T_DICT, T_LIST, T_TUPLE } from "./common";
import { freeListsOn, freeListsKeptByFullCollection } from "./profile";
import { onGcFree } from "./trigger";

// @ts-ignore: decorator
@inline const LIST_MAX: u32 = 80;      // PyList_MAXFREELIST / Py_lists_MAXFREELIST
// @ts-ignore: decorator
@inline const DICT_MAX: u32 = 80;      // PyDict_MAXFREELIST / Py_dicts_MAXFREELIST
// @ts-ignore: decorator
@inline const TUPLE_MAX: u32 = 2000;   // PyTuple_MAXFREELIST per size
// @ts-ignore: decorator
@inline const TUPLE_SIZES: u32 = 20;   // PyTuple_MAXSAVESIZE: sizes 1 … 19

/** Entries per free list: [0] lists, [1] dicts, [2 + n] tuples of n items. */
const ENTRIES = memory.data(4 * (2 + TUPLE_SIZES));

// @ts-ignore: decorator
@inline function slot(t: u32, n: u32): i32 {
  if (t == T_LIST) return 0;
  if (t == T_DICT) return 1;
  if (t == T_TUPLE && n >= 1 && n < TUPLE_SIZES) return <i32>(2 + n);
  return -1;
}
// @ts-ignore: decorator
@inline function capacity(k: i32): u32 { return k == 0 ? LIST_MAX : k == 1 ? DICT_MAX : TUPLE_MAX; }

export function freeListLength(t: u32, n: u32): u32 {
  let k = slot(t, n);
  return k < 0 ? 0 : load<u32>(ENTRIES + (<usize>k << 2));
}

/** An allocation of type t (n items for a tuple): true when a free list serves it. */
// @ts-ignore: decorator
@inline export function takeFromFreeList(t: u32, n: u32): bool { return moveEntry(t, n, -1); }

/** A dealloc of type t (n items): true when the object stays on a free list. */
// @ts-ignore: decorator
@inline export function giveToFreeList(t: u32, n: u32): bool { return moveEntry(t, n, 1); }

/**
 * One entry off (d = -1) or onto (d = 1) the free list of (t, n), if it has one
 * and room. Inlined: delete_garbage's quiet path asks once per freed object
 * (as a call it cost 1M freed objects ~2 ms).
 */
// @ts-ignore: decorator
@inline function moveEntry(t: u32, n: u32, d: i32): bool {
  if (!freeListsOn) return false;
  let k = slot(t, n);
  if (k < 0) return false;
  let p = ENTRIES + (<usize>k << 2);
  let e = <i32>load<u32>(p) + d;
  if (e < 0 || e > <i32>capacity(k)) return false;
  store<u32>(p, <u32>e);
  return true;
}

/** What a full collection empties: the number of entries really freed now. */
export function clearFreeLists(): u32 {
  let freed: u32 = 0;
  for (let k: u32 = 0; k < 2 + TUPLE_SIZES; k++) {
    if (k < 2 && freeListsKeptByFullCollection) continue;
    let p = ENTRIES + (<usize>k << 2);
    freed += load<u32>(p);
    store<u32>(p, 0);
  }
  return freed;
}

/** _PyGC_ClearAllFreeLists at the end of a full collection: each entry is freed for real. */
export function emptyFreeLists(): void {
  let n = clearFreeLists();
  for (let i: u32 = 0; i < n; i++) onGcFree();
}
