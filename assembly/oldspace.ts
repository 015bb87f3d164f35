// 3.14's two old spaces (InternalDocs/garbage_collector.md, "Incremental
// garbage collection"): which one is visited, and each object's bit. State
// at the bottom of the engine: tracking and weakref handling place objects in
// a space without depending on the collector that flips them.

import { F_OLD_SPACE, GEN1 } from "./common";
import { flags, setFlags } from "./heap";

/** Which old space is the visited one (0 or 1). */
export let visitedSpace: u32 = 0;
export function setVisitedSpace(s: u32): void { visitedSpace = s; }

// @ts-ignore: decorator
@inline export function oldSpace(x: u32): u32 { return (flags(x) & F_OLD_SPACE) != 0 ? 1 : 0; }
// @ts-ignore: decorator
@inline export function setOldSpace(x: u32, s: u32): void {
  setFlags(x, s != 0 ? flags(x) | F_OLD_SPACE : flags(x) & ~F_OLD_SPACE);
}
// @ts-ignore: decorator
@inline export function visitedHead(): u32 { return GEN1 + visitedSpace; }
// @ts-ignore: decorator
@inline export function pendingHead(): u32 { return GEN1 + (visitedSpace ^ 1); }
