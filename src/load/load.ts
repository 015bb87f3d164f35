// Heap.fromDump: rebuilds a real Python heap (a dump of python/pygcsim_dump.py,
// docs/dump-format.md) in the simulator through the engine's loading ABI
// (assembly/load/): objects with their types, sizes and tracked state,
// references in traversal order, the references the graph does not explain
// (root bindings, or leaks), generations in CPython's list order, weakrefs,
// and gc.get_count().

import type { Heap } from "../heap.js";
import type { BuildKind, EngineExports } from "../wasm/engine.js";
import { getProfile, type Profile } from "../profiles.js";
import { InvalidArgumentError, OutOfMemoryError, PygcsimError, UnknownVersionError } from "../errors.js";
import { Status } from "../wasm/status.js";
import { DumpBit, DumpFormatError, MAX_REFCOUNT, parseDump, type DumpData } from "./dump.js";

/** Engine type ids (assembly/common.ts) the loader maps Python types to. */
const T_LIST = 2, T_DICT = 3, T_TUPLE = 4, T_WEAKREF = 7, T_OTHER = 8;
/** Objects and reference pairs per engine call (bounds the exchange buffer). */
const CHUNK = 1 << 18;

export interface FromDumpOptions {
  /** CPython version to simulate (default: the dump's own interpreter version). */
  python?: string;
  /** Engine build: "release" (default) or "debug". */
  build?: BuildKind;
  /**
   * What a reference the graph does not explain becomes: "roots" (default) a
   * root binding; "suspect" a leaked reference (the C-extension bug) when its
   * object cannot be reached from the interpreter's roots the dump lists
   * (sys.modules, gc.garbage, live frames), a root binding otherwise.
   */
  leaks?: "roots" | "suspect";
  memoryLimitBytes?: number;
  /** Bound on the decompressed dump's size in bytes (default DEFAULT_MAX_DUMP_BYTES, 512 MiB). */
  maxDumpBytes?: number;
}

/** What Heap.fromDump hands the loader: a fresh heap and a way into its engine. */
export interface LoadTarget {
  heap: Heap;
  /** Runs an engine call the way the Heap does (a trap poisons the heap). */
  run<T>(op: string, f: (w: EngineExports) => T): T;
  /** The heap's Python type-name table; index 0 is reserved (the engine type's own name). */
  typeNames: string[];
}

export interface LoadStats {
  objects: number;
  tracked: number;
  untracked: number;
  /** In the permanent generation (gc.freeze). */
  frozen: number;
  /** Tracked objects whose generation the dump does not know: placed in generation 2. */
  unknownGeneration: number;
  /** References loaded into the graph. */
  references: number;
  /** References held by weakref objects (their callbacks, a subclass's fields): loaded as the weakref's own references, so they die with it (weakref tp_traverse / tp_clear). */
  weakrefReferences: number;
  /** Sum of the dumped reference counts (an immortal object counts its references in the graph plus one). */
  refcounts: number;
  /** Of those, explained by references in the graph. */
  explained: number;
  /** Of those, from outside the graph: loaded as root bindings … */
  externalRoots: number;
  /** … or as leaked references (`leaks: "suspect"`). */
  externalLeaks: number;
  /** Objects with at least one external reference. */
  objectsWithExternal: number;
  /** Objects whose reference count is below the references the graph holds to them (a dump inconsistency; none expected). */
  belowGraph: number;
  immortal: number;
  weakrefsLinked: number;
  /** Weakrefs that are dead, or whose referent is not in the dump. */
  weakrefsUnlinked: number;
  /** Of those, weakrefs to objects of the engine's "other" type, unlinked because this engine does not handle them (see `warnings`). */
  weakrefsUnsupported: number;
  /** Objects nothing referred to (refcount 0 once loaded): released at once. */
  released: number;
  /** Objects the interpreter's roots reach (`leaks: "suspect"` only; -1 otherwise). */
  reachedFromRoots: number;
  /** Weakrefs whose callback removes them from a standard-library container (the dump's wr.removes). */
  selfRemoving: number;
  /** Objects whose finalizer releases references (the dump's fin_drops: 3.4–3.10 generators' frames). */
  finalizerDrops: number;
}

/** What a heap made by Heap.fromDump knows about its dump. */
export interface DumpInfo {
  dump: DumpData;
  /** The dump's interpreter version ("3.11.7"); heap.profile is the simulated one. */
  python: string;
  leaks: "roots" | "suspect";
  /** Engine id of each dump object, by dump index (0: released at load). */
  ids: Uint32Array;
  /** External references loaded per dump object. */
  roots: Uint32Array;
  leaked: Uint32Array;
  stats: LoadStats;
  /** What the simulated heap cannot reproduce of this dump, one sentence each. */
  warnings: string[];
  /** The dump index of a live engine id, or -1 (not from the dump, or freed since). */
  indexOf(id: number): number;
}

const infos = new WeakMap<Heap, DumpInfo>();
const otherWeakrefSupport = new Map<string, boolean>();

/**
 * Whether the engine handles weakrefs to objects of the "other" type (any
 * Python type but list, dict, tuple): the heap invariants accept them, and a
 * collection clears them and runs their callbacks (handle_weakrefs). Probed
 * once per build on a two-object heap: a self-referencing "other" object
 * watched by a bound weakref with a callback, then a full collection. Where
 * the engine lacks it, the loader leaves such weakrefs unlinked (they act as
 * dead weakrefs) rather than build a heap the engine mishandles.
 */
function enginesWeakrefsToOther(make: (o: { python: string; build?: BuildKind }) => LoadTarget, build: BuildKind | undefined): boolean {
  const key = build ?? "release";
  let ok = otherWeakrefSupport.get(key);
  if (ok !== undefined) return ok;
  const { run } = make({ python: "3.11", build });
  try {
    ok = run("probe", (w) => {
      const p = w.ioReserve(32);
      if (!p) return false;
      new Uint32Array(w.memory.buffer, p, 8).set([T_OTHER, 0, 16, 2, T_WEAKREF, 0, 16, 2]);
      if (w.loadObjects(2) !== 2) return false;
      const [a, wr] = new Uint32Array(w.memory.buffer, w.ioPtr(), 2);
      new Uint32Array(w.memory.buffer, w.ioReserve(8), 2).set([a, a]);
      if (w.loadEdges(1) !== Status.OK || w.loadSetExternal(wr, 1, 0) !== Status.OK) return false;
      if (w.loadLinkWeakref(wr, a, 1) !== Status.OK || w.invariants() !== 0) return false;
      w.eventsClear();
      if (w.collect(2) !== 1 || w.isLive(a)) return false;
      const W = w.eventWords();
      const events = new Uint32Array(w.memory.buffer, w.eventsPtr(), w.eventsCount() * W);
      let callbacks = 0;
      for (let i = 0; i < events.length; i += W) if (events[i] === 2 && events[i + 1] === wr) callbacks++;
      return callbacks === 1 && w.invariants() === 0 && w.derefWeakref(wr) === 0;
    });
  } catch {
    ok = false; // the debug build traps on the invariant
  }
  otherWeakrefSupport.set(key, ok);
  return ok;
}

/** The dump a heap was loaded from (undefined for heaps built through the API). */
export function dumpInfo(heap: Heap): DumpInfo | undefined {
  return infos.get(heap);
}

function engineType(d: DumpData, i: number): number {
  if (d.bits[i] & DumpBit.WEAKREF) return T_WEAKREF;
  const t = d.typeNames[d.typeOf[i]];
  return t === "list" ? T_LIST : t === "dict" ? T_DICT : t === "tuple" ? T_TUPLE : T_OTHER;
}

/** A dump: a path, its text, its bytes (gzip or not), or one parseDump() already read (a page: no path, no gzip; docs/browser.md). */
export type DumpSource = string | Uint8Array | DumpData;

function isDumpData(x: unknown): x is DumpData {
  return typeof x === "object" && x !== null && !(x instanceof Uint8Array) && "header" in x && "refStart" in x;
}

/**
 * Which objects lie on a reference cycle (a strongly connected component of
 * two or more, or a self-reference), by Tarjan's algorithm without recursion.
 */
function onCycles(d: DumpData): Uint8Array {
  const n = d.n, R = d.refs, RS = d.refStart;
  const end = (v: number) => RS[v + 1];
  const index = new Int32Array(n).fill(-1), low = new Int32Array(n), onStack = new Uint8Array(n);
  const out = new Uint8Array(n);
  const stack: number[] = [], calls: number[] = [], cursor: number[] = [];
  let next = 0;
  for (let s0 = 0; s0 < n; s0++) {
    if (index[s0] >= 0) continue;
    index[s0] = low[s0] = next++; stack.push(s0); onStack[s0] = 1; calls.push(s0); cursor.push(RS[s0]);
    while (calls.length) {
      const top = calls.length - 1, v = calls[top];
      if (cursor[top] < end(v)) {
        const w = R[cursor[top]++];
        if (w === v) out[v] = 1;
        if (index[w] < 0) {
          index[w] = low[w] = next++; stack.push(w); onStack[w] = 1; calls.push(w); cursor.push(RS[w]);
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      calls.pop(); cursor.pop();
      if (calls.length) { const u = calls[calls.length - 1]; if (low[v] < low[u]) low[u] = low[v]; }
      if (low[v] === index[v]) {
        // v is the root of a component: its members are on the stack down to v
        const bottom = stack.lastIndexOf(v);
        const size = stack.length - bottom;
        for (let k = bottom; k < stack.length; k++) {
          onStack[stack[k]] = 0;
          if (size > 1) out[stack[k]] = 1;
        }
        stack.length = bottom;
      }
    }
  }
  return out;
}

/** Parses the dump, makes the heap with `make`, and loads the dump into it. */
export function loadDump(
  source: DumpSource, options: FromDumpOptions, make: (o: { python: string; build?: BuildKind; memoryLimitBytes?: number }) => LoadTarget,
): Heap {
  const op = "fromDump";
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options must be an object", op);
  const leaks = options.leaks ?? "roots";
  if (leaks !== "roots" && leaks !== "suspect") throw new InvalidArgumentError(`leaks must be "roots" or "suspect", got ${JSON.stringify(leaks)}`, op);
  const d = isDumpData(source) ? source : parseDump(source, undefined, { maxBytes: options.maxDumpBytes });
  let profile: Profile;
  try {
    // the user's choice wins: a dump of a version without a profile loads under it
    profile = getProfile(options.python ?? d.header.python);
  } catch (e) {
    if (options.python === undefined && e instanceof PygcsimError) {
      throw new UnknownVersionError(`${e.message}; the dump was made by Python ${d.header.python}: give a profile (python: "X.Y", --python X.Y)`, op);
    }
    throw e;
  }
  const target = make({ python: profile.version, build: options.build, memoryLimitBytes: options.memoryLimitBytes });
  const { heap, run } = target;
  const n = d.n;
  const stats: LoadStats = {
    objects: n, tracked: 0, untracked: 0, frozen: 0, unknownGeneration: 0, references: 0, weakrefReferences: 0,
    refcounts: 0, explained: 0, externalRoots: 0, externalLeaks: 0, objectsWithExternal: 0, belowGraph: 0,
    immortal: 0, weakrefsLinked: 0, weakrefsUnlinked: 0, weakrefsUnsupported: 0, released: 0, reachedFromRoots: -1, selfRemoving: 0, finalizerDrops: 0,
  };
  const warnings: string[] = [];
  const linkOther = d.weakrefs.size === 0 || enginesWeakrefsToOther(make, options.build);

  // ── the type-name table: dump type k is heap name k + 1 ──
  const nameBase = target.typeNames.length;
  for (const t of d.typeNames) target.typeNames.push(t); // (a spread of 120,000+ names overflows the stack)

  const etype = new Uint8Array(n);
  for (let i = 0; i < n; i++) etype[i] = engineType(d, i);

  // ── objects ──
  const ids = new Uint32Array(n);
  for (let start = 0; start < n; start += CHUNK) {
    const m = Math.min(CHUNK, n - start);
    run(op, (w) => {
      const p = w.ioReserve(m * 16);
      if (!p) throw new OutOfMemoryError(`no room for ${m} object records`, op);
      const rec = new Uint32Array(w.memory.buffer, p, m * 4);
      for (let k = 0; k < m; k++) {
        const i = start + k, b = d.bits[i];
        rec[4 * k] = etype[i];
        rec[4 * k + 1] = nameBase + d.typeOf[i];
        rec[4 * k + 2] = Math.min(d.size[i], 0xFFFFFFFF);
        rec[4 * k + 3] = (b & DumpBit.DEL ? 1 : 0) | (b & DumpBit.TRACKED ? 2 : 0) | (b & DumpBit.FINALIZED ? 4 : 0);
      }
      const r = w.loadObjects(m);
      if (r === -Status.E_OUT_OF_MEMORY) throw new OutOfMemoryError(`linear memory cannot grow to ${start + m} objects`, op);
      if (r < 0) throw new DumpFormatError(`the engine refused object ${start + w.loadBadIndex()} (status ${-r})`, d.source, 0);
      ids.set(new Uint32Array(w.memory.buffer, w.ioPtr(), m), start);
    });
  }

  // ── references, in traversal order (lists and tuples: the engine keeps item order) ──
  const indeg = new Uint32Array(n);
  {
    const R = d.refs, RS = d.refStart;
    let pairs: Uint32Array | null = null, np = 0;
    const flush = () => {
      if (np === 0) return;
      const count = np;
      run(op, (w) => {
        const p = w.ioReserve(count * 8);
        if (!p) throw new OutOfMemoryError(`no room for ${count} references`, op);
        new Uint32Array(w.memory.buffer, p, count * 2).set(pairs!.subarray(0, count * 2));
        const r = w.loadEdges(count);
        if (r === Status.E_OUT_OF_MEMORY) throw new OutOfMemoryError("linear memory cannot grow for the references", op);
        if (r !== Status.OK) throw new DumpFormatError(`the engine refused a reference (status ${r}, pair ${w.loadBadIndex()})`, d.source, 0);
      });
      np = 0;
    };
    for (let i = 0; i < n; i++) {
      const a = RS[i], b = RS[i + 1];
      if (a === b) continue;
      // a weakref's references (its callback, a subclass's fields) are its own: they die with it
      if (etype[i] === T_WEAKREF) stats.weakrefReferences += b - a;
      const reverse = etype[i] === T_LIST || etype[i] === T_TUPLE; // tp_traverse visits their items last to first
      for (let k = 0; k < b - a; k++) {
        const to = R[reverse ? b - 1 - k : a + k];
        if (!pairs) pairs = new Uint32Array(2 * CHUNK);
        pairs[2 * np] = ids[i];
        pairs[2 * np + 1] = ids[to];
        np++;
        indeg[to]++;
        if (np === CHUNK) flush();
      }
    }
    flush();
  }

  // ── external references: what the reference counts say beyond the graph ──
  const ext = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const immortal = (d.bits[i] & DumpBit.IMMORTAL) !== 0;
    const rc = immortal ? indeg[i] + 1 : d.rc[i];
    if (immortal) stats.immortal++;
    stats.refcounts += immortal ? indeg[i] + 1 : d.rc[i];
    stats.references += indeg[i];
    if (indeg[i] > MAX_REFCOUNT) {
      throw new DumpFormatError(`object ${i}: the dump holds ${indeg[i]} references to it, above the largest reference count the simulator holds (2^29 - 1)`, d.source, 0, "refs");
    }
    let e = rc - indeg[i];
    if (e < 0) { stats.belowGraph++; e = 0; }
    ext[i] = e; // rc ≤ MAX_REFCOUNT (parseDump) or indeg + 1: within the engine's count
  }
  stats.explained = stats.references;
  let suspect: Uint8Array | null = null;
  if (leaks === "suspect") {
    const reached = new Uint8Array(n);
    const stack: number[] = [];
    for (const list of Object.values(d.header.roots ?? {})) {
      for (const x of list) if (!reached[x]) { reached[x] = 1; stack.push(x); }
    }
    while (stack.length) {
      const x = stack.pop()!;
      for (let k = d.refStart[x]; k < d.refStart[x + 1]; k++) {
        const y = d.refs[k];
        if (!reached[y]) { reached[y] = 1; stack.push(y); }
      }
    }
    stats.reachedFromRoots = reached.reduce((s, v) => s + v, 0);
    const cyclic = onCycles(d);
    suspect = new Uint8Array(n);
    for (let i = 0; i < n; i++) suspect[i] = !reached[i] && cyclic[i] ? 1 : 0;
  }
  const rootsOf = new Uint32Array(n), leakedOf = new Uint32Array(n);
  run(op, (w) => {
    for (let i = 0; i < n; i++) {
      const e = ext[i];
      if (e === 0) continue;
      stats.objectsWithExternal++;
      const asLeak = suspect !== null && suspect[i] === 1;
      if (asLeak) { leakedOf[i] = e; stats.externalLeaks += e; } else { rootsOf[i] = e; stats.externalRoots += e; }
      const r = w.loadSetExternal(ids[i], asLeak ? 0 : e, asLeak ? e : 0);
      if (r !== Status.OK) throw new PygcsimError(`engine status ${r} setting the external references of object ${i}`, op);
    }
  });

  // ── generations, in CPython's list order (loadObjects put every tracked object in generation 0, in file order) ──
  run(op, (w) => {
    for (let i = 0; i < n; i++) {
      if (!(d.bits[i] & DumpBit.TRACKED)) { stats.untracked++; continue; }
      stats.tracked++;
      let g = d.gen[i];
      if (g < 0) { stats.unknownGeneration++; g = 2; }
      if (g === 3) stats.frozen++;
      if (g === 0) continue;
      const r = w.loadSetGeneration(ids[i], g);
      if (r !== Status.OK) throw new PygcsimError(`engine status ${r} placing object ${i} in generation ${g}`, op);
    }
  });

  // ── weakrefs: linked from the tail of each referent's list, which rebuilds CPython's order ──
  run(op, (w) => {
    for (const [t, wl] of d.weakrefs) {
      for (let k = wl.length - 1; k >= 0; k--) {
        const x = wl[k];
        if (etype[t] === T_OTHER && !linkOther) { stats.weakrefsUnlinked++; stats.weakrefsUnsupported++; continue; }
        const r = w.loadLinkWeakref(ids[x], ids[t], (d.bits[x] & DumpBit.CALLBACK) !== 0 ? 1 : 0);
        if (r === Status.OK) stats.weakrefsLinked++;
        else if (r === Status.E_NOT_WEAKREFABLE) stats.weakrefsUnlinked++;
        else throw new PygcsimError(`engine status ${r} linking weakref ${x} to object ${t}`, op);
      }
    }
    for (const [, t] of d.wrTarget) if (t < 0) stats.weakrefsUnlinked++;
  });

  // ── what loaded callbacks and finalizers do that the engine cannot run: self-removing
  //    weakref callbacks (WeakSet, WeakKey/ValueDictionary, ABC caches) and 3.4–3.10
  //    generators' close releasing their frame (assembly/load/callbacks.ts) ──
  if (d.removes.size || d.finDrops.size) {
    const keys: { x: number; kind: number; list: number[] }[] = [];
    for (const [x, rm] of d.removes) if (ids[x] && (d.bits[x] & DumpBit.CALLBACK) && ids[rm[0]]) keys.push({ x, kind: 0, list: rm });
    for (const [x, fd] of d.finDrops) if (ids[x] && !d.removes.has(x) && etype[x] === T_OTHER) keys.push({ x, kind: 1, list: [x, ...fd] });
    keys.sort((a, b) => ids[a.x] - ids[b.x]);
    run(op, (w) => {
      const payload: number[] = [];
      const pairs: number[] = [];
      for (const { x, kind, list } of keys) {
        const [c, ...drop] = list;
        pairs.push(ids[x], payload.length);
        payload.push(ids[c], w.objectSerial(ids[c]) >>> 0, (drop.length | (kind << 31)) >>> 0);
        for (const y of drop) payload.push(ids[y], ids[y] ? w.objectSerial(ids[y]) >>> 0 : 0);
        if (kind === 0) stats.selfRemoving++; else stats.finalizerDrops++;
      }
      const words = pairs.length + payload.length;
      const p = w.ioReserve(words * 4);
      if (!p && words) throw new OutOfMemoryError("no room for the callbacks' table", op);
      const buf = new Uint32Array(w.memory.buffer, p, words);
      buf.set(pairs);
      buf.set(payload, pairs.length);
      const r = w.loadSetRemovals(pairs.length / 2, payload.length);
      if (r === Status.E_OUT_OF_MEMORY) throw new OutOfMemoryError("linear memory cannot grow for the callbacks' table", op);
      if (r !== Status.OK) throw new DumpFormatError(`the engine refused what object ${keys[w.loadRemovalBadIndex()].x}'s callback or finalizer releases (status ${r})`, d.source, 0, "wr.removes");
    });
  }

  if (stats.weakrefsUnsupported) {
    warnings.push(`${stats.weakrefsUnsupported} weakrefs to objects of the engine's "other" type are left unlinked (dead): `
      + "this engine does not clear them or run their callbacks in a collection");
  }
  if (stats.unknownGeneration) warnings.push(`${stats.unknownGeneration} tracked objects of unknown generation are placed in generation 2`);
  if (stats.belowGraph) warnings.push(`${stats.belowGraph} objects have a reference count below the references the dump found to them`);

  // ── the collector's state ──
  const [c0, c1, c2] = d.header.gc.count;
  run(op, (w) => w.loadSetCounts(c0, c1, c2));
  let sameSeries = false;
  try { sameSeries = getProfile(d.header.python).series === profile.series; } catch { /* no profile for the dump's own version */ }
  const thr = d.header.gc.threshold;
  if (sameSeries && thr.length === 3) heap.setThreshold(thr[0], thr[1], thr[2]);
  if (!d.header.gc.enabled) heap.disable();

  // ── objects nothing refers to would not exist ──
  stats.released = run(op, (w) => {
    const p = w.ioReserve(n * 4);
    if (!p && n) throw new OutOfMemoryError("no room for the id list", op);
    new Uint32Array(w.memory.buffer, p, n).set(ids);
    return w.loadFinish(n);
  });
  const serials = new Uint32Array(n);
  const where = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (!heap.exists(ids[i])) { ids[i] = 0; continue; }
    serials[i] = heap.serial(ids[i]);
    where.set(ids[i], i);
  }
  if (options.build === "debug") heap.debug.checkInvariants();

  infos.set(heap, {
    dump: d, python: d.header.python, leaks, ids, roots: rootsOf, leaked: leakedOf, stats, warnings,
    indexOf(id: number): number {
      const i = where.get(id);
      return i !== undefined && heap.exists(id) && heap.serial(id) === serials[i] ? i : -1;
    },
  });
  return heap;
}
