// Instantiates the AssemblyScript engine: the module is compiled once per
// build (src/wasm/modules.ts says where it comes from) and instantiated per
// Heap, so heaps are independent and a trapped heap can be thrown away. No
// generated bindings: the ABI is numbers only (see docs/design.md). No Node
// built-ins here: a page runs this file as it is.

import { OutOfMemoryError } from "../errors.js";
import { moduleFor, type BuildKind } from "./modules.js";

/** The raw exports of build/{release,debug}.wasm (assembly/index.ts). */
export interface EngineExports {
  memory: WebAssembly.Memory;
  init(): number;
  /** Applies the ProfileRecord written at profileRecord() (src/wasm/records.ts). */
  configure(): void;
  profileRecord(): number;
  profileRecordSize(): number;
  incrementalState(k: number): number;
  useExplicitSafePoints(on: number): void;
  useStatementSafePoints(on: number): void;
  setCounts(c0: number, c1: number, c2: number): void;
  setStartupUnreachedCount(n: number): number;
  phantomAllocation(): void;
  safePointNow(): void;
  configureFreeLists(on: number, keptByFull: number): void;
  freeListEntries(t: number, n: number): number;
  setMemoryLimit(bytes: number): void;
  memoryBytes(): number;
  memoryInUse(): number;
  operationsDone(): number;
  edgeWords(): number;
  layout(): number;
  ioReserve(bytes: number): number;
  ioPtr(): number;
  trimBuffers(): void;
  isIdle(): number;
  newObject(t: number, resurrect: number): number;
  newObjects(t: number, n: number, resurrect: number): number;
  newTuple(n: number): number;
  newWeakref(target: number, callback: number): number;
  chain(t: number, length: number, to: number, ring: number): number;
  addRef(from: number, to: number): number;
  addRefs(n: number): number;
  batchFailedIndex(): number;
  removeRef(from: number, to: number): number;
  bind(x: number): number;
  unbind(x: number): number;
  unbindMany(n: number): number;
  leak(x: number): number;
  derefWeakref(w: number): number;
  isLive(x: number): number;
  objectType(x: number): number;
  objectSerial(x: number): number;
  refcount(x: number): number;
  rootCount(x: number): number;
  leakCount(x: number): number;
  isTracked(x: number): number;
  isFinalized(x: number): number;
  wasCleared(x: number): number;
  liveCount(): number;
  getObjects(gen: number): number;
  getReferrers(x: number): number;
  getReferents(x: number): number;
  snapshotMany(n: number): number;
  liveIds(): number;
  newestSerial(): number;
  opsReserve(words: number, ops: number): number;
  runOps(words: number, ops: number): number;
  opsResults(): number;
  opsFailedIndex(): number;
  opsFailedStatus(): number;
  opsFailedOperand(): number;
  setNewestSerialForTesting(v: number): void;
  collect(gen: number): number;
  collectedLast(): number;
  uncollectableLast(): number;
  objectsExamined(): number;
  getCount(g: number): number;
  getThreshold(g: number): number;
  setThresholds(t0: number, t1: number, t2: number): void;
  setGcEnabled(on: number): void;
  isGcEnabled(): number;
  setDebug(f: number): void;
  getDebug(): number;
  getStat(g: number, k: number): number;
  longLived(which: number): number;
  setLongLivedCounters(total: number, pending: number): void;
  generationSize(g: number): number;
  collectIfDue(): void;
  freeze(): number;
  unfreeze(): number;
  getFreezeCount(): number;
  garbageLength(): number;
  garbageData(): number;
  resurrectedLength(): number;
  resurrectedData(): number;
  revive(x: number, fromGarbage: number): number;
  dropResurrected(): void;
  clearGarbage(): void;
  invariants(): number;
  invariantObject(): number;
  eventsPtr(): number;
  /** u32 words per event record (assembly/events.ts). */
  eventWords(): number;
  eventsCount(): number;
  eventsClear(): void;
  holdCollections(on: number): void;
  trapForTesting(): void;
  setQuietDelete(on: number): void;
  setStageTrace(limit: number): void;
  setSchedulingPolicy(kind: number, limitBytes: number, ratio: number): void;
  youngBytesNow(): number;
  liveBytesNow(): number;
  setObjectSize(x: number, bytes: number): number;
  objectSize(x: number): number;
  labGarbageHeld(): number;
  labGarbageBytes(): number;
  // heap analyses (assembly/analysis/exports.ts; used by src/analysis.ts)
  analysisReach(mask: number): number;
  analysisReachedCount(): number;
  analysisSourceCount(): number;
  analysisPath(mask: number, target: number): number;
  analysisPathToAny(mask: number, n: number): number;
  analysisBadIndex(): number;
  analysisScc(n: number): number;
  analysisUnreachableScc(mask: number): number;
  analysisComponentCount(): number;
  analysisComputeRetained(mask: number): number;
  analysisRetained(x: number): number;
  analysisRetainedTotal(): number;
  analysisIdom(x: number): number;
  analysisTopRetainers(k: number): number;
  analysisReleaseRetained(): void;
  analysisCountsByType(): number;
  // loading a real Python heap (assembly/load/exports.ts; used by src/load/)
  loadObjects(n: number): number;
  loadEdges(m: number): number;
  loadBadIndex(): number;
  loadSetExternal(x: number, roots: number, leaks: number): number;
  loadSetGeneration(x: number, g: number): number;
  loadLinkWeakref(w: number, target: number, callback: number): number;
  loadFinish(n: number): number;
  loadSetCounts(c0: number, c1: number, c2: number): void;
  /** What each loaded self-removing weakref callback removes (assembly/load/callbacks.ts). */
  loadSetRemovals(n: number, words: number): number;
  loadRemovalBadIndex(): number;
}

export type { BuildKind } from "./modules.js";

/** What the engine reported before it trapped (abort or trace imports). */
export interface TrapReport {
  message: string;
}

function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return "";
  const u32 = new Uint32Array(memory.buffer);
  const len = u32[(ptr - 4) >>> 2] >>> 1;
  const u16 = new Uint16Array(memory.buffer, ptr, len);
  return String.fromCharCode(...u16);
}

/** Host functions the engine calls: the delegated policy's decision, and a clock. */
export interface EngineHooks {
  /** Which generation to collect now (POLICY_DELEGATED), or -1. */
  policyDecide?: () => number;
  /** The event log is full: copy `count` records at `ptr` (the engine then reuses the log). */
  eventsFull?: (ptr: number, count: number) => void;
  /** A stage snapshot (assembly/collect/trace.ts): copy `words` words at `ptr` (0: no memory for it). */
  stageTraced?: (stage: number, ptr: number, words: number) => void;
}

/** A fresh engine instance with its own linear memory. */
export function instantiate(build: BuildKind, report: TrapReport, hooks: EngineHooks = {}): EngineExports {
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        const m = memory ? readString(memory, msg) : "";
        const f = memory ? readString(memory, file) : "";
        report.message = `${m || "assertion failed"} at ${f}:${line}:${col}`;
      },
      policyDecide: () => (hooks.policyDecide ? hooks.policyDecide() : -1),
      eventsFull: (ptr: number, count: number) => hooks.eventsFull?.(ptr, count),
      stageTraced: (stage: number, ptr: number, words: number) => hooks.stageTraced?.(stage, ptr, words),
      now: () => performance.now(),
      trace(msg: number, n: number, a0: number, a1: number) {
        const m = memory ? readString(memory, msg) : "";
        report.message = `${m}${n > 0 ? ` (${[a0, a1].slice(0, n).join(", ")})` : ""}`;
      },
    },
  };
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(moduleFor(build), imports);
  } catch (e) {
    // V8 reserves address space per wasm memory: some ten thousand live heaps exhaust it
    if (e instanceof RangeError) throw new OutOfMemoryError(`cannot make another engine instance (${e.message}); drop references to heaps no longer used`, "Heap");
    throw e;
  }
  const exports = instance.exports as unknown as EngineExports;
  memory = exports.memory;
  return exports;
}
