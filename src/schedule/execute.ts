// The schedule executor: python/schedule_recorder.py's interpreter of a
// schedule program, once, over a target that either calls the heap statement
// by statement (twin.ts's HeapTarget) or writes op streams run a chunk at a
// time (stream.ts). Registers are root bindings (a register holding an
// object is one reference from outside the heap, as a local variable is).
//
// Safe points are placed where the recorder's bytecode checks CPython's eval
// breaker: right after the call of a CALL op returns (before its result is
// stored, so before the register's old value is released), and at the loop's
// back edge after every op. The target drops them where ≤3.11 collect inside
// the allocation instead.

import { CALLS, Op, OPERANDS, type Program } from "./program.js";

/** No object (an empty register or slot); no target hands it out. */
export const NONE = 0;

/** Where the statements go. Objects are named by the target's handles (never NONE). */
export interface ProgramTarget {
  newObject(type: "obj" | "fin" | "list" | "dict" | "int"): number;
  newTuple(items: number[]): number;
  newWeakref(target: number, callback: boolean): number;
  addRef(from: number, to: number): void;
  removeRef(from: number, to: number): void;
  bind(x: number): void;
  unbind(x: number): void;
  safePoint(): void;
  freeze(): void;
  collect(generation: number): void;
  /** Before `R[a].append(x)` calls the method (≤3.6 makes a bound method for it). */
  beforeAppend(): void;
  /** Op i of the program starts: what the target is given from now on belongs to it. */
  beginOp(i: number): void;
}

export class ProgramRun {
  private readonly R: number[];
  // JS-side contents, to name what an op removes: slots of instances, items of lists, entries of dicts
  private readonly slots = new Map<number, Int32Array>();
  private readonly items = new Map<number, number[]>();
  private readonly entries = new Map<number, Map<number, number>>();
  private pc = 0;
  /** Ops run so far (the next op's index). */
  next = 0;

  constructor(private readonly program: Program, private readonly t: ProgramTarget) {
    this.R = new Array<number>(program.nregs).fill(NONE);
  }

  /** Runs ops up to `end` (exclusive), calling onOp(i) before op i (the recorder's POS[0] = i). */
  runTo(end: number, onOp?: (op: number) => void): void {
    for (const stop = Math.min(end, this.program.ops); this.next < stop; this.next++) {
      onOp?.(this.next);
      this.step(this.next);
    }
  }

  /** R[a] = x: the old value is released after the store (STORE_SUBSCR). */
  private store(a: number, x: number): void {
    const old = this.R[a];
    this.R[a] = x;
    if (old !== NONE) this.t.unbind(old);
  }

  private step(i: number): void {
    const { R, t } = this;
    const code = this.program.code, pc = this.pc;
    const k = code[pc];
    const n = k === Op.NEW_TUPLE ? 2 + code[pc + 2] : OPERANDS[k];
    if (n === undefined) throw new RangeError(`op ${i}: unknown opcode ${k} at word ${pc}`);
    const a = code[pc + 1], b = code[pc + 2], c = code[pc + 3];
    t.beginOp(i);
    switch (k) {
      case Op.NEW_OBJ: case Op.NEW_FIN: {
        const x = t.newObject(k === Op.NEW_OBJ ? "obj" : "fin");
        this.slots.set(x, new Int32Array(16));
        t.safePoint();
        this.store(a, x);
        break;
      }
      case Op.NEW_LIST: { const x = t.newObject("list"); this.items.set(x, []); this.store(a, x); break; }
      case Op.NEW_DICT: { const x = t.newObject("dict"); this.entries.set(x, new Map()); this.store(a, x); break; }
      case Op.NEW_TUPLE: {
        const its: number[] = [];
        for (let j = 0; j < b; j++) its.push(R[code[pc + 3 + j]]);
        this.store(a, t.newTuple(its));
        break;
      }
      case Op.NEW_INT: this.store(a, t.newObject("int")); break;
      case Op.SET_SLOT: t.addRef(R[a], R[c]); this.slots.get(R[a])![b] = R[c]; break;
      case Op.CLEAR_SLOT: {
        const s = this.slots.get(R[a])!;
        t.removeRef(R[a], s[b]);
        s[b] = NONE;
        break;
      }
      case Op.APPEND: t.beforeAppend(); t.addRef(R[a], R[b]); this.items.get(R[a])!.push(R[b]); t.safePoint(); break;
      case Op.DEL_LAST: t.removeRef(R[a], this.items.get(R[a])!.pop()!); break;
      case Op.DICT_SET: t.addRef(R[a], R[c]); this.entries.get(R[a])!.set(b, R[c]); break;
      case Op.DICT_DEL: {
        const d = this.entries.get(R[a])!;
        const v = d.get(b)!;
        d.delete(b);
        t.removeRef(R[a], v);
        break;
      }
      case Op.MOVE: if (R[b] !== NONE) t.bind(R[b]); this.store(a, R[b]); break;
      case Op.DROP: this.store(a, NONE); break;
      case Op.WEAKREF: {
        // weakref.ref(x[, CB]): the type call builds its argument tuple first, and drops it after
        const args = t.newTuple(c === 1 ? [R[b], R[b]] : [R[b]]);
        const w = t.newWeakref(R[b], c === 1);
        t.unbind(args);
        t.safePoint();
        this.store(a, w);
        break;
      }
      case Op.FREEZE: t.freeze(); t.safePoint(); break;
      case Op.COLLECT: t.collect(a); t.safePoint(); break;
      default: throw new RangeError(`op ${i}: unknown opcode ${k}`);
    }
    // the loop's back edge (after a call's own check nothing new can be due: no op allocates after its call)
    if (!CALLS.has(k)) t.safePoint();
    this.pc = pc + 1 + n;
  }
}
