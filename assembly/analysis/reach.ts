// Reachability from the heap's sources of strong references, and the
// shortest chain of references from a source to an object (whyAlive).
//
// Sources (a mask; every refcount is explained by edges plus these):
//   1 root bindings (roots(x) > 0)     2 leaked references (leaks(x) > 0)
//   4 gc.garbage entries               8 the resurrection list
// Breadth first, one level (distance from the sources) at a time, each level
// in id order. Between equally short chains this picks, for every object on
// the chain, the lowest-id predecessor one step closer to the sources (and
// the lowest-id target of pathToAny at the least distance).
//
// The two immortal singletons (ids 10 and 11: () and the int literal) are no
// part of the analysed graph: they are alive whatever refers to them.

import { edgeLen, edgeStart, leaks, liveObjects, nextFresh, roots, firstUserId } from "../heap";
import { word } from "../edges";
import { GARBAGE, RESURRECTED, idListGet, idListLen } from "../gclists";
import { ioEnsure, ioPtrNow as ioPtr, ioSet } from "../io";
import { E_NO_OBJECT, E_OUT_OF_MEMORY } from "../status";
import { bitGet, bitSet, bitsetBytes, getU32, isAllocated, scratch, scratchFreeAll, setBadIndex, setU32, sortLevel } from "./scratch";

// @ts-ignore: decorator
@inline export const SRC_ROOTS: u32 = 1;
// @ts-ignore: decorator
@inline export const SRC_LEAKS: u32 = 2;
// @ts-ignore: decorator
@inline export const SRC_GARBAGE: u32 = 4;
// @ts-ignore: decorator
@inline export const SRC_RESURRECTED: u32 = 8;
// @ts-ignore: decorator
@inline export const SRC_ALL: u32 = 15;

/** Objects the last reach/path call marked (sources included). */
export let reachedCount: u32 = 0;
/** Distinct source objects of the last reach/path call. */
export let sourceCount: u32 = 0;

/** Upper bound on the source entries of a mask (before removing duplicates). */
export function sourceBound(mask: u32): u32 {
  let n: u32 = 0;
  if ((mask & (SRC_ROOTS | SRC_LEAKS)) != 0) n += liveObjects;
  if ((mask & SRC_GARBAGE) != 0) n += idListLen(GARBAGE);
  if ((mask & SRC_RESURRECTED) != 0) n += idListLen(RESURRECTED);
  return n;
}

/** Is x a root-binding or leak source under mask? (x allocated) */
// @ts-ignore: decorator
@inline export function isBoundSource(x: u32, mask: u32): bool {
  return ((mask & SRC_ROOTS) != 0 && roots(x) > 0) || ((mask & SRC_LEAKS) != 0 && leaks(x) > 0);
}

/**
 * Writes the source entries of mask to `out` in source order (duplicates
 * possible between the parts); returns how many. Room: sourceBound(mask).
 */
export function listSources(mask: u32, out: usize): u32 {
  let n: u32 = 0;
  let limit = nextFresh;
  if ((mask & (SRC_ROOTS | SRC_LEAKS)) != 0) {
    for (let x = firstUserId; x < limit; x++) {
      if (isAllocated(x) && isBoundSource(x, mask)) setU32(out, n++, x);
    }
  }
  if ((mask & SRC_GARBAGE) != 0) {
    let m = idListLen(GARBAGE);
    for (let i: u32 = 0; i < m; i++) {
      let x = idListGet(GARBAGE, i);
      if (x >= firstUserId) setU32(out, n++, x);
    }
  }
  if ((mask & SRC_RESURRECTED) != 0) {
    let m = idListLen(RESURRECTED);
    for (let i: u32 = 0; i < m; i++) {
      let x = idListGet(RESURRECTED, i);
      if (x >= firstUserId) setU32(out, n++, x);
    }
  }
  return n;
}

/**
 * Marks the sources in `bits` and queues them (each once); with `parent`,
 * records 0 as their parent. Returns the queue's length.
 */
function seedSources(mask: u32, bits: usize, queue: usize, parent: usize): u32 {
  let tail: u32 = 0;
  let limit = nextFresh;
  if ((mask & (SRC_ROOTS | SRC_LEAKS)) != 0) {
    for (let x = firstUserId; x < limit; x++) {
      if (isAllocated(x) && isBoundSource(x, mask)) {
        bitSet(bits, x);
        setU32(queue, tail++, x);
        if (parent != 0) setU32(parent, x, 0);
      }
    }
  }
  for (let part: u32 = 0; part < 2; part++) {
    if ((mask & (part == 0 ? SRC_GARBAGE : SRC_RESURRECTED)) == 0) continue;
    let l = part == 0 ? GARBAGE : RESURRECTED;
    let m = idListLen(l);
    for (let i: u32 = 0; i < m; i++) {
      let x = idListGet(l, i);
      if (x < firstUserId || bitGet(bits, x)) continue;
      bitSet(bits, x);
      setU32(queue, tail++, x);
      if (parent != 0) setU32(parent, x, 0);
    }
  }
  sourceCount = tail;
  return tail;
}

/** The target found by the last bfs (0: none). */
let found: u32 = 0;

/**
 * Breadth first from the `seeds` queued objects (marked in `bits`), one
 * level at a time, each level in id order (so the columns and the edge pool
 * are read in address order, not at random: several times faster at a
 * million objects). With `parent`, records each object's predecessor: the
 * lowest-id object of the previous level that refers to it. With `targets`,
 * stops as soon as one is marked (`found`). Returns the queue's length
 * (everything marked). `level` is a zeroed bitset; it may be left dirty.
 */
function bfs(bits: usize, level: usize, queue: usize, seeds: u32, parent: usize, targets: usize): u32 {
  let limit = nextFresh;
  found = 0;
  for (let i: u32 = 0; i < seeds; i++) bitSet(level, getU32(queue, i));
  sortLevel(queue, 0, seeds, level, limit);
  let tail = seeds;
  if (targets != 0) {
    for (let i: u32 = 0; i < seeds; i++) {
      let x = getU32(queue, i);
      if (bitGet(targets, x)) { found = x; return tail; }
    }
  }
  let lo: u32 = 0, hi = tail;
  while (lo < hi) {
    for (let i = lo; i < hi; i++) {
      let x = getU32(queue, i);
      let n = edgeLen(x);
      if (n == 0) continue;
      let s = edgeStart(x);
      for (let k: u32 = 0; k < n; k++) {
        let r = word(s + k);
        if (r < firstUserId || bitGet(bits, r)) continue;
        bitSet(bits, r);
        bitSet(level, r);
        setU32(queue, tail++, r);
        if (parent != 0) setU32(parent, r, x);
        if (targets != 0 && bitGet(targets, r)) { found = r; return tail; }
      }
    }
    sortLevel(queue, hi, tail, level, limit);
    lo = hi;
    hi = tail;
  }
  return tail;
}

/**
 * Marks everything reachable from the sources of mask; writes the live
 * objects NOT reached to the exchange buffer in id order and returns how
 * many (reachedCount, sourceCount say the rest), or -E_OUT_OF_MEMORY.
 */
export function reach(mask: u32): i32 {
  let limit = nextFresh;
  if (ioEnsure(<usize>liveObjects << 2) == 0) return -E_OUT_OF_MEMORY;
  let bits = scratch(bitsetBytes(limit), true);
  let level = bits == 0 ? <usize>0 : scratch(bitsetBytes(limit), true);
  let queue = level == 0 ? <usize>0 : scratch(<usize>limit << 2, false);
  if (queue == 0) { scratchFreeAll(); return -E_OUT_OF_MEMORY; }
  reachedCount = bfs(bits, level, queue, seedSources(mask, bits, queue, 0), 0, 0);
  let m: u32 = 0;
  for (let x = firstUserId; x < limit; x++) {
    if (isAllocated(x) && !bitGet(bits, x)) ioSet(m++, x);
  }
  scratchFreeAll();
  return <i32>m;
}

/**
 * The shortest chain of references from a source of mask to any object of
 * `targets` (a bitset): breadth first, stopping at the first target marked.
 * Writes the chain, source first, to the exchange buffer and returns its
 * length (1 when a source is a target), 0 when no target is reachable, or
 * -E_OUT_OF_MEMORY. Frees its scratch except the caller's.
 */
function pathTo(mask: u32, targets: usize, bits: usize): i32 {
  let limit = nextFresh;
  let level = scratch(bitsetBytes(limit), true);
  let queue = level == 0 ? <usize>0 : scratch(<usize>limit << 2, false);
  let parent = queue == 0 ? <usize>0 : scratch(<usize>limit << 2, false);
  if (parent == 0) return -E_OUT_OF_MEMORY;
  reachedCount = bfs(bits, level, queue, seedSources(mask, bits, queue, parent), parent, targets);
  if (found == 0) return 0;
  let len: u32 = 0;
  for (let x = found; x != 0; x = getU32(parent, x)) len++;
  if (ioEnsure(<usize>len << 2) == 0) return -E_OUT_OF_MEMORY;
  let i = len;
  for (let x = found; x != 0; x = getU32(parent, x)) ioSet(--i, x);
  return <i32>len;
}

/** whyAlive: the shortest chain from a source of mask to target (see pathTo). */
export function pathToObject(mask: u32, target: u32): i32 {
  if (target < firstUserId || target >= nextFresh || !isAllocated(target)) return -E_NO_OBJECT;
  let limit = nextFresh;
  let bytes = bitsetBytes(limit);
  let bits = scratch(bytes, true);
  let targets = bits == 0 ? <usize>0 : scratch(bytes, true);
  if (targets == 0) { scratchFreeAll(); return -E_OUT_OF_MEMORY; }
  bitSet(targets, target);
  let r = pathTo(mask, targets, bits);
  scratchFreeAll();
  return r;
}

/**
 * The shortest chain from a source of mask to any of the n ids in the
 * exchange buffer (-E_NO_OBJECT: badIndex names a dead one).
 */
export function pathToAny(mask: u32, n: u32): i32 {
  let limit = nextFresh;
  for (let i: u32 = 0; i < n; i++) {
    let x = getU32(ioPtr(), i);
    if (x < firstUserId || x >= limit || !isAllocated(x)) { setBadIndex(i); return -E_NO_OBJECT; }
  }
  let bytes = bitsetBytes(limit);
  let bits = scratch(bytes, true);
  let targets = bits == 0 ? <usize>0 : scratch(bytes, true);
  if (targets == 0) { scratchFreeAll(); return -E_OUT_OF_MEMORY; }
  for (let i: u32 = 0; i < n; i++) bitSet(targets, getU32(ioPtr(), i));
  let r = pathTo(mask, targets, bits);
  scratchFreeAll();
  return r;
}
