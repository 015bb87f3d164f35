// The schedule executor on the op stream: the same statements, safe points
// and register releases as executeProgram (twin.ts), written into OpStreams
// of a chunk of program ops each and run one engine call per chunk, so a
// million-statement program costs a few hundred calls instead of millions.
//
// Objects are named by handles (one per object the program makes): an
// OpRef while its chunk is being written, its id once the chunk has run.
// The registers and the JS-side contents (slots, items, entries) hold
// handles, so a chunk may refer to objects of any earlier chunk.
//
// Used where nothing outside the engine reacts to an event by changing the
// heap (3.11+; ≤3.10 allocate a frame on the first __del__ / callback and
// ≤3.6 a bound method per append, which the per-call executor models by
// listening to events).

import type { Heap } from "../heap.js";
import { OpStream, RESULT_BIT } from "../ops.js";
import { CALLS, Op, OPERANDS, type Program } from "./program.js";

const NONE = 0;

export interface StreamRun {
  /** While an event listener runs: the program op the event happened in. */
  eventProgramOp(): number;
  /** Runs the program; `afterChunk(opsDone)` after each chunk of `chunkOps` program ops. */
  run(chunkOps: number, afterChunk?: (opsDone: number) => void): void;
}

/** Whether the profile lets the program run on the op stream (no event-driven allocation). */
export function streamable(heap: Heap): boolean {
  return !heap.profile.boundMethodCalls && !heap.profile.frameObjects;
}

export function streamRun(heap: Heap, program: Program): StreamRun {
  const s = new OpStream();
  // handle → OpRef (made in the chunk being written) or id (made before)
  const ref: number[] = [NONE];
  let pending: number[] = [];
  const R = new Array<number>(program.nregs).fill(NONE);
  const slots = new Map<number, Int32Array>();
  const items = new Map<number, number[]>();
  const entries = new Map<number, Map<number, number>>();
  // stream op → program op, for the chunk being run
  let programOf: number[] = [];
  let lastOp = -1;
  const safePoints = heap.profile.safePoint; // ≤3.11 collect inside the allocation

  const made = (r: number): number => { ref.push(r); pending.push(ref.length - 1); return ref.length - 1; };
  const op = (h: number): number => (h === NONE ? NONE : ref[h]);
  const sp = () => { if (safePoints) s.safePoint(); };
  const store = (a: number, h: number) => {
    const old = R[a];
    R[a] = h;
    if (old !== NONE) s.unbind(op(old));
  };
  const flush = () => {
    if (s.length === 0) return;
    const r = heap.runOps(s);
    for (const h of pending) ref[h] = r.values[ref[h] - RESULT_BIT];
    pending = [];
    programOf = [];
    s.clear();
  };

  const code = program.code;
  let pc = 0;
  let next = 0;
  const step = (i: number) => {
    const k = code[pc];
    const n = k === Op.NEW_TUPLE ? 2 + code[pc + 2] : OPERANDS[k];
    if (n === undefined) throw new RangeError(`op ${i}: unknown opcode ${k} at word ${pc}`);
    const a = code[pc + 1], b = code[pc + 2], c = code[pc + 3];
    lastOp = i;
    switch (k) {
      case Op.NEW_OBJ: case Op.NEW_FIN: {
        const x = made(s.new(k === Op.NEW_OBJ ? "obj" : "fin"));
        slots.set(x, new Int32Array(16));
        sp();
        store(a, x);
        break;
      }
      case Op.NEW_LIST: { const x = made(s.new("list")); items.set(x, []); store(a, x); break; }
      case Op.NEW_DICT: { const x = made(s.new("dict")); entries.set(x, new Map()); store(a, x); break; }
      case Op.NEW_TUPLE: {
        const its: number[] = [];
        for (let j = 0; j < b; j++) its.push(op(R[code[pc + 3 + j]]));
        store(a, made(s.tuple(its)));
        break;
      }
      case Op.NEW_INT: store(a, made(s.new("int"))); break;
      case Op.SET_SLOT: s.addRef(op(R[a]), op(R[c])); slots.get(R[a])![b] = R[c]; break;
      case Op.CLEAR_SLOT: {
        const sl = slots.get(R[a])!;
        s.removeRef(op(R[a]), op(sl[b]));
        sl[b] = NONE;
        break;
      }
      case Op.APPEND: s.addRef(op(R[a]), op(R[b])); items.get(R[a])!.push(R[b]); sp(); break;
      case Op.DEL_LAST: s.removeRef(op(R[a]), op(items.get(R[a])!.pop()!)); break;
      case Op.DICT_SET: s.addRef(op(R[a]), op(R[c])); entries.get(R[a])!.set(b, R[c]); break;
      case Op.DICT_DEL: {
        const d = entries.get(R[a])!;
        const v = d.get(b)!;
        d.delete(b);
        s.removeRef(op(R[a]), op(v));
        break;
      }
      case Op.MOVE: if (R[b] !== NONE) s.bind(op(R[b])); store(a, R[b]); break;
      case Op.DROP: store(a, NONE); break;
      case Op.WEAKREF: {
        // weakref.ref(x[, CB]): the type call builds its argument tuple first, and drops it after
        const args = made(s.tuple(c === 1 ? [op(R[b]), op(R[b])] : [op(R[b])]));
        const w = made(s.weakref(op(R[b]), { callback: c === 1 }));
        s.unbind(op(args));
        sp();
        store(a, w);
        break;
      }
      case Op.FREEZE: flush(); heap.freeze(); sp(); break;
      case Op.COLLECT: s.collect(a); sp(); break;
      default: throw new RangeError(`op ${i}: unknown opcode ${k}`);
    }
    // the loop's back edge (after a call's own check nothing new can be due)
    if (!CALLS.has(k)) sp();
    while (programOf.length < s.length) programOf.push(i);
    pc += 1 + n;
  };

  return {
    eventProgramOp: () => {
      const j = heap.eventOp;
      return j >= 0 && j < programOf.length ? programOf[j] : lastOp;
    },
    run(chunkOps, afterChunk) {
      const per = Math.max(1, Math.floor(chunkOps));
      while (next < program.ops) {
        const end = Math.min(program.ops, next + per);
        for (; next < end; next++) step(next);
        flush();
        afterChunk?.(next);
      }
    },
  };
}
