// Building and changing the heap: new objects, references, root bindings,
// leaks and weakrefs. Every operation either completes or returns a status
// with the heap unchanged: checks and memory reservations come first.

import {
  EMPTY_TUPLE, F_CALLBACK, F_RESURRECT, NIL, NSLOTS, T_DICT, T_FIN, T_INT, T_LIST, T_OTHER, T_STR,
  T_TUPLE, T_WEAKREF,
} from "./common";
import {
  canAllocate, edgeLen, edgeStart, isGcType, isInstanceType, isLiveId, isTracked, leaks,
  roots, setEdgeLen, setLeaks, setRefcnt, setRoots, takeId, typeOf, weak, hasFlag,
  isImmortal, gcWord, setGcWord, itemsResized, defaultSize, coldReserve, rootsFit, COL_LEAKS, COL_WEAK, COL_WRNEXT,
} from "./heap";
import { edgeReserve, poolEnsure, poolEnsureSmall, setWord, word } from "./edges";
import { mayBeTracked, track, tupleNeedsTracking } from "./tracking";
import { decref, incref, linkWeakref } from "./refcount";
import { onGcAllocation, statementEnd } from "./trigger";
import { takeFromFreeList } from "./freelists";
import { dictsAlwaysTracked, tuplesTrackedIfNeeded } from "./profile";
import {
  E_BAD_TYPE, E_BASIC_WEAKREF_EXISTS, E_NOT_BOUND, E_NOT_CONTAINER, E_NOT_WEAKREFABLE,
  E_NO_OBJECT, E_NO_SUCH_REF, E_OUT_OF_MEMORY, E_SLOTS_FULL, OK, E_BAD_ARGUMENT, E_NOT_WEAKREF,
} from "./status";

// @ts-ignore: decorator
@inline export function isContainerType(t: u32): bool { return t <= T_DICT || t == T_OTHER; }

/** Slots of an instance that hold a reference. */
function usedSlots(x: u32): u32 {
  let s = edgeStart(x), n = edgeLen(x), used: u32 = 0;
  for (let i: u32 = 0; i < n; i++) if (word(s + i) != NIL) used++;
  return used;
}

/**
 * Allocates a new object of type t with one reference (its root binding, or a
 * temporary one the caller hands on). GC types count as an allocation first,
 * which may run an automatic collection before the object exists.
 */
/**
 * Heap operations applied since start-up: objects made, references stored
 * and removed, bindings made and dropped, references leaked — the
 * statements a workload simulated (what the lab's throughput counts), not
 * what the collector or a release cascade did in consequence.
 */
export let operations: f64 = 0;

export function allocate(t: u32, extra: u32, items: u32 = 0): u32 {
  operations++;
  if (isGcType(t) && !takeFromFreeList(t, items)) onGcAllocation(defaultSize(t));
  let x = takeId(t, extra);
  setRefcnt(x, 1);
  // instances, lists and weakrefs are tracked from birth; dicts lazily (≤3.13)
  if (isInstanceType(t) || t == T_LIST || t == T_WEAKREF || (t == T_DICT && dictsAlwaysTracked)) {
    track(x);
  }
  return x;
}

/** A new bound object (obj, fin, list, dict, int, str). */
export function newBound(t: u32, resurrect: bool): i32 {
  if (t > T_DICT && t != T_INT && t != T_STR) return -E_BAD_TYPE;
  if (!canAllocate(1)) return -E_OUT_OF_MEMORY;
  let x = allocate(t, resurrect && t == T_FIN ? F_RESURRECT : 0);
  setRoots(x, 1);
  return <i32>x;
}

/** Stores one more reference from `from` to `to` (room reserved by the caller). */
function linkUnchecked(from: u32, to: u32): void {
  let t = typeOf(from);
  let s = edgeStart(from), n = edgeLen(from);
  let placed = false;
  if (isInstanceType(t)) {
    // setattr on the lowest-numbered slot holding None
    for (let i: u32 = 0; i < n; i++) {
      if (word(s + i) == NIL) { setWord(s + i, to); placed = true; break; }
    }
  }
  if (!placed) {
    setWord(s + n, to);
    setEdgeLen(from, n + 1);
  }
  incref(to);
  operations++;
  if (t == T_LIST || t == T_DICT) itemsResized(from, 1); // one more item pointer
  if (t == T_DICT && !isTracked(from) && mayBeTracked(to)) track(from); // MAINTAIN_TRACKING
}

/** Why `from` cannot take `add` more references, or OK. */
function checkLink(from: u32, add: u32): i32 {
  let t = typeOf(from);
  if (!isContainerType(t)) return E_NOT_CONTAINER;
  if (isInstanceType(t) && usedSlots(from) + add > NSLOTS) return E_SLOTS_FULL;
  return OK;
}

/** Room for `add` more references in from's slice (instances may reuse empty slots). */
function reserveLink(from: u32, add: u32): bool {
  return edgeReserve(from, edgeLen(from) + add);
}

export function addRef(from: u32, to: u32): i32 {
  if (!isLiveId(from) || !isLiveId(to)) return E_NO_OBJECT;
  let e = checkLink(from, 1);
  if (e != OK) return e;
  if (!reserveLink(from, 1)) return E_OUT_OF_MEMORY;
  linkUnchecked(from, to);
  return OK;
}

/**
 * n (from, to) pairs from the exchange buffer. All are checked before any is
 * applied; the per-object additions are counted in the gc word, which is
 * free between collections.
 */
export function addRefs(pairs: usize, n: u32): i32 {
  for (let i: u32 = 0; i < n; i++) {
    let from = load<u32>(pairs + (<usize>i << 3)), to = load<u32>(pairs + (<usize>i << 3), 4);
    if (!isLiveId(from) || !isLiveId(to)) { lastFailedIndex = i; return E_NO_OBJECT; }
    if (!isContainerType(typeOf(from))) { lastFailedIndex = i; return E_NOT_CONTAINER; }
  }
  countAdditions(pairs, n);
  let status: i32 = OK;
  let failedAt: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let from = load<u32>(pairs + (<usize>i << 3));
    let a = added(from);
    if (a == 0) continue; // already reserved
    if (isInstanceType(typeOf(from)) && usedSlots(from) + <u32>a > NSLOTS) { status = E_SLOTS_FULL; failedAt = i; break; }
    if (!reserveLink(from, <u32>a)) { status = E_OUT_OF_MEMORY; failedAt = i; break; }
    setAdded(from, 0);
  }
  if (status != OK) {
    clearAdditions(pairs, n);
    lastFailedIndex = failedAt;
    return status;
  }
  for (let i: u32 = 0; i < n; i++) {
    linkUnchecked(load<u32>(pairs + (<usize>i << 3)), load<u32>(pairs + (<usize>i << 3), 4));
    statementEnd();
  }
  return OK;
}

/**
 * Counts, in the gc word of each source of n (from, to) pairs, how many
 * references the batch adds to it (the word is free between collections;
 * callers zero it again with clearAdditions or as they reserve).
 */
export function countAdditions(pairs: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) setAdded(load<u32>(pairs + (<usize>i << 3)), 0);
  for (let i: u32 = 0; i < n; i++) {
    let from = load<u32>(pairs + (<usize>i << 3));
    setAdded(from, added(from) + 1);
  }
}

export function clearAdditions(pairs: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) setAdded(load<u32>(pairs + (<usize>i << 3)), 0);
}

/** Index of the element (pair, id) that made the last refused batch call fail (addRefs, unbindMany). */
export let lastFailedIndex: u32 = 0;

// @ts-ignore: decorator
@inline function added(x: u32): i32 { return gcWord(x); }
// @ts-ignore: decorator
@inline function setAdded(x: u32, v: i32): void { setGcWord(x, v); }

/**
 * Removes one reference: an instance's highest-numbered slot holding `to`
 * becomes None; a list or dict loses its last entry holding `to`.
 */
export function removeRef(from: u32, to: u32): i32 {
  if (!isLiveId(from)) return E_NO_OBJECT;
  let t = typeOf(from);
  if (!isContainerType(t)) return E_NOT_CONTAINER;
  let s = edgeStart(from), n = edgeLen(from);
  let i: i32 = <i32>n - 1;
  while (i >= 0 && word(s + <u32>i) != to) i--;
  if (i < 0 || to == NIL) return E_NO_SUCH_REF;
  if (isInstanceType(t)) {
    setWord(s + <u32>i, NIL);
    let m = n;
    while (m > 0 && word(s + m - 1) == NIL) m--;
    setEdgeLen(from, m);
  } else {
    for (let k = <u32>i; k + 1 < n; k++) setWord(s + k, word(s + k + 1));
    setEdgeLen(from, n - 1);
    if (t == T_LIST || t == T_DICT) itemsResized(from, -1);
  }
  operations++;
  decref(to);
  return OK;
}

export function bind(x: u32): i32 {
  if (!isLiveId(x)) return E_NO_OBJECT;
  if (isImmortal(x)) return OK;
  if (!rootsFit(x, 1)) return E_OUT_OF_MEMORY;
  setRoots(x, roots(x) + 1);
  operations++;
  incref(x);
  return OK;
}

export function unbind(x: u32): i32 {
  if (!isLiveId(x)) return E_NO_OBJECT;
  if (isImmortal(x)) return OK;
  if (roots(x) == 0) return E_NOT_BOUND;
  setRoots(x, roots(x) - 1);
  operations++;
  decref(x);
  return OK;
}

/**
 * Drops one root binding of each of n ids, in order. All are checked first:
 * an id listed k times must have k bindings (counted in the gc word).
 * Returns OK, or E_NO_OBJECT / E_NOT_BOUND with lastFailedIndex at the first
 * id that is dead or not bound often enough (nothing changed then).
 */
export function unbindMany(ids: usize, n: u32): i32 {
  for (let i: u32 = 0; i < n; i++) {
    let x = load<u32>(ids + (<usize>i << 2));
    if (!isLiveId(x)) { lastFailedIndex = i; return E_NO_OBJECT; }
    setAdded(x, 0);
  }
  let bad = false;
  for (let i: u32 = 0; i < n; i++) {
    let x = load<u32>(ids + (<usize>i << 2));
    let k = added(x) + 1;
    setAdded(x, k);
    if (!isImmortal(x) && <u32>k > roots(x) && !bad) { bad = true; lastFailedIndex = i; }
  }
  for (let i: u32 = 0; i < n; i++) setAdded(load<u32>(ids + (<usize>i << 2)), 0);
  if (bad) return E_NOT_BOUND;
  for (let i: u32 = 0; i < n; i++) {
    unbind(load<u32>(ids + (<usize>i << 2)));
    statementEnd();
  }
  return OK;
}

/** A reference leaked by a buggy C extension: counted, never traversed, never dropped. */
export function leak(x: u32): i32 {
  if (!isLiveId(x)) return E_NO_OBJECT;
  if (isImmortal(x)) return OK;
  if (!coldReserve(COL_LEAKS)) return E_OUT_OF_MEMORY;
  setLeaks(x, leaks(x) + 1);
  operations++;
  incref(x);
  return OK;
}

/**
 * tuple(items): items (ids, ATOM for int literals) are in the exchange buffer.
 * The empty tuple is the shared singleton. Bound to a root.
 */
export function newTuple(items: usize, n: u32): i32 {
  if (n == 0) return <i32>EMPTY_TUPLE;
  for (let i: u32 = 0; i < n; i++) if (!isLiveId(load<u32>(items + (<usize>i << 2)))) return -E_NO_OBJECT;
  if (!canAllocate(1) || !poolEnsure(n + 4)) return -E_OUT_OF_MEMORY;
  // the caller's references keep the items alive through a collection the allocation may run
  for (let i: u32 = 0; i < n; i++) incref(load<u32>(items + (<usize>i << 2)));
  let x = allocate(T_TUPLE, 0, n);
  edgeReserve(x, n);
  let s = edgeStart(x);
  for (let i: u32 = 0; i < n; i++) setWord(s + i, load<u32>(items + (<usize>i << 2)));
  setEdgeLen(x, n);
  itemsResized(x, <i32>n);
  if (tupleNeedsTracking(x, tuplesTrackedIfNeeded)) track(x);
  setRoots(x, 1);
  return <i32>x;
}

/** weakref.ref(target[, callback]), bound to a root. */
export function newWeakref(target: u32, callback: bool): i32 {
  if (!isLiveId(target)) return -E_NO_OBJECT;
  if (!isInstanceType(typeOf(target))) return -E_NOT_WEAKREFABLE;
  let head = weak(target);
  if (!callback && head != NIL && !hasFlag(head, F_CALLBACK)) return -E_BASIC_WEAKREF_EXISTS;
  if (!canAllocate(1) || !coldReserve(COL_WEAK) || !coldReserve(COL_WRNEXT)) return -E_OUT_OF_MEMORY;
  incref(target);
  let w = allocate(T_WEAKREF, callback ? F_CALLBACK : 0);
  linkWeakref(target, w, callback);
  setRoots(w, 1);
  decref(target);
  return <i32>w;
}

export function derefWeakref(w: u32): i32 {
  if (!isLiveId(w)) return -E_NO_OBJECT;
  if (typeOf(w) != T_WEAKREF) return -E_NOT_WEAKREF;
  return <i32>weak(w);
}

/**
 * The scenario's chain: `length` new objects, each referring to the next; the
 * last refers to `to` (NIL: nothing; the head itself for a ring). Members are
 * created and linked head first; tuples are built tail first. Only the head is
 * bound. Member ids are written to the exchange buffer, head first.
 */
export function chain(t: u32, length: u32, to: u32, ring: bool, out: usize): i32 {
  if (length == 0) return -E_BAD_ARGUMENT;
  if (t > T_TUPLE) return -E_BAD_TYPE;
  if (to != NIL && !isLiveId(to)) return -E_NO_OBJECT;
  if (ring && t == T_TUPLE) return -E_BAD_ARGUMENT;
  if (!canAllocate(length) || !poolEnsureSmall(<u64>length + 1)) return -E_OUT_OF_MEMORY;
  if (t == T_TUPLE) {
    // built from the tail: the tail is (to,) or the () singleton
    let cur: u32;
    let k: i32 = <i32>length - 1;
    if (to != NIL) {
      incref(to);
      cur = allocate(T_TUPLE, 0, 1);
      edgeReserve(cur, 1);
      setWord(edgeStart(cur), to);
      setEdgeLen(cur, 1);
      itemsResized(cur, 1);
      if (tupleNeedsTracking(cur, tuplesTrackedIfNeeded)) track(cur);
    } else {
      cur = EMPTY_TUPLE;
    }
    store<u32>(out + (<usize>k << 2), cur);
    for (k = k - 1; k >= 0; k--) {
      let tup = allocate(T_TUPLE, 0, 1); // cur is held by our temporary reference
      edgeReserve(tup, 1);
      setWord(edgeStart(tup), cur);  // the temporary reference becomes the item
      setEdgeLen(tup, 1);
      itemsResized(tup, 1);
      if (tupleNeedsTracking(tup, tuplesTrackedIfNeeded)) track(tup);
      store<u32>(out + (<usize>k << 2), tup);
      cur = tup;
    }
    if (cur != EMPTY_TUPLE) setRoots(cur, 1);
    return <i32>length;
  }
  // obj, fin, list, dict: each member held by a temporary reference while linking
  if (to != NIL) incref(to);
  for (let k: u32 = 0; k < length; k++) {
    let x = allocate(t, 0);
    store<u32>(out + (<usize>k << 2), x);
  }
  for (let k: u32 = 0; k + 1 < length; k++) {
    let x = load<u32>(out + (<usize>k << 2));
    edgeReserve(x, 1);
    linkUnchecked(x, load<u32>(out + (<usize>(k + 1) << 2)));
  }
  let last = load<u32>(out + (<usize>(length - 1) << 2));
  let head = load<u32>(out);
  let target = ring ? head : to;
  if (target != NIL) {
    edgeReserve(last, 1);
    linkUnchecked(last, target);
  }
  if (to != NIL) decref(to);
  setRoots(head, 1);
  for (let k: u32 = 1; k < length; k++) decref(load<u32>(out + (<usize>k << 2)));
  return <i32>length;
}

/** n new bound objects of one type; their ids go to `out`. */
export function newMany(t: u32, n: u32, resurrect: bool, out: usize): i32 {
  if (t > T_DICT && t != T_INT && t != T_STR) return -E_BAD_TYPE;
  if (!canAllocate(n)) return -E_OUT_OF_MEMORY;
  let extra = resurrect && t == T_FIN ? F_RESURRECT : 0;
  for (let i: u32 = 0; i < n; i++) {
    let x = allocate(t, extra);
    setRoots(x, 1);
    store<u32>(out + (<usize>i << 2), x);
    statementEnd();
  }
  return <i32>n;
}


/** A reference handed over from a list (gc.garbage, resurrected) to a root binding. */
export function adoptAsRoot(x: u32): void { setRoots(x, roots(x) + 1); }
