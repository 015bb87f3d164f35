// Shared test helpers: every behaviour suite runs against both engine builds
// (debug checks every heap invariant after every call; release is what users run).
import { Heap, type HeapOptions, type HeapEvent } from "../src/heap.js";
import type { BuildKind } from "../src/wasm/engine.js";

export const BUILDS: ("debug" | "release")[] = ["debug", "release"];

/**
 * A heap that records its events, with automatic collection off unless asked.
 * The behaviour suites count the objects they build: no interpreter start-up
 * objects and no free lists unless asked (test/startup.test.ts and
 * test/freelists.test.ts cover those).
 */
export function makeHeap(build: BuildKind, options: HeapOptions & { auto?: boolean } = {}): { heap: Heap; events: HeapEvent[] } {
  const heap = new Heap({ startupObjects: 0, freeLists: false, ...options, build });
  if (!options.auto) heap.disable();
  const events: HeapEvent[] = [];
  heap.onEvent((e) => events.push(e));
  return { heap, events };
}

/** Finalizer events as ids, in order. */
export const finalized = (events: HeapEvent[]) =>
  events.flatMap((e) => (e.kind === "finalized" ? [e.id] : []));
