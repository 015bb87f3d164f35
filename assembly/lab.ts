// Metrics for the heuristics lab (src/lab/): how much garbage the heap holds
// right now — live objects that no root binding, leak or list reaches any
// more, which the collector has not found yet — in objects and bytes.

import { reach, SRC_ALL } from "./analysis/reach";
import { sizeOf } from "./heap";
import { ioGet } from "./io";

let heldBytes: f64 = 0;

/** Unreachable live objects (returned) and their bytes (labGarbageBytes); -status on OOM. Called by src/lab at sample points. */
export function labGarbageHeld(): i32 {
  let n = reach(SRC_ALL);
  heldBytes = 0;
  if (n < 0) return n;
  for (let i: u32 = 0; i < <u32>n; i++) heldBytes += <f64>sizeOf(ioGet(i));
  return n;
}
export function labGarbageBytes(): f64 { return heldBytes; }
