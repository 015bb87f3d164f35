// Heap.describeMany: one engine call per batch gives what per-object calls give.
import { describe, expect, it } from "vitest";
import { UnknownObjectError } from "../src/errors.js";
import { Heap } from "../src/heap.js";
import { BUILDS, makeHeap } from "./helpers.js";

describe.each(BUILDS)("describeMany (%s build)", (build) => {
  it("matches typeOf, serial, isTracked, refcount, rootCount, leakCount, isFinalized and getReferents for every kind of object", () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    const o = heap.newObject("obj"), l = heap.newObject("list"), d = heap.newObject("dict"), i = heap.newObject("int");
    const t = heap.newTuple([o, Heap.INT_LITERAL, l]);
    const w = heap.newWeakref(o, { callback: true });
    heap.addRef(o, l); heap.addRef(o, o); heap.addRef(l, d); heap.addRef(l, i); heap.addRef(l, d);
    heap.incref(d); heap.bind(l);
    const f = heap.newObject("fin");
    heap.addRef(f, f);
    heap.unbind(f);
    heap.collect(); // f's __del__ runs and f is freed; a fin kept alive after its finalizer stays finalized:
    const g = heap.newObject("fin", { resurrect: true });
    heap.addRef(g, g);
    heap.unbind(g);
    heap.collect();
    const ids = [o, l, d, i, t, w, g];
    const got = heap.describeMany(ids).map((x) => ({ ...x, referents: [...x.referents] }));
    expect(got).toEqual(ids.map((id) => ({
      id, type: heap.typeOf(id), serial: heap.serial(id), tracked: heap.isTracked(id), refcount: heap.refcount(id),
      roots: heap.rootCount(id), leaks: heap.leakCount(id), finalized: heap.isFinalized(id), referents: heap.getReferents(id),
    })));
    expect(got.find((x) => x.id === g)!.finalized).toBe(true);
    expect(got.find((x) => x.id === d)!.leaks).toBe(1);
    expect(got.find((x) => x.id === l)!.roots).toBe(2);
    expect(got.find((x) => x.id === l)!.referents).toEqual([d, i, d].reverse()); // list: last to first
    expect(got.find((x) => x.id === t)!.referents).toEqual([l, Heap.INT_LITERAL, o]);
  });

  it("works in batches on a larger heap and names a dead id", () => {
    const { heap } = makeHeap(build);
    const n = build === "debug" ? 2000 : 150_000;
    const ids = heap.chain("list", n);
    const all = heap.describeMany(ids);
    expect(all).toHaveLength(n);
    expect(all.every((x, k) => x.referents.length === (k + 1 < n ? 1 : 0) && (k + 1 >= n || x.referents[0] === ids[k + 1]))).toBe(true);
    heap.unbind(ids[0]);
    expect(() => heap.describeMany([ids[5]])).toThrow(UnknownObjectError);
  });
});
