// The field's documented GC cases (docs/field-cases.md): each a schedule
// workload run under the versions it concerns, in the simulator and — where
// a real interpreter recorded it (test/schedule/expected) — side by side with
// CPython. Every figure is computed the same way from the collection records
// (op, generation, collected, uncollectable), so a simulated and a recorded
// figure are comparable; simulator-only figures (objects examined) say so.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { getProfile } from "../profiles.js";
import { Op, OPERANDS, type Program } from "./program.js";
import { runTwin, type CollectionRecord } from "./twin.js";
import { compareRecorded, perGeneration, readRecorded } from "./check.js";
import { getScheduleWorkload } from "./workloads/index.js";
import { TRASH_RING } from "./workloads/field-trash-backlog.js";

export interface FieldRow {
  python: string;
  /** The figure in the simulator. */
  simulated: string;
  /** The figure on the real interpreter, from the recording (null: none recorded). */
  real: string | null;
}

export interface FieldCase {
  workload: string;
  title: string;
  source: string;
  /** What the figure is. */
  figure: string;
  /** What the field reported. */
  reported: string;
  rows: FieldRow[];
}

const VERSIONS = ["3.12", "3.13", "3.14.0", "3.14", "3.15"];

/** Op index of every op that starts a new trash cycle (NEW_OBJ into register 0) — trash-backlog's program. */
function cycleStarts(program: Program): number[] {
  const starts: number[] = [];
  const code = program.code;
  for (let pc = 0, op = 0; op < program.ops; op++) {
    const k = code[pc];
    if (k === Op.NEW_OBJ && code[pc + 1] === 0) starts.push(op);
    pc += 1 + (k === Op.NEW_TUPLE ? 2 + code[pc + 2] : OPERANDS[k]);
  }
  return starts;
}

/**
 * The most trash cycles waiting for the collector: before each collection,
 * the cycles made trash so far (a cycle is trash once the next one's object
 * is stored) less what earlier collections freed. A collection inside a
 * NEW_OBJ op runs before its store.
 */
export function peakTrashCycles(program: Program, collections: readonly CollectionRecord[]): number {
  const starts = cycleStarts(program);
  let freed = 0, peak = 0, i = 0;
  for (const [op, , collected] of collections) {
    while (i < starts.length && starts[i] < op) i++; // cycles whose store happened before this op
    const trash = Math.max(0, i - 1) * TRASH_RING;
    peak = Math.max(peak, trash - freed);
    freed += collected;
  }
  return Math.round(peak / TRASH_RING);
}

const fmt = (n: number) => n.toLocaleString("en-US");

interface Spec {
  workload: string;
  title: string;
  source: string;
  figure: string;
  reported: string;
  measure(program: Program, c: readonly CollectionRecord[], python: string): string;
}

const SPECS: Spec[] = [
  {
    workload: "trash-backlog",
    title: "Pending-trash backlog of a cycle-making loop",
    source: "PR #142001; gh-142516",
    figure: "most trash cycles waiting for the collector (from the collection records)",
    reported: "<100 on 3.13, ~2,000 on 3.14.0, ~10,000 on 3.14.1+ (cycles); 80 MB (3.14.0) vs 420 MB (3.14.2) for an HTTP client",
    measure: (p, c) => fmt(peakTrashCycles(p, c)),
  },
  {
    workload: "tuple-growth",
    title: "Quadratic full collections (the 25 % rule)",
    source: "SF #574132; bpo-4074",
    figure: "collections per generation (0/1/2) building a list of 300,000 fresh `(i,)`",
    reported: "linear with the rule (full collections only once pending > 25 % of long-lived), quadratic without it",
    measure: (_p, c) => perGeneration(c),
  },
  {
    workload: "useless-full",
    title: "Full collections that find nothing",
    source: "gh-122569",
    figure: "full collections that freed nothing / all full collections",
    reported: "repeated generation-2 collections that find nothing when old objects die by refcounting",
    measure: (_p, c) => {
      const full = c.filter((r) => r[1] === 2);
      return `${full.filter((r) => r[2] === 0).length} / ${full.length}`;
    },
  },
  {
    workload: "tuple-dict",
    title: "A dict of 1,000,000 tuples",
    source: "gh-139951; gh-140175; GH-140262",
    figure: "collections per generation (0/1/2)",
    reported: "<1 s on 3.13, >2 s on 3.14.0 (every tuple counted), fixed in 3.14.1",
    measure: (_p, c) => perGeneration(c),
  },
  {
    workload: "big-heap",
    title: "Cycles on top of a big live heap",
    source: "gh-129210 (bm_gc_collect)",
    figure: "collections per generation (0/1/2)",
    reported: "20.8 s on main (incremental) vs 3.3 s on 3.13",
    measure: (_p, c) => perGeneration(c),
  },
];

/** Runs every field case under VERSIONS; `expectedDir` holds the recordings (may be absent). */
export function fieldCases(expectedDir: string): FieldCase[] {
  return SPECS.map((s) => {
    const w = getScheduleWorkload(s.workload);
    const program = w.build(w.defaults);
    const rows = VERSIONS.map((v) => {
      const series = getProfile(v).series;
      const file = join(expectedDir, series, `${s.workload}.json`);
      const recorded = series === v && existsSync(file) ? readRecorded(file) : null;
      // with a recording: from the recorded start (start-up heap, counts), as the suite compares
      const sim = recorded?.collections ? compareRecorded(recorded).simulated
        : runTwin(program, { python: v, thresholds: w.defaults.thresholds ?? null });
      return {
        python: v,
        simulated: s.measure(program, sim.collections, v),
        real: recorded?.collections ? s.measure(program, recorded.collections, v) : null,
      };
    });
    return { workload: s.workload, title: s.title, source: s.source, figure: s.figure, reported: s.reported, rows };
  });
}

/** The cases as markdown tables (docs/schedule.md; the cases: docs/field-cases.md). */
export function fieldCasesMarkdown(cases: FieldCase[]): string {
  const out: string[] = [];
  for (const c of cases) {
    out.push(`**${c.title}** (${c.source}; workload \`${c.workload}\`) — ${c.figure}. Reported: ${c.reported}.`, "");
    out.push("| CPython | simulator | real interpreter |", "| --- | ---: | ---: |");
    for (const r of c.rows) {
      const real = r.real ?? (r.python === "3.14.0" ? "no interpreter (source only)" : "not recorded");
      out.push(`| ${r.python} | ${r.simulated} | ${r.real === null ? real : r.real} |`);
    }
    out.push("");
  }
  return out.join("\n").trimEnd();
}
