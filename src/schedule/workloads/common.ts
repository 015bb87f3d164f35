// Shared pieces of the schedule workload generators: a seeded PRNG and a
// builder that keeps program.ts's slot invariants (SET_SLOT only into the
// lowest empty slot of the object; CLEAR_SLOT only the highest slot holding
// that object), by tracking in JS which object each register holds and what
// each reachable-by-register object's slots hold.

import { ProgramBuilder, type Program } from "../program.js";
import { mulberry32 } from "../../workloads/random-graph.js";

/** A seeded source of small random choices. */
export class Rng {
  private next: () => number;
  constructor(seed: number) { this.next = mulberry32(seed); }
  /** An integer in [0, n). */
  int(n: number): number { return this.next() % n; }
  /** True with probability p. */
  chance(p: number): boolean { return this.next() / 4294967296 < p; }
}

export const SLOT_COUNT = 16;

/** Parameters every workload may carry besides its own (see index.ts). */
export interface CommonParams {
  /** gc.set_threshold(...) before the run; null: the interpreter's own. */
  thresholds?: number[] | null;
  /** The oldest Python the workload runs on ("3.7"); null: all. */
  min_python?: string | null;
}

/**
 * ProgramBuilder plus the JS-side model needed to keep the slot invariants.
 * Every value a register can hold gets an id: 0 None, > 0 a new object,
 * < 0 an int. Slot state is kept only for objects some register holds (an
 * object no register holds can never be the subject of an op again).
 */
export class SlotBuilder {
  readonly b: ProgramBuilder;
  private readonly reg: Int32Array;
  private readonly holders = new Map<number, number>();
  private readonly slots = new Map<number, Int32Array>();
  private nextId = 1;
  private nextInt = -1;

  constructor(readonly nregs: number) {
    this.b = new ProgramBuilder(nregs);
    this.reg = new Int32Array(nregs);
  }

  private set(a: number, id: number): void {
    const old = this.reg[a];
    if (old > 0) {
      const h = this.holders.get(old)! - 1;
      if (h === 0) { this.holders.delete(old); this.slots.delete(old); } else this.holders.set(old, h);
    }
    this.reg[a] = id;
    if (id > 0) this.holders.set(id, (this.holders.get(id) ?? 0) + 1);
  }
  private fresh(a: number, slotted: boolean): void {
    const id = this.nextId++;
    this.set(a, id);
    if (slotted) this.slots.set(id, new Int32Array(SLOT_COUNT));
  }
  /** The object id register a holds (0: None). */
  id(a: number): number { return this.reg[a]; }

  newObj(a: number) { this.b.newObj(a); this.fresh(a, true); }
  newFin(a: number) { this.b.newFin(a); this.fresh(a, true); }
  newList(a: number) { this.b.newList(a); this.fresh(a, false); }
  newDict(a: number) { this.b.newDict(a); this.fresh(a, false); }
  newTuple(a: number, items: number[]) { this.b.newTuple(a, items); this.fresh(a, false); }
  newInt(a: number, v: number) { this.b.newInt(a, v); this.set(a, this.nextInt--); }
  append(a: number, b: number) { this.b.append(a, b); }
  delLast(a: number) { this.b.delLast(a); }
  dictSet(a: number, k: number, b: number) { this.b.dictSet(a, k, b); }
  dictDel(a: number, k: number) { this.b.dictDel(a, k); }
  move(a: number, b: number) { this.b.move(a, b); this.set(a, this.reg[b]); }
  drop(a: number) { this.b.drop(a); this.set(a, 0); }
  weakref(a: number, b: number, callback: boolean) { this.b.weakref(a, b, callback); this.fresh(a, false); }
  freeze() { this.b.freeze(); }
  collect(g: number) { this.b.collect(g); }

  /** Free slots left in the object register a holds. */
  freeSlots(a: number): number {
    const s = this.slotsOf(a);
    let n = 0;
    for (let k = 0; k < SLOT_COUNT; k++) if (s[k] === 0) n++;
    return n;
  }
  private slotsOf(a: number): Int32Array {
    const s = this.slots.get(this.reg[a]);
    if (!s) throw new Error(`register ${a} does not hold a Node/Fin`);
    return s;
  }
  /** R[a].s<k> = R[b] into the lowest empty slot k; returns k. */
  link(a: number, b: number): number {
    const s = this.slotsOf(a);
    const target = this.reg[b];
    if (target === 0) throw new Error("link to None");
    for (let k = 0; k < SLOT_COUNT; k++) {
      if (s[k] === 0) { this.b.setSlot(a, k, b); s[k] = target; return k; }
    }
    throw new Error(`register ${a}: all ${SLOT_COUNT} slots are full`);
  }
  /** R[a].s<k> = None for the highest slot k holding R[b]'s object; returns k. */
  unlink(a: number, b: number): number {
    const s = this.slotsOf(a);
    const target = this.reg[b];
    for (let k = SLOT_COUNT - 1; k >= 0; k--) {
      if (s[k] === target && target !== 0) { this.b.clearSlot(a, k); s[k] = 0; return k; }
    }
    throw new Error(`register ${a} holds no reference to register ${b}'s object`);
  }

  build(): Program { return this.b.build(); }
}
