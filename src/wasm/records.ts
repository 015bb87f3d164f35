// Records that cross the wasm↔TS boundary as memory rather than arguments.
// Each is declared once in the engine (an @unmanaged class); this file names
// its fields in the same order, and test/boundary-tables.test.ts reads the
// engine's declaration and checks the names, the order and the size.

import type { Profile } from "../profiles.js";

/** assembly/profile.ts ProfileRecord: i32 fields, in order. */
export const PROFILE_RECORD_FIELDS = [
  "legacyDel", "resurrection", "counting", "clearWeakrefsInGarbage", "untrackTuplesInScan",
  "dictsAlwaysTracked", "tuplesTrackedIfNeeded", "safePointMode", "trashLimit", "trashDrainLevel",
  "trashDrainGuard", "trashInstanceBias", "finalizerFrames", "incremental", "countTracked",
  "startupObjects", "finalizerFrameNesting", "weakrefsClearedLate",
] as const;
export type ProfileRecordField = (typeof PROFILE_RECORD_FIELDS)[number];

/** The record's values for a profile (and the heap's start-up object count). */
export function profileRecord(p: Profile, startupObjects: number): Record<ProfileRecordField, number> {
  return {
    legacyDel: +p.legacyDel,
    resurrection: { none: 0, "all-or-nothing": 1, partial: 2 }[p.resurrection],
    counting: { "pre-finalize": 0, "at-delete": 1, "post-finalize": 2 }[p.counting],
    clearWeakrefsInGarbage: +p.clearWeakrefsInGarbage,
    untrackTuplesInScan: +p.untrackTuplesInScan,
    dictsAlwaysTracked: +p.dictsAlwaysTracked,
    tuplesTrackedIfNeeded: +p.tuplesTrackedIfNeeded,
    safePointMode: +p.safePoint,
    trashLimit: p.trashcan.limit,
    trashDrainLevel: p.trashcan.drainLevel,
    trashDrainGuard: p.trashcan.drainGuard,
    trashInstanceBias: p.trashcan.instanceBias,
    finalizerFrames: +p.trashcan.finalizerFrames,
    incremental: +p.incremental,
    countTracked: +p.countTracked,
    startupObjects,
    finalizerFrameNesting: +p.trashcan.frameNesting,
    weakrefsClearedLate: +p.weakrefsClearedLate,
  };
}

/** Writes the record at `ptr` (the engine's profileRecord()). */
export function writeProfileRecord(memory: WebAssembly.Memory, ptr: number, values: Record<ProfileRecordField, number>): void {
  const view = new Int32Array(memory.buffer, ptr, PROFILE_RECORD_FIELDS.length);
  PROFILE_RECORD_FIELDS.forEach((f, i) => { view[i] = values[f]; });
}

/** Each field's u32 index in a record of these fields. */
function indexOf<F extends string>(fields: readonly F[]): Record<F, number> {
  return Object.fromEntries(fields.map((f, i) => [f, i])) as Record<F, number>;
}

/** assembly/heap.ts Layout: u32 fields, in order (column addresses, capacity, nextFresh). */
export const LAYOUT_FIELDS = [
  "capacity", "refcnt", "flags", "prev", "next", "gcRefs", "edgeStart", "edgeLen", "weak", "serial",
  "roots", "leaks", "nextFresh", "size", "typeName", "wrNext",
] as const;
/** A field's u32 index in the layout record. */
export const LAYOUT = indexOf(LAYOUT_FIELDS);

/** assembly/events.ts EventRecord: u32 fields, in order (records are eventWords() words apart). */
export const EVENT_FIELDS = ["kind", "a", "b", "c", "examined", "automatic", "workToDo", "wallUs", "candidates", "op"] as const;
/** A field's u32 index in an event record. */
export const EVENT = indexOf(EVENT_FIELDS);

/** assembly/queries.ts SnapshotRecord: u32 fields, in order (one per object of describeMany). */
export const SNAPSHOT_FIELDS = ["typeAndFlags", "serial", "refcount", "roots", "leaks", "referents"] as const;
/** A field's u32 index in a snapshot record. */
export const SNAPSHOT = indexOf(SNAPSHOT_FIELDS);

/** assembly/collect/trace.ts: a stage snapshot is a StageHeader, its StageLists, then the members written (StageMember). */
export const STAGE_HEADER_FIELDS = ["stage", "examined", "lists"] as const;
export const STAGE_HEADER = indexOf(STAGE_HEADER_FIELDS);
export const STAGE_LIST_FIELDS = ["head", "size", "written"] as const;
export const STAGE_LIST = indexOf(STAGE_LIST_FIELDS);
export const STAGE_MEMBER_FIELDS = ["id", "gcWord", "refcnt"] as const;
export const STAGE_MEMBER = indexOf(STAGE_MEMBER_FIELDS);
