// A sweep's plan as a report records it (the inputs, normalized, and a hash
// of every run it expands to), and `lab merge`: the shards of one sweep
// joined back into the unsharded run order, refused when they are not one
// sweep's complete set of shards.

import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { InvalidArgumentError } from "../errors.js";
import { getProfile } from "../profiles.js";
import { findPolicy, findWorkload } from "./run.js";
import { resolveParams } from "./params.js";
import type { LabReport, LabRun } from "./types.js";
import type { LabJob } from "./plan.js";
import type { Shard } from "./shard.js";

/** What was asked for, and a hash of what it expands to: shards of one sweep have the same plan. */
export interface LabPlan {
  workloads: string[];
  policies: string[];
  /** --python's versions, or null when each policy's own. */
  pythons: string[] | null;
  seed: number;
  /** Runs in the whole (unsharded) sweep. */
  runs: number;
  /** sha256 of every run's workload, policy, resolved parameters, Python version and seed, in order. */
  hash: string;
}

export interface ShardedReport extends LabReport {
  plan?: LabPlan;
  shard?: Shard;
}

const list = (xs: string[]) => xs.flatMap((x) => x.split(",")).map((x) => x.trim()).filter(Boolean);

/**
 * The plan of `jobs` (the whole sweep, before sharding). The hash is over the
 * resolved runs, so `web-service` and `web-service:requests=5000` (its
 * default) are one plan, and a spelling of the inputs does not matter.
 */
export function planOf(jobs: LabJob[], workloads: string[], policies: string[], python: string | undefined, seed: number): LabPlan {
  const h = createHash("sha256");
  for (const j of jobs) {
    const w = findWorkload(j.workload.name), p = findPolicy(j.policy.name);
    h.update(JSON.stringify([
      w.name, resolveParams(j.workload, w.params, w.stringParams, "workload"),
      p.name, resolveParams(j.policy, p.params, {}, "policy"),
      getProfile(j.python ?? p.python ?? "3.12").version, j.seed,
    ]) + "\n");
  }
  return {
    workloads: list(workloads), policies: list(policies),
    pythons: python === undefined ? null : list([python]), seed, runs: jobs.length, hash: h.digest("hex"),
  };
}

function readReport(f: string): ShardedReport {
  let r: ShardedReport;
  try {
    // a device or a FIFO would be read forever
    const st = statSync(f);
    if (!st.isFile()) throw new Error("not a regular file");
    if (st.size > 2 ** 30) throw new Error(`${st.size.toLocaleString("en-US")} bytes, more than 1 GiB`);
    r = JSON.parse(readFileSync(f, "utf8"));
  } catch (e) {
    throw new InvalidArgumentError(`${f}: not a lab report (${(e as Error).message})`, "lab merge");
  }
  if (!r || r.version !== 1 || !Array.isArray(r.runs)) throw new InvalidArgumentError(`${f}: not a lab report (version 1 with runs)`, "lab merge");
  r.runs.forEach((run, i) => {
    const s = (run as Partial<LabRun> | null)?.summary;
    if (typeof run?.workload !== "string" || typeof run.label !== "string" || typeof run.python !== "string" || !s || !Array.isArray(s.collectionsPerGeneration)
      || !s.pause || !s.garbageHeld || !Array.isArray(s.survival) || !Array.isArray(run.samples) || !Array.isArray(run.collections)) {
      throw new InvalidArgumentError(`${f}: runs[${i}] is not a lab run`, "lab merge");
    }
  });
  const p = r.plan;
  if (p !== undefined && (typeof p !== "object" || p === null || typeof p.hash !== "string" || !Number.isSafeInteger(p.runs) || p.runs < 0)) {
    throw new InvalidArgumentError(`${f}: its plan is malformed`, "lab merge");
  }
  const s = r.shard;
  if (s !== undefined && (typeof s !== "object" || s === null || !Number.isSafeInteger(s.index) || !Number.isSafeInteger(s.count) || s.index < 1 || s.index > s.count)) {
    throw new InvalidArgumentError(`${f}: its shard is malformed`, "lab merge");
  }
  return r;
}

/** How two plans differ, in words: the first field that does, else the runs they expand to. */
function planDifference(a: LabPlan, b: LabPlan): string {
  const show = (v: unknown) => (v === null ? "each policy's own" : Array.isArray(v) ? v.join(",") : String(v));
  for (const k of ["seed", "workloads", "policies", "pythons"] as const) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `${k === "pythons" ? "python" : k} ${show(a[k])} vs ${show(b[k])}`;
  }
  return `the runs they expand to (plan ${a.hash.slice(0, 12)} vs ${b.hash.slice(0, 12)})`;
}

/** Runs a shard i of n holds out of `total`: every n-th from the i-th. */
const shardSize = (total: number, index: number, count: number) => (total >= index ? Math.floor((total - index) / count) + 1 : 0);

/**
 * Joins reports. Reports with a plan (every report `pygcsim lab` writes) must
 * be one sweep's shards, each exactly once, and come back in the unsharded
 * run order; reports without one (hand-assembled, or older) are concatenated
 * in the order given.
 */
export function mergeReports(files: string[]): ShardedReport {
  const reports = files.map((f) => ({ f, r: readReport(f) }));
  const planned = reports.filter((x) => x.r.plan !== undefined);
  if (!planned.length) return { version: 1, runs: reports.flatMap((x) => x.r.runs) };
  const fail = (m: string): never => { throw new InvalidArgumentError(m, "lab merge"); };
  if (planned.length < reports.length) {
    fail(`${reports.find((x) => !x.r.plan)!.f} has no plan (not written by this pygcsim lab): it cannot be checked against ${planned[0].f}`);
  }
  const first = reports[0];
  const plan = first.r.plan!;
  const count = first.r.shard?.count ?? 1;
  for (const { f, r } of reports.slice(1)) {
    if (r.plan!.hash !== plan.hash) fail(`${f} and ${first.f} are not shards of one sweep: ${planDifference(r.plan!, plan)}`);
    const n = r.shard?.count ?? 1;
    if (n !== count) fail(`${f} is shard ${r.shard?.index ?? 1}/${n} but ${first.f} is ${first.r.shard?.index ?? 1}/${count}: different shard counts`);
  }
  const byIndex = new Map<number, string[]>();
  for (const { f, r } of reports) {
    const i = r.shard?.index ?? 1;
    byIndex.set(i, [...(byIndex.get(i) ?? []), f]);
    const want = shardSize(plan.runs, i, count);
    if (r.runs.length !== want) fail(`${f}: shard ${i}/${count} of ${plan.runs} runs should hold ${want} runs, it holds ${r.runs.length}`);
  }
  const dup = [...byIndex].filter(([, fs]) => fs.length > 1).sort((a, b) => a[0] - b[0]);
  // every index given is in 1..count, so the missing ones are counted without listing them all
  // (a report may claim a count of billions); the message names the first few
  const missingCount = count - byIndex.size;
  const missing: number[] = [];
  for (let i = 1; missing.length < Math.min(missingCount, 10); i++) if (!byIndex.has(i)) missing.push(i);
  if (dup.length || missingCount) {
    const parts: string[] = [];
    if (dup.length) parts.push(dup.map(([i, fs]) => `shard ${i}/${count} is given ${fs.length} times (${fs.join(", ")})`).join("; "));
    if (missingCount) {
      const more = missingCount > missing.length ? ` and ${(missingCount - missing.length).toLocaleString("en-US")} more` : "";
      parts.push(`missing shard${missingCount > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")}${more}`);
    }
    fail(`not one complete sweep: ${parts.join("; ")}`);
  }
  // shard i holds runs i-1, i-1+n, ...: interleaving restores the unsharded order
  const shards = new Map(reports.map(({ r }) => [r.shard?.index ?? 1, r.runs]));
  const runs: LabRun[] = [];
  for (let k = 0; k < plan.runs; k++) runs.push(shards.get((k % count) + 1)![Math.floor(k / count)]);
  return { version: 1, plan, runs };
}
