// Seeded random heaps. Two suites:
//  1. differential: random new/addRef/removeRef/bind/unbind/incref/collect(g)
//     over ≤300 objects without finalizers, weakrefs or tuples, compared after
//     every step with the naive reference model (test/helpers/reference-model.ts):
//     which objects live, their refcounts, bindings, tracking and generation,
//     the counts, the long-lived counters, and every collection's result;
//  2. invariants: everything the API offers (finalizers that resurrect,
//     weakrefs with callbacks, tuples, chains, DEBUG_SAVEALL, gc.garbage,
//     freeze, automatic collection) on every profile, with checkInvariants()
//     after every step and PEP 442's "at most once" for __del__ and callbacks.
import { describe, expect, it } from "vitest";
import { Heap, DEBUG_SAVEALL } from "../src/heap.js";
import { SlotsFullError, WeakrefExistsError } from "../src/errors.js";
import { PROFILES } from "../src/profiles.js";
import { BUILDS, makeHeap } from "./helpers.js";
import { ReferenceModel, type ModelType } from "./helpers/reference-model.js";
import { SERIES, atLeast, mulberry32, snapshot } from "./helpers/util.js";

const MAX_OBJECTS = 300;

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

/** Picks a key by weight. */
function choose<K extends string>(rnd: () => number, weights: Record<K, number>): K {
  const entries = Object.entries(weights) as [K, number][];
  let r = rnd() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) {
    if ((r -= w) < 0) return k;
  }
  return entries[entries.length - 1][0];
}

// ── 1. differential ─────────────────────────────────────────────────────────
const GENERATIONAL = PROFILES.filter((p) => !p.incremental);

describe.each(BUILDS)("fuzz: engine against the reference model (%s build)", (build) => {
  describe.each(GENERATIONAL.map((p) => p.series))("CPython %s", (python) => {
    it.each([1, 2, 3, 4])("seed %i", (seed) => {
      const { heap } = makeHeap(build, { python });
      const profile = heap.profile;
      const model = new ReferenceModel({ dictsAlwaysTracked: profile.dictsAlwaysTracked });
      const rnd = mulberry32(seed * 7919 + profile.series.length);
      const simId = new Map<number, { id: number; serial: number }>(); // model handle → engine object
      const steps = build === "release" ? 2000 : 1000;
      let collections = 0;

      const live = () => [...model.objects.keys()];
      const containers = () => live().filter((h) => {
        const o = model.get(h);
        return o.type === "list" || o.type === "dict" || (o.type === "obj" && o.edges.length < 16);
      });
      const id = (h: number) => simId.get(h)!.id;

      /** Everything observable, engine against model, in one comparison. */
      const compare = (where: string) => {
        expect(heap.size, where).toBe(model.objects.size);
        const got: unknown[] = [], want: unknown[] = [];
        for (const o of model.objects.values()) {
          const e = simId.get(o.handle)!;
          got.push(heap.exists(e.id) && heap.serial(e.id) === e.serial
            ? [o.handle, heap.refcount(e.id), heap.rootCount(e.id), heap.isTracked(e.id)]
            : [o.handle, "freed"]);
          want.push([o.handle, o.refcnt, o.roots, o.gen >= 0]);
        }
        const handleOf = new Map([...simId].map(([h, e]) => [e.id, h]));
        const gens = profile.features.getObjectsGeneration ? [0, 1, 2] : [-1];
        for (const g of gens) {
          got.push([`generation ${g}`, ...[...(g < 0 ? heap.getObjects() : heap.getObjects(g))].map((x) => handleOf.get(x)!).sort((a, b) => a - b)]);
          want.push([`generation ${g}`, ...model.generation(g).sort((a, b) => a - b)]);
        }
        expect(got, where).toEqual(want);
        counters(where);
      };
      /** The cheap part, after every step. */
      const counters = (where: string) => {
        expect([heap.size, profile.countTracked ? null : heap.getCount(), heap.lab.getLongLived()], where)
          .toEqual([model.objects.size, profile.countTracked ? null : model.count, { total: model.longLivedTotal, pending: model.longLivedPending }]);
      };

      for (let step = 0; step < steps; step++) {
        const where = `seed ${seed} step ${step}`;
        const n = model.objects.size;
        const op = choose(rnd, {
          new: n < MAX_OBJECTS ? (n < 20 ? 60 : 22) : 0,
          addRef: n > 0 ? 32 : 0,
          removeRef: 12,
          bind: n > 0 ? 4 : 0,
          unbind: 18,
          incref: n > 0 ? 0.7 : 0,
          collect: 5,
        });
        if (op === "new") {
          const type = pick<ModelType>(rnd, ["obj", "obj", "list", "list", "dict", "dict", "int", "str"]);
          const x = heap.newObject(type);
          simId.set(model.create(type), { id: x, serial: heap.serial(x) });
        } else if (op === "addRef") {
          const from = containers();
          if (!from.length) continue;
          const f = pick(rnd, from), t = pick(rnd, live());
          heap.addRef(id(f), id(t));
          model.addRef(f, t);
        } else if (op === "removeRef") {
          const from = live().filter((h) => model.get(h).edges.length > 0);
          if (!from.length) continue;
          const f = pick(rnd, from), t = pick(rnd, model.get(f).edges);
          heap.removeRef(id(f), id(t));
          model.removeRef(f, t);
        } else if (op === "bind") {
          const h = pick(rnd, live());
          heap.bind(id(h));
          model.bind(h);
        } else if (op === "unbind") {
          const bound = live().filter((h) => model.get(h).roots > 0);
          if (!bound.length) continue;
          const h = pick(rnd, bound);
          heap.unbind(id(h));
          model.unbind(h);
        } else if (op === "incref") {
          const h = pick(rnd, live());
          heap.incref(id(h));
          model.incref(h);
        } else {
          const g = pick(rnd, [0, 1, 2, 2]);
          expect(heap.collect(g), `${where}: collect(${g})`).toBe(model.collect(g));
          collections++;
        }
        // everything after each collection and every 25 steps; the counters always
        if (op === "collect" || step % 25 === 0) compare(`${where} (${op})`);
        else counters(`${where} (${op})`);
      }
      heap.debug.checkInvariants();
      // the end: drop every binding; a full collection leaves only what leaks keep alive
      for (const h of live()) while (model.objects.has(h) && model.get(h).roots > 0) {
        heap.unbind(id(h));
        model.unbind(h);
      }
      expect(heap.collect(2)).toBe(model.collect(2));
      compare(`seed ${seed} end`);
      expect(collections).toBeGreaterThan(steps / 40);
    });
  });
});

// ── 2. invariants on every profile ──────────────────────────────────────────
describe.each(BUILDS)("fuzz: invariants under every operation (%s build)", (build) => {
  describe.each(PROFILES.map((p) => p.series))("CPython %s", (python) => {
    it.each([11, 12, 13, 14])("seed %i", (seed) => {
      const auto = seed % 2 === 1;
      const { heap, events } = makeHeap(build, { python, auto });
      const profile = heap.profile;
      if (auto) heap.setThreshold(13, 3, 3);
      const rnd = mulberry32(seed * 104729 + profile.series.length);
      let known: { id: number; serial: number }[] = [];
      const steps = build === "release" ? 1200 : 600;
      const finalizedOnce = new Set<string>();
      const calledBack = new Set<string>();
      let seenEvents = 0;

      const live = () => (known = known.filter((e) => heap.exists(e.id) && heap.serial(e.id) === e.serial)).map((e) => e.id);
      const remember = (ids: ArrayLike<number>) => {
        for (const x of Array.from(ids)) if (x !== Heap.EMPTY_TUPLE) known.push({ id: x, serial: heap.serial(x) });
      };
      const ofType = (...types: string[]) => live().filter((x) => types.includes(heap.typeOf(x)));

      for (let step = 0; step < steps; step++) {
        const where = `seed ${seed} step ${step}`;
        const ids = live();
        const full = heap.size >= MAX_OBJECTS;
        const op = choose(rnd, {
          new: full ? 0 : 20, tuple: full ? 0 : 4, weakref: full ? 0 : 5, chain: full ? 0 : 1.5,
          addRef: 28, removeRef: 10, bind: 3, unbind: 16, incref: 0.5, collect: 5, deref: 2,
          saveall: 0.5, dropResurrected: 1, clearGarbage: 1, revive: 1, freeze: profile.features.freeze ? 0.5 : 0, collectIfDue: 0.5,
        });
        try {
          switch (op) {
            case "new": {
              const type = pick(rnd, ["obj", "fin", "fin", "list", "dict", "int", "str"] as const);
              remember([heap.newObject(type, { resurrect: type === "fin" && rnd() < 0.3 })]);
              break;
            }
            case "tuple": {
              const items = Array.from({ length: Math.floor(rnd() * 4) }, () =>
                (ids.length && rnd() < 0.8 ? pick(rnd, ids) : Heap.INT_LITERAL));
              remember([heap.newTuple(items)]);
              break;
            }
            case "weakref": {
              const targets = ofType("obj", "fin");
              if (targets.length) remember([heap.newWeakref(pick(rnd, targets), { callback: rnd() < 0.6 })]);
              break;
            }
            case "chain": {
              const type = pick(rnd, ["obj", "fin", "list", "dict", "tuple"] as const);
              const ring = type !== "tuple" && rnd() < 0.3;
              const to = !ring && ids.length && rnd() < 0.5 ? pick(rnd, ids) : undefined;
              remember(heap.chain(type, 1 + Math.floor(rnd() * 6), { ring, to }));
              break;
            }
            case "addRef": {
              const from = ofType("obj", "fin", "list", "dict");
              if (from.length) heap.addRef(pick(rnd, from), pick(rnd, [...ids, Heap.EMPTY_TUPLE]));
              break;
            }
            case "removeRef": {
              const from = ofType("obj", "fin", "list", "dict").filter((x) => heap.getReferents(x).length > 0);
              if (from.length) {
                const f = pick(rnd, from);
                heap.removeRef(f, pick(rnd, heap.getReferents(f)));
              }
              break;
            }
            case "bind":
              if (ids.length) heap.bind(pick(rnd, ids));
              break;
            case "unbind": {
              const bound = ids.filter((x) => heap.rootCount(x) > 0);
              if (bound.length) heap.unbind(pick(rnd, bound));
              break;
            }
            case "incref":
              if (ids.length) heap.incref(pick(rnd, ids));
              break;
            case "collect":
              heap.collect(pick(rnd, [0, 1, 2]));
              break;
            case "deref": {
              const ws = ofType("weakref");
              if (ws.length) {
                const target = heap.deref(pick(rnd, ws));
                if (target !== null) expect(["obj", "fin"]).toContain(heap.typeOf(target));
              }
              break;
            }
            case "saveall":
              heap.setDebug(heap.getDebug() ? 0 : DEBUG_SAVEALL);
              break;
            case "dropResurrected":
              heap.dropResurrected();
              break;
            case "clearGarbage":
              heap.clearGarbage();
              break;
            case "revive": {
              const from = rnd() < 0.5 ? "garbage" : "resurrected";
              const list = from === "garbage" ? heap.garbage : heap.resurrected;
              if (list.length) expect(heap.revive(pick(rnd, list), from)).toBe(true);
              break;
            }
            case "freeze":
              if (heap.getFreezeCount() > 0 && rnd() < 0.7) heap.unfreeze();
              else heap.freeze();
              break;
            case "collectIfDue":
              heap.collectIfDue();
              break;
          }
        } catch (e) {
          // the only refusals the choices above cannot rule out cheaply
          if (!(e instanceof WeakrefExistsError || e instanceof SlotsFullError)) throw e;
        }
        heap.debug.checkInvariants();
        // every object the collector lists is alive and tracked; gc.garbage and the resurrected are alive
        const wrong = [...heap.getObjects()].filter((x) => !heap.isTracked(x))
          .concat([...heap.garbage, ...heap.resurrected].filter((x) => !heap.exists(x)));
        if (wrong.length || heap.getCount()[0] < 0) expect([wrong, heap.getCount()], where).toEqual([[], heap.getCount().map(Math.abs)]);
        // PEP 442 (3.4+): a __del__ runs at most once per object; a callback fires at most once
        for (; seenEvents < events.length; seenEvents++) {
          const e = events[seenEvents];
          if (e.kind === "finalized" && !profile.legacyDel) {
            const k = `${e.id}:${e.serial}`;
            expect(finalizedOnce.has(k), `${where}: __del__ of ${k} ran twice`).toBe(false);
            finalizedOnce.add(k);
          } else if (e.kind === "callback") {
            const k = `${e.weakref}:${e.serial}`;
            expect(calledBack.has(k), `${where}: callback of ${k} ran twice`).toBe(false);
            calledBack.add(k);
          }
        }
      }
      // tear down: unfreeze, stop saving, drop every binding and list, collect
      if (profile.features.freeze) heap.unfreeze();
      heap.setDebug(0);
      for (const x of live()) while (heap.exists(x) && heap.rootCount(x) > 0) heap.unbind(x);
      for (let k = 0; k < 4; k++) {
        heap.dropResurrected();
        heap.clearGarbage();
        heap.collect(2);
        heap.debug.checkInvariants();
      }
      expect(events.length).toBeGreaterThan(0);
    });
  });
});

// ── 3. batches equal their one-by-one form ───────────────────────────────────
// addRefs, unbindMany and newObjects must do exactly what the single calls do
// in order: same ids, events, refcounts, references, generations and counts.
// Automatic collection stays on where it runs inside allocations (≤3.11); at
// 3.12+ a batch has one safe point where single calls have many, so it is off.
describe.each(BUILDS)("fuzz: batch operations (%s build)", (build) => {
  describe.each(SERIES)("CPython %s", (python) => {
    it.each([21, 22])("seed %i", (seed) => {
      const auto = !atLeast(python, "3.12");
      const a = makeHeap(build, { python, auto });
      const b = makeHeap(build, { python, auto });
      for (const { heap } of [a, b]) heap.setThreshold(9, 3, 3);
      const A = a.heap, B = b.heap;
      const rnd = mulberry32(seed);
      const ids = new Set<number>();
      // events without their timing fields (wall-clock durations differ run to run)
      const timeless = (events: unknown[]) => events.map((e) =>
        Object.fromEntries(Object.entries(e as object).filter(([k]) => !/(Us|Ms|Time)$/.test(k))));
      const same = (where: string) => {
        expect([snapshot(A, [...ids]), timeless(a.events)], where).toEqual([snapshot(B, [...ids]), timeless(b.events)]);
      };
      for (let step = 0; step < 160; step++) {
        const where = `seed ${seed} step ${step}`;
        const r = rnd();
        const live = [...ids].filter((x) => A.exists(x));
        if (r < 0.3 || live.length < 4) {
          const t = pick(rnd, ["obj", "fin", "list", "dict", "int"] as const);
          const x = A.newObject(t);
          expect(B.newObject(t), where).toBe(x);
          ids.add(x);
        } else if (r < 0.6) {
          const cont = live.filter((x) => ["list", "dict"].includes(A.typeOf(x)) || A.getReferents(x).length < 10);
          const from: number[] = [], to: number[] = [];
          for (let k = 0, n = 1 + Math.floor(rnd() * 6); k < n && cont.length; k++) {
            from.push(pick(rnd, cont));
            to.push(pick(rnd, live));
          }
          const containers = from.filter((x) => ["obj", "fin", "list", "dict"].includes(A.typeOf(x)));
          if (containers.length !== from.length) continue;
          A.addRefs(from, to);
          from.forEach((f, k) => B.addRef(f, to[k]));
        } else if (r < 0.85) {
          const some = live.filter((x) => A.rootCount(x) > 0 && rnd() < 0.3);
          A.unbindMany(some);
          for (const x of some) B.unbind(x);
        } else if (r < 0.9) {
          const g = pick(rnd, [0, 1, 2]);
          expect(A.collect(g), where).toBe(B.collect(g));
        } else {
          const n = Math.floor(rnd() * 12);
          const got = [...A.newObjects("list", n)];
          expect(got, where).toEqual(Array.from({ length: n }, () => B.newObject("list")));
          got.forEach((x) => ids.add(x));
        }
        if (step % 4 === 3) same(where);
      }
      same(`seed ${seed} end`);
      expect(a.events.length).toBeGreaterThan(0);
    });
  });
});
