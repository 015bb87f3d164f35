// Scratch memory for one analysis call, and the mark bitset the passes share.
//
// An analysis takes all its temporary blocks through `scratch()` and gives
// them back with one `scratchFreeAll()` on every exit path, newest first (so
// the arena's top shrinks back). Marks live in a bitset of one bit per id
// (128 KiB for a million ids, so the per-reference "seen?" test stays in the
// cache) instead of the F_VISITED flag: the object columns are never written,
// and there is nothing to clear in the heap afterwards.

import { arenaAlloc, arenaFree } from "../arena";
import { F_ALLOCATED } from "../common";
import { flags } from "../heap";

// @ts-ignore: decorator
@inline const MAX_BLOCKS: i32 = 24;
const blockPtr = memory.data(MAX_BLOCKS * 4);
const blockBytes = memory.data(MAX_BLOCKS * 4);
let blocks: i32 = 0;

/** A temporary block of `bytes` (zero-filled when `zero`); 0 when memory cannot grow. */
export function scratch(bytes: usize, zero: bool): usize {
  assert(blocks < MAX_BLOCKS, "analysis scratch table full");
  let p = arenaAlloc(bytes);
  if (p == 0) return 0;
  if (zero) memory.fill(p, 0, bytes);
  store<u32>(blockPtr + (<usize>blocks << 2), <u32>p);
  store<u32>(blockBytes + (<usize>blocks << 2), <u32>bytes);
  blocks++;
  return p;
}

/** Frees every scratch block, newest first. */
export function scratchFreeAll(): void {
  while (blocks > 0) {
    blocks--;
    arenaFree(<usize>load<u32>(blockPtr + (<usize>blocks << 2)), <usize>load<u32>(blockBytes + (<usize>blocks << 2)));
  }
}

/** Which input id made the last analysis call with an id list fail (E_NO_OBJECT). */
export let badIndex: u32 = 0;
export function setBadIndex(i: u32): void { badIndex = i; }

/** Bytes of a bitset with one bit per id below `limit`. */
// @ts-ignore: decorator
@inline export function bitsetBytes(limit: u32): usize { return ((<usize>limit + 31) >> 5) << 2; }
// @ts-ignore: decorator
@inline export function bitGet(bits: usize, x: u32): bool {
  return (load<u32>(bits + ((<usize>x >> 5) << 2)) & (<u32>1 << (x & 31))) != 0;
}
// @ts-ignore: decorator
@inline export function bitSet(bits: usize, x: u32): void {
  let a = bits + ((<usize>x >> 5) << 2);
  store<u32>(a, load<u32>(a) | (<u32>1 << (x & 31)));
}

// @ts-ignore: decorator
@inline export function bitClear(bits: usize, x: u32): void {
  let a = bits + ((<usize>x >> 5) << 2);
  store<u32>(a, load<u32>(a) & ~(<u32>1 << (x & 31)));
}

/** The id holds an object (freed ids keep their other columns until reused). */
// @ts-ignore: decorator
@inline export function isAllocated(x: u32): bool { return (flags(x) & F_ALLOCATED) != 0; }

// @ts-ignore: decorator
@inline export function getU32(base: usize, i: u32): u32 { return load<u32>(base + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline export function setU32(base: usize, i: u32, v: u32): void { store<u32>(base + (<usize>i << 2), v); }

/** Sorts the u32 words a[lo..hi) ascending, in place (heapsort: no extra memory). */
export function sortU32(a: usize, lo: u32, hi: u32): void {
  let n = hi - lo;
  if (n < 2) return;
  let b = a + (<usize>lo << 2);
  for (let i = n >> 1; i > 0; i--) siftU32(b, i - 1, n);
  for (let end = n - 1; end > 0; end--) {
    let t = getU32(b, 0);
    setU32(b, 0, getU32(b, end));
    setU32(b, end, t);
    siftU32(b, 0, end);
  }
}

function siftU32(b: usize, i: u32, n: u32): void {
  let x = getU32(b, i);
  while (true) {
    let c: u32 = (i << 1) + 1;
    if (c >= n) break;
    if (c + 1 < n && getU32(b, c + 1) > getU32(b, c)) c++;
    let y = getU32(b, c);
    if (y <= x) break;
    setU32(b, i, y);
    i = c;
  }
  setU32(b, i, x);
}

/**
 * Puts the ids of one BFS level, queue[lo..hi), in id order. Every id of
 * the level is set in `level` (a bitset over ids below `limit`), and is
 * cleared on return. A large level is rebuilt by scanning the bitset (one
 * sequential pass), a small one is heapsorted.
 */
export function sortLevel(queue: usize, lo: u32, hi: u32, level: usize, limit: u32): void {
  let n = hi - lo;
  if (n == 0) return;
  if (n >= 64 && <u64>n << 9 >= <u64>limit) {
    let words = (limit + 31) >> 5;
    let o = lo;
    for (let i: u32 = 0; i < words; i++) {
      let w = load<u32>(level + (<usize>i << 2));
      if (w == 0) continue;
      store<u32>(level + (<usize>i << 2), 0);
      while (w != 0) {
        setU32(queue, o++, (i << 5) | ctz(w));
        w &= w - 1;
      }
    }
    return;
  }
  for (let i = lo; i < hi; i++) bitClear(level, getU32(queue, i));
  sortU32(queue, lo, hi);
}
