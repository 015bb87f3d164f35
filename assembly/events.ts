// The event log: what a Python observer would see, in the order it happened.
// TS drains it after every call. A record is four u32 words.
//
// ╒═ event record ═══════════════════════════════════════════════════╕
// │ kind │ a                │ b                  │ c                 │
// │ 1    │ object id        │ serial             │ -                 │ __del__ ran (finalized)
// │ 2    │ weakref id       │ serial             │ -                 │ weakref callback ran
// │ 3    │ generation       │ count[0] at start  │ -                 │ gc.callbacks "start"
// │ 4    │ generation       │ collected          │ uncollectable     │ gc.callbacks "stop"
// └──────┴──────────────────┴────────────────────┴───────────────────┘

import { arenaRealloc } from "./arena";

// @ts-ignore: decorator
@inline export const EV_FINALIZED: u32 = 1;
// @ts-ignore: decorator
@inline export const EV_CALLBACK: u32 = 2;
// @ts-ignore: decorator
@inline export const EV_GC_START: u32 = 3;
// @ts-ignore: decorator
@inline export const EV_GC_STOP: u32 = 4;

let evData: usize = 0;
let evCount: u32 = 0;
let evCap: u32 = 0;
let evDropped: u32 = 0;

export function logEvent(kind: u32, a: u32, b: u32, c: u32): void {
  if (evCount == evCap) {
    let ncap = max<u32>(256, evCap << 1);
    let p = arenaRealloc(evData, <usize>evCap << 4, <usize>ncap << 4);
    if (p == 0) { evDropped++; return; }
    evData = p;
    evCap = ncap;
  }
  let r = evData + (<usize>evCount << 4);
  store<u32>(r, kind);
  store<u32>(r, a, 4);
  store<u32>(r, b, 8);
  store<u32>(r, c, 12);
  evCount++;
}

export function eventsPtr(): usize { return evData; }
export function eventsCount(): u32 { return evCount; }
export function eventsDropped(): u32 { return evDropped; }
export function eventsClear(): void { evCount = 0; evDropped = 0; }
