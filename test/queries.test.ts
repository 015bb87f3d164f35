// The gc module's views of the heap (model doc §E.4, §A.4, C16, C17):
// get_objects lists generation 0, 1, 2 in list order; get_referrers finds
// tracked, unfrozen referrers in that order; get_referents lists what
// tp_traverse visits (list and tuple items last to first, duplicates kept).
import { describe, expect, it } from "vitest";
import { Heap } from "../src/heap.js";
import { BUILDS, makeHeap } from "./helpers.js";
import { Names, SERIES, atLeast } from "./helpers/util.js";

describe.each(BUILDS)("gc queries (%s build)", (build) => {
  describe.each(SERIES)("CPython %s", (python) => {
    it("get_referents: list and tuple last to first, dict and instance in order, duplicates kept", () => {
      const { heap } = makeHeap(build, { python });
      const names = new Names(heap);
      const [a, b, c] = ["a", "b", "c"].map((n) => names.add(heap.newObject("obj"), n));
      const l = heap.newObject("list");
      const d = heap.newObject("dict");
      const o = heap.newObject("obj");
      for (const x of [a, b, c, a]) for (const holder of [l, d, o]) heap.addRef(holder, x);
      const t = heap.newTuple([a, Heap.INT_LITERAL, b, c]);
      expect(names.list(heap.getReferents(l))).toEqual(["a", "c", "b", "a"]);
      expect(names.list(heap.getReferents(d))).toEqual(["a", "b", "c", "a"]);
      expect(names.list(heap.getReferents(o))).toEqual(["a", "b", "c", "a"]);
      expect(heap.getReferents(t)).toEqual([c, b, Heap.INT_LITERAL, a]);
      expect(names.list(heap.getReferents(l, d))).toEqual(["a", "c", "b", "a", "a", "b", "c", "a"]);
      // weakrefs hold no strong reference; atoms are not GC objects
      const w = heap.newWeakref(a);
      const i = heap.newObject("int");
      expect(heap.getReferents(w, i)).toEqual([]);
    });

    it("get_referrers: tracked referrers in generation-list order, each once", () => {
      const { heap } = makeHeap(build, { python });
      const names = new Names(heap);
      const l = names.add(heap.newObject("list"), "L");
      const o = names.add(heap.newObject("obj"), "O");
      const d = names.add(heap.newObject("dict"), "D");
      const x = names.add(heap.newObject("obj"), "x");
      const y = names.add(heap.newObject("obj"), "y");
      const t = names.add(heap.newTuple([x, x]), "T");
      heap.addRef(l, x);
      heap.addRef(l, x);
      heap.addRef(o, x);
      heap.addRef(d, y); // d becomes tracked now: it joins generation 0 at the tail
      heap.addRef(d, x);
      heap.addRef(o, y);
      expect(names.list(heap.getObjects())).toEqual(["L", "O", "x", "y", "T", "D"]);
      expect(names.list(heap.getReferrers(x))).toEqual(["L", "O", "T", "D"]);
      expect(names.list(heap.getReferrers(y))).toEqual(["O", "D"]);
      expect(names.list(heap.getReferrers(y, x))).toEqual(["L", "O", "T", "D"]);
      expect(heap.getReferrers(t)).toEqual([]);
      // after a collection the order is the surviving list order (everything bound: unchanged)
      heap.collect(2);
      expect(names.list(heap.getReferrers(x))).toEqual(["L", "O", "T", "D"]);
    });

    it("get_referrers never reports an untracked referrer", () => {
      const { heap } = makeHeap(build, { python });
      const i = heap.newObject("int");
      const d = heap.newObject("dict");
      heap.addRef(d, i); // atoms only: d stays untracked
      const l = heap.newObject("list");
      heap.addRef(l, i);
      expect(heap.getReferrers(i)).toEqual([l]);
      expect(heap.isTracked(d)).toBe(false);
      heap.removeRef(l, i);
      expect(heap.getReferrers(i)).toEqual([]);
    });

    it("get_objects: generation 0, then 1, then 2 (C17)", () => {
      const { heap } = makeHeap(build, { python });
      const x = heap.newObject("list");
      heap.collect(1);
      const y = heap.newObject("list");
      heap.collect(0);
      const z = heap.newObject("list");
      heap.addRef(z, heap.newObject("int")); // o = [1]
      expect([...heap.getObjects()]).toEqual([z, y, x]);
      if (atLeast(python, "3.8")) {
        expect([0, 1, 2].map((g) => [...heap.getObjects(g)])).toEqual([[z], [y], [x]]);
        const where = () => [0, 1, 2].map((g) => heap.getObjects(g).includes(z));
        heap.collect(0);
        expect(where()).toEqual([false, true, false]);
        heap.collect(1);
        expect(where()).toEqual([false, false, true]);
        expect([...heap.getObjects(2)]).toEqual([x, y, z]);
      }
    });

    it("a rescued chain is reordered by move_unreachable: C, B, A (C16)", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const mk = (n: string) => names.add(heap.newObject("fin"), n);
      // part 1: a ring A -> C -> B -> A is finalized in creation order
      let [a, b, c] = [mk("A"), mk("B"), mk("C")];
      heap.addRef(b, a);
      heap.addRef(c, b);
      heap.addRef(a, c);
      heap.unbindMany([a, b, c]);
      heap.collect();
      if (python === "2.7") {
        expect(names.list(heap.garbage)).toEqual(["A", "B", "C"]);
      } else {
        expect(names.finalized(events)).toEqual(["A", "B", "C"]);
      }
      events.length = 0;
      // part 2: only C is bound; A and B are found through it, in reverse
      [a, b, c] = [mk("A2"), mk("B2"), mk("C2")];
      heap.addRef(b, a);
      heap.addRef(c, b);
      heap.unbindMany([a, b]);
      heap.collect(0);
      const ds = (ids: Uint32Array) => names.list(ids).filter((n) => n.endsWith("2"));
      expect(ds(heap.getObjects())).toEqual(["C2", "B2", "A2"]);
      if (atLeast(python, "3.8")) expect(ds(heap.getObjects(1))).toEqual(["C2", "B2", "A2"]);
      heap.addRef(a, c); // root.o.o.o = root
      heap.unbind(c);
      heap.collect();
      if (python === "2.7") {
        expect(names.list(heap.garbage)).toEqual(["A", "B", "C", "C2", "B2", "A2"]);
      } else {
        expect(names.finalized(events)).toEqual(["C2", "B2", "A2"]);
      }
    });

    it("empty results on a fresh heap are empty, not OutOfMemoryError", () => {
      const { heap } = makeHeap(build, { python });
      expect([...heap.getObjects()]).toEqual([]);
    });
    it("get_referents of an empty container on a fresh heap is []", () => {
      const { heap } = makeHeap(build, { python });
      const l = heap.newObject("list");
      expect(heap.getReferents(l)).toEqual([]);
    });
    it("get_referrers with no referrer on a fresh heap is []", () => {
      const { heap } = makeHeap(build, { python });
      const l = heap.newObject("list");
      expect(heap.getReferrers(l)).toEqual([]);
    });
    it("newObjects(type, 0) on a fresh heap returns no ids", () => {
      const { heap } = makeHeap(build, { python });
      expect(heap.newObjects("obj", 0).length).toBe(0);
    });
    it("empty results are fine once the exchange buffer exists", () => {
      const { heap } = makeHeap(build, { python });
      heap.newObjects("int", 1);
      const l = heap.newObject("list");
      expect(heap.getReferents(l)).toEqual([]);
      expect(heap.getReferrers(l)).toEqual([]);
      expect(heap.newObjects("obj", 0).length).toBe(0);
      heap.unbind(l);
      expect([...heap.getObjects()]).toEqual([]);
    });
  });
});
