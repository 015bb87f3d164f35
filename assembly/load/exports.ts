// The wasm ABI for loading a real Python heap (assembly/load/*): re-exported
// by assembly/index.ts. Called by src/load/ (Heap.fromDump), once per dump.

import * as loader from "./load";
import { ioPtrNow } from "../io";
import * as callbacks from "./callbacks";

/** n object records in the exchange buffer → ids over the buffer's start. */
export function loadObjects(n: u32): i32 { return loader.loadObjects(ioPtrNow(), n); }
/** m (from, to) pairs in the exchange buffer, in traversal order. */
export function loadEdges(m: u32): i32 { return loader.loadEdges(ioPtrNow(), m); }
/** Which record or pair made the last load call fail. */
export function loadBadIndex(): u32 { return loader.loadBadIndex; }
export function loadSetExternal(x: u32, roots: u32, leaks: u32): i32 { return loader.setExternal(x, roots, leaks); }
export function loadSetGeneration(x: u32, g: u32): i32 { return loader.setGeneration(x, g); }
export function loadLinkWeakref(w: u32, target: u32, callback: bool): i32 { return loader.linkLoadedWeakref(w, target, callback); }
/** n ids in the exchange buffer: those with no reference at all are released. */
export function loadFinish(n: u32): u32 { return loader.loadFinish(ioPtrNow(), n); }
export function loadSetCounts(c0: i32, c1: i32, c2: i32): void { loader.setCounts(c0, c1, c2); }
/** n (weakref, offset) pairs then `words` payload words in the exchange buffer: what each self-removing callback removes. */
export function loadSetRemovals(n: u32, words: u32): i32 { return callbacks.setRemovals(ioPtrNow(), n, words); }
export function loadRemovalBadIndex(): u32 { return callbacks.removalBadIndex; }
