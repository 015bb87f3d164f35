// The explorer's model of a scenario run: one frame per op, each a picture of
// the heap after it — objects with their counts, the generations as the
// lists CPython keeps (in their order), the events of the op and, for a
// collection, its stages. Browser-safe: the page records a run once and then
// steps through frames forward and back.

import type { Heap } from "../heap.js";
import { listName, type StageSnapshot } from "../heap/stages.js";
import { ListHead } from "../wasm/status.js";
import { canonical, runScenarioSession, type ScenarioEvent } from "../scenario/run.js";
import { GarbageTracker } from "../tracker/tracker.js";
import { formatReport } from "../tracker/report.js";

/** Beyond this many live objects a frame holds counts per list and type instead of objects. */
export const OBJECT_VIEW_LIMIT = 2000;
/** List members per stage snapshot. */
export const STAGE_MEMBER_LIMIT = 2000;

export interface ObjectView {
  id: number;
  /** The scenario's name for it ("a", "chain.3"), or its type with a "?" for an object the scenario never named. */
  name: string;
  type: string;
  refcount: number;
  roots: number;
  /** Leaked references (incref: a buggy C extension). */
  leaks: number;
  tracked: boolean;
  /** tp_finalize ran (__del__ under PEP 442). */
  finalized: boolean;
  /** The gc list it is in ("generation 0" …, "young", "old[0]"; "permanent" after gc.freeze()), null when untracked. */
  list: string | null;
  /** Strong references it holds. */
  references: number;
  /** For a weakref: its referent, null once cleared. */
  weakrefTarget?: number | null;
}

export interface ListView {
  name: string;
  /** Members in CPython's list order. */
  ids: number[];
}

export interface Aggregate {
  list: string;
  type: string;
  count: number;
}

export interface Frame {
  /** The op this frame follows (-1: before the first op). */
  op: number;
  events: ScenarioEvent[];
  liveObjects: number;
  /** Every live object, or null beyond OBJECT_VIEW_LIMIT (then `aggregate`). */
  objects: ObjectView[] | null;
  /** The generations (or 3.14's young and old spaces) in order, then gc.garbage and the resurrection list. */
  lists: ListView[];
  aggregate: Aggregate[] | null;
  counts: number[];
  freezeCount: number;
  /** The collections the op ran, stage by stage. */
  stages: StageSnapshot[];
}

export interface Recording {
  python: string;
  frames: Frame[];
  /** The canonical result (what a real interpreter records for this scenario). */
  events: ScenarioEvent[];
  /** The garbage tracker's report over the whole run (collected, uncollectable, leaked, and why); "" when not asked for. */
  report: string;
}

function picture(heap: Heap, op: number, events: ScenarioEvent[], nameOf: (id: number, serial: number) => string | undefined, stages: StageSnapshot[]): Frame {
  // named as the stage snapshots name them
  const lists: ListView[] = [ListHead.GEN0, ListHead.GEN1, ListHead.GEN2].map((head, g) => ({ name: listName(head, heap.profile), ids: [...heap.debug.generationList(g)] }));
  const listOf = new Map<number, string>();
  for (const l of lists) for (const id of l.ids) listOf.set(id, l.name);
  const garbage = heap.garbage, resurrected = heap.resurrected;
  if (garbage.length) lists.push({ name: "gc.garbage", ids: garbage });
  if (resurrected.length) lists.push({ name: "resurrected", ids: resurrected });
  const live = heap.liveIds();
  const frame: Frame = {
    op, events, liveObjects: live.length, objects: null, lists, aggregate: null,
    counts: heap.getCount(), freezeCount: heap.profile.features.freeze ? heap.getFreezeCount() : 0, stages,
  };
  const described = heap.describeMany(live);
  if (live.length > OBJECT_VIEW_LIMIT) {
    const tally = new Map<string, Aggregate>();
    for (const d of described) {
      const list = listOf.get(d.id) ?? (d.tracked ? "permanent" : "untracked");
      const key = `${list}\0${d.type}`;
      const a = tally.get(key) ?? { list, type: d.type, count: 0 };
      a.count++;
      tally.set(key, a);
    }
    frame.aggregate = [...tally.values()].sort((a, b) => a.list.localeCompare(b.list) || b.count - a.count);
    frame.lists = lists.map((l) => ({ name: l.name, ids: l.ids.slice(0, OBJECT_VIEW_LIMIT) }));
    return frame;
  }
  frame.objects = described.map((d) => {
    const v: ObjectView = {
      id: d.id, name: nameOf(d.id, d.serial) ?? `?${d.type}`, type: d.type,
      refcount: d.refcount, roots: d.roots, leaks: d.leaks,
      tracked: d.tracked, finalized: d.finalized, list: d.tracked ? listOf.get(d.id) ?? "permanent" : null,
      references: d.referents.length,
    };
    if (d.type === "weakref") v.weakrefTarget = heap.deref(d.id);
    return v;
  });
  return frame;
}

/**
 * Runs a scenario under one profile and records a frame after every op (and
 * one before the first). Scenario errors are thrown as the CLI reports them
 * (ScenarioError naming the op index and field).
 */
export function recordScenario(scenario: unknown, python: string, options: { report?: boolean } = {}): Recording {
  const frames: Frame[] = [];
  let seen = 0;
  const outcome = runScenarioSession(scenario, python, {
    beforeOps: (heap, nameOf) => {
      heap.debug.traceStages(STAGE_MEMBER_LIMIT);
      frames.push(picture(heap, -1, [], nameOf, []));
    },
    afterOp: (heap, index, events, nameOf) => {
      const mine = events.slice(seen);
      seen = events.length;
      frames.push(picture(heap, index, mine, nameOf, heap.debug.takeStages()));
    },
  });
  if (outcome.status === "skipped") throw new RangeError(`the scenario does not run on Python ${python}: it ${outcome.reason}`);
  return { python: outcome.result.python, frames, events: outcome.result.events, report: options.report === false ? "" : trackerReport(scenario, python) };
}

/**
 * The garbage tracker over a whole run, in a run of its own: stopping it
 * collects (to tell collected from pending garbage), which would add events
 * to the recorded run.
 */
function trackerReport(scenario: unknown, python: string): string {
  let tracker: GarbageTracker | null = null;
  let report = "";
  runScenarioSession(scenario, python, {
    beforeOps: (heap) => { tracker = new GarbageTracker(heap).start(); },
    afterOps: () => { report = formatReport(tracker!.stop()); },
  });
  return report;
}

/** The first event where two runs of one scenario differ (index into both event lists), or null when they agree. */
export function firstDivergence(a: readonly ScenarioEvent[], b: readonly ScenarioEvent[]): number | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (i >= a.length || i >= b.length || canonical(a[i]) !== canonical(b[i])) return i;
  }
  return null;
}
