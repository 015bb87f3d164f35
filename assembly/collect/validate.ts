// Debug-build validators (CPython's validate_list): each collector stage is
// followed by a walk that checks the lists it promises to leave behind. They
// compile to nothing in the release build.

import {
  F_ALLOCATED, GEN0, GEN2, PERMANENT, SIM_DEBUG,
} from "../common";
import { flags, gcIsCollecting, gcIsUnreachable, gcNext, gcPrev, refcnt } from "../heap";

// CPython's `enum flagstates` of validate_list (Python/gc.c): what the
// collection mask of every member must be.
// @ts-ignore: decorator
@inline export const collecting_clear_unreachable_clear: u32 = 0;
// @ts-ignore: decorator
@inline export const collecting_set_unreachable_clear: u32 = 1;
// @ts-ignore: decorator
@inline export const collecting_set_unreachable_set: u32 = 2;

/** validate_list: links agree both ways, members are live with refcnt > 0, masks as `flags` says. */
export function validateList(head: u32, flagstate: u32): void {
  let collecting = flagstate != collecting_clear_unreachable_clear;
  let unreachable = flagstate == collecting_set_unreachable_set;
  let prev = head;
  let x = gcNext(head);
  let guard: u32 = 0;
  while (x != head) {
    assert(gcPrev(x) == prev);                 // list links broken
    let f = flags(x);
    assert((f & F_ALLOCATED) != 0);            // a freed object is still linked
    assert(refcnt(x) > 0);                     // a tracked object with refcount 0
    assert(gcIsCollecting(x) == collecting);
    assert(gcIsUnreachable(x) == unreachable);
    prev = x;
    x = gcNext(x);
    assert(++guard < 0x7FFFFFFF);              // a cycle that misses the head
  }
  assert(gcPrev(head) == prev);
}

/** Between collections no generation carries a collection mask. */
export function validateCollectionStart(): void {
  if (!SIM_DEBUG) return;
  for (let g = GEN0; g <= GEN2; g++) validateList(g, collecting_clear_unreachable_clear);
  validateList(PERMANENT, collecting_clear_unreachable_clear);
}

/**
 * After a stage: survivors carry no mask; the garbage list has COLLECTING set
 * and, right after move_unreachable, UNREACHABLE too.
 */
export function validateStage(old: u32, garbage: u32, stage: i32): void {
  if (!SIM_DEBUG) return;
  validateList(old, collecting_clear_unreachable_clear);
  if (stage == 1) validateList(garbage, collecting_set_unreachable_set);          // after move_unreachable
  else if (stage == 2 || stage == 3) validateList(garbage, collecting_set_unreachable_clear); // after the mask is cleared
}
