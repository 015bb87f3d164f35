// Strongly connected components of the subgraph induced by a set of ids
// (Tarjan's algorithm, iterative: an explicit frame stack of (node, next
// reference), so a million-long cycle needs no machine stack).
//
// Components are numbered in the order Tarjan completes them (a component
// is numbered before every component that refers to it). A component is a
// cycle when it has more than one member, or one member that refers to itself.

import { edgeLen, edgeStart, isLiveId, nextFresh } from "../heap";
import { word } from "../edges";
import { ioEnsure, ioGet, ioSet } from "../io";
import { E_NO_OBJECT, E_OUT_OF_MEMORY } from "../status";
import { bitClear, bitGet, bitSet, bitsetBytes, getU32, scratch, scratchFreeAll, setBadIndex, setU32 } from "./scratch";

// @ts-ignore: decorator
@inline const DONE: u32 = 0x80000000;
/** The component word of an id listed again (its first occurrence carries the component). */
// @ts-ignore: decorator
@inline export const REPEATED: u32 = 0xFFFFFFFF;

/** Components found by the last call. */
export let componentCount: u32 = 0;

function refersToItself(x: u32): bool {
  let s = edgeStart(x), n = edgeLen(x);
  for (let i: u32 = 0; i < n; i++) if (word(s + i) == x) return true;
  return false;
}

/**
 * The n ids at exchange-buffer words [inAt, inAt + n). Writes the component
 * of input i to word outAt + i (REPEATED for a later occurrence of an id),
 * then one word per component at outAt + n + c: 1 when it is a cycle, else 0. outAt may equal inAt (in place). Returns the number of
 * components, -E_NO_OBJECT (badIndex names the input) or -E_OUT_OF_MEMORY.
 *
 * Memory traffic is what costs at a million objects (each random access is a
 * cache and TLB miss), so each reference touches one id-indexed word,
 * num[r]: 0 not yet visited; below 2^31 its discovery number (it is on
 * Tarjan's stack); DONE | component once its component is complete — larger
 * than any discovery number, so `low = min(low, num[r])` needs no test of
 * which case it is. Lowlinks live in the DFS frames (a node's lowlink is
 * only needed while it is on the call stack), and a frame keeps its slice
 * bounds, so resuming it reads no column.
 */
export function scc(inAt: u32, n: u32, outAt: u32): i32 {
  for (let i: u32 = 0; i < n; i++) {
    if (!isLiveId(ioGet(inAt + i))) { setBadIndex(i); return -E_NO_OBJECT; }
  }
  let words = <u64>outAt + 2 * <u64>n;
  if (words > 0x3FFFFFFF || ioEnsure(<usize>words << 2) == 0) return -E_OUT_OF_MEMORY;
  let limit = nextFresh;
  let nb = <usize>max<u32>(n, 1) << 2;
  let member = scratch(bitsetBytes(limit), true);
  let num = member == 0 ? <usize>0 : scratch(<usize>limit << 2, false); // id-indexed, members only
  let tstack = num == 0 ? <usize>0 : scratch(nb, false);
  let frames = tstack == 0 ? <usize>0 : scratch(nb << 2, false);       // (x, next word, end word, low)
  if (frames == 0) { scratchFreeAll(); return -E_OUT_OF_MEMORY; }

  for (let i: u32 = 0; i < n; i++) {
    let x = ioGet(inAt + i);
    bitSet(member, x);
    setU32(num, x, 0);
  }

  let flagsAt = outAt + n;
  let counter: u32 = 0, ncomp: u32 = 0, tsp: u32 = 0, fsp: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let root = ioGet(inAt + i);
    if (getU32(num, root) != 0) continue;
    counter++;
    setU32(num, root, counter);
    setU32(tstack, tsp++, root);
    let f = frames;
    let st = edgeStart(root);
    store<u32>(f, root); store<u32>(f, st, 4); store<u32>(f, st + edgeLen(root), 8); store<u32>(f, counter, 12);
    fsp = 1;
    while (fsp > 0) {
      f = frames + (<usize>(fsp - 1) << 4);
      let pos = load<u32>(f, 4), end = load<u32>(f, 8), low = load<u32>(f, 12);
      let descended = false;
      while (pos < end) {
        let r = word(pos);
        pos++;
        if (!bitGet(member, r)) continue;
        let nr = getU32(num, r);
        if (nr == 0) {
          store<u32>(f, pos, 4);
          store<u32>(f, low, 12);
          counter++;
          setU32(num, r, counter);
          setU32(tstack, tsp++, r);
          let g = f + 16;
          let rs = edgeStart(r);
          store<u32>(g, r); store<u32>(g, rs, 4); store<u32>(g, rs + edgeLen(r), 8); store<u32>(g, counter, 12);
          fsp++;
          descended = true;
          break;
        }
        if (nr < low) low = nr;
      }
      if (descended) continue;
      let x = load<u32>(f);
      fsp--;
      if (low == getU32(num, x)) {
        let size: u32 = 0;
        let w: u32;
        let tag = DONE | ncomp;
        do {
          w = getU32(tstack, --tsp);
          setU32(num, w, tag);
          size++;
        } while (w != x);
        ioSet(flagsAt + ncomp, size > 1 || refersToItself(x) ? 1 : 0);
        ncomp++;
      }
      if (fsp > 0) {
        let p = f - 16;
        if (low < load<u32>(p, 12)) store<u32>(p, low, 12);
      }
    }
  }
  for (let i: u32 = 0; i < n; i++) {
    let x = ioGet(inAt + i);
    if (bitGet(member, x)) {
      bitClear(member, x);
      ioSet(outAt + i, getU32(num, x) & ~DONE);
    } else {
      ioSet(outAt + i, REPEATED);
    }
  }
  scratchFreeAll();
  componentCount = ncomp;
  return <i32>ncomp;
}
