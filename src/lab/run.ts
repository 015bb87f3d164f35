// One lab run: a workload under a policy on a fresh heap, with the metrics
// of every collection (from the heap's events) and samples over time (the
// garbage held, from a reachability pass in wasm).

import { Heap, type HeapEvent } from "../heap.js";
import { getProfile } from "../profiles.js";
import { InvalidArgumentError } from "../errors.js";
import { mulberry32 } from "../workloads/random-graph.js";
import type { CollectionRecord, LabRun, LabSummary, Policy, Sample, Workload } from "./types.js";
import { WORKLOADS } from "./workloads/index.js";
import { POLICIES } from "./policies/index.js";
import { label, parseSpec, resolveParams, type Spec } from "./params.js";

export interface RunOptions {
  workload: Spec | string;
  policy: Spec | string;
  /** CPython version (default 3.12, or the policy's own, e.g. 3.14 for "incremental"). */
  python?: string;
  seed?: number;
  /** Samples of the garbage held over the run (default 50). */
  samples?: number;
  /** Called with the fraction done, for progress bars. */
  onProgress?: (done: number) => void;
}

export function findWorkload(name: string): Workload {
  const w = WORKLOADS.find((x) => x.name === name);
  if (!w) throw new InvalidArgumentError(`unknown workload ${name} (known: ${WORKLOADS.map((x) => x.name).join(", ")})`, "lab");
  return w;
}

export function findPolicy(name: string): Policy {
  const p = POLICIES.find((x) => x.name === name);
  if (!p) throw new InvalidArgumentError(`unknown policy ${name} (known: ${POLICIES.map((x) => x.name).join(", ")})`, "lab");
  return p;
}

/** A policy that needs a collector the profile does not have is refused (it would silently be another policy). */
export function checkPolicyVersion(policy: Policy, version: string): void {
  const profile = getProfile(version);
  if (policy.accepts && !policy.accepts(profile)) {
    throw new InvalidArgumentError(`policy ${policy.name} is ${policy.requires ?? "not available here"}; it cannot run under Python ${profile.version}`
      + `${policy.python ? ` (without --python it runs under ${getProfile(policy.python).version})` : ""}`, "lab");
  }
}

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function summarize(collections: CollectionRecord[], samples: Sample[], runWallMs: number, operations = 0): LabSummary {
  const per: [number, number, number] = [0, 0, 0];
  const ex: [number, number, number] = [0, 0, 0], surv: [number, number, number] = [0, 0, 0];
  for (const c of collections) {
    per[c.generation]++;
    ex[c.generation] += c.examined;
    surv[c.generation] += Math.max(0, c.examined - c.collected - c.uncollectable);
  }
  const pauses = collections.map((c) => c.examined).sort((a, b) => a - b);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    collectionsPerGeneration: per,
    automaticCollections: collections.filter((c) => c.automatic).length,
    examinedTotal: pauses.reduce((a, b) => a + b, 0),
    pause: { p50: percentile(pauses, 0.5), p90: percentile(pauses, 0.9), p99: percentile(pauses, 0.99), max: pauses.at(-1) ?? 0, mean: mean(pauses) },
    collectionWallMs: collections.reduce((a, c) => a + c.wallUs, 0) / 1000,
    runWallMs,
    operations,
    collected: collections.reduce((a, c) => a + c.collected, 0),
    garbageHeld: {
      meanObjects: mean(samples.map((s) => s.garbageObjects)), maxObjects: Math.max(0, ...samples.map((s) => s.garbageObjects)),
      meanBytes: mean(samples.map((s) => s.garbageBytes)), maxBytes: Math.max(0, ...samples.map((s) => s.garbageBytes)),
    },
    peakBytes: Math.max(0, ...samples.map((s) => s.liveBytes)),
    peakObjects: Math.max(0, ...samples.map((s) => s.liveObjects)),
    survival: [0, 1, 2].map((g) => (ex[g] ? surv[g] / ex[g] : null)) as [number | null, number | null, number | null],
  };
}

/** Runs one workload under one policy and returns its metrics. */
export function runLab(o: RunOptions): LabRun {
  const wspec = typeof o.workload === "string" ? parseSpec(o.workload, "workload") : o.workload;
  const pspec = typeof o.policy === "string" ? parseSpec(o.policy, "policy") : o.policy;
  const workload = findWorkload(wspec.name);
  const policy = findPolicy(pspec.name);
  const wparams = resolveParams(wspec, workload.params, workload.stringParams, "workload");
  const pparams = resolveParams(pspec, policy.params, {}, "policy") as Record<string, number>;
  const python = getProfile(o.python ?? policy.python ?? "3.12").version;
  checkPolicyVersion(policy, python);
  const seed = o.seed ?? 1;
  // batch calls schedule like the Python loops they stand for (3.12+: a safe point per statement)
  const heap = workload.heap ? workload.heap(wparams, python) : new Heap({ python, safePoints: "per-statement" });
  heap.enable();
  policy.apply(heap, pparams);
  const collections: CollectionRecord[] = [];
  const samples: Sample[] = [];
  let stepNo = 0;
  heap.onEvent((e: HeapEvent) => {
    if (e.kind === "gc-stop") {
      collections.push({
        step: stepNo, generation: e.generation, examined: e.examined, collected: e.collected,
        uncollectable: e.uncollectable, wallUs: e.wallUs, automatic: e.automatic,
      });
    }
  });
  const total = Math.max(1, workload.steps(wparams));
  const every = Math.max(1, Math.floor(total / (o.samples ?? 50)));
  const sample = () => {
    const g = heap.lab.garbageHeld();
    samples.push({ step: stepNo, liveObjects: heap.size, liveBytes: heap.lab.getBytes().live, garbageObjects: g.objects, garbageBytes: g.bytes });
  };
  const ops0 = heap.lab.operationsDone();
  const t0 = performance.now();
  sample();
  workload.run({
    heap, params: wparams, rng: mulberry32(seed),
    step: () => {
      stepNo++;
      if (stepNo % every === 0) {
        sample();
        o.onProgress?.(Math.min(1, stepNo / total));
      }
    },
  });
  if (stepNo % every !== 0) sample();
  const runWallMs = performance.now() - t0;
  return {
    workload: workload.name, workloadParams: wparams, policy: policy.name, policyParams: pparams,
    label: label(policy.name, pparams, policy.params), python, seed, steps: stepNo,
    collections, samples, summary: summarize(collections, samples, runWallMs, heap.lab.operationsDone() - ops0),
  };
}
