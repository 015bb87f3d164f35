// A vitest matcher: expect(() => …).toLeaveNoGarbage(heap, options?) runs the
// function inside a GarbageTracker region and fails with the tracker's report
// when the region created collected, uncollectable or leaked objects.
//
//   import { expect } from "vitest";
//   import { garbageMatchers } from "pygcsim/dist/src/tracker/vitest.js"; // from a clone: dist/src/tracker/vitest.js
//   expect.extend(garbageMatchers);
//   expect(() => makeCycle(heap)).toLeaveNoGarbage(heap, { leaksOnly: true });
//
// An async function works too: `await expect(async () => …).toLeaveNoGarbage(heap)`.

import type { Heap } from "../heap.js";
// type-only: resolves the module augmented below; nothing of vitest is loaded at run time
import type {} from "vitest";
import { checkGarbage, type CheckOptions, type CheckVerdict } from "./checked.js";

interface MatcherContext {
  isNot?: boolean;
}
interface MatcherResult {
  pass: boolean;
  message: () => string;
}

export function toLeaveNoGarbage(this: MatcherContext | undefined, received: unknown, heap: Heap, options: CheckOptions = {}):
  MatcherResult | Promise<MatcherResult> {
  if (typeof received !== "function") {
    throw new TypeError(`toLeaveNoGarbage: expect() needs a function to run inside the tracked region, got ${typeof received}`);
  }
  const isNot = !!this?.isNot;
  const finish = (v: CheckVerdict): MatcherResult => ({
    pass: v.pass,
    message: () => (isNot ? `expected the function to leave garbage, but it left none:\n${v.report}` : v.report),
  });
  const r = checkGarbage(heap, received as () => unknown, options) as CheckVerdict | Promise<CheckVerdict>;
  return r instanceof Promise ? r.then(finish) : finish(r);
}

/** For expect.extend(garbageMatchers). */
export const garbageMatchers = { toLeaveNoGarbage };

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
  interface Matchers<T = any> {
    /** The function, run inside a GarbageTracker region, creates no garbage (see CheckOptions). */
    toLeaveNoGarbage(heap: Heap, options?: CheckOptions): void;
  }
}
