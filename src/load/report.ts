// What `pygcsim load` prints: a summary of a loaded dump, and what a full
// collection would do to it now under a profile.

import type { Heap, HeapEvent } from "../heap.js";
import { DEBUG_SAVEALL } from "../heap.js";
import { dumpInfo, type DumpInfo } from "./load.js";
import { PygcsimError } from "../errors.js";

export interface TypeTally {
  type: string;
  count: number;
  bytes: number;
}

export interface LoadSummary {
  source: string;
  /** The interpreter that made the dump. */
  python: string;
  /** The profile the heap simulates. */
  profile: string;
  objects: number;
  tracked: number;
  untracked: number;
  frozen: number;
  references: number;
  /** sys.getsizeof of every dumped object. */
  bytes: number;
  atoms: { references: number; distinct: number; bytes: number } | null;
  /** Tracked objects per generation: 0, 1, 2, permanent. */
  generations: [number, number, number, number];
  count: [number, number, number];
  threshold: [number, number, number];
  enabled: boolean;
  refcounts: { total: number; explained: number; external: number; roots: number; leaks: number; objectsWithExternal: number };
  /** Immortal objects (3.12+, 3.11's deep-frozen ones): loaded with one external reference beyond the graph's. */
  immortal: number;
  leaks: "roots" | "suspect";
  byType: TypeTally[];
  warnings: string[];
}

export interface CollectionForecast {
  /** The profile's version. */
  python: string;
  /** gc.collect()'s return value. */
  unreachable: number;
  collected: number;
  uncollectable: number;
  /** Tracked objects the collection freed, by type (most first). */
  freedByType: TypeTally[];
  /** Objects freed in all, and their bytes (untracked ones freed with the garbage included). */
  freed: number;
  freedBytes: number;
  /** What ended in gc.garbage, by type. */
  garbageByType: TypeTally[];
  finalizers: number;
  callbacks: number;
}

function need(heap: Heap, op: string): DumpInfo {
  const info = dumpInfo(heap);
  if (!info) throw new PygcsimError("this heap was not loaded from a dump (Heap.fromDump)", op);
  return info;
}

function tally(entries: Iterable<[string, number]>): TypeTally[] {
  const m = new Map<string, TypeTally>();
  for (const [type, bytes] of entries) {
    const e = m.get(type);
    if (e) { e.count++; e.bytes += bytes; } else m.set(type, { type, count: 1, bytes });
  }
  return [...m.values()].sort((a, b) => b.count - a.count || b.bytes - a.bytes || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

/** The summary of a heap loaded by Heap.fromDump, as it is now. */
export function summarizeLoad(heap: Heap): LoadSummary {
  const info = need(heap, "summarizeLoad");
  const d = info.dump, s = info.stats;
  let bytes = 0;
  const types: [string, number][] = [];
  for (let i = 0; i < d.n; i++) {
    bytes += d.size[i];
    types.push([d.typeNames[d.typeOf[i]], d.size[i]]);
  }
  const gens = [0, 0, 0, 0] as [number, number, number, number];
  for (let i = 0; i < d.n; i++) {
    const id = info.ids[i];
    if (!id || !heap.exists(id) || !heap.isTracked(id)) continue;
    const g = d.gen[i] < 0 ? 2 : d.gen[i];
    gens[g]++;
  }
  return {
    source: d.source, python: info.python, profile: heap.profile.version,
    objects: d.n, tracked: s.tracked, untracked: s.untracked, frozen: s.frozen, references: s.references,
    bytes, atoms: d.trailer.atoms ?? null, generations: gens,
    count: heap.getCount(), threshold: heap.getThreshold(), enabled: heap.isEnabled(),
    refcounts: {
      total: s.refcounts, explained: s.explained, external: s.externalRoots + s.externalLeaks,
      roots: s.externalRoots, leaks: s.externalLeaks, objectsWithExternal: s.objectsWithExternal,
    },
    immortal: s.immortal, leaks: info.leaks, byType: tally(types), warnings: [...info.warnings],
  };
}

/**
 * Runs a full collection (gc.collect()) on a heap loaded by Heap.fromDump
 * and reports what it did. `saveAll` sets DEBUG_SAVEALL first, so that the
 * garbage stays in gc.garbage (what real CPython shows with that flag).
 */
export function forecastFullCollection(heap: Heap, options: { saveAll?: boolean } = {}): CollectionForecast {
  const info = need(heap, "forecastFullCollection");
  const d = info.dump;
  const typeOf = (id: number) => heap.typeNameOf(id);
  const sizeOf = (id: number) => { const i = info.indexOf(id); return i >= 0 ? d.size[i] : 0; };
  const tracked = [...heap.getObjects()].map((id) => ({ id, serial: heap.serial(id), type: typeOf(id), bytes: sizeOf(id) }));
  const liveBefore: { id: number; serial: number; bytes: number }[] = [];
  for (let i = 0; i < d.n; i++) {
    const id = info.ids[i];
    if (id && heap.exists(id)) liveBefore.push({ id, serial: heap.serial(id), bytes: d.size[i] });
  }
  let finalizers = 0, callbacks = 0;
  const off = heap.onEvent((e: HeapEvent) => {
    if (e.kind === "finalized") finalizers++;
    else if (e.kind === "callback") callbacks++;
  });
  const debug = heap.getDebug();
  if (options.saveAll) heap.setDebug(debug | DEBUG_SAVEALL);
  let unreachable: number;
  try {
    unreachable = heap.collect(2);
  } finally {
    off();
    if (options.saveAll) heap.setDebug(debug);
  }
  const last = heap.lastCollection();
  const gone = (x: { id: number; serial: number }) => !heap.exists(x.id) || heap.serial(x.id) !== x.serial;
  const freedTracked = tracked.filter(gone);
  const freedAll = liveBefore.filter(gone);
  return {
    python: heap.profile.version, unreachable, collected: last.collected, uncollectable: last.uncollectable,
    freedByType: tally(freedTracked.map((x) => [x.type, x.bytes])),
    freed: freedAll.length, freedBytes: freedAll.reduce((s, x) => s + x.bytes, 0),
    garbageByType: tally(heap.garbage.map((id) => [typeOf(id), sizeOf(id)])),
    finalizers, callbacks,
  };
}

const num = (n: number) => n.toLocaleString("en-US");
function bytesText(n: number): string {
  if (n < 10 * 1024) return `${num(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
function typesText(t: TypeTally[], max = 8): string {
  const head = t.slice(0, max).map((x) => `${num(x.count)} ${x.type}`).join(", ");
  return t.length > max ? `${head}, … (${t.length - max} more types)` : head;
}

/** The summary as text lines (`pygcsim load`). */
export function summaryText(s: LoadSummary, top = 12): string[] {
  const out: string[] = [];
  const [g0, g1, g2, gp] = s.generations;
  out.push(`dump       ${s.source}: CPython ${s.python}, ${num(s.objects)} objects, ${num(s.references)} references`);
  out.push(`profile    CPython ${s.profile}${s.profile === s.python ? "" : ` (the dump was made by ${s.python})`}`);
  out.push(`objects    ${num(s.tracked)} tracked, ${num(s.untracked)} untracked; ${bytesText(s.bytes)} (sys.getsizeof)`
    + (s.atoms ? `; ${num(s.atoms.references)} references to ${num(s.atoms.distinct)} atoms (ints, strs, …), ${bytesText(s.atoms.bytes)}` : ""));
  out.push(`generations 0: ${num(g0)} · 1: ${num(g1)} · 2: ${num(g2)} · permanent: ${num(gp)}; `
    + `gc.get_count() = (${s.count.join(", ")}), thresholds ${s.threshold.join("/")}, automatic collection ${s.enabled ? "on" : "off"}`);
  const r = s.refcounts;
  const where = s.leaks === "suspect"
    ? `: ${num(r.roots)} loaded as root bindings, ${num(r.leaks)} as suspected leaks`
    : " → root bindings";
  out.push(`refcounts  ${num(r.total)}: ${num(r.explained)} explained by references in the dump, `
    + `${num(r.external)} from outside it (on ${num(r.objectsWithExternal)} objects)${where}`
    + (s.immortal ? `; ${num(s.immortal)} immortal objects count one external reference` : ""));
  out.push(`by type (${Math.min(top, s.byType.length)} of ${s.byType.length}):`);
  const w = Math.max(4, ...s.byType.slice(0, top).map((t) => t.type.length));
  out.push(`  ${"type".padEnd(w)}  ${"objects".padStart(9)}  ${"bytes".padStart(11)}`);
  for (const t of s.byType.slice(0, top)) out.push(`  ${t.type.padEnd(w)}  ${num(t.count).padStart(9)}  ${num(t.bytes).padStart(11)}`);
  for (const x of s.warnings) out.push(`note: ${x}`);
  return out;
}

/** A forecast as text lines. */
export function forecastText(f: CollectionForecast, label: string): string[] {
  const out: string[] = [];
  out.push(`${label}: gc.collect() = ${num(f.unreachable)} (${num(f.collected)} collected, ${num(f.uncollectable)} uncollectable); `
    + `${num(f.finalizers)} __del__ ran, ${num(f.callbacks)} weakref callbacks; ${num(f.freed)} objects freed, ${bytesText(f.freedBytes)}`);
  if (f.freedByType.length) out.push(`  freed: ${typesText(f.freedByType)}`);
  if (f.garbageByType.length) out.push(`  in gc.garbage: ${typesText(f.garbageByType)}`);
  return out;
}
