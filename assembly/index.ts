// The wasm ABI: every export the TypeScript side calls (src/wasm/engine.ts).
// Numbers only cross the boundary; id arrays travel through the exchange
// buffer. Calls that build or change the heap end at the simulator's safe
// point, where a collection scheduled by a 3.12+ profile runs.
//
// Two return conventions: a call that makes or finds something
// returns it (an id, a count, ≥ 0) or a negated status (assembly/status.ts);
// a call that only acts returns OK or a status. A batch call that refuses an
// element says which through batchFailedIndex() (the loader: loadBadIndex()).

import { setStageTrace as setStageTraceNow } from "./collect/trace";
import {
  FINAL_UNREACHABLE, GEN0, GEN2, genHead, INCREMENT, PERMANENT, REACHABLE, SIM_DEBUG, F_FINALIZED, F_CLEARED, FIRST_ID,
} from "./common";
import { arenaRealloc, memoryInBlocks, memoryUsed, setMemoryLimit as arenaLimit } from "./arena";
import {
  flags, hasFlag, initTable, isGc, isLiveId, isTracked as tracked, LAYOUT, leaks, liveObjects, liveBytes,
  setSizeOf, sizeOf, coldReserve, COL_SIZE,
  refcnt, roots, serial, typeOf, lastSerial, setLastSerial, nextFresh, canAllocate, rootsFit,
} from "./heap";
import { gcListInit, gcListMerge, gcListSize } from "./gclist";
import { decref, releaseIsIdle } from "./refcount";
import * as mutate from "./mutate";
import { collectWithCallback, lastCollected, lastUncollectable } from "./collect/index";
import { examined } from "./collect/unreachable";
import {
  collectGenerations, explicitSafePoints, safePoint, setExplicitSafePoints,
} from "./schedule";
import { freeListLength } from "./freelists";
import { setFreeLists as setFreeListsFromProfile } from "./profile";
import {
  collecting, count, debugFlags, enabled, longLivedPending, longLivedTotal, setCollecting,
  setCount, setDebugFlags, setEnabled, setThreshold, STATS, STAT_FIELDS, threshold, setLongLived, heapSize, setStartupObjects, setStartupFrozen, startupObjects,
} from "./state";
import { applyProfile, incremental, PROFILE_RECORD, ProfileRecord } from "./profile";
import {
  createUnreachedStartup, freezeIncremental, markPhase, setOldSpace, unfreezeIncremental, visitedSpace, workToDo,
} from "./collect/incremental";
import { GARBAGE, RESURRECTED, createGcLists, idListData, idListFind, idListGet, idListLen, idListRemoveAt } from "./gclists";
import { ioEnsure, ioPtrNow, ioTrim } from "./io";
import { onGcAllocation, setStatementSafePoints } from "./trigger";
import { checkInvariants, invariantBadId } from "./invariants";
import {
  getObjects as objectsOf, getReferents as referentsOf, getReferrers as referrersOf, liveIdList, snapshotMany as snapshotOf,
  userListSize,
} from "./queries";
import { poolWordsUsed } from "./edges";
import { setPolicy, youngBytes } from "./policy";
import { setQuietDelete as setQuiet } from "./collect/quiet";
import { E_BAD_ARGUMENT, E_BAD_GENERATION, E_COLLECTING, E_NO_OBJECT, E_OUT_OF_MEMORY, OK } from "./status";

export { eventsPtr, eventsCount, eventsClear, eventWords } from "./events";
import { initEvents } from "./events";

function endOp(): void {
  if (!explicitSafePoints) safePoint();
  if (SIM_DEBUG) {
    let r = checkInvariants();
    if (r != 0) {
      trace("invariant violated", 2, <f64>r, <f64>invariantBadId);
      assert(false); // a heap invariant does not hold after an operation
    }
  }
}

// ── the op stream (ops.ts): a program of operations in one call ─────────────
import { opsTrim } from "./ops";
export { opsReserve, opsResults, opsFailedIndex, opsFailedStatus, opsFailedOperand } from "./ops";
import { runOps as runOpStream } from "./ops";
export function runOps(words: u32, nops: u32): u32 { let r = runOpStream(words, nops); endOp(); return r; }

/** Called once per instance by the TS loader before anything else. */
export function init(): i32 {
  if (!initTable() || !initEvents()) return E_OUT_OF_MEMORY;
  // list heads only: ids 10 and 11 are the () and int-literal singletons, never tracked
  for (let h: u32 = GEN0; h <= FINAL_UNREACHABLE; h++) gcListInit(h);
  gcListInit(INCREMENT);
  gcListInit(REACHABLE);
  createGcLists();
  setThreshold(0, 700); setThreshold(1, 10); setThreshold(2, 10);
  return OK;
}

/** The profile's switches (src/profiles.ts); called by the TS Heap at creation. */
/** Where the host writes the ProfileRecord, and its size in bytes. */
export function profileRecord(): usize { return PROFILE_RECORD; }
export function profileRecordSize(): u32 { return <u32>offsetof<ProfileRecord>(); }
/** Applies the ProfileRecord the host wrote at profileRecord(). */
export function configure(): void {
  let r = changetype<ProfileRecord>(PROFILE_RECORD);
  applyProfile(r);
  // as after the interpreter's first full collection: its objects and gc's own lists are long-lived
  setStartupObjects(r.startupObjects);
  setLongLived(r.startupObjects + 2, 0);
}

export function setMemoryLimit(bytes: f64): void { arenaLimit(<u64>bytes); }
export function memoryBytes(): f64 { return <f64>memoryUsed(); }
export function memoryInUse(): f64 { return <f64>memoryInBlocks(); }
/** Heap operations applied since start-up (mutate.ts operations). */
export function operationsDone(): f64 { return mutate.operations; }
export function edgeWords(): f64 { return <f64>poolWordsUsed(); }
export function layout(): usize { return LAYOUT; }
/** Reserves the exchange buffer for a batch call; 0 when memory cannot grow. */
export function ioReserve(bytes: f64): usize { return ioEnsure(<u64>bytes); }
export function ioPtr(): usize { return ioPtrNow(); }
/** Frees the exchange and op buffers when large (the host calls it once a call's results are read). */
export function trimBuffers(): void { ioTrim(); opsTrim(); }
export function isIdle(): bool { return releaseIsIdle() && !collecting; }

// ── building the heap ────────────────────────────────────────────────────────
export function newObject(t: u32, resurrect: bool): i32 { let r = mutate.newBound(t, resurrect); endOp(); return r; }
export function newObjects(t: u32, n: u32, resurrect: bool): i32 {
  if (ioEnsure(<u64>n << 2) == 0) return -E_OUT_OF_MEMORY;
  let r = mutate.newMany(t, n, resurrect, ioPtrNow());
  endOp();
  return r;
}
/** Items are in the exchange buffer. */
export function newTuple(n: u32): i32 { let r = mutate.newTuple(ioPtrNow(), n); endOp(); return r; }
export function newWeakref(target: u32, callback: bool): i32 { let r = mutate.newWeakref(target, callback); endOp(); return r; }
export function chain(t: u32, length: u32, to: u32, ring: bool): i32 {
  if (ioEnsure(<u64>length << 2) == 0) return -E_OUT_OF_MEMORY;
  let r = mutate.chain(t, length, to, ring, ioPtrNow());
  endOp();
  return r;
}
export function addRef(from: u32, to: u32): i32 { let r = mutate.addRef(from, to); endOp(); return r; }
/** n (from, to) pairs in the exchange buffer: OK, or a status with batchFailedIndex() at the refused pair. */
export function addRefs(n: u32): i32 { let r = mutate.addRefs(ioPtrNow(), n); endOp(); return r; }
/** The element (pair, id) at which the last refused addRefs or unbindMany failed. */
export function batchFailedIndex(): u32 { return mutate.lastFailedIndex; }
export function removeRef(from: u32, to: u32): i32 { let r = mutate.removeRef(from, to); endOp(); return r; }
export function bind(x: u32): i32 { let r = mutate.bind(x); endOp(); return r; }
export function unbind(x: u32): i32 { let r = mutate.unbind(x); endOp(); return r; }
/** Unbinds n ids from the exchange buffer (all checked first): OK, or a status with batchFailedIndex() at the refused id. */
export function unbindMany(n: u32): i32 {
  let r = mutate.unbindMany(ioPtrNow(), n);
  endOp();
  return r;
}
export function leak(x: u32): i32 { let r = mutate.leak(x); endOp(); return r; }
export function derefWeakref(w: u32): i32 { return mutate.derefWeakref(w); }

// ── object queries ───────────────────────────────────────────────────────────
export function isLive(x: u32): bool { return isLiveId(x); }
export function objectType(x: u32): i32 { return isLiveId(x) ? <i32>typeOf(x) : -E_NO_OBJECT; }
export function objectSerial(x: u32): u32 { return isLiveId(x) ? serial(x) : 0; }
export function refcount(x: u32): i32 { return isLiveId(x) ? refcnt(x) : -E_NO_OBJECT; }
export function rootCount(x: u32): i32 { return isLiveId(x) ? <i32>roots(x) : -E_NO_OBJECT; }
export function leakCount(x: u32): i32 { return isLiveId(x) ? <i32>leaks(x) : -E_NO_OBJECT; }
export function isTracked(x: u32): bool { return isGc(x) && tracked(x); }
export function isFinalized(x: u32): bool { return isGc(x) && hasFlag(x, F_FINALIZED); }
export function wasCleared(x: u32): bool { return hasFlag(x, F_CLEARED); }
export function liveCount(): u32 { return liveObjects; }
export function getObjects(gen: i32): i32 { return objectsOf(gen); }
export function getReferrers(x: u32): i32 { return referrersOf(x); }
export function getReferents(x: u32): i32 { return referentsOf(x); }
/** Every live id, ascending, in the exchange buffer (the tracker and the graphs list the heap this way). */
export function liveIds(): i32 { return liveIdList(); }
/** The serial of the newest object (the tracker tells later objects by it). */
export function newestSerial(): u32 { return lastSerial(); }
export function setNewestSerialForTesting(v: u32): void { setLastSerial(v); }
/** n ids in the exchange buffer → type, tracked, serial and referents of each (src/tracker's snapshots). */
export function snapshotMany(n: u32): i32 { return snapshotOf(n); }

// ── the gc module ────────────────────────────────────────────────────────────
/** gc.collect(gen): collected + uncollectable; 0 when a collection is already running. */
export function collect(gen: i32): i32 {
  if (gen < 0 || gen > 2) return -E_BAD_GENERATION;
  if (collecting) return 0;
  setCollecting(true);
  let r = collectWithCallback(<u32>gen);
  setCollecting(false);
  endOp();
  return <i32>r;
}
export function collectedLast(): u32 { return lastCollected; }
export function uncollectableLast(): u32 { return lastUncollectable; }
export function objectsExamined(): f64 { return examined; }
/** gc.get_count(); 3.14's incremental collector reports (young, visited, pending). */
export function getCount(g: u32): i32 {
  if (incremental && g > 0) return count(g == 1 ? 1 + visitedSpace : 1 + (visitedSpace ^ 1));
  return count(g);
}
/** The incremental collector's state: 0 visited space, 1 work_to_do, 2 mark phase (1/0), 3 heap_size. */
export function incrementalState(k: u32): f64 {
  if (k == 0) return <f64>visitedSpace;
  if (k == 1) return <f64>workToDo;
  if (k == 2) return markPhase ? 1 : 0;
  return <f64>heapSize;
}
export function getThreshold(g: u32): i32 { return threshold(g); }
export function setThresholds(t0: i32, t1: i32, t2: i32): void {
  setThreshold(0, t0); setThreshold(1, t1); setThreshold(2, t2);
}
export function setGcEnabled(on: bool): void { setEnabled(on); }
export function isGcEnabled(): bool { return enabled; }
export function setDebug(f: u32): void { setDebugFlags(f); }
export function getDebug(): u32 { return debugFlags; }
export function getStat(g: u32, k: u32): f64 { return load<f64>(STATS + (<usize>g * STAT_FIELDS * 8) + (<usize>k << 3)); }
export function longLived(which: u32): i32 { return which == 0 ? longLivedTotal : longLivedPending; }
export function setLongLivedCounters(total: i32, pending: i32): void { setLongLived(total, pending); }
export function setCounts(c0: i32, c1: i32, c2: i32): void { setCount(0, c0); setCount(1, c1); setCount(2, c2); }
/**
 * An allocation of a GC object the simulator does not model (a bound method,
 * an argument tuple …) that is kept by its type's free list when freed: it
 * counts like any allocation (and may start a collection), and is never freed.
 */
export function phantomAllocation(): void { onGcAllocation(0); endOp(); }

/**
 * 3.14: how many start-up objects the mark phase does not reach: made real
 * (collect/incremental.ts), the rest stay counted. Before any user object.
 */
export function setStartupUnreachedCount(n: i32): i32 {
  if (!incremental || n <= 0) return OK;
  if (nextFresh != FIRST_ID || n > startupObjects) return E_BAD_ARGUMENT;
  if (!canAllocate(<u32>n)) return E_OUT_OF_MEMORY;
  // the gc module's lists are pending like every start-up object
  setOldSpace(GARBAGE, visitedSpace ^ 1);
  setOldSpace(RESURRECTED, visitedSpace ^ 1);
  createUnreachedStartup(<u32>n);
  setStartupObjects(startupObjects - n);
  return OK;
}
export function generationSize(g: u32): u32 { return userListSize(g == 3 ? PERMANENT : genHead(g)); }
/** Explicit safe points on or off (schedule.ts); a safe point now. */
export function useExplicitSafePoints(on: bool): void { setExplicitSafePoints(on); }
export function useStatementSafePoints(on: bool): void { setStatementSafePoints(on); }
export function safePointNow(): void { safePoint(); endOp(); }
/** Free lists: on/off and 2.7's rule; the entries of one (t, tuple size). */
export function configureFreeLists(on: bool, keptByFull: bool): void { setFreeListsFromProfile(on, keptByFull); }
export function freeListEntries(t: u32, n: u32): u32 { return freeListLength(t, n); }

/**
 * While the host runs gc.callbacks the collector counts as running, as in
 * CPython (gcstate->collecting): gc.collect() returns 0, nothing collects.
 */
export function holdCollections(on: bool): void { setCollecting(on); }

/** Runs an automatic collection if the counts call for one now (gc_collect_generations). */
export function collectIfDue(): void {
  if (collecting) return;
  setCollecting(true);
  collectGenerations();
  setCollecting(false);
}

/** gc.freeze(): every generation moves to the permanent one; counts restart. */
export function freeze(): i32 {
  if (collecting) return E_COLLECTING;
  if (incremental) {
    freezeIncremental();
  } else {
    for (let g = GEN0; g <= GEN2; g++) gcListMerge(g, PERMANENT);
    setCount(0, 0); setCount(1, 0); setCount(2, 0);
  }
  setStartupFrozen(true);
  endOp();
  return OK;
}
/** gc.unfreeze(): the permanent generation goes back to the end of generation 2 (3.14: the visited space). */
export function unfreeze(): i32 {
  if (collecting) return E_COLLECTING;
  if (incremental) unfreezeIncremental();
  else gcListMerge(PERMANENT, GEN2);
  setStartupFrozen(false);
  endOp();
  return OK;
}
export function getFreezeCount(): u32 { return userListSize(PERMANENT); }

// ── gc.garbage and the resurrection list ─────────────────────────────────────
export function garbageLength(): u32 { return idListLen(GARBAGE); }
export function garbageData(): usize { return idListData(GARBAGE); }
export function resurrectedLength(): u32 { return idListLen(RESURRECTED); }
export function resurrectedData(): usize { return idListData(RESURRECTED); }

/** Takes x out of the list (first occurrence) and binds it: 1 when found, 0 when not. */
export function revive(x: u32, fromGarbage: bool): i32 {
  let l = fromGarbage ? GARBAGE : RESURRECTED;
  let i = idListFind(l, x);
  if (i < 0) return 0;
  if (!rootsFit(x, 1)) return -E_OUT_OF_MEMORY; // a 2,047th binding needs the overflow column
  idListRemoveAt(l, <u32>i);
  mutate.adoptAsRoot(x);
  endOp();
  return 1;
}

/** Drops the list's references one at a time, oldest first (what re-enters stays). */
function dropAll(l: usize): void {
  let n = idListLen(l);
  for (let i: u32 = 0; i < n; i++) decref(idListRemoveAt(l, 0));
}
export function dropResurrected(): void { dropAll(RESURRECTED); endOp(); }
export function clearGarbage(): void { dropAll(GARBAGE); endOp(); }

// ── checks ───────────────────────────────────────────────────────────────────
export function invariants(): i32 { return checkInvariants(); }
export function invariantObject(): u32 { return invariantBadId; }


/** The scheduling policy (assembly/policy.ts): kind, POLICY_MEMORY's byte limit, the long-lived ratio. */
export function setSchedulingPolicy(kind: u32, limitBytes: f64, ratio: f64): void { setPolicy(kind, limitBytes, ratio); }
/** Bytes allocated since the last collection; bytes of all live objects. */
export function youngBytesNow(): f64 { return youngBytes; }
export function liveBytesNow(): f64 { return liveBytes; }
/** Sets an object's simulated size in bytes. */
export function setObjectSize(x: u32, bytes: u32): i32 {
  if (!isLiveId(x)) return E_NO_OBJECT;
  if (!coldReserve(COL_SIZE)) return E_OUT_OF_MEMORY;
  setSizeOf(x, bytes);
  return OK;
}
export function objectSize(x: u32): i32 { return isLiveId(x) ? <i32>sizeOf(x) : -E_NO_OBJECT; }

/** Turns delete_garbage's fast path off or on (tests compare both). */
export function setQuietDelete(on: bool): void { setQuiet(on); }
/** Stage snapshots of every collection for the host (limit: members per snapshot; 0: off). */
export function setStageTrace(limit: u32): void { setStageTraceNow(limit); }

/** Test hook: traps on purpose, so the tests can check that a trap poisons the heap cleanly. */
export function trapForTesting(): void { assert(false, "deliberate trap (test hook)"); }

export * from "./analysis/exports";
export * from "./load/exports";
export { labGarbageHeld, labGarbageBytes } from "./lab";
