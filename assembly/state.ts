// Collector state of the generational profiles (CPython's GCState): per
// generation a count and a threshold, the long-lived counters, the switches of
// the gc module, and the statistics gc.get_stats() reports.

export const COUNT = memory.data(3 * 4);       // i32 × 3
export const THRESHOLD = memory.data(3 * 4);   // i32 × 3
// @ts-ignore: decorator
@inline export const STAT_FIELDS: u32 = 5;
/** f64 × 3 × {collections, collected, uncollectable, candidates, duration in seconds} */
export const STATS = memory.data(3 * STAT_FIELDS * 8);

export let enabled: bool = true;
export let collecting: bool = false;
export let gcScheduled: bool = false;
export let debugFlags: u32 = 0;
/** Size of generation 2 after the last full collection. */
export let longLivedTotal: i32 = 0;
/** Objects that survived a generation-1 collection since the last full one. */
export let longLivedPending: i32 = 0;
/**
 * The interpreter's own tracked objects (modules, functions, classes … made at
 * start-up): in the oldest generation, never garbage, never simulated one by
 * one. They count where CPython counts them: long_lived_total, the objects a
 * full collection examines, 3.14's heap size and mark phase. gc.freeze() moves
 * them to the permanent generation with everything else.
 */
export let startupObjects: i32 = 0;
export let startupFrozen: bool = false;
export function setStartupObjects(n: i32): void { startupObjects = n; }
export function setStartupFrozen(v: bool): void { startupFrozen = v; }
/** The start-up objects now in the oldest generation (0 while frozen). */
// @ts-ignore: decorator
@inline export function startupInOld(): i32 { return startupFrozen ? 0 : startupObjects; }

/** 3.14's heap_size: GC objects allocated (3.14.0) or tracked (3.14.1+). */
export let heapSize: i32 = 0;
export function addHeapSize(d: i32): void { heapSize += d; }

// @ts-ignore: decorator
@inline export const DEBUG_SAVEALL: u32 = 32;

// @ts-ignore: decorator
@inline export function count(g: u32): i32 { return load<i32>(COUNT + (<usize>g << 2)); }
// @ts-ignore: decorator
@inline export function setCount(g: u32, v: i32): void { store<i32>(COUNT + (<usize>g << 2), v); }
// @ts-ignore: decorator
@inline export function threshold(g: u32): i32 { return load<i32>(THRESHOLD + (<usize>g << 2)); }
// @ts-ignore: decorator
@inline export function setThreshold(g: u32, v: i32): void { store<i32>(THRESHOLD + (<usize>g << 2), v); }

export function setEnabled(v: bool): void { enabled = v; }
export function setCollecting(v: bool): void { collecting = v; }
export function setScheduled(v: bool): void { gcScheduled = v; }
export function setDebugFlags(v: u32): void { debugFlags = v; }
export function setLongLived(total: i32, pending: i32): void {
  longLivedTotal = total;
  longLivedPending = pending;
}
export function addLongLivedPending(n: i32): void { longLivedPending += n; }

export function addStats(g: u32, collected: u32, uncollectable: u32): void {
  let p = STATS + (<usize>g * STAT_FIELDS * 8);
  store<f64>(p, load<f64>(p) + 1);
  store<f64>(p, load<f64>(p, 8) + <f64>collected, 8);
  store<f64>(p, load<f64>(p, 16) + <f64>uncollectable, 16);
}
/** 3.15's extra statistics of a collection of g: candidates and duration. */
export function addStatsExtra(g: u32, candidates: f64, seconds: f64): void {
  let p = STATS + (<usize>g * STAT_FIELDS * 8);
  store<f64>(p, load<f64>(p, 24) + candidates, 24);
  store<f64>(p, load<f64>(p, 32) + seconds, 32);
}
