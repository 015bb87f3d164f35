// The simulator twin of python/schedule_recorder.py: runs a schedule program
// (execute.ts) on a Heap with explicit safe points, statement by statement or
// on the op stream (stream.ts), and records every collection as the recorder
// does (op index, generation, collected, uncollectable).

import { Heap } from "../heap.js";
import type { Program } from "./program.js";
import { ProgramRun, type ProgramTarget } from "./execute.js";
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

const STOP = new Error("calibration run: enough collections");
/** Program ops per op stream (a chunk's stream and results stay a few MB). */
const STREAM_CHUNK = 1 << 16;

/**
 * The heap as a program's target, statement by statement: handles are ids.
 * It also models what the interpreter allocates in reaction to events (the
 * op stream cannot: stream.ts): ≤3.6's bound method per append, from a free
 * list full collections empty, and ≤3.10's frame for the first call of
 * Fin.__del__ and of the weakref callback.
 */
class HeapTarget implements ProgramTarget {
  private readonly safePoints: boolean;
  private readonly boundMethods: boolean;
  // (the recorder's own `gc.callbacks.append(rec)`, the last call before the run, leaves one there)
  private methodFreeList = 1;

  constructor(private readonly heap: Heap) {
    // ≤3.11 collect inside the allocation: no safe point has anything to run
    this.safePoints = heap.profile.safePoint;
    this.boundMethods = heap.profile.boundMethodCalls;
    if (this.boundMethods) heap.onEvent((e) => { if (e.kind === "gc-stop" && e.generation === 2) this.methodFreeList = 0; });
    if (heap.profile.frameObjects) {
      const firstCalls = new Set<string>();
      heap.onEvent((e) => {
        if ((e.kind === "finalized" || e.kind === "callback") && !firstCalls.has(e.kind)) {
          firstCalls.add(e.kind);
          heap.countAllocation();
        }
      });
    }
  }

  newObject(type: "obj" | "fin" | "list" | "dict" | "int"): number { return this.heap.newObject(type); }
  newTuple(items: number[]): number { return this.heap.newTuple(items); }
  newWeakref(target: number, callback: boolean): number { return this.heap.newWeakref(target, { callback }); }
  addRef(from: number, to: number): void { this.heap.addRef(from, to); }
  removeRef(from: number, to: number): void { this.heap.removeRef(from, to); }
  bind(x: number): void { this.heap.bind(x); }
  unbind(x: number): void { this.heap.unbind(x); }
  safePoint(): void { if (this.safePoints) this.heap.safePoint(); }
  freeze(): void { this.heap.freeze(); }
  collect(generation: number): void { this.heap.collect(generation); }
  beforeAppend(): void {
    if (this.boundMethods && this.methodFreeList === 0) {
      this.heap.countAllocation();
      this.methodFreeList = 1;
    }
  }
  beginOp(): void {}
}

/**
 * Executes the program on `heap` (made with safePoints: "explicit"), op by op,
 * with the executor's safe points. `onOp(i)` runs before op i (the recorder's
 * POS[0] = i).
 */
export function executeProgram(heap: Heap, program: Program, onOp?: (op: number) => void): void {
  new ProgramRun(program, new HeapTarget(heap)).runTo(program.ops, onOp);
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
