// Constants shared by every part of the engine: compile-time switches, type ids,
// the flag bits of an object record, and the reserved ids.

/** Debug build: invariants are checked after every stage (`--use PYGCSIM_DEBUG=1`). */
// @ts-ignore: decorator
@inline export const SIM_DEBUG: bool = isDefined(PYGCSIM_DEBUG);

// ── Object types (the scenario types of docs/scenario-format.md) ────────────
// @ts-ignore: decorator
@inline export const T_OBJ: u32 = 0;      // instance with 16 __slots__
// @ts-ignore: decorator
@inline export const T_FIN: u32 = 1;      // the same with __del__
// @ts-ignore: decorator
@inline export const T_LIST: u32 = 2;
// @ts-ignore: decorator
@inline export const T_DICT: u32 = 3;
// @ts-ignore: decorator
@inline export const T_TUPLE: u32 = 4;
// @ts-ignore: decorator
@inline export const T_INT: u32 = 5;      // atom: never GC-capable
// @ts-ignore: decorator
@inline export const T_STR: u32 = 6;      // atom: never GC-capable
// @ts-ignore: decorator
@inline export const T_WEAKREF: u32 = 7;  // weakref.ref object (GC-tracked)
// @ts-ignore: decorator
@inline export const T_OTHER: u32 = 8;    // any other Python type (a loaded heap): references in recorded order
// @ts-ignore: decorator
@inline export const T_COUNT: u32 = 9;

/** Most references an instance holds: its slots s0 … s15. */
// @ts-ignore: decorator
@inline export const NSLOTS: u32 = 16;

// ── Flag bits of FLAGS[id] ───────────────────────────────────────────────────
// bits 0-3 type · 16-20 edge-slice capacity class (0 = no slice) · 21-31 roots
// @ts-ignore: decorator
@inline export const F_TYPE_MASK: u32 = 0xF;
// @ts-ignore: decorator
@inline export const F_ALLOCATED: u32 = 1 << 4;   // the id holds a live object
// @ts-ignore: decorator
@inline export const F_FINALIZED: u32 = 1 << 5;   // PEP 442: tp_finalize has run (never cleared)
// bit 6: the 3.14 incremental collector's old-space bit (gc_old_space)
// @ts-ignore: decorator
@inline export const F_OLD_SPACE: u32 = 1 << 6;
// bit 7: an "other" object whose type has __del__ (tp_finalize; tp_del under 2.7)
// @ts-ignore: decorator
@inline export const F_HAS_DEL: u32 = 1 << 7;
// @ts-ignore: decorator
@inline export const F_CLEARED: u32 = 1 << 8;     // the collector's tp_clear ran on this instance
// @ts-ignore: decorator
@inline export const F_RESURRECT: u32 = 1 << 9;   // fin whose __del__ stores self in the resurrection list
// @ts-ignore: decorator
@inline export const F_CALLBACK: u32 = 1 << 10;   // weakref created with a callback
// @ts-ignore: decorator
@inline export const F_IMMORTAL: u32 = 1 << 11;   // shared singleton: incref/decref do nothing
// @ts-ignore: decorator
@inline export const F_VISITED: u32 = 1 << 12;    // scratch mark for analysis passes (cleared after use)
// @ts-ignore: decorator
@inline export const F_SELF_REMOVING: u32 = 1 << 13; // loaded weakref whose callback removes it from a container (assembly/load/callbacks.ts)
// @ts-ignore: decorator
@inline export const F_SIZED: u32 = 1 << 14;      // simulated size set (heap.ts COL_SIZE holds it)
// @ts-ignore: decorator
@inline export const F_UNCOUNTED: u32 = 1 << 15;  // an interpreter object or shared singleton: size 0, not in the live totals
// @ts-ignore: decorator
@inline export const F_CAP_SHIFT: u32 = 16;
// @ts-ignore: decorator
@inline export const F_CAP_MASK: u32 = 0x1F << 16;
// bits 21-31: the object's roots (bindings), ROOTS_INLINE_MAX meaning "in heap.ts COL_ROOTS"
// @ts-ignore: decorator
@inline export const F_ROOTS_SHIFT: u32 = 21;
// @ts-ignore: decorator
@inline export const F_ROOTS_MASK: u32 = 0x7FF << 21;
// @ts-ignore: decorator
@inline export const ROOTS_INLINE_MAX: u32 = 0x7FF;

// ── Reserved ids: list heads (sentinels) and shared singletons ───────────────
// @ts-ignore: decorator
@inline export const NIL: u32 = 0;
// @ts-ignore: decorator
@inline export const GEN0: u32 = 1;
// @ts-ignore: decorator
@inline export const GEN1: u32 = 2;
// @ts-ignore: decorator
@inline export const GEN2: u32 = 3;
// @ts-ignore: decorator
@inline export const PERMANENT: u32 = 4;        // gc.freeze()
// @ts-ignore: decorator
@inline export const UNREACHABLE: u32 = 5;      // U of a collection
// @ts-ignore: decorator
@inline export const FINALIZERS: u32 = 6;       // L: legacy finalizers and what they reach
// @ts-ignore: decorator
@inline export const WRCB_TO_CALL: u32 = 7;     // weakrefs whose callbacks will run
// @ts-ignore: decorator
@inline export const SEEN: u32 = 8;             // finalize_garbage's scratch list
// @ts-ignore: decorator
@inline export const FINAL_UNREACHABLE: u32 = 9; // U' after the resurrection check
// @ts-ignore: decorator
@inline export const EMPTY_TUPLE: u32 = 10;     // the () singleton
// @ts-ignore: decorator
@inline export const ATOM: u32 = 11;            // stands for any int literal inside a tuple
// @ts-ignore: decorator
@inline export const INCREMENT: u32 = 12;       // 3.14: the objects one increment examines
// @ts-ignore: decorator
@inline export const REACHABLE: u32 = 13;       // 3.14: the mark phase's work list
// @ts-ignore: decorator
@inline export const GARBAGE_LIST: u32 = 14;    // gc.garbage: a list object (gclists.ts)
// @ts-ignore: decorator
@inline export const RESURRECTED_LIST: u32 = 15; // the resurrection list: a list object
/** The first id that holds a heap object (the collector's passes start here). */
// @ts-ignore: decorator
@inline export const FIRST_OBJECT: u32 = 14;
/** The first id of the user's objects (what the API accepts and reports). */
// @ts-ignore: decorator
@inline export const FIRST_ID: u32 = 16;

// @ts-ignore: decorator
@inline export function genHead(g: u32): u32 { return GEN0 + g; }
