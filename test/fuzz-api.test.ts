// The hostile API fuzzer (issue 9): seeded random calls of every public Heap
// method — and the analyses — with arguments drawn from valid ids, freed ids,
// the shared singletons, and hostile values (NaN, 2^32 + id, Object.prototype
// names, null, arrays …), on small memory limits, with observers and
// delegated policies that throw. After every call:
//   - only the library's typed errors escape (never TypeError, RangeError or a trap);
//   - a refused call changed nothing (the whole observable state is compared),
//     except PolicyError / ObserverError, which say the call completed, and
//     OpStreamError, whose ops before the refused one are applied;
//   - checkInvariants() holds;
//   - a debug-build heap fed the same calls gave the same result or error and
//     has the same state (debug vs release differential).
// `npm test` runs a bounded slice; PYGCSIM_FUZZ_LONG=1 runs ≥ 500,000 calls.
import { describe, expect, it } from "vitest";
import { Heap, type HeapEvent } from "../src/heap.js";
import { ObserverError, OpStreamError, PolicyError, PygcsimError, SimulatorTrapError } from "../src/errors.js";
import { PROFILES } from "../src/profiles.js";
import { OpStream, RESULT_BIT } from "../src/ops.js";
import { mulberry32 } from "./helpers/util.js";

const LONG = process.env.PYGCSIM_FUZZ_LONG === "1";
const SEEDS = LONG ? 250 : 12;
const CALLS = LONG ? 2000 : 600;
/** Above this many objects, the fuzzer drops bindings and collects more often. */
const SOFT_MAX = 300;

type Rnd = () => number;
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const HOSTILE: unknown[] = [
  -1, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 31), "3", "", null, undefined, {}, [], true,
  "constructor", "__proto__", "toString", "hasOwnProperty", Symbol.iterator, () => 1, 10n,
];
const TYPES: unknown[] = ["obj", "fin", "list", "dict", "int", "str", "tuple", "weakref", "other", "constructor", "__proto__", "toString", "OBJ", 3, null];
/** Counts that fail at once when wrong (no 16M-object legal batch by accident). */
const COUNTS: unknown[] = [0, 1, 2, 3, 5, 8, 13, 40, 100, -1, 1.5, NaN, 2 ** 30, 0x7FFFFFF0, 2 ** 31, 2 ** 32 + 1, "4", null];

/** Everything observable about the heap, from the public API (one pass over live ids). */
function state(heap: Heap): unknown {
  const ids = heap.liveIds();
  const described = heap.describeMany(ids);
  return {
    size: heap.size,
    count: heap.getCount(),
    threshold: heap.getThreshold(),
    enabled: heap.isEnabled(),
    debug: heap.getDebug(),
    longLived: heap.lab.getLongLived(),
    garbage: heap.garbage,
    resurrected: heap.resurrected,
    bytes: heap.lab.getBytes(),
    newest: heap.newestSerial(),
    objects: [...heap.getObjects()],
    freeze: heap.profile.features.freeze ? heap.getFreezeCount() : null,
    stats: heap.profile.features.getStats ? heap.getStats().map((g) => ({ ...g, duration: 0 })) : null, // duration: wall time
    incremental: heap.profile.incremental ? heap.lab.getIncrementalState() : null,
    live: described.map((d) => [d.id, d.serial, d.type, d.tracked, [...d.referents], heap.refcount(d.id), heap.rootCount(d.id), heap.leakCount(d.id), heap.sizeOf(d.id)]),
  };
}

/** A random value for an id argument: mostly live ids, sometimes freed, shared or hostile. */
function idArg(rnd: Rnd, heap: Heap, freed: number[]): unknown {
  const r = rnd();
  if (r < 0.7) {
    const ids = heap.liveIds();
    if (ids.length) return ids[Math.floor(rnd() * ids.length)];
  }
  if (r < 0.78 && freed.length) return pick(rnd, freed);
  if (r < 0.84) return pick(rnd, [Heap.EMPTY_TUPLE, Heap.INT_LITERAL, 0, 1, 13, 14, 15]);
  if (r < 0.9) {
    const ids = heap.liveIds();
    if (ids.length) return 2 ** 32 + ids[0];
  }
  return pick(rnd, HOSTILE);
}

function idsArg(rnd: Rnd, heap: Heap, freed: number[]): unknown {
  const r = rnd();
  if (r < 0.06) return pick(rnd, [null, "1,2", {}, 5]);
  const n = Math.floor(rnd() * 6);
  const xs = Array.from({ length: n }, () => idArg(rnd, heap, freed));
  return r < 0.3 ? Uint32Array.from(xs.map((x) => (typeof x === "number" && Number.isInteger(x) ? x >>> 0 : 0))) : xs;
}

function optsArg(rnd: Rnd, heap: Heap, freed: number[]): unknown {
  return pick(rnd, [
    undefined, undefined, {}, { resurrect: true }, { resurrect: false }, { callback: true }, { ring: true },
    { to: idArg(rnd, heap, freed) }, { to: idArg(rnd, heap, freed), ring: true }, null, [], "x", { resurrect: "yes" }, { callback: 1 },
  ]);
}

type Call = { name: string; args: unknown[]; run: (h: Heap) => unknown };

/** One random call; its arguments are drawn against `heap` and replayed as they are on the twin. */
/** Methods of the Heap's parts (heap.lab, heap.debug) the fuzzer calls by name. */
const PARTS: Record<string, "lab" | "debug"> = {
  setCounts: "lab", setLongLived: "lab", setPolicy: "lab", garbageHeld: "lab", getIncrementalState: "lab",
  memoryBytes: "debug", freeListLength: "debug",
};

function randomCall(rnd: Rnd, heap: Heap, freed: number[]): Call {
  const id = () => idArg(rnd, heap, freed);
  const big = heap.size > SOFT_MAX;
  const weights: [string, number][] = [
    ["newObject", big ? 1 : 12], ["newObjects", big ? 0.2 : 3], ["newTuple", big ? 0.5 : 4], ["newWeakref", big ? 0.5 : 4],
    ["chain", big ? 0.2 : 2], ["addRef", 14], ["addRefs", 4], ["removeRef", 6], ["bind", 3], ["unbind", big ? 30 : 10],
    ["unbindMany", big ? 10 : 3], ["incref", 0.5], ["deref", 2], ["collect", big ? 8 : 3], ["query", 8], ["setThreshold", 1],
    ["setDebug", 1], ["freeze", 0.5], ["unfreeze", 0.5], ["revive", 2], ["dropResurrected", 1], ["clearGarbage", 1],
    ["collectIfDue", 1], ["safePoint", 1], ["countAllocation", 1], ["setCounts", 0.5], ["setLongLived", 0.5],
    ["setSizeOf", 1], ["enable", 0.7], ["disable", 0.3], ["setPolicy", 0.5], ["analysis", 2], ["getObjects", 1], ["runOps", big ? 1 : 4],
  ];
  let r = rnd() * weights.reduce((s, [, w]) => s + w, 0);
  let name = weights[weights.length - 1][0];
  for (const [n, w] of weights) if ((r -= w) < 0) { name = n; break; }
  const method = (m: string, args: unknown[]): Call => ({
    name: m, args,
    run: (h) => {
      const part = (PARTS[m] ? h[PARTS[m]] : h) as unknown as Record<string, (...a: unknown[]) => unknown>;
      return part[m](...args);
    },
  });
  switch (name) {
    case "newObject": return method(name, rnd() < 0.5 ? [pick(rnd, TYPES)] : [pick(rnd, TYPES), optsArg(rnd, heap, freed)]);
    case "newObjects": return method(name, [pick(rnd, TYPES), pick(rnd, COUNTS), optsArg(rnd, heap, freed)]);
    case "newTuple": return method(name, [idsArg(rnd, heap, freed)]);
    case "newWeakref": return method(name, [id(), optsArg(rnd, heap, freed)]);
    case "chain": return method(name, [pick(rnd, TYPES), pick(rnd, COUNTS), optsArg(rnd, heap, freed)]);
    case "addRef": case "removeRef": return method(name, [id(), id()]);
    case "addRefs": {
      const a = idsArg(rnd, heap, freed);
      const b = rnd() < 0.8 && Array.isArray(a) ? a.map(() => id()) : idsArg(rnd, heap, freed);
      return method(name, [a, b]);
    }
    case "bind": case "unbind": case "incref": case "deref": return method(name, [id()]);
    case "unbindMany": return method(name, [idsArg(rnd, heap, freed)]);
    case "collect": return method(name, rnd() < 0.2 ? [] : [pick(rnd, [0, 1, 2, 2, 3, -1, 1.5, "2", null])]);
    case "query": {
      const m = pick(rnd, ["exists", "typeOf", "typeNameOf", "refcount", "serial", "rootCount", "leakCount", "wasCleared",
        "isTracked", "isFinalized", "sizeOf", "getReferrers", "getReferents", "describeMany", "liveIds", "garbageHeld",
        "getStats", "getFreezeCount", "getIncrementalState", "lastCollection", "objectsExamined", "memoryBytes", "freeListLength"]);
      if (m === "describeMany") return method(m, [idsArg(rnd, heap, freed)]);
      if (m === "freeListLength") return method(m, [pick(rnd, ["list", "dict", "tuple", "obj", "constructor", null]), pick(rnd, [0, 1, 3, 19, 20, -1, NaN])]);
      return method(m, rnd() < 0.9 ? [id()] : [id(), id()]);
    }
    case "setThreshold": return method(name, [pick(rnd, [0, 1, 2, 5, 700, -1, NaN, 2 ** 31]), ...(rnd() < 0.5 ? [pick(rnd, [1, 10, 0, -3])] : [])]);
    case "setDebug": return method(name, [pick(rnd, [0, 0, 32, 1, -1, 2 ** 31, 2 ** 33, 1.5, "32"])]);
    case "revive": return method(name, [id(), pick(rnd, ["garbage", "resurrected", "other", null])]);
    case "setCounts": return method(name, [pick(rnd, [0, 5, 699, 701, -1, NaN]), pick(rnd, [0, 9, 11]), pick(rnd, [0, 9, 11, 2 ** 31])]);
    case "setLongLived": return method(name, [pick(rnd, [0, 10, 1000, NaN, -5]), pick(rnd, [0, 5, 300, -1, 1.5])]);
    case "setSizeOf": return method(name, [id(), pick(rnd, [0, 16, 1000, -1, 2 ** 32, NaN])]);
    case "setPolicy": return method(name, [pick(rnd, [
      { kind: "cpython" }, { kind: "cpython", longLivedRatio: 0 }, { kind: "memory", youngBytes: 4096 },
      { kind: "memory", youngBytes: -1 }, { kind: "delegated", decide: (s: { count: readonly number[] }) => (s.count[0] > 3 ? 0 : null) },
      { kind: "delegated", decide: () => { throw new Error("policy bug"); } }, { kind: "delegated", decide: () => 9 },
      { kind: "nope" }, null, { kind: "delegated", decide: 5 },
    ])]);
    case "analysis": {
      const m = pick(rnd, ["whyAlive", "retainedSize", "cycles", "unreachableFromRoots", "topRetainers", "countsByType", "immediateDominator", "reachableBytes"]);
      const args = m === "cycles" ? [idsArg(rnd, heap, freed)] : m === "topRetainers" ? [pick(rnd, [1, 3, -1, NaN])]
        : m === "countsByType" || m === "unreachableFromRoots" || m === "reachableBytes" ? [] : [id()];
      return { name: `analysis.${m}`, args, run: (h) => (h.analysis as unknown as Record<string, (...a: unknown[]) => unknown>)[m](...args) };
    }
    case "getObjects": return method(name, rnd() < 0.5 ? [] : [pick(rnd, [0, 1, 2, 3, -1, "1"])]);
    case "runOps": {
      // a short program: objects it makes, heap ids (live, freed, hostile) and references to its own ops
      const plan: [string, unknown[]][] = [];
      let made = 0;
      const operand = () => (made > 0 && rnd() < 0.4 ? RESULT_BIT + Math.floor(rnd() * (plan.length + 1)) : id());
      for (let k = Math.floor(rnd() * 8); k >= 0; k--) {
        const m = pick(rnd, ["new", "new", "addRef", "addRef", "removeRef", "unbind", "bind", "tuple", "weakref", "collect", "safePoint", "incref", "countAllocation"]);
        const args = m === "new" ? [pick(rnd, TYPES)] : m === "tuple" ? [[operand(), operand()]] : m === "collect" ? [pick(rnd, [0, 1, 2, 5])]
          : m === "safePoint" || m === "countAllocation" ? [] : m === "addRef" || m === "removeRef" ? [operand(), operand()] : [operand()];
        plan.push([m, args]);
        if (m === "new" || m === "tuple" || m === "weakref") made++;
      }
      return {
        name: "runOps", args: plan,
        run: (h) => {
          const st = new OpStream();
          for (const [m, a] of plan) (st as unknown as Record<string, (...x: unknown[]) => unknown>)[m](...a);
          return h.runOps(st).values;
        },
      };
    }
    default: return method(name, []);
  }
}

/** A result in comparable form (typed arrays as arrays). */
function plain(x: unknown): unknown {
  if (x instanceof Uint32Array) return [...x];
  if (x && typeof x === "object" && "sizes" in (x as object)) return "reachability"; // big, compared through state
  return x;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function attempt(heap: Heap, call: Call): Outcome {
  try {
    return { ok: true, value: plain(call.run(heap)) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The builds' linear memories differ by their static data (byte counts), and wall time differs: left out. */
function describeOutcome(call: Call, o: Outcome): unknown {
  if (call.name === "memoryBytes") return o.ok ? "bytes" : o;
  if (call.name === "getStats" && o.ok) return (o.value as { duration?: number }[]).map((g) => ({ ...g, duration: 0 })); // 3.15: wall time
  return o.ok ? { value: o.value } : { error: (o.error as Error).constructor.name, message: (o.error as Error).message.replace(/\d+ bytes in use/, "N bytes in use") };
}

function show(a: unknown): string {
  if (typeof a === "function") return "fn";
  if (typeof a === "symbol" || typeof a === "bigint" || a === undefined) return String(a);
  if (a instanceof Uint32Array) return `Uint32Array[${[...a]}]`;
  if (Array.isArray(a)) return `[${a.map(show).join(", ")}]`;
  try { return JSON.stringify(a); } catch { return Object.prototype.toString.call(a); }
}

/** Observers that misbehave on purpose (some seeds): they throw, or call the heap. */
function addObservers(rnd: Rnd, heap: Heap, events: HeapEvent[]): void {
  heap.onEvent((e) => events.push(e));
  if (rnd() < 0.3) heap.onEvent((e) => { if (e.kind === "gc-stop") throw new Error("listener bug"); });
  if (rnd() < 0.3 && heap.profile.features.callbacks) heap.callbacks.push((phase) => { if (phase === "start") heap.collect(); });
  if (rnd() < 0.3 && heap.profile.features.callbacks) heap.callbacks.push(() => { throw new Error("callback bug"); });
  if (rnd() < 0.3) heap.unraisableHook = () => {};
}

function fuzz(seed: number, calls: number): { calls: number; refused: number; completedWithError: number } {
  const rnd = mulberry32(seed * 2654435761);
  const profile = PROFILES[seed % PROFILES.length];
  const small = seed % 3 === 0;
  const options = {
    python: profile.series, startupObjects: seed % 2 ? 0 : undefined, freeLists: seed % 4 !== 1,
    ...(small ? { memoryLimitBytes: 1_600_000 } : {}),
    safePoints: pick(rnd, ["per-call", "per-statement", "explicit"] as const),
  };
  const heap = new Heap({ ...options, build: small && seed % 2 ? "debug" : "release" });
  // the twin runs the debug build on the same calls; under a memory limit the
  // builds run out at different points (their static data differ), so no twin
  const twin = small ? null : new Heap({ ...options, build: "debug" });
  const events: HeapEvent[] = [], twinEvents: HeapEvent[] = [];
  addObservers(mulberry32(seed), heap, events);
  if (twin) addObservers(mulberry32(seed), twin, twinEvents);
  if (rnd() < 0.5) { heap.setThreshold(7, 3, 3); twin?.setThreshold(7, 3, 3); }
  const freed: number[] = [];
  let refused = 0, completedWithError = 0;
  for (let i = 0; i < calls; i++) {
    const call = randomCall(rnd, heap, freed);
    const where = `seed ${seed} (${profile.series}) call ${i}: ${call.name}(${call.args.map(show).join(", ")})`;
    const before = state(heap);
    const liveBefore = heap.liveIds();
    const got = attempt(heap, call);
    const want = twin ? attempt(twin, call) : null;
    if (!got.ok) {
      const e = got.error;
      if (!(e instanceof PygcsimError) || e instanceof SimulatorTrapError) {
        throw new Error(`${where}: untyped error ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
      }
      // these say the call completed (or, for a stream, its ops before the refused one)
      if (e instanceof PolicyError || e instanceof ObserverError || e instanceof OpStreamError) completedWithError++;
      else {
        refused++;
        expect(state(heap), `${where}: a refused call changed the heap (${e.message})`).toEqual(before);
      }
    }
    heap.debug.checkInvariants();
    if (twin && want) {
      expect(describeOutcome(call, want), `${where}: debug and release differ`).toEqual(describeOutcome(call, got));
      if (i % 10 === 0 || !got.ok) expect(state(twin), `${where}: debug and release states differ`).toEqual(state(heap));
    }
    const now = new Set(heap.liveIds());
    for (const x of liveBefore) if (!now.has(x)) freed.push(x);
    if (freed.length > 64) freed.splice(0, freed.length - 64);
  }
  // the same events in the same order (wall time aside)
  const timeless = (es: HeapEvent[]) => es.map((e) => (e.kind === "gc-stop" ? { ...e, wallUs: 0 } : e));
  if (twin) expect(timeless(twinEvents), `seed ${seed}: events differ`).toEqual(timeless(events));
  return { calls, refused, completedWithError };
}

describe("fuzz: hostile API calls, release against debug", () => {
  const totals = { calls: 0, refused: 0, completedWithError: 0 };
  it.each(Array.from({ length: SEEDS }, (_, i) => i + 1))("seed %i", (seed) => {
    const r = fuzz(seed, CALLS);
    totals.calls += r.calls; totals.refused += r.refused; totals.completedWithError += r.completedWithError;
    expect(r.refused).toBeGreaterThan(0); // hostile arguments were generated and refused
  }, LONG ? 600_000 : 60_000);
  it("reports its figures", () => {
    if (LONG) console.log(`api fuzz: ${totals.calls} calls, ${totals.refused} refused with a typed error, ${totals.completedWithError} completed with PolicyError/ObserverError, 0 untyped`);
    expect(totals.calls).toBe(SEEDS * CALLS);
  });
});
