// The linear-memory arena: a handful of large blocks (the object columns, the
// edge pool, the event log, scratch stacks) that grow by doubling. A first-fit
// list of free extents with coalescing is enough for so few blocks, and unlike
// AssemblyScript's TLSF it reports a failed memory.grow as 0 instead of
// trapping, so the API can return E_OUT_OF_MEMORY with the heap unchanged.
//
// ╒═══════════ linear memory ═══════════════════════════════════════╕
// │ static data │ extents table │ blocks and free extents │ (grow) │
// └─────────────┴───────────────┴───────── memTop ───────┴────────┘

// @ts-ignore: decorator
@inline const ALIGN: usize = 16;
// @ts-ignore: decorator
@inline const MAX_EXTENTS: i32 = 256;

const extStart = memory.data(MAX_EXTENTS * 4);
const extSize = memory.data(MAX_EXTENTS * 4);
let extCount: i32 = 0;
let memTop: usize = 0;
/** Upper bound on linear memory in bytes (0: the wasm32 maximum, 4 GiB). */
let memLimit: u64 = 0;

// @ts-ignore: decorator
@inline function roundUp(n: usize): usize { return (n + ALIGN - 1) & ~(ALIGN - 1); }
// @ts-ignore: decorator
@inline function EXT_START(i: i32): usize { return load<usize>(extStart + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function EXT_SIZE(i: i32): usize { return load<usize>(extSize + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function SET_EXT(i: i32, s: usize, n: usize): void {
  store<usize>(extStart + (<usize>i << 2), s);
  store<usize>(extSize + (<usize>i << 2), n);
}

function top(): usize {
  if (memTop == 0) memTop = roundUp(__heap_base);
  return memTop;
}

export function setMemoryLimit(bytes: u64): void { memLimit = bytes; }
export function memoryUsed(): usize { return top(); }
/** Bytes in live blocks: memoryUsed() less the free extents below the top (which later blocks reuse). */
export function memoryInBlocks(): usize {
  let free: usize = 0;
  for (let i = 0; i < extCount; i++) free += EXT_SIZE(i);
  return top() - free;
}

/** Makes linear memory at least `end` bytes long; false when it cannot grow. */
function ensureMemory(end: u64): bool {
  let limit: u64 = memLimit != 0 ? memLimit : (<u64>65536 << 16);
  if (end > limit) return false;
  let have = <u64>memory.size() << 16;
  if (end <= have) return true;
  let needPages = <i32>((end - have + 0xFFFF) >> 16);
  // grow by at least a quarter of the current size, within the limit
  let wantPages = max(needPages, <i32>(memory.size() >> 2));
  let maxPages = <i32>((limit - have) >> 16);
  if (wantPages > maxPages) wantPages = maxPages;
  if (wantPages >= needPages && memory.grow(wantPages) >= 0) return true;
  return memory.grow(needPages) >= 0;
}

function removeExtent(i: i32): void {
  for (let j = i; j < extCount - 1; j++) SET_EXT(j, EXT_START(j + 1), EXT_SIZE(j + 1));
  extCount--;
}

/** Allocates `bytes` (rounded to 16); returns 0 when memory cannot grow. */
export function arenaAlloc(bytes: usize): usize {
  let n = roundUp(max<usize>(bytes, ALIGN));
  for (let i = 0; i < extCount; i++) {
    let s = EXT_SIZE(i);
    if (s >= n) {
      let p = EXT_START(i);
      if (s == n) removeExtent(i);
      else SET_EXT(i, p + n, s - n);
      return p;
    }
  }
  let p = top();
  let end = <u64>p + <u64>n;
  if (!ensureMemory(end)) return 0;
  memTop = <usize>end;
  return p;
}

/** Returns a block to the arena, merging it with free neighbours. */
export function arenaFree(p: usize, bytes: usize): void {
  if (p == 0) return;
  let n = roundUp(max<usize>(bytes, ALIGN));
  if (p + n == top()) {
    memTop = p;
    // the free extent just below may now touch the top
    if (extCount > 0 && EXT_START(extCount - 1) + EXT_SIZE(extCount - 1) == memTop) {
      memTop = EXT_START(extCount - 1);
      extCount--;
    }
    return;
  }
  let i = 0;
  while (i < extCount && EXT_START(i) < p) i++;
  // merge with the previous extent
  if (i > 0 && EXT_START(i - 1) + EXT_SIZE(i - 1) == p) {
    let s = EXT_START(i - 1);
    let sz = EXT_SIZE(i - 1) + n;
    if (i < extCount && s + sz == EXT_START(i)) {
      sz += EXT_SIZE(i);
      removeExtent(i);
    }
    SET_EXT(i - 1, s, sz);
    return;
  }
  // merge with the next extent
  if (i < extCount && p + n == EXT_START(i)) {
    SET_EXT(i, p, n + EXT_SIZE(i));
    return;
  }
  if (extCount == MAX_EXTENTS) return; // table full: the block is lost, nothing breaks
  for (let j = extCount; j > i; j--) SET_EXT(j, EXT_START(j - 1), EXT_SIZE(j - 1));
  SET_EXT(i, p, n);
  extCount++;
}

/** Grows a block to `newBytes`, in place when it is the top block; 0 on failure (old block kept). */
export function arenaRealloc(p: usize, oldBytes: usize, newBytes: usize): usize {
  if (p == 0) return arenaAlloc(newBytes);
  let o = roundUp(max<usize>(oldBytes, ALIGN));
  let n = roundUp(max<usize>(newBytes, ALIGN));
  if (n <= o) return p;
  if (p + o == top()) {
    if (!ensureMemory(<u64>p + <u64>n)) return 0;
    memTop = p + n;
    return p;
  }
  let q = arenaAlloc(n);
  if (q == 0) return 0;
  memory.copy(q, p, o);
  arenaFree(p, o);
  return q;
}
