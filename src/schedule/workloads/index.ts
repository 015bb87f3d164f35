// The schedule workloads: name → generator. Each workload's params are
// its generator's own plus the common ones (thresholds, min_python; see
// common.ts); scripts/record-schedule.mjs records them on real CPythons and
// test/schedule/README.md describes the suite.

import type { Program } from "../program.js";
import { ScenarioError } from "../../errors.js";
import type { CommonParams } from "./common.js";
import { smallCycles, smallCyclesDefaults } from "./small-cycles.js";
import { tupleGrowth, tupleGrowthDefaults } from "./tuple-growth.js";
import { randomGraph, randomGraphDefaults } from "./random-graph.js";
import { requestLoop, requestLoopDefaults } from "./request-loop.js";
import { minidomChurn, minidomChurnDefaults } from "./minidom-churn.js";
import { finalizerChurn, finalizerChurnDefaults } from "./finalizer-churn.js";
import { freezeCrossing, freezeCrossingDefaults } from "./freeze-crossing.js";
import { trashBacklog, trashBacklogDefaults } from "./field-trash-backlog.js";
import { uselessFull, uselessFullDefaults } from "./field-useless-full.js";
import { tupleDict, tupleDictDefaults } from "./field-tuple-dict.js";
import { bigHeap, bigHeapDefaults } from "./field-big-heap.js";

export type WorkloadParams = CommonParams & Record<string, unknown>;

export interface ScheduleWorkload {
  readonly name: string;
  readonly description: string;
  /** What real code or CPython issue it stands for. */
  readonly source: string;
  readonly defaults: Readonly<WorkloadParams>;
  build(params: WorkloadParams): Program;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const as = <T>(f: (p: T) => Program) => (p: WorkloadParams) => f(p as any as T);

export const scheduleWorkloads: readonly ScheduleWorkload[] = [
  {
    name: "small-cycles",
    description: "300,000 times `a = Node(); b = Node(); a.s0 = b; b.s0 = a` (two registers, so each pair drops the previous one).",
    source: "The canonical cyclic-garbage loop of the gc module's tests and of every 'gc overhead' report: only the collector frees anything.",
    defaults: { ...smallCyclesDefaults, thresholds: null, min_python: null },
    build: as(smallCycles),
  },
  {
    name: "small-cycles-t100",
    description: "small-cycles, 50,000 pairs, with gc.set_threshold(100, 5, 5): many young and full collections.",
    source: "Applications that lower the thresholds (or the gc module's own tests); exercises the older generations' counters.",
    defaults: { ...smallCyclesDefaults, iterations: 50_000, thresholds: [100, 5, 5], min_python: null },
    build: as(smallCycles),
  },
  {
    name: "tuple-growth",
    description: "A list grown by 300,000 appends of a fresh one-tuple `(i,)`.",
    source: "SF #574132 / bpo-4074: building a big list of tuples was quadratic, because full collections kept walking the young objects that could not be garbage.",
    defaults: { ...tupleGrowthDefaults, thresholds: null, min_python: null },
    build: as(tupleGrowth),
  },
  {
    name: "random-graph",
    description: "1,000,000 Nodes, each appended to a list and given 4 references to random earlier nodes; nothing dies.",
    source: "The 'N objects with 4 random references each' shape of src/workloads/random-graph.ts and of the incremental-gc discussions (3.13/3.14): collection cost on a big live heap where nothing is garbage.",
    defaults: { ...randomGraphDefaults, thresholds: null, min_python: null },
    build: as(randomGraph),
  },
  {
    name: "request-loop",
    description: "50,000 requests: a fresh list and a small tree (a root, 1-4 children pointing back, a dict of fields and (int, child) tuples); one in four roots kept in a 64-entry cache dict (key = request mod 64), the rest dropped.",
    source: "A web server's request handling: request-scoped cycles next to a long-lived cache (the setting of the 'gc pauses in web servers' reports).",
    defaults: { ...requestLoopDefaults, thresholds: null, min_python: null },
    build: as(requestLoop),
  },
  {
    name: "minidom-churn",
    description: "20,000 DOM-like trees (depth 3, fanout 1-3): parentNode / childNodes list / ownerDocument cycles, some attribute dicts and text tuples; each tree dropped after it is built, one in five partly unlinked first.",
    source: "xml.dom.minidom documents, whose parent ⇄ childNodes cycles are the classic case for Document.unlink() (and for the collector when nobody calls it).",
    defaults: { ...minidomChurnDefaults, thresholds: null, min_python: null },
    build: as(minidomChurn),
  },
  {
    name: "finalizer-churn",
    description: "100,000 steps of churn: Fin (__del__) in cycles with Nodes, alone and in self-cycles; Node cycles watched by weakrefs with callbacks; weakrefs without callback.",
    source: "PEP 442 (3.4: cycles with __del__ become collectable; 2.7 puts them in gc.garbage) and the collector's handling of weakref callbacks on cyclic trash.",
    defaults: { ...finalizerChurnDefaults, thresholds: null, min_python: null },
    build: as(finalizerChurn),
  },
  {
    name: "freeze-crossing",
    description: "Build 100,000 linked Nodes, gc.freeze(), then 100,000 churn steps (cycles, lists of tuples); halfway the frozen heap is released by refcounting.",
    source: "gc.freeze() (bpo-31558, 3.7), called before forking workers so that collections leave the shared pages alone, and what the counts do when frozen objects die.",
    defaults: { ...freezeCrossingDefaults, thresholds: null, min_python: "3.7" },
    build: as(freezeCrossing),
  },
  // the field's documented cases (docs/field-cases.md)
  {
    name: "trash-backlog",
    description: "200,000 response-like cycles (an instance, its dict, a list pointing back) with two temporaries each; each cycle is trash once the next one exists.",
    source: "CPython PR #142001 (trash cycles outstanding: <100 on 3.13, ~2,000 on 3.14.0, ~10,000 on 3.14.1+) and gh-142516 (HTTP client cycles: 80 MB on 3.14.0, 420 MB on 3.14.2).",
    defaults: { ...trashBacklogDefaults, thresholds: null, min_python: null },
    build: as(trashBacklog),
  },
  {
    name: "useless-full",
    description: "40 rounds: 20,000 Nodes appended to a fresh list, the previous list (and its Nodes) dropped, dying by refcounting.",
    source: "gh-122569: long_lived_pending is not lowered when old objects die by refcounting, so full collections run that find nothing.",
    defaults: { ...uselessFullDefaults, thresholds: null, min_python: null },
    build: as(uselessFull),
  },
  {
    name: "tuple-dict",
    description: "A dict of 1,000,000 entries whose values are fresh 2-tuples of ints (the tuple-keyed dict of the report).",
    source: "gh-139951 / gh-140175: <1 s on 3.13, >2 s on 3.14.0 (tuples tracked at creation and counted); fixed in 3.14.1 by GH-140262.",
    defaults: { ...tupleDictDefaults, thresholds: null, min_python: null },
    build: as(tupleDict),
  },
  {
    name: "big-heap",
    description: "500,000 live linked Nodes, then 20,000 rings of 21 Nodes made and dropped (pyperformance gc_collect's rings on top of a big heap).",
    source: "gh-129210: bm_gc_collect 20.8 s on main (incremental) vs 3.3 s on 3.13.",
    defaults: { ...bigHeapDefaults, thresholds: null, min_python: null },
    build: as(bigHeap),
  },
];

/** The workload of that name; ScenarioError (the CLI's exit 2) listing the known ones otherwise. */
export function getScheduleWorkload(name: string): ScheduleWorkload {
  const w = scheduleWorkloads.find((x) => x.name === name);
  if (!w) throw new ScenarioError(`unknown schedule workload ${JSON.stringify(name)}; known: ${scheduleWorkloads.map((x) => x.name).join(", ")}`);
  return w;
}
