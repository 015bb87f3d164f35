// Reference counting with immediate, cascading release (CPython's Py_DECREF →
// tp_dealloc), without recursion: a release is a stack of frames, one per
// dealloc body in progress, so a million-long chain needs no machine stack.
// The frames reproduce the depth-first order of CPython's recursive deallocs.
// Deep releases go through the trashcan (Py_TRASHCAN_BEGIN/END): past the
// profile's nesting limit a dealloc is deposited on a LIFO list (linked through
// the gc word, unused outside collections) and runs when the nesting falls back.
// Up to 3.10 the frame object of a __del__ call is trashcan-protected too: a
// deposited frame is a list entry tagged FRAME_TAG that holds `self` until it
// is drained.
//
// ╒═ release frame (5 × u32) ═══════════════════════════════════════════╕
// │ owner │ slice start │ slice length │ next index │ type│cap<<8│kind<<16│
// └───────┴─────────────┴──────────────┴────────────┴─────────────────────┘
// kind: dealloc body (free owner at the end) · tp_clear (owner lives on) ·
// trashcan drain marker.

import {
  F_CALLBACK, F_CLEARED, F_FINALIZED, F_RESURRECT, NIL, SIM_DEBUG, T_OTHER, T_TUPLE, T_WEAKREF,
} from "./common";
import {
  edgeLen, edgeStart, hasFlag, isGcType, isImmortal, isInstanceType, refcnt, releaseId,
  serial, setFlag, setGcWord, gcWord, setRefcnt, setWeak, setWrNext, typeOf, weak,
  wrNext, isTracked, hasFinalizer,
} from "./heap";
import { capClass, edgeDetach, refAt, sliceFree } from "./edges";
import { track, untrack } from "./tracking";
import { EV_CALLBACK, EV_FINALIZED, logEvent } from "./events";
import { idListPush, RESURRECTED } from "./gclists";
import { onGcFree } from "./trigger";
import { giveToFreeList } from "./freelists";
import { runSelfRemoval, selfRemoving } from "./load/callbacks";
import {
  finalizerFrames, finalizerFrameNesting, legacyDel, trashDrainGuard, trashDrainLevel, trashInstanceBias, trashLimit,
} from "./profile";

// @ts-ignore: decorator
@inline const MAX_FRAMES: u32 = 1 << 15;
// @ts-ignore: decorator
@inline const FRAME_BYTES: usize = 20;
// @ts-ignore: decorator
@inline const KIND_DEALLOC: u32 = 0;
// @ts-ignore: decorator
@inline const KIND_CLEAR: u32 = 1;
// @ts-ignore: decorator
@inline const KIND_DRAIN: u32 = 2;
// @ts-ignore: decorator
@inline const KIND_PYFRAME: u32 = 3; // a deposited __del__ frame's own dealloc body (frame_dealloc)

const FRAMES = memory.data(<i32>(MAX_FRAMES * <u32>FRAME_BYTES));
let frameTop: u32 = 0;
let running: bool = false;
/** Trashcan nesting: dealloc bodies in progress (plus the drain guard). */
let nesting: i32 = 0;
/** Deposited deallocs, last in first out, linked through the gc word. */
let trashHead: u32 = NIL;
// @ts-ignore: decorator
@inline const FRAME_TAG: u32 = 0x80000000; // entry is a __del__ frame holding the object

function deposit(entry: u32): void {
  let x = entry & ~FRAME_TAG;
  setGcWord(x, <i32>trashHead);
  trashHead = entry;
}

// @ts-ignore: decorator
@inline function frame(i: u32): usize { return FRAMES + <usize>i * FRAME_BYTES; }

function pushFrame(owner: u32, start: u32, len: u32, info: u32): void {
  let f = frame(frameTop++);
  store<u32>(f, owner);
  store<u32>(f, start, 4);
  store<u32>(f, len, 8);
  store<u32>(f, 0, 12);
  store<u32>(f, info, 16);
}

export function incref(x: u32): void {
  if (!isImmortal(x)) setRefcnt(x, refcnt(x) + 1);
}

/** Py_DECREF: at zero the object is released at once, with everything it alone kept alive. */
export function decref(x: u32): void {
  if (isImmortal(x)) return;
  let r = refcnt(x) - 1;
  setRefcnt(x, r);
  if (SIM_DEBUG) assert(r >= 0); // a reference was dropped twice
  if (r == 0) {
    beginDealloc(x);
    if (!running) runFrames();
  }
}

/**
 * Frees a GC object whose accounting the caller does in bulk (quiet
 * delete_garbage): its edge slice and its id, nothing else. Inlined: the
 * quiet path calls it once per freed object.
 */
// @ts-ignore: decorator
@inline export function releaseMember(x: u32): void {
  let c = capClass(x);
  if (c != 0) sliceFree(edgeStart(x), c);
  releaseId(x);
}

export function freeObject(x: u32): void {
  let t = typeOf(x);
  // a tuple's items are still in its slice here (tuples have no tp_clear)
  if (isGcType(t) && !giveToFreeList(t, edgeLen(x))) onGcFree();
  if (SIM_DEBUG) assert(!isTracked(x)); // a freed object must have left its list
  releaseMember(x);
}

/** Unlinks weakref w from its referent's list; w() returns None afterwards. */
export function clearWeakref(w: u32): void {
  let t = weak(w);
  if (t == NIL) return;
  let p = weak(t);
  if (p == w) {
    setWeak(t, wrNext(w));
  } else {
    while (wrNext(p) != w) p = wrNext(p);
    setWrNext(p, wrNext(w));
  }
  setWeak(w, NIL);
  setWrNext(w, NIL);
}

/** Links weakref w into target's list: callback-less at the head, others right after it. */
export function linkWeakref(target: u32, w: u32, hasCallback: bool): void {
  let head = weak(target);
  setWeak(w, target);
  if (hasCallback && head != NIL && !hasFlag(head, F_CALLBACK)) {
    setWrNext(w, wrNext(head));
    setWrNext(head, w);
  } else {
    setWrNext(w, head);
    setWeak(target, w);
  }
}

/**
 * PyObject_ClearWeakRefs on release: every weakref is cleared and those with a
 * callback call it, in list order (newest callback first).
 */
function clearWeakrefsOnRelease(x: u32): void {
  let w = weak(x);
  let pinned: u32 = NIL; // loaded self-removing callbacks, applied once every weakref is cleared
  while (w != NIL) {
    let next = wrNext(w);
    clearWeakref(w);
    if (hasFlag(w, F_CALLBACK) && refcnt(w) > 0) {
      logEvent(EV_CALLBACK, w, serial(w), 0);
      if (selfRemoving(w)) {
        incref(w);
        setWrNext(w, pinned);
        pinned = w;
      }
    }
    w = next;
  }
  while (pinned != NIL) {
    let p = pinned;
    pinned = wrNext(p);
    setWrNext(p, NIL);
    runSelfRemoval(p, decref);
    decref(p);
  }
}

/** Runs a fin's __del__: it logs, and a "resurrect" one stores self in the resurrection list. */
export function callFinalizer(x: u32): void {
  logEvent(EV_FINALIZED, x, serial(x), 0);
  if (hasFlag(x, F_RESURRECT) && idListPush(RESURRECTED, x)) incref(x);
}

/**
 * subtype_dealloc up to the release of the slots. Returns false when __del__
 * resurrected the object (it then stays tracked at the tail of generation 0).
 */
function instancePrologue(x: u32): bool {
  let isFin = hasFinalizer(x);
  if (legacyDel) {
    // 2.7: weakrefs first, then tp_del, which runs at every release
    clearWeakrefsOnRelease(x);
    if (!isFin) return true;
    track(x);
    setRefcnt(x, 1);
    callFinalizer(x);
    depositFinalizerFrame(x);
    let r = refcnt(x) - 1;
    setRefcnt(x, r);
    if (r > 0) return false;
    untrack(x);
    return true;
  }
  if (isFin) {
    // PyObject_CallFinalizerFromDealloc: FINALIZED is set after the call returns
    track(x);
    if (!hasFlag(x, F_FINALIZED)) {
      setRefcnt(x, 1);
      callFinalizer(x);
      depositFinalizerFrame(x);
      setFlag(x, F_FINALIZED);
      let r = refcnt(x) - 1;
      setRefcnt(x, r);
      if (r > 0) return false;
    }
    untrack(x);
  }
  clearWeakrefsOnRelease(x);
  return true;
}

/**
 * ≤3.10: the __del__ call's frame is deallocated when the call returns, under
 * the trashcan; past the limit it is deposited instead, still holding `self`.
 */
function depositFinalizerFrame(x: u32): void {
  if (finalizerFrames && nesting >= trashLimit) {
    incref(x);
    deposit(x | FRAME_TAG);
  }
}

function endBody(instance: bool): void {
  nesting--;
  let level = instance ? nesting + trashInstanceBias : nesting;
  if (trashHead != NIL && level <= trashDrainLevel && frameTop < MAX_FRAMES) {
    pushFrame(NIL, 0, 0, KIND_DRAIN << 16);
    nesting += trashDrainGuard;
  }
}

/** The dealloc body between Py_TRASHCAN_BEGIN and Py_TRASHCAN_END. */
function body(x: u32): void {
  nesting++;
  let t = typeOf(x);
  let instance = isInstanceType(t);
  if ((instance || t == T_OTHER) && !instancePrologue(x)) {
    endBody(true);
    return;
  }
  let n = edgeLen(x);
  if (n == 0) {
    freeObject(x);
    endBody(instance);
    return;
  }
  pushFrame(x, edgeStart(x), n, t | (capClass(x) << 8) | (KIND_DEALLOC << 16));
}

/** _Py_Dealloc of an object whose count reached zero. */
function beginDealloc(x: u32): void {
  let t = typeOf(x);
  if (!isGcType(t)) {
    freeObject(x);
    return;
  }
  untrack(x);
  if (t == T_WEAKREF) {
    clearWeakref(x);
    // a loaded weakref may hold references (its callback: weakref_dealloc drops it)
    if (edgeLen(x) == 0) {
      freeObject(x);
      return;
    }
  }
  let level = isInstanceType(t) ? nesting + trashInstanceBias : nesting;
  if (level >= trashLimit || frameTop >= MAX_FRAMES - 2) {
    deposit(x); // _PyTrash_thread_deposit_object
    return;
  }
  body(x);
}

function runFrames(): void {
  running = true;
  while (true) {
    while (frameTop > 0) {
      let f = frame(frameTop - 1);
      let info = load<u32>(f, 16);
      let kind = info >> 16;
      if (kind == KIND_DRAIN) {
        if (trashHead != NIL) {
          let entry = trashHead;
          let x = entry & ~FRAME_TAG;
          trashHead = <u32>gcWord(x);
          setGcWord(x, 0);
          if ((entry & FRAME_TAG) == 0) body(x);
          else if (finalizerFrameNesting) {
            // frame_dealloc is trashcan-protected itself: `self` is released a level deeper
            pushFrame(x, 0, 0, KIND_PYFRAME << 16);
          } else {
            decref(x); // the frame goes, and with it `self`
          }
        } else {
          frameTop--;
          nesting -= trashDrainGuard;
        }
        continue;
      }
      if (kind == KIND_PYFRAME) {
        if (load<u32>(f, 12) == 0) {
          store<u32>(f, 1, 12);
          nesting++;
          decref(load<u32>(f)); // x's dealloc runs above this frame
        } else {
          frameTop--;
          endBody(false);
        }
        continue;
      }
      let k = load<u32>(f, 12);
      let len = load<u32>(f, 8);
      if (k < len) {
        store<u32>(f, k + 1, 12);
        let c = refAt(info & 0xFF, load<u32>(f, 4), len, k);
        if (c != NIL) decref(c);
        continue;
      }
      frameTop--;
      if (kind == KIND_DEALLOC) {
        let owner = load<u32>(f);
        freeObject(owner);
        endBody(isInstanceType(info & 0xFF));
      } else {
        sliceFree(load<u32>(f, 4), (info >> 8) & 0xFF);
      }
    }
    if (trashHead == NIL) break;
    pushFrame(NIL, 0, 0, KIND_DRAIN << 16); // nothing left to unwind: drain now
    nesting += trashDrainGuard;
  }
  running = false;
}

/**
 * tp_clear, as delete_garbage calls it: drops the object's references so that
 * cycles break. Instances clear their slots (and the probe slot: F_CLEARED),
 * lists and dicts their items; tuples have no tp_clear; a weakref unlinks.
 * Returns false when the type has no tp_clear.
 */
export function clearForCollector(x: u32): bool {
  let t = typeOf(x);
  if (t == T_TUPLE) return false;
  if (t == T_WEAKREF) clearWeakref(x); // and its callback, if loaded with one (below)
  if (isInstanceType(t)) setFlag(x, F_CLEARED);
  let n = edgeLen(x);
  if (n == 0) return true;
  let start = edgeStart(x), c = capClass(x);
  edgeDetach(x);
  pushFrame(x, start, n, t | (c << 8) | (KIND_CLEAR << 16));
  if (!running) runFrames();
  return true;
}

export function releaseIsIdle(): bool { return frameTop == 0 && trashHead == NIL && nesting == 0; }
