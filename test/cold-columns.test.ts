// The object record keeps what every object has in 32 bytes; what few
// objects have lives in cold columns made on first use (assembly/heap.ts).
// These check the paths a heap without them never takes: roots past the 11
// bits of the flags word, sizes set and derived, weakrefs making their
// columns, and the live total staying the sum of the sizes throughout.
import { describe, expect, it } from "vitest";
import { BUILDS, makeHeap } from "./helpers.js";
import type { Heap } from "../src/heap.js";

const liveSum = (heap: Heap) => [...heap.liveIds()].reduce((a, x) => a + heap.sizeOf(x), 0);

describe.each(BUILDS)("cold columns (%s build)", (build) => {
  it("roots past 2,046 bindings move to the overflow column and back", () => {
    const { heap } = makeHeap(build);
    const x = heap.newObject("obj");
    for (let i = 0; i < 3000; i++) heap.bind(x);
    expect(heap.rootCount(x)).toBe(3001);
    expect(heap.refcount(x)).toBe(3001);
    for (let i = 0; i < 3000; i++) heap.unbind(x);
    expect(heap.rootCount(x)).toBe(1);
    heap.unbind(x);
    expect(heap.exists(x)).toBe(false);
    heap.debug.checkInvariants();
  });

  it("sizes: the type's, plus 8 per item of a list, dict or tuple, unless set; the live total is their sum", () => {
    const { heap } = makeHeap(build);
    const o = heap.newObject("obj"), l = heap.newObject("list"), d = heap.newObject("dict");
    const t = heap.newTuple([o, o, l]);
    for (let i = 0; i < 5; i++) heap.addRef(l, o);
    heap.addRef(d, l);
    expect([heap.sizeOf(o), heap.sizeOf(l), heap.sizeOf(d), heap.sizeOf(t)]).toEqual([160, 56 + 40, 64 + 8, 40 + 24]);
    heap.removeRef(l, o);
    expect(heap.sizeOf(l)).toBe(56 + 32);
    expect(heap.lab.getBytes().live).toBe(liveSum(heap));
    heap.setSizeOf(l, 1000);
    heap.addRef(l, o); // a set size still grows by the item
    expect(heap.sizeOf(l)).toBe(1008);
    expect(heap.lab.getBytes().live).toBe(liveSum(heap));
    heap.unbindMany([t, d, l]);
    expect(heap.lab.getBytes().live).toBe(liveSum(heap));
    heap.collect();
    heap.debug.checkInvariants();
  });

  it("a list cleared by the collector (tp_clear) and freed leaves the live total right", () => {
    const { heap } = makeHeap(build);
    const a = heap.newObject("list"), b = heap.newObject("list");
    for (let i = 0; i < 10; i++) heap.addRef(a, b);
    heap.addRef(b, a);
    heap.unbindMany([a, b]);
    expect(heap.collect()).toBe(2);
    expect(heap.lab.getBytes().live).toBe(liveSum(heap));
  });

  it("a heap without weakrefs has no weakref columns; the first weakref makes them", () => {
    const { heap } = makeHeap(build);
    const xs = heap.newObjects("obj", 100_000);
    const before = heap.debug.memoryInUse();
    const w = heap.newWeakref(xs[0]);
    expect(heap.debug.memoryInUse() - before).toBeGreaterThanOrEqual(2 * 4 * 100_000); // WEAK and WRNEXT, 4 bytes an id each
    expect(heap.deref(w)).toBe(xs[0]);
    heap.unbind(xs[0]);
    expect(heap.deref(w)).toBe(null);
    heap.debug.checkInvariants();
  });
});
