// Small shared pieces of the behaviour suites: the profile series, a seeded
// PRNG, names for ids (ids are reused, so a name is keyed by id and serial),
// and a snapshot of everything observable about a heap.
import { Heap, type HeapEvent } from "../../src/heap.js";
import { PROFILES } from "../../src/profiles.js";

/** Every profile series the simulator knows, oldest first (3.14's included). */
export const ALL_SERIES: string[] = PROFILES.map((p) => p.series);

/**
 * The generational profiles whose behaviour the model doc measured (cases
 * C01–C28 and the recorded conformance results): 2.7 and 3.6–3.13.
 */
export const SERIES: string[] = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];
for (const s of SERIES) if (!ALL_SERIES.includes(s)) throw new Error(`no profile ${s}`);

/** The series from `min` to `max` (inclusive) in profile order. */
export function seriesBetween(min: string, max = SERIES[SERIES.length - 1]): string[] {
  const lo = SERIES.indexOf(min), hi = SERIES.indexOf(max);
  if (lo < 0 || hi < 0) throw new Error(`unknown series ${min}..${max}`);
  return SERIES.slice(lo, hi + 1);
}

/** Compares "3.9" < "3.10" numerically. */
export function atLeast(series: string, min: string): boolean {
  const [a, b] = series.split(".").map(Number);
  const [c, d] = min.split(".").map(Number);
  return a !== c ? a > c : b >= d;
}

/** mulberry32: a tiny, good-enough, seeded PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Names objects at creation; events and id lists are reported by name. */
export class Names {
  private byKey = new Map<string, string>();
  constructor(private readonly heap: Heap) {}

  /** Names a live object; returns its id. */
  add<T extends number>(id: T, name: string): T {
    this.byKey.set(`${id}:${this.heap.serial(id)}`, name);
    return id;
  }

  /** Names every id of a batch: `${prefix}${index}`. */
  addAll(ids: ArrayLike<number>, prefix: string): number[] {
    return Array.from(ids, (id, i) => this.add(id, `${prefix}${i}`));
  }

  of(id: number, serial: number): string {
    return this.byKey.get(`${id}:${serial}`) ?? `?${id}`;
  }

  /** The current name of a live id. */
  now(id: number): string {
    return this.of(id, this.heap.serial(id));
  }

  /** Finalizer and weakref-callback events as "fin x" / "cb w", in order. */
  log(events: HeapEvent[]): string[] {
    return events.flatMap((e) =>
      e.kind === "finalized" ? [`fin ${this.of(e.id, e.serial)}`]
        : e.kind === "callback" ? [`cb ${this.of(e.weakref, e.serial)}`] : []);
  }

  /** Only the finalizer events, by name. */
  finalized(events: HeapEvent[]): string[] {
    return events.flatMap((e) => (e.kind === "finalized" ? [this.of(e.id, e.serial)] : []));
  }

  list(ids: ArrayLike<number>): string[] {
    return Array.from(ids, (id) => this.now(id));
  }
}

/** Everything the API lets one observe about a heap and the given ids. */
export function snapshot(heap: Heap, ids: number[] = []): unknown {
  const objects = [...heap.getObjects()];
  const all = [...new Set([...ids, ...objects])].filter((id) => heap.exists(id)).sort((a, b) => a - b);
  return {
    size: heap.size,
    count: heap.getCount(),
    threshold: heap.getThreshold(),
    enabled: heap.isEnabled(),
    debug: heap.getDebug(),
    objects,
    garbage: heap.garbage,
    resurrected: heap.resurrected,
    longLived: heap.lab.getLongLived(),
    dead: ids.filter((id) => !heap.exists(id)),
    live: all.map((id) => ({
      id,
      serial: heap.serial(id),
      type: heap.typeOf(id),
      refcount: heap.refcount(id),
      roots: heap.rootCount(id),
      tracked: heap.isTracked(id),
      referents: heap.getReferents(id),
      weak: heap.typeOf(id) === "weakref" ? heap.deref(id) : undefined,
    })),
  };
}
