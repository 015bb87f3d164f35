// A schedule workload's program: a flat Int32Array of operations that both
// the Python executor (python/schedule_recorder.py, run by a real CPython) and
// the simulator twin (src/schedule/twin.ts) execute, so the two run the same
// allocations, links and releases in the same order.
//
// Registers R[0..nregs) start as None. Every op is one Python statement of
// the executor's loop, written so that it allocates exactly the objects named
// here (no hidden bound methods, frames or argument tuples after warm-up) and
// so that its eval-breaker checks (3.12+ safe points) are known:
//   - every op ends at the loop's back edge: a safe point;
//   - ops marked CALL also check right after their call returns, before the
//     result is stored (and the register's old value released).
//
// Encoding: [opcode, operands...]; the op index (0, 1, 2 …) counts ops, not words.

export const Op = {
  /** R[a] = Node() — an instance of a class with 16 __slots__ (s0…s15) and __weakref__. CALL. */
  NEW_OBJ: 1,
  /** R[a] = Fin() — the same with `def __del__(self): pass`. CALL. */
  NEW_FIN: 2,
  /** R[a] = [] */
  NEW_LIST: 3,
  /** R[a] = {} */
  NEW_DICT: 4,
  /** R[a] = (R[b1], …, R[bn]) with n = 1…4 items (registers; an int register makes an atom item). Operands: a n b1 … bn */
  NEW_TUPLE: 5,
  /** R[a] = v (a Python int, not a GC object; v ≥ 0). Operands: a v */
  NEW_INT: 6,
  /** R[a].s<k> = R[b] (k = 0…15). The generator only fills the lowest empty slot. Operands: a k b */
  SET_SLOT: 7,
  /** R[a].s<k> = None. The generator only empties the highest slot holding that object. Operands: a k */
  CLEAR_SLOT: 8,
  /** R[a].append(R[b]) — CALL. Operands: a b */
  APPEND: 9,
  /** del R[a][-1] — the last item of a list. Operands: a */
  DEL_LAST: 10,
  /** R[a][k] = R[b] (k a small int key, new in that dict). Operands: a k b */
  DICT_SET: 11,
  /** del R[a][k]. Operands: a k */
  DICT_DEL: 12,
  /** R[a] = R[b]. Operands: a b */
  MOVE: 13,
  /** R[a] = None. Operands: a */
  DROP: 14,
  /** R[a] = weakref.ref(R[b]) (cb = 0) or weakref.ref(R[b], CB) (cb = 1; CB does nothing). CALL. Operands: a b cb */
  WEAKREF: 15,
  /** gc.freeze(). CALL. No operands. */
  FREEZE: 16,
  /** gc.collect(g). CALL. Operands: g */
  COLLECT: 17,
} as const;
export type OpCode = (typeof Op)[keyof typeof Op];

/** Operand words after the opcode (NEW_TUPLE: 2 + n, read from the stream). */
export const OPERANDS: Readonly<Record<number, number>> = {
  [Op.NEW_OBJ]: 1, [Op.NEW_FIN]: 1, [Op.NEW_LIST]: 1, [Op.NEW_DICT]: 1, [Op.NEW_INT]: 2,
  [Op.SET_SLOT]: 3, [Op.CLEAR_SLOT]: 2, [Op.APPEND]: 2, [Op.DEL_LAST]: 1, [Op.DICT_SET]: 3,
  [Op.DICT_DEL]: 2, [Op.MOVE]: 2, [Op.DROP]: 1, [Op.WEAKREF]: 3, [Op.FREEZE]: 0, [Op.COLLECT]: 1,
};

/** Ops whose statement makes a call: 3.12+ check the eval breaker when it returns, before the store. */
export const CALLS: ReadonlySet<number> = new Set([Op.NEW_OBJ, Op.NEW_FIN, Op.APPEND, Op.WEAKREF, Op.FREEZE, Op.COLLECT]);

export interface Program {
  /** Registers the executor allocates. */
  readonly nregs: number;
  /** The op stream. */
  readonly code: Int32Array;
  /** Number of ops (not words). */
  readonly ops: number;
}

/** Builds a program op by op (a growable Int32Array). */
export class ProgramBuilder {
  private buf = new Int32Array(1 << 16);
  private len = 0;
  private nops = 0;
  constructor(readonly nregs: number) {}

  private push(...words: number[]): void {
    if (this.len + words.length > this.buf.length) {
      const next = new Int32Array(Math.max(this.buf.length * 2, this.len + words.length));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    for (const w of words) this.buf[this.len++] = w;
    this.nops++;
  }
  private reg(r: number): number {
    if (!Number.isInteger(r) || r < 0 || r >= this.nregs) throw new RangeError(`register ${r} outside 0..${this.nregs - 1}`);
    return r;
  }

  newObj(a: number) { this.push(Op.NEW_OBJ, this.reg(a)); }
  newFin(a: number) { this.push(Op.NEW_FIN, this.reg(a)); }
  newList(a: number) { this.push(Op.NEW_LIST, this.reg(a)); }
  newDict(a: number) { this.push(Op.NEW_DICT, this.reg(a)); }
  newTuple(a: number, items: number[]) {
    if (items.length < 1 || items.length > 4) throw new RangeError("a tuple has 1…4 items");
    this.push(Op.NEW_TUPLE, this.reg(a), items.length, ...items.map((b) => this.reg(b)));
  }
  newInt(a: number, v: number) { this.push(Op.NEW_INT, this.reg(a), v); }
  setSlot(a: number, k: number, b: number) { this.push(Op.SET_SLOT, this.reg(a), k, this.reg(b)); }
  clearSlot(a: number, k: number) { this.push(Op.CLEAR_SLOT, this.reg(a), k); }
  append(a: number, b: number) { this.push(Op.APPEND, this.reg(a), this.reg(b)); }
  delLast(a: number) { this.push(Op.DEL_LAST, this.reg(a)); }
  dictSet(a: number, k: number, b: number) { this.push(Op.DICT_SET, this.reg(a), k, this.reg(b)); }
  dictDel(a: number, k: number) { this.push(Op.DICT_DEL, this.reg(a), k); }
  move(a: number, b: number) { this.push(Op.MOVE, this.reg(a), this.reg(b)); }
  drop(a: number) { this.push(Op.DROP, this.reg(a)); }
  weakref(a: number, b: number, callback: boolean) { this.push(Op.WEAKREF, this.reg(a), this.reg(b), callback ? 1 : 0); }
  freeze() { this.push(Op.FREEZE); }
  collect(g: number) { this.push(Op.COLLECT, g); }

  build(): Program {
    return { nregs: this.nregs, code: this.buf.slice(0, this.len), ops: this.nops };
  }
}
