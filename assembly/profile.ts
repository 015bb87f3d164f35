// The version profile: switches that say how this CPython differs. The TS side
// (src/profiles.ts) holds the table of versions and writes one ProfileRecord
// that configure() applies; the collector reads the switches, it never
// branches on a version number.

/** resurrection: what a collection does when a finalizer resurrected something. */
// @ts-ignore: decorator
@inline export const RESURRECT_NONE: u32 = 0;          // 2.7: no PEP 442 finalizers in a collection
// @ts-ignore: decorator
@inline export const RESURRECT_ALL_OR_NOTHING: u32 = 1; // 3.4–3.8: check_garbage keeps the whole batch
// @ts-ignore: decorator
@inline export const RESURRECT_PARTIAL: u32 = 2;       // 3.9+: handle_resurrected_objects

/** counting: when `m` (collected) is counted. */
// @ts-ignore: decorator
@inline export const COUNT_PRE_FINALIZE: u32 = 0;      // 2.7, 3.4–3.6: all of U before weakrefs
// @ts-ignore: decorator
@inline export const COUNT_AT_DELETE: u32 = 1;         // 3.7.16, 3.8.18: len(U) at delete time, 0 if revived
// @ts-ignore: decorator
@inline export const COUNT_POST_FINALIZE: u32 = 2;     // 3.9+: len(U') after the resurrection check

export let legacyDel: bool = false;           // 2.7: __del__ is tp_del (uncollectable cycles, no FINALIZED)
export let resurrection: u32 = RESURRECT_PARTIAL;
export let counting: u32 = COUNT_POST_FINALIZE;
export let clearWeakrefsInGarbage: bool = true; // bpo-38006 (3.7.x+ patch releases, 3.8+)
export let untrackTuplesInScan: bool = false;   // ≤3.7: inside move_unreachable; 3.8+: a pass
export let dictsAlwaysTracked: bool = false;    // 3.14: no lazy dict tracking
export let tuplesTrackedIfNeeded: bool = false; // 3.14: a tuple of atoms is untracked at creation
export let safePointMode: bool = false;         // 3.12+: automatic collections at the next safe point
/** 3.14.0–3.14.4: the incremental collector (young + two old spaces). */
export let incremental: bool = false;
/** 3.14.1+: count[0] and heap_size count tracked objects (track/untrack), not allocations. */
export let countTracked: bool = false;
export let trashLimit: i32 = 50;                // trashcan: defer a dealloc at this nesting
export let trashDrainLevel: i32 = 0;            // … and drain deferred ones at or below this nesting
export let trashDrainGuard: i32 = 1;            // nesting added while draining (≤3.12: 1; 3.13: 0)
/** ≤3.7: subtype_dealloc raises the nesting around its trashcan check, so instances
 * are deferred one level earlier and never drain the list themselves. */
export let trashInstanceBias: i32 = 0;
/** ≤3.10: a __del__ call has a frame object, itself trashcan-protected; a deferred
 * frame keeps `self` alive until it is drained (the object looks resurrected). */
export let finalizerFrames: bool = false;
/** 3.8–3.9: a deposited frame's own dealloc counts one nesting level when it is drained. */
export let finalizerFrameNesting: bool = false;
/** 3.15 (gh-135552): before finalizers only weakrefs with callbacks are cleared;
 * the rest, and weakref objects inside the garbage, after the resurrection check. */
export let weakrefsClearedLate: bool = false;
/** Lists, dicts and small tuples reuse freed objects without counting them (freelists.ts). */
export let freeListsOn: bool = true;
/** 2.7: a full collection leaves the list and dict free lists alone. */
export let freeListsKeptByFullCollection: bool = false;
export function setFreeLists(on: bool, keptByFull: bool): void {
  freeListsOn = on;
  freeListsKeptByFullCollection = keptByFull;
}

/**
 * The profile as it crosses the boundary: one record the host fills (i32
 * fields, in this order; src/wasm/records.ts names them, and
 * test/boundary-tables.test.ts checks both lists and the size) and the
 * engine applies with configure().
 */
@unmanaged export class ProfileRecord {
  legacyDel: i32;
  resurrection: i32;
  counting: i32;
  clearWeakrefsInGarbage: i32;
  untrackTuplesInScan: i32;
  dictsAlwaysTracked: i32;
  tuplesTrackedIfNeeded: i32;
  safePointMode: i32;
  trashLimit: i32;
  trashDrainLevel: i32;
  trashDrainGuard: i32;
  trashInstanceBias: i32;
  finalizerFrames: i32;
  incremental: i32;
  countTracked: i32;
  startupObjects: i32;
  finalizerFrameNesting: i32;
  weakrefsClearedLate: i32;
}

/** Where the host writes the record (static: the profile is set once, before any object). */
export const PROFILE_RECORD: usize = memory.data(offsetof<ProfileRecord>());

export function applyProfile(r: ProfileRecord): void {
  legacyDel = r.legacyDel != 0;
  resurrection = <u32>r.resurrection;
  counting = <u32>r.counting;
  clearWeakrefsInGarbage = r.clearWeakrefsInGarbage != 0;
  untrackTuplesInScan = r.untrackTuplesInScan != 0;
  dictsAlwaysTracked = r.dictsAlwaysTracked != 0;
  tuplesTrackedIfNeeded = r.tuplesTrackedIfNeeded != 0;
  safePointMode = r.safePointMode != 0;
  trashLimit = r.trashLimit;
  trashDrainLevel = r.trashDrainLevel;
  trashDrainGuard = r.trashDrainGuard;
  trashInstanceBias = r.trashInstanceBias;
  finalizerFrames = r.finalizerFrames != 0;
  incremental = r.incremental != 0;
  countTracked = r.countTracked != 0;
  finalizerFrameNesting = r.finalizerFrameNesting != 0;
  weakrefsClearedLate = r.weakrefsClearedLate != 0;
}
