// The collector kinds, decided here and nowhere else: what a collection of
// generation `gen` runs, and what an automatic run collects. Adding a
// collector (the free-threaded one, PEP 848's generational incremental) is a
// file beside generational.ts / incremental.ts and an arm in each switch.

import { count, longLivedPending, longLivedTotal, threshold } from "../state";
import { incremental } from "../profile";
import { longLivedRatio, policyKind, POLICY_MEMORY } from "../policy";
import { collectFull, collectIncrement, collectYoung } from "./incremental";
import { collectGeneration } from "./generational";

// @ts-ignore: decorator
@inline export const GENERATIONAL: u32 = 0; // 2.7 – 3.13, 3.14.5+, 3.15: gc_collect_main
// @ts-ignore: decorator
@inline export const INCREMENTAL: u32 = 1;  // 3.14.0 – 3.14.4: young, increments, full

// @ts-ignore: decorator
@inline export function collectorKind(): u32 { return incremental ? INCREMENTAL : GENERATIONAL; }

/** gc.collect(gen) and every automatic collection: the kind's collection of `gen`. */
export function runCollection(gen: u32): void {
  switch (collectorKind()) {
    case INCREMENTAL:
      if (gen == 0) collectYoung();
      else if (gen == 1) collectIncrement();
      else collectFull();
      break;
    default:
      collectGeneration(gen);
  }
}

/**
 * What an automatic run collects, or -1 for nothing. Generational:
 * gc_select_generation, the oldest generation past its threshold, except that
 * a full collection waits until the objects that survived a generation-1
 * collection since the last full one are a quarter of the long-lived ones
 * (issue #4074: without it, building a large structure is quadratic).
 * Incremental: one increment.
 */
export function automaticGeneration(): i32 {
  switch (collectorKind()) {
    case INCREMENTAL:
      return 1;
    default:
      for (let i: i32 = 2; i >= 0; i--) {
        // the memory policy's trigger already decided that generation 0 is due
        if (count(<u32>i) > threshold(<u32>i) || (i == 0 && policyKind == POLICY_MEMORY)) {
          if (i == 2 && <f64>longLivedPending < <f64>longLivedTotal * longLivedRatio) continue;
          return i;
        }
      }
      return -1;
  }
}
