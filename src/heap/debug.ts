// heap.debug: the engine looked at from outside the model — its invariants,
// its memory, its free lists — and the switches tests use to reach paths an
// ordinary run does not (a trap, serials near 2^32, delete_garbage's slow path).

import { InvalidArgumentError, PygcsimError } from "../errors.js";
import { TypeId } from "../wasm/status.js";
import type { HeapPart } from "./part.js";
import type { Profile } from "../profiles.js";
import type { StageLog, StageSnapshot } from "./stages.js";

export class HeapDebug {
  constructor(private readonly heap: HeapPart, private readonly stages: StageLog, private readonly profile: Profile) {}

  /**
   * Snapshots of every collection stage from now on (update_refs,
   * subtract_refs, move_unreachable, … delete_garbage; 3.14's mark and
   * increments), with at most `limit` list members each (list sizes stay
   * exact); 0 turns tracing off. Costs a walk of the lists per stage.
   */
  traceStages(limit = 5000): void {
    const op = "traceStages";
    if (!Number.isInteger(limit) || limit < 0 || limit > 0x7FFFFFFF) throw new InvalidArgumentError(`limit must be a non-negative integer, got ${String(limit)}`, op);
    this.heap.read(op, (w) => w.setStageTrace(limit));
  }

  /**
   * The members of generation g's list (3.14.0's young, old[0], old[1]) in
   * list order, on every version: gc.get_objects(generation) exists only
   * from 3.8 on, the lists always.
   */
  generationList(g: number): Uint32Array {
    const op = "generationList";
    if (g !== 0 && g !== 1 && g !== 2) throw new InvalidArgumentError(`g must be 0, 1 or 2, got ${String(g)}`, op);
    return this.heap.read(op, (w) => {
      const n = this.heap.check(op, w.getObjects(g), "");
      return new Uint32Array(w.memory.buffer, w.ioPtr(), n).slice();
    });
  }

  /** The stage snapshots taken since the last call, in the order the stages ran (the newest 4,096: STAGE_LOG_LIMIT). */
  takeStages(): StageSnapshot[] {
    return this.heap.read("takeStages", () => this.stages.take(this.profile));
  }

  /** Checks every heap invariant (validate_list's and the refcounts'); throws with the rule and object on a violation. */
  checkInvariants(): void {
    const r = this.heap.read("checkInvariants", (w) => w.invariants());
    if (r !== 0) {
      const at = this.heap.read("checkInvariants", (w) => w.invariantObject());
      throw new PygcsimError(`heap invariant ${r} violated at object ${at}`, "checkInvariants");
    }
  }

  /** Linear memory in use, in bytes: up to the engine's highest block, free gaps below it included. */
  memoryBytes(): number { return this.heap.read("memoryBytes", (w) => w.memoryBytes()); }

  /**
   * Bytes in the engine's live blocks (object table, cold columns, edge pool
   * with its growth room, lists, buffers): memoryBytes() less the gaps that
   * freed blocks left, which later blocks reuse. What the heap costs.
   */
  memoryInUse(): number { return this.heap.read("memoryInUse", (w) => w.memoryInUse()); }

  /** Entries on the free list of `type` (a tuple's: of `items` items). */
  freeListLength(type: "list" | "dict" | "tuple", items = 0): number {
    const op = "freeListLength";
    if (type !== "list" && type !== "dict" && type !== "tuple") throw new InvalidArgumentError(`no free list for ${String(type)}`, op);
    if (!Number.isInteger(items) || items < 0 || items > 0x7FFFFFFF) throw new InvalidArgumentError(`items must be a non-negative integer, got ${String(items)}`, op);
    return this.heap.read(op, (w) => w.freeListEntries(TypeId[type], items));
  }

  /**
   * delete_garbage's fast path (free the final garbage at once when no
   * outside object dies with it) is on by default; tests turn it off to
   * compare with the object-by-object path.
   */
  setQuietDelete(on: boolean): void {
    if (typeof on !== "boolean") throw new InvalidArgumentError(`on must be true or false, got ${String(on)}`, "setQuietDelete");
    this.heap.read("setQuietDelete", (w) => w.setQuietDelete(+on));
  }

  /** Sets the serial counter (tests of serials past 2^31 and their wrap at 2^32). */
  setNewestSerial(serial: number): void {
    if (!Number.isInteger(serial) || serial < 0 || serial > 0xFFFFFFFF) throw new InvalidArgumentError(`serial must be an integer from 0 to 2^32-1, got ${String(serial)}`, "setNewestSerial");
    this.heap.run("setNewestSerial", (w) => w.setNewestSerialForTesting(serial));
  }

  /** Makes the engine trap, to test that a trap poisons the heap cleanly. */
  trap(): void { this.heap.run("trap", (w) => w.trapForTesting()); }
}
