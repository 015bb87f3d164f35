// delete_garbage's fast path. Clearing the final garbage one object at a time
// (tp_clear, then the refcount cascades) is what CPython does, and its order
// matters only through what the cascades make observable: finalizers and
// weakref callbacks of objects that die. Members of the final garbage are
// silent when they die — their finalizers already ran (FINALIZED), their
// weakrefs are already cleared — so when no object *outside* the garbage dies
// with it (other than atoms, which are silent too), the result does not
// depend on the order: every member is freed, and each outside object loses
// exactly the references the garbage held. Then the whole set is freed in one
// pass over it, with no per-reference cascade.

import { F_IMMORTAL, NIL, T_INT, T_STR, T_WEAKREF } from "../common";
import {
  edgeLen, edgeStart, flags, gcNext, gcWord, refcnt, setGcNext, setGcPrev, setGcWord, setRefcnt,
  typeOf, GC_COLLECTING, GC_UNREACHABLE, liveOfType,
} from "../heap";
import { POOL, word } from "../edges";
import { gcListInit } from "../gclist";
import { clearWeakref, freeObject, releaseMember } from "../refcount";
import { count, setCount, addHeapSize } from "../state";
import { countTracked, resurrection, RESURRECT_PARTIAL } from "../profile";
import { giveToFreeList } from "../freelists";

/** Off only to compare both paths in tests. */
export let quietDelete: bool = true;
export function setQuietDelete(on: bool): void { quietDelete = on; }

// @ts-ignore: decorator
@inline function silentWhenFreed(r: u32): bool {
  let t = typeOf(r);
  return t == T_INT || t == T_STR;
}

/**
 * Frees the final garbage at once if that is unobservable; returns false,
 * changing nothing, when an outside object other than an atom would die with it.
 * Members are marked COLLECTING (3.4–3.8's check_garbage cleared it). An
 * outside referent counts the references the garbage holds to it in its gc
 * word, UNREACHABLE marking a count in progress (outside objects carry no mask).
 */
export function deleteGarbageQuietly(collectable: u32): bool {
  if (resurrection != RESURRECT_PARTIAL) {
    // 3.4–3.8: check_garbage cleared COLLECTING; 3.9+ leaves it set on U'
    for (let x = gcNext(collectable); x != collectable; x = gcNext(x)) setGcWord(x, GC_COLLECTING);
  }
  let anyOutside = false;
  for (let x = gcNext(collectable); x != collectable; x = gcNext(x)) {
    let p = POOL + (<usize>edgeStart(x) << 2), end = p + (<usize>edgeLen(x) << 2);
    for (; p < end; p += 4) {
      let r = load<u32>(p);
      let w = gcWord(r);
      if ((w & GC_COLLECTING) != 0 || r == NIL || (flags(r) & F_IMMORTAL) != 0) continue;
      setGcWord(r, (w & GC_UNREACHABLE) != 0 ? w + 4 : (1 << 2) | GC_UNREACHABLE);
      anyOutside = true;
    }
  }
  if (anyOutside && !dropOutsideReferences(collectable)) return false;
  // free the members: the list goes as a whole; the count and heap_size fall
  // once by the number freed (one untrack and one free each: the same, as
  // count[0] only ever falls here and stops at 0)
  let weakrefs = liveOfType(T_WEAKREF) != 0;
  let n: u32 = 0;
  let x = gcNext(collectable);
  while (x != collectable) {
    let next = gcNext(x);
    setGcNext(x, NIL);
    setGcPrev(x, NIL);
    if (weakrefs && typeOf(x) == T_WEAKREF) clearWeakref(x);
    setGcWord(x, 0);
    // a list, dict or small tuple may stay on its free list: not freed, not counted
    if (!giveToFreeList(typeOf(x), edgeLen(x)) || countTracked) n++; // (3.14.1+: untracked all the same)
    releaseMember(x);
    x = next;
  }
  gcListInit(collectable);
  let c = count(0) - <i32>n;
  setCount(0, c > 0 ? c : 0);
  addHeapSize(-<i32>n);
  return true;
}

/** Each outside referent loses the references the garbage held; false (nothing done) if one would die. */
function dropOutsideReferences(collectable: u32): bool {
  let dies = false;
  for (let x = gcNext(collectable); x != collectable && !dies; x = gcNext(x)) {
    let s = edgeStart(x), n = edgeLen(x);
    for (let i: u32 = 0; i < n; i++) {
      let r = word(s + i);
      let w = gcWord(r);
      if ((w & GC_UNREACHABLE) != 0 && refcnt(r) == (w >> 2) && !silentWhenFreed(r)) { dies = true; break; }
    }
  }
  for (let x = gcNext(collectable); x != collectable; x = gcNext(x)) {
    let s = edgeStart(x), n = edgeLen(x);
    for (let i: u32 = 0; i < n; i++) {
      let r = word(s + i);
      if ((gcWord(r) & GC_UNREACHABLE) == 0) continue;
      if (dies) { setGcWord(r, 0); continue; }
      // the count in the word says how many to drop: drop them all at the first edge
      let k = gcWord(r) >> 2;
      setGcWord(r, 0);
      let c = refcnt(r) - k;
      setRefcnt(r, c);
      if (c == 0) freeObject(r);
    }
  }
  return !dies;
}
