// What a part of the Heap (heap.lab, heap.debug, heap.analysis) may use of
// it, handed over by the Heap: every engine call still goes through the Heap's one guarded `call`, so
// no part can reach an engine that a trap made unusable.

import type { EngineExports } from "../wasm/engine.js";
import { InvalidArgumentError } from "../errors.js";

export interface HeapPart {
  /** Runs an engine call that may change the heap, as the Heap does (a trap poisons the heap: SimulatorTrapError; events delivered). */
  run<T>(op: string, f: (w: EngineExports) => T): T;
  /** The same for a call that does not change the heap (the analyses' caches stay valid). */
  read<T>(op: string, f: (w: EngineExports) => T): T;
  /** A live object id, or the typed error naming `op` and `what`. */
  id(op: string, x: unknown, what?: string): number;
  /** A negated status as its typed error; otherwise the value. */
  check(op: string, r: number, detail: string): number;
  /** A counter that moves on every call that may have changed the heap. */
  changes(): number;
  /** A live object's type name: a loaded Python type's own name, else the engine type's. */
  typeName(id: number): string;
}

/** A non-negative int32 argument, or InvalidArgumentError naming it. */
export function count(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0x7FFFFFFF) {
    throw new InvalidArgumentError(`${name} must be a non-negative integer, got ${String(v)}`, op);
  }
  return v;
}
