// A sweep's plan: every (workload, policy, python) run, sweeps expanded, in a
// fixed order, every parameter checked before the first run. Browser-safe:
// the CLI runs the plan in worker threads, the explorer in the page.

import { InvalidArgumentError } from "../errors.js";
import { getProfile } from "../profiles.js";
import { expandSpec, parseSpec, resolveParams, type Spec } from "./params.js";
import { checkPolicyVersion, findPolicy, findWorkload } from "./run.js";

export interface LabJob {
  workload: Spec;
  policy: Spec;
  python?: string;
  seed: number;
  samples?: number;
}

/** The most runs one plan may hold (shards of a bigger sweep are separate plans). */
export const MAX_JOBS = 1_000_000;

/**
 * Every (workload, policy, python) combination, sweeps expanded, in a fixed
 * order. `python` may list several versions (comma-separated); a policy spec
 * may carry its own (`cpython:python=3.13`), which wins.
 */
export function planJobs(workloads: string[], policies: string[], python: string | undefined, seed: number): LabJob[] {
  const pythons = python !== undefined ? python.split(",").map((v) => v.trim()).filter(Boolean) : [];
  if (python !== undefined && !pythons.length) throw new InvalidArgumentError("--python: give a version", "lab");
  pythons.forEach((v) => getProfile(v)); // unknown versions fail before any run
  const jobs: LabJob[] = [];
  const split = (xs: string[]) => xs.flatMap((x) => x.split(",")).map((x) => x.trim()).filter(Boolean);
  const ws = split(workloads).flatMap((x) => expandSpec(parseSpec(x, "workload")));
  const ps = split(policies).flatMap((x) => expandSpec(parseSpec(x, "policy")));
  if (!ws.length) throw new InvalidArgumentError("--workload: give a workload (pygcsim lab list)", "lab");
  if (!ps.length) throw new InvalidArgumentError("--policy: give a policy (pygcsim lab list)", "lab");
  const planned = ws.length * ps.length * Math.max(1, pythons.length);
  if (planned > MAX_JOBS) throw new InvalidArgumentError(`the sweep makes ${planned.toLocaleString("en-US")} runs, more than ${MAX_JOBS.toLocaleString("en-US")}`, "lab");
  for (const w of ws) {
    const workload = findWorkload(w.name);
    // every parameter is checked here, before the first run (a worker would report it minutes later)
    resolveParams(w, workload.params, workload.stringParams, "workload");
    for (const p of ps) {
      const policy = findPolicy(p.name);
      const { python: own, ...values } = p.values;
      const spec = { name: p.name, values };
      resolveParams(spec, policy.params, {}, "policy");
      // the policy's own python= wins, then --python, then the policy's default version
      const versions = own !== undefined ? [own] : pythons.length ? pythons : [policy.python];
      for (const v of versions) {
        if (v !== undefined) checkPolicyVersion(policy, v);
        jobs.push({ workload: w, policy: spec, python: v, seed });
      }
    }
  }
  return jobs;
}
