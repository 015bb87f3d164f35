// `pygcsim lab`: workloads × policies from the command line, a comparison
// table, JSON for machines, SVG plots; sweeps run in worker threads, and
// --shard i/n (or auto: from the batch system's environment, shard.ts) runs
// a deterministic slice so a job runner can spread a sweep over machines
// (`pygcsim lab merge`, merge.ts, joins the shards' JSON).

import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError, PygcsimError } from "../errors.js";
import { rangeText } from "./params.js";
import { runLab } from "./run.js";
import type { LabRun } from "./types.js";
import { mergeReports, planOf, type ShardedReport } from "./merge.js";
import { describeShard, parseShard, type Env, type Shard } from "./shard.js";
import { WORKLOADS } from "./workloads/index.js";
import { POLICIES } from "./policies/index.js";
import { writePlots } from "./plots.js";
import { checkOutputFile, prepareOutputDir } from "../cli/paths.js";
import { UsageError, clip, intOption, str, type Command } from "../cli/command.js";

import { planJobs, type LabJob } from "./plan.js";

export { mergeReports };
export { planJobs, MAX_JOBS, type LabJob } from "./plan.js";

/** The jobs of shard i of n (1-based): every n-th job, starting at the i-th. */
export function shardOf<T>(jobs: T[], index: number, count: number): T[] {
  if (!(Number.isInteger(index) && Number.isInteger(count) && index >= 1 && index <= count)) {
    throw new InvalidArgumentError(`--shard must be i/n with 1 ≤ i ≤ n, got ${index}/${count}`, "lab");
  }
  return jobs.filter((_, k) => k % count === index - 1);
}

function runInWorker(job: LabJob): Promise<LabRun> {
  const url = new URL("./worker.js", import.meta.url);
  return new Promise((resolve, reject) => {
    const w = new Worker(fileURLToPath(url), { workerData: job });
    // a typed error in the worker stays typed here (one line at the CLI, not a crash)
    w.once("message", (m: { run?: LabRun; error?: string; typed?: boolean }) =>
      (m.run ? resolve(m.run) : reject(m.typed ? new PygcsimError(m.error ?? "") : new Error(m.error))));
    w.once("error", reject);
  });
}

/** Runs the jobs, `parallel` at a time in worker threads (1: in this thread). */
export async function runJobs(jobs: LabJob[], parallel: number, progress: (done: number, total: number, label: string) => void): Promise<LabRun[]> {
  const out: LabRun[] = new Array(jobs.length);
  let next = 0, done = 0;
  const one = async (): Promise<void> => {
    while (next < jobs.length) {
      const k = next++;
      const job = jobs[k];
      out[k] = parallel > 1 ? await runInWorker(job) : runLab({ ...job, onProgress: (f) => progress(done + f, jobs.length, `${job.workload.name} × ${job.policy.name}`) });
      done++;
      progress(done, jobs.length, `${job.workload.name} × ${job.policy.name}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, one));
  return out;
}

const fmt = (x: number | null, d = 0) => (x === null ? "–" : x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e4 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(d));

/**
 * A run's workload as the table names it: its name, plus the parameters that
 * differ between the runs of that workload (a sweep over its own parameters:
 * `web-service(requests=100)` and `web-service(requests=300)`, not two
 * identical-looking rows).
 */
function workloadNames(runs: LabRun[]): string[] {
  const differing = new Map<string, string[]>();
  for (const r of runs) {
    if (differing.has(r.workload)) continue;
    const same = runs.filter((x) => x.workload === r.workload);
    const keys = Object.keys(r.workloadParams).filter((k) => same.some((x) => String(x.workloadParams[k]) !== String(r.workloadParams[k])));
    differing.set(r.workload, keys);
  }
  return runs.map((r) => {
    const keys = differing.get(r.workload)!;
    return keys.length ? `${r.workload}(${keys.map((k) => `${k}=${r.workloadParams[k]}`).join(",")})` : r.workload;
  });
}

/** The comparison table: one row per run. */
export function comparisonTable(runs: LabRun[]): string {
  const names = workloadNames(runs);
  const head = ["workload", "policy", "python", "collections 0/1/2", "examined", "pause p50", "p99", "max", "gc ms", "garbage held avg", "max", "peak MiB", "survival 0/1/2", "ops/s"];
  const rows = runs.map((r, i) => {
    const s = r.summary;
    return [
      names[i], r.label, r.python, s.collectionsPerGeneration.join("/"), fmt(s.examinedTotal), fmt(s.pause.p50), fmt(s.pause.p99), fmt(s.pause.max),
      s.collectionWallMs.toFixed(1), fmt(s.garbageHeld.meanObjects), fmt(s.garbageHeld.maxObjects), (s.peakBytes / 2 ** 20).toFixed(1),
      s.survival.map((x) => (x === null ? "–" : x.toFixed(2))).join("/"), s.operations && s.runWallMs > 0 ? fmt(s.operations / (s.runWallMs / 1000)) : "–",
    ];
  });
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ")).join("\n");
}

/** `pygcsim lab list`: workloads, policies, their parameters. */
export function listing(): string {
  const out: string[] = ["workloads:"];
  for (const w of WORKLOADS) {
    out.push(`  ${w.name} — ${w.description}`);
    for (const [k, p] of Object.entries(w.params)) out.push(`      ${k}=${p.default}${p.sizes ? ` (size=small ${p.sizes.small}, medium ${p.sizes.medium}, large ${p.sizes.large})` : ""}  ${p.doc} [${rangeText(p)}]`);
    for (const [k, p] of Object.entries(w.stringParams ?? {})) out.push(`      ${k}=${p.default || "…"}  ${p.doc}`);
  }
  out.push("policies:");
  for (const p of POLICIES) {
    out.push(`  ${p.name} — ${p.description}${p.python ? ` (Python ${p.python})` : ""}`);
    if (p.requires) out.push(`      runs only under ${p.requires}`);
    for (const [k, s] of Object.entries(p.params)) out.push(`      ${k}=${s.default}  ${s.doc} [${rangeText(s)}]`);
  }
  return out.join("\n");
}

export interface LabCliOptions {
  workloads: string[];
  policies: string[];
  python?: string;
  seed: number;
  json?: string;
  svg?: string;
  /** i/n, or auto: read from `env` (Kubernetes, Slurm, a CI matrix; docs/sharding.md). */
  shard?: string;
  /** Where --shard auto looks (default process.env). */
  env?: Env;
  jobs?: number;
  /** Called once the plan is valid, before the first run: the CLI checks its output paths there. */
  checkOutputs?: () => void;
}

export async function labMain(o: LabCliOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const all = planJobs(o.workloads, o.policies, o.python, o.seed);
  let jobs = all;
  let shard: Shard | undefined;
  if (o.shard !== undefined) {
    shard = parseShard(o.shard, o.env ?? process.env);
    jobs = shardOf(all, shard.index, shard.count);
  }
  // the whole sweep's plan, so that `lab merge` can tell shards of one sweep from others
  const plan = planOf(all, o.workloads, o.policies, o.python, o.seed);
  o.checkOutputs?.();
  if (shard) err(`${describeShard(shard)}: ${jobs.length} of ${all.length} runs`);
  const parallel = Math.max(1, Math.min(o.jobs ?? Math.min(cpus().length, jobs.length), jobs.length));
  const tty = process.stderr.isTTY;
  let lastDraw = 0;
  const runs = await runJobs(jobs, parallel, (done, total, what) => {
    const now = Date.now();
    if (!tty && done < total && now - lastDraw < 2000) return;
    lastDraw = now;
    const width = 30, filled = Math.round((done / total) * width);
    const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done.toFixed(done % 1 ? 1 : 0)}/${total} ${what}`;
    if (tty) process.stderr.write(`\r${bar.padEnd(80)}`);
    else err(bar);
  });
  if (tty) process.stderr.write("\n");
  const report: ShardedReport = { version: 1, command: process.argv.slice(2).join(" "), plan, shard, runs };
  out(comparisonTable(runs));
  if (o.json !== undefined) {
    writeFileSync(o.json, JSON.stringify(report) + "\n");
    err(`wrote ${o.json}`);
  }
  if (o.svg !== undefined) {
    mkdirSync(o.svg, { recursive: true });
    for (const f of writePlots(runs, o.svg)) err(`wrote ${join(o.svg, f)}`);
  }
  return 0;
}

export const labCommand: Command = {
  name: "lab",
  summary: "the heuristics lab: workloads × collection policies, a comparison table, JSON and SVG plots",
  usage: [
    "lab [--workload W[:k=v...],...] [--policy P[:k=v...],...] [--python X.Y[,X.Y...]] [--seed N]",
    "    [--json FILE] [--svg DIR] [--shard i/n|auto] [--jobs N]",
    "lab list",
    "lab merge A.json B.json... [--json ALL.json] [--svg DIR]",
  ],
  description: `Runs each workload under each policy and prints a comparison table (docs/lab.md).
Sweep a parameter with k=a|b|c or k=lo..hi*factor; \`pygcsim lab list\` shows
the workloads, the policies and their parameters' ranges. The incremental
policy is CPython 3.14's collector and runs only under 3.14 (its default).
\`lab merge\` joins the JSON reports of shards (--shard i/n) into one, in the
unsharded order, and refuses shards of different sweeps, gaps and duplicates.
--shard auto reads the shard from a Kubernetes Indexed Job, a Slurm job array
or PYGCSIM_SHARD_INDEX/PYGCSIM_SHARD_COUNT (docs/sharding.md).`,
  options: {
    workload: { type: "string", value: "W[:k=v...],...", help: "workloads (default web-service)" },
    policy: { type: "string", value: "P[:k=v...],...", help: "policies (default cpython)" },
    python: { type: "string", value: "X.Y[,X.Y...]", help: "CPython versions (default: each policy's own)" },
    seed: { type: "string", value: "N", help: "the workloads' random seed (default 1; 0..4294967295)" },
    json: { type: "string", value: "FILE", help: "write the report as JSON (checked before any run)" },
    svg: { type: "string", value: "DIR", help: "write SVG plots into DIR (checked before any run)" },
    shard: { type: "string", value: "i/n|auto", help: "run every n-th run only, starting at the i-th; auto: from the environment" },
    jobs: { type: "string", value: "N", help: "worker threads (default: the CPUs; 1..256)" },
  },
  async run(a, { out, err }) {
    const json = str(a, "json"), svg = str(a, "svg");
    const given = Object.keys(a.values).filter((k) => a.values[k] !== undefined);
    if (a.positionals[0] === "list") {
      if (a.positionals.length > 1 || given.length) throw new UsageError("lab list takes no arguments");
      out(listing());
      return 0;
    }
    if (a.positionals[0] === "merge") {
      for (const k of given) if (k !== "json" && k !== "svg") throw new UsageError(`lab merge takes no option --${k}`);
      const files = a.positionals.slice(1);
      if (!files.length) throw new UsageError("lab merge: give the shards' JSON files");
      if (json !== undefined) checkOutputFile(json, "--json");
      if (svg !== undefined) prepareOutputDir(svg, "--svg");
      const merged = mergeReports(files);
      if (json !== undefined) writeFileSync(json, JSON.stringify(merged) + "\n");
      out(comparisonTable(merged.runs));
      if (svg !== undefined) {
        mkdirSync(svg, { recursive: true });
        writePlots(merged.runs, svg);
      }
      return 0;
    }
    if (a.positionals.length) throw new UsageError(`lab: unexpected ${clip(a.positionals[0])}`);
    const seed = intOption(a, "seed", 0, 2 ** 32 - 1) ?? 1;
    const jobs = intOption(a, "jobs", 1, 256);
    return await labMain({
      workloads: [str(a, "workload") ?? "web-service"], policies: [str(a, "policy") ?? "cpython"],
      python: str(a, "python"), seed, json, svg, shard: str(a, "shard"), jobs,
      // after the plan is checked, before any run
      checkOutputs: () => {
        if (json !== undefined) checkOutputFile(json, "--json");
        if (svg !== undefined) prepareOutputDir(svg, "--svg");
      },
    }, out, err);
  },
};
