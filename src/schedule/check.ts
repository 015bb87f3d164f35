// The schedule suite's comparison: a result recorded on a real CPython
// (test/schedule/expected/<X.Y>/<workload>.json, python/schedule_recorder.py)
// against the twin running the same program under that version's profile,
// from the same start (start-up objects, thresholds, counts). Sequences must
// be identical: every collection's op index, generation, collected and
// uncollectable, then the stats deltas and the counts at the end.

import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ScenarioError } from "../errors.js";
import { getProfile } from "../profiles.js";
import { runTwin, type CollectionRecord, type TwinOptions, type TwinResult } from "./twin.js";
import type { Program } from "./program.js";
import { getScheduleWorkload, type WorkloadParams } from "./workloads/index.js";

/** The fields of a recorded result the comparison reads. */
export interface RecordedSchedule {
  workload: string;
  python: string;
  /** The recorder's parameters; `build` holds the generator's (the workload's defaults fill the rest). */
  params: { build?: Partial<WorkloadParams>; thresholds?: number[] | null; nregs?: number; program_sha256?: string };
  thresholds: number[];
  startup_objects: number;
  count_start: [number, number, number];
  collections: CollectionRecord[] | null;
  /** Per collection, at its start: the sizes of the generations (3.14: young, old[0], old[1]) and the permanent one. */
  generation_sizes?: number[][] | null;
  stats_delta: Record<string, number>[] | null;
  count_end: number[];
}

export interface ScheduleComparison {
  workload: string;
  python: string;
  ok: boolean;
  /** The first difference, in words ("" when identical). */
  difference: string;
  recorded: RecordedSchedule;
  simulated: TwinResult;
}

export function readRecorded(file: string): RecordedSchedule {
  let r: RecordedSchedule;
  try {
    r = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ScenarioError(`${file}: not a recorded schedule (${(e as Error).message})`);
  }
  if (r === null || typeof r !== "object" || Array.isArray(r)) throw new ScenarioError(`${file}: not a recorded schedule (not a JSON object)`);
  for (const k of ["workload", "python", "params", "thresholds", "startup_objects", "count_start", "count_end"] as const) {
    if (r[k] === undefined) throw new ScenarioError(`${file}: no "${k}"`);
  }
  if (r.collections !== undefined && r.collections !== null && !Array.isArray(r.collections)) throw new ScenarioError(`${file}: "collections" must be a list`);
  return r;
}

/** Recorded results under DIR/<X.Y>/: [series, file] pairs, versions in profile order. */
export function recordedFiles(dir: string, workload?: string): { series: string; file: string }[] {
  if (!existsSync(dir)) return [];
  const out: { series: string; file: string }[] = [];
  for (const v of readdirSync(dir).sort()) {
    const sub = join(dir, v);
    if (!existsSync(sub) || !/^\d+\.\d+$/.test(v)) continue;
    for (const f of readdirSync(sub).sort()) {
      if (f.endsWith(".json") && (!workload || f === `${workload}.json`)) out.push({ series: v, file: join(sub, f) });
    }
  }
  return out;
}

function sha256(code: Int32Array): string {
  return createHash("sha256").update(Buffer.from(code.buffer, code.byteOffset, code.byteLength)).digest("hex");
}

const fmt = (c: CollectionRecord | undefined) =>
  c ? `op ${c[0]}: generation ${c[1]}, collected ${c[2]}, uncollectable ${c[3]}` : "none";

const compared = new Map<string, ScheduleComparison>();

/** Runs the twin from the recorded start and compares (each recording once per process and build). */
export function compareRecorded(rec: RecordedSchedule, build: "debug" | "release" = "release"): ScheduleComparison {
  const key = `${build}/${rec.python}/${rec.workload}/${rec.params.program_sha256 ?? JSON.stringify(rec.params)}`;
  let c = compared.get(key);
  if (!c) compared.set(key, (c = compareOnce(rec, build)));
  return c;
}

function compareOnce(rec: RecordedSchedule, build: "debug" | "release"): ScheduleComparison {
  const w = getScheduleWorkload(rec.workload);
  const program = w.build({ ...w.defaults, ...(rec.params.build ?? {}) });
  if (rec.params.program_sha256 && rec.params.program_sha256 !== sha256(program.code)) {
    throw new ScenarioError(`${rec.workload}: the generator no longer makes the program that was recorded (sha256 differs): record it again`);
  }
  const profile = getProfile(rec.python.replace(/[a-z].*$/, ""));
  const base = {
    python: profile.series, build, thresholds: rec.params.thresholds ?? null, countStart: rec.count_start,
    // the oldest generation at the first collection is exactly the heap the
    // program started on; gc.garbage and the resurrection list are real objects here
    startupObjects: Math.max(0, (!profile.incremental && rec.generation_sizes?.length ? rec.generation_sizes[0][2] : rec.startup_objects) - 2),
  };
  const sim = runTwin(program, { ...base, ...(profile.incremental ? incrementalStart(program, rec, base) : {}) });
  let difference = "";
  const got = sim.collections, want = rec.collections ?? [];
  for (let i = 0; i < Math.max(got.length, want.length) && !difference; i++) {
    const a = got[i], b = want[i];
    if (!a || !b || a.some((x, j) => x !== b[j])) {
      difference = `collection #${i + 1} of ${want.length}: simulated ${fmt(a)}; CPython ${rec.python} ${fmt(b)}`;
    }
  }
  if (!difference && rec.stats_delta && sim.statsDelta) {
    for (let g = 0; g < rec.stats_delta.length && !difference; g++) {
      for (const k of ["collections", "collected", "uncollectable"] as const) {
        if (rec.stats_delta[g][k] !== sim.statsDelta[g][k]) {
          difference = `gc.get_stats()[${g}]["${k}"] grew by ${sim.statsDelta[g][k]}; CPython: ${rec.stats_delta[g][k]}`;
          break;
        }
      }
    }
  }
  if (!difference && rec.count_end.some((c, i) => c !== sim.countEnd[i])) {
    difference = `gc.get_count() at the end: simulated (${sim.countEnd.join(", ")}); CPython (${rec.count_end.join(", ")})`;
  }
  return { workload: rec.workload, python: rec.python, ok: !difference, difference, recorded: rec, simulated: sim };
}

/**
 * 3.14: the recorded sizes at the second collection show what the first mark
 * did: the visited space holds what it reached, the pending one what it did
 * not (start-up objects no root reaches). The simulated start-up heap is set
 * so that its mark reaches as many objects, and leaves as many pending.
 */
function incrementalStart(program: Program, rec: RecordedSchedule, base: TwinOptions): Partial<TwinOptions> {
  const sizes = rec.generation_sizes;
  if (!sizes || sizes.length < 2 || !rec.collections || rec.collections[0][1] !== 1) return {};
  const [, visited, pending] = sizes[1];
  // a calibration run to the first collection: how many real objects the simulated mark reaches
  const probe = runTwin(program, { ...base, startupObjects: pending, startupUnreached: pending, maxCollections: 1 });
  const markedReal = probe.firstMarked ?? 0;
  const reached = Math.max(0, visited - markedReal);
  return { startupObjects: reached + pending, startupUnreached: pending };
}

/** Collections per generation: "784/71/0". */
export function perGeneration(c: readonly CollectionRecord[]): string {
  const n = [0, 0, 0];
  for (const r of c) n[r[1]]++;
  return n.join("/");
}
