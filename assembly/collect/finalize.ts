// Finalizers in a collection: the legacy (tp_del) split that makes objects
// uncollectable, PEP 442's finalize_garbage, and the resurrection check that
// follows it (3.4–3.8 all-or-nothing, 3.9+ partial).

import { F_FINALIZED, SEEN, T_FIN, T_OTHER } from "../common";
import {
  edgeLen, edgeStart, gcClearCollecting, gcClearUnreachable, gcGetRefs, gcIsCollecting, gcNext,
  gcSetRefs, hasFinalizer, hasFlag, liveOfType, refcnt, setFlag, typeOf,
} from "../heap";
import { gcListIsEmpty, gcListMerge, gcListMove } from "../gclist";
import { refAt } from "../edges";
import { callFinalizer, decref } from "../refcount";
import { runFinalizerDrops } from "../load/callbacks";
import { legacyDel } from "../profile";
import { GARBAGE, idListPush } from "../gclists";
import { incref } from "../refcount";
import { clearCollecting, clearUnreachableMask, deduceUnreachable, subtractRefs } from "./unreachable";

/** has_legacy_finalizer: a fin under 2.7 (new-style class with __del__ = tp_del). */
// @ts-ignore: decorator
@inline export function hasLegacyFinalizer(x: u32): bool { return legacyDel && hasFinalizer(x); }

/**
 * move_legacy_finalizers: clears UNREACHABLE on all of U and moves the objects
 * with a legacy finalizer to `finalizers`, COLLECTING cleared.
 */
export function moveLegacyFinalizers(unreachable: u32, finalizers: u32): void {
  let x = gcNext(unreachable);
  while (x != unreachable) {
    let next = gcNext(x);
    gcClearUnreachable(x);
    if (hasLegacyFinalizer(x)) {
      gcClearCollecting(x);
      gcListMove(x, finalizers);
    }
    x = next;
  }
}

/** move_legacy_finalizer_reachable: what a legacy finalizer reaches is uncollectable too. */
export function moveLegacyFinalizerReachable(finalizers: u32): void {
  for (let x = gcNext(finalizers); x != finalizers; x = gcNext(x)) {
    let t = typeOf(x), s = edgeStart(x), n = edgeLen(x);
    for (let k: u32 = 0; k < n; k++) {
      let r = refAt(t, s, n, k);
      if (gcIsCollecting(r)) {
        gcListMove(r, finalizers);
        gcClearCollecting(r);
      }
    }
  }
}

/**
 * finalize_garbage: each object of U, in list order, that has a finalizer and
 * is not FINALIZED gets FINALIZED (before the call, unlike release) and runs it.
 * Returns how many finalizers ran. (CPython moves every object to a `seen`
 * list because finalizers may free others; when none is due, a read-only scan
 * says so and nothing moves.)
 */
export function finalizeGarbage(unreachable: u32): u32 {
  if (liveOfType(T_FIN) == 0 && liveOfType(T_OTHER) == 0) return 0; // no type with __del__ alive
  let due = false;
  for (let x = gcNext(unreachable); x != unreachable; x = gcNext(x)) {
    if (hasFinalizer(x) && !hasFlag(x, F_FINALIZED)) { due = true; break; }
  }
  if (!due) return 0;
  let ran: u32 = 0;
  while (!gcListIsEmpty(unreachable)) {
    let x = gcNext(unreachable);
    gcListMove(x, SEEN);
    if (hasFinalizer(x) && !hasFlag(x, F_FINALIZED)) {
      setFlag(x, F_FINALIZED);
      incref(x);
      callFinalizer(x);
      runFinalizerDrops(x, decref); // a loaded generator's close releases its frame (assembly/load/callbacks.ts)
      decref(x);
      ran++;
    }
  }
  gcListMerge(SEEN, unreachable);
  return ran;
}

/**
 * handle_resurrected_objects (3.9+): a second deduce_unreachable over U alone.
 * What a finalizer made reachable again moves to `old`; the rest is U' (with
 * COLLECTING still set, UNREACHABLE cleared).
 */
export function handleResurrectedObjects(unreachable: u32, stillUnreachable: u32, old: u32): void {
  clearCollecting(unreachable);
  deduceUnreachable(unreachable, stillUnreachable);
  clearUnreachableMask(stillUnreachable);
  gcListMerge(unreachable, old);
}

/**
 * check_garbage (3.4–3.8): true when anything in U has a reference from outside
 * U after the finalizers ran. Leaves COLLECTING clear on all of U.
 */
export function checkGarbage(unreachable: u32): bool {
  for (let x = gcNext(unreachable); x != unreachable; x = gcNext(x)) gcSetRefs(x, refcnt(x));
  subtractRefs(unreachable);
  let resurrected = false;
  for (let x = gcNext(unreachable); x != unreachable; x = gcNext(x)) {
    if (gcGetRefs(x) != 0) resurrected = true;
    gcClearCollecting(x);
  }
  return resurrected;
}

/**
 * handle_legacy_finalizers: the legacy finalizer objects (every member with
 * DEBUG_SAVEALL) go to gc.garbage; all of `finalizers` survives into `old`.
 */
export function handleLegacyFinalizers(finalizers: u32, old: u32, saveAll: bool): void {
  for (let x = gcNext(finalizers); x != finalizers; x = gcNext(x)) {
    if ((saveAll || hasLegacyFinalizer(x)) && idListPush(GARBAGE, x)) incref(x);
  }
  gcListMerge(finalizers, old);
}

