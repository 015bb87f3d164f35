// Automatic collection, the top of the engine: the choice of what to collect
// (gc_collect_generations, 3.14's "one increment per automatic run") and the
// safe points where a scheduled collection runs. Allocation accounting and
// "a collection is due" are below, in trigger.ts.

import { collecting, enabled, gcScheduled, setCollecting, setScheduled } from "./state";
import { collectWithCallback } from "./collect/index";
import { installCollector } from "./trigger";
import { policyDecide, policyKind, POLICY_DELEGATED } from "./policy";
import { automaticGeneration } from "./collect/kinds";

/**
 * gc_collect_generations: the host's policy, or what the collector kind's
 * automatic run collects (collect/kinds.ts).
 */
export function collectGenerations(): void {
  let g = policyKind == POLICY_DELEGATED ? policyDecide() : automaticGeneration();
  if (g >= 0 && g <= 2) collectWithCallback(<u32>g, true);
}
// the trigger (below the collector) runs ≤3.11's immediate collections, and
// per-statement safe points, through these
installCollector(collectGenerations, safePoint);

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
