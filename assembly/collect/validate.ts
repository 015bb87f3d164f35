// Debug-build validators (CPython's validate_list): each collector stage is
// followed by a walk that checks the lists it promises to leave behind. They
// compile to nothing in the release build.

import {
  F_ALLOCATED, GEN0, GEN2, PERMANENT, SIM_DEBUG,
} from "../common";
import { flags, gcIsCollecting, gcIsUnreachable, gcNext, gcPrev, refcnt } from "../heap";

/** Walks a list: links agree both ways, members are live with refcnt > 0. */
export function validateList(head: u32, collecting: i32, unreachable: i32): void {
  let prev = head;
  let x = gcNext(head);
  let guard: u32 = 0;
  while (x != head) {
    assert(gcPrev(x) == prev);                 // list links broken
    let f = flags(x);
    assert((f & F_ALLOCATED) != 0);            // a freed object is still linked
    assert(refcnt(x) > 0);                     // a tracked object with refcount 0
    if (collecting >= 0) assert(gcIsCollecting(x) == (collecting == 1));
    if (unreachable >= 0) assert(gcIsUnreachable(x) == (unreachable == 1));
    prev = x;
    x = gcNext(x);
    assert(++guard < 0x7FFFFFFF);              // a cycle that misses the head
  }
  assert(gcPrev(head) == prev);
}

/** Between collections no generation carries a collection mask. */
export function validateCollectionStart(): void {
  if (!SIM_DEBUG) return;
  for (let g = GEN0; g <= GEN2; g++) validateList(g, 0, 0);
  validateList(PERMANENT, 0, 0);
}

/**
 * After a stage: survivors carry no mask; the garbage list has COLLECTING set
 * and, right after move_unreachable, UNREACHABLE too.
 */
export function validateStage(old: u32, garbage: u32, stage: i32): void {
  if (!SIM_DEBUG) return;
  if (stage == 1) {
    validateList(old, 0, 0);
    validateList(garbage, 1, 1);
  } else if (stage == 2 || stage == 3) {
    validateList(old, 0, 0);
    validateList(garbage, 1, 0);
  } else {
    validateList(old, 0, 0);
  }
}
