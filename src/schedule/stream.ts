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
import type { Program } from "./program.js";
import { NONE, ProgramRun, type ProgramTarget } from "./execute.js";

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

/** An op stream as a program's target: handles name objects across chunks. */
class StreamTarget implements ProgramTarget {
  readonly s = new OpStream();
  // handle → OpRef (made in the chunk being written) or id (made before)
  private readonly ref: number[] = [NONE];
  private pending: number[] = [];
  // stream op → program op, for the chunk being run
  programOf: number[] = [];
  lastOp = -1;
  private readonly safePoints: boolean;

  constructor(private readonly heap: Heap) {
    this.safePoints = heap.profile.safePoint; // ≤3.11 collect inside the allocation
  }

  private made(r: number): number {
    this.ref.push(r);
    this.pending.push(this.ref.length - 1);
    return this.ref.length - 1;
  }
  private op(h: number): number { return h === NONE ? NONE : this.ref[h]; }

  newObject(type: "obj" | "fin" | "list" | "dict" | "int"): number { return this.made(this.s.new(type)); }
  newTuple(items: number[]): number { return this.made(this.s.tuple(items.map((h) => this.op(h)))); }
  newWeakref(target: number, callback: boolean): number { return this.made(this.s.weakref(this.op(target), { callback })); }
  addRef(from: number, to: number): void { this.s.addRef(this.op(from), this.op(to)); }
  removeRef(from: number, to: number): void { this.s.removeRef(this.op(from), this.op(to)); }
  bind(x: number): void { this.s.bind(this.op(x)); }
  unbind(x: number): void { this.s.unbind(this.op(x)); }
  safePoint(): void { if (this.safePoints) this.s.safePoint(); }
  freeze(): void { this.flush(); this.heap.freeze(); }
  collect(generation: number): void { this.s.collect(generation); }
  beforeAppend(): void {}
  beginOp(i: number): void {
    this.claim();
    this.lastOp = i;
  }

  /** The stream ops written since the last claim belong to the op being written. */
  private claim(): void {
    while (this.programOf.length < this.s.length) this.programOf.push(this.lastOp);
  }

  /** Runs what is written: one engine call; the chunk's handles become ids. */
  flush(): void {
    if (this.s.length === 0) return;
    this.claim();
    const r = this.heap.runOps(this.s);
    for (const h of this.pending) this.ref[h] = r.values[this.ref[h] - RESULT_BIT];
    this.pending = [];
    this.programOf = [];
    this.s.clear();
  }
}

export function streamRun(heap: Heap, program: Program): StreamRun {
  const target = new StreamTarget(heap);
  const run = new ProgramRun(program, target);
  return {
    eventProgramOp: () => {
      const j = heap.eventOp;
      return j >= 0 && j < target.programOf.length ? target.programOf[j] : target.lastOp;
    },
    run(chunkOps, afterChunk) {
      const per = Math.max(1, Math.floor(chunkOps));
      while (run.next < program.ops) {
        run.runTo(run.next + per);
        target.flush();
        afterChunk?.(run.next);
      }
    },
  };
}
