// The op stream (assembly/ops.ts, src/ops.ts): a program run in one engine
// call must do exactly what the same API calls do — the same objects, the
// same events, the same collections at the same points (each op is followed
// by its safe point) — and stop at the first op the heap refuses with the
// ops before it applied.
import { describe, expect, it } from "vitest";
import { Heap, type HeapEvent } from "../src/heap.js";
import { OpStream, RESULT_BIT } from "../src/ops.js";
import { InvalidArgumentError, NotAContainerError, OpStreamError, UnknownObjectError } from "../src/errors.js";
import { PROFILES } from "../src/profiles.js";
import { mulberry32 } from "./helpers/util.js";

type Step = { op: string; a?: number; b?: number; type?: string; items?: number[]; cb?: boolean; gen?: number };

/** A random program over handles (indices of the objects it made), valid by construction. */
function program(seed: number, length: number): Step[] {
  const rnd = mulberry32(seed);
  const steps: Step[] = [];
  const made: { type: string; bound: number; slots: number }[] = [];
  // only handles still bound: an unbound object may be freed, and its id reused
  const pick = () => {
    for (;;) {
      const h = Math.floor(rnd() * made.length);
      if (made[h].bound > 0) return h;
    }
  };
  for (let i = 0; i < length; i++) {
    const r = rnd();
    if (made.filter((m) => m.bound > 0).length < 4 || r < 0.3) {
      const type = ["obj", "fin", "list", "dict", "int", "str"][Math.floor(rnd() * 6)];
      steps.push({ op: "new", type });
      made.push({ type, bound: 1, slots: 0 });
    } else if (r < 0.55) {
      const a = pick(), b = pick();
      const t = made[a].type;
      if (t === "int" || t === "str" || t === "tuple" || t === "weakref" || ((t === "obj" || t === "fin") && made[a].slots >= 16)) continue;
      made[a].slots++;
      steps.push({ op: "ref", a, b });
    } else if (r < 0.72) {
      const a = pick();
      if (made[a].bound === 0) continue;
      made[a].bound--;
      steps.push({ op: "unbind", a });
    } else if (r < 0.78) {
      steps.push({ op: "tuple", items: [pick(), pick()] });
      made.push({ type: "tuple", bound: 1, slots: 0 });
    } else if (r < 0.83) {
      const a = pick();
      if (made[a].type !== "obj" && made[a].type !== "fin") continue;
      steps.push({ op: "weakref", a, cb: true });
      made.push({ type: "weakref", bound: 1, slots: 0 });
    } else if (r < 0.86) {
      steps.push({ op: "collect", gen: Math.floor(rnd() * 3) });
    } else if (r < 0.9) {
      steps.push({ op: "safePoint" });
    } else if (r < 0.93) {
      steps.push({ op: "countAllocation" });
    } else {
      const a = pick();
      made[a].bound++;
      steps.push({ op: "bind", a });
    }
  }
  return steps;
}

/** Runs the program through the API; returns the ids made, or stops at the first refused call. */
function viaApi(heap: Heap, steps: Step[]): number[] {
  const ids: number[] = [];
  for (const s of steps) {
    const x = (h: number | undefined) => ids[h!];
    try {
      if (s.op === "new") ids.push(heap.newObject(s.type as "obj"));
      else if (s.op === "tuple") ids.push(heap.newTuple(s.items!.map(x)));
      else if (s.op === "weakref") ids.push(heap.newWeakref(x(s.a), { callback: s.cb }));
      else if (s.op === "ref") heap.addRef(x(s.a), x(s.b));
      else if (s.op === "unbind") heap.unbind(x(s.a));
      else if (s.op === "bind") heap.bind(x(s.a));
      else if (s.op === "collect") heap.collect(s.gen);
      else if (s.op === "safePoint") heap.safePoint();
      else if (s.op === "countAllocation") heap.countAllocation();
    } catch {
      break; // an object the program refers to was freed: the stream stops there too
    }
  }
  return ids;
}

function viaStream(steps: Step[]): OpStream {
  const s = new OpStream();
  const refs: number[] = [];
  const r = (h: number | undefined) => refs[h!];
  for (const t of steps) {
    if (t.op === "new") refs.push(s.new(t.type as "obj"));
    else if (t.op === "tuple") refs.push(s.tuple(t.items!.map(r)));
    else if (t.op === "weakref") refs.push(s.weakref(r(t.a), { callback: t.cb }));
    else if (t.op === "ref") s.addRef(r(t.a), r(t.b));
    else if (t.op === "unbind") s.unbind(r(t.a));
    else if (t.op === "bind") s.bind(r(t.a));
    else if (t.op === "collect") s.collect(t.gen);
    else if (t.op === "safePoint") s.safePoint();
    else if (t.op === "countAllocation") s.countAllocation();
  }
  return s;
}

function state(heap: Heap): unknown {
  const ids = heap.liveIds();
  return {
    count: heap.getCount(), longLived: heap.lab.getLongLived(), garbage: heap.garbage,
    stats: heap.profile.features.getStats ? heap.getStats().map((g) => ({ ...g, duration: 0 })) : null,
    live: heap.describeMany(ids).map((d) => [d.id, d.type, d.tracked, [...d.referents], heap.refcount(d.id)]),
  };
}
const timeless = (es: HeapEvent[]) => es.map((e) => (e.kind === "gc-stop" ? { ...e, wallUs: 0 } : e));

describe("op stream: the same as the API calls it stands for", () => {
  for (const p of PROFILES.filter((q) => ["2.7", "3.8", "3.11", "3.12", "3.13", "3.14", "3.15"].includes(q.series) && !/^3\.14\.0$/.test(q.version))) {
    for (const safePoints of ["per-call", "explicit"] as const) {
      it(`${p.version}, ${safePoints} safe points: events, collections and the heap are identical`, () => {
        for (const seed of [1, 2, 3]) {
          const steps = program(seed * 31 + p.series.length, 3000);
          const opts = { python: p.version, safePoints, startupObjects: 100 };
          const a = new Heap(opts), b = new Heap(opts);
          a.setThreshold(40, 3, 3); b.setThreshold(40, 3, 3);
          const ea: HeapEvent[] = [], eb: HeapEvent[] = [];
          a.onEvent((e) => ea.push(e)); b.onEvent((e) => eb.push(e));
          const ids = viaApi(a, steps);
          const stream = viaStream(steps);
          let madeIds: number[] = [];
          try {
            const res = b.runOps(stream);
            madeIds = [...res.values].filter((_, k) => ["new", "tuple", "weakref"].includes(steps[k].op));
          } catch (e) {
            expect(e).toBeInstanceOf(OpStreamError);
            madeIds = [...(e as OpStreamError).results].filter((_, k) => ["new", "tuple", "weakref"].includes(steps[k].op));
          }
          expect(madeIds).toEqual(ids);
          expect(timeless(eb)).toEqual(timeless(ea));
          expect(eb.filter((e) => e.kind === "gc-stop").length).toBeGreaterThan(2);
          expect(state(b)).toEqual(state(a));
          b.debug.checkInvariants();
        }
      });
    }
  }
});

describe("op stream: refused ops", () => {
  it("stops at the first refused op with its index, the op, the typed cause; the ops before it stay applied", () => {
    const heap = new Heap({ startupObjects: 0 });
    const s = new OpStream();
    const a = s.new("obj"), l = s.new("list"), i = s.new("int");
    s.addRef(l, a);
    s.addRef(i, a); // an int holds no references
    s.new("obj");
    let error: unknown = null;
    try { heap.runOps(s); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(OpStreamError);
    const o = error as OpStreamError;
    expect(o.opIndex).toBe(4);
    expect((o as { cause?: unknown }).cause).toBeInstanceOf(NotAContainerError);
    expect(o.message).toMatch(/^runOps: op 4 \(ref\(\d+, \d+\)\) refused: /);
    expect(heap.size).toBe(3);
    expect(heap.getReferents(o.results[1])).toEqual([o.results[0]]);
    heap.debug.checkInvariants();
  });

  it("an id that names no live object is UnknownObjectError at its op", () => {
    const heap = new Heap({ startupObjects: 0 });
    const x = heap.newObject("obj");
    heap.unbind(x);
    const s = new OpStream();
    s.new("list");
    s.bind(x); // x was freed: the new list did not take its id (ids are reused last-freed first… so use it)
    let error: unknown = null;
    try { heap.runOps(s); } catch (e) { error = e; }
    expect(error).toBeNull(); // the list took x's id: binding it again is legal
    const s2 = new OpStream();
    s2.new("obj");
    s2.unbind(2 ** 20); // never made
    try { heap.runOps(s2); } catch (e) { error = e; }
    expect((error as OpStreamError).opIndex).toBe(1);
    expect((error as { cause?: unknown }).cause).toBeInstanceOf(UnknownObjectError);
    expect(heap.size).toBe(2);
  });

  it("the builder refuses what it can check: bad types, forward references, non-ids", () => {
    const s = new OpStream();
    expect(() => s.new("constructor" as never)).toThrow(InvalidArgumentError);
    expect(() => s.new("obj", { resurrect: true })).toThrow(InvalidArgumentError);
    expect(() => s.addRef(RESULT_BIT + 5, 16)).toThrow(/refers to op 5, which is not written yet/);
    expect(() => s.bind(-1)).toThrow(InvalidArgumentError);
    expect(() => s.bind(2 ** 32 + 16)).toThrow(InvalidArgumentError);
    expect(() => s.collect(3)).toThrow(InvalidArgumentError);
    expect(s.length).toBe(0);
  });

  it("a collection op's result is what gc.collect() returned; results map refs to ids", () => {
    const heap = new Heap({ startupObjects: 0 });
    const s = new OpStream();
    const a = s.new("list"), b = s.new("list");
    s.addRef(a, b); s.addRef(b, a); s.unbind(a); s.unbind(b);
    const c = s.collect();
    const r = heap.runOps(s);
    expect(r.id(c)).toBe(2);
    expect(r.id(a)).toBeGreaterThanOrEqual(16);
    expect(heap.exists(r.id(a))).toBe(false);
  });
});
