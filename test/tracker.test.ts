// The garbage tracker: what it finds (collected, uncollectable, leaked,
// resurrected, frozen, pending), that it counts only objects created in the
// region, that it restores the user's settings exactly, and that it leaves the
// heap exactly as a plain collect() would (nothing it found stays alive).
import { describe, expect, it } from "vitest";
import { DEBUG_COLLECTABLE, DEBUG_SAVEALL, DEBUG_STATS, Heap, type HeapEvent } from "../src/heap.js";
import { GarbageTracker, findingsOf, type Finding, type TrackerResult } from "../src/tracker/tracker.js";
import { bfs, leakCounts, liveIds, snapshot, unreachableFrom, type Source } from "../src/tracker/graph-helpers.js";
import { BUILDS, makeHeap } from "./helpers.js";

const ids = (fs: Finding[]) => fs.map((f) => f.id);
const pathIds = (p: { path: { id: number }[] }) => p.path.map((o) => o.id);
const counts = (r: TrackerResult) =>
  [r.collected.length, r.uncollectable.length, r.leaked.length, r.resurrected.length, r.frozen.length, r.pending.length];

/** Everything observable about a heap's state, to compare two runs. */
function state(heap: Heap) {
  const live = liveIds(heap);
  return {
    live: live.map((id) => [id, heap.serial(id), heap.refcount(id), heap.rootCount(id), heap.isTracked(id)]),
    garbage: heap.garbage,
    resurrected: heap.resurrected,
    count: heap.getCount(),
    threshold: heap.getThreshold(),
    enabled: heap.isEnabled(),
    debug: heap.getDebug(),
    stats: heap.profile.features.getStats ? heap.getStats() : null,
  };
}

describe.each(BUILDS)("GarbageTracker (%s build)", (build) => {
  it("a self-cycle created in the region is collected, with its cycle", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const t = new GarbageTracker(heap).start();
    const a = heap.newObject("obj");
    heap.addRef(a, a);
    heap.unbind(a);
    const r = t.stop();
    expect(counts(r)).toEqual([1, 0, 0, 0, 0, 0]);
    const f = r.collected[0];
    expect([f.id, f.type, f.category, f.collection]).toEqual([a, "obj", "collected", 0]);
    expect(f.why.kind).toBe("cycle");
    if (f.why.kind === "cycle") expect(pathIds(f.why.cycle)).toEqual([a, a]);
    expect(heap.exists(a)).toBe(false);
    expect(r.collections).toBe(1);
    expect(r.python).toBe("3.11.7");
  });

  it("what hangs off a cycle is collected with it, explained by the cycle that held it", () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    const t = new GarbageTracker(heap).start();
    const a = heap.newObject("obj"), b = heap.newObject("obj"), l = heap.newObject("list");
    heap.addRef(a, b);
    heap.addRef(b, a);
    heap.addRef(b, l);
    heap.unbindMany([a, b, l]);
    const r = t.stop();
    expect(ids(r.collected)).toEqual([a, b, l]);
    const why = r.collected[2].why;
    expect(why.kind).toBe("held-by-cycle");
    if (why.kind === "held-by-cycle") expect(pathIds(why.chain)).toEqual([b, l]);
    expect(r.collected[0].referents.map((o) => o.id)).toEqual([b]);
  });

  it("an object leaked with incref is leaked, and so is what it keeps alive, each with its chain", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const t = new GarbageTracker(heap).start();
    const a = heap.newObject("fin"), b = heap.newObject("obj"), c = heap.newObject("list");
    heap.addRef(a, b);
    heap.addRef(b, a);
    heap.addRef(b, c);
    heap.incref(a);
    heap.unbindMany([a, b, c]);
    const r = t.stop();
    expect(counts(r)).toEqual([0, 0, 3, 0, 0, 0]);
    const [fa, fb, fc] = r.leaked;
    expect([fa.id, fa.refcount, fa.leakedRefs]).toEqual([a, 2, 1]);
    expect([fb.leakedRefs, fc.leakedRefs]).toEqual([0, 0]);
    for (const f of r.leaked) expect(f.why.kind).toBe("leak");
    if (fc.why.kind === "leak") {
      expect(pathIds(fc.why.chain)).toEqual([a, b, c]);
      expect(fc.why.leakedRefs).toBe(1);
    }
    expect(fa.cycle && pathIds(fa.cycle)).toEqual([a, b, a]);
    expect(fc.cycle).toBeUndefined();
    expect([heap.exists(a), heap.exists(b), heap.exists(c)]).toEqual([true, true, true]); // the leak keeps them, not the tracker
  });

  it("the leak count it derives from the public API equals the engine's", () => {
    const { heap } = makeHeap(build, { python: "3.13" });
    const xs = heap.newObjects("obj", 40);
    for (let i = 0; i < 40; i++) heap.addRef(xs[i], xs[(i * 7 + 3) % 40]);
    const t = heap.newTuple([xs[1], xs[2], Heap.INT_LITERAL]);
    heap.incref(xs[5]);
    heap.incref(xs[5]);
    heap.incref(t);
    const s = heap.newObject("str");
    heap.incref(s);
    heap.unbindMany([...xs.slice(0, 20), t, s]);
    const engine = (heap as unknown as { w: { leakCount(x: number): number } }).w;
    const mine = leakCounts(heap, snapshot(heap));
    for (const id of liveIds(heap)) expect(mine.get(id) ?? 0).toBe(engine.leakCount(id));
    expect(mine.get(xs[5])).toBe(2);
  });

  it("unreachableFrom: heap.analysis (wasm) agrees with a breadth-first search over a snapshot", () => {
    const { heap } = makeHeap(build, { python: "2.7" });
    const xs = heap.newObjects("obj", 60);
    for (let i = 0; i < 60; i++) heap.addRef(xs[i], xs[(i * 11 + 5) % 60]);
    const f = heap.newObject("fin"), g = heap.newObject("obj");
    heap.addRef(f, g);
    heap.addRef(g, f);
    heap.incref(xs[3]);
    heap.unbindMany([...xs.slice(0, 45), f, g]);
    heap.collect(); // f ⇄ g: gc.garbage (2.7)
    // the independent reference: every live object's referents, then a BFS from the sources' objects
    const bySearch = (sources: Source[]): number[] => {
      const snap = snapshot(heap);
      const starts: number[] = [];
      if (sources.includes("roots")) for (const id of snap.keys()) if (heap.rootCount(id) > 0) starts.push(id);
      if (sources.includes("leaks")) starts.push(...leakCounts(heap, snap).keys());
      if (sources.includes("garbage")) starts.push(...heap.garbage);
      if (sources.includes("resurrected")) starts.push(...heap.resurrected);
      const reached = bfs(starts, (id) => snap.get(id)?.referents ?? []);
      return [...snap.keys()].filter((id) => !reached.has(id));
    };
    const sets: Source[][] = [["roots"], ["roots", "leaks"], ["roots", "leaks", "garbage", "resurrected"], ["leaks"]];
    for (const sources of sets) expect(unreachableFrom(heap, sources), sources.join()).toEqual(bySearch(sources));
    expect(unreachableFrom(heap, ["roots", "leaks", "garbage"]).length).toBeLessThan(unreachableFrom(heap, ["roots"]).length);
  });

  it("2.7: a cycle with __del__ is uncollectable (in gc.garbage), what it holds too", () => {
    const { heap } = makeHeap(build, { python: "2.7" });
    const t = new GarbageTracker(heap).start();
    const a = heap.newObject("fin"), b = heap.newObject("fin"), l = heap.newObject("list");
    heap.addRef(a, b);
    heap.addRef(b, a);
    heap.addRef(b, l);
    heap.unbindMany([a, b, l]);
    const r = t.stop();
    expect(counts(r)).toEqual([0, 3, 0, 0, 0, 0]);
    expect(r.uncollectable.map((f) => [f.id, f.inGarbage])).toEqual([[a, true], [b, true], [l, false]]);
    const why = r.uncollectable[2].why;
    expect(why.kind).toBe("garbage");
    if (why.kind === "garbage") expect(pathIds(why.chain)).toEqual([b, l]);
    expect(heap.garbage).toEqual([a, b]); // as a plain collect() leaves it
  });

  it("3.11: the same cycle is collected and its finalizers ran", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const t = new GarbageTracker(heap).start();
    const a = heap.newObject("fin"), b = heap.newObject("fin");
    heap.addRef(a, b);
    heap.addRef(b, a);
    heap.unbindMany([a, b]);
    const r = t.stop();
    expect(r.collected.map((f) => [f.id, f.finalized])).toEqual([[a, true], [b, true]]);
    expect(heap.garbage).toEqual([]);
  });

  it("DEBUG_SAVEALL set by the user: the garbage stays in gc.garbage, reported as uncollectable", () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    heap.setDebug(DEBUG_SAVEALL);
    const t = new GarbageTracker(heap).start();
    const a = heap.newObject("list");
    heap.addRef(a, a);
    heap.unbind(a);
    const r = t.stop();
    expect(counts(r)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(heap.garbage).toEqual([a]);
    expect(heap.getDebug()).toBe(DEBUG_SAVEALL);
  });

  it("objects created before start() are not reported, whatever becomes of them", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const old = heap.newObject("obj");
    heap.addRef(old, old);
    const leak = heap.newObject("obj");
    heap.incref(leak);
    const t = new GarbageTracker(heap).start();
    heap.unbind(old);
    heap.unbind(leak);
    const mine = heap.newObject("dict");
    heap.addRef(mine, mine);
    heap.unbind(mine);
    const r = t.stop();
    expect(findingsOf(r).map((f) => f.id)).toEqual([mine]);
    expect(heap.exists(old)).toBe(false); // freed by the closing collection all the same
  });

  it("an explicit collection inside the region is observed; heap.collect is given back afterwards", () => {
    const { heap } = makeHeap(build, { python: "3.10" });
    const t = new GarbageTracker(heap).start();
    const a = heap.newObject("obj");
    heap.addRef(a, a);
    heap.unbind(a);
    expect(heap.collect()).toBe(1);
    const b = heap.newObject("obj"); // may reuse a's id: told apart by serial
    heap.addRef(b, b);
    heap.unbind(b);
    const r = t.stop();
    expect(r.collected.map((f) => f.collection)).toEqual([0, 1]);
    expect(r.collected[0].serial).not.toBe(r.collected[1].serial);
    expect(r.collections).toBe(2);
    expect(Object.prototype.hasOwnProperty.call(heap, "collect")).toBe(false);
  });

  it("restores thresholds, enabled state and debug flags exactly (Yagot resets the flags to 0)", () => {
    for (const enabled of [true, false]) {
      const { heap } = makeHeap(build, { python: "3.12", auto: enabled });
      heap.setThreshold(123, 4, 5);
      heap.setDebug(DEBUG_STATS | DEBUG_COLLECTABLE);
      const t = new GarbageTracker(heap).start();
      expect(heap.isEnabled()).toBe(false); // suspended in the region, as Yagot does
      heap.setThreshold(1, 1, 1); // the region's own changes are undone too
      heap.setDebug(0);
      t.stop();
      expect([heap.getThreshold(), heap.isEnabled(), heap.getDebug()]).toEqual([[123, 4, 5], enabled, DEBUG_STATS | DEBUG_COLLECTABLE]);
    }
  });

  it("ends exactly as a plain collect() would, on every profile: nothing found stays alive", () => {
    for (const python of ["2.7", "3.6", "3.8", "3.11", "3.13", "3.14"]) {
      const run = (tracked: boolean) => {
        const { heap, events } = makeHeap(build, { python });
        const keep = heap.newObject("list");
        const t = tracked ? new GarbageTracker(heap).start() : null;
        const a = heap.newObject("fin"), b = heap.newObject("obj"), r = heap.newObject("fin", { resurrect: true });
        heap.addRef(a, b);
        heap.addRef(b, a);
        heap.addRef(b, r);
        heap.addRef(r, b);
        const w = heap.newWeakref(a, { callback: true });
        const c = heap.newObject("list");
        heap.addRef(c, c);
        heap.addRef(keep, c);
        heap.removeRef(keep, c);
        heap.unbindMany([a, b, r, c]);
        let result: TrackerResult | null = null;
        if (t) result = t.stop();
        else heap.collect();
        return { state: state(heap), events: events.map((e: HeapEvent) => JSON.stringify({ ...e, wallUs: undefined /* wall time differs */ })), result, w };
      };
      const plain = run(false), tracked = run(true);
      expect(tracked.state, python).toEqual(plain.state);
      expect(tracked.events, python).toEqual(plain.events);
      for (const f of tracked.result!.collected) {
        expect(tracked.state.live.some(([id, serial]) => id === f.id && serial === f.serial), python).toBe(false);
      }
    }
  });

  it("a resurrecting __del__: what the resurrection list keeps is reported as resurrected; 3.7 keeps the batch (pending)", () => {
    for (const python of ["3.7", "3.11"]) {
      const { heap } = makeHeap(build, { python });
      const t = new GarbageTracker(heap).start();
      const r = heap.newObject("fin", { resurrect: true }), o = heap.newObject("obj");
      heap.addRef(r, o);
      heap.addRef(o, r);
      const q = heap.newObject("obj");
      heap.addRef(q, q);
      heap.unbindMany([r, o, q]);
      const res = t.stop();
      expect(ids(res.resurrected), python).toEqual([r, o]);
      expect(ids(res.pending), python).toEqual(python === "3.7" ? [q] : []);
      expect(ids(res.collected), python).toEqual(python === "3.7" ? [] : [q]);
    }
  });

  it("gc.freeze(): unreachable frozen objects are reported as frozen", () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    const t = new GarbageTracker(heap).start();
    const a = heap.newObject("obj"), b = heap.newObject("obj");
    heap.addRef(a, b);
    heap.addRef(b, a);
    heap.freeze();
    heap.unbindMany([a, b]);
    const r = t.stop();
    expect(ids(r.frozen)).toEqual([a, b]);
    expect(r.frozen[0].why.kind).toBe("frozen");
  });

  it("ignoreTypes and ignore(ids) drop objects; ignore() drops the whole region", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const make = () => {
      const l = heap.newObject("list"), d = heap.newObject("dict"), o = heap.newObject("obj");
      for (const x of [l, d, o]) heap.addRef(x, x);
      return [l, d, o];
    };
    let t = new GarbageTracker(heap).start().ignoreTypes(["list"]);
    let [l, d, o] = make();
    t.ignore([o]);
    heap.unbindMany([l, d, o]);
    expect(ids(t.stop().collected)).toEqual([d]);
    t = new GarbageTracker(heap).start();
    [l, d, o] = make();
    heap.unbindMany([l, d, o]);
    t.ignore();
    const r = t.stop();
    expect([r.ignored, findingsOf(r).length, t.garbage.length]).toEqual([true, 0, 0]);
  });

  it("names objects through the names option", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const names = new Map<number, string>();
    const t = new GarbageTracker(heap, { names: (_id, serial) => names.get(serial) }).start();
    const a = heap.newObject("obj");
    names.set(heap.serial(a), "a");
    heap.addRef(a, a);
    heap.unbind(a);
    expect(t.stop().collected[0].name).toBe("a");
  });

  it("warns when an automatic collection ran in the region (re-enabled by the region)", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const t = new GarbageTracker(heap).start();
    heap.enable();
    for (let i = 0; i < 800; i++) {
      const x = heap.newObject("list");
      heap.addRef(x, x);
      heap.unbind(x);
    }
    const r = t.stop();
    expect(r.warnings.join("\n")).toMatch(/^1 automatic collection ran inside the region/);
  });

  it("misuse is an error: stop() before start(), start() twice, ignore() of a dead id", () => {
    const { heap } = makeHeap(build);
    const t = new GarbageTracker(heap);
    expect(() => t.stop()).toThrow(/not started/);
    t.start();
    expect(() => t.start()).toThrow(/already started/);
    expect(() => t.ignore([99999])).toThrow(/does not name a live object/);
    t.stop();
    expect(() => t.stop()).toThrow(/not started/);
  });

  it("a ring of 10,000 lists and a 20,000-long tail stay cheap: one shared cycle, bounded chains", () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    const t = new GarbageTracker(heap).start();
    const ring = heap.chain("list", 10000, { ring: true });
    const tail = heap.chain("list", 20000);
    heap.addRef(ring[0], tail[0]);
    heap.unbind(ring[0]);
    heap.unbind(tail[0]);
    const r = t.stop();
    expect(r.collected.length).toBe(30000);
    const first = r.collected[0].why, second = r.collected[1].why, last = r.collected[29999].why;
    if (first.kind !== "cycle" || second.kind !== "cycle" || last.kind !== "held-by-cycle") throw new Error("unexpected why");
    expect(first.cycle.path).toBe(second.cycle.path); // shared
    expect([first.cycle.position, second.cycle.position, first.cycle.componentSize]).toEqual([0, 1, 10000]);
    expect(last.chain.path.length).toBe(13);
    expect(last.chain.omitted).toBe(20000 - 12);
  });
});
