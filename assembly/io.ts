// The exchange buffer for batch operations: TS writes id arrays here before a
// batch call and reads id arrays the engine writes here (get_objects, chain …).

import { arenaFree, arenaRealloc } from "./arena";

let ioData: usize = 0;
let ioBytes: usize = 0;

/** Ensures room for `bytes`; returns the buffer address, 0 when memory cannot grow. */
export function ioEnsure(bytes: u64): usize {
  if (bytes > <u64>ioBytes || ioData == 0) { // an empty result still needs a valid address
    if (bytes > 0xF0000000) return 0;   // more than wasm32's memory: no size computation may wrap
    let n = max<usize>(<usize>bytes, min<usize>(max<usize>(ioBytes << 1, 4096), 0xF0000000));
    let p = arenaRealloc(ioData, ioBytes, n);
    if (p == 0) return 0;
    ioData = p;
    ioBytes = n;
  }
  return ioData;
}

// @ts-ignore: decorator
@inline export function ioGet(i: u32): u32 { return load<u32>(ioData + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline export function ioSet(i: u32, v: u32): void { store<u32>(ioData + (<usize>i << 2), v); }
export function ioPtrNow(): usize { return ioData; }

/**
 * Gives a large buffer back after a call (a 4M-reference addRefs stages 32 MB):
 * the heap's memory is then its objects, not the biggest batch it ever saw.
 */
export function ioTrim(): void {
  if (ioBytes <= TRIM_ABOVE) return;
  arenaFree(ioData, ioBytes);
  ioData = 0;
  ioBytes = 0;
}
/** Buffers up to this size are kept between calls. */
// @ts-ignore: decorator
@inline export const TRIM_ABOVE: usize = 1 << 20;
