// Memory pressure and faults (issue 9): a heap that ran out of memory works
// again once objects are freed; a huge legal count is OutOfMemoryError, not a
// trap; no event is lost however many a call makes; a trapped heap refuses
// every call; a failing policy or observer never leaves the engine half-way
// and never costs the caller the result of its call.
import { describe, expect, it } from "vitest";
import { Heap } from "../src/heap.js";
import { OpStream } from "../src/ops.js";
import {
  InvalidArgumentError, ObserverError, OutOfMemoryError, PolicyError, SimulatorTrapError,
} from "../src/errors.js";
import { GarbageTracker } from "../src/tracker/tracker.js";
import { BUILDS, makeHeap } from "./helpers.js";

const LIMIT = 3 * 1024 * 1024;
/** The debug build checks every invariant after every call: its fills stay small. */
const fillLimit = (build: string) => (build === "debug" ? 1200 * 1024 : LIMIT);
/** Heap's own helpers, not calls a user makes. */
const PRIVATE = new Set(["call", "reportDeferred", "drain", "deliver", "statusError", "id", "idArray",
  "typeName", "describe", "requireContainer", "check", "ioWrite", "ioRead", "feature", "plainType", "resurrectOption", "opError",
  "refuseIfPoisoned",
  /* HeapAnalysis */ "mask", "object", "ids", "retained"]);

/** Allocates with `make` until OutOfMemoryError; returns what was made (one entry per success). */
function fillUntilOom(make: () => number[]): number[] {
  const made: number[] = [];
  for (let i = 0; i < 10_000_000; i++) {
    try {
      made.push(...make());
    } catch (e) {
      expect(e).toBeInstanceOf(OutOfMemoryError);
      return made;
    }
  }
  throw new Error("the memory limit was never reached");
}

describe.each(BUILDS)("memory pressure (%s build)", (build) => {
  // every route that makes objects or references, each filled to the limit, freed, and filled again
  const routes: [string, (h: Heap, ctx: { target: number; list: number }) => number[]][] = [
    ["newObject", (h) => [h.newObject("obj")]],
    ["newObjects", (h) => [...h.newObjects("fin", 500)]],
    ["newTuple", (h, c) => [h.newTuple([c.target, Heap.INT_LITERAL, c.target])]],
    ["newWeakref", (h, c) => [h.newWeakref(c.target, { callback: true })]],
    ["chain", (h) => [h.chain("list", 100)[0]]],
    ["chain of tuples", (h) => [h.chain("tuple", 100)[0]]],
  ];
  for (const [name, make] of routes) {
    it(`${name}: OutOfMemoryError changes nothing, and after freeing the heap makes as many again`, () => {
      const { heap } = makeHeap(build, { memoryLimitBytes: fillLimit(build) });
      const ctx = { target: heap.newObject("obj"), list: heap.newObject("list") };
      const first = fillUntilOom(() => make(heap, ctx));
      expect(first.length).toBeGreaterThan(5);
      const size = heap.size;
      expect(() => make(heap, ctx)).toThrow(OutOfMemoryError);
      expect(heap.size).toBe(size); // the refused call made nothing
      heap.debug.checkInvariants();
      heap.unbindMany(first);
      heap.collect();
      heap.debug.checkInvariants();
      const second = fillUntilOom(() => make(heap, ctx));
      // the ids, edge slices and free lists of the first round are reused
      expect(second.length).toBeGreaterThanOrEqual(first.length);
      heap.debug.checkInvariants();
    });
  }

  it("references (addRef, addRefs) fill memory, and after freeing the heap links as many again", () => {
    const { heap } = makeHeap(build, { memoryLimitBytes: fillLimit(build) });
    const target = heap.newObject("obj");
    const round = () => {
      const lists: number[] = [];
      let refs = 0;
      try {
        for (;;) {
          const l = heap.newObject("list");
          lists.push(l);
          heap.addRef(l, target);
          refs++;
          for (let k = 0; k < 8; k++) { heap.addRefs(new Uint32Array(250).fill(l), new Uint32Array(250).fill(target)); refs += 250; }
        }
      } catch (e) {
        expect(e).toBeInstanceOf(OutOfMemoryError);
      }
      return { lists, refs };
    };
    const a = round();
    expect(a.refs).toBeGreaterThan(5_000);
    heap.unbindMany(a.lists);
    heap.debug.checkInvariants();
    const b = round();
    expect(b.refs).toBeGreaterThanOrEqual(a.refs);
    heap.debug.checkInvariants();
  });

  it("a legal count near 2^30 is OutOfMemoryError, and smaller allocations still work", () => {
    const { heap } = makeHeap(build);
    const keep = heap.newObject("obj");
    const calls: [string, () => unknown][] = [
      ["newObjects", () => heap.newObjects("obj", 2 ** 30)],
      ["newObjects", () => heap.newObjects("obj", 0x7FFFFFF0)],
      ["chain", () => heap.chain("list", 2 ** 30 + 7)],
      ["chain", () => heap.chain("tuple", 0x7FFFFFF0)],
    ];
    for (const [op, call] of calls) {
      expect(call).toThrow(OutOfMemoryError);
      expect(call).toThrow(new RegExp(`^${op}: `));
      expect(heap.size).toBe(1);
    }
    expect(heap.newObjects("obj", 100_000).length).toBe(100_000);
    expect(heap.exists(keep)).toBe(true);
    heap.debug.checkInvariants();
  });

  it("no event is lost when the log fills: 20,000 finalizers in one collection under a small memory limit", () => {
    const { heap, events } = makeHeap(build, { memoryLimitBytes: LIMIT, python: "3.11" });
    const phases: string[] = [];
    heap.callbacks.push((phase) => phases.push(phase));
    const ids = heap.newObjects("fin", 20_000);
    heap.addRefs(ids, Uint32Array.from(ids, (_, i) => ids[(i + 1) % ids.length]));
    heap.unbindMany(ids);
    expect(heap.collect()).toBe(20_000);
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === "finalized").length).toBe(20_000);
    expect(kinds[0]).toBe("gc-start");
    expect(kinds[kinds.length - 1]).toBe("gc-stop");
    expect(phases).toEqual(["start", "stop"]);
    // in the order they ran: each finalized id once
    expect(new Set(events.flatMap((e) => (e.kind === "finalized" ? [e.id] : []))).size).toBe(20_000);
  });

  it("no event is lost by a refcount cascade either (a 50,000-long chain of fin)", () => {
    const { heap, events } = makeHeap(build, { memoryLimitBytes: 8 * LIMIT });
    const c = heap.chain("fin", 50_000);
    heap.unbind(c[0]);
    const fin = events.flatMap((e) => (e.kind === "finalized" ? [e.id] : []));
    expect(fin.length).toBe(50_000);
    expect(fin.slice(0, 3)).toEqual([c[0], c[1], c[2]]);
  });
});

describe.each(BUILDS)("faults (%s build)", (build) => {
  it("after a trap every method and getter refuses with SimulatorTrapError", () => {
    const { heap } = makeHeap(build);
    const a = heap.newObject("obj");
    // parts taken before the trap must refuse too: they reach the engine only through the heap
    const parts = { lab: heap.lab, debug: heap.debug, analysis: heap.analysis };
    expect(() => heap.debug.trap()).toThrow(SimulatorTrapError);
    const args: Record<string, unknown[]> = {
      setPolicy: [{ kind: "cpython" }], setSizeOf: [a, 8], onEvent: [() => {}], newObject: ["obj"],
      newObjects: ["obj", 2], newTuple: [[a]], newWeakref: [a], chain: ["obj", 2], addRef: [a, a],
      addRefs: [[a], [a]], removeRef: [a, a], unbindMany: [[a]], describeMany: [[a]], revive: [a, "garbage"],
      freeListLength: ["list"], setCounts: [1, 1, 1], setLongLived: [1, 1], setThreshold: [5], setDebug: [1],
      collect: [0], getReferrers: [a], getReferents: [a], getObjects: [], setQuietDelete: [true],
      setNewestSerial: [5], runOps: [new OpStream()], generationList: [0], traceStages: [5], reachability: [], unreachableFromRoots: [], reachableBytes: [], pathToAny: [[a]],
      cycles: [[a]], topRetainers: [3],
    };
    let checked = 0;
    for (const [where, target] of [["heap", heap], ...Object.entries(parts)] as [string, object][]) {
      const proto = Object.getPrototypeOf(target) as object;
      const names = Object.getOwnPropertyNames(proto).filter((n) => n !== "constructor" && !PRIVATE.has(n));
      for (const name of names) {
        const d = Object.getOwnPropertyDescriptor(proto, name)!;
        const run = d.get ? () => (target as Record<string, unknown>)[name]
          : typeof d.value === "function" ? () => (d.value as (...x: unknown[]) => unknown).apply(target, args[name] ?? [a])
          : null;
        if (!run) continue;
        let error: unknown = null;
        try { run(); } catch (e) { error = e; }
        expect(error, `${where}.${name}`).toBeInstanceOf(SimulatorTrapError);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(70);
  });

  it("a delegated policy that throws: the call completes, PolicyError carries its result, the engine is not left collecting", () => {
    const { heap } = makeHeap(build, { auto: true });
    heap.setThreshold(5);
    let calls = 0;
    heap.lab.setPolicy({ kind: "delegated", decide: () => { calls++; throw new Error("boom"); } });
    const made: number[] = [];
    let error: unknown = null;
    for (let i = 0; i < 10 && !error; i++) {
      try { made.push(heap.newObject("obj")); } catch (e) { error = e; }
    }
    expect(error).toBeInstanceOf(PolicyError);
    const p = error as PolicyError;
    expect(p.message).toBe("newObject: the delegated policy's decide() threw: boom");
    expect((p as { cause?: unknown }).cause).toBeInstanceOf(Error);
    expect(heap.exists(p.result as number)).toBe(true); // the id is not lost
    expect(heap.size).toBe(made.length + 1);
    expect(calls).toBe(1);
    heap.debug.checkInvariants();
    heap.lab.setPolicy({ kind: "cpython" });
    const x = heap.newObject("obj"), y = heap.newObject("obj");
    heap.addRef(x, y); heap.addRef(y, x); heap.unbind(x); heap.unbind(y);
    expect(heap.collect()).toBe(2); // not stuck in "collecting"
  });

  it("a delegated policy that returns a bad value, or calls the heap, is a PolicyError", () => {
    for (const decide of [() => 7 as unknown as number, () => "2" as unknown as number, () => { heapRef.collect(); return 0; }]) {
      const { heap } = makeHeap(build, { auto: true });
      heapRef = heap;
      heap.setThreshold(1);
      heap.lab.setPolicy({ kind: "delegated", decide });
      let error: unknown = null;
      try { for (let i = 0; i < 5; i++) heap.newObject("obj"); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(PolicyError);
      heap.debug.checkInvariants();
      expect(heap.getStats().reduce((s, g) => s + g.collections, 0)).toBe(0);
    }
  });

  it("a throwing onEvent listener: every listener still sees every event, then ObserverError with the call's result", () => {
    const { heap } = makeHeap(build);
    const seen: string[] = [];
    heap.onEvent(() => { throw new Error("L1"); });
    heap.onEvent((e) => seen.push(e.kind));
    const a = heap.newObject("fin"), b = heap.newObject("fin");
    heap.addRef(a, b); heap.addRef(b, a); heap.unbind(a); heap.unbind(b);
    let error: unknown = null;
    try { heap.collect(); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ObserverError);
    const o = error as ObserverError;
    expect(o.result).toBe(2);
    expect(o.errors.map((x) => x.where)).toEqual([
      "an onEvent listener (gc-start)", "an onEvent listener (finalized)", "an onEvent listener (finalized)", "an onEvent listener (gc-stop)",
    ]);
    expect(seen).toEqual(["gc-start", "finalized", "finalized", "gc-stop"]);
    heap.debug.checkInvariants();
  });

  it("a throwing gc.callbacks entry does not lose the new object's id; with unraisableHook the call just returns", () => {
    const { heap } = makeHeap(build, { auto: true });
    heap.setThreshold(1);
    heap.callbacks.push(() => { throw new Error("cb"); });
    const later: string[] = [];
    heap.callbacks.push((phase) => later.push(phase));
    heap.newObject("obj");
    let error: unknown = null;
    try { heap.newObject("obj"); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ObserverError);
    expect(heap.exists((error as ObserverError).result as number)).toBe(true);
    expect(later).toEqual(["start", "stop"]); // the next callback still ran
    const hooked: string[] = [];
    heap.unraisableHook = (e, where) => hooked.push(`${where}: ${(e as Error).message}`);
    const id = heap.newObject("obj");
    expect(heap.exists(id)).toBe(true);
    heap.newObject("obj");
    expect(hooked).toEqual(['a gc.callbacks entry ("start"): cb', 'a gc.callbacks entry ("stop"): cb']);
  });

  it("gc.collect() inside a gc callback returns 0, as CPython does while a collection runs", () => {
    const { heap } = makeHeap(build);
    const inner: number[] = [];
    heap.callbacks.push((phase) => { if (phase === "start") inner.push(heap.collect()); });
    const a = heap.newObject("list");
    heap.addRef(a, a);
    heap.unbind(a);
    expect(heap.collect()).toBe(1);
    expect(inner).toEqual([0]);
    expect(heap.getStats()[2].collections).toBe(1);
    // and an allocation inside a callback does not start one either
    heap.enable();
    heap.setThreshold(1);
    heap.callbacks.length = 0;
    heap.callbacks.push(() => { heap.newObject("obj"); heap.newObject("obj"); heap.newObject("obj"); });
    heap.collect();
    expect(heap.getStats()[2].collections).toBe(2);
    expect(heap.getStats()[0].collections).toBe(0);
  });

  it("events of a call an observer makes are delivered after the current ones, in order", () => {
    const { heap } = makeHeap(build);
    const log: string[] = [];
    const f = heap.newObject("fin");
    heap.onEvent((e) => {
      log.push(e.kind === "finalized" ? `fin ${e.id}` : e.kind);
      if (e.kind === "gc-start" && heap.exists(f) && heap.rootCount(f) > 0) heap.unbind(f);
    });
    const c = heap.newObject("list");
    heap.addRef(c, c);
    heap.unbind(c);
    heap.collect();
    expect(log).toEqual(["gc-start", "gc-stop", `fin ${f}`]);
  });

  it("serials past 2^31 stay unsigned, and the tracker tells new objects across the 2^32 wrap", () => {
    for (const start of [2 ** 31 - 2, 2 ** 32 - 3]) {
      const { heap } = makeHeap(build);
      heap.debug.setNewestSerial(start);
      const old = heap.newObject("list");
      heap.addRef(old, old);
      heap.unbind(old); // garbage made before the region: not the tracker's
      const t = new GarbageTracker(heap);
      t.start();
      const ids = heap.newObjects("obj", 5);
      heap.addRef(ids[0], ids[1]); heap.addRef(ids[1], ids[0]);
      heap.unbindMany(ids.subarray(0, 2));
      for (const x of ids.subarray(2)) expect(heap.serial(x)).toBeGreaterThanOrEqual(0);
      expect(heap.describeMany([ids[2]])[0].serial).toBe(heap.serial(ids[2]));
      expect(heap.newestSerial()).toBe((start + 6) % 2 ** 32);
      const r = t.stop();
      expect(r.collected.map((o) => o.id).sort()).toEqual([ids[0], ids[1]].sort());
    }
  });

  it("bad options are typed errors, never a raw TypeError", () => {
    const bad: [string, () => unknown][] = [
      ["Heap", () => new Heap(null as never)],
      ["Heap", () => new Heap([] as never)],
      ["Heap", () => new Heap({ memoryLimitBytes: 1 })],
      ["Heap", () => new Heap({ memoryLimitBytes: 1.5 })],
      ["Heap", () => new Heap({ freeLists: "no" as never })],
      ["Heap", () => new Heap({ build: "fast" as never })],
    ];
    const { heap } = makeHeap(build);
    const a = heap.newObject("obj");
    bad.push(
      ["newObject", () => heap.newObject("obj", null as never)],
      ["newObject", () => heap.newObject("constructor" as never)],
      ["newObject", () => heap.newObject("__proto__" as never)],
      ["newObject", () => heap.newObject("toString" as never)],
      ["newObjects", () => heap.newObjects("obj", 2, { resurrect: true })],
      ["newObjects", () => heap.newObjects("obj", 2, [] as never)],
      ["newWeakref", () => heap.newWeakref(a, null as never)],
      ["newWeakref", () => heap.newWeakref(a, { callback: 1 as never })],
      ["chain", () => heap.chain("obj", 3, null as never)],
      ["chain", () => heap.chain("valueOf" as never, 3)],
      ["removeRef", () => heap.removeRef(a, 2 ** 32 + a)],
      ["addRefs", () => heap.addRefs(null as never, [a])],
      ["setPolicy", () => heap.lab.setPolicy(null as never)],
      ["setDebug", () => heap.setDebug(2 ** 33)],
      ["setLongLived", () => heap.lab.setLongLived(NaN, -5)],
      ["freeListLength", () => heap.debug.freeListLength("hasOwnProperty" as never)],
      ["onEvent", () => heap.onEvent(null as never)],
    );
    for (const [op, call] of bad) {
      let error: unknown = null;
      try { call(); } catch (e) { error = e; }
      expect(error, `${op}`).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message.startsWith(`${op}: `)).toBe(true);
    }
    expect(heap.size).toBe(1);
    expect(heap.getDebug()).toBe(0);
    heap.setDebug(-1); // gc.set_debug(-1) is legal in CPython: every flag
    expect(heap.getDebug()).toBe(-1);
  });
});

let heapRef: Heap;

describe("many heaps", () => {
  it("a heap the runtime cannot make is OutOfMemoryError, not a bare RangeError", () => {
    const real = WebAssembly.Instance;
    (WebAssembly as { Instance: unknown }).Instance = function () {
      throw new RangeError("WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance");
    };
    try {
      expect(() => new Heap()).toThrow(OutOfMemoryError);
      expect(() => new Heap()).toThrow(/cannot make another engine instance/);
    } finally {
      (WebAssembly as { Instance: unknown }).Instance = real;
    }
    expect(new Heap().size).toBe(0);
  });
});
