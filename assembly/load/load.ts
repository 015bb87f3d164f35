// Rebuilding a real Python heap from a dump (src/load/): objects with their
// types, sizes and tracked state, their references in traversal order, the
// references from outside the heap that the graph does not explain, and
// their generations. Loading never runs a collection and never counts as
// allocation; every step checks its input first and changes nothing on error.

import { F_CALLBACK, F_FINALIZED, F_HAS_DEL, GEN0, NIL, PERMANENT, T_COUNT, T_FIN, T_OBJ, T_OTHER, T_WEAKREF, genHead } from "../common";
import {
  canAllocate, edgeLen, edgeStart, gcWord, isGcType, isLiveId, isTracked, leaks, refcnt, roots,
  setEdgeLen, setFlag, setGcWord, setLeaks, setRefcnt, setRoots, setSizeOf, setTypeName, takeId, typeOf, weak,
  coldReserve, rootsFit, COL_SIZE, COL_TYPENAME, COL_LEAKS, COL_WEAK, COL_WRNEXT,
} from "../heap";
import { edgeReserve, setWord } from "../edges";
import { gcListAppend, gcListMove } from "../gclist";
import { decref, linkWeakref } from "../refcount";
import {
  E_BAD_ARGUMENT, E_BAD_TYPE, E_NOT_CONTAINER, E_NOT_WEAKREF, E_NOT_WEAKREFABLE, E_NO_OBJECT, E_OUT_OF_MEMORY, OK,
} from "../status";
import { setCount } from "../state";
import { countAdditions } from "../mutate";
import { incremental } from "../profile";
import { setOldSpace, visitedHead, visitedSpace } from "../oldspace";

/** The record or pair that made the last load call fail. */
export let loadBadIndex: u32 = 0;

/**
 * Creates n objects from 4-word records [engine type, type-name index, size,
 * bits (1 has __del__, 2 tracked, 4 finalized)]; writes their ids over the
 * start of the buffer, one word each. Refcounts start at 0. Returns n, or a
 * negated status (E_BAD_TYPE: record loadBadIndex; E_OUT_OF_MEMORY), nothing created.
 */
export function loadObjects(buf: usize, n: u32): i32 {
  for (let i: u32 = 0; i < n; i++) {
    let t = load<u32>(buf + (<usize>i << 4));
    if (t >= T_COUNT) { loadBadIndex = i; return -E_BAD_TYPE; }
  }
  let named = false;
  for (let i: u32 = 0; i < n; i++) named = named || load<u32>(buf + (<usize>i << 4), 4) != 0;
  // a loaded object's size is the dump's; type names only when some object has one
  if (!canAllocate(n) || !coldReserve(COL_SIZE) || (named && !coldReserve(COL_TYPENAME))) return -E_OUT_OF_MEMORY;
  for (let i: u32 = 0; i < n; i++) {
    let r = buf + (<usize>i << 4);
    let t = load<u32>(r), name = load<u32>(r, 4), size = load<u32>(r, 8), bits = load<u32>(r, 12);
    let extra: u32 = 0;
    if ((bits & 1) != 0 && t != T_FIN) extra |= F_HAS_DEL;
    if ((bits & 4) != 0) extra |= F_FINALIZED;
    let x = takeId(t, extra);
    setSizeOf(x, size);
    setTypeName(x, name);
    if ((bits & 2) != 0 && isGcType(t)) gcListAppend(x, GEN0);
    store<u32>(buf + (<usize>i << 2), x);
  }
  return <i32>n;
}

/**
 * m references from (from, to) pairs, appended to each object's references in
 * the order given (its tp_traverse order). Any GC object may hold them (a
 * weakref: its callback). All pairs are checked first. Returns OK or a status
 * (E_NO_OBJECT / E_NOT_CONTAINER: pair loadBadIndex; E_OUT_OF_MEMORY).
 */
export function loadEdges(pairs: usize, m: u32): i32 {
  for (let i: u32 = 0; i < m; i++) {
    let from = load<u32>(pairs + (<usize>i << 3)), to = load<u32>(pairs + (<usize>i << 3), 4);
    if (!isLiveId(from) || !isLiveId(to)) { loadBadIndex = i; return E_NO_OBJECT; }
    // a weakref holds its callback (and a subclass's fields) like tp_traverse says
    if (!isGcType(typeOf(from))) { loadBadIndex = i; return E_NOT_CONTAINER; }
  }
  countAdditions(pairs, m);
  let ok = true;
  for (let i: u32 = 0; i < m; i++) {
    let from = load<u32>(pairs + (<usize>i << 3));
    let k = gcWord(from);
    if (k == 0) continue;
    if (!edgeReserve(from, edgeLen(from) + <u32>k)) { ok = false; }
    setGcWord(from, 0);
  }
  if (!ok) return E_OUT_OF_MEMORY; // slices may have grown; no reference was added
  for (let i: u32 = 0; i < m; i++) {
    let from = load<u32>(pairs + (<usize>i << 3)), to = load<u32>(pairs + (<usize>i << 3), 4);
    let n = edgeLen(from);
    setWord(edgeStart(from) + n, to);
    setEdgeLen(from, n + 1);
    setRefcnt(to, refcnt(to) + 1);
  }
  return OK;
}

/** References from outside the heap that the graph does not explain: bindings and leaks. */
export function setExternal(x: u32, r: u32, l: u32): i32 {
  if (!isLiveId(x)) return E_NO_OBJECT;
  if (!rootsFit(x, r) || (l != 0 && !coldReserve(COL_LEAKS))) return E_OUT_OF_MEMORY;
  setRoots(x, roots(x) + r);
  setLeaks(x, leaks(x) + l);
  setRefcnt(x, refcnt(x) + <i32>(r + l));
  return OK;
}

/** Moves a tracked object to the tail of generation g (0–2; 3 = permanent). */
export function setGeneration(x: u32, g: u32): i32 {
  if (!isLiveId(x)) return E_NO_OBJECT;
  if (g > 3) return E_BAD_ARGUMENT;
  if (!isTracked(x)) return E_BAD_ARGUMENT;
  if (incremental) {
    // 3.14: young objects are not visited yet; old and frozen ones carry the visited bit
    if (g == 0) { gcListMove(x, GEN0); setOldSpace(x, visitedSpace ^ 1); }
    else { gcListMove(x, g == 3 ? PERMANENT : visitedHead()); setOldSpace(x, visitedSpace); }
    return OK;
  }
  gcListMove(x, g == 3 ? PERMANENT : genHead(g));
  return OK;
}

/** A loaded weakref object w now refers weakly to target (with or without a callback). */
export function linkLoadedWeakref(w: u32, target: u32, callback: bool): i32 {
  if (!isLiveId(w) || !isLiveId(target)) return E_NO_OBJECT;
  if (typeOf(w) != T_WEAKREF) return E_NOT_WEAKREF;
  if (weak(w) != NIL) return E_BAD_ARGUMENT;
  let t = typeOf(target);
  if (t != T_OBJ && t != T_FIN && t != T_OTHER) return E_NOT_WEAKREFABLE;
  if (!coldReserve(COL_WEAK) || !coldReserve(COL_WRNEXT)) return E_OUT_OF_MEMORY;
  if (callback) setFlag(w, F_CALLBACK);
  linkWeakref(target, w, callback);
  return OK;
}

/** Releases the loaded objects (ids in the buffer) that nothing refers to: they would not exist. */
export function loadFinish(ids: usize, n: u32): u32 {
  let released: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let x = load<u32>(ids + (<usize>i << 2));
    if (isLiveId(x) && refcnt(x) == 0) {
      setRefcnt(x, 1);
      decref(x);
      released++;
    }
  }
  return released;
}

/** gc.get_count() as the dump recorded it. */
export function setCounts(c0: i32, c1: i32, c2: i32): void {
  setCount(0, c0);
  setCount(1, c1);
  setCount(2, c2);
}

