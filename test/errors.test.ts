// Every refused call throws a typed error and leaves the heap exactly as it
// was: same objects, refcounts, bindings, references, generations, counts,
// gc.garbage, no event — and every invariant still holds.
import { describe, expect, it } from "vitest";
import { Heap, DEBUG_SAVEALL, type HeapEvent } from "../src/heap.js";
import {
  InvalidArgumentError, InvalidGenerationError, NoSuchReferenceError, NotAContainerError, NotAWeakrefError,
  NotBoundError, NotWeakReferenceableError, OutOfMemoryError, PygcsimError, SlotsFullError, UnknownObjectError,
  UnknownVersionError, UnsupportedError, WeakrefExistsError,
} from "../src/errors.js";
import { PROFILES, getProfile } from "../src/profiles.js";
import { runScenario } from "../src/scenario/run.js";
import type { BuildKind } from "../src/wasm/engine.js";
import { BUILDS, makeHeap } from "./helpers.js";
import { SERIES, atLeast, snapshot } from "./helpers/util.js";

type ErrorClass = new (...args: never[]) => PygcsimError;

/** A heap with one object of every kind, some references, a freed id and gc.garbage. */
function fixture(build: BuildKind, python: string) {
  const { heap, events } = makeHeap(build, { python });
  const x = heap.newObject("obj");
  const o = heap.newObject("obj");
  const f = heap.newObject("fin");
  const l = heap.newObject("list");
  const d = heap.newObject("dict");
  const i = heap.newObject("int");
  const s = heap.newObject("str");
  const t = heap.newTuple([x, Heap.INT_LITERAL]);
  const w = heap.newWeakref(x, { callback: true });
  const basic = heap.newWeakref(o);
  heap.addRef(o, x);
  heap.addRef(l, x);
  heap.addRef(l, i);
  heap.addRef(d, x);
  heap.addRef(f, l);
  // something in gc.garbage and an older generation
  heap.setDebug(DEBUG_SAVEALL);
  const g = heap.newObject("list");
  heap.addRef(g, g);
  heap.unbind(g);
  heap.collect(0);
  heap.setDebug(0);
  const dead = heap.newObject("obj");
  heap.unbind(dead); // its id is free: nothing is allocated after this
  const ids = [x, o, f, l, d, i, s, t, w, basic, g, dead];
  events.length = 0;
  return { heap, events, x, o, f, l, d, i, s, t, w, basic, g, dead, ids };
}

/** Runs fn, which must throw `cls`, and checks that nothing observable changed. */
function expectRefused(heap: Heap, ids: number[], events: HeapEvent[], fn: () => unknown, cls: ErrorClass, operation?: string): PygcsimError {
  const before = snapshot(heap, ids);
  const n = events.length;
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(cls);
  if (operation !== undefined) expect((error as PygcsimError).operation).toBe(operation);
  expect(snapshot(heap, ids)).toEqual(before);
  expect(events.length).toBe(n);
  heap.debug.checkInvariants();
  return error as PygcsimError;
}

describe.each(BUILDS)("errors (%s build)", (build) => {
  describe.each(SERIES)("CPython %s", (python) => {
    it("an unknown, freed or reserved id is UnknownObjectError in every method that takes one", () => {
      const fx = fixture(build, python);
      const { heap, events, ids, x, o, l } = fx;
      expect(heap.exists(fx.dead)).toBe(false);
      const calls: [string, (bad: number) => unknown][] = [
        ["typeOf", (b) => heap.typeOf(b)],
        ["refcount", (b) => heap.refcount(b)],
        ["serial", (b) => heap.serial(b)],
        ["rootCount", (b) => heap.rootCount(b)],
        ["wasCleared", (b) => heap.wasCleared(b)],
        ["isTracked", (b) => heap.isTracked(b)],
        ["bind", (b) => heap.bind(b)],
        ["unbind", (b) => heap.unbind(b)],
        ["incref", (b) => heap.incref(b)],
        ["deref", (b) => heap.deref(b)],
        ["addRef", (b) => heap.addRef(b, x)],
        ["addRef", (b) => heap.addRef(o, b)],
        ["removeRef", (b) => heap.removeRef(b, x)],
        ["newWeakref", (b) => heap.newWeakref(b)],
        ["newTuple", (b) => heap.newTuple([x, b])],
        ["chain", (b) => heap.chain("list", 3, { to: b })],
        ["getReferrers", (b) => heap.getReferrers(x, b)],
        ["getReferents", (b) => heap.getReferents(l, b)],
        ["revive", (b) => heap.revive(b, "garbage")],
        ["unbindMany", (b) => heap.unbindMany([x, b])],
      ];
      if (atLeast(python, "3.9")) calls.push(["isFinalized", (b) => heap.isFinalized(b)]);
      for (const bad of [fx.dead, 999_999, 0, 5, 12, 15]) {
        for (const [op, call] of calls) {
          const e = expectRefused(heap, ids, events, () => call(bad), UnknownObjectError, op);
          expect(e.message).toContain(`${bad} does not name a live object`);
        }
      }
      expect(heap.exists(999_999)).toBe(false);
    });

    it("addRefs checks every pair first: a dead id is InvalidArgumentError, a non-container NotAContainerError", () => {
      const { heap, events, ids, x, o, l, t, dead } = fixture(build, python);
      expectRefused(heap, ids, events, () => heap.addRefs([l, o], [x, dead]), InvalidArgumentError, "addRefs");
      expectRefused(heap, ids, events, () => heap.addRefs([l, dead], [x, x]), InvalidArgumentError, "addRefs");
      expectRefused(heap, ids, events, () => heap.addRefs([l, t], [x, x]), NotAContainerError, "addRefs");
      expectRefused(heap, ids, events, () => heap.addRefs([l, l], [x]), InvalidArgumentError, "addRefs");
      expectRefused(heap, ids, events, () => heap.addRefs([l, -1], [x, x]), InvalidArgumentError, "addRefs");
    });

    it("an id that is not a non-negative integer is InvalidArgumentError", () => {
      const { heap, events, ids, x, l } = fixture(build, python);
      for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 32, "16" as unknown as number, null as unknown as number]) {
        expectRefused(heap, ids, events, () => heap.refcount(bad), InvalidArgumentError, "refcount");
        expectRefused(heap, ids, events, () => heap.addRef(l, bad), InvalidArgumentError, "addRef");
        expectRefused(heap, ids, events, () => heap.unbind(bad), InvalidArgumentError, "unbind");
        expectRefused(heap, ids, events, () => heap.unbindMany([x, bad]), InvalidArgumentError, "unbindMany");
        if (!Number.isInteger(bad)) expectRefused(heap, ids, events, () => heap.removeRef(l, bad), InvalidArgumentError, "removeRef");
        expect(heap.exists(bad)).toBe(false);
      }
    });

    it("only obj, fin, list and dict hold references: NotAContainerError", () => {
      const { heap, events, ids, x, t, i, s, w } = fixture(build, python);
      for (const from of [t, i, s, w]) {
        const e = expectRefused(heap, ids, events, () => heap.addRef(from, x), NotAContainerError, "addRef");
        expect(e.message).toContain(`is a ${heap.typeOf(from)}`);
        expectRefused(heap, ids, events, () => heap.removeRef(from, x), NotAContainerError, "removeRef");
      }
    });

    it("removing a reference that does not exist is NoSuchReferenceError", () => {
      const { heap, events, ids, x, o, f, l, d, s, dead } = fixture(build, python);
      expectRefused(heap, ids, events, () => heap.removeRef(l, s), NoSuchReferenceError, "removeRef");
      expectRefused(heap, ids, events, () => heap.removeRef(o, o), NoSuchReferenceError, "removeRef");
      expectRefused(heap, ids, events, () => heap.removeRef(d, l), NoSuchReferenceError, "removeRef");
      expectRefused(heap, ids, events, () => heap.removeRef(f, dead), NoSuchReferenceError, "removeRef");
      expectRefused(heap, ids, events, () => heap.removeRef(o, 0), NoSuchReferenceError, "removeRef");
      heap.removeRef(o, x);
      expectRefused(heap, ids, events, () => heap.removeRef(o, x), NoSuchReferenceError, "removeRef");
    });

    it("an instance has 16 slots: the 17th reference is SlotsFullError", () => {
      const { heap, events, ids, x, o, l } = fixture(build, python);
      for (let k = 1; k < 16; k++) heap.addRef(o, l);
      expect(heap.getReferents(o)).toHaveLength(16);
      expectRefused(heap, ids, events, () => heap.addRef(o, x), SlotsFullError, "addRef");
      expectRefused(heap, ids, events, () => heap.addRef(o, o), SlotsFullError, "addRef");
      heap.removeRef(o, l);
      expectRefused(heap, ids, events, () => heap.addRefs([l, o, o], [x, x, x]), SlotsFullError, "addRefs");
      heap.addRef(o, x); // one free slot again
      expect(heap.getReferents(o)).toHaveLength(16);
      for (let k = 0; k < 100; k++) heap.addRef(l, x); // lists and dicts have no limit
      expect(heap.getReferents(l)).toHaveLength(102);
    });

    it("a generation outside 0..2 is InvalidGenerationError", () => {
      const { heap, events, ids } = fixture(build, python);
      for (const g of [3, -1, 1.5, 99]) {
        expectRefused(heap, ids, events, () => heap.collect(g), InvalidGenerationError, "collect");
        if (atLeast(python, "3.8")) expectRefused(heap, ids, events, () => heap.getObjects(g), InvalidGenerationError, "getObjects");
      }
    });

    it("only obj and fin can be weakly referenced: NotWeakReferenceableError", () => {
      const { heap, events, ids, l, d, t, i, s, w } = fixture(build, python);
      for (const target of [l, d, t, i, s, w, Heap.EMPTY_TUPLE]) {
        expectRefused(heap, ids, events, () => heap.newWeakref(target), NotWeakReferenceableError, "newWeakref");
        expectRefused(heap, ids, events, () => heap.newWeakref(target, { callback: true }), NotWeakReferenceableError, "newWeakref");
      }
    });

    it("deref of something that is not a weakref is NotAWeakrefError", () => {
      const { heap, events, ids, x, l, t } = fixture(build, python);
      for (const id of [x, l, t]) expectRefused(heap, ids, events, () => heap.deref(id), NotAWeakrefError, "deref");
    });

    it("a second callback-less weakref to one object is WeakrefExistsError (CPython would share it)", () => {
      const { heap, events, ids, o, basic } = fixture(build, python);
      expect(heap.deref(basic)).toBe(o);
      expectRefused(heap, ids, events, () => heap.newWeakref(o), WeakrefExistsError, "newWeakref");
      const withCallback = heap.newWeakref(o, { callback: true });
      expect(heap.deref(withCallback)).toBe(o);
      expectRefused(heap, [...ids, withCallback], events, () => heap.newWeakref(o), WeakrefExistsError, "newWeakref");
    });

    it("unbinding more often than bound is NotBoundError, checked before anything is dropped", () => {
      const { heap, events, ids, x, o, g } = fixture(build, python);
      heap.unbind(x); // still alive: o, l, d and t refer to it
      expectRefused(heap, ids, events, () => heap.unbind(x), NotBoundError, "unbind");
      expectRefused(heap, ids, events, () => heap.unbind(g), NotBoundError, "unbind"); // held only by gc.garbage
      expectRefused(heap, ids, events, () => heap.unbindMany([o, o]), NotBoundError, "unbindMany");
      expectRefused(heap, ids, events, () => heap.unbindMany([o, x]), NotBoundError, "unbindMany");
      heap.bind(o);
      heap.unbindMany([o, o]);
      expect(heap.exists(o)).toBe(false);
    });

    it("features the version lacks are UnsupportedError", () => {
      const { heap, events, ids, f } = fixture(build, python);
      const lacking: [string, () => unknown][] = [];
      if (!atLeast(python, "3.7")) {
        lacking.push(["freeze", () => heap.freeze()], ["unfreeze", () => heap.unfreeze()], ["getFreezeCount", () => heap.getFreezeCount()]);
      }
      if (!atLeast(python, "3.9")) lacking.push(["isFinalized", () => heap.isFinalized(f)]);
      if (!atLeast(python, "3.8")) lacking.push(["getObjects", () => heap.getObjects(0)]);
      if (python === "2.7") lacking.push(["getStats", () => heap.getStats()]);
      const expected: Record<string, number> = { "2.7": 6, "3.6": 5, "3.7": 2, "3.8": 1 };
      expect(lacking).toHaveLength(expected[python] ?? 0);
      for (const [op, call] of lacking) {
        const e = expectRefused(heap, ids, events, call, UnsupportedError, op);
        expect(e.message).toContain(`does not exist in Python ${python}`);
      }
    });

    it("bad arguments are InvalidArgumentError", () => {
      const { heap, events, ids, x, o, l } = fixture(build, python);
      const any = (v: unknown) => v as never;
      const calls: [string, () => unknown][] = [
        ["newObject", () => heap.newObject(any("tuple"))],
        ["newObject", () => heap.newObject(any("weakref"))],
        ["newObject", () => heap.newObject(any("set"))],
        ["newObject", () => heap.newObject("obj", { resurrect: true })],
        ["newObjects", () => heap.newObjects("list", -1)],
        ["newObjects", () => heap.newObjects("list", 1.5)],
        ["newObjects", () => heap.newObjects(any("tuple"), 3)],
        ["newTuple", () => heap.newTuple(any("x"))],
        ["chain", () => heap.chain("list", 0)],
        ["chain", () => heap.chain(any("int"), 3)],
        ["chain", () => heap.chain("list", 3, { to: x, ring: true })],
        ["chain", () => heap.chain("tuple", 3, { ring: true })],
        ["setThreshold", () => heap.setThreshold(-1)],
        ["setThreshold", () => heap.setThreshold(10, 1.5)],
        ["setDebug", () => heap.setDebug(2 ** 31)], // a C int, as gc.set_debug takes it (-1 is fine)
        ["setDebug", () => heap.setDebug(2 ** 33)],
        ["revive", () => heap.revive(o, any("heap"))],
        ["addRefs", () => heap.addRefs([l], [])],
      ];
      for (const [op, call] of calls) expectRefused(heap, ids, events, call, InvalidArgumentError, op);
      expect(() => new Heap({ build, memoryLimitBytes: 0 })).toThrow(InvalidArgumentError);
      expect(() => new Heap({ build, memoryLimitBytes: -5 })).toThrow(InvalidArgumentError);
    });

    it("past the memory limit a batch is OutOfMemoryError and changes nothing", () => {
      const { heap, events } = makeHeap(build, { python, memoryLimitBytes: 8 * 1024 * 1024 });
      const keep = heap.newObjects("obj", 1000);
      const l = heap.newObject("list");
      heap.addRef(l, keep[0]);
      const ids = [...keep.slice(0, 5), l];
      expectRefused(heap, ids, events, () => heap.newObjects("obj", 10_000_000), OutOfMemoryError, "newObjects");
      expectRefused(heap, ids, events, () => heap.newObjects("int", 10_000_000), OutOfMemoryError, "newObjects");
      expectRefused(heap, ids, events, () => heap.chain("list", 10_000_000, { to: keep[1] }), OutOfMemoryError, "chain");
      expect(heap.size).toBe(1001);
      // the heap is still usable
      const more = heap.newObjects("list", 1000);
      heap.addRef(more[0], more[0]);
      heap.unbind(more[0]);
      expect(heap.collect()).toBe(1);
      expect(heap.size).toBe(2000);
      heap.debug.checkInvariants();
    });
  });

  it("an unknown version is UnknownVersionError listing the known ones", () => {
    const known = PROFILES.map((p) => p.series).join(", ");
    for (const v of ["3.5", "2.6", "4.0", "3", "", "latest", "3.11.x"]) {
      let error: unknown = null;
      try {
        new Heap({ python: v, build });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UnknownVersionError);
      expect((error as Error).message).toContain(`known: ${known}`);
      expect((error as Error).message).toContain(JSON.stringify(v));
    }
    for (const s of SERIES) expect(known).toContain(s);
    expect(() => getProfile("3.5")).toThrow(UnknownVersionError);
  });

  it("a full version string picks its series", () => {
    expect(new Heap({ python: "3.11.7", build }).profile.series).toBe("3.11");
    expect(new Heap({ python: "2.7.18", build }).profile.series).toBe("2.7");
    expect(new Heap({ python: "3.13.0", build }).profile.series).toBe("3.13");
    expect(new Heap({ build }).profile.series).toBe("3.11");
  });
});

describe("a refused scenario op", () => {
  it("is reported with its index and op", () => {
    const scn = {
      name: "refused_weakref", description: "a weakref to a list is refused",
      ops: [{ op: "new", id: "a", type: "obj" }, { op: "new", id: "l", type: "list" }, { op: "ref", from: "a", to: "l" }, { op: "weakref", id: "w", to: "l" }, { op: "del", id: "a" }],
    };
    expect(() => runScenario(scn, "3.12")).toThrow(/^op 3 \(weakref\): /);
  });
});
