// Generations, counts, statistics and freezing (model doc §A.3, §A.4, §C.1,
// §C.4, §E.2, §E.4; C13, C16, C17, C25 and the gen_* / stats_* / freeze_*
// conformance scenarios).
import { describe, expect, it } from "vitest";
import { DEBUG_SAVEALL } from "../src/heap.js";
import { BUILDS, makeHeap } from "./helpers.js";
import { Names, SERIES, atLeast } from "./helpers/util.js";

describe.each(BUILDS)("generations (%s build)", (build) => {
  describe.each(SERIES)("CPython %s", (python) => {
    it("default thresholds (C25)", () => {
      const { heap } = makeHeap(build, { python });
      expect(heap.getThreshold()).toEqual(python === "3.13" ? [2000, 10, 10] : [700, 10, 10]);
      heap.setThreshold(5);
      expect(heap.getThreshold()).toEqual([5, 10, 10]);
      heap.setThreshold(7, 3);
      expect(heap.getThreshold()).toEqual([7, 3, 10]);
      heap.setThreshold(1, 2, 3);
      expect(heap.getThreshold()).toEqual([1, 2, 3]);
    });

    it("get_count after allocations, frees and each generation's collection (C13)", () => {
      const { heap } = makeHeap(build, { python });
      expect(heap.getCount()).toEqual([0, 0, 0]);
      const xs = heap.newObjects("obj", 200);
      expect(heap.getCount()).toEqual([200, 0, 0]);
      heap.unbindMany(xs);
      expect(heap.getCount()).toEqual([0, 0, 0]);
      heap.collect(0);
      expect(heap.getCount()).toEqual([0, 1, 0]);
      heap.collect(1);
      expect(heap.getCount()).toEqual([0, 0, 1]);
      heap.collect(2);
      expect(heap.getCount()).toEqual([0, 0, 0]);
    });

    it("every GC-capable allocation counts, tracked or not; atoms and () do not (§C.1)", () => {
      const { heap } = makeHeap(build, { python });
      const d = heap.newObject("dict"); // untracked, still an allocation
      const t = heap.newTuple([heap.newObject("int")]);
      const w = heap.newWeakref(heap.newObject("obj"));
      heap.newObject("str");
      heap.newTuple([]); // the shared () allocates nothing
      expect(heap.getCount()).toEqual([4, 0, 0]);
      heap.unbindMany([d, t, w]);
      expect(heap.getCount()).toEqual([1, 0, 0]);
      heap.collect(0);
      const o = heap.getObjects()[0];
      heap.unbind(o); // a free never takes the count below 0
      expect(heap.getCount()).toEqual([0, 1, 0]);
    });

    it("survivors move one generation up; a young collection ignores older garbage", () => {
      const { heap } = makeHeap(build, { python });
      const a = heap.newObject("obj"), b = heap.newObject("obj");
      heap.addRef(a, b);
      heap.addRef(b, a);
      expect(heap.collect(0)).toBe(0);
      if (atLeast(python, "3.8")) expect([...heap.getObjects(1)]).toEqual([a, b]);
      heap.unbindMany([a, b]);
      expect(heap.collect(0)).toBe(0);
      expect(heap.collect(1)).toBe(2);
      expect(heap.size).toBe(0);
    });

    it("a cycle across generations is found only by a collection that includes the older one", () => {
      const { heap } = makeHeap(build, { python });
      const a = heap.newObject("obj");
      heap.collect(0);
      heap.collect(1);
      const b = heap.newObject("obj");
      heap.addRef(a, b);
      heap.addRef(b, a);
      heap.unbindMany([a, b]);
      expect([heap.collect(0), heap.collect(1), heap.collect(2)]).toEqual([0, 0, 2]);
    });

    it("young garbage that refers to an old cycle frees only itself", () => {
      const { heap } = makeHeap(build, { python });
      const o1 = heap.newObject("obj"), o2 = heap.newObject("obj");
      heap.addRef(o1, o2);
      heap.addRef(o2, o1);
      expect(heap.collect(1)).toBe(0);
      const y = heap.newObject("list");
      heap.addRef(y, y);
      heap.addRef(y, o1);
      heap.unbindMany([o1, o2, y]);
      expect(heap.collect(0)).toBe(1);
      expect([heap.exists(y), heap.exists(o1), heap.exists(o2)]).toEqual([false, true, true]);
      expect(heap.collect(2)).toBe(2);
      expect(heap.size).toBe(0);
    });

    it("a full collection scans generation 2, then 0, then 1 (order_generation_lists)", () => {
      const { heap } = makeHeap(build, { python });
      const names = new Names(heap);
      const x1 = names.add(heap.newObject("obj"), "x1");
      heap.collect(0);
      const y1 = names.add(heap.newObject("obj"), "y1");
      heap.collect(1);
      const z1 = names.add(heap.newObject("obj"), "z1");
      const w1 = names.add(heap.newObject("obj"), "w1");
      heap.collect(0);
      const v1 = names.add(heap.newObject("obj"), "v1");
      heap.addRef(v1, w1);
      heap.addRef(w1, z1);
      heap.addRef(z1, y1);
      heap.addRef(y1, x1);
      heap.addRef(x1, v1);
      heap.setDebug(DEBUG_SAVEALL);
      heap.unbindMany([x1, y1, z1, w1, v1]);
      expect(heap.collect(2)).toBe(5);
      expect(names.list(heap.garbage)).toEqual(["x1", "y1", "v1", "z1", "w1"]);
    });

    it("long_lived_total and long_lived_pending (§C.3, §D step 10)", () => {
      // an empty heap still has the gc module's two lists in generation 2
      const { heap } = makeHeap(build, { python });
      expect(heap.lab.getLongLived()).toEqual({ total: 2, pending: 0 });
      heap.newObjects("obj", 10);
      heap.collect(0);
      expect(heap.lab.getLongLived()).toEqual({ total: 2, pending: 0 });
      heap.collect(1); // 10 survivors of a generation-1 collection
      expect(heap.lab.getLongLived()).toEqual({ total: 2, pending: 10 });
      const l = heap.newObject("list");
      heap.collect(1);
      expect(heap.lab.getLongLived()).toEqual({ total: 2, pending: 11 });
      const d = heap.newObject("dict");
      heap.addRef(d, l);
      heap.removeRef(d, l); // tracked, but holds nothing now
      heap.collect(2); // d is untracked before the survivors are counted
      expect(heap.isTracked(d)).toBe(false);
      expect(heap.lab.getLongLived()).toEqual({ total: 13, pending: 0 });
    });

    it.runIf(atLeast(python, "3.6"))("gc.get_stats: per generation, only the one named (stats_deltas)", () => {
      const { heap } = makeHeap(build, { python });
      const zero = { collections: 0, collected: 0, uncollectable: 0 };
      expect(heap.getStats()).toEqual([zero, zero, zero]);
      const a = heap.newObject("obj"), b = heap.newObject("obj");
      heap.addRef(a, b);
      heap.addRef(b, a);
      heap.unbindMany([a, b]);
      expect(heap.collect(0)).toBe(2);
      const ring = heap.chain("obj", 3, { ring: true });
      expect(heap.collect(1)).toBe(0);
      heap.unbind(ring[0]);
      expect(heap.collect(2)).toBe(3);
      const l = heap.newObject("list");
      heap.addRef(l, l);
      heap.unbind(l);
      expect(heap.collect(1)).toBe(1);
      expect(heap.getStats()).toEqual([
        { collections: 1, collected: 2, uncollectable: 0 },
        { collections: 2, collected: 1, uncollectable: 0 },
        { collections: 1, collected: 3, uncollectable: 0 },
      ]);
      // DEBUG_SAVEALL: saved objects count as collected
      heap.setDebug(DEBUG_SAVEALL);
      const c = heap.newObject("obj");
      heap.addRef(c, c);
      heap.unbind(c);
      heap.collect(2);
      expect(heap.getStats()[2]).toEqual({ collections: 2, collected: 4, uncollectable: 0 });
    });

    it.runIf(atLeast(python, "3.6"))("gc.callbacks get start and stop with the info dict (C17)", () => {
      const { heap } = makeHeap(build, { python });
      const infos: unknown[] = [];
      heap.callbacks.push((phase, info) => infos.push([phase, { ...info }]));
      const a = heap.newObject("obj"), b = heap.newObject("obj");
      heap.addRef(a, b);
      heap.addRef(b, a);
      heap.unbindMany([a, b]);
      expect(heap.collect(1)).toBe(2);
      expect(infos).toEqual([
        ["start", { generation: 1, collected: 0, uncollectable: 0 }],
        ["stop", { generation: 1, collected: 2, uncollectable: 0 }],
      ]);
      heap.callbacks.length = 0;
      heap.collect(0);
      expect(infos).toHaveLength(2);
    });

    it.runIf(python === "2.7")("2.7 has no gc.callbacks: they are never called", () => {
      const { heap, events } = makeHeap(build, { python });
      const calls: string[] = [];
      heap.callbacks.push((phase) => calls.push(phase));
      heap.collect(0);
      expect(calls).toEqual([]);
      expect(events).toHaveLength(2);
      expect(events).toMatchObject([
        { kind: "gc-start", generation: 0, count0: 0, automatic: false },
        { kind: "gc-stop", generation: 0, collected: 0, uncollectable: 0, automatic: false },
      ]);
    });

    it.runIf(atLeast(python, "3.7"))("gc.freeze hides every tracked object from the collector until unfreeze", () => {
      const { heap } = makeHeap(build, { python });
      const a = heap.newObject("obj"), b = heap.newObject("obj");
      heap.addRef(a, b);
      heap.addRef(b, a);
      const x = heap.newObject("list");
      heap.addRef(a, x);
      heap.unbind(x);
      expect([...heap.getObjects()]).toEqual([a, b, x]);
      expect(heap.getReferrers(x)).toEqual([a]);
      heap.freeze();
      expect(heap.getFreezeCount()).toBe(3);
      expect(heap.getCount()).toEqual([0, 0, 0]);
      expect([...heap.getObjects()]).toEqual([]);
      expect(heap.getReferrers(x)).toEqual([]); // frozen referrers are not listed
      expect([heap.isTracked(a), heap.isTracked(x)]).toEqual([true, true]);
      heap.unbindMany([a, b]);
      expect(heap.collect()).toBe(0);
      // objects made after freeze() are collected as usual, and frozen ones are roots
      const c = heap.newObject("obj"), d = heap.newObject("obj");
      heap.addRef(c, d);
      heap.addRef(d, c);
      const y = heap.newObject("list");
      heap.addRef(x, y);
      heap.unbindMany([c, d, y]);
      expect(heap.collect()).toBe(2);
      expect(heap.exists(y)).toBe(true);
      heap.unfreeze();
      expect(heap.getFreezeCount()).toBe(0);
      expect([...heap.getObjects()]).toEqual([y, a, b, x]); // all in generation 2
      expect(heap.collect(1)).toBe(0);
      expect(heap.collect(2)).toBe(4);
      expect(heap.size).toBe(0);
    });
  });
});
