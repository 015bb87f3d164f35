// The incremental collector of CPython 3.14.0–3.14.4 (Python/gc.c): a young
// generation and two old spaces. Each tracked object carries an old-space
// bit; old[visited_space] is the visited list, the other one is pending.
// collect(0) collects the young objects; collect(1) is one increment: first
// a mark phase that moves everything the interpreter's roots reach into the
// visited space, then increments that take the young objects plus pending
// objects (whole reachable closures, so a cycle is in or out as a whole)
// until the work budget is spent; when pending is empty the spaces flip.
// collect(2) collects everything at once.

import { F_OLD_SPACE, FIRST_OBJECT, GEN0, GEN1, INCREMENT, PERMANENT, REACHABLE, T_OBJ } from "../common";
import {
  edgeLen, edgeStart, flags, gcNext, isGc, isTracked, nextFresh, roots, setFlags, setFirstUserId, setLeaks,
  coldReserve, COL_LEAKS,
  setRefcnt, takeId, uncountLive,
} from "../heap";
import { gcListAppend, gcListIsEmpty, gcListMerge, gcListMove, gcListSize } from "../gclist";
import { word } from "../edges";
import { addHeapSize, addStats, count, heapSize, setCount, startupInOld, threshold } from "../state";
import { addExamined, untrackTuples } from "./unreachable";
import { collectRegion, lastCollected, lastUncollectable } from "./region";
import { validateCollectionStart } from "./validate";
import { traceStage, STAGE_INCREMENT, STAGE_MARK_AT_START, STAGE_MERGED } from "./trace";
import { arenaAlloc, arenaFree } from "../arena";
import { sortIdsBySerial } from "../sort";
import { emptyFreeLists } from "../freelists";

/** The work budget, in objects; negative while the collector is ahead. */
export let workToDo: i64 = 0;
/** True while the next increment is a mark step. */
export let markPhase: bool = true;
/**
 * The start-up objects the mark phase does not reach are real objects here
 * (no root reaches them; a leaked reference keeps each alive, as C code keeps
 * them in CPython): they sit in the pending space, oldest first, and where the
 * increments meet them, and how they interleave with the user's objects
 * after a scavenge, is what the real collector does with them.
 */
export function createUnreachedStartup(n: u32): void {
  if (n != 0 && !coldReserve(COL_LEAKS)) unreachable(); // a fresh heap's few kilobytes
  for (let i: u32 = 0; i < n; i++) {
    let x = takeId(T_OBJ, 0);
    setRefcnt(x, 1);
    setLeaks(x, 1);
    uncountLive(x);
    setOldSpace(x, visitedSpace ^ 1);
    gcListAppend(x, pendingHead());
  }
  addHeapSize(<i32>n);
  setFirstUserId(nextFresh);
}

// @ts-ignore: decorator
@inline const SCAN_RATE_DIVISOR: i64 = 10;

export function setIncrementalState(visited: u32, work: i64, mark: bool): void {
  setVisitedSpace(visited);
  workToDo = work;
  markPhase = mark;
}

export { oldSpace, setOldSpace, visitedHead, pendingHead, visitedSpace } from "../oldspace";
import { oldSpace, pendingHead, setOldSpace, setVisitedSpace, visitedHead, visitedSpace } from "../oldspace";

/** gc_list_set_space: every member gets the old-space bit s; returns the size. */
export function listSetSpace(head: u32, s: u32): u32 {
  let n: u32 = 0;
  for (let x = gcNext(head); x != head; x = gcNext(x)) {
    setOldSpace(x, s);
    n++;
  }
  return n;
}

/** gc_collect_young: the young objects get the visited bit and are collected. */
export function collectYoung(): void {
  validateCollectionStart();
  untrackTuples(GEN0);
  listSetSpace(GEN0, visitedSpace);
  traceStage(STAGE_MERGED, GEN0);
  collectRegion(GEN0, visitedHead());
  setCount(0, 0);
  setCount(1 + visitedSpace, count(1 + visitedSpace) + 1);
  addStats(0, lastCollected, lastUncollectable);
}

/** assess_work_to_do: new objects, plus a slice of the heap (at most twice the new ones). */
function assessWorkToDo(): i64 {
  let scale = <i64>max(threshold(1), 2);
  let newObjects = <i64>count(0);
  let heapFraction = (<i64>heapSize + <i64>startupInOld()) / SCAN_RATE_DIVISOR / scale;
  if (heapFraction > newObjects * 2) heapFraction = newObjects * 2;
  setCount(0, 0);
  return newObjects + heapFraction;
}

/** move_to_reachable: a tracked object not yet visited joins the mark's work list. */
function moveToReachable(x: u32): i64 {
  if (!isTracked(x) || oldSpace(x) == visitedSpace) return 0;
  setOldSpace(x, visitedSpace);
  gcListMove(x, REACHABLE);
  return 1;
}

/** Traverses x: its tracked, unvisited referents join `container` with the visited bit. */
function addReferentsTo(x: u32, container: u32): i64 {
  let s = edgeStart(x), n = edgeLen(x);
  let added: i64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let r = word(s + i);
    if (r >= FIRST_OBJECT && isGc(r) && isTracked(r) && oldSpace(r) != visitedSpace) {
      setOldSpace(r, visitedSpace);
      gcListMove(r, container);
      added++;
    }
  }
  return added;
}

/**
 * mark_at_start: everything the interpreter's roots reach moves to the visited
 * space. The roots are the root bindings, gc.garbage and the resurrection list
 * (all reachable from modules in a real interpreter), plus the interpreter's
 * own objects (the start-up objects, counted, not simulated). Breadth first; bound
 * objects in the order they were made (by serial, so that id reuse does not
 * change the result).
 */
function markAtStart(): i64 {
  let baseline = <i64>startupInOld();
  let marked: i64 = baseline;
  let n: u32 = 0;
  for (let x = FIRST_OBJECT; x < nextFresh; x++) if (isGc(x) && roots(x) > 0 && isTracked(x)) n++;
  // own scratch: the exchange buffer may hold the results of the call this
  // (automatic) collection runs at the end of
  let bytes = <usize>max<u32>(n, 1) << 2;
  let buf = arenaAlloc(bytes);
  if (buf != 0) {
    n = 0;
    for (let x = FIRST_OBJECT; x < nextFresh; x++) {
      if (isGc(x) && roots(x) > 0 && isTracked(x)) store<u32>(buf + (<usize>(n++) << 2), x);
    }
    sortIdsBySerial(buf, n);
    for (let i: u32 = 0; i < n; i++) marked += moveToReachable(load<u32>(buf + (<usize>i << 2)));
    arenaFree(buf, bytes);
  } else {
    for (let x = FIRST_OBJECT; x < nextFresh; x++) if (isGc(x) && roots(x) > 0) marked += moveToReachable(x);
  }
  let visited = visitedHead();
  while (!gcListIsEmpty(REACHABLE)) {
    let x = gcNext(REACHABLE);
    gcListMove(x, visited);
    marked += addReferentsTo(x, REACHABLE);
  }
  workToDo -= marked;
  markPhase = false;
  addExamined(<f64>(marked - baseline));
  return marked;
}

/** completed_scavenge: the old spaces swap roles (or, with frozen objects, merge). */
function completedScavenge(): void {
  if (gcListIsEmpty(PERMANENT)) {
    let notVisited = visitedSpace;
    setVisitedSpace(visitedSpace ^ 1);
    listSetSpace(GEN0, notVisited);
  } else {
    let pending = pendingHead();
    gcListMerge(visitedHead(), pending);
    listSetSpace(pending, visitedSpace ^ 1);
  }
  workToDo = 0;
  markPhase = true;
}

/** gc_collect_increment: one step of the incremental collector (collect(1), and every automatic run). */
export function collectIncrement(): void {
  validateCollectionStart();
  workToDo += assessWorkToDo();
  if (workToDo < 0) return; // ahead of the allocations: nothing to do yet
  untrackTuples(GEN0);
  if (markPhase) {
    let marked = markAtStart();
    traceStage(STAGE_MARK_AT_START, visitedHead());
    workToDo -= marked; // counted twice on purpose, as CPython does
    return;
  }
  let visited = visitedHead(), pending = pendingHead();
  listSetSpace(GEN0, visitedSpace);
  gcListMerge(GEN0, INCREMENT);
  let size = <i64>gcListSize(INCREMENT);
  while (size < workToDo && !gcListIsEmpty(pending)) {
    // a pending object and everything it reaches that is not visited yet
    let x = gcNext(pending);
    gcListMove(x, INCREMENT);
    setOldSpace(x, visitedSpace);
    size++;
    for (let y = x; y != INCREMENT; y = gcNext(y)) size += addReferentsTo(y, INCREMENT);
  }
  traceStage(STAGE_INCREMENT, INCREMENT);
  collectRegion(INCREMENT, visited);
  workToDo -= size;
  addStats(1, lastCollected, lastUncollectable);
  if (gcListIsEmpty(pending)) completedScavenge();
}

/** gc_collect_full: young and pending join the visited list, which is collected in place. */
export function collectFull(): void {
  validateCollectionStart();
  let pending = pendingHead(), visited = visitedHead();
  untrackTuples(GEN0);
  gcListMerge(GEN0, pending);
  listSetSpace(pending, visitedSpace);
  setCount(0, 0);
  gcListMerge(pending, visited);
  traceStage(STAGE_MERGED, visited);
  collectRegion(visited, visited, gcListIsEmpty(PERMANENT));
  setCount(0, 0);
  setCount(1, 0);
  setCount(2, 0);
  completedScavenge();
  emptyFreeLists();
  addStats(2, lastCollected, lastUncollectable);
}

/** gc.freeze(): young, old[0] and old[1] move to the permanent generation, all visited. */
export function freezeIncremental(): void {
  listSetSpace(GEN0, visitedSpace);
  gcListMerge(GEN0, PERMANENT);
  listSetSpace(GEN1 + (visitedSpace ^ 1), visitedSpace);
  gcListMerge(GEN1, PERMANENT);
  gcListMerge(GEN1 + 1, PERMANENT);
  setCount(0, 0);
  setCount(1, 0);
  setCount(2, 0);
}

/** gc.unfreeze(): the permanent generation joins the visited space. */
export function unfreezeIncremental(): void {
  gcListMerge(PERMANENT, visitedHead());
}
