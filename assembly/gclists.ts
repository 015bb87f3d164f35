// gc.garbage and the resurrection list are ordinary Python lists: the gc
// module (and the conformance runner) own them, and like every object made at
// interpreter start-up they are tracked in the oldest generation. That is
// invisible until gc.freeze()/gc.unfreeze() move younger objects ahead of them:
// a full collection then reaches those objects only through the lists and
// re-appends them in list_traverse order, last item first
// (unfreeze_reorders_old_lists). So they are real list objects here, ids 14
// and 15, whose edge slices are the lists' items; ids from firstUserId on are the user's.

import { FIRST_OBJECT, GARBAGE_LIST, RESURRECTED_LIST, T_LIST, GEN2 } from "./common";
import { edgeLen, edgeStart, setEdgeLen, setRefcnt, setRoots, takeId, uncountLive } from "./heap";
import { edgeReserve, POOL, setWord, word } from "./edges";
import { gcListAppend } from "./gclist";

export const GARBAGE: u32 = GARBAGE_LIST;
export const RESURRECTED: u32 = RESURRECTED_LIST;

// @ts-ignore: decorator
@inline export function idListLen(l: u32): u32 { return edgeLen(l); }
// @ts-ignore: decorator
@inline export function idListGet(l: u32, i: u32): u32 { return word(edgeStart(l) + i); }
/** Address of the items (valid until the list next grows). */
export function idListData(l: u32): usize { return POOL + (<usize>edgeStart(l) << 2); }

/** Appends x (the caller adds the reference); false when memory cannot grow. */
export function idListPush(l: u32, x: u32): bool {
  let n = edgeLen(l);
  if (!edgeReserve(l, n + 1)) return false;
  setWord(edgeStart(l) + n, x);
  setEdgeLen(l, n + 1);
  return true;
}

/** Removes the item at i, keeping the order of the rest (the caller drops the reference). */
export function idListRemoveAt(l: u32, i: u32): u32 {
  let s = edgeStart(l), n = edgeLen(l);
  let x = word(s + i);
  memory.copy(POOL + (<usize>(s + i) << 2), POOL + (<usize>(s + i + 1) << 2), <usize>(n - i - 1) << 2);
  setEdgeLen(l, n - 1);
  return x;
}

/** Index of the first occurrence of x, or -1. */
export function idListFind(l: u32, x: u32): i32 {
  let s = edgeStart(l), n = edgeLen(l);
  for (let i: u32 = 0; i < n; i++) if (word(s + i) == x) return <i32>i;
  return -1;
}

/** Creates both lists (the first objects of a heap): bound, tracked, in generation 2. */
export function createGcLists(): void {
  for (let i: u32 = 0; i < 2; i++) {
    let x = takeId(T_LIST, 0);
    assert(x == FIRST_OBJECT + i);
    setRefcnt(x, 1);
    setRoots(x, 1);
    uncountLive(x);
    gcListAppend(x, GEN2);
  }
}
