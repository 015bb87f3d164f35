// Weak references (model doc §F.3 step 4, §F.4, §D step 14; C10, C11):
//  - refcount release: __del__ first, then callbacks newest first (2.7: callbacks before __del__);
//  - collection: every callback of a reachable weakref runs before any __del__;
//  - a weakref that is itself garbage never calls back;
//  - w() is None once the referent is gone (or the collector cleared it).
import { describe, expect, it } from "vitest";
import { BUILDS, makeHeap } from "./helpers.js";
import { Names, SERIES } from "./helpers/util.js";

describe.each(BUILDS)("weakrefs (%s build)", (build) => {
  describe.each(SERIES)("CPython %s", (python) => {
    const legacy = python === "2.7";

    it("refcount release: callbacks run newest first, after __del__ (C10)", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const o = names.add(heap.newObject("fin"), "o");
      const w1 = names.add(heap.newWeakref(o, { callback: true }), "w1");
      const w2 = names.add(heap.newWeakref(o, { callback: true }), "w2");
      expect([heap.deref(w1), heap.deref(w2)]).toEqual([o, o]);
      expect(heap.refcount(o)).toBe(1); // weak references do not count
      heap.unbind(o);
      expect(names.log(events)).toEqual(legacy ? ["cb w2", "cb w1", "fin o"] : ["fin o", "cb w2", "cb w1"]);
      expect([heap.deref(w1), heap.deref(w2)]).toEqual([null, null]);
      expect([heap.exists(w1), heap.exists(w2)]).toEqual([true, true]);
    });

    it("the callback-less weakref is cleared silently; callbacks keep their newest-first order", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const o = names.add(heap.newObject("obj"), "o");
      const w1 = names.add(heap.newWeakref(o, { callback: true }), "w1");
      const basic = names.add(heap.newWeakref(o), "basic");
      const w2 = names.add(heap.newWeakref(o, { callback: true }), "w2");
      const w3 = names.add(heap.newWeakref(o, { callback: true }), "w3");
      expect(heap.deref(basic)).toBe(o);
      heap.unbind(o);
      expect(names.log(events)).toEqual(["cb w3", "cb w2", "cb w1"]);
      expect([basic, w1, w2, w3].map((w) => heap.deref(w))).toEqual([null, null, null, null]);
    });

    it("a weakref freed before its referent never calls back", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const o = names.add(heap.newObject("obj"), "o");
      const w = names.add(heap.newWeakref(o, { callback: true }), "w");
      const keep = names.add(heap.newWeakref(o, { callback: true }), "keep");
      heap.unbind(w);
      expect(heap.exists(w)).toBe(false);
      heap.unbind(o);
      expect(names.log(events)).toEqual(["cb keep"]);
    });

    it("a weakref kept in a container outlives its referent; w() is then None", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const l = heap.newObject("list");
      const a = names.add(heap.newObject("fin"), "a");
      const w = names.add(heap.newWeakref(a, { callback: true }), "w");
      heap.addRef(l, w);
      heap.unbind(w);
      expect(heap.isTracked(w)).toBe(true);
      heap.unbind(a);
      expect(names.log(events)).toEqual(legacy ? ["cb w", "fin a"] : ["fin a", "cb w"]);
      expect(heap.deref(w)).toBe(null);
      heap.removeRef(l, w);
      expect(heap.exists(w)).toBe(false);
      expect(heap.collect()).toBe(0);
    });

    it("a resurrected object keeps its weakrefs (3.4+); 2.7 clears them before __del__", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const a = names.add(heap.newObject("fin", { resurrect: true }), "a");
      const w = names.add(heap.newWeakref(a, { callback: true }), "w");
      heap.unbind(a);
      expect(heap.exists(a)).toBe(true);
      expect(heap.revive(a, "resurrected")).toBe(true);
      if (legacy) {
        expect(names.log(events)).toEqual(["cb w", "fin a"]);
        expect(heap.deref(w)).toBe(null);
        heap.unbind(a);
        expect(names.log(events)).toEqual(["cb w", "fin a", "fin a"]);
        expect(heap.resurrected).toEqual([a]);
      } else {
        expect(names.log(events)).toEqual(["fin a"]);
        expect(heap.deref(w)).toBe(a);
        heap.unbind(a); // second release: no __del__, the weakref finally fires
        expect(names.log(events)).toEqual(["fin a", "cb w"]);
        expect(heap.deref(w)).toBe(null);
        expect(heap.exists(a)).toBe(false);
      }
    });

    it("collection: callbacks of reachable weakrefs run before any __del__ (C11)", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const a = names.add(heap.newObject("fin"), "a");
      const b = names.add(heap.newObject("fin"), "b");
      heap.addRef(a, b);
      heap.addRef(b, a);
      const wb = names.add(heap.newWeakref(b, { callback: true }), "wb");
      const wa = names.add(heap.newWeakref(a, { callback: true }), "wa");
      const plain = names.add(heap.newWeakref(a), "plain");
      heap.unbindMany([a, b]);
      expect(heap.collect()).toBe(2);
      if (legacy) {
        // uncollectable: nothing runs, the weakrefs stay alive
        expect(events.filter((e) => e.kind !== "gc-start" && e.kind !== "gc-stop")).toEqual([]);
        expect([heap.deref(wa), heap.deref(wb), heap.deref(plain)]).toEqual([a, b, a]);
        expect(names.list(heap.garbage)).toEqual(["a", "b"]);
        return;
      }
      // unreachable-list order (a, b), each referent's weakrefs in list order
      expect(names.log(events)).toEqual(["cb wa", "cb wb", "fin a", "fin b"]);
      expect([heap.deref(wa), heap.deref(wb), heap.deref(plain)]).toEqual([null, null, null]);
      expect(heap.size).toBe(3);
    });

    it("a weakref that is part of the garbage never calls back (C11)", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const a = names.add(heap.newObject("obj"), "a");
      const b = names.add(heap.newObject("obj"), "b");
      heap.addRef(a, b);
      heap.addRef(b, a);
      const w = names.add(heap.newWeakref(a, { callback: true }), "w");
      heap.addRef(b, w);
      heap.unbindMany([w, a, b]);
      expect(heap.collect()).toBe(3);
      expect(names.log(events)).toEqual([]);
      expect(heap.size).toBe(0);
    });

    it("a garbage weakref to a live object is cleared without calling back", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const live = names.add(heap.newObject("obj"), "live");
      const c = heap.newObject("list");
      heap.addRef(c, c);
      const w = names.add(heap.newWeakref(live, { callback: true }), "w");
      heap.addRef(c, w);
      heap.unbindMany([c, w]);
      expect(heap.collect()).toBe(2);
      expect(heap.exists(w)).toBe(false);
      heap.unbind(live);
      expect(names.log(events)).toEqual([]);
      expect(heap.size).toBe(0);
    });

    it("a bound weakref calls back even though a __del__ resurrects its referent in the collection", () => {
      const { heap, events } = makeHeap(build, { python });
      const names = new Names(heap);
      const a = names.add(heap.newObject("fin", { resurrect: true }), "a");
      const b = names.add(heap.newObject("obj"), "b");
      heap.addRef(a, b);
      heap.addRef(b, a);
      const w = names.add(heap.newWeakref(a, { callback: true }), "w");
      heap.unbindMany([a, b]);
      const found = heap.collect();
      if (legacy) {
        expect(found).toBe(2);
        expect(heap.deref(w)).toBe(a);
        expect(names.log(events)).toEqual([]);
        return;
      }
      expect(found).toBe(python === "3.6" ? 2 : 0);
      // the collector clears weakrefs before finalizers: the survivor's weakref is dead anyway
      expect(names.log(events)).toEqual(["cb w", "fin a"]);
      expect(heap.deref(w)).toBe(null);
      expect([heap.exists(a), heap.exists(b)]).toEqual([true, true]);
      heap.dropResurrected();
      expect(heap.collect()).toBe(2);
      expect(names.log(events)).toEqual(["cb w", "fin a"]);
      expect(heap.size).toBe(1);
    });

    it("deref is None after the referent is collected", () => {
      const { heap } = makeHeap(build, { python });
      const o = heap.newObject("obj");
      heap.addRef(o, o);
      const w = heap.newWeakref(o);
      heap.unbind(o);
      expect(heap.deref(w)).toBe(o);
      expect(heap.collect()).toBe(1);
      expect(heap.deref(w)).toBe(null);
      // the referent's id may now be reused: the dead weakref still says None
      const reused = heap.newObjects("obj", 4);
      expect(heap.deref(w)).toBe(null);
      expect(heap.refcount(reused[0])).toBe(1);
    });

    it("a new callback-less weakref is allowed once the previous one is gone", () => {
      const { heap } = makeHeap(build, { python });
      const o = heap.newObject("obj");
      const w1 = heap.newWeakref(o);
      heap.unbind(w1);
      const w2 = heap.newWeakref(o);
      expect(heap.deref(w2)).toBe(o);
      expect(heap.refcount(o)).toBe(1);
    });
  });
});
