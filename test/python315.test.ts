// What the 3.15 profile adds beyond the conformance scenarios (which it passes
// with results recorded on 3.15.0rc1): gc.get_stats() and the gc.callbacks
// info report `candidates` (objects update_refs examined) and `duration`,
// with exactly these keys on 3.15.0rc1:
//   gc.callbacks info: ['candidates', 'collected', 'duration', 'generation', 'uncollectable']
//   gc.get_stats()[g]: {'collections', 'collected', 'uncollectable', 'candidates', 'duration'}
// (Pyodide 315.0.0-alpha.2; 3.14.2 and 3.13 report only the three classic keys.)
import { describe, expect, it } from "vitest";
import { Heap, type CollectionInfo } from "../src/heap.js";
import { BUILDS } from "./helpers.js";

describe.each(BUILDS)("CPython 3.15 (%s build)", (build) => {
  it("callbacks and get_stats carry candidates and duration; older versions do not", () => {
    const heap = new Heap({ python: "3.15", build, startupObjects: 100 });
    heap.disable();
    const infos: CollectionInfo[] = [];
    heap.callbacks.push((phase, info) => { if (phase === "stop") infos.push(info); });
    const ids = heap.newObjects("list", 3);
    heap.collect(0);
    heap.collect(2);
    expect(Object.keys(infos[0]).sort()).toEqual(["candidates", "collected", "duration", "generation", "uncollectable"]);
    // young: the 3 lists; full: the 3 lists, gc's two lists and the 100 start-up objects
    expect(infos.map((i) => i.candidates)).toEqual([3, 105]);
    const stats = heap.getStats();
    expect(Object.keys(stats[0]).sort()).toEqual(["candidates", "collected", "collections", "duration", "uncollectable"]);
    expect(stats.map((s) => s.candidates)).toEqual([3, 0, 105]);
    expect(stats[2].duration).toBeGreaterThanOrEqual(0);
    heap.unbindMany(ids);

    const old = new Heap({ python: "3.13", build });
    const seen: CollectionInfo[] = [];
    old.callbacks.push((_p, info) => seen.push(info));
    old.collect(0);
    expect(Object.keys(seen[0]).sort()).toEqual(["collected", "generation", "uncollectable"]);
    expect(Object.keys(old.getStats()[0]).sort()).toEqual(["collected", "collections", "uncollectable"]);
  });

  it("counts allocations as 3.13 does (not tracked objects as 3.14.1–3.14.4), with 3.14's tracking rules", () => {
    // measured on 3.15.0rc1: 1000 `(i,)` tuples raise count[0] by ~1000 and are untracked from birth
    const heap = new Heap({ python: "3.15", build, startupObjects: 0 });
    heap.disable();
    const before = heap.getCount()[0];
    const keep = heap.newObject("list");
    for (let i = 0; i < 1000; i++) {
      const t = heap.newTuple([Heap.INT_LITERAL]);
      heap.addRef(keep, t);
      expect(heap.isTracked(t)).toBe(false);
      heap.unbind(t);
    }
    expect(heap.getCount()[0] - before).toBe(1001);
    const d = heap.newObject("dict");
    expect(heap.isTracked(d)).toBe(true); // dicts always tracked since 3.14
    const y = new Heap({ python: "3.14", build, startupObjects: 0 });
    y.disable();
    const c = y.getCount()[0];
    y.newTuple([Heap.INT_LITERAL]);
    expect(y.getCount()[0]).toBe(c); // 3.14.2 counts tracked objects only
  });
});
