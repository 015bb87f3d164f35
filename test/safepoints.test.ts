// Safe points where CPython's eval breaker runs (3.12+): with
// safePoints: "explicit" a scheduled collection waits for heap.safePoint(),
// which the host places where its Python statements would check — after a
// call returns, at a loop's back edge. C20 measured on CPython 3.12.1 and
// 3.13.0: `keep.append([])` with threshold0 = 5 starts each collection with
// len(keep) = 6, 12, 18 (the per-call safe point runs it one call earlier:
// test/autocollect.test.ts keeps that as a failing-by-design test).
import { describe, expect, it } from "vitest";
import { Heap } from "../src/heap.js";
import { InvalidArgumentError } from "../src/errors.js";
import { BUILDS } from "./helpers.js";

describe.each(BUILDS)("explicit safe points (%s build)", (build) => {
  it.each(["3.12", "3.13", "3.15"])("C20 on CPython %s: len(keep) at each start is 6, 12, 18", (python) => {
    const heap = new Heap({ python, build, safePoints: "explicit", startupObjects: 0 });
    heap.collect(2);
    const keep = heap.newObject("list");
    heap.setThreshold(5, 100, 100);
    heap.collect(0);
    const lens: number[] = [];
    heap.onEvent((e) => { if (e.kind === "gc-start" && e.automatic) lens.push(heap.getReferents(keep).length); });
    for (let i = 0; i < 20; i++) {
      const l = heap.newObject("list"); // BUILD_LIST: schedules, no check
      heap.addRef(keep, l);             // keep.append(l): the CALL …
      heap.safePoint();                 // … checks the eval breaker when it returns
      heap.unbind(l);
      heap.safePoint();                 // the loop's back edge
    }
    expect(lens).toEqual([6, 12, 18]);
  });

  it("≤3.11 collect inside the allocation whatever the safe points", () => {
    const heap = new Heap({ python: "3.11", build, safePoints: "explicit", startupObjects: 0 });
    heap.collect(2);
    heap.setThreshold(5, 100, 100);
    let n = 0;
    heap.onEvent((e) => { if (e.kind === "gc-stop") n++; });
    heap.newObjects("list", 12); // no safePoint() at all
    expect(n).toBe(2);
  });

  it("3.12: nothing runs until safePoint(); countAllocation counts like an allocation", () => {
    const heap = new Heap({ python: "3.12", build, safePoints: "explicit", startupObjects: 0 });
    heap.setThreshold(3, 100, 100);
    let n = 0;
    heap.onEvent((e) => { if (e.kind === "gc-stop") n++; });
    heap.newObjects("obj", 3);
    heap.countAllocation();      // a 4th allocation: past threshold 3
    expect(heap.getCount()[0]).toBe(4);
    heap.newObject("dict");      // more calls: still no collection
    expect(n).toBe(0);
    heap.safePoint();
    expect(n).toBe(1);
    expect(heap.getCount()[0]).toBe(0);
  });

  it("per-statement: a batch call schedules like the Python loop it stands for (C19's 7000 lists: 1 collection per call, 9 per statement)", () => {
    const stops = (safePoints: "per-call" | "per-statement") => {
      const heap = new Heap({ python: "3.12", build, safePoints, startupObjects: 0 });
      heap.collect(2);
      let n = 0;
      heap.onEvent((e) => { if (e.kind === "gc-stop" && e.automatic) n++; });
      heap.newObjects("list", 7000);
      return n;
    };
    expect(stops("per-call")).toBe(1);     // list(map(list, ((),)*7000)): one C call (C19, 3.12.1)
    expect(stops("per-statement")).toBe(9); // a loop of 7000 statements: every 701 allocations
  });

  it("bad options and counts are typed errors", () => {
    expect(() => new Heap({ python: "3.12", build, safePoints: "sometimes" as "explicit" })).toThrow(/"per-call", "per-statement" or "explicit"/);
    const heap = new Heap({ python: "3.12", build });
    expect(() => heap.lab.setCounts(-1, 0, 0)).toThrow(/count0 must be a non-negative integer/);
    expect(() => heap.lab.setCounts(1, 0.5, 0)).toThrow(InvalidArgumentError);
    heap.lab.setCounts(7, 1, 2);
    expect(heap.getCount()).toEqual([7, 1, 2]);
  });
});
