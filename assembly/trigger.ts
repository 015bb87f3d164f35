// The automatic-collection trigger (the tail of CPython's _PyObject_GC_Link,
// and of _PyObject_GC_TRACK from 3.14.1): past threshold 0, ≤3.11 collect at
// once, 3.12+ schedule a collection for the next safe point.

import { collecting, count, enabled, setCollecting, setScheduled, threshold } from "./state";
import { safePointMode } from "./profile";
import { policyKind, POLICY_MEMORY, youngBytes, youngBytesLimit } from "./policy";
import { collectGenerations } from "./schedule";

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
