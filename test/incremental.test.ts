// CPython 3.14's incremental collector on its own terms: the mark phase, the
// visited/pending old spaces and their flip, increments bounded by the work
// budget that still find garbage in the old space, and automatic increments.
import { describe, expect, it } from "vitest";
import { BUILDS, makeHeap } from "./helpers.js";
import type { HeapEvent } from "../src/heap.js";

type Stop = Extract<HeapEvent, { kind: "gc-stop" }>;
const stops = (events: HeapEvent[]) => events.filter((e): e is Stop => e.kind === "gc-stop");

describe.each(BUILDS)("3.14 incremental collector (%s build)", (build) => {
  it("collect(1) after a full collection is a mark step: root-reachable objects leave the young generation", () => {
    const { heap, events } = makeHeap(build, { python: "3.14", startupObjects: 0 });
    const kept = heap.newObjects("obj", 3);
    heap.addRef(kept[0], kept[1]);
    const lost = heap.newObject("list");
    heap.addRef(lost, lost);
    heap.unbind(lost); // young garbage, not reachable from any root
    expect(heap.lab.getIncrementalState().phase).toBe("mark");
    expect(heap.collect(1)).toBe(0);
    expect(heap.lab.getIncrementalState().phase).toBe("collect");
    expect([...heap.getObjects(0)]).toEqual([lost]);
    expect([...heap.getObjects(2)].sort()).toEqual([...kept].sort());
    expect([...heap.getObjects(1)]).toEqual([]); // 3.14: "generation 1" is always empty
    expect(stops(events).at(-1)).toMatchObject({ generation: 1, collected: 0, examined: 3 });
    // a mark step is not a collection in gc.get_stats()
    expect(heap.getStats()[1].collections).toBe(0);
    expect(heap.collect(0)).toBe(1); // the young garbage
    heap.debug.checkInvariants();
  });

  it("increments find garbage in the old space after the spaces flip, within the work budget", () => {
    const { heap, events } = makeHeap(build, { python: "3.14", startupObjects: 0 });
    const live = heap.newObjects("obj", 2000);
    const pairs = heap.newObjects("obj", 1000);
    for (let i = 0; i < 1000; i += 2) { heap.addRef(pairs[i], pairs[i + 1]); heap.addRef(pairs[i + 1], pairs[i]); }
    expect(heap.collect(0)).toBe(0); // everything survives into the visited space
    heap.unbindMany(pairs);           // 500 cycles of garbage, now in the old space
    expect(heap.collect(0)).toBe(0); // a young collection never looks at old objects

    const flips: number[] = [];
    let found = 0;
    for (let step = 0; step < 150 && found < 1000; step++) {
      // allocation feeds the work budget: new objects, dropped at once
      const churn = heap.newObjects("list", 300);
      heap.unbindMany(churn);
      heap.newObjects("dict", 100); // and some that stay
      found += heap.collect(1);
      flips.push(heap.lab.getIncrementalState().visitedSpace);
    }
    expect(found).toBe(1000);
    expect(new Set(flips).size).toBe(2); // the visited space flipped
    const incs = stops(events).filter((e) => e.generation === 1);
    expect(incs.some((e) => e.collected === 0 && e.examined > 0)).toBe(true); // mark steps
    // every increment examined far less than the heap: that is the point
    const biggest = Math.max(...incs.map((e) => e.examined));
    expect(biggest).toBeLessThan(heap.size);
    expect(heap.getStats()[2].collections).toBe(0); // no full collection was needed
    heap.debug.checkInvariants();
    for (const id of live) expect(heap.exists(id)).toBe(true);
  });

  it("a full collection collects everything and restarts the cycle with a mark step", () => {
    const { heap } = makeHeap(build, { python: "3.14", startupObjects: 0 });
    const a = heap.newObject("obj"), b = heap.newObject("obj");
    heap.addRef(a, b); heap.addRef(b, a);
    heap.collect(0);
    heap.unbind(a); heap.unbind(b);
    const before = heap.lab.getIncrementalState().visitedSpace;
    expect(heap.collect(2)).toBe(2);
    const st = heap.lab.getIncrementalState();
    expect(st).toMatchObject({ phase: "mark", workToDo: 0 });
    expect(st.visitedSpace).toBe(1 - before);
    expect(heap.getCount()).toEqual([0, 0, 0]);
  });

  it("runs one increment automatically at the safe point once young.count passes 2000", () => {
    const { heap, events } = makeHeap(build, { python: "3.14", startupObjects: 0, auto: true });
    expect(heap.getThreshold()).toEqual([2000, 10, 0]);
    for (let i = 0; i < 2000; i++) heap.newObject("list");
    expect(stops(events)).toHaveLength(0);
    expect(heap.getCount()[0]).toBe(2000);
    heap.newObject("list"); // the 2001st tracked object schedules; the call's end runs it
    const s = stops(events);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ generation: 1, automatic: true });
    expect(heap.getCount()[0]).toBe(0);
  });

  it("an automatic increment at the end of a batch call leaves the call's results intact", () => {
    const { heap, events } = makeHeap(build, { python: "3.14", startupObjects: 0, auto: true });
    const ids = heap.newObjects("list", 2500); // passes threshold 0: a mark step runs at the safe point
    expect(stops(events)).toHaveLength(1);
    expect(new Set(ids).size).toBe(2500);
    for (const id of ids) expect(heap.typeOf(id)).toBe("list");
    const chain = heap.chain("dict", 2500);
    expect(stops(events)).toHaveLength(2);
    expect(heap.getReferents(chain[0])).toEqual([chain[1]]);
    expect(heap.getReferents(chain[2498])).toEqual([chain[2499]]);
  });

  it("3.14.1+ counts tracked objects: an untracked tuple does not count, untracking lowers the count", () => {
    const { heap } = makeHeap(build, { python: "3.14" });
    heap.newTuple([heap.newObject("int")]);   // items are atoms: never tracked
    expect(heap.getCount()[0]).toBe(0);
    const l = heap.newObject("list");
    expect(heap.getCount()[0]).toBe(1);
    heap.unbind(l);
    expect(heap.getCount()[0]).toBe(0);
    const { heap: h0 } = makeHeap(build, { python: "3.14.0" }); // 3.14.0 counts allocations
    h0.newTuple([h0.newObject("int")]);
    expect(h0.getCount()[0]).toBe(1);
  });

  it("3.14.5+ is generational again, with 3.14's tracking rules", () => {
    const { heap } = makeHeap(build, { python: "3.14.5" });
    expect(heap.profile.incremental).toBe(false);
    expect(heap.getThreshold()).toEqual([2000, 10, 10]);
    const d = heap.newObject("dict");
    expect(heap.isTracked(d)).toBe(true); // dicts always tracked
    const a = heap.newObject("obj"), b = heap.newObject("obj");
    heap.addRef(a, b); heap.addRef(b, a);
    heap.unbind(a); heap.unbind(b);
    expect(heap.collect(1)).toBe(2); // a real generation-1 collection
  });
});
