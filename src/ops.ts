// The op stream's TS side (assembly/ops.ts): a workload writes its statements
// into an OpStream — one typed buffer, no engine call per statement — and
// `heap.runOps(stream)` runs the whole program in one call. Each op stands
// for one Python statement and is followed by the safe point an API call
// would have, so a stream schedules exactly like the calls it replaces.
// Only what the engine cannot check is checked here (argument shapes); the
// engine checks every op against the heap and stops at the first it refuses.

import { InvalidArgumentError } from "./errors.js";
import { TypeId } from "./wasm/status.js";

/** Op codes of assembly/ops.ts (test/boundary-tables.test.ts checks they agree). */
export const OpCode = {
  NEW: 1, TUPLE: 2, WEAKREF: 3, REF: 4, UNREF: 5, BIND: 6, UNBIND: 7, INCREF: 8,
  COLLECT: 9, SAFE_POINT: 10, ALLOCATION: 11,
} as const;
export const OP_NAMES: Record<number, string> = {
  1: "new", 2: "tuple", 3: "weakref", 4: "ref", 5: "unref", 6: "bind", 7: "unbind", 8: "incref",
  9: "collect", 10: "safePoint", 11: "countAllocation",
};
/** An operand naming what op k of the same stream made. */
export const RESULT_BIT = 0x80000000;

/**
 * An object in a stream: an id of the heap, or a reference to the object an
 * earlier op of the stream makes (what `new`, `tuple` and `weakref` return).
 */
export type OpRef = number;

/** A program of heap operations, built in JS and run by the engine in one call. */
export class OpStream {
  /** u32 words: per op, `code | operands << 8` then the operands. */
  private buf = new Uint32Array(1024);
  private used = 0;
  private ops = 0;

  /** Ops written so far. */
  get length(): number { return this.ops; }
  /** @internal the encoded ops. */
  words(): Uint32Array { return this.buf.subarray(0, this.used); }
  /** Empties the stream (its buffer is kept). */
  clear(): void { this.used = 0; this.ops = 0; }

  private room(n: number): void {
    if (this.used + n > this.buf.length) {
      const next = new Uint32Array(Math.max(this.buf.length * 2, this.used + n));
      next.set(this.buf.subarray(0, this.used));
      this.buf = next;
    }
  }

  // The common operand (an id below 0x7FFFFFF0, a whole number) passes one
  // comparison pair; everything else goes to the slow path that explains.
  private ref(op: string, x: number, what: string): number {
    if (typeof x !== "number" || (x >>> 0) !== x || (x >= 0x7FFFFFF0 && (x < RESULT_BIT || x - RESULT_BIT >= this.ops))) this.refuse(op, x, what);
    return x;
  }

  private refuse(op: string, x: unknown, what: string): never {
    if (typeof x === "number" && Number.isInteger(x) && x >= RESULT_BIT && x <= 0xFFFFFFFF) {
      throw new InvalidArgumentError(`${what} refers to op ${x - RESULT_BIT}, which is not written yet`, `OpStream.${op}`);
    }
    throw new InvalidArgumentError(`${what} must be an object id or an OpRef, got ${String(x)}`, `OpStream.${op}`);
  }

  private emit1(code: number, a: number): void {
    if (this.used + 2 > this.buf.length) this.room(2);
    const b = this.buf, u = this.used;
    b[u] = code | (1 << 8); b[u + 1] = a;
    this.used = u + 2;
    this.ops++;
  }

  private emit2(code: number, a: number, c: number): OpRef {
    if (this.used + 3 > this.buf.length) this.room(3);
    const b = this.buf, u = this.used;
    b[u] = code | (2 << 8); b[u + 1] = a; b[u + 2] = c;
    this.used = u + 3;
    return RESULT_BIT + this.ops++;
  }

  /** A new bound object (Heap.newObject). */
  new(type: "obj" | "fin" | "list" | "dict" | "int" | "str", options?: { resurrect?: boolean }): OpRef {
    let t: number;
    switch (type) { // interned strings: a pointer comparison each
      case "obj": t = TypeId.obj; break;
      case "list": t = TypeId.list; break;
      case "fin": t = TypeId.fin; break;
      case "dict": t = TypeId.dict; break;
      case "int": t = TypeId.int; break;
      case "str": t = TypeId.str; break;
      default: throw new InvalidArgumentError(`type must be obj, fin, list, dict, int or str, got ${String(type)}`, "OpStream.new");
    }
    if (options === undefined) return this.emit2(OpCode.NEW, t, 0);
    const resurrect = options?.resurrect === true;
    if (resurrect && type !== "fin") throw new InvalidArgumentError("resurrect is only for type fin", "OpStream.new");
    return this.emit2(OpCode.NEW, t, +resurrect);
  }
  /** tuple(items), bound (Heap.newTuple; Heap.INT_LITERAL for an int literal). */
  tuple(items: readonly OpRef[]): OpRef {
    if (!Array.isArray(items)) throw new InvalidArgumentError("items must be an array", "OpStream.tuple");
    const n = items.length;
    for (let i = 0; i < n; i++) {
      const x = items[i];
      if (typeof x !== "number" || (x >>> 0) !== x || x >= 0x7FFFFFF0) this.ref("tuple", x, `items[${i}]`); // the message only when needed
    }
    this.room(1 + n);
    this.buf[this.used] = OpCode.TUPLE | (n << 8);
    for (let i = 0; i < n; i++) this.buf[this.used + 1 + i] = items[i];
    this.used += 1 + n;
    return RESULT_BIT + this.ops++;
  }
  /** weakref.ref(target[, callback]), bound (Heap.newWeakref). */
  weakref(target: OpRef, options?: { callback?: boolean }): OpRef {
    return this.emit2(OpCode.WEAKREF, this.ref("weakref", target, "target"), +(options?.callback === true));
  }
  /** from gains a reference to to (Heap.addRef). */
  addRef(from: OpRef, to: OpRef): void {
    this.emit2(OpCode.REF, this.ref("addRef", from, "from"), this.ref("addRef", to, "to"));
  }
  /** Heap.removeRef. */
  removeRef(from: OpRef, to: OpRef): void {
    this.emit2(OpCode.UNREF, this.ref("removeRef", from, "from"), this.ref("removeRef", to, "to"));
  }
  bind(x: OpRef): void { this.emit1(OpCode.BIND, this.ref("bind", x, "id")); }
  unbind(x: OpRef): void { this.emit1(OpCode.UNBIND, this.ref("unbind", x, "id")); }
  /** A leaked reference (Heap.incref). */
  incref(x: OpRef): void { this.emit1(OpCode.INCREF, this.ref("incref", x, "id")); }
  /** gc.collect(generation); its result (objects found) is this op's result. */
  collect(generation = 2): OpRef {
    if (generation !== 0 && generation !== 1 && generation !== 2) throw new InvalidArgumentError(`generation must be 0, 1 or 2, got ${String(generation)}`, "OpStream.collect");
    this.emit1(OpCode.COLLECT, generation);
    return RESULT_BIT + this.ops - 1;
  }
  /** The eval breaker's check (Heap.safePoint). */
  safePoint(): void { this.room(1); this.buf[this.used++] = OpCode.SAFE_POINT; this.ops++; }
  /** An allocation the simulator does not model (Heap.countAllocation). */
  countAllocation(): void { this.room(1); this.buf[this.used++] = OpCode.ALLOCATION; this.ops++; }
}

/** What a stream made: op k's result (an id, or a collection's count; 0 for other ops). */
export class OpResults {
  constructor(readonly values: Uint32Array) {}
  /** The id an OpRef stands for (an id passes through). */
  id(ref: OpRef): number {
    if (ref < RESULT_BIT) return ref;
    const k = ref - RESULT_BIT;
    if (k >= this.values.length) throw new InvalidArgumentError(`op ${k} was not run`, "OpResults.id");
    return this.values[k];
  }
}
