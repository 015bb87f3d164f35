// The Heap's public types: options, events, what a delegated policy sees,
// per-generation statistics, gc.DEBUG_* flags (re-exported by src/heap.ts).

import type { BuildKind } from "../wasm/engine.js";
import type { TypeId } from "../wasm/status.js";

export type ObjectType = keyof typeof TypeId;
/** Types `newObject` creates (tuples and weakrefs have their own constructors). */
export type PlainType = "obj" | "fin" | "list" | "dict" | "int" | "str";
export type ChainType = "obj" | "fin" | "list" | "dict" | "tuple";

/** One object as describeMany gives it (one engine call per batch of objects). */
export interface ObjectDescription {
  id: number;
  type: ObjectType;
  serial: number;
  tracked: boolean;
  refcount: number;
  /** Root bindings (names). */
  roots: number;
  /** References leaked by incref. */
  leaks: number;
  /** PEP 442's flag: tp_finalize ran (on every version that has it; gc.is_finalized shows it from 3.9). */
  finalized: boolean;
  /** Its references, in traversal order, duplicates kept. */
  referents: Uint32Array;
}

export interface HeapOptions {
  /** CPython version to simulate ("3.11", "3.12.1", …). Default 3.11. */
  python?: string;
  /** Engine build: "release" (default) or "debug" (checks every invariant after every call). */
  build?: BuildKind;
  /** Upper bound on the engine's linear memory in bytes (default: the wasm32 maximum). */
  memoryLimitBytes?: number;
  /**
   * The interpreter's own tracked objects at start-up, in generation 2 as after
   * its first full collection (default: the profile's, measured on the real
   * interpreter). They are counted, not simulated: long_lived_total, the work
   * of full collections, 3.14's heap size and mark phase. 0 is an empty heap
   * (only gc.garbage and the resurrection list, the gc module's own lists).
   */
  startupObjects?: number;
  /**
   * 3.14: how many start-up objects the mark phase does not reach (default:
   * the profile's, scaled). They are made real (alive, no root reaches them;
   * the user's ids start after them), the others are counted.
   */
  startupUnreached?: number;
  /**
   * Where 3.12+ run a scheduled automatic collection: "per-call" (default) at
   * the end of every API call (a batch call is one C call); "per-statement"
   * also after each element of a batch call (each object made, reference
   * added, binding dropped: the Python loop the batch stands for); "explicit"
   * only at safePoint() — place them where the Python code you replay checks
   * its eval breaker (a call returns, a loop jumps back). ≤3.11 collect inside
   * the allocation whatever the mode.
   */
  safePoints?: "per-call" | "per-statement" | "explicit";
  /** CPython's free lists for lists, dicts and small tuples (default true; false counts every allocation). */
  freeLists?: boolean;
}

/** gc.callbacks' info dict. */
export interface CollectionInfo {
  generation: number;
  collected: number;
  uncollectable: number;
  /** 3.15: objects the collection examined (update_refs), and its duration in seconds. */
  candidates?: number;
  duration?: number;
}
export type GcCallback = (phase: "start" | "stop", info: CollectionInfo) => void;

/** What a Python observer would have seen, in order. */
export type HeapEvent =
  | { kind: "finalized"; id: number; serial: number }
  | { kind: "callback"; weakref: number; serial: number }
  | { kind: "gc-start"; generation: number; count0: number; automatic: boolean }
  | {
      kind: "gc-stop"; generation: number; collected: number; uncollectable: number;
      /** Objects whose gc_refs this collection computed, plus those 3.14's mark phase marked: its work. */
      examined: number;
      /** Started by the allocation counts (true) or by gc.collect() (false). */
      automatic: boolean;
      /** 3.14: the incremental collector's work budget after this collection. */
      workToDo: number;
      /** Wall time of the collection in the simulator, in microseconds. */
      wallUs: number;
      /** Objects update_refs counted (3.15's "candidates"; the interpreter's start-up objects included). */
      candidates: number;
    };

/** What a delegated policy sees at a decision point. */
export interface PolicyState {
  readonly count: readonly [number, number, number];
  readonly threshold: readonly [number, number, number];
  /** Bytes of GC objects allocated since the last collection. */
  readonly youngBytes: number;
  /** Bytes of all live objects. */
  readonly liveBytes: number;
  readonly liveObjects: number;
  readonly longLived: { total: number; pending: number };
}

/**
 * When automatic collections run (the heuristics lab swaps these):
 * - `cpython`: the profile's own rules (thresholds, the long-lived rule with
 *   `longLivedRatio`, default 0.25; 0 turns it off; 3.14: increments);
 * - `memory`: a collection when the bytes allocated since the last one pass
 *   `youngBytes` (CPython counts objects, not bytes); which generation, as CPython;
 * - `delegated`: at each decision point (count[0] past threshold 0 — never per
 *   allocation) `decide` returns the generation to collect, or null. It may
 *   only read the state it is given.
 */
export type SchedulingPolicy =
  | { kind: "cpython"; longLivedRatio?: number }
  | { kind: "memory"; youngBytes: number; longLivedRatio?: number }
  | { kind: "delegated"; decide: (state: PolicyState) => number | null };

export interface GenerationStats {
  collections: number;
  collected: number;
  uncollectable: number;
  /** 3.15: objects examined by update_refs, summed; total duration in seconds (simulated wall time). */
  candidates?: number;
  duration?: number;
}

export const DEBUG_STATS = 1;
export const DEBUG_COLLECTABLE = 2;
export const DEBUG_UNCOLLECTABLE = 4;
export const DEBUG_SAVEALL = 32;
export const DEBUG_LEAK = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;
