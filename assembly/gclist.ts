// ───── list functions ─────────────────────────────────────────────────────────
// Circular doubly linked lists with a sentinel head, threaded through the
// PREV/NEXT columns, as CPython's PyGC_Head lists are. Every move of objects
// between generations and the collector's temporary sets goes through these.
// An object is tracked exactly when it is linked (NEXT != 0).

import { gcNext, gcPrev, setGcNext, setGcPrev } from "./heap";
import { NIL } from "./common";

export function gcListInit(head: u32): void {
  setGcNext(head, head);
  setGcPrev(head, head);
}

// @ts-ignore: decorator
@inline export function gcListIsEmpty(head: u32): bool { return gcNext(head) == head; }

/** Appends x (not linked anywhere) at the tail of the list. */
export function gcListAppend(x: u32, head: u32): void {
  let last = gcPrev(head);
  setGcNext(last, x);
  setGcPrev(x, last);
  setGcNext(x, head);
  setGcPrev(head, x);
}

/** Unlinks x; it is untracked afterwards. */
export function gcListRemove(x: u32): void {
  let p = gcPrev(x), n = gcNext(x);
  setGcNext(p, n);
  setGcPrev(n, p);
  setGcNext(x, NIL);
  setGcPrev(x, NIL);
}

/** Moves x from whatever list holds it to the tail of `head`. */
export function gcListMove(x: u32, head: u32): void {
  let p = gcPrev(x), n = gcNext(x);
  setGcNext(p, n);
  setGcPrev(n, p);
  gcListAppend(x, head);
}

/** Appends all of `from` to the tail of `to`; `from` is left empty. */
export function gcListMerge(from: u32, to: u32): void {
  if (gcListIsEmpty(from)) return;
  let toTail = gcPrev(to);
  let first = gcNext(from), last = gcPrev(from);
  setGcNext(toTail, first);
  setGcPrev(first, toTail);
  setGcNext(last, to);
  setGcPrev(to, last);
  gcListInit(from);
}

export function gcListSize(head: u32): u32 {
  let n: u32 = 0;
  for (let x = gcNext(head); x != head; x = gcNext(x)) n++;
  return n;
}
// ───── end of list functions ──────────────────────────────────────────────────
