// The event log: what a Python observer would see, in the order it happened,
// plus what the simulator knows about each collection. TS drains it after
// every call. A record is EVENT_WORDS u32 words (the TS side asks eventWords()).
// The log has a fixed size, made at init: when it is full the host takes the
// records (eventsFull import) and the log starts again, so a call that logs
// any number of events never needs memory in the middle of a collection and
// never loses one.
//
// ╒═ event record ══════════════════════════════════════════════════════════════════╕
// │ kind │ a          │ b                 │ c             │ d        │ e         │ f │
// │ 1    │ object id  │ serial            │               │          │           │   │ __del__ ran
// │ 2    │ weakref id │ serial            │               │          │           │   │ weakref callback ran
// │ 3    │ generation │ count[0] at start │ automatic 0/1 │          │           │   │ gc.callbacks "start"
// │ 4    │ generation │ collected         │ uncollectable │ examined │ automatic │ w │ gc.callbacks "stop"
// └──────┴────────────┴───────────────────┴───────────────┴──────────┴───────────┴───┘
// (word 7 of a "stop" record: the collection's wall time in microseconds; word 8:
// candidates, the objects update_refs counted, as 3.15's gc.get_stats() reports them;
// word 9 of every record: the op of the running op stream, NO_OP outside one)
// examined: objects whose gc_refs this collection computed, plus objects the
// 3.14 mark phase marked. w: 3.14's work_to_do after the collection (i32).

import { arenaAlloc } from "./arena";

// @ts-ignore: decorator
@inline export const EV_FINALIZED: u32 = 1;
// @ts-ignore: decorator
@inline export const EV_CALLBACK: u32 = 2;
// @ts-ignore: decorator
@inline export const EV_GC_START: u32 = 3;
// @ts-ignore: decorator
@inline export const EV_GC_STOP: u32 = 4;

/**
 * One event (the table above): declared once here; src/wasm/records.ts names
 * the fields in this order and test/boundary-tables.test.ts checks it. The
 * fields after c mean something in a "stop" record only.
 */
@unmanaged export class EventRecord {
  kind: u32;
  a: u32;
  b: u32;
  c: u32;
  examined: u32;
  automatic: u32;
  workToDo: u32;
  wallUs: u32;
  candidates: u32;
  /** The op of the running op stream that the event happened in (NO_OP outside runOps). */
  op: u32;
}

// @ts-ignore: decorator
@inline export const EVENT_WORDS: u32 = 16; // the record, padded to a power of two
// @ts-ignore: decorator
@inline const EVENT_SHIFT: u32 = 6; // log2(EVENT_WORDS * 4)

// @ts-ignore: decorator
@inline const EVENT_CAPACITY: u32 = 1024;

// @ts-ignore: decorator
@inline export const NO_OP: u32 = 0xFFFFFFFF;
/** The op stream's current op (assembly/ops.ts sets it), stamped on each event. */
let eventOp: u32 = NO_OP;
export function setEventOp(i: u32): void { eventOp = i; }

let evData: usize = 0;
let evCount: u32 = 0;

/** The host copies evCount records from evData (it must not call back into the engine). */
// @ts-ignore: decorator
@external("env", "eventsFull")
declare function hostTakeEvents(ptr: usize, count: u32): void;

/** Makes the log (at init: false when memory cannot hold it). */
export function initEvents(): bool {
  if (evData != 0) return true;
  evData = arenaAlloc(<usize>EVENT_CAPACITY << EVENT_SHIFT);
  return evData != 0;
}

export function logEvent(kind: u32, a: u32, b: u32, c: u32, d: u32 = 0, e: u32 = 0, f: u32 = 0, g: u32 = 0, h: u32 = 0): void {
  if (evCount == EVENT_CAPACITY) {
    hostTakeEvents(evData, evCount);
    evCount = 0;
  }
  let r = changetype<EventRecord>(evData + (<usize>evCount << EVENT_SHIFT));
  r.kind = kind; r.a = a; r.b = b; r.c = c;
  r.examined = d; r.automatic = e; r.workToDo = f; r.wallUs = g; r.candidates = h; r.op = eventOp;
  evCount++;
}

export function eventsPtr(): usize { return evData; }
export function eventWords(): u32 { return EVENT_WORDS; }
export function eventsCount(): u32 { return evCount; }
export function eventsClear(): void { evCount = 0; }
