// handle_weakrefs: weakrefs to the unreachable objects are cleared before any
// finalizer runs; a callback runs only when its weakref is itself reachable.

import { F_CALLBACK, NIL, T_FIN, T_OBJ, T_OTHER, T_WEAKREF, WRCB_TO_CALL } from "../common";
import { gcIsCollecting, gcNext, hasFlag, liveOfType, refcnt, serial, typeOf, weak, isTracked, wrNext } from "../heap";
import { gcListIsEmpty, gcListMove } from "../gclist";
import { clearWeakref, decref, incref } from "../refcount";
import { EV_CALLBACK, logEvent } from "../events";
import { clearWeakrefsInGarbage, incremental, weakrefsClearedLate } from "../profile";
import { setOldSpace, visitedSpace } from "../oldspace";
import { runSelfRemoval } from "../load/callbacks";

/**
 * Pass 1 clears every weakref to a member of U (and, 3.8+, every weakref object
 * in U) and moves the reachable ones with a callback to wrcb_to_call. Pass 2
 * runs those callbacks, in that order; a weakref that survives its callback
 * moves to `old`, one that died is counted. Returns the number that died.
 */
export function handleWeakrefs(unreachable: u32, old: u32): u32 {
  if (liveOfType(T_WEAKREF) == 0) return 0; // no weakref anywhere: nothing to clear or call
  for (let x = gcNext(unreachable); x != unreachable; x = gcNext(x)) {
    let t = typeOf(x);
    if (t == T_WEAKREF && clearWeakrefsInGarbage && !weakrefsClearedLate) clearWeakref(x); // bpo-38006
    if (t != T_OBJ && t != T_FIN && t != T_OTHER) continue; // the weakly referenceable types
    let w = weak(x);
    while (w != NIL) {
      let next = wrNext(w);
      // 3.15 (handle_weakref_callbacks, gh-135552): only weakrefs with a callback now
      if (weakrefsClearedLate && !hasFlag(w, F_CALLBACK)) { w = next; continue; }
      clearWeakref(w);
      if (hasFlag(w, F_CALLBACK) && !gcIsCollecting(w)) {
        incref(w);
        if (isTracked(w)) gcListMove(w, WRCB_TO_CALL);
      }
      w = next;
    }
  }
  let freed: u32 = 0;
  while (!gcListIsEmpty(WRCB_TO_CALL)) {
    let w = gcNext(WRCB_TO_CALL);
    logEvent(EV_CALLBACK, w, serial(w), 0);
    runSelfRemoval(w, decref); // a loaded stdlib callback that removes w from its container (assembly/load/callbacks.ts)
    let alive = refcnt(w) > 1;
    decref(w);
    if (alive) {
      gcListMove(w, old);
      if (incremental) setOldSpace(w, visitedSpace); // it joins the visited space
    }
    else freed++;
  }
  return freed;
}

/**
 * clear_weakrefs (3.15, gh-135552): after the resurrection check, the weakrefs
 * still pointing into the final garbage (those without a callback) and the
 * weakref objects inside it are cleared, just before tp_clear could expose
 * them. A resurrected object keeps its callback-less weakrefs.
 */
export function clearWeakrefs(unreachable: u32): void {
  if (liveOfType(T_WEAKREF) == 0) return;
  for (let x = gcNext(unreachable); x != unreachable; x = gcNext(x)) {
    let t = typeOf(x);
    if (t == T_WEAKREF) clearWeakref(x);
    if (t != T_OBJ && t != T_FIN && t != T_OTHER) continue;
    while (weak(x) != NIL) clearWeakref(weak(x));
  }
}
