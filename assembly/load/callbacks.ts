// Self-removing weakref callbacks of a loaded heap. The standard library's
// weak containers (WeakSet, WeakKeyDictionary, WeakValueDictionary, the ABC
// caches) give each weakref a callback that removes the weakref (and its
// dict entry's other half) from the container's set or dict once the
// referent dies; CPython counts a weakref freed that way (handle_weakrefs).
// The engine cannot run a callback's body, so the dumper records what it
// would do ("removes": the container and the objects it stops referring to)
// and the callback's event applies it here: one reference from the container
// to each goes. A container in the garbage does nothing (its owner's selfref
// was cleared first). The table is built once by the loader.
//
// The same table holds the references a finalizer drops (kind 1): on 3.4–3.10
// closing a suspended generator (its tp_finalize) releases its frame object,
// so the frame and what only it held are freed by reference counting while
// finalize_garbage runs (3.7+ then do not count them).

import { F_SELF_REMOVING, T_DICT, T_OTHER } from "../common";
import { clearFlag, edgeLen, edgeStart, gcIsCollecting, hasFlag, isLiveId, serial, setEdgeLen, setFlag, typeOf } from "../heap";
import { arenaAlloc, arenaFree } from "../arena";
import { setWord, word } from "../edges";
import { E_BAD_ARGUMENT, E_NOT_WEAKREF, E_NO_OBJECT, E_OUT_OF_MEMORY, OK } from "../status";
import { T_WEAKREF } from "../common";

let table: usize = 0;      // n (w, offset) pairs sorted by w, then the payload words
let tableBytes: usize = 0;
let entries: u32 = 0;
export let removalBadIndex: u32 = 0;

/**
 * Installs the table from the exchange buffer: n pairs (weakref id, payload
 * offset) in increasing id order, then `words` payload words; each record is
 * [container, container serial, k | kind << 31, target 1, its serial, …, target k, its serial]:
 * kind 0, a weakref's callback removes (the key is a weakref); kind 1, the
 * key's finalizer drops its own references (the container is the key).
 * Everything is checked first; returns OK or a status (nothing changed).
 */
export function setRemovals(buf: usize, n: u32, words: u32): i32 {
  let payload = buf + (<usize>n << 3);
  for (let i: u32 = 0; i < n; i++) {
    let w = load<u32>(buf + (<usize>i << 3)), off = load<u32>(buf + (<usize>i << 3), 4);
    removalBadIndex = i;
    if (!isLiveId(w)) return E_NO_OBJECT;
    if (<u64>off + 3 > <u64>words) return E_BAD_ARGUMENT;
    let kk = load<u32>(payload + (<usize>(off + 2) << 2));
    if ((kk >> 31) == 0 && typeOf(w) != T_WEAKREF) return E_NOT_WEAKREF;
    if (i > 0 && load<u32>(buf + (<usize>(i - 1) << 3)) >= w) return E_BAD_ARGUMENT;
    if (<u64>off + 3 > <u64>words) return E_BAD_ARGUMENT;
    let k = kk & 0x7FFFFFFF;
    if (<u64>off + 3 + 2 * <u64>k > <u64>words) return E_BAD_ARGUMENT;
  }
  let bytes = (<usize>n << 3) + (<usize>words << 2);
  let p: usize = 0;
  if (bytes > 0) {
    p = arenaAlloc(bytes);
    if (p == 0) return E_OUT_OF_MEMORY;
    memory.copy(p, buf, bytes);
  }
  if (table != 0) arenaFree(table, tableBytes);
  table = p;
  tableBytes = bytes;
  entries = n;
  for (let i: u32 = 0; i < n; i++) setFlag(load<u32>(p + (<usize>i << 3)), F_SELF_REMOVING);
  return OK;
}

/** Whether w's callback, when it runs, removes w from a loaded container. */
export function selfRemoving(w: u32): bool {
  return hasFlag(w, F_SELF_REMOVING);
}

// `decref` is passed in: refcounting sits below this file's callers and
// calls it too (a weakref cleared on release), so importing it would close a cycle.

/** The callback of w has run: the container drops its references (the weakref, its entry's other half). */
export function runSelfRemoval(w: u32, decref: (x: u32) => void): void {
  apply(w, 0, decref);
}

/** x's finalizer has run (finalize_garbage): it drops the references recorded for it. */
export function runFinalizerDrops(x: u32, decref: (x: u32) => void): void {
  apply(x, 1, decref);
}

function apply(w: u32, kind: u32, decref: (x: u32) => void): void {
  if (!hasFlag(w, F_SELF_REMOVING)) return;
  let lo: u32 = 0, hi = entries;
  while (lo < hi) {
    let mid = (lo + hi) >> 1;
    if (load<u32>(table + (<usize>mid << 3)) < w) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= entries || load<u32>(table + (<usize>lo << 3)) != w) return;
  let rec = table + (<usize>entries << 3) + (<usize>load<u32>(table + (<usize>lo << 3), 4) << 2);
  let c = load<u32>(rec), cs = load<u32>(rec, 4), k = load<u32>(rec, 8);
  if ((k >> 31) != kind) return;
  k &= 0x7FFFFFFF;
  clearFlag(w, F_SELF_REMOVING); // a callback or a finalizer runs once
  if (!isLiveId(c) || serial(c) != cs) return;
  let t = typeOf(c);
  if (t != T_OTHER && t != T_DICT) return;
  // the container is garbage: its owner's selfref is dead, the callback does nothing
  if (kind == 0 && gcIsCollecting(c)) return;
  for (let j: u32 = 0; j < k; j++) {
    let x = load<u32>(rec + 12 + (<usize>j << 3)), xs = load<u32>(rec + 12 + (<usize>j << 3), 4);
    if (!isLiveId(x) || serial(x) != xs || !isLiveId(c) || serial(c) != cs) continue;
    let s = edgeStart(c), n = edgeLen(c);
    let i: i32 = <i32>n - 1;
    while (i >= 0 && word(s + <u32>i) != x) i--;
    if (i < 0) continue;
    for (let m = <u32>i; m + 1 < n; m++) setWord(s + m, word(s + m + 1));
    setEdgeLen(c, n - 1);
    decref(x);
  }
}
