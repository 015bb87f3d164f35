// A collection stage by stage (heap.debug.traceStages / takeStages): the
// snapshots show what Python/gc.c's comments say each stage leaves behind,
// and tracing changes nothing the collection does.
import { describe, expect, it } from "vitest";
import { BUILDS, makeHeap } from "./helpers.js";
import { mulberry32 } from "./helpers/util.js";
import type { Heap } from "../src/heap.js";
import { InvalidArgumentError, type StageSnapshot } from "../src/index.js";
import { STAGE_LOG_LIMIT } from "../src/heap/stages.js";
import { GcListObject } from "../src/wasm/status.js";

/** Objects of every kind with random references, some bound, some weakly referenced, most dropped. */
function randomHeap(heap: Heap, seed: number, n: number): void {
  const rnd = mulberry32(seed);
  const types = ["obj", "fin", "list", "dict", "obj", "list"] as const;
  const made: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = types[Math.floor(rnd() * types.length)];
    made.push(heap.newObject(t, t === "fin" && rnd() < 0.2 ? { resurrect: true } : undefined));
    if (made.length > 1) {
      const from = made[Math.floor(rnd() * made.length)], to = made[Math.floor(rnd() * made.length)];
      if (heap.exists(from) && heap.exists(to)) {
        try { heap.addRef(from, to); } catch { /* a full instance: fine */ }
      }
    }
    if (rnd() < 0.05 && (t === "obj" || t === "fin") && heap.exists(made[i])) heap.newWeakref(made[i], { callback: rnd() < 0.5 });
  }
  for (const x of made) if (heap.exists(x) && heap.rootCount(x) > 0 && rnd() < 0.8) heap.unbind(x);
}

/** a.s0 = b; b.s0 = a; del a, b: a cycle only the collector can free. */
function droppedCycle(heap: Heap, a: number, b: number): [number, number] {
  heap.addRef(a, b);
  heap.addRef(b, a);
  heap.unbind(a);
  heap.unbind(b);
  return [a, b];
}

const list = (s: StageSnapshot, name: string) => s.lists.find((l) => l.name === name);
const ids = (s: StageSnapshot, name: string) => list(s, name)?.members.map((m) => m.id) ?? [];
const refs = (s: StageSnapshot, name: string) => Object.fromEntries((list(s, name)?.members ?? []).map((m) => [m.id, m.gcRefs]));

describe.each(BUILDS)("collection stages (%s build)", (build) => {
  it("3.12: a cycle and a bound object through update_refs, subtract_refs, move_unreachable … delete_garbage", () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    const a = heap.newObject("obj"), b = heap.newObject("obj");
    heap.addRef(a, b);
    heap.addRef(b, a);
    const kept = heap.newObject("list"); // bound: one reference from outside the list
    heap.addRef(kept, a);
    heap.removeRef(kept, a);
    heap.unbind(a);
    heap.unbind(b);
    heap.debug.traceStages();
    expect(heap.collect(0)).toBe(2);
    const s = heap.debug.takeStages();
    expect(s.map((x) => x.stage)).toEqual([
      "merged", "update_refs", "subtract_refs", "move_unreachable", "survivors", "move_legacy_finalizers",
      "handle_weakrefs", "finalize_garbage", "handle_resurrected_objects", "delete_garbage", "handle_legacy_finalizers",
    ]);
    expect(new Set(s.map((x) => x.collection))).toEqual(new Set([0]));
    const [merged, update, subtract, move] = s;
    expect(merged.examined).toBe("generation 0");
    expect(ids(merged, "generation 0")).toEqual([a, b, kept]);
    // update_refs: gc_refs = refcount, COLLECTING set
    expect(refs(update, "generation 0")).toEqual({ [a]: 1, [b]: 1, [kept]: 1 });
    expect(list(update, "generation 0")!.members.every((m) => m.collecting && !m.unreachable && m.gcRefs === m.refcount)).toBe(true);
    // subtract_refs: references from inside the list are gone; the root binding stays
    expect(refs(subtract, "generation 0")).toEqual({ [a]: 0, [b]: 0, [kept]: 1 });
    // move_unreachable: the cycle is in unreachable with both masks; the survivor's COLLECTING is clear
    expect(ids(move, "unreachable")).toEqual([a, b]);
    expect(list(move, "unreachable")!.members.every((m) => m.collecting && m.unreachable)).toBe(true);
    expect(ids(move, "generation 0")).toEqual([kept]);
    expect(list(move, "generation 0")!.members[0].collecting).toBe(false);
    // the survivor moved on to generation 1; nothing is left in unreachable once delete_garbage ran
    expect(ids(s[4], "generation 1")).toEqual([kept]);
    expect(list(s[9], "unreachable")).toBeUndefined();
    expect(list(s[9], "final_unreachable")).toBeUndefined();
    // (generation 2 holds the engine's gc.garbage and resurrection lists, ids 14 and 15)
    expect(s[10].lists.map((l) => l.name)).toEqual(["generation 1", "generation 2"]);
    expect(ids(s[10], "generation 2")).toEqual([GcListObject.GARBAGE_LIST, GcListObject.RESURRECTED_LIST]);
    expect(s.every((x) => !x.truncated && !x.missing && x.description.length > 0)).toBe(true);
  });

  it("2.7: no finalize_garbage or resurrection check; a legacy __del__ in a cycle goes to finalizers", () => {
    const { heap } = makeHeap(build, { python: "2.7" });
    const [f, o] = droppedCycle(heap, heap.newObject("fin"), heap.newObject("obj"));
    heap.debug.traceStages();
    expect(heap.collect()).toBe(2); // counted, but uncollectable
    const s = heap.debug.takeStages();
    expect(s.map((x) => x.stage)).toEqual([
      "merged", "update_refs", "subtract_refs", "move_unreachable", "survivors", "move_legacy_finalizers",
      "handle_weakrefs", "delete_garbage", "handle_legacy_finalizers",
    ]);
    expect(ids(s[5], "finalizers").sort()).toEqual([f, o].sort());
    // move_legacy_finalizers clears both masks of what it moves (gc_clear_collecting)
    expect(list(s[5], "finalizers")!.members.every((m) => !m.collecting && !m.unreachable)).toBe(true);
    expect(heap.garbage).toEqual([f]); // 2.7: only the object with __del__ (without DEBUG_SAVEALL)
  });

  it("3.12: a resurrecting __del__ — the second update_refs … move_unreachable run inside handle_resurrected_objects", () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    const [f] = droppedCycle(heap, heap.newObject("fin", { resurrect: true }), heap.newObject("obj"));
    heap.debug.traceStages();
    heap.collect();
    const s = heap.debug.takeStages();
    const inner = s.filter((x) => x.withinResurrectionCheck).map((x) => x.stage);
    expect(inner).toEqual(["update_refs", "subtract_refs", "move_unreachable"]);
    expect(s.find((x) => x.withinResurrectionCheck)!.examined).toBe("unreachable");
    expect(heap.resurrected).toEqual([f]);
  });

  it("3.14.0's incremental collector: the mark step, then increments with their own lists", () => {
    const { heap } = makeHeap(build, { python: "3.14.0" });
    const [a, b] = droppedCycle(heap, heap.newObject("obj"), heap.newObject("obj"));
    heap.debug.traceStages();
    heap.collect(0);
    const young = heap.debug.takeStages();
    expect(young[0]).toMatchObject({ stage: "merged", examined: "young" });
    expect(ids(young[0], "young")).toEqual([a, b]);
    for (let i = 0; i < 4; i++) heap.collect(1);
    const steps = heap.debug.takeStages().map((x) => x.stage);
    expect(steps).toContain("mark_at_start");
    expect(steps.every((x) => x !== "merged")).toBe(true);
  });

  it("tracing changes nothing: the same random heaps give the same results and events with and without it", () => {
    for (let seed = 1; seed <= 6; seed++) {
      for (const python of ["2.7", "3.8", "3.12", "3.14.0", "3.15"]) {
        const runs = [0, 3].map((limit) => {
          const { heap, events } = makeHeap(build, { python, auto: true });
          if (limit) heap.debug.traceStages(limit);
          randomHeap(heap, seed, 300);
          const r = [heap.collect(0), heap.collect(1), heap.collect(2)];
          const stages = heap.debug.takeStages();
          if (limit) {
            expect(stages.length).toBeGreaterThan(0);
            for (const st of stages) {
              expect(st.lists.reduce((n, l) => n + l.members.length, 0)).toBeLessThanOrEqual(limit);
              // cut exactly when the lists hold more members than the limit
              expect(st.truncated).toBe(st.lists.reduce((n, l) => n + l.size, 0) > limit);
            }
          } else {
            expect(stages).toEqual([]);
          }
          heap.debug.checkInvariants();
          const timeless = events.map((e) => ("wallUs" in e ? { ...e, wallUs: 0 } : e)); // wall time differs
          return { r, events: timeless, size: heap.size, count: heap.getCount(), garbage: heap.garbage, live: [...heap.liveIds()] };
        });
        expect(runs[1], `seed ${seed} ${python}`).toEqual(runs[0]);
      }
    }
  });

  it("keeps the newest snapshots when nobody takes them, numbering collections across the drop", () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    heap.debug.traceStages(1);
    const perCollection = 11;
    const n = Math.ceil(STAGE_LOG_LIMIT / perCollection) + 5;
    for (let i = 0; i < n; i++) heap.collect(0);
    const s = heap.debug.takeStages();
    expect(s.length).toBe(STAGE_LOG_LIMIT);
    expect(s[s.length - 1]).toMatchObject({ stage: "handle_legacy_finalizers", collection: n - 1 });
    expect(heap.debug.takeStages()).toEqual([]);
  });

  it("refuses a bad limit with a typed error, and tracing can be turned off", () => {
    const { heap } = makeHeap(build);
    expect(() => heap.debug.traceStages(-1)).toThrow(InvalidArgumentError);
    expect(() => heap.debug.traceStages(1.5)).toThrow(/traceStages: limit must be/);
    heap.debug.traceStages(10);
    heap.collect();
    expect(heap.debug.takeStages().length).toBeGreaterThan(0);
    heap.debug.traceStages(0);
    heap.collect();
    expect(heap.debug.takeStages()).toEqual([]);
  });
});
