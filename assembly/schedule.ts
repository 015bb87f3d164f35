// Automatic collection: allocation accounting and the choice of generation
// (CPython's _PyObject_GC_Link / _PyObject_GC_Alloc and gc_collect_generations).

import {
  collecting, count, enabled, gcScheduled, longLivedPending, longLivedTotal, setCollecting,
  setCount, setScheduled, threshold,
} from "./state";
import { safePointMode } from "./profile";
import { collectWithCallback } from "./collect/index";

/**
 * gc_collect_generations: the oldest generation whose count passed its
 * threshold, except that a full collection waits until the objects that
 * survived a generation-1 collection since the last full one are at least a
 * quarter of the long-lived ones (issue #4074: without it, building a large
 * structure is quadratic).
 */
export function collectGenerations(): void {
  for (let i: i32 = 2; i >= 0; i--) {
    if (count(<u32>i) > threshold(<u32>i)) {
      if (i == 2 && longLivedPending < longLivedTotal / 4) continue;
      collectWithCallback(<u32>i);
      break;
    }
  }
}

/**
 * A GC-capable object is allocated: count[0] rises, tracked or not. Past the
 * threshold ≤3.11 collect at once, inside the allocation (before the new
 * object exists); 3.12+ only schedule a collection for the next safe point.
 */
export function onGcAllocation(): void {
  let c = count(0) + 1;
  setCount(0, c);
  if (c > threshold(0) && enabled && threshold(0) != 0 && !collecting) {
    if (safePointMode) {
      setScheduled(true);
    } else {
      setCollecting(true);
      collectGenerations();
      setCollecting(false);
    }
  }
}

/** The simulator's safe point (the end of every API operation): a scheduled collection runs. */
export function safePoint(): void {
  if (!gcScheduled) return;
  setScheduled(false);
  if (!enabled || collecting) return;
  setCollecting(true);
  collectGenerations();
  setCollecting(false);
}
