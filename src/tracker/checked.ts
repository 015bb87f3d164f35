// Test-runner integration without a test runner: garbageChecked() runs a
// function inside a tracked region and throws GarbageFoundError (with the
// report as its message) when the region left something behind; checkGarbage()
// is the same check returning a verdict, which the vitest matcher uses.

import type { Heap } from "../heap.js";
import { PygcsimError } from "../errors.js";
import { GarbageTracker, findingsOf, type TrackerOptions, type TrackerResult } from "./tracker.js";
import { formatReport } from "./report.js";

export interface CheckOptions extends TrackerOptions {
  /** Fail only on what no collection will free (uncollectable, leaked, frozen), not on collected cycles. */
  leaksOnly?: boolean;
  /** Type names never reported (obj, fin, list, dict, tuple, int, str, weakref). */
  ignoreTypes?: readonly string[];
  /** Names the code in the report's header ("module::test"). */
  location?: string;
  /** At most this many objects in the report (default 10). */
  max?: number;
}

/** Thrown by garbageChecked: `report` is the message, `result` the tracker's result. */
export class GarbageFoundError extends PygcsimError {
  constructor(readonly report: string, readonly result: TrackerResult) {
    super(report);
  }
}

export interface CheckVerdict {
  pass: boolean;
  result: TrackerResult;
  report: string;
}

function verdict(result: TrackerResult, options: CheckOptions): CheckVerdict {
  const pass = findingsOf(result, { leaksOnly: options.leaksOnly }).length === 0;
  return { pass, result, report: formatReport(result, { location: options.location, max: options.max, leaksOnly: options.leaksOnly }) };
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return !!x && (typeof x === "object" || typeof x === "function") && typeof (x as { then?: unknown }).then === "function";
}

/**
 * Runs fn inside a tracked region and returns the verdict with fn's value. If
 * fn throws (or rejects) the region is closed — settings restored — and the
 * error propagates: a failing test is not judged (Yagot's plugin ignores it too).
 */
export function checkGarbage<T>(heap: Heap, fn: () => T, options: CheckOptions = {}):
  T extends PromiseLike<infer U> ? Promise<CheckVerdict & { value: U }> : CheckVerdict & { value: T } {
  const tracker = new GarbageTracker(heap, { names: options.names });
  if (options.ignoreTypes) tracker.ignoreTypes(options.ignoreTypes);
  tracker.start();
  let value: unknown;
  try {
    value = fn();
  } catch (e) {
    tracker.stop();
    throw e;
  }
  type R = T extends PromiseLike<infer U> ? Promise<CheckVerdict & { value: U }> : CheckVerdict & { value: T };
  if (isThenable(value)) {
    return Promise.resolve(value).then(
      (v) => ({ ...verdict(tracker.stop(), options), value: v }),
      (e) => { tracker.stop(); throw e; },
    ) as R;
  }
  return { ...verdict(tracker.stop(), options), value } as R;
}

/**
 * Yagot's garbage_checked: runs fn between a tracker's start() and stop() and
 * throws GarbageFoundError carrying the report when the region created
 * collected, uncollectable or leaked objects (only the latter two with
 * `leaksOnly`). Returns fn's value (a promise when fn is async).
 */
export function garbageChecked<T>(heap: Heap, fn: () => T, options: CheckOptions = {}): T {
  const v = checkGarbage(heap, fn, options) as CheckVerdict & { value: unknown } | Promise<CheckVerdict & { value: unknown }>;
  const settle = (r: CheckVerdict & { value: unknown }) => {
    if (!r.pass) throw new GarbageFoundError(r.report, r.result);
    return r.value;
  };
  return (v instanceof Promise ? v.then(settle) : settle(v)) as T;
}
