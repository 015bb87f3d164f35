// Automatic collection: allocation accounting and the choice of what to
// collect (CPython's _PyObject_GC_Alloc / _PyObject_GC_Link,
// gc_collect_generations, and 3.14's "one increment per automatic run").

import {
  collecting, count, enabled, gcScheduled, longLivedPending, longLivedTotal, setCollecting,
  setCount, setScheduled, threshold, addHeapSize,
} from "./state";
import { countTracked, incremental } from "./profile";
import { collectWithCallback } from "./collect/index";
import { scheduleIfDue } from "./trigger";
import { addYoungBytes, longLivedRatio, policyDecide, policyKind, POLICY_DELEGATED, POLICY_MEMORY } from "./policy";

/**
 * gc_collect_generations: the oldest generation whose count passed its
 * threshold, except that a full collection waits until the objects that
 * survived a generation-1 collection since the last full one are at least a
 * quarter of the long-lived ones (issue #4074: without it, building a large
 * structure is quadratic). The incremental collector runs one increment.
 */
export function collectGenerations(): void {
  if (policyKind == POLICY_DELEGATED) {
    let g = policyDecide();
    if (g >= 0 && g <= 2) collectWithCallback(<u32>g, true);
    return;
  }
  if (incremental) {
    collectWithCallback(1, true);
    return;
  }
  for (let i: i32 = 2; i >= 0; i--) {
    // the memory policy's trigger already decided that generation 0 is due
    if (count(<u32>i) > threshold(<u32>i) || (i == 0 && policyKind == POLICY_MEMORY)) {
      if (i == 2 && <f64>longLivedPending < <f64>longLivedTotal * longLivedRatio) continue;
      collectWithCallback(<u32>i, true);
      break;
    }
  }
}

/**
 * A GC-capable object is allocated: count[0] rises, tracked or not (until
 * 3.14.1, which counts tracked objects instead: tracking.ts). The collection
 * it may trigger runs before the new object exists.
 */
export function onGcAllocation(bytes: u32): void {
  addYoungBytes(<f64>bytes);
  if (countTracked) {
    if (policyKind == POLICY_MEMORY) scheduleIfDue();
    return;
  }
  setCount(0, count(0) + 1);
  addHeapSize(1);
  scheduleIfDue();
}

/** PyObject_GC_Del's accounting: a freed GC object lowers count[0] (never below 0). */
export function onGcFree(): void {
  if (countTracked) return;
  let c = count(0);
  if (c > 0) setCount(0, c - 1);
  addHeapSize(-1);
}

/**
 * Where 3.12+ run a scheduled collection: CPython's eval breaker, checked at
 * calls and loop back edges. By default the end of every API call stands for
 * it; with explicit safe points only safePoint() calls do (the host places
 * them where the Python statements it replays would check: src/schedule/).
 */
export let explicitSafePoints: bool = false;
export function setExplicitSafePoints(on: bool): void { explicitSafePoints = on; }

/** A safe point: a scheduled collection runs. */
export function safePoint(): void {
  if (!gcScheduled) return;
  setScheduled(false);
  if (!enabled || collecting) return;
  setCollecting(true);
  collectGenerations();
  setCollecting(false);
}
