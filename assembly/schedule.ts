// Automatic collection: allocation accounting and the choice of what to
// collect (CPython's _PyObject_GC_Alloc / _PyObject_GC_Link,
// gc_collect_generations, and 3.14's "one increment per automatic run").

import { collecting, count, enabled, gcScheduled, setCollecting, setCount, setScheduled, addHeapSize } from "./state";
import { countTracked } from "./profile";
import { collectWithCallback } from "./collect/index";
import { scheduleIfDue } from "./trigger";
import { addYoungBytes, policyDecide, policyKind, POLICY_DELEGATED, POLICY_MEMORY } from "./policy";
import { automaticGeneration } from "./collect/kinds";

/**
 * gc_collect_generations: the host's policy, or what the collector kind's
 * automatic run collects (collect/kinds.ts).
 */
export function collectGenerations(): void {
  let g = policyKind == POLICY_DELEGATED ? policyDecide() : automaticGeneration();
  if (g >= 0 && g <= 2) collectWithCallback(<u32>g, true);
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
/**
 * Per-statement safe points: each object a batch call makes, each reference it
 * adds and each binding it drops stands for one Python statement, with the
 * loop's back edge after it — so a batch schedules like the loop it replaces.
 */
export let statementSafePoints: bool = false;
export function setStatementSafePoints(on: bool): void { statementSafePoints = on; }
/** The end of one statement of a batch call. */
// @ts-ignore: decorator
@inline export function statementEnd(): void { if (statementSafePoints) safePoint(); }

/** A safe point: a scheduled collection runs. */
export function safePoint(): void {
  if (!gcScheduled) return;
  setScheduled(false);
  if (!enabled || collecting) return;
  setCollecting(true);
  collectGenerations();
  setCollecting(false);
}
