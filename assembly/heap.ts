// The object table: one record per object id, stored as a struct of arrays
// (one column per field) in a single arena block, so that each collector pass
// streams through the one or two columns it needs. Only what every object
// has lives there (hot, 32 bytes an id); what few objects have lives in cold
// columns allocated on first use (a heap without weakrefs never has WEAK).
//
// ╒══════════ hot record (one u32 per column, indexed by id) ═════════════╕
//    3                   2                   1
//  1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0  bits
// ├───────────────────────────────────────────────────────────────┤
// │ refcnt     strong references (edges + roots + leaks + lists)  │ REFCNT
// │ flags      roots (11)          │cap(5)│U S · F A …│ type (4)  │ FLAGS
// │ prev       previous in its gc list (0: untracked)             │ PREV
// │ next       next in its gc list (0: untracked)                 │ NEXT
// │ gc word    gc_refs and the collection masks (see below)       │ GCREFS
// │ edgeStart  slice offset in the edge pool                      │ ESTART
// │ edgeLen    references in the slice                            │ ELEN
// │ serial     creation number (tells reused ids apart)           │ SERIAL
// └───────────────────────────────────────────────────────────────┘
// ╒══════════ cold columns (allocated on first use, 0 until then) ════════╕
// │ weak       obj/fin: head of its weakref list; weakref: target │ WEAK
// │ wrNext     weakref: the next weakref of its referent's list   │ WRNEXT
// │ leaks      references leaked by incref (the C-extension bug)  │ LEAKS
// │ typeName   index into the TS type-name table (0: the type's)  │ TYPENAME
// │ size       simulated bytes, for objects flagged S (set sizes) │ SIZE
// │ roots      bindings, for objects whose count overflows flags  │ ROOTS
// └───────────────────────────────────────────────────────────────┘
// Flags: A allocated, F finalized, L cleared by tp_clear, R resurrects,
// C weakref has callback, I immortal, V analysis mark, S size set (in SIZE),
// U uncounted (an interpreter object: size 0); cap = log2 of the edge slice
// capacity + 1; roots = bindings from outside the heap (names), 0x7FF: see
// ROOTS. An object without S has its type's size, plus 8 bytes per item for
// lists, dicts and tuples (what their appends add), so sizes cost no column.

import { arenaAlloc, arenaFree } from "./arena";
import {
  FIRST_ID, FIRST_OBJECT, F_ALLOCATED, F_TYPE_MASK, F_IMMORTAL, F_HAS_DEL, T_INT, T_STR, T_TUPLE,
  EMPTY_TUPLE, ATOM, NIL, F_CAP_MASK, T_OBJ, T_FIN, T_LIST, T_DICT, T_WEAKREF, F_SIZED, F_UNCOUNTED,
  F_ROOTS_SHIFT, F_ROOTS_MASK, ROOTS_INLINE_MAX,
} from "./common";

// @ts-ignore: decorator
@inline const NCOLUMNS: usize = 8;
// The cold columns, by index into COLD (their addresses; 0: not allocated).
// @ts-ignore: decorator
@inline export const COL_WEAK: u32 = 0;
// @ts-ignore: decorator
@inline export const COL_WRNEXT: u32 = 1;
// @ts-ignore: decorator
@inline export const COL_LEAKS: u32 = 2;
// @ts-ignore: decorator
@inline export const COL_TYPENAME: u32 = 3;
// @ts-ignore: decorator
@inline export const COL_SIZE: u32 = 4;
// @ts-ignore: decorator
@inline export const COL_ROOTS: u32 = 5;
// @ts-ignore: decorator
@inline const NCOLD: u32 = 6;
const COLD = memory.data(NCOLD * 4);
/** How many cold columns exist (0 on most heaps: takeId skips them). */
let coldColumns: u32 = 0;
// @ts-ignore: decorator
@inline function coldBase(k: u32): usize { return load<usize>(COLD + (k << 2)); }
// @ts-ignore: decorator
@inline function coldGet(k: u32, x: u32): u32 {
  let c = coldBase(k);
  return c == 0 ? 0 : load<u32>(c + (<usize>x << 2));
}
// @ts-ignore: decorator
@inline function coldSet(k: u32, x: u32, v: u32): void {
  let c = coldBase(k);
  if (c == 0) {
    if (v == 0) return; // not allocated reads as 0 already
    // every API entry that can set a cold field reserved its column first
    // (coldReserve), so a failure here is a bug: trap rather than corrupt
    if (!coldReserve(k)) unreachable();
    c = coldBase(k);
  }
  store<u32>(c + (<usize>x << 2), v);
}

/** Allocates cold column k (zeroed) if it is not yet; false when memory cannot grow (nothing changed). */
export function coldReserve(k: u32): bool {
  if (coldBase(k) != 0) return true;
  let bytes = <usize>capacity << 2;
  let c = arenaAlloc(bytes);
  if (c == 0) return false;
  memory.fill(c, 0, bytes);
  store<usize>(COLD + (k << 2), c);
  coldColumns++;
  publishLayout();
  return true;
}

export let capacity: u32 = 0;   // ids the columns have room for
let block: usize = 0;           // the arena block holding all columns
export let REFCNT: usize = 0;
export let FLAGS: usize = 0;
export let PREV: usize = 0;
export let NEXT: usize = 0;
export let GCREFS: usize = 0;
export let ESTART: usize = 0;
export let ELEN: usize = 0;
export let SERIAL: usize = 0;

export let nextFresh: u32 = FIRST_OBJECT; // ids below this have been used at least once
/**
 * The first id of the user's objects: FIRST_ID, or past the interpreter
 * objects a profile materializes (3.14's unreached start-up objects).
 * Every user-facing view starts here; the collector's passes at FIRST_OBJECT.
 */
export let firstUserId: u32 = FIRST_ID;
export function setFirstUserId(x: u32): void { firstUserId = x; }
let freeIds: u32 = NIL;               // stack of freed ids, linked through ESTART
let freeIdCount: u32 = 0;             // its depth: new objects take these before fresh ids
export let liveObjects: u32 = 0;
/** Live objects per type (lets passes that only concern tuples or dicts skip a heap without any). */
const LIVE_OF_TYPE = memory.data(16 * 4);
// @ts-ignore: decorator
@inline export function liveOfType(t: u32): u32 { return load<u32>(LIVE_OF_TYPE + (t << 2)); }
/** Simulated bytes of all live objects (the sum of their sizes). */
export let liveBytes: f64 = 0;
let serialCounter: u32 = 0;

/**
 * The layout record the TS side reads to view columns without a call
 * (src/wasm/records.ts names its fields; test/boundary-tables.test.ts checks).
 */
@unmanaged export class Layout {
  capacity: u32;
  refcnt: u32;
  flags: u32;
  prev: u32;
  next: u32;
  gcRefs: u32;
  edgeStart: u32;
  edgeLen: u32;
  weak: u32;
  serial: u32;
  roots: u32;
  leaks: u32;
  nextFresh: u32;
  size: u32;
  typeName: u32;
  wrNext: u32;
}
export const LAYOUT = memory.data(offsetof<Layout>());

// ── column accessors (the only place that computes addresses) ───────────────
// @ts-ignore: decorator
@inline export function refcnt(x: u32): i32 { return load<i32>(REFCNT + (<usize>x << 3)); }
// @ts-ignore: decorator
@inline export function setRefcnt(x: u32, v: i32): void { store<i32>(REFCNT + (<usize>x << 3), v); }
// @ts-ignore: decorator
@inline export function flags(x: u32): u32 { return load<u32>(FLAGS + (<usize>x << 3)); }
// @ts-ignore: decorator
@inline export function setFlags(x: u32, v: u32): void { store<u32>(FLAGS + (<usize>x << 3), v); }
// @ts-ignore: decorator
@inline export function hasFlag(x: u32, f: u32): bool { return (flags(x) & f) != 0; }
// @ts-ignore: decorator
@inline export function setFlag(x: u32, f: u32): void { setFlags(x, flags(x) | f); }
// @ts-ignore: decorator
@inline export function clearFlag(x: u32, f: u32): void { setFlags(x, flags(x) & ~f); }
// @ts-ignore: decorator
@inline export function typeOf(x: u32): u32 { return flags(x) & F_TYPE_MASK; }
// @ts-ignore: decorator
@inline export function gcPrev(x: u32): u32 { return load<u32>(PREV + (<usize>x << 2)); }
// @ts-ignore: decorator
@inline export function setGcPrev(x: u32, v: u32): void { store<u32>(PREV + (<usize>x << 2), v); }
// @ts-ignore: decorator
@inline export function gcNext(x: u32): u32 { return load<u32>(NEXT + (<usize>x << 2)); }
// @ts-ignore: decorator
@inline export function setGcNext(x: u32, v: u32): void { store<u32>(NEXT + (<usize>x << 2), v); }

// ── the gc word (CPython's _gc_prev while a collection runs) ────────────────
//    3                   2                   1
//  1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0  bits
// ├───────────────────────────── gc_refs ─────────────────────────┼─U─┼─C─┤
// C  COLLECTING: set by update_refs on the examined list; cleared by
//    move_unreachable on each reachable object and by every stage that moves
//    an object out of the garbage (legacy split, delete_garbage, check_garbage).
// U  UNREACHABLE: set by move_unreachable on what it moves to U; cleared when
//    an object is rescued, and on all of U by move_legacy_finalizers.
// Keeping both masks in the gc_refs word means the hot passes touch one
// column per reference. Between collections both masks are clear and gc_refs
// is meaningless; a few operations borrow the word as scratch (addRefs'
// counts, the trashcan's links, the invariant check), setting it first and
// leaving it 0.
// @ts-ignore: decorator
@inline export const GC_COLLECTING: i32 = 1;
// @ts-ignore: decorator
@inline export const GC_UNREACHABLE: i32 = 2;
// @ts-ignore: decorator
@inline export function gcWord(x: u32): i32 { return load<i32>(GCREFS + (<usize>x << 2)); }
// @ts-ignore: decorator
@inline export function setGcWord(x: u32, v: i32): void { store<i32>(GCREFS + (<usize>x << 2), v); }
// @ts-ignore: decorator
@inline export function gcGetRefs(x: u32): i32 { return gcWord(x) >> 2; }
/** gc_set_refs: keeps the masks. */
// @ts-ignore: decorator
@inline export function gcSetRefs(x: u32, n: i32): void { setGcWord(x, (n << 2) | (gcWord(x) & 3)); }
/** gc_reset_refs as update_refs uses it: gc_refs = n, COLLECTING set, UNREACHABLE clear. */
// @ts-ignore: decorator
@inline export function gcResetRefs(x: u32, n: i32): void { setGcWord(x, (n << 2) | GC_COLLECTING); }
/** gc_decref: one reference from inside the examined list. */
// @ts-ignore: decorator
@inline export function gcDecref(x: u32): void { setGcWord(x, gcWord(x) - 4); }
// @ts-ignore: decorator
@inline export function gcIsCollecting(x: u32): bool { return (gcWord(x) & GC_COLLECTING) != 0; }
// @ts-ignore: decorator
@inline export function gcClearCollecting(x: u32): void { setGcWord(x, gcWord(x) & ~GC_COLLECTING); }
// @ts-ignore: decorator
@inline export function gcIsUnreachable(x: u32): bool { return (gcWord(x) & GC_UNREACHABLE) != 0; }
// @ts-ignore: decorator
@inline export function gcSetUnreachable(x: u32): void { setGcWord(x, gcWord(x) | GC_UNREACHABLE); }
// @ts-ignore: decorator
@inline export function gcClearUnreachable(x: u32): void { setGcWord(x, gcWord(x) & ~GC_UNREACHABLE); }
// @ts-ignore: decorator
@inline export function edgeStart(x: u32): u32 { return load<u32>(ESTART + (<usize>x << 3)); }
// @ts-ignore: decorator
@inline export function setEdgeStart(x: u32, v: u32): void { store<u32>(ESTART + (<usize>x << 3), v); }
// @ts-ignore: decorator
@inline export function edgeLen(x: u32): u32 { return load<u32>(ELEN + (<usize>x << 3)); }
// @ts-ignore: decorator
@inline export function setEdgeLen(x: u32, v: u32): void { store<u32>(ELEN + (<usize>x << 3), v); }
// @ts-ignore: decorator
@inline export function weak(x: u32): u32 { return coldGet(COL_WEAK, x); }
// @ts-ignore: decorator
@inline export function setWeak(x: u32, v: u32): void { coldSet(COL_WEAK, x, v); }
// @ts-ignore: decorator
@inline export function serial(x: u32): u32 { return load<u32>(SERIAL + (<usize>x << 2)); }
/** Bindings from outside the heap: in the flags word, in ROOTS beyond ROOTS_INLINE_MAX - 1. */
// @ts-ignore: decorator
@inline export function roots(x: u32): u32 {
  let r = flags(x) >>> F_ROOTS_SHIFT;
  return r < ROOTS_INLINE_MAX ? r : coldGet(COL_ROOTS, x);
}
/** Callers that can raise a count to ROOTS_INLINE_MAX reserve COL_ROOTS first (rootsFit). */
export function setRoots(x: u32, v: u32): void {
  let f = flags(x) & ~F_ROOTS_MASK;
  if (v < ROOTS_INLINE_MAX) {
    setFlags(x, f | (v << F_ROOTS_SHIFT));
  } else {
    coldSet(COL_ROOTS, x, v);
    setFlags(x, f | (ROOTS_INLINE_MAX << F_ROOTS_SHIFT));
  }
}
/** Whether x can take `more` roots without running out of memory (reserves the overflow column when needed). */
export function rootsFit(x: u32, more: u32): bool {
  return <u64>roots(x) + more < <u64>ROOTS_INLINE_MAX || coldReserve(COL_ROOTS);
}
// @ts-ignore: decorator
@inline export function leaks(x: u32): u32 { return coldGet(COL_LEAKS, x); }
// @ts-ignore: decorator
@inline export function setLeaks(x: u32, v: u32): void { coldSet(COL_LEAKS, x, v); }
/** Simulated bytes: set (S), none (U), or the type's size plus 8 per item of a list, dict or tuple. */
// @ts-ignore: decorator
@inline export function sizeOf(x: u32): u32 {
  let f = flags(x);
  if ((f & F_SIZED) != 0) return coldGet(COL_SIZE, x);
  if ((f & F_UNCOUNTED) != 0) return 0;
  let t = f & F_TYPE_MASK;
  return defaultSize(t) + (itemsSized(t) ? edgeLen(x) << 3 : 0);
}
// @ts-ignore: decorator
@inline function itemsSized(t: u32): bool { return t == T_LIST || t == T_DICT || t == T_TUPLE; }
/** Sets an object's simulated size (COL_SIZE reserved by the caller), keeping the live total right. */
export function setSizeOf(x: u32, v: u32): void {
  if (!hasFlag(x, F_UNCOUNTED)) liveBytes += <f64>v - <f64>sizeOf(x);
  coldSet(COL_SIZE, x, v);
  setFlag(x, F_SIZED);
}
/**
 * Items added to (d > 0) or removed from a list, dict or tuple: 8 bytes each,
 * as CPython's item arrays grow. Called after edgeLen changed.
 */
export function itemsResized(x: u32, d: i32): void {
  let f = flags(x);
  if ((f & F_UNCOUNTED) != 0) return;
  liveBytes += <f64>(d << 3);
  if ((f & F_SIZED) != 0) store<u32>(coldBase(COL_SIZE) + (<usize>x << 2), coldGet(COL_SIZE, x) + (d << 3));
}
/** x's slice is about to be detached (tp_clear): a list, dict or tuple shrinks to its empty size. */
export function itemsDetached(x: u32): void {
  let f = flags(x);
  if ((f & (F_SIZED | F_UNCOUNTED)) == 0 && itemsSized(f & F_TYPE_MASK)) liveBytes -= <f64>(edgeLen(x) << 3);
}
// @ts-ignore: decorator
@inline export function typeName(x: u32): u32 { return coldGet(COL_TYPENAME, x); }
// @ts-ignore: decorator
@inline export function setTypeName(x: u32, v: u32): void { coldSet(COL_TYPENAME, x, v); }

/**
 * Default simulated sizes, as sys.getsizeof reports them on 64-bit CPython
 * 3.11 (obj/fin: 18 slots; containers empty; a weakref; a large int; a
 * short str). Containers grow by 8 bytes per reference (see mutate.ts).
 */
// (a table by type id: obj, fin, list, dict, tuple, int, str, weakref, other; 16 for the rest)
const DEFAULT_SIZES = memory.data<u32>([160, 160, 56, 64, 40, 36, 50, 72, 16, 16, 16, 16, 16, 16, 16, 16]);
// @ts-ignore: decorator
@inline export function defaultSize(t: u32): u32 { return load<u32>(DEFAULT_SIZES + ((t & 0xF) << 2)); }

/** A gc list member or an object is "tracked" when it is linked into a list. */
// @ts-ignore: decorator
@inline export function isTracked(x: u32): bool { return gcNext(x) != NIL; }
// @ts-ignore: decorator
@inline export function isGcType(t: u32): bool { return t != T_INT && t != T_STR; }
// @ts-ignore: decorator
@inline export function isInstanceType(t: u32): bool { return t == T_OBJ || t == T_FIN; }
/** Has a __del__: a fin, or an "other" object whose type defines one. */
// @ts-ignore: decorator
@inline export function hasFinalizer(x: u32): bool {
  let f = flags(x);
  return (f & F_TYPE_MASK) == T_FIN || (f & F_HAS_DEL) != 0;
}
// @ts-ignore: decorator
@inline export function isGc(x: u32): bool { return isGcType(typeOf(x)); }
// @ts-ignore: decorator
@inline export function isImmortal(x: u32): bool { return hasFlag(x, F_IMMORTAL); }

/** True when `x` names a live object a caller may use. */
export function isLiveId(x: u32): bool {
  return x >= firstUserId && x < nextFresh && hasFlag(x, F_ALLOCATED) && !hasFlag(x, F_IMMORTAL)
    || x == EMPTY_TUPLE || x == ATOM;
}

/**
 * A weakref's link to the next weakref of its referent's singly linked list:
 * a column of its own, so that a weakref loaded from a real heap can hold
 * references in its edge slice (its callback; the API's weakrefs hold none).
 */
// @ts-ignore: decorator
@inline export function wrNext(w: u32): u32 { return coldGet(COL_WRNEXT, w); }
// @ts-ignore: decorator
@inline export function setWrNext(w: u32, v: u32): void { coldSet(COL_WRNEXT, w, v); }

function publishLayout(): void {
  let l = changetype<Layout>(LAYOUT);
  l.capacity = capacity;
  l.refcnt = <u32>REFCNT; l.flags = <u32>FLAGS; l.prev = <u32>PREV; l.next = <u32>NEXT;
  l.gcRefs = <u32>GCREFS; l.edgeStart = <u32>ESTART; l.edgeLen = <u32>ELEN; l.weak = <u32>coldBase(COL_WEAK);
  l.serial = <u32>SERIAL; l.roots = <u32>coldBase(COL_ROOTS); l.leaks = <u32>coldBase(COL_LEAKS); l.nextFresh = nextFresh;
  l.size = <u32>coldBase(COL_SIZE); l.typeName = <u32>coldBase(COL_TYPENAME); l.wrNext = <u32>coldBase(COL_WRNEXT);
}

/** Makes room for ids below `need`; false when memory cannot grow (nothing changed). */
export function ensureCapacity(need: u32): bool {
  if (need <= capacity) return true;
  // grow by half (a doubling would leave up to half of a 10M-object table unused);
  // sizes in u64: a legal count near 2^31 must fail here, not wrap
  let cold = coldColumns;
  let limit: u64 = 0xF0000000 / (4 * (<u64>NCOLUMNS + cold));
  if (<u64>need > limit) return false;
  let cap = <u32>min<u64>(max<u64>(max<u64>(<u64>need, <u64>capacity + (capacity >> 1)), 1024), limit);
  if (!grow(cap) && !(cap > need && grow(need))) return false; // the margin did not fit: exactly what is needed
  return true;
}

/** Moves the table and the cold columns to room for `cap` ids; false (nothing changed) when memory cannot grow. */
function grow(cap: u32): bool {
  let bytes = <usize>cap << 2;
  let nb = arenaAlloc(bytes * NCOLUMNS);
  if (nb == 0) return false;
  let newCold = memory.data(NCOLD * 4);
  for (let k: u32 = 0; k < NCOLD; k++) {
    let c: usize = 0;
    if (coldBase(k) != 0) {
      c = arenaAlloc(bytes);
      if (c == 0) { // undo: nothing moved yet
        for (let j: u32 = 0; j < k; j++) if (load<usize>(newCold + (j << 2)) != 0) arenaFree(load<usize>(newCold + (j << 2)), bytes);
        arenaFree(nb, bytes * NCOLUMNS);
        return false;
      }
    }
    store<usize>(newCold + (k << 2), c);
  }
  let oldBytes = <usize>capacity << 2;
  // column c starts at c * bytes; the pairs (refcnt, flags) and (edgeStart,
  // edgeLen) are interleaved, 8 bytes an id over two columns' room, so that
  // the fields read together share a cache line. The room for new ids is
  // not cleared: nothing reads an id at or above nextFresh, and takeId
  // writes every field (hot and cold) of the id it hands out.
  if (block == 0) {
    memory.fill(nb, 0, bytes * NCOLUMNS); // the first table: the reserved records (list heads, singletons) start at 0
  } else {
    for (let c: usize = 0; c < NCOLUMNS; ) {
      let w: usize = c == 0 || c == 5 ? 2 : 1;
      memory.copy(nb + c * bytes, block + c * oldBytes, w * oldBytes);
      c += w;
    }
  }
  for (let k: u32 = 0; k < NCOLD; k++) {
    let c = load<usize>(newCold + (k << 2));
    if (c == 0) continue;
    memory.copy(c, coldBase(k), oldBytes);
    arenaFree(coldBase(k), oldBytes);
    store<usize>(COLD + (k << 2), c);
  }
  if (block != 0) arenaFree(block, oldBytes * NCOLUMNS);
  block = nb;
  capacity = cap;
  REFCNT = nb; FLAGS = nb + 4; PREV = nb + 2 * bytes; NEXT = nb + 3 * bytes;
  GCREFS = nb + 4 * bytes; ESTART = nb + 5 * bytes; ELEN = ESTART + 4; SERIAL = nb + 7 * bytes;
  publishLayout();
  return true;
}

/** Ids a batch of `n` new objects needs beyond the free stack; used to pre-check memory. */
export function canAllocate(n: u32): bool {
  let fresh = n > freeIdCount ? <u64>(n - freeIdCount) : 0;
  let need = <u64>nextFresh + fresh;
  if (need > 0x7FFFFFF0) return false;
  return ensureCapacity(<u32>need);
}

/** Takes an id for a new object (room must have been ensured by canAllocate). */
export function takeId(t: u32, extraFlags: u32): u32 {
  let x: u32;
  if (freeIds != NIL) {
    x = freeIds;
    freeIds = edgeStart(x);
    freeIdCount--;
  } else {
    x = nextFresh++;
    changetype<Layout>(LAYOUT).nextFresh = nextFresh;
  }
  setRefcnt(x, 0);
  setFlags(x, t | F_ALLOCATED | extraFlags);
  setGcPrev(x, NIL);
  setGcNext(x, NIL);
  setGcWord(x, 0);
  setEdgeStart(x, 0);
  setEdgeLen(x, 0);
  store<u32>(SERIAL + (<usize>x << 2), ++serialCounter);
  // the cold fields of a reused id (those that exist) go back to 0
  if (coldColumns != 0) {
    for (let k: u32 = 0; k < NCOLD; k++) {
      let c = coldBase(k);
      if (c != 0) store<u32>(c + (<usize>x << 2), 0);
    }
  }
  liveBytes += <f64>defaultSize(t);
  liveObjects++;
  store<u32>(LIVE_OF_TYPE + (t << 2), load<u32>(LIVE_OF_TYPE + (t << 2)) + 1);
  return x;
}

/**
 * An interpreter object (gc.garbage, …) is not the user's: it is not counted
 * among the live objects and takes no serial (the user's first object keeps serial 1).
 */
export function uncountLive(x: u32): void {
  liveBytes -= <f64>sizeOf(x);
  setFlag(x, F_UNCOUNTED);
  liveObjects--;
  serialCounter--;
  store<u32>(SERIAL + (<usize>x << 2), 0);
}

/**
 * The serial the newest object got: objects made later have higher ones,
 * modulo 2^32 (the tracker compares distances from its start, not values).
 */
export function lastSerial(): u32 { return serialCounter; }
/** Tests start the counter near 2^31 or 2^32 (no heap reaches them in a test's time). */
export function setLastSerial(v: u32): void { serialCounter = v; }

/** Gives the id back; its columns are reset when it is taken again. */
// @ts-ignore: decorator
@inline export function releaseId(x: u32): void {
  let t = flags(x) & F_TYPE_MASK;
  store<u32>(LIVE_OF_TYPE + (t << 2), load<u32>(LIVE_OF_TYPE + (t << 2)) - 1);
  setFlags(x, flags(x) & ~(F_ALLOCATED | F_CAP_MASK));
  liveBytes -= <f64>sizeOf(x);
  setEdgeStart(x, freeIds);
  setEdgeLen(x, 0);
  freeIds = x;
  freeIdCount++;
  liveObjects--;
}

/** Creates the reserved records: list heads and the shared singletons. */
export function initTable(): bool {
  if (!ensureCapacity(1024)) return false;
  let single = F_ALLOCATED | F_IMMORTAL | F_UNCOUNTED; // shared: size 0, as before
  setFlags(EMPTY_TUPLE, T_TUPLE | single);
  setRefcnt(EMPTY_TUPLE, 1);
  setFlags(ATOM, T_INT | single);
  setRefcnt(ATOM, 1);
  return true;
}

