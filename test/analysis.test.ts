// Heap analyses (src/analysis.ts over assembly/analysis/): whyAlive, reachability,
// cycles (SCCs), dominators and retained sizes, counts by type, growth.
// Exact results on small hand-made graphs, a randomized comparison with naive
// pure-TS references on ~300-object heaps, and (release build) a 1,000,000-object,
// 4,000,000-reference heap checked against independent algorithms.
import { describe, expect, it } from "vitest";
import { Heap, DEBUG_SAVEALL } from "../src/heap.js";
import { growth, type Source, type TypeCount } from "../src/analysis.js";
import { InvalidArgumentError, OutOfMemoryError, UnknownObjectError } from "../src/errors.js";
import { BUILDS, makeHeap } from "./helpers.js";
import { mulberry32, snapshot } from "./helpers/util.js";
import { buildReach, drawTargets, REFS_PER_NODE } from "../bench/shapes.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const DATA = join(dirname(fileURLToPath(import.meta.url)), "data");

const ALL: Source[] = ["roots", "leaks", "garbage", "resurrected"];

/** Objects with references `edges` ([from, to] by name), all bound; then only `bound` keep their binding. */
function graph(heap: Heap, names: string[], edges: [string, string][], bound: string[]): Record<string, number> {
  const id: Record<string, number> = {};
  for (const n of names) id[n] = heap.newObject("obj");
  for (const [a, b] of edges) heap.addRef(id[a], id[b]);
  for (const n of names) if (!bound.includes(n)) heap.unbind(id[n]);
  return id;
}

// ── naive references ─────────────────────────────────────────────────────────
interface Model {
  live: number[];
  succ: Map<number, number[]>;
  size: Map<number, number>;
  sources: (which: readonly Source[]) => number[];
}

function model(heap: Heap, candidates: Iterable<number>, leaked: Set<number>): Model {
  const live = [...new Set(candidates)].filter((x) => x >= 16 && heap.exists(x)).sort((a, b) => a - b);
  const succ = new Map<number, number[]>();
  const size = new Map<number, number>();
  for (const x of live) {
    succ.set(x, heap.getReferents(x).filter((r) => r >= 16));
    size.set(x, heap.sizeOf(x));
  }
  const garbage = heap.garbage, resurrected = heap.resurrected;
  return {
    live, succ, size,
    sources(which) {
      const s = new Set<number>();
      for (const x of live) {
        if (which.includes("roots") && heap.rootCount(x) > 0) s.add(x);
        if (which.includes("leaks") && leaked.has(x)) s.add(x);
      }
      if (which.includes("garbage")) garbage.forEach((x) => s.add(x));
      if (which.includes("resurrected")) resurrected.forEach((x) => s.add(x));
      return [...s];
    },
  };
}

/** BFS distances from the sources; `without` is treated as removed. */
function distances(m: Model, sources: number[], without = -1): Map<number, number> {
  const dist = new Map<number, number>();
  let level = sources.filter((s) => s !== without);
  level.forEach((s) => dist.set(s, 0));
  for (let d = 1; level.length; d++) {
    const next: number[] = [];
    for (const x of level) {
      for (const r of m.succ.get(x)!) {
        if (r === without || dist.has(r)) continue;
        dist.set(r, d);
        next.push(r);
      }
    }
    level = next;
  }
  return dist;
}

/** Dominators by definition: d dominates x when removing d makes x unreachable. */
function naiveDominators(m: Model, sources: number[]): { idom: Map<number, number | null>; retained: Map<number, number> } {
  const reached = distances(m, sources);
  const doms = new Map<number, Set<number>>(); // x → its dominators, itself included
  for (const x of reached.keys()) doms.set(x, new Set([x]));
  for (const d of reached.keys()) {
    const without = distances(m, sources, d);
    for (const x of reached.keys()) if (x !== d && !without.has(x)) doms.get(x)!.add(d);
  }
  const idom = new Map<number, number | null>();
  const retained = new Map<number, number>();
  for (const [x, ds] of doms) {
    // the strict dominator that all the others dominate: the one with the most dominators
    let best: number | null = null;
    for (const d of ds) if (d !== x && (best === null || doms.get(d)!.size > doms.get(best)!.size)) best = d;
    idom.set(x, best);
    for (const d of ds) retained.set(d, (retained.get(d) ?? 0) + m.size.get(x)!);
  }
  return { idom, retained };
}

/** Cycles among `ids` by mutual reachability inside the induced subgraph. */
function naiveCycles(m: Model, ids: number[]): number[][] {
  const inSet = new Set(ids);
  const reach = new Map<number, Set<number>>();
  for (const x of ids) {
    const seen = new Set<number>();
    const stack = [...m.succ.get(x)!.filter((r) => inSet.has(r))];
    while (stack.length) {
      const y = stack.pop()!;
      if (seen.has(y)) continue;
      seen.add(y);
      for (const r of m.succ.get(y)!) if (inSet.has(r)) stack.push(r);
    }
    reach.set(x, seen);
  }
  const done = new Set<number>();
  const out: number[][] = [];
  for (const x of ids) {
    if (done.has(x)) continue;
    const comp = ids.filter((y) => y === x || (reach.get(x)!.has(y) && reach.get(y)!.has(x)));
    comp.forEach((y) => done.add(y));
    if (comp.length > 1 || reach.get(x)!.has(x) && m.succ.get(x)!.includes(x)) out.push(comp);
  }
  return out;
}

/** A random heap of ~n objects: mixed types and sizes, leaks, tuples, a few roots; optionally a DEBUG_SAVEALL collection. */
function randomHeap(build: (typeof BUILDS)[number], seed: number, n = 300) {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const { heap } = makeHeap(build, { python: "3.11" });
  const ids: number[] = [];
  const containers: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = pick(["obj", "obj", "obj", "list", "dict", "fin", "int", "str"] as const);
    const x = heap.newObject(t);
    ids.push(x);
    if (t !== "int" && t !== "str") containers.push(x);
    if (rnd() < 0.5) heap.setSizeOf(x, 16 + Math.floor(rnd() * 1000));
  }
  for (const x of containers) {
    const k = Math.floor(rnd() * 4);
    for (let j = 0; j < k; j++) heap.addRef(x, rnd() < 0.03 ? x : pick(ids));
  }
  for (let j = 0; j < n / 30; j++) ids.push(heap.newTuple([pick(ids), Heap.INT_LITERAL, pick(ids)]));
  const leaked = new Set<number>();
  for (let j = 0; j < n / 50; j++) { const x = pick(ids); heap.incref(x); leaked.add(x); }
  const order = [...ids].sort(() => rnd() - 0.5);
  for (const x of order) if (rnd() > 0.04 && heap.exists(x) && heap.rootCount(x) > 0) heap.unbind(x);
  if (seed % 2 === 0) {
    heap.setDebug(DEBUG_SAVEALL);
    heap.collect();
  }
  return { heap, ids, leaked };
}

describe.each(BUILDS)("heap analyses (%s build)", (build) => {
  // ── whyAlive and reachability ────────────────────────────────────────────
  describe("whyAlive", () => {
    it("gives the shortest chain of references from a root, root first", () => {
      const { heap } = makeHeap(build);
      const id = graph(heap, ["r", "a", "b", "c", "d"], [["r", "a"], ["a", "b"], ["b", "c"], ["r", "d"], ["d", "c"]], ["r"]);
      expect(heap.analysis.whyAlive(id.c)).toEqual([id.r, id.d, id.c]);
      expect(heap.analysis.whyAlive(id.b)).toEqual([id.r, id.a, id.b]);
      expect(heap.analysis.whyAlive(id.r)).toEqual([id.r]);
    });

    it("between equally short chains takes the lowest-id predecessor at each step", () => {
      const { heap } = makeHeap(build);
      // two roots, each with a 2-step chain to t; the middle objects are created in reverse order
      const id = graph(heap, ["r1", "r2", "m2", "m1", "t"], [["r2", "m2"], ["r1", "m1"], ["m2", "t"], ["m1", "t"]], ["r1", "r2"]);
      expect(id.m2).toBeLessThan(id.m1);
      expect(heap.analysis.whyAlive(id.t)).toEqual([id.r2, id.m2, id.t]);
    });

    it("explains a leaked object by a chain from the leaking reference; null from the roots alone", () => {
      const { heap } = makeHeap(build);
      const a = heap.newObject("obj"), b = heap.newObject("list"), c = heap.newObject("dict");
      heap.addRef(a, b);
      heap.addRef(b, c);
      heap.incref(a); // a C extension's Py_INCREF without DECREF
      heap.unbind(a); heap.unbind(b); heap.unbind(c);
      expect(heap.analysis.whyAlive(c)).toEqual([a, b, c]);
      expect(heap.analysis.whyAlive(c, { sources: ["leaks"] })).toEqual([a, b, c]);
      expect(heap.analysis.whyAlive(c, { sources: ["roots"] })).toBeNull();
      expect(heap.analysis.unreachableFromRoots()).toEqual([a, b, c]);
      expect(heap.analysis.unreachableFromRoots({ sources: ["roots", "leaks"] })).toEqual([]);
      expect(heap.analysis.cycles()).toEqual([]); // leaked, not cyclic garbage
    });

    it("is null for cyclic trash the collector has not freed yet", () => {
      const { heap } = makeHeap(build);
      const ring = heap.chain("obj", 3, { ring: true });
      heap.unbind(ring[0]);
      for (const x of ring) expect(heap.analysis.whyAlive(x)).toBeNull();
      expect(heap.analysis.reachability()).toEqual({ sources: 0, reached: 0, unreachable: [...ring].sort((x, y) => x - y) });
    });

    it("finds objects kept by gc.garbage (legacy finalizers under 2.7) and the resurrection list", () => {
      const { heap } = makeHeap(build, { python: "2.7" });
      // f has a legacy __del__: the cycle f → a → b → f is uncollectable; b also holds tail
      const f = heap.newObject("fin");
      const id = graph(heap, ["a", "b", "tail"], [["a", "b"], ["b", "tail"]], ["a", "b", "tail"]);
      heap.addRef(f, id.a);
      heap.addRef(id.b, f);
      heap.unbindMany([f, id.a, id.b, id.tail]);
      heap.collect();
      expect(heap.garbage).toEqual([f]);
      expect(heap.analysis.whyAlive(id.tail)).toEqual([f, id.a, id.b, id.tail]);
      expect(heap.analysis.whyAlive(id.tail, { sources: ["roots", "leaks", "resurrected"] })).toBeNull();
      expect(heap.analysis.reachability({ sources: ["garbage"] })).toEqual({ sources: 1, reached: 4, unreachable: [] });
      expect(heap.analysis.cycles()).toEqual([[f, id.a, id.b]]);

      const { heap: h2 } = makeHeap(build, { python: "3.11" });
      const z = h2.newObject("fin", { resurrect: true });
      const kept = h2.newObject("list");
      h2.addRef(z, kept);
      h2.unbind(kept);
      h2.unbind(z); // __del__ stores self in the resurrection list
      expect(h2.resurrected).toEqual([z]);
      expect(h2.analysis.whyAlive(kept)).toEqual([z, kept]);
      expect(h2.analysis.whyAlive(kept, { sources: ["roots"] })).toBeNull();
    });

    it("pathToAny: the chain to the nearest of several objects", () => {
      const { heap } = makeHeap(build);
      const id = graph(heap, ["r", "a", "b", "c", "x"], [["r", "a"], ["a", "b"], ["b", "c"], ["r", "x"]], ["r"]);
      expect(heap.analysis.pathToAny([id.c, id.b])).toEqual([id.r, id.a, id.b]);
      expect(heap.analysis.pathToAny([id.c, id.x])).toEqual([id.r, id.x]);
      expect(heap.analysis.pathToAny([])).toBeNull();
      expect(() => heap.analysis.pathToAny([id.c, 1 << 20])).toThrow(/ids\[1\] 1048576 does not name a live object/);
    });
  });

  // ── cycles ───────────────────────────────────────────────────────────────
  describe("cycles", () => {
    it("lists the strongly connected components that are cycles, in input order", () => {
      const { heap } = makeHeap(build);
      const id = graph(heap, ["a", "b", "c", "d", "e", "s", "t", "u"], [
        ["a", "b"], ["b", "c"], ["c", "a"],   // a 3-cycle
        ["c", "d"],                           // d hangs off it
        ["d", "e"], ["e", "d"],               // a 2-cycle
        ["s", "s"],                           // a self-reference
        ["t", "u"],                           // no cycle
      ], ["t"]);
      const all = Object.values(id);
      expect(heap.analysis.cycles(all)).toEqual([[id.a, id.b, id.c], [id.d, id.e], [id.s]]);
      expect(heap.analysis.cycles([id.e, id.c, id.b, id.a, id.d, id.c])).toEqual([[id.e, id.d], [id.c, id.b, id.a]]);
      // the subgraph the ids induce: without b there is no 3-cycle
      expect(heap.analysis.cycles([id.a, id.c, id.d, id.e])).toEqual([[id.d, id.e]]);
      expect(heap.analysis.cycles([])).toEqual([]);
      // default: among what no root reaches (t is bound and u hangs off it)
      expect(heap.analysis.unreachableFromRoots()).toEqual([id.a, id.b, id.c, id.d, id.e, id.s]);
      expect(heap.analysis.cycles()).toEqual([[id.a, id.b, id.c], [id.d, id.e], [id.s]]);
      heap.collect();
      expect(heap.analysis.cycles()).toEqual([]);
    });

    it("finds a million-long ring without recursion", () => {
      const { heap } = makeHeap(build);
      const n = build === "release" ? 1_000_000 : 100_000;
      const ring = heap.chain("list", n, { ring: true });
      heap.unbind(ring[0]);
      const cycles = heap.analysis.cycles();
      expect(cycles.length).toBe(1);
      expect(cycles[0].length).toBe(n);
      expect(heap.analysis.whyAlive(ring[n - 1])).toBeNull();
    });
  });

  // ── dominators and retained sizes ────────────────────────────────────────
  describe("dominators and retained sizes", () => {
    // The flow graph of Lengauer & Tarjan (1979), figure 1, with R bound.
    const LT_EDGES: [string, string][] = [
      ["R", "A"], ["R", "B"], ["R", "C"], ["A", "D"], ["B", "A"], ["B", "D"], ["B", "E"], ["C", "F"], ["C", "G"],
      ["D", "L"], ["E", "H"], ["F", "I"], ["G", "I"], ["G", "J"], ["H", "E"], ["H", "K"], ["I", "K"], ["J", "I"],
      ["K", "I"], ["K", "R"], ["L", "H"],
    ];
    const LT_IDOM: Record<string, string | null> = {
      R: null, A: "R", B: "R", C: "R", D: "R", E: "R", F: "C", G: "C", H: "R", I: "R", J: "G", K: "R", L: "D",
    };
    const LT_NAMES = Object.keys(LT_IDOM);

    it("the dominator tree of Lengauer & Tarjan's example and its retained sizes", () => {
      const { heap } = makeHeap(build);
      const id = graph(heap, LT_NAMES, LT_EDGES, ["R"]);
      for (const n of LT_NAMES) {
        const d = LT_IDOM[n];
        expect(heap.analysis.immediateDominator(id[n]), n).toBe(d === null ? null : id[d]);
      }
      const obj = 160;
      const retained: Record<string, number> = { R: 13 * obj, C: 4 * obj, G: 2 * obj, D: 2 * obj };
      for (const n of LT_NAMES) expect(heap.analysis.retainedSize(id[n]), n).toBe(retained[n] ?? obj);
      expect(heap.analysis.reachableBytes()).toBe(13 * obj);
      expect(heap.analysis.topRetainers(4)).toEqual([
        { id: id.R, retained: 13 * obj, size: obj, type: "obj" },
        { id: id.C, retained: 4 * obj, size: obj, type: "obj" },
        { id: id.D, retained: 2 * obj, size: obj, type: "obj" },
        { id: id.G, retained: 2 * obj, size: obj, type: "obj" },
      ]);
      expect(heap.analysis.topRetainers(100).length).toBe(13);
      expect(heap.analysis.topRetainers(0)).toEqual([]);
    });

    it("retained sizes add up: each is the own size plus those of the objects it immediately dominates", () => {
      const { heap } = makeHeap(build);
      const id = graph(heap, LT_NAMES, LT_EDGES, ["R", "G"]);
      LT_NAMES.forEach((n, i) => heap.setSizeOf(id[n], 10 * (i + 1)));
      const a = heap.analysis;
      const children = new Map<number, number[]>();
      for (const n of LT_NAMES) {
        const d = a.immediateDominator(id[n]);
        if (d !== null) children.set(d, [...(children.get(d) ?? []), id[n]]);
      }
      let top = 0;
      for (const n of LT_NAMES) {
        const x = id[n];
        const sum = heap.sizeOf(x) + (children.get(x) ?? []).reduce((s, c) => s + a.retainedSize(c)!, 0);
        expect(a.retainedSize(x), n).toBe(sum);
        if (a.immediateDominator(x) === null) top += a.retainedSize(x)!;
      }
      expect(top).toBe(a.reachableBytes());
      expect(a.reachableBytes()).toBe(LT_NAMES.reduce((s, n) => s + heap.sizeOf(id[n]), 0));
      // G is bound now, so C no longer dominates G, J
      expect(a.immediateDominator(id.G)).toBeNull();
      expect(a.retainedSize(id.C)).toBe(heap.sizeOf(id.C) + heap.sizeOf(id.F));
    });

    it("is recomputed after the heap changes (references, bindings, sizes)", () => {
      const { heap } = makeHeap(build);
      const id = graph(heap, ["r", "a", "b"], [["r", "a"], ["a", "b"]], ["r"]);
      const a = heap.analysis;
      expect(a.retainedSize(id.a)).toBe(320);
      expect(a.immediateDominator(id.b)).toBe(id.a);
      heap.addRef(id.r, id.b);
      expect(a.retainedSize(id.a)).toBe(160);
      expect(a.immediateDominator(id.b)).toBe(id.r);
      heap.setSizeOf(id.b, 1000);
      expect(a.retainedSize(id.r)).toBe(1320);
      heap.bind(id.b);
      expect(a.immediateDominator(id.b)).toBeNull();
      expect(a.retainedSize(id.b, { sources: ["leaks"] })).toBeNull(); // nothing leaks: nothing reached
      expect(a.retainedSize(id.r)).toBe(320);
      const c = heap.newObject("obj");
      expect(a.retainedSize(c)).toBe(160);
      heap.unbind(c);
      expect(heap.exists(c)).toBe(false);
      expect(() => a.retainedSize(c)).toThrow(UnknownObjectError);
      a.release();
      expect(a.retainedSize(id.r)).toBe(320);
    });

    it("an object no source reaches has no retained size (null)", () => {
      const { heap } = makeHeap(build);
      const ring = heap.chain("obj", 2, { ring: true });
      heap.unbind(ring[0]);
      expect(heap.analysis.retainedSize(ring[0])).toBeNull();
      expect(heap.analysis.immediateDominator(ring[0])).toBeNull();
      expect(heap.analysis.topRetainers(5)).toEqual([]);
      expect(heap.analysis.reachableBytes()).toBe(0);
    });
  });

  // ── counts by type, growth ───────────────────────────────────────────────
  describe("countsByType and growth", () => {
    it("counts live objects and bytes per type, after creating and freeing", () => {
      const { heap } = makeHeap(build);
      const before = heap.analysis.countsByType();
      expect(before).toEqual([]);
      const objs = heap.newObjects("obj", 5);
      const l = heap.newObject("list");
      heap.addRef(l, objs[0]);
      heap.addRef(l, objs[1]);
      const t = heap.newTuple([objs[2], Heap.INT_LITERAL]);
      heap.newObject("str");
      heap.newWeakref(objs[3]);
      const mid = heap.analysis.countsByType();
      expect(mid).toEqual([
        { type: "obj", count: 5, bytes: 5 * 160 },
        { type: "list", count: 1, bytes: 56 + 2 * 8 },
        { type: "str", count: 1, bytes: 50 },
        { type: "tuple", count: 1, bytes: 40 + 2 * 8 },
        { type: "weakref", count: 1, bytes: 72 },
      ]);
      expect(mid.reduce((s, c) => s + c.count, 0)).toBe(heap.size);
      expect(mid.reduce((s, c) => s + c.bytes, 0)).toBe(heap.lab.getBytes().live);
      heap.unbind(l);
      heap.unbind(t);
      heap.unbindMany(objs.slice(0, 3));
      const after = heap.analysis.countsByType();
      expect(after).toEqual([
        { type: "obj", count: 2, bytes: 2 * 160 },
        { type: "str", count: 1, bytes: 50 },
        { type: "weakref", count: 1, bytes: 72 },
      ]);
      // largest count increase first, then bytes, then name
      expect(growth(mid, after)).toEqual([
        { type: "tuple", count: 0, bytes: 0, countDelta: -1, bytesDelta: -56 },
        { type: "list", count: 0, bytes: 0, countDelta: -1, bytesDelta: -72 },
        { type: "obj", count: 2, bytes: 320, countDelta: -3, bytesDelta: -480 },
      ]);
      expect(growth(before, mid).map((g) => [g.type, g.countDelta, g.bytesDelta])).toEqual([
        ["obj", 5, 800], ["list", 1, 72], ["weakref", 1, 72], ["tuple", 1, 56], ["str", 1, 50],
      ]);
      expect(growth(after, after)).toEqual([]);
    });

    it("a size change alone shows in growth", () => {
      const { heap } = makeHeap(build);
      const x = heap.newObject("dict");
      const a = heap.analysis.countsByType();
      heap.setSizeOf(x, 1000);
      expect(growth(a, heap.analysis.countsByType())).toEqual([{ type: "dict", count: 1, bytes: 1000, countDelta: 0, bytesDelta: 936 }]);
    });
  });

  // ── arguments, memory, no side effects ───────────────────────────────────
  describe("arguments and memory", () => {
    it("rejects bad arguments with typed errors naming them", () => {
      const { heap } = makeHeap(build);
      const x = heap.newObject("obj");
      const a = heap.analysis;
      expect(() => a.whyAlive(12345)).toThrow(UnknownObjectError);
      expect(() => a.whyAlive(12345)).toThrow(/whyAlive: id 12345 does not name a live object/);
      expect(() => a.whyAlive(-1)).toThrow(InvalidArgumentError);
      expect(() => a.whyAlive(1.5)).toThrow(InvalidArgumentError);
      expect(() => a.whyAlive(Heap.EMPTY_TUPLE)).toThrow(/immortal singleton/);
      expect(() => a.retainedSize(Heap.INT_LITERAL)).toThrow(/immortal singleton/);
      expect(() => a.whyAlive(x, { sources: ["roots", "bogus" as Source] })).toThrow(/unknown source "bogus"/);
      expect(() => a.whyAlive(x, { sources: "roots" as unknown as Source[] })).toThrow(InvalidArgumentError);
      expect(() => a.whyAlive(x, { sources: ["toString" as Source] })).toThrow(InvalidArgumentError);
      expect(() => a.cycles([x, 777])).toThrow(/cycles: ids\[1\] 777 does not name a live object/);
      expect(() => a.cycles([x, -3])).toThrow(/ids\[1\] must be an object id/);
      expect(() => a.cycles("x" as unknown as number[])).toThrow(InvalidArgumentError);
      expect(() => a.cycles([x], { sources: ["roots"] })).toThrow(/sources apply only when no ids are given/);
      expect(() => a.topRetainers(-1)).toThrow(InvalidArgumentError);
      expect(() => a.topRetainers(2.5)).toThrow(InvalidArgumentError);
      expect(() => growth("x" as unknown as TypeCount[], [])).toThrow(/before must be a countsByType\(\) result/);
      expect(() => growth([], [{ type: "obj" } as TypeCount])).toThrow(/after\[0\]/);
      expect(a.whyAlive(x, { sources: [] })).toBeNull();
    });

    it("changes nothing in the heap, and frees all its scratch memory", () => {
      const { heap, ids, leaked } = randomHeap(build, 7, 400);
      const before = snapshot(heap, ids);
      const a = heap.analysis;
      const run = () => {
        for (const x of ids.slice(0, 20)) if (heap.exists(x) && x >= 16) a.whyAlive(x);
        a.reachability({ sources: ALL });
        a.cycles();
        a.cycles(ids.filter((x) => heap.exists(x)));
        a.pathToAny(ids.filter((x) => heap.exists(x)).slice(0, 10));
        a.release();
        a.topRetainers(10);
        a.countsByType();
      };
      run();
      const mem = heap.debug.memoryBytes();
      for (let i = 0; i < 5; i++) run();
      expect(heap.debug.memoryBytes()).toBe(mem);
      expect(snapshot(heap, ids)).toEqual(before);
      heap.debug.checkInvariants();
      expect(leaked.size).toBeGreaterThan(0);
    });

    it("reports OutOfMemoryError when its scratch memory cannot be had, with the heap unchanged", () => {
      const make = (limit?: number) => {
        const heap = new Heap({ build, memoryLimitBytes: limit });
        heap.disable();
        const ids = heap.newObjects("obj", 50_000);
        const from = new Uint32Array(ids.length), to = new Uint32Array(ids.length);
        ids.forEach((x, i) => { from[i] = x; to[i] = ids[(i * 7 + 1) % ids.length]; });
        heap.addRefs(from, to);
        heap.unbindMany(ids.filter((_, i) => i % 10 !== 0));
        return heap;
      };
      const need = make().debug.memoryBytes();
      const heap = make(need + 65536); // what building left free (holes, 64 KiB) is too little
      const before = snapshot(heap);
      const all = heap.getObjects();
      const top = heap.debug.memoryBytes();
      expect(() => heap.analysis.whyAlive(all[5])).toThrow(OutOfMemoryError);
      expect(() => heap.analysis.retainedSize(all[0])).toThrow(OutOfMemoryError);
      expect(() => heap.analysis.topRetainers(3)).toThrow(OutOfMemoryError);
      expect(() => heap.analysis.cycles()).toThrow(OutOfMemoryError);
      expect(() => heap.analysis.cycles(all)).toThrow(OutOfMemoryError);
      expect(heap.debug.memoryBytes()).toBe(top); // every scratch block given back
      expect(snapshot(heap)).toEqual(before);
      heap.debug.checkInvariants();
      expect(heap.analysis.countsByType()).toEqual([{ type: "obj", count: heap.size, bytes: 160 * heap.size }]);
    });
  });

  // ── real Python heaps (test/data, dumped by python/pygcsim_dump.py) ───────
  describe("loaded Python heaps", () => {
    const dumps = existsSync(DATA) ? readdirSync(DATA).filter((f) => /^heap-.*\.jsonl\.gz$/.test(f)) : [];
    it.each(dumps)("%s: what no root reaches is what CPython's gc.collect() found; names are the loaded types", (file) => {
      const heap = Heap.fromDump(join(DATA, file), { build });
      const expected = JSON.parse(readFileSync(join(DATA, file.replace(".jsonl.gz", ".expected.json")), "utf8"));
      const a = heap.analysis;
      const byType: Record<string, number> = {};
      for (const x of a.unreachableFromRoots()) {
        if (heap.isTracked(x)) byType[heap.typeNameOf(x)] = (byType[heap.typeNameOf(x)] ?? 0) + 1; // CPython examines tracked objects only
      }
      expect(byType).toEqual(expected.garbage_by_type);
      const counts = a.countsByType();
      expect(counts.reduce((s, c) => s + c.count, 0)).toBe(heap.size);
      expect(counts.reduce((s, c) => s + c.bytes, 0)).toBe(heap.lab.getBytes().live);
      expect(counts.map((c) => c.type)).toContain("function");
      for (const t of a.topRetainers(20)) expect(t.type).toBe(heap.typeNameOf(t.id));
      for (const c of a.cycles()) for (const x of c) expect(a.whyAlive(x, { sources: ["roots"] })).toBeNull();
    });
  });

  // ── randomized: against naive references ─────────────────────────────────
  describe("random heaps against naive references", () => {
    const SEEDS = build === "release" ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [1, 2, 3, 4, 5, 6];
    it.each(SEEDS)("seed %i: reachability, whyAlive, cycles, dominators, retained sizes, counts", (seed) => {
      const { heap, ids, leaked } = randomHeap(build, seed);
      const m = model(heap, ids, leaked);
      const a = heap.analysis;
      const choices: Source[][] = [ALL, ["roots"], ["roots", "leaks"], ["garbage", "resurrected"]];
      for (const which of choices) {
        const sources = m.sources(which);
        const dist = distances(m, sources);
        // reachability
        const r = a.reachability({ sources: which });
        expect(r.unreachable).toEqual(m.live.filter((x) => !dist.has(x)));
        expect(r.reached).toBe(dist.size);
        expect(r.sources).toBe(sources.length);
        // whyAlive: shortest, valid, lowest-id predecessors
        for (const x of m.live) {
          const p = a.whyAlive(x, { sources: which });
          if (!dist.has(x)) { expect(p).toBeNull(); continue; }
          expect(p!.length).toBe(dist.get(x)! + 1);
          expect(sources).toContain(p![0]);
          expect(p![p!.length - 1]).toBe(x);
          for (let i = 1; i < p!.length; i++) {
            const preds = m.live.filter((y) => dist.get(y) === i - 1 && m.succ.get(y)!.includes(p![i]));
            expect(p![i - 1]).toBe(Math.min(...preds));
          }
        }
        // dominators and retained sizes
        const { idom, retained } = naiveDominators(m, sources);
        for (const x of m.live) {
          expect(a.immediateDominator(x, { sources: which }), `idom ${x}`).toBe(dist.has(x) ? idom.get(x) : null);
          expect(a.retainedSize(x, { sources: which }), `retained ${x}`).toBe(dist.has(x) ? retained.get(x) : null);
        }
        const top = [...retained].sort((p, q) => q[1] - p[1] || p[0] - q[0]).slice(0, 10);
        expect(a.topRetainers(10, { sources: which }).map((t) => [t.id, t.retained, t.size])).toEqual(
          top.map(([x, s]) => [x, s, m.size.get(x)]));
        expect(a.reachableBytes({ sources: which })).toBe([...dist.keys()].reduce((s, x) => s + m.size.get(x)!, 0));
      }
      // cycles: of everything, of a shuffled subset, and of what no root reaches
      expect(a.cycles(m.live)).toEqual(naiveCycles(m, m.live));
      const rnd = mulberry32(seed * 31);
      const subset = m.live.filter(() => rnd() < 0.7).sort(() => rnd() - 0.5);
      expect(a.cycles(subset)).toEqual(naiveCycles(m, subset));
      const orphans = m.live.filter((x) => !distances(m, m.sources(["roots"])).has(x));
      expect(a.cycles()).toEqual(naiveCycles(m, orphans));
      // counts by type
      const counts = new Map<string, { count: number; bytes: number }>();
      for (const x of m.live) {
        const c = counts.get(heap.typeOf(x)) ?? { count: 0, bytes: 0 };
        c.count++;
        c.bytes += heap.sizeOf(x);
        counts.set(heap.typeOf(x), c);
      }
      expect(new Map(a.countsByType().map((c) => [c.type, { count: c.count, bytes: c.bytes }]))).toEqual(counts);
      expect(m.live.length).toBe(heap.size);
    });
  });

  // ── a million objects, four million references ───────────────────────────
  describe.runIf(build === "release")("1,000,000 objects × 4 references", () => {
    const N = 1_000_000;
    it("reachability, whyAlive, dominators and retained sizes agree with independent algorithms", () => {
      const targets = drawTargets(N, 7);
      const { heap, ids } = buildReach(N, targets);
      heap.unbindMany(ids.filter((_, i) => i % 100 !== 0)); // 1% stay bound
      // the graph by index, from what was built (a freed node's references are gone)
      const live = new Uint8Array(N);
      const byId = new Int32Array(N + 64).fill(-1);
      for (let i = 0; i < N; i++) if (heap.exists(ids[i])) { live[i] = 1; byId[ids[i]] = i; }
      const index = { get: (id: number) => byId[id] };
      const succ = (i: number) => targets.subarray(i * REFS_PER_NODE, (i + 1) * REFS_PER_NODE);
      const sources: number[] = [];
      for (let i = 0; i < N; i += 100) sources.push(i);
      // BFS distances by index
      const dist = new Int32Array(N).fill(-1);
      let level = sources;
      sources.forEach((i) => (dist[i] = 0));
      for (let d = 1; level.length; d++) {
        const next: number[] = [];
        for (const i of level) for (const j of succ(i)) if (dist[j] < 0) { dist[j] = d; next.push(j); }
        level = next;
      }
      let reached = 0;
      for (let i = 0; i < N; i++) if (dist[i] >= 0) reached++;
      const r = heap.analysis.reachability();
      expect(r.sources).toBe(sources.length);
      expect(r.reached).toBe(reached);
      expect(r.unreachable.length).toBe(heap.size - reached);
      expect(r.unreachable.filter((x) => dist[index.get(x)!] !== -1)).toEqual([]);
      const rnd = mulberry32(3);
      for (let k = 0; k < 20; k++) {
        const i = Math.floor(rnd() * N);
        if (!live[i]) continue;
        const p = heap.analysis.whyAlive(ids[i]);
        if (dist[i] < 0) { expect(p).toBeNull(); continue; }
        expect(p!.length).toBe(dist[i] + 1);
        expect(index.get(p![0])! % 100).toBe(0);
        for (let s = 1; s < p!.length; s++) expect([...succ(index.get(p![s - 1])!)]).toContain(index.get(p![s]));
      }

      // dominators by Cooper, Harvey & Kennedy's iterative algorithm (node 0: the virtual root; i + 1: index i)
      const V = N + 1;
      const po = new Int32Array(V).fill(-1); // postorder number
      const rpo: number[] = [];
      {
        const stackNode = new Int32Array(V), stackPos = new Int32Array(V);
        const seen = new Uint8Array(V);
        let sp = 0;
        stackNode[0] = 0; stackPos[0] = 0; sp = 1; seen[0] = 1;
        let counter = 0;
        const post: number[] = [];
        while (sp > 0) {
          const v = stackNode[sp - 1];
          const k = stackPos[sp - 1];
          if (k < (v === 0 ? sources.length : REFS_PER_NODE)) {
            stackPos[sp - 1]++;
            const w = v === 0 ? sources[k] + 1 : targets[(v - 1) * REFS_PER_NODE + k] + 1;
            if (!seen[w]) { seen[w] = 1; stackNode[sp] = w; stackPos[sp] = 0; sp++; }
          } else {
            po[v] = counter++;
            post.push(v);
            sp--;
          }
        }
        for (let k = post.length - 1; k >= 0; k--) rpo.push(post[k]);
      }
      // predecessors as CSR: of b at pred[first[b] … first[b + 1])
      const first = new Int32Array(V + 1);
      for (const i of sources) first[i + 2]++;
      for (let i = 0; i < N; i++) if (po[i + 1] >= 0) for (const j of succ(i)) first[j + 2]++;
      for (let b = 1; b <= V; b++) first[b] += first[b - 1];
      const pred = new Int32Array(first[V]);
      const fill = first.slice();
      for (const i of sources) pred[fill[i + 1]++] = 0;
      for (let i = 0; i < N; i++) if (po[i + 1] >= 0) for (const j of succ(i)) pred[fill[j + 1]++] = i + 1;
      const idom = new Int32Array(V).fill(-1);
      idom[0] = 0;
      const intersect = (a: number, b: number) => {
        while (a !== b) {
          while (po[a] < po[b]) a = idom[a];
          while (po[b] < po[a]) b = idom[b];
        }
        return a;
      };
      for (let changed = true; changed;) {
        changed = false;
        for (const b of rpo) {
          if (b === 0) continue;
          let d = -1;
          for (let q = first[b]; q < first[b + 1]; q++) {
            const p = pred[q];
            if (idom[p] >= 0) d = d < 0 ? p : intersect(p, d);
          }
          if (idom[b] !== d) { idom[b] = d; changed = true; }
        }
      }
      const retained = new Float64Array(V);
      for (const b of rpo) if (b > 0) retained[b] = 160;
      for (let k = rpo.length - 1; k > 0; k--) retained[idom[rpo[k]]] += retained[rpo[k]];

      expect(rpo.length - 1).toBe(reached);
      const all = heap.analysis.topRetainers(N);
      expect(all.length).toBe(reached);
      expect(all.filter((t) => t.retained !== retained[index.get(t.id)! + 1])).toEqual([]);
      let unordered = 0;
      for (let k = 1; k < all.length; k++) if (all[k - 1].retained < all[k].retained) unordered++;
      expect(unordered).toBe(0);
      expect(heap.analysis.reachableBytes()).toBe(retained[0]);
      for (let k = 0; k < 2000; k++) {
        const i = Math.floor(rnd() * N);
        if (po[i + 1] < 0) continue;
        const d = idom[i + 1];
        expect(heap.analysis.immediateDominator(ids[i])).toBe(d === 0 ? null : ids[d - 1]);
      }
    }, 300_000);

    it("the cycles of a million objects of cyclic garbage agree with Kosaraju's algorithm", () => {
      const targets = drawTargets(N, 11);
      const { heap, ids } = buildReach(N, targets);
      heap.unbindMany(ids); // what survives is cyclic garbage and what it holds
      const live = new Uint8Array(N);
      const byId = new Int32Array(N + 64).fill(-1);
      for (let i = 0; i < N; i++) if (heap.exists(ids[i])) { live[i] = 1; byId[ids[i]] = i; }
      const index = { get: (id: number) => byId[id] };
      const succ = (i: number) => targets.subarray(i * REFS_PER_NODE, (i + 1) * REFS_PER_NODE);
      // Kosaraju: finish order on the graph, then components on the reverse graph
      const order: number[] = [];
      {
        const seen = new Uint8Array(N);
        const stackNode = new Int32Array(N), stackPos = new Int32Array(N);
        for (let s = 0; s < N; s++) {
          if (!live[s] || seen[s]) continue;
          let sp = 1; stackNode[0] = s; stackPos[0] = 0; seen[s] = 1;
          while (sp > 0) {
            const v = stackNode[sp - 1];
            if (stackPos[sp - 1] < REFS_PER_NODE) {
              const w = targets[v * REFS_PER_NODE + stackPos[sp - 1]++];
              if (!seen[w]) { seen[w] = 1; stackNode[sp] = w; stackPos[sp] = 0; sp++; }
            } else { order.push(v); sp--; }
          }
        }
      }
      const revFirst = new Int32Array(N + 1);
      for (let i = 0; i < N; i++) if (live[i]) for (const j of succ(i)) revFirst[j + 1]++;
      for (let j = 0; j < N; j++) revFirst[j + 1] += revFirst[j];
      const revList = new Int32Array(revFirst[N]);
      const revFill = revFirst.slice();
      for (let i = 0; i < N; i++) if (live[i]) for (const j of succ(i)) revList[revFill[j]++] = i;
      const comp = new Int32Array(N).fill(-1);
      const compSize: number[] = [];
      const selfRef = (i: number) => [...succ(i)].includes(i);
      for (let k = order.length - 1; k >= 0; k--) {
        const s = order[k];
        if (comp[s] >= 0) continue;
        const c = compSize.length;
        let size = 0;
        const stack = [s];
        comp[s] = c;
        while (stack.length) {
          const v = stack.pop()!;
          size++;
          for (let q = revFirst[v]; q < revFirst[v + 1]; q++) {
            const u = revList[q];
            if (comp[u] < 0) { comp[u] = c; stack.push(u); }
          }
        }
        compSize.push(size);
      }
      const expected = new Map<number, number>(); // component → members in cycles
      let members = 0;
      for (let i = 0; i < N; i++) {
        if (!live[i]) continue;
        if (compSize[comp[i]] > 1 || selfRef(i)) { expected.set(comp[i], (expected.get(comp[i]) ?? 0) + 1); members++; }
      }
      const cycles = heap.analysis.cycles();
      expect(cycles.length).toBe(expected.size);
      expect(cycles.reduce((s, c) => s + c.length, 0)).toBe(members);
      let wrong = 0;
      for (const c of cycles) {
        const k = comp[index.get(c[0])!];
        if (c.length !== expected.get(k)) wrong++;
        for (let j = 0; j < c.length; j++) {
          if (comp[index.get(c[j])!] !== k) wrong++;
          if (j > 0 && !(c[j - 1] < c[j])) wrong++;
        }
      }
      expect(wrong).toBe(0);
      expect(heap.analysis.unreachableFromRoots().length).toBe(heap.size);
      const counts = heap.analysis.countsByType();
      expect(counts).toEqual([{ type: "obj", count: heap.size, bytes: 160 * heap.size }]);
    }, 300_000);
  });
});
