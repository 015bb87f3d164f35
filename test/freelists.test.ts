// Free lists (model doc §C.1, case C14): a list, dict or small tuple freed while
// its free list has room stays there — PyObject_GC_Del is not called, count[0]
// does not fall — and the next allocation of that kind reuses it without
// counting. A full collection empties them (2.7 keeps lists and dicts).
import { describe, expect, it } from "vitest";
import { Heap } from "../src/heap.js";
import { InvalidArgumentError } from "../src/errors.js";
import { BUILDS } from "./helpers.js";

function heapFor(python: string, build: "debug" | "release", freeLists = true): Heap {
  const heap = new Heap({ python, build, startupObjects: 0, freeLists });
  heap.disable();
  heap.collect(2);
  return heap;
}

/** x = [[] for i in range(n)]: the outer list, then n lists appended to it. Returns x. */
function listOfLists(heap: Heap, n: number): number {
  const x = heap.newObject("list");
  for (let i = 0; i < n; i++) {
    const l = heap.newObject("list");
    heap.addRef(x, l);
    heap.unbind(l);
  }
  return x;
}

describe.each(BUILDS)("free lists (%s build)", (build) => {
  it.each(["3.6", "3.9", "3.11", "3.12", "3.13", "3.15"])("CPython %s: C14 — a warm list free list serves 80 of 201 allocations; a full collection empties it", (python) => {
    const heap = heapFor(python, build);
    heap.unbind(listOfLists(heap, 200)); // 200 lists freed (80 kept), then x (the list is full)
    expect(heap.debug.freeListLength("list")).toBe(80);
    heap.collect(0);
    let a = heap.getCount()[0];
    const x = listOfLists(heap, 200);
    // x and 79 lists come from the free list: 201 − 80 counted
    // (CPython prints 122–123: its comprehension adds a function or frame, and the range)
    expect(heap.getCount()[0] - a).toBe(121);
    expect(heap.debug.freeListLength("list")).toBe(0);
    heap.unbind(x);
    heap.collect(2);
    expect(heap.debug.freeListLength("list")).toBe(0);
    a = heap.getCount()[0];
    listOfLists(heap, 200);
    // emptied: all 201 counted (CPython: 202–204)
    expect(heap.getCount()[0] - a).toBe(201);
  });

  it("CPython 2.7: a full collection keeps the list free list (C14: 123, then 124)", () => {
    const heap = heapFor("2.7", build);
    heap.unbind(listOfLists(heap, 200));
    heap.collect(0);
    const x = listOfLists(heap, 200);
    heap.unbind(x);
    heap.collect(2);
    expect(heap.debug.freeListLength("list")).toBe(80);
    const a = heap.getCount()[0];
    listOfLists(heap, 200);
    expect(heap.getCount()[0] - a).toBe(121);
  });

  it("a freed object kept on a free list does not lower count[0]; one past the limit does", () => {
    const heap = heapFor("3.11", build);
    const ids = heap.newObjects("dict", 81);
    expect(heap.getCount()[0]).toBe(81);
    heap.unbindMany(ids.subarray(0, 80));
    expect(heap.getCount()[0]).toBe(81);
    expect(heap.debug.freeListLength("dict")).toBe(80);
    heap.unbindMany(ids.subarray(80));
    expect(heap.getCount()[0]).toBe(80); // the 81st is really freed
  });

  it("tuples: one free list per size 1–19, 2,000 each; larger tuples are always allocated", () => {
    const heap = heapFor("3.11", build);
    const item = heap.newObject("list");
    const one = heap.newTuple([item]);
    const two = heap.newTuple([item, item]);
    const big = heap.newTuple(Array.from({ length: 20 }, () => item));
    const c = heap.getCount()[0];
    heap.unbindMany([one, two, big]);
    expect(heap.debug.freeListLength("tuple", 1)).toBe(1);
    expect(heap.debug.freeListLength("tuple", 2)).toBe(1);
    expect(heap.debug.freeListLength("tuple", 20)).toBe(0);
    expect(heap.getCount()[0]).toBe(c - 1); // only the 20-tuple was freed
    heap.newTuple([item, item]); // reuses the 2-tuple
    expect(heap.getCount()[0]).toBe(c - 1);
    expect(heap.debug.freeListLength("tuple", 2)).toBe(0);
  });

  it("objects freed by a collection go to the free lists too; the full collection then empties them", () => {
    const heap = heapFor("3.12", build);
    const l = heap.newObject("list");
    heap.addRef(l, l);
    heap.unbind(l);
    heap.collect(1);
    expect(heap.debug.freeListLength("list")).toBe(1);
    heap.collect(2);
    expect(heap.debug.freeListLength("list")).toBe(0);
  });

  it("freeLists: false counts every allocation and every free", () => {
    const heap = heapFor("3.11", build, false);
    heap.unbind(listOfLists(heap, 200));
    expect(heap.debug.freeListLength("list")).toBe(0);
    expect(heap.getCount()[0]).toBe(0);
    expect(() => heap.debug.freeListLength("obj" as "list")).toThrow(InvalidArgumentError);
  });
});
