// Out-references (the tp_traverse analogue). Each object owns a slice of the
// edge pool: a power-of-two run of u32 ids, recycled through per-size free
// lists. Order inside the slice is the container's own order:
//   obj/fin  slot index (s0, s1, …; 0 = empty slot, trailing empties trimmed)
//   list     item order           dict  insertion order     tuple  item order
// Traversal and release order is CPython's (refAt): list and tuple items last
// to first, dict entries first to last, instance slots in member order — and
// CPython sorts __slots__ by name, so s10…s15 come between s1 and s2.
//
// ╒══ edge pool (u32 words) ══════════════════════════════════════════╕
// │0│ slice of x (cap 4) │ slice of y (cap 8) │ free slice → next │ … │
// └─┴────────────────────┴────────────────────┴───────────────────┴───┘

import { arenaRealloc } from "./arena";
import {
  edgeLen, edgeStart, flags, setEdgeLen, setEdgeStart, setFlags, typeOf, itemsDetached,
} from "./heap";
import { F_CAP_MASK, F_CAP_SHIFT, T_FIN, T_LIST, T_OBJ, T_TUPLE } from "./common";

// @ts-ignore: decorator
@inline const MIN_CLASS: u32 = 3; // smallest slice: 4 references

export let POOL: usize = 0;
let poolWords: u32 = 0;
let poolTop: u32 = 1; // word 0 is never a slice: 0 means "no slice"
const freeHeads = memory.data(32 * 4);
const freeCounts = memory.data(32 * 4); // slices on each class's free list

// @ts-ignore: decorator
@inline export function word(off: u32): u32 { return load<u32>(POOL + (<usize>off << 2)); }
// @ts-ignore: decorator
@inline export function setWord(off: u32, v: u32): void { store<u32>(POOL + (<usize>off << 2), v); }
// @ts-ignore: decorator
@inline export function capClass(x: u32): u32 { return (flags(x) & F_CAP_MASK) >> F_CAP_SHIFT; }
// @ts-ignore: decorator
@inline export function classCap(c: u32): u32 { return c == 0 ? 0 : <u32>1 << (c - 1); }
// @ts-ignore: decorator
@inline function setCapClass(x: u32, c: u32): void {
  setFlags(x, (flags(x) & ~F_CAP_MASK) | (c << F_CAP_SHIFT));
}

function classFor(n: u32): u32 {
  let c = MIN_CLASS;
  while (classCap(c) < n) c++;
  return c;
}

/** A slice of class c; 0 when the pool cannot grow. */
export function sliceAlloc(c: u32): u32 {
  let head = load<u32>(freeHeads + (c << 2));
  if (head != 0) {
    store<u32>(freeHeads + (c << 2), word(head));
    store<u32>(freeCounts + (c << 2), load<u32>(freeCounts + (c << 2)) - 1);
    return head;
  }
  let cap = classCap(c);
  if (!poolEnsure(cap)) return 0;
  let off = poolTop;
  poolTop += cap;
  return off;
}

export function sliceFree(off: u32, c: u32): void {
  if (c == 0 || off == 0) return;
  setWord(off, load<u32>(freeHeads + (c << 2)));
  store<u32>(freeHeads + (c << 2), off);
  store<u32>(freeCounts + (c << 2), load<u32>(freeCounts + (c << 2)) + 1);
}

/**
 * Room for `n` objects of up to 4 references each (the smallest slices),
 * counting the freed slices they will take first: a heap that ran out of
 * memory and freed objects can make as many again.
 */
export function poolEnsureSmall(n: u64): bool {
  let free = <u64>load<u32>(freeCounts + (MIN_CLASS << 2));
  return n <= free || poolEnsure((n - free) * classCap(MIN_CLASS));
}

/** Makes x's slice hold at least n references; false (x unchanged) when out of memory. */
export function edgeReserve(x: u32, n: u32): bool {
  let c = capClass(x);
  if (n <= classCap(c)) return true;
  let nc = classFor(n);
  let off = sliceAlloc(nc);
  if (off == 0) return false;
  let old = edgeStart(x), len = edgeLen(x);
  if (len > 0) memory.copy(POOL + (<usize>off << 2), POOL + (<usize>old << 2), <usize>len << 2);
  sliceFree(old, c);
  setEdgeStart(x, off);
  setCapClass(x, nc);
  return true;
}

/** Detaches x's slice (for a release frame): x then holds no references. */
export function edgeDetach(x: u32): void {
  itemsDetached(x);
  setEdgeStart(x, 0);
  setEdgeLen(x, 0);
  setCapClass(x, 0);
}

/**
 * The k-th reference of a slice in CPython's traversal (and release) order,
 * 0 for an empty instance slot.
 */
// @ts-ignore: decorator
@inline export function refAt(t: u32, start: u32, len: u32, k: u32): u32 {
  let i = k;
  if (t == T_OBJ || t == T_FIN) {
    if (len > 10 && k >= 2) {
      let high = len - 10;             // slots s10 … s(len-1) exist
      i = k < 2 + high ? 8 + k : k - high;
    }
  } else if (t == T_LIST || t == T_TUPLE) {
    i = len - 1 - k;                   // list, tuple: last to first
  }                                    // dict, other: first to last
  return word(start + i);
}

// @ts-ignore: decorator
@inline export function referent(x: u32, k: u32): u32 {
  return refAt(typeOf(x), edgeStart(x), edgeLen(x), k);
}

export function poolWordsUsed(): u32 { return poolTop; }

/** Grows the pool so that `words` more can be bump-allocated without failing. */
export function poolEnsure(words: u64): bool {
  let need = <u64>poolTop + words;
  if (need <= <u64>poolWords) return true;
  if (need > 0x3FFFFFFF) return false;
  let want = <u64>max<u32>(poolWords, 1 << 16);
  while (want < need) want <<= 1;
  if (want > 0x3FFFFFFF) want = 0x3FFFFFFF;
  let np = arenaRealloc(POOL, <usize>poolWords << 2, <usize>want << 2);
  if (np == 0 && want > need) { // the doubling did not fit: exactly what is needed
    want = need;
    np = arenaRealloc(POOL, <usize>poolWords << 2, <usize>want << 2);
  }
  if (np == 0) return false;
  POOL = np;
  poolWords = <u32>want;
  return true;
}
