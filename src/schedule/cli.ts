// `pygcsim schedule WORKLOAD[,...]|all [--python X.Y[,...]|all] [--check DIR] [--json]`:
// runs schedule workloads on the twin and prints each one's automatic
// collections per generation; with --check DIR compares them with the
// results recorded on real interpreters (DIR/<X.Y>/<workload>.json) and
// prints the first differing collection. Exit 0 all identical, 1 a
// difference, 2 bad input.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { PygcsimError, ScenarioError } from "../errors.js";
import { getProfile, PROFILES } from "../profiles.js";
import { runTwin } from "./twin.js";
import { compareRecorded, perGeneration, readRecorded, recordedFiles } from "./check.js";
import { getScheduleWorkload, scheduleWorkloads } from "./workloads/index.js";
import { versionApplies } from "../scenario/validate.js";
import { versionTuple } from "../profiles.js";
import { fieldCases, fieldCasesMarkdown } from "./field.js";
import { BUILD_OPTION, PYTHONS_OPTION, buildOption, flag, str, type Command } from "../cli/command.js";

export interface ScheduleOptions {
  /** Print the field's documented cases (src/schedule/field.ts) as markdown; with check: beside the recordings. */
  field?: boolean;
  python?: string;
  check?: string;
  json?: boolean;
  build?: "debug" | "release";
}

export function scheduleCommand(names: string[], o: ScheduleOptions, out: (s: string) => void): number {
  // a typo in --check must not print tables without the recorded figures
  if (o.check !== undefined && !(existsSync(o.check) && statSync(o.check).isDirectory())) throw new ScenarioError(`--check ${o.check}: no such directory`);
  if (o.field) {
    if (names.length) throw new ScenarioError("schedule --field takes no workload (it runs the field cases)");
    out(fieldCasesMarkdown(fieldCases(o.check ?? "")));
    return 0;
  }
  if (!names.length) {
    out(scheduleWorkloads.map((w) => `${w.name.padEnd(22)} ${w.description}`).join("\n"));
    return 0;
  }
  const workloads = names.flatMap((n) => n.split(",")).flatMap((n) => (n === "all" ? scheduleWorkloads.map((w) => w.name) : [n]));
  workloads.forEach(getScheduleWorkload); // unknown names fail before any work
  if (o.check) return checkAll(workloads, new Set(names.flatMap((n) => n.split(",")).filter((n) => n !== "all")), o, out);
  const versions = !o.python ? ["3.11"] : o.python === "all" ? PROFILES.map((p) => p.series) : o.python.split(",");
  const rows: object[] = [];
  for (const v of versions) {
    const profile = getProfile(v);
    for (const name of workloads) {
      const w = getScheduleWorkload(name);
      if (!versionApplies({ min_python: w.defaults.min_python ?? undefined }, versionTuple(profile))) continue;
      const r = runTwin(w.build(w.defaults), { python: profile.series, thresholds: w.defaults.thresholds ?? null, build: o.build });
      out(`${profile.series.padEnd(7)} ${name.padEnd(22)} collections ${perGeneration(r.collections).padEnd(12)} count at the end (${r.countEnd.join(", ")})`);
      rows.push({ python: profile.series, workload: name, collections: r.collections, count_end: r.countEnd, stats_delta: r.statsDelta });
    }
  }
  if (o.json) out(JSON.stringify(rows));
  return 0;
}

/**
 * Compares with the recordings in o.check. A workload named on the command
 * line without any recording there fails (exit 1); under `all` it is skipped
 * with a line; no recording at all for the request is exit 2 (a wrong DIR).
 */
function checkAll(workloads: string[], named: Set<string>, o: ScheduleOptions, out: (s: string) => void): number {
  const wanted = o.python && o.python !== "all" ? new Set(o.python.split(",").map((v) => getProfile(v).series)) : null;
  if (!existsSync(o.check!)) throw new ScenarioError(`--check ${o.check}: no such directory`);
  let passed = 0, failed = 0;
  const filesOf = new Map(workloads.map((name) => [name, recordedFiles(o.check!, name).filter((f) => !wanted || wanted.has(f.series))]));
  if (![...filesOf.values()].some((f) => f.length)) {
    throw new ScenarioError(`--check ${o.check}: no recorded result for ${workloads.length === 1 ? workloads[0] : "these workloads"}${wanted ? ` on Python ${[...wanted].join(", ")}` : ""} (expected ${join(o.check!, "<X.Y>", `${workloads[0]}.json`)})`);
  }
  for (const name of workloads) {
    const files = filesOf.get(name)!;
    if (!files.length) {
      if (named.has(name)) { failed++; out(`FAIL ${name}: no recorded result in ${o.check}`); }
      else out(`skip ${name}: no recorded result in ${o.check}`);
      continue;
    }
    for (const { series, file } of files) {
      const rec = readRecorded(file);
      if (!rec.collections) { out(`skip ${series} ${name}: recorded without collection events (${rec.python})`); continue; }
      let c: ReturnType<typeof compareRecorded>;
      try {
        c = compareRecorded(rec, o.build);
      } catch (e) {
        // a recording with fields of the wrong type is malformed input, not a bug
        if (e instanceof PygcsimError) throw e;
        throw new ScenarioError(`${file}: not a recorded schedule (${(e as Error).message})`);
      }
      if (c.ok) { passed++; out(`pass ${series.padEnd(5)} ${name.padEnd(22)} ${perGeneration(c.simulated.collections)}`); }
      else { failed++; out(`FAIL ${series.padEnd(5)} ${name.padEnd(22)} ${perGeneration(c.simulated.collections)} vs CPython ${perGeneration(rec.collections)}: ${c.difference}`); }
    }
  }
  out(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

export const scheduleCommandSpec: Command = {
  name: "schedule",
  summary: "automatic collection as real CPython schedules it, checked against real interpreters",
  usage: [
    "schedule [WORKLOAD[,...]|all] [--python X.Y[,X.Y...]|all] [--check DIR] [--json]",
    "schedule --field [--check DIR]",
  ],
  description: `Runs schedule workloads (python/schedule_recorder.py's programs) and prints
their automatic collections per generation; no WORKLOAD lists them. --check
DIR compares every collection with results recorded on real interpreters
(DIR/<X.Y>/<workload>.json, e.g. test/schedule/expected) and prints the first
that differs (exit 1). --field: the field's documented GC cases
(docs/schedule.md) as tables, beside the real interpreters' figures from the
recordings in DIR. See docs/schedule.md.`,
  options: {
    python: PYTHONS_OPTION,
    check: { type: "string", value: "DIR", help: "compare with the recordings in DIR/<X.Y>/<workload>.json" },
    json: { type: "boolean", help: "adds a last line: the runs as JSON" },
    field: { type: "boolean", help: "the field's documented GC cases as tables" },
    build: BUILD_OPTION,
  },
  run(a, { out }) {
    return scheduleCommand(a.positionals, {
      python: str(a, "python"), check: str(a, "check"), json: flag(a, "json"), build: buildOption(a), field: flag(a, "field"),
    }, out);
  },
};
