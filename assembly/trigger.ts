// Allocation accounting and the automatic-collection trigger (CPython's
// _PyObject_GC_Alloc / _PyObject_GC_Link, and _PyObject_GC_TRACK from
// 3.14.1): past threshold 0, ≤3.11 collect at once, 3.12+ schedule a
// collection for the next safe point (_Py_ScheduleGC). The collector is
// above this layer: schedule.ts installs the function that runs one.

import { addHeapSize, collecting, count, enabled, setCollecting, setCount, setScheduled, threshold } from "./state";
import { countTracked, safePointMode } from "./profile";
import { addYoungBytes, policyKind, POLICY_MEMORY, youngBytes, youngBytesLimit } from "./policy";

function noCollector(): void {}
/** gc_collect_generations and the safe point, installed by schedule.ts. */
let collectGenerations: () => void = noCollector;
let safePoint: () => void = noCollector;
export function installCollector(collect: () => void, safePointNow: () => void): void {
  collectGenerations = collect;
  safePoint = safePointNow;
}

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


export function scheduleIfDue(): void {
  let due = policyKind == POLICY_MEMORY
    ? youngBytes > youngBytesLimit
    : count(0) > threshold(0) && threshold(0) != 0;
  if (due && enabled && !collecting) {
    if (safePointMode) {
      setScheduled(true);
    } else {
      setCollecting(true);
      collectGenerations();
      setCollecting(false);
    }
  }
}
