// What decides when an automatic collection runs, and of what. CPython's own
// scheduling (per profile: thresholds and the long-lived rule, or 3.14's
// increments) is POLICY_CPYTHON; the heuristics lab adds two more:
//   POLICY_MEMORY     young collections when the bytes allocated since the
//                     last collection pass a limit (CPython counts objects);
//                     older generations as CPython chooses them.
//   POLICY_DELEGATED  at each decision point (count[0] past threshold 0, so
//                     never per allocation) the host's policyDecide() import
//                     says which generation to collect, or -1 for none.
// One file per policy would be three lines each; the TS side (src/lab/policies/)
// holds one file per policy with its parameters and how it sets these.

// @ts-ignore: decorator
@inline export const POLICY_CPYTHON: u32 = 0;
// @ts-ignore: decorator
@inline export const POLICY_MEMORY: u32 = 1;
// @ts-ignore: decorator
@inline export const POLICY_DELEGATED: u32 = 2;

export let policyKind: u32 = POLICY_CPYTHON;
/** POLICY_MEMORY: bytes allocated since the last collection that make one due. */
export let youngBytesLimit: f64 = 0;
/** Bytes of GC objects allocated since the last collection. */
export let youngBytes: f64 = 0;
/** The long-lived rule's ratio (CPython: 0.25; 0 turns the rule off). */
export let longLivedRatio: f64 = 0.25;

export function setPolicy(kind: u32, limit: f64, ratio: f64): void {
  policyKind = kind;
  youngBytesLimit = limit;
  longLivedRatio = ratio;
}
export function addYoungBytes(b: f64): void { youngBytes += b; }
export function resetYoungBytes(): void { youngBytes = 0; }

/** The host's decision (POLICY_DELEGATED): a generation, or -1. Reads state only. */
// @ts-ignore: decorator
@external("env", "policyDecide")
export declare function policyDecide(): i32;

/** The host's clock, in milliseconds (collection wall time for the lab). */
// @ts-ignore: decorator
@external("env", "now")
export declare function hostNow(): f64;
