// Which objects the collector tracks (model doc §B): instances, lists and
// weakrefs always; tuples from birth until a collection finds only atoms or
// untracked tuples in them (C03); dicts lazily, from the first GC-capable
// value until a *full* collection (C04); ints and strs never.
import { describe, expect, it } from "vitest";
import { Heap } from "../src/heap.js";
import { BUILDS, makeHeap } from "./helpers.js";
import { SERIES } from "./helpers/util.js";

describe.each(BUILDS)("tracking (%s build)", (build) => {
  describe.each(SERIES)("CPython %s", (python) => {
    it("what is tracked at creation (C02)", () => {
      const { heap } = makeHeap(build, { python });
      const n = heap.newObject("int");
      const s = heap.newObject("str");
      const atoms = heap.newTuple([Heap.INT_LITERAL, n]);
      const l = heap.newObject("list");
      const withList = heap.newTuple([n, l]);
      const d = heap.newObject("dict");
      const dAtoms = heap.newObject("dict");
      heap.addRef(dAtoms, n);
      const dList = heap.newObject("dict");
      heap.addRef(dList, heap.newObject("list"));
      const dDict = heap.newObject("dict");
      heap.addRef(dDict, d); // an untracked dict may still be tracked later: the holder is tracked
      const o = heap.newObject("obj");
      const f = heap.newObject("fin");
      const w = heap.newWeakref(o);
      const got = [n, s, atoms, withList, l, d, dAtoms, dList, dDict, o, f, w]
        .map((x) => (heap.isTracked(x) ? 1 : 0)).join(" ");
      expect(got).toBe("0 0 1 1 1 0 0 1 1 1 1 1");
    });

    it("the empty tuple () is never tracked (C02)", () => {
      const { heap } = makeHeap(build, { python });
      expect(heap.isTracked(Heap.EMPTY_TUPLE)).toBe(false);
    });

    it("a tuple holding only () and ints is untracked by a collection; a dict holding () is untracked", () => {
      const { heap } = makeHeap(build, { python });
      const t = heap.newTuple([Heap.INT_LITERAL, Heap.EMPTY_TUPLE]);
      const d = heap.newObject("dict");
      heap.addRef(d, Heap.EMPTY_TUPLE); // d[0] = (): () is an untracked tuple, so d stays untracked
      expect(heap.isTracked(d)).toBe(false);
      heap.collect(0);
      expect(heap.isTracked(t)).toBe(false);
    });

    it("a tuple is untracked by the collection that finds only atoms in it; nesting needs more (C03)", () => {
      const { heap } = makeHeap(build, { python });
      const t = heap.newTuple([Heap.INT_LITERAL, Heap.INT_LITERAL]);
      const inner = heap.newTuple([Heap.INT_LITERAL]); // tuple([n]): a temporary
      const t2 = heap.newTuple([t, inner]);
      heap.unbind(inner);
      const tracked = () => [heap.isTracked(t), heap.isTracked(t2)];
      expect(tracked()).toEqual([true, true]);
      heap.collect(0);
      // move_unreachable rescues `inner` after t2 and moves it behind t2, so t2
      // still holds a tracked tuple when its turn comes
      expect(tracked()).toEqual([false, true]);
      expect(heap.isTracked(inner)).toBe(false);
      heap.collect(0); // t2 is in generation 1 now: not examined
      expect(tracked()).toEqual([false, true]);
      heap.collect(1);
      expect(tracked()).toEqual([false, false]);
    });

    it("a tuple holding a dict stays tracked, even when the dict is untracked", () => {
      const { heap } = makeHeap(build, { python });
      const d = heap.newObject("dict");
      const t = heap.newTuple([d, Heap.INT_LITERAL]);
      heap.unbind(d);
      expect([heap.isTracked(d), heap.isTracked(t)]).toEqual([false, true]);
      heap.collect(2);
      heap.collect(2);
      expect([heap.isTracked(d), heap.isTracked(t)]).toEqual([false, true]);
    });

    it("a dict is tracked from its first GC value; only a full collection untracks it (C04)", () => {
      const { heap } = makeHeap(build, { python });
      const d = heap.newObject("dict");
      const i = heap.newObject("int");
      expect(heap.isTracked(d)).toBe(false);
      heap.addRef(d, i);
      expect(heap.isTracked(d)).toBe(false);
      const l = heap.newObject("list");
      heap.addRef(d, l); // d['x'] = []
      expect(heap.isTracked(d)).toBe(true);
      heap.removeRef(d, l); // d['x'] = 1: deletion never untracks
      expect(heap.isTracked(d)).toBe(true);
      heap.collect(0);
      expect(heap.isTracked(d)).toBe(true);
      heap.collect(1);
      expect(heap.isTracked(d)).toBe(true);
      heap.collect(2);
      expect(heap.isTracked(d)).toBe(false);
      // and a full collection keeps a dict that still holds a container
      const d2 = heap.newObject("dict");
      heap.addRef(d2, heap.newObject("dict"));
      heap.collect(2);
      expect(heap.isTracked(d2)).toBe(true);
    });

    it("a dict enters generation 0 at its tail when it becomes tracked", () => {
      const { heap } = makeHeap(build, { python });
      const d = heap.newObject("dict");
      const a = heap.newObject("list");
      const b = heap.newObject("obj");
      expect([...heap.getObjects()]).toEqual([a, b]);
      heap.addRef(d, a);
      expect([...heap.getObjects()]).toEqual([a, b, d]);
      heap.collect(2); // d holds a list: stays tracked, everything is now in generation 2
      const c = heap.newObject("list");
      const d3 = heap.newObject("dict");
      heap.addRef(d3, c);
      expect([...heap.getObjects()]).toEqual([c, d3, a, b, d]);
    });

    it("objects untrack themselves when freed and are never found by the collector", () => {
      const { heap } = makeHeap(build, { python });
      const l = heap.newObject("list");
      const o = heap.newObject("obj");
      heap.addRef(l, o);
      heap.unbind(o);
      expect([...heap.getObjects()]).toEqual([l, o]);
      heap.unbind(l);
      expect(heap.size).toBe(0);
      expect(heap.collect()).toBe(0);
    });
  });
});
