// The wasm ABI of the heap analyses (assembly/analysis/*): re-exported by
// assembly/index.ts. Each export has a one-line doc saying who calls it.
// All are read-only: they never change the heap (no column is written, marks
// live in scratch bitsets), so none ends at the safe point. Id lists travel
// through the exchange buffer; a negative result is a negated status.
//
// Source masks (reach.ts): 1 root bindings, 2 leaked references,
// 4 gc.garbage, 8 the resurrection list.
//
// Memory: every temporary block is freed before the call returns; the only
// memory kept between calls is the dominator results (dominators.ts: domNum,
// domVertex, domIdom, domRetained), freed by the next analysisComputeRetained
// or by analysisReleaseRetained.

import { pathToAny, pathToObject, reach, reachedCount, sourceCount } from "./reach";
import { componentCount, scc } from "./scc";
import { badIndex } from "./scratch";
import { computeRetained, idomOf, releaseRetained, retainedOf, retainedTotal, topRetainers } from "./dominators";
import { countsByType } from "./counts";

/** src/analysis.ts reachability(), unreachableFromRoots(): live objects not reachable from the mask's sources → ids (id order) in the buffer; returns their number. */
export function analysisReach(mask: u32): i32 { return reach(mask); }
/** src/analysis.ts: objects reached (sources included) by the last reach or path call. */
export function analysisReachedCount(): u32 { return reachedCount; }
/** src/analysis.ts: distinct source objects of the last reach or path call. */
export function analysisSourceCount(): u32 { return sourceCount; }
/** src/analysis.ts whyAlive(): shortest chain source → target in the buffer (source first); its length, 0 when unreachable. */
export function analysisPath(mask: u32, target: u32): i32 { return pathToObject(mask, target); }
/** src/analysis.ts pathToAny(): the same to the first reached of n ids in the buffer. */
export function analysisPathToAny(mask: u32, n: u32): i32 { return pathToAny(mask, n); }
/** src/analysis.ts: which input id made the last id-list call fail with E_NO_OBJECT. */
export function analysisBadIndex(): u32 { return badIndex; }
/** src/analysis.ts cycles(ids): n ids in the buffer → component per id in place (0xFFFFFFFF: repeated id), then a cycle flag per component; returns the component count. */
export function analysisScc(n: u32): i32 { return scc(0, n, 0); }
/**
 * src/analysis.ts cycles(): the live objects unreachable from the mask's
 * sources (m ids, id order), then their components (m words), then a cycle
 * flag per component; returns m (analysisComponentCount() the components).
 */
export function analysisUnreachableScc(mask: u32): i32 {
  let m = reach(mask);
  if (m < 0) return m;
  let c = scc(0, <u32>m, <u32>m);
  return c < 0 ? c : m;
}
/** src/analysis.ts: components found by the last SCC call. */
export function analysisComponentCount(): u32 { return componentCount; }
/** src/analysis.ts: dominators and retained sizes from the mask's sources; objects reached, kept until the next call. */
export function analysisComputeRetained(mask: u32): i32 { return computeRetained(mask); }
/** src/analysis.ts retainedSize(): bytes x retains, -1 when it was not reached. */
export function analysisRetained(x: u32): f64 { return retainedOf(x); }
/** src/analysis.ts: bytes of everything reached by the last computation. */
export function analysisRetainedTotal(): f64 { return retainedTotal(); }
/** src/analysis.ts immediateDominator(): an id, 0 for "the sources together", -1 when not reached. */
export function analysisIdom(x: u32): i32 { return idomOf(x); }
/** src/analysis.ts topRetainers(k): records (id, type, size, retained lo, hi, type-name index) in the buffer, largest first. */
export function analysisTopRetainers(k: u32): i32 { return topRetainers(k); }
/** src/analysis.ts: frees the kept dominator results. */
export function analysisReleaseRetained(): void { releaseRetained(); }
/** src/analysis.ts countsByType(): records (type, type-name index, count, bytes lo, hi, first id); their number. */
export function analysisCountsByType(): i32 { return countsByType(); }
