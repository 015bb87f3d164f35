// The cycle collector: what reference counting cannot free, collect() finds.
// Counts are those of the recorded CPython runs (model doc C01, conformance
// seed_devguide_links, cycle_every_container_type, ...): the simulator's obj
// and fin are __slots__ classes, so an instance is one GC object in every version.
import { describe, expect, it } from "vitest";
import { Heap } from "../src/heap.js";
import { BUILDS, makeHeap } from "./helpers.js";
import { Names, SERIES } from "./helpers/util.js";

describe.each(BUILDS)("cycle collection (%s build)", (build) => {
  describe.each(SERIES)("CPython %s", (python) => {
    it("the devguide example: link_1 -> link_2 -> link_3 -> link_1, kept by list A", () => {
      const { heap } = makeHeap(build, { python });
      const [l1, l2, l3] = [0, 1, 2].map(() => heap.newObject("obj"));
      heap.addRef(l1, l2);
      heap.addRef(l2, l3);
      heap.addRef(l3, l1);
      const a = heap.newObject("list");
      heap.addRef(a, l1);
      heap.unbindMany([l1, l2, l3]);
      expect([heap.refcount(l1), heap.refcount(l2), heap.refcount(l3)]).toEqual([2, 1, 1]);
      expect(heap.collect()).toBe(0);
      expect(heap.lastCollection()).toEqual({ collected: 0, uncollectable: 0 });
      expect([l1, l2, l3, a].every((x) => heap.exists(x))).toBe(true);
      heap.unbind(a); // A itself is freed by reference counting
      expect(heap.exists(a)).toBe(false);
      expect(heap.size).toBe(3);
      expect(heap.collect()).toBe(3);
      expect(heap.lastCollection()).toEqual({ collected: 3, uncollectable: 0 });
      expect(heap.size).toBe(0);
      expect(heap.collect()).toBe(0);
    });

    it.each(["list", "dict", "obj", "fin"] as const)("a self-referencing %s is one collected object", (type) => {
      const { heap, events } = makeHeap(build, { python });
      const x = heap.newObject(type);
      heap.addRef(x, x);
      heap.unbind(x);
      expect(heap.exists(x)).toBe(true);
      expect(heap.refcount(x)).toBe(1);
      const found = heap.collect();
      if (type === "fin" && python === "2.7") {
        // a legacy __del__ in a cycle: uncollectable, kept in gc.garbage
        expect(found).toBe(1);
        expect(heap.lastCollection()).toEqual({ collected: 0, uncollectable: 1 });
        expect(heap.garbage).toEqual([x]);
        expect(heap.exists(x)).toBe(true);
        expect(events.filter((e) => e.kind === "finalized")).toEqual([]);
        return;
      }
      expect(found).toBe(1);
      expect(heap.exists(x)).toBe(false);
      expect(heap.garbage).toEqual([]);
      expect(events.filter((e) => e.kind === "finalized")).toHaveLength(type === "fin" ? 1 : 0);
    });

    it("a two-instance cycle is two objects; two cycles joined by one edge are found together", () => {
      const { heap } = makeHeap(build, { python });
      const a = heap.newObject("obj"), b = heap.newObject("obj");
      heap.addRef(a, b);
      heap.addRef(b, a);
      heap.unbindMany([a, b]);
      expect(heap.collect()).toBe(2);
      const [c, d, e, f] = [0, 1, 2, 3].map(() => heap.newObject("list"));
      heap.addRef(c, d);
      heap.addRef(d, c);
      heap.addRef(e, f);
      heap.addRef(f, e);
      heap.addRef(d, e);
      heap.unbindMany([c, d, e, f]);
      expect(heap.collect()).toBe(4);
      expect(heap.size).toBe(0);
    });

    it("one cycle through every container type: list -> dict -> obj -> tuple -> list", () => {
      const { heap } = makeHeap(build, { python });
      const l = heap.newObject("list");
      const t = heap.newTuple([l]);
      const d = heap.newObject("dict");
      const o = heap.newObject("obj");
      heap.addRef(l, d);
      heap.addRef(d, o);
      heap.addRef(o, t);
      heap.unbindMany([l, t, d, o]);
      expect(heap.size).toBe(4);
      expect(heap.collect()).toBe(4);
      expect(heap.size).toBe(0);
    });

    it("a tuple has no tp_clear, yet a cycle through it is freed when its list is cleared", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const l = heap.newObject("list");
      const f = names.add(heap.newObject("fin"), "f");
      const t = heap.newTuple([l, f, Heap.INT_LITERAL]);
      heap.addRef(l, t);
      heap.unbindMany([l, f, t]);
      expect(heap.refcount(t)).toBe(1);
      // 2.7: f is a legacy finalizer, so it is set apart (and then dies by refcount): not counted
      expect(heap.collect()).toBe(python === "2.7" ? 2 : 3);
      expect(heap.size).toBe(0);
      // f hangs off the cycle: finalized (3.4+: by the collector; 2.7: by refcount when the tuple dies)
      expect(names.finalized(events)).toEqual(["f"]);
    });

    it("atoms inside garbage are freed with it and never counted", () => {
      const { heap } = makeHeap(build, { python });
      const l = heap.newObject("list");
      heap.addRef(l, l);
      const i = heap.newObject("int"), s = heap.newObject("str");
      const d = heap.newObject("dict"); // holds only atoms: untracked
      heap.addRef(d, i);
      heap.addRef(l, d);
      heap.addRef(l, s);
      heap.unbindMany([l, i, s, d]);
      expect(heap.isTracked(d)).toBe(false);
      expect(heap.size).toBe(4);
      expect(heap.collect()).toBe(1);
      expect(heap.size).toBe(0);
    });

    it("garbage hanging off a cycle is counted; live objects the cycle points to survive", () => {
      const { heap } = makeHeap(build, { python });
      const a = heap.newObject("obj"), b = heap.newObject("obj");
      heap.addRef(a, b);
      heap.addRef(b, a);
      const tail = heap.chain("list", 3);
      heap.addRef(b, tail[0]);
      const live = heap.newObject("list");
      heap.addRef(a, live);
      heap.unbindMany([a, b, tail[0]]);
      expect(heap.refcount(live)).toBe(2);
      expect(heap.collect()).toBe(5);
      expect(heap.size).toBe(1);
      expect(heap.refcount(live)).toBe(1);
      expect(heap.getObjects()).toEqual(new Uint32Array([live]));
    });

    it("a cycle reachable from a bound object survives every collection", () => {
      const { heap } = makeHeap(build, { python });
      const ring = heap.chain("obj", 50, { ring: true });
      const keep = heap.newObject("dict");
      heap.addRef(keep, ring[17]);
      heap.unbind(ring[0]);
      for (const g of [0, 1, 2, 2]) expect(heap.collect(g)).toBe(0);
      expect(heap.size).toBe(51);
      heap.unbind(keep); // the dict dies by refcount; the ring is now garbage
      expect(heap.size).toBe(50);
      expect(heap.collect()).toBe(50);
      expect(heap.size).toBe(0);
    });

    it("a 100,000-object ring is collected in one go", () => {
      const { heap } = makeHeap(build, { python });
      const ring = heap.chain("list", 100_000, { ring: true });
      heap.unbind(ring[0]);
      expect(heap.size).toBe(100_000);
      expect(heap.collect(2)).toBe(100_000);
      expect(heap.size).toBe(0);
      expect(heap.getCount()).toEqual([0, 0, 0]);
    });

    it("DEBUG_SAVEALL keeps a cycle alive and uncleared in gc.garbage", () => {
      const { heap } = makeHeap(build, { python });
      const a = heap.newObject("obj"), b = heap.newObject("obj");
      heap.addRef(a, b);
      heap.addRef(b, a);
      heap.setDebug(32); // DEBUG_SAVEALL keeps them, uncleared
      heap.unbindMany([a, b]);
      expect(heap.collect()).toBe(2);
      expect([heap.wasCleared(a), heap.wasCleared(b)]).toEqual([false, false]);
      expect(heap.garbage).toEqual([a, b]);
      heap.setDebug(0);
      heap.clearGarbage();
      expect(heap.collect()).toBe(2);
      expect(heap.size).toBe(0);
    });
  });
});
