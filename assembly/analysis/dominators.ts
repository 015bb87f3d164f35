// Dominators and retained sizes.
//
// The graph: a virtual root (number 1) refers to every source of the mask
// (reach.ts), and objects refer to what their slots hold. An object d
// dominates x when every chain from the virtual root to x passes through d;
// x's immediate dominator is the closest such d. Freeing x's last outside
// references would free exactly the objects x dominates, so x's retained
// size is sizeOf(x) plus the retained sizes of the objects it immediately
// dominates (pympler / heap-profiler "retained size").
//
// Algorithm: semi-NCA (Georgiadis & Tarjan; the Lengauer–Tarjan semidominator
// computation with simple path compression, then each idom as the nearest
// common ancestor of its DFS parent and its semidominator in the tree built
// so far). Everything is iterative: a DFS with an explicit (node, next
// reference) frame stack, path compression with an explicit stack, and the
// predecessors as a CSR in arena memory. O(m log n), a handful of linear passes.
//
// Nodes are numbered in DFS preorder: 1 is the virtual root, 2…N the objects
// reached. Ids ≥ firstUserId only (the immortal singletons are not analysed).
//
// ╒══ kept until the next computeRetained or releaseRetained (globals below) ══╕
// │ domNum       u32 per id < domLimit: preorder number, 0 = not reached         │
// │ domVertex    u32 per number: the object id (number 1: 0, the virtual root)   │
// │ domIdom      u32 per number: the immediate dominator's number (1: the root)  │
// │ domRetained  u64 per number: retained bytes (number 1: all reached bytes)    │
// └──────────────────────────────────────────────────────────────────────────────┘
// The results describe the heap as it was; the TS side recomputes after any
// call that may have changed it.

import { arenaAlloc, arenaFree } from "../arena";
import { edgeLen, edgeStart, liveObjects, nextFresh, sizeOf, typeName, typeOf, firstUserId } from "../heap";
import { word } from "../edges";
import { ioEnsure, ioSet } from "../io";
import { E_OUT_OF_MEMORY } from "../status";
import { bitGet, bitSet, bitsetBytes, getU32, scratch, scratchFreeAll, setU32 } from "./scratch";
import { listSources, sourceBound } from "./reach";

export let domLimit: u32 = 0;   // nextFresh at computation: ids at or above it were not analysed
export let domCount: u32 = 0;   // N: the virtual root plus the objects reached
let domNum: usize = 0;
let domVertex: usize = 0;
let domIdom: usize = 0;
let domRetained: usize = 0;
let numBytes: usize = 0;
let nodeBytes: usize = 0;       // bytes of domVertex and domIdom; domRetained has twice as many

/** Frees the kept results. */
export function releaseRetained(): void {
  arenaFree(domRetained, nodeBytes << 1);
  arenaFree(domIdom, nodeBytes);
  arenaFree(domVertex, nodeBytes);
  arenaFree(domNum, numBytes);
  domNum = domVertex = domIdom = domRetained = 0;
  numBytes = nodeBytes = 0;
  domLimit = domCount = 0;
}

// Node records in scratch, 16 bytes: semi, label, ancestor, and semi(label)
// cached, so eval and compress compare semidominators without a second
// random access (labels only name processed nodes, whose semi is final).
// @ts-ignore: decorator
@inline function rec(r: usize, w: u32): usize { return r + (<usize>w << 4); }
// @ts-ignore: decorator
@inline function semiOf(r: usize, w: u32): u32 { return load<u32>(rec(r, w)); }
// @ts-ignore: decorator
@inline function labelOf(r: usize, w: u32): u32 { return load<u32>(rec(r, w), 4); }
// @ts-ignore: decorator
@inline function ancestorOf(r: usize, w: u32): u32 { return load<u32>(rec(r, w), 8); }
// @ts-ignore: decorator
@inline function labelSemiOf(r: usize, w: u32): u32 { return load<u32>(rec(r, w), 12); }

/**
 * Computes immediate dominators and retained sizes of everything reachable
 * from the sources of mask. Returns the number of objects reached, or
 * -E_OUT_OF_MEMORY (no results kept then).
 */
export function computeRetained(mask: u32): i32 {
  releaseRetained();
  let limit = nextFresh;
  let bound = liveObjects + 3;             // N + 2 words at most
  let nb = <usize>bound << 2;
  let num = arenaAlloc(<usize>limit << 2);
  let vertex = num == 0 ? <usize>0 : arenaAlloc(nb);
  let idom = vertex == 0 ? <usize>0 : arenaAlloc(nb);
  let ret = idom == 0 ? <usize>0 : arenaAlloc(nb << 1);
  domNum = num; domVertex = vertex; domIdom = idom; domRetained = ret;
  numBytes = <usize>limit << 2; nodeBytes = nb;
  if (ret == 0) { releaseRetained(); return -E_OUT_OF_MEMORY; }
  memory.fill(num, 0, <usize>limit << 2);

  let sources = scratch(<usize>max<u32>(sourceBound(mask), 1) << 2, false);
  let recs = sources == 0 ? <usize>0 : scratch(<usize>bound << 4, false);
  let stack = recs == 0 ? <usize>0 : scratch(<usize>bound * 12, false); // DFS frames (node, next, end); then compress's path
  let first = stack == 0 ? <usize>0 : scratch(nb, true);         // CSR: predecessors of w at first[w] … first[w+1]
  let seen = first == 0 ? <usize>0 : scratch(bitsetBytes(limit), true); // the DFS's marks (stays in cache)
  if (seen == 0) return fail();
  let nsrc = listSources(mask, sources);

  // ── DFS from the virtual root: preorder numbers, DFS parents ──────────────
  // frames (node, next, end): a word range of the edge pool, or for the
  // virtual root an index range of `sources`
  let n: u32 = 1;
  setU32(vertex, 1, 0);
  setU32(idom, 1, 0);                      // idom holds the DFS parents until the idom pass
  let sp: u32 = 1;
  store<u32>(stack, 1);
  store<u32>(stack, 0, 4);
  store<u32>(stack, nsrc, 8);
  while (sp > 0) {
    let f = stack + <usize>(sp - 1) * 12;
    let v = load<u32>(f);
    let pos = load<u32>(f, 4), end = load<u32>(f, 8);
    let descended = false;
    while (pos < end) {
      let r = v == 1 ? getU32(sources, pos) : word(pos);
      pos++;
      if (r < firstUserId || bitGet(seen, r)) continue;
      bitSet(seen, r);
      store<u32>(f, pos, 4);
      n++;
      setU32(vertex, n, r);
      setU32(idom, n, v);
      let g = f + 12;
      let st = edgeStart(r);
      store<u32>(g, n);
      store<u32>(g, st, 4);
      store<u32>(g, st + edgeLen(r), 8);
      sp++;
      descended = true;
      break;
    }
    if (!descended) sp--;
  }

  for (let w: u32 = 2; w <= n; w++) setU32(num, getU32(vertex, w), w);

  // ── predecessors (CSR): count, prefix sums, fill backwards ───────────────
  // (objects in id order, so the columns and the pool are read in address order)
  let m: u32 = nsrc;
  for (let i: u32 = 0; i < nsrc; i++) {
    let w = getU32(num, getU32(sources, i));
    setU32(first, w, getU32(first, w) + 1);
  }
  for (let x = firstUserId; x < limit; x++) {
    if (getU32(num, x) == 0) continue;
    let s = edgeStart(x), len = edgeLen(x);
    for (let i: u32 = 0; i < len; i++) {
      let r = word(s + i);
      if (r < firstUserId) continue;
      let w = getU32(num, r);
      setU32(first, w, getU32(first, w) + 1);
      m++;
    }
  }
  for (let w: u32 = 1; w <= n; w++) setU32(first, w, getU32(first, w) + getU32(first, w - 1));
  setU32(first, n + 1, m);
  let preds = scratch(<usize>max<u32>(m, 1) << 2, false);
  if (preds == 0) return fail();
  for (let x = firstUserId; x < limit; x++) {
    let v = getU32(num, x);
    if (v == 0) continue;
    let s = edgeStart(x), len = edgeLen(x);
    for (let i: u32 = 0; i < len; i++) {
      let r = word(s + i);
      if (r < firstUserId) continue;
      let w = getU32(num, r);
      let p = getU32(first, w) - 1;
      setU32(first, w, p);
      setU32(preds, p, v);
    }
  }
  for (let i: u32 = 0; i < nsrc; i++) {  // last, so the virtual root comes first: semi 1 at once
    let w = getU32(num, getU32(sources, i));
    let p = getU32(first, w) - 1;
    setU32(first, w, p);
    setU32(preds, p, 1);
  }

  // ── semidominators, in reverse preorder ───────────────────────────────────
  for (let w: u32 = 1; w <= n; w++) {
    let a = rec(recs, w);
    store<u32>(a, w);
    store<u32>(a, w, 4);
    store<u32>(a, 0, 8);
    store<u32>(a, w, 12);
  }
  for (let w = n; w >= 2; w--) {
    let sw = w;
    let pEnd = getU32(first, w + 1);
    for (let p = getU32(first, w); p < pEnd; p++) {
      let v = getU32(preds, p);
      if (v < w) {
        // not processed yet, so not linked: eval(v) = v, semi(v) = v
        if (v < sw) sw = v;
      } else if (v > w) {
        // processed, so linked: eval(v) = label(v) after compression
        compress(recs, stack, v);
        let su = labelSemiOf(recs, v);
        if (su < sw) sw = su;
      }
      if (sw == 1) break;               // the least there is
    }
    let a = rec(recs, w);
    store<u32>(a, sw);
    store<u32>(a, sw, 12);               // label(w) = w
    store<u32>(a, getU32(idom, w), 8);   // link(parent, w)
  }

  // ── immediate dominators, in preorder (semi-NCA) ──────────────────────────
  setU32(idom, 1, 1);
  for (let w: u32 = 2; w <= n; w++) {
    let d = getU32(idom, w);             // the DFS parent
    let sw = semiOf(recs, w);
    while (d > sw) d = getU32(idom, d);
    setU32(idom, w, d);
  }

  // ── retained sizes, children before their dominators ─────────────────────
  store<u64>(ret, 0, 8);
  for (let w: u32 = 2; w <= n; w++) store<u64>(ret + (<usize>w << 3), <u64>sizeOf(getU32(vertex, w)));
  for (let w = n; w >= 2; w--) {
    let d = ret + (<usize>getU32(idom, w) << 3);
    store<u64>(d, load<u64>(d) + load<u64>(ret + (<usize>w << 3)));
  }

  scratchFreeAll();
  domLimit = limit;
  domCount = n;
  return <i32>(n - 1);
}

function fail(): i32 {
  scratchFreeAll();
  releaseRetained();
  return -E_OUT_OF_MEMORY;
}

/**
 * Path compression for eval(v) (ancestor(v) != 0): every node on v's path
 * to its forest root gets the label of least semidominator above it and the
 * root's child as its ancestor. Iterative: the path goes on `stack`.
 */
function compress(recs: usize, stack: usize, v: u32): void {
  let sp: u32 = 0;
  let x = v;
  while (ancestorOf(recs, ancestorOf(recs, x)) != 0) {
    setU32(stack, sp++, x);
    x = ancestorOf(recs, x);
  }
  while (sp > 0) {
    x = getU32(stack, --sp);
    let a = ancestorOf(recs, x);
    let ra = rec(recs, a), rx = rec(recs, x);
    let sa = load<u32>(ra, 12);
    if (sa < load<u32>(rx, 12)) {
      store<u32>(rx, load<u32>(ra, 4), 4);
      store<u32>(rx, sa, 12);
    }
    store<u32>(rx, load<u32>(ra, 8), 8);
  }
}

/** Preorder number of x in the kept results, 0 when x was not reached. */
// @ts-ignore: decorator
@inline function numberOf(x: u32): u32 {
  return domNum != 0 && x < domLimit ? getU32(domNum, x) : 0;
}

/** Retained bytes of x, -1 when x was not reached (or nothing is computed). */
export function retainedOf(x: u32): f64 {
  let w = numberOf(x);
  return w == 0 ? -1 : <f64>load<u64>(domRetained + (<usize>w << 3));
}

/** Bytes of everything reached (the virtual root's retained size). */
export function retainedTotal(): f64 {
  return domCount == 0 ? 0 : <f64>load<u64>(domRetained + 8);
}

/** x's immediate dominator: an id, 0 for the virtual root (only the sources together), -1 not reached. */
export function idomOf(x: u32): i32 {
  let w = numberOf(x);
  if (w == 0) return -1;
  return <i32>getU32(domVertex, getU32(domIdom, w));
}

// @ts-ignore: decorator
@inline function better(a: u32, b: u32): bool {
  let ra = load<u64>(domRetained + (<usize>a << 3)), rb = load<u64>(domRetained + (<usize>b << 3));
  return ra > rb || (ra == rb && getU32(domVertex, a) < getU32(domVertex, b));
}

function siftDown(h: usize, size: u32, i: u32): void {
  let x = getU32(h, i);
  while (true) {
    let c: u32 = (i << 1) + 1;
    if (c >= size) break;
    if (c + 1 < size && better(getU32(h, c), getU32(h, c + 1))) c++; // the worse child
    let y = getU32(h, c);
    if (!better(x, y)) break;
    setU32(h, i, y);
    i = c;
  }
  setU32(h, i, x);
}

/**
 * The k objects of largest retained size, largest first (ties: smaller id
 * first), as records of 6 words in the exchange buffer: id, engine type,
 * own size, retained bytes (low word, high word), type-name index. Returns
 * how many, or -E_OUT_OF_MEMORY.
 */
export function topRetainers(k: u32): i32 {
  let avail = domCount > 1 ? domCount - 1 : 0;
  if (k > avail) k = avail;
  if (ioEnsure(<usize>max<u32>(k, 1) * 24) == 0) return -E_OUT_OF_MEMORY;
  if (k == 0) return 0;
  let h = scratch(<usize>k << 2, false); // a heap whose top is the worst of the best k
  if (h == 0) return -E_OUT_OF_MEMORY;
  let size: u32 = 0;
  for (let w: u32 = 2; w <= domCount; w++) {
    if (size < k) {
      // sift up
      let i = size++;
      while (i > 0) {
        let p = (i - 1) >> 1;
        let y = getU32(h, p);
        if (!better(y, w)) break;
        setU32(h, i, y);
        i = p;
      }
      setU32(h, i, w);
    } else if (better(w, getU32(h, 0))) {
      setU32(h, 0, w);
      siftDown(h, size, 0);
    }
  }
  for (let i = k; i > 0; i--) {
    let w = getU32(h, 0);
    size--;
    setU32(h, 0, getU32(h, size));
    if (size > 0) siftDown(h, size, 0);
    let x = getU32(domVertex, w);
    let r = load<u64>(domRetained + (<usize>w << 3));
    let o = (i - 1) * 6;
    ioSet(o, x);
    ioSet(o + 1, typeOf(x));
    ioSet(o + 2, sizeOf(x));
    ioSet(o + 3, <u32>r);
    ioSet(o + 4, <u32>(r >> 32));
    ioSet(o + 5, typeName(x));
  }
  scratchFreeAll();
  return <i32>k;
}
