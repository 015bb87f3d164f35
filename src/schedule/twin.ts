// The simulator twin of python/schedule_recorder.py's executor: runs a
// schedule program on a Heap, statement by statement, and records every
// collection as the recorder does (op index, generation, collected,
// uncollectable). Registers are root bindings (a register holding an object
// is one reference from outside the heap, as a local variable is).
//
// Safe points are explicit (Heap option safePoints: "explicit") and placed
// where the executor's bytecode checks CPython's eval breaker: right after
// the call of a CALL op returns (before its result is stored, so before the
// register's old value is released), and at the loop's back edge after every
// op. ≤3.11 collect inside the allocation, wherever it is.

import { Heap } from "../heap.js";
import { CALLS, Op, OPERANDS, type Program } from "./program.js";
import { streamable, streamRun } from "./stream.js";

/** One collection: [op index, generation, collected, uncollectable]. */
export type CollectionRecord = [number, number, number, number];

export interface TwinOptions {
  python: string;
  /** The interpreter's start-up objects (default: the profile's). */
  startupObjects?: number;
  /** gc.set_threshold(...) before the run (default: the profile's). */
  thresholds?: readonly number[] | null;
  /** gc.get_count() when the program starts (the recorder's count_start). */
  countStart?: readonly [number, number, number];
  /** 3.14: start-up objects the mark phase does not reach. */
  startupUnreached?: number;
  /** Stop after this many collections (a calibration run). */
  maxCollections?: number;
  build?: "debug" | "release";
}

export interface TwinResult {
  collections: CollectionRecord[];
  statsDelta: { collections: number; collected: number; uncollectable: number }[] | null;
  countEnd: number[];
  /** 3.14: objects (not counting start-up ones) the first mark step reached. */
  firstMarked?: number;
}

const NONE = 0;
const STOP = new Error("calibration run: enough collections");
/** Program ops per op stream (a chunk's stream and results stay a few MB). */
const STREAM_CHUNK = 1 << 16;

/**
 * Executes the program on `heap` (made with safePoints: "explicit"), op by op,
 * with the executor's safe points. `onOp(i)` runs before op i (the recorder's
 * POS[0] = i).
 */
export function executeProgram(heap: Heap, program: Program, onOp?: (op: number) => void): void {
  const R = new Array<number>(program.nregs).fill(NONE);
  // JS-side contents, to name what an op removes: slots of instances, items of lists, entries of dicts
  const slots = new Map<number, Int32Array>();
  const items = new Map<number, number[]>();
  const entries = new Map<number, Map<number, number>>();
  // ≤3.11 collect inside the allocation: no safe point has anything to run
  const sp = heap.profile.safePoint ? () => heap.safePoint() : () => {};
  // ≤3.6: R[a].append(x) makes a bound method, from a free list that full collections empty
  const boundMethods = heap.profile.boundMethodCalls;
  // (the recorder's own `gc.callbacks.append(rec)`, the last call before the run, leaves one there)
  let methodFreeList = 1;
  if (boundMethods) heap.onEvent((e) => { if (e.kind === "gc-stop" && e.generation === 2) methodFreeList = 0; });
  // ≤3.10: the first call of Fin.__del__ and of the weakref callback allocates their frame
  const firstCalls = new Set<string>();
  if (heap.profile.frameObjects) {
    heap.onEvent((e) => {
      if ((e.kind === "finalized" || e.kind === "callback") && !firstCalls.has(e.kind)) {
        firstCalls.add(e.kind);
        heap.countAllocation();
      }
    });
  }
  /** R[a] = x: the old value is released after the store (STORE_SUBSCR). */
  const store = (a: number, x: number) => {
    const old = R[a];
    R[a] = x;
    if (old !== NONE) heap.unbind(old);
  };

  const code = program.code;
  let pc = 0;
  for (let op = 0; op < program.ops; op++) {
    onOp?.(op);
    const k = code[pc];
    const n = k === Op.NEW_TUPLE ? 2 + code[pc + 2] : OPERANDS[k];
    if (n === undefined) throw new RangeError(`op ${op}: unknown opcode ${k} at word ${pc}`);
    const a = code[pc + 1], b = code[pc + 2], c = code[pc + 3];
    switch (k) {
      case Op.NEW_OBJ: case Op.NEW_FIN: {
        const x = heap.newObject(k === Op.NEW_OBJ ? "obj" : "fin");
        slots.set(x, new Int32Array(16));
        sp();
        store(a, x);
        break;
      }
      case Op.NEW_LIST: { const x = heap.newObject("list"); items.set(x, []); store(a, x); break; }
      case Op.NEW_DICT: { const x = heap.newObject("dict"); entries.set(x, new Map()); store(a, x); break; }
      case Op.NEW_TUPLE: {
        const m = b;
        const its: number[] = [];
        for (let i = 0; i < m; i++) its.push(R[code[pc + 3 + i]]);
        store(a, heap.newTuple(its));
        break;
      }
      case Op.NEW_INT: store(a, heap.newObject("int")); break;
      case Op.SET_SLOT: heap.addRef(R[a], R[c]); slots.get(R[a])![b] = R[c]; break;
      case Op.CLEAR_SLOT: {
        const s = slots.get(R[a])!;
        heap.removeRef(R[a], s[b]);
        s[b] = NONE;
        break;
      }
      case Op.APPEND:
        if (boundMethods && methodFreeList === 0) { heap.countAllocation(); methodFreeList = 1; }
        heap.addRef(R[a], R[b]); items.get(R[a])!.push(R[b]); sp();
        break;
      case Op.DEL_LAST: heap.removeRef(R[a], items.get(R[a])!.pop()!); break;
      case Op.DICT_SET: heap.addRef(R[a], R[c]); entries.get(R[a])!.set(b, R[c]); break;
      case Op.DICT_DEL: {
        const d = entries.get(R[a])!;
        const v = d.get(b)!;
        d.delete(b);
        heap.removeRef(R[a], v);
        break;
      }
      case Op.MOVE: if (R[b] !== NONE) heap.bind(R[b]); store(a, R[b]); break;
      case Op.DROP: store(a, NONE); break;
      case Op.WEAKREF: {
        // weakref.ref(x[, CB]): the type call builds its argument tuple first, and drops it after
        const args = heap.newTuple(c === 1 ? [R[b], R[b]] : [R[b]]);
        const w = heap.newWeakref(R[b], { callback: c === 1 });
        heap.unbind(args);
        sp();
        store(a, w);
        break;
      }
      case Op.FREEZE: heap.freeze(); sp(); break;
      case Op.COLLECT: heap.collect(a); sp(); break;
      default: throw new RangeError(`op ${op}: unknown opcode ${k}`);
    }
    // the loop's back edge (after a call's own check nothing new can be due: no op allocates after its call)
    if (!CALLS.has(k)) sp();
    pc += 1 + n;
  }
}

/** Runs the program on a new heap from the recorder's start; returns what the recorder records. */
export function runTwin(program: Program, o: TwinOptions): TwinResult {
  const heap = new Heap({
    python: o.python, build: o.build ?? "release", safePoints: "explicit",
    ...(o.startupObjects !== undefined ? { startupObjects: o.startupObjects } : {}),
    ...(o.startupUnreached !== undefined ? { startupUnreached: o.startupUnreached } : {}),
  });
  if (o.thresholds && o.thresholds.length) heap.setThreshold(o.thresholds[0], o.thresholds[1], o.thresholds[2]);
  heap.collect(2); // the recorder's gc.collect() before the run
  if (o.countStart) heap.lab.setCounts(o.countStart[0], o.countStart[1], o.countStart[2]);
  const stats0 = heap.profile.features.getStats ? heap.getStats() : null;
  const collections: CollectionRecord[] = [];
  let op = -1;
  let firstMarked: number | undefined;
  // the op stream when nothing reacts to events (a calibration run stops early: statement by statement)
  const stream = streamable(heap) && o.maxCollections === undefined ? streamRun(heap, program) : null;
  heap.onEvent((e) => {
    if (e.kind !== "gc-stop") return;
    if (firstMarked === undefined && heap.profile.incremental && e.generation === 1) firstMarked = e.examined;
    collections.push([stream ? stream.eventProgramOp() : op, e.generation, e.collected, e.uncollectable]);
  });
  try {
    if (stream) {
      stream.run(STREAM_CHUNK);
    } else {
      executeProgram(heap, program, (i) => {
        op = i;
        if (o.maxCollections !== undefined && collections.length >= o.maxCollections) throw STOP;
      });
    }
  } catch (e) {
    if (e !== STOP) throw e;
  }
  op = program.ops;
  const stats1 = heap.profile.features.getStats ? heap.getStats() : null;
  return {
    collections,
    statsDelta: stats0 && stats1 ? stats1.map((s, g) => ({
      collections: s.collections - stats0[g].collections,
      collected: s.collected - stats0[g].collected,
      uncollectable: s.uncollectable - stats0[g].uncollectable,
    })) : null,
    countEnd: heap.getCount(),
    firstMarked,
  };
}
