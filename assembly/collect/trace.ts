// Stage snapshots for the explorer (src/heap/stages.ts): after each stage of a
// collection, the members of the collector's lists in their order, with
// gc_refs, the COLLECTING/UNREACHABLE masks and the refcount — what
// CPython's comments in Python/gc.c describe at that point. Off unless the
// host turns it on: a stage then costs one test of a global.
//
// At most `traceLimit` members are written in all; the sizes are always
// exact. The host copies the record during the call.

import {
  FINALIZERS, FINAL_UNREACHABLE, GEN0, GEN1, GEN2, INCREMENT, PERMANENT, REACHABLE, UNREACHABLE, WRCB_TO_CALL,
} from "../common";
import { gcNext, gcWord, refcnt } from "../heap";
import { arenaAlloc, arenaFree } from "../arena";

// @ts-ignore: decorator
@external("env", "stageTraced")
declare function hostTakeStage(stage: u32, ptr: usize, words: u32): void;

// Stage ids: CPython's stage names (src/heap/stages.ts's STAGES, in this order).
// @ts-ignore: decorator
@inline export const STAGE_MERGED: u32 = 0; // the examined list is made (younger generations merged onto it)
// @ts-ignore: decorator
@inline export const STAGE_UPDATE_REFS: u32 = 1;
// @ts-ignore: decorator
@inline export const STAGE_SUBTRACT_REFS: u32 = 2;
// @ts-ignore: decorator
@inline export const STAGE_MOVE_UNREACHABLE: u32 = 3;
// @ts-ignore: decorator
@inline export const STAGE_SURVIVORS: u32 = 4; // survivors joined the older list (untrack_tuples/dicts done)
// @ts-ignore: decorator
@inline export const STAGE_MOVE_LEGACY_FINALIZERS: u32 = 5; // move_legacy_finalizers + move_legacy_finalizer_reachable
// @ts-ignore: decorator
@inline export const STAGE_HANDLE_WEAKREFS: u32 = 6;
// @ts-ignore: decorator
@inline export const STAGE_FINALIZE_GARBAGE: u32 = 7;
// @ts-ignore: decorator
@inline export const STAGE_HANDLE_RESURRECTED_OBJECTS: u32 = 8; // handle_resurrected_objects (3.9+) / check_garbage (3.4–3.8)
// @ts-ignore: decorator
@inline export const STAGE_DELETE_GARBAGE: u32 = 9;
// @ts-ignore: decorator
@inline export const STAGE_HANDLE_LEGACY_FINALIZERS: u32 = 10; // the collection is over
// @ts-ignore: decorator
@inline export const STAGE_MARK_AT_START: u32 = 11; // 3.14
// @ts-ignore: decorator
@inline export const STAGE_INCREMENT: u32 = 12; // 3.14: the increment's objects gathered

// The record (src/wasm/records.ts names the fields; test/boundary-tables.test.ts checks):
// a StageHeader, `lists` StageLists, then the members written, list by list.
@unmanaged export class StageHeader {
  stage: u32;
  examined: u32; // the list head the stage worked on
  lists: u32;
}
@unmanaged export class StageList {
  head: u32;
  size: u32;    // exact
  written: u32; // members that follow (the limit may cut them)
}
@unmanaged export class StageMember {
  id: u32;
  gcWord: u32;  // gc_refs << 2 | UNREACHABLE << 1 | COLLECTING
  refcnt: u32;
}

/** The lists a snapshot shows: generations / old spaces, permanent, U, L, callbacks to call, U', 3.14's increment and reachable. */
const LISTS: StaticArray<u32> = [GEN0, GEN1, GEN2, PERMANENT, UNREACHABLE, FINALIZERS, WRCB_TO_CALL, FINAL_UNREACHABLE, INCREMENT, REACHABLE];

let traceOn = false;
let traceLimit: u32 = 0;

/** Turns stage snapshots on (limit > 0: members written per snapshot at most) or off (0). */
export function setStageTrace(limit: u32): void {
  traceOn = limit > 0;
  traceLimit = limit;
}

/** After a stage: a snapshot for the host when tracing is on. */
// @ts-ignore: decorator
@inline export function traceStage(stage: u32, examined: u32): void {
  if (traceOn) snapshot(stage, examined);
}

function snapshot(stage: u32, examined: u32): void {
  let nLists = <u32>LISTS.length;
  let written: u32 = 0;
  for (let i: u32 = 0; i < nLists; i++) {
    let head = LISTS[i];
    for (let x = gcNext(head); x != head && written < traceLimit; x = gcNext(x)) written++;
  }
  let bytes = offsetof<StageHeader>() + <usize>nLists * offsetof<StageList>() + <usize>written * offsetof<StageMember>();
  let p = arenaAlloc(bytes);
  // no memory for the snapshot: the host is told with an empty record (the collection goes on)
  if (p == 0) { hostTakeStage(stage, 0, 0); return; }
  let hdr = changetype<StageHeader>(p);
  hdr.stage = stage;
  hdr.examined = examined;
  hdr.lists = nLists;
  let l = p + offsetof<StageHeader>();
  let m = l + <usize>nLists * offsetof<StageList>();
  let left = traceLimit;
  for (let i: u32 = 0; i < nLists; i++) {
    let head = LISTS[i];
    let size: u32 = 0, put: u32 = 0;
    for (let x = gcNext(head); x != head; x = gcNext(x)) {
      size++;
      if (left > 0) {
        let r = changetype<StageMember>(m);
        r.id = x;
        r.gcWord = <u32>gcWord(x);
        r.refcnt = <u32>refcnt(x);
        m += offsetof<StageMember>();
        left--;
        put++;
      }
    }
    let rec = changetype<StageList>(l);
    rec.head = head;
    rec.size = size;
    rec.written = put;
    l += offsetof<StageList>();
  }
  hostTakeStage(stage, p, <u32>(bytes >> 2));
  arenaFree(p, bytes);
}
