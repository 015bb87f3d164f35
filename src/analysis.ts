// Heap analyses (objgraph and pympler territory): why an object is alive,
// which objects nothing reaches, the cycles among them, retained sizes from
// a dominator tree, and live objects and bytes per type. The work per object
// and per reference runs in wasm (assembly/analysis/); this layer validates
// arguments, names the sources, and caches the dominator results until the
// heap changes.
//
// Sources of strong references from outside the object graph — together with
// the graph's own references they explain every refcount:
//   "roots"        root bindings (names)
//   "leaks"        references leaked by incref (the C-extension bug)
//   "garbage"      gc.garbage entries
//   "resurrected"  the resurrection list of "resurrect" finalizers
//
// Use it as `heap.analysis.whyAlive(id)`, or through the functions at the end
// of this file that take the Heap.

import type { Heap } from "./heap.js";
import type { EngineExports } from "./wasm/engine.js";
import type { HeapPart } from "./heap/part.js";
import { EMPTY_TUPLE_ID, INT_LITERAL_ID, Status } from "./wasm/status.js";
import { InvalidArgumentError, OutOfMemoryError, PygcsimError, UnknownObjectError } from "./errors.js";

export type Source = "roots" | "leaks" | "garbage" | "resurrected";
export const SOURCES: readonly Source[] = ["roots", "leaks", "garbage", "resurrected"];
const SOURCE_BITS: Record<Source, number> = { roots: 1, leaks: 2, garbage: 4, resurrected: 8 };

export interface SourceOptions {
  /** Which outside references count as sources (default: depends on the analysis). */
  sources?: readonly Source[];
}

export interface Reachability {
  /** Distinct source objects. */
  sources: number;
  /** Objects reachable from them (sources included). */
  reached: number;
  /** Live objects not reachable, in id order. */
  unreachable: number[];
}

export interface Retainer {
  id: number;
  /** Bytes freed if the object's outside references went away: its size plus what it alone keeps alive. */
  retained: number;
  /** The object's own simulated size. */
  size: number;
  /** Its type name (a loaded heap's own type names, else obj, list, …). */
  type: string;
}

export interface TypeCount {
  type: string;
  count: number;
  bytes: number;
}

export interface TypeGrowth extends TypeCount {
  /** after.count − before.count */
  countDelta: number;
  /** after.bytes − before.bytes */
  bytesDelta: number;
}

/** Engine type ids (assembly/common.ts) → names; 8 is a loaded Python object of another type. */
export const ENGINE_TYPE_NAMES = ["obj", "fin", "list", "dict", "tuple", "int", "str", "weakref", "other"] as const;

function engineTypeName(t: number): string {
  return ENGINE_TYPE_NAMES[t] ?? `type${t}`;
}

export class HeapAnalysis {
  /** The dominator results kept in the engine: valid while changes() and the mask are the same. */
  private retainedKey: { changes: number; mask: number } | null = null;

  constructor(private readonly access: HeapPart) {}

  // ── arguments ─────────────────────────────────────────────────────────────
  private mask(op: string, options: SourceOptions | undefined, defaults: readonly Source[]): number {
    if (options !== undefined && (options === null || typeof options !== "object")) {
      throw new InvalidArgumentError(`options must be an object`, op);
    }
    const sources = options?.sources ?? defaults;
    if (!Array.isArray(sources)) throw new InvalidArgumentError(`sources must be an array of ${SOURCES.join(", ")}`, op);
    let m = 0;
    for (const s of sources) {
      const bit = SOURCE_BITS[s as Source];
      if (typeof s !== "string" || bit === undefined || !Object.hasOwn(SOURCE_BITS, s)) {
        throw new InvalidArgumentError(`unknown source ${JSON.stringify(s)} (expected ${SOURCES.join(", ")})`, op);
      }
      m |= bit;
    }
    return m;
  }

  /** A live object of the analysed graph: not one of the two immortal singletons. */
  private object(op: string, x: unknown, what = "id"): number {
    const id = this.access.id(op, x, what);
    if (id === EMPTY_TUPLE_ID || id === INT_LITERAL_ID) {
      throw new InvalidArgumentError(`${what} ${id} is an immortal singleton (${id === EMPTY_TUPLE_ID ? "()" : "the int literal"}): it is alive whatever refers to it`, op);
    }
    return id;
  }

  private ids(op: string, ids: unknown, what = "ids"): ArrayLike<number> {
    if (ids instanceof Uint32Array) return ids;
    if (!Array.isArray(ids)) throw new InvalidArgumentError(`${what} must be an array of ids`, op);
    for (let i = 0; i < ids.length; i++) {
      const x = ids[i];
      if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > 0xFFFFFFFF) {
        throw new InvalidArgumentError(`${what}[${i}] must be an object id (a non-negative integer), got ${String(x)}`, op);
      }
    }
    return ids as number[];
  }

  private check(op: string, r: number, w: EngineExports, ids?: ArrayLike<number>): number {
    if (r >= 0) return r;
    if (-r === Status.E_OUT_OF_MEMORY) throw new OutOfMemoryError(`linear memory cannot grow for the analysis`, op);
    if (-r === Status.E_NO_OBJECT && ids) {
      const i = w.analysisBadIndex();
      throw new UnknownObjectError(op, ids[i], `ids[${i}]`);
    }
    throw new PygcsimError(`engine status ${-r}`, op);
  }

  private static read(w: EngineExports, from: number, n: number): Uint32Array {
    return new Uint32Array(w.memory.buffer, w.ioPtr() + from * 4, n);
  }

  private static write(op: string, w: EngineExports, ids: ArrayLike<number>): void {
    const p = w.ioReserve(ids.length * 4);
    if (!p && ids.length) throw new OutOfMemoryError("no room for the ids", op);
    new Uint32Array(w.memory.buffer, p, ids.length).set(ids);
  }

  // ── reachability ──────────────────────────────────────────────────────────
  /**
   * Everything reachable from the sources (default: root bindings only):
   * how many sources and reached objects, and the live objects not reached.
   */
  reachability(options?: SourceOptions): Reachability {
    const op = "reachability";
    const mask = this.mask(op, options, ["roots"]);
    return this.access.read(op, (w) => {
      const n = this.check(op, w.analysisReach(mask), w);
      return {
        sources: w.analysisSourceCount(),
        reached: w.analysisReachedCount(),
        unreachable: Array.from(HeapAnalysis.read(w, 0, n)),
      };
    });
  }

  /**
   * Live objects that no chain of references from a root binding reaches
   * (in id order): leaked objects and what they hold, gc.garbage, the
   * resurrection list, and cyclic trash the collector has not freed yet.
   * `sources` widens what counts as a root.
   */
  unreachableFromRoots(options?: SourceOptions): number[] {
    return this.reachability(options).unreachable;
  }

  /**
   * Why is `id` alive? The shortest chain of references from a source to it
   * (default: every source), source first and `id` last; [id] when it is a
   * source itself; null when no source reaches it (cyclic trash). Between
   * equally short chains, each object's predecessor is the lowest-id object
   * one step closer to the sources that refers to it.
   */
  whyAlive(id: number, options?: SourceOptions): number[] | null {
    const op = "whyAlive";
    const x = this.object(op, id);
    const mask = this.mask(op, options, SOURCES);
    return this.access.read(op, (w) => {
      const n = this.check(op, w.analysisPath(mask, x), w);
      return n === 0 ? null : Array.from(HeapAnalysis.read(w, 0, n));
    });
  }

  /** The shortest chain from a source to whichever of `ids` is nearest (as whyAlive); null when none is reached. */
  pathToAny(ids: ArrayLike<number>, options?: SourceOptions): number[] | null {
    const op = "pathToAny";
    const list = this.ids(op, ids);
    for (let i = 0; i < list.length; i++) {
      if (list[i] === EMPTY_TUPLE_ID || list[i] === INT_LITERAL_ID) this.object(op, list[i], `ids[${i}]`);
    }
    const mask = this.mask(op, options, SOURCES);
    return this.access.read(op, (w) => {
      HeapAnalysis.write(op, w, list);
      const n = this.check(op, w.analysisPathToAny(mask, list.length), w, list);
      return n === 0 ? null : Array.from(HeapAnalysis.read(w, 0, n));
    });
  }

  // ── cycles ────────────────────────────────────────────────────────────────
  /**
   * The cycles among `ids`: strongly connected components of the subgraph
   * they induce that have two or more members, or one that refers to
   * itself. Each cycle lists its members in input order; cycles are ordered
   * by their first member's position. Without ids: the cycles among the live
   * objects unreachable from the sources (default: root bindings), members
   * and cycles in id order.
   */
  cycles(ids?: ArrayLike<number>, options?: SourceOptions): number[][] {
    const op = "cycles";
    if (ids === undefined || ids === null) {
      const mask = this.mask(op, options, ["roots"]);
      return this.access.read(op, (w) => {
        const m = this.check(op, w.analysisUnreachableScc(mask), w);
        const words = HeapAnalysis.read(w, 0, 2 * m + w.analysisComponentCount());
        return HeapAnalysis.group(words.subarray(0, m), words.subarray(m, 2 * m), words.subarray(2 * m));
      });
    }
    if (options !== undefined) throw new InvalidArgumentError("sources apply only when no ids are given", op);
    const list = this.ids(op, ids);
    return this.access.read(op, (w) => {
      HeapAnalysis.write(op, w, list);
      const c = this.check(op, w.analysisScc(list.length), w, list);
      const words = HeapAnalysis.read(w, 0, list.length + c);
      return HeapAnalysis.group(list, words.subarray(0, list.length), words.subarray(list.length));
    });
  }

  /** Members of the cyclic components, in input order; components by first member (comp REPEATED: a repeated id). */
  private static group(ids: ArrayLike<number>, comp: Uint32Array, cyclic: Uint32Array): number[][] {
    const REPEATED = 0xFFFFFFFF;
    const size = new Uint32Array(cyclic.length);
    for (let i = 0; i < ids.length; i++) {
      const c = comp[i];
      if (c !== REPEATED && cyclic[c]) size[c]++;
    }
    const slot = new Int32Array(cyclic.length).fill(-1);
    const fill = new Uint32Array(cyclic.length);
    const out: number[][] = [];
    for (let i = 0; i < ids.length; i++) {
      const c = comp[i];
      if (c === REPEATED || !cyclic[c]) continue;
      let s = slot[c];
      if (s < 0) { s = slot[c] = out.length; out.push(new Array<number>(size[c])); }
      out[s][fill[c]++] = ids[i];
    }
    return out;
  }

  // ── dominators and retained sizes ─────────────────────────────────────────
  /** Computes the dominator tree from the sources unless the engine holds it for this heap state. */
  private retained(op: string, options: SourceOptions | undefined, w: EngineExports): void {
    const mask = this.mask(op, options, SOURCES);
    const changes = this.access.changes();
    const k = this.retainedKey;
    if (k && k.changes === changes && k.mask === mask) return;
    this.retainedKey = null;
    this.check(op, w.analysisComputeRetained(mask), w);
    this.retainedKey = { changes, mask };
  }

  /**
   * Bytes that would be freed if `id` lost its outside references: its own
   * size plus the retained sizes of the objects it immediately dominates
   * (every chain from a source to them passes through it). null when no
   * source (default: every source) reaches it. Computed for the whole heap
   * at the first call after a change, then looked up.
   */
  retainedSize(id: number, options?: SourceOptions): number | null {
    const op = "retainedSize";
    const x = this.object(op, id);
    return this.access.read(op, (w) => {
      this.retained(op, options, w);
      const r = w.analysisRetained(x);
      return r < 0 ? null : r;
    });
  }

  /**
   * The immediate dominator of `id`: the nearest object every chain from a
   * source to it passes through. null when no single object does (only the
   * sources together: e.g. a source itself) or when no source reaches `id`.
   */
  immediateDominator(id: number, options?: SourceOptions): number | null {
    const op = "immediateDominator";
    const x = this.object(op, id);
    return this.access.read(op, (w) => {
      this.retained(op, options, w);
      const d = w.analysisIdom(x);
      return d <= 0 ? null : d;
    });
  }

  /** Bytes of everything the sources reach (the dominator tree's total). */
  reachableBytes(options?: SourceOptions): number {
    const op = "reachableBytes";
    return this.access.read(op, (w) => {
      this.retained(op, options, w);
      return w.analysisRetainedTotal();
    });
  }

  /** The k objects of largest retained size, largest first (ties: lower id first). */
  topRetainers(k: number, options?: SourceOptions): Retainer[] {
    const op = "topRetainers";
    if (!Number.isInteger(k) || k < 0 || k > 0xFFFFFFFF) throw new InvalidArgumentError(`k must be a non-negative integer, got ${k}`, op);
    return this.access.read(op, (w) => {
      this.retained(op, options, w);
      const n = this.check(op, w.analysisTopRetainers(k), w);
      const r = HeapAnalysis.read(w, 0, n * 6).slice();
      const out: Retainer[] = [];
      for (let i = 0; i < n; i++) {
        const o = i * 6;
        const type = r[o + 5] === 0 ? engineTypeName(r[o + 1]) : this.access.typeName(r[o]);
        out.push({ id: r[o], retained: r[o + 3] + r[o + 4] * 4294967296, size: r[o + 2], type });
      }
      return out;
    });
  }

  /** Frees the engine memory holding the dominator results (they are recomputed when next needed). */
  release(): void {
    this.retainedKey = null;
    this.access.read("release", (w) => w.analysisReleaseRetained());
  }

  // ── counts by type ────────────────────────────────────────────────────────
  /**
   * Live objects and their simulated bytes per type name (a loaded heap's
   * own type names, else obj, list, …), most numerous first (ties by name).
   * The two immortal singletons are not counted.
   */
  countsByType(): TypeCount[] {
    const op = "countsByType";
    const records = this.access.read(op, (w) => {
      const n = this.check(op, w.analysisCountsByType(), w);
      return HeapAnalysis.read(w, 0, n * 6).slice();
    });
    const byName = new Map<string, TypeCount>();
    for (let o = 0; o < records.length; o += 6) {
      // a record per (engine type, type-name index); its first id gives the name
      const type = records[o + 1] === 0 ? engineTypeName(records[o]) : this.access.typeName(records[o + 5]);
      const count = records[o + 2], bytes = records[o + 3] + records[o + 4] * 4294967296;
      const e = byName.get(type);
      if (e) { e.count += count; e.bytes += bytes; } else byName.set(type, { type, count, bytes });
    }
    return [...byName.values()].sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }
}

function checkCounts(op: string, counts: unknown, what: string): readonly TypeCount[] {
  if (!Array.isArray(counts)) throw new InvalidArgumentError(`${what} must be a countsByType() result`, op);
  counts.forEach((c, i) => {
    if (!c || typeof c.type !== "string" || !Number.isFinite(c.count) || !Number.isFinite(c.bytes)) {
      throw new InvalidArgumentError(`${what}[${i}] is not a {type, count, bytes} record`, op);
    }
  });
  return counts as TypeCount[];
}

/**
 * What changed between two countsByType() snapshots (objgraph's
 * show_growth): every type whose count or bytes differ, with the counts
 * after and the deltas, largest count increase first (then bytes, then name).
 */
export function growth(before: readonly TypeCount[], after: readonly TypeCount[]): TypeGrowth[] {
  const op = "growth";
  const b = new Map(checkCounts(op, before, "before").map((c) => [c.type, c]));
  const a = new Map(checkCounts(op, after, "after").map((c) => [c.type, c]));
  const out: TypeGrowth[] = [];
  for (const type of new Set([...b.keys(), ...a.keys()])) {
    const x = b.get(type), y = a.get(type);
    const count = y?.count ?? 0, bytes = y?.bytes ?? 0;
    const countDelta = count - (x?.count ?? 0), bytesDelta = bytes - (x?.bytes ?? 0);
    if (countDelta !== 0 || bytesDelta !== 0) out.push({ type, count, bytes, countDelta, bytesDelta });
  }
  return out.sort((p, q) => q.countDelta - p.countDelta || q.bytesDelta - p.bytesDelta || (p.type < q.type ? -1 : p.type > q.type ? 1 : 0));
}

// ── the same as functions taking the Heap ───────────────────────────────────
export const whyAlive = (heap: Heap, id: number, options?: SourceOptions) => heap.analysis.whyAlive(id, options);
export const unreachableFromRoots = (heap: Heap, options?: SourceOptions) => heap.analysis.unreachableFromRoots(options);
export const cycles = (heap: Heap, ids?: ArrayLike<number>, options?: SourceOptions) => heap.analysis.cycles(ids, options);
export const retainedSize = (heap: Heap, id: number, options?: SourceOptions) => heap.analysis.retainedSize(id, options);
export const topRetainers = (heap: Heap, k: number, options?: SourceOptions) => heap.analysis.topRetainers(k, options);
export const countsByType = (heap: Heap) => heap.analysis.countsByType();
