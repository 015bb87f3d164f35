// The heuristics lab: deterministic runs, the policies' effects, sweeps,
// shards and merging, and the garbage-held metric.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runLab } from "../src/lab/run.js";
import { comparisonTable, mergeReports, planJobs, shardOf } from "../src/lab/cli.js";
import { expandValues, parseSpec, resolveParams } from "../src/lab/params.js";
import { writePlots } from "../src/lab/plots.js";
import { Heap } from "../src/heap.js";
import { webService } from "../src/lab/workloads/web-service.js";
import * as pkg from "../src/index.js";
import { InvalidArgumentError } from "../src/errors.js";

const small = "web-service:requests=600";

describe("lab runs", () => {
  it("are deterministic: the same seed gives the same collections and samples", () => {
    const a = runLab({ workload: small, policy: "cpython", python: "3.11", seed: 7 });
    const b = runLab({ workload: small, policy: "cpython", python: "3.11", seed: 7 });
    const strip = (r: typeof a) => ({ ...r, collections: r.collections.map((c) => ({ ...c, wallUs: 0 })), summary: { ...r.summary, collectionWallMs: 0, runWallMs: 0 } });
    expect(strip(a)).toEqual(strip(b));
    expect(a.steps).toBe(600);
    expect(a.collections.length).toBeGreaterThan(10);
  });

  it("count the work: every collection's examined objects add up to the total", () => {
    const r = runLab({ workload: `${small}:cacheEvery=0`, policy: "cpython", python: "3.12" });
    expect(r.summary.examinedTotal).toBe(r.collections.reduce((a, c) => a + c.examined, 0));
    expect(r.summary.collectionsPerGeneration.reduce((a, b) => a + b, 0)).toBe(r.collections.length);
    expect(r.summary.pause.max).toBe(Math.max(...r.collections.map((c) => c.examined)));
    // every 3rd request leaves a 60-object cycle: all of it is collected by the end (or held)
    const lastHeld = r.samples.at(-1)!.garbageObjects;
    expect(r.summary.collected + lastHeld).toBe(200 * 60);
  });

  it("a larger threshold0 means fewer, longer collections and more garbage held", () => {
    const lo = runLab({ workload: small, policy: "fixed:threshold0=700", python: "3.11" });
    const hi = runLab({ workload: small, policy: "fixed:threshold0=5000", python: "3.11" });
    expect(hi.collections.length).toBeLessThan(lo.collections.length);
    expect(hi.summary.pause.p50).toBeGreaterThan(lo.summary.pause.p50);
    expect(hi.summary.garbageHeld.meanObjects).toBeGreaterThan(lo.summary.garbageHeld.meanObjects);
  });

  it("the memory policy collects after every limitKiB allocated, not after a count", () => {
    const heap = new Heap({ python: "3.11" });
    heap.lab.setPolicy({ kind: "memory", youngBytes: 160 * 100 });
    let starts = 0;
    heap.onEvent((e) => { if (e.kind === "gc-start") starts++; });
    for (let i = 0; i < 100; i++) heap.newObject("obj"); // 160 bytes each: exactly the limit, not past it
    expect(starts).toBe(0);
    heap.newObject("obj");
    expect(starts).toBe(1);
    expect(heap.lab.getBytes().young).toBe(0);
  });

  it("a delegated policy decides at decision points only, never per allocation", () => {
    const heap = new Heap({ python: "3.12" });
    heap.setThreshold(100);
    const seen: number[] = [];
    heap.lab.setPolicy({ kind: "delegated", decide: (s) => { seen.push(s.count[0]); return seen.length % 2 ? 0 : null; } });
    heap.newObjects("list", 1000);               // one call: one decision at its safe point (3.12)
    expect(seen).toEqual([1000]);
    for (let i = 0; i < 500; i++) heap.newObject("list");
    expect(seen.length).toBeLessThan(500);       // not per allocation
    expect(seen.every((c) => c > 100)).toBe(true);
    expect(() => heap.lab.setPolicy({ kind: "delegated", decide: 5 as never })).toThrow(InvalidArgumentError);
  });

  it("the incremental policy needs 3.14 and runs increments", () => {
    const r = runLab({ workload: small, policy: "incremental", seed: 1 });
    expect(r.python).toBe("3.14.2");
    expect(r.collections.every((c) => c.generation === 1)).toBe(true);
    expect(() => runLab({ workload: small, policy: "incremental", python: "3.12" })).toThrow(/policy incremental is CPython 3.14.s incremental collector .*; it cannot run under Python 3.12.1/);
  });

  it("loaded-heap runs churn on a real program's heap loaded from a dump", () => {
    const r = runLab({ workload: "loaded-heap:requests=400", policy: "cpython", python: "3.12" });
    expect(r.samples[0].liveObjects).toBeGreaterThan(10000); // the loaded heap is there from the start
    expect(r.steps).toBe(400);
    expect(r.summary.collected).toBeGreaterThan(0);
    expect(() => runLab({ workload: "loaded-heap:dump=/nonexistent.jsonl", policy: "cpython" })).toThrow(/no dump file/);
  });

  it("garbage held is what no root reaches: 0 on a heap without cycles", () => {
    const r = runLab({ workload: "web-service:requests=300:cycleEvery=0", policy: "cpython", python: "3.11" });
    expect(r.samples.every((s) => s.garbageObjects === 0)).toBe(true);
    expect(r.summary.collected).toBe(0);
  });
});

describe("lab parameters, sweeps, shards", () => {
  it("parses specs and expands sweeps", () => {
    expect(parseSpec("fixed:threshold0=700:threshold1=5", "policy")).toEqual({ name: "fixed", values: { threshold0: "700", threshold1: "5" } });
    expect(expandValues("500..4000*2", "t")).toEqual(["500", "1000", "2000", "4000"]);
    expect(expandValues("1..3+1", "t")).toEqual(["1", "2", "3"]);
    expect(expandValues("a|b", "t")).toEqual(["a", "b"]);
    const jobs = planJobs(["web-service:size=small", "minidom-churn"], ["fixed:threshold0=700|2000,memory"], undefined, 1);
    expect(jobs.map((j) => `${j.workload.name}/${j.policy.name}/${j.policy.values.threshold0 ?? ""}`)).toEqual([
      "web-service/fixed/700", "web-service/fixed/2000", "web-service/memory/",
      "minidom-churn/fixed/700", "minidom-churn/fixed/2000", "minidom-churn/memory/",
    ]);
  });

  it("resolves sizes and rejects unknown parameters with the known ones", () => {
    expect(resolveParams(parseSpec("web-service:size=large", "w"), webService.params).requests).toBe(200000);
    expect(() => resolveParams(parseSpec("web-service:speed=2", "w"), webService.params)).toThrow(/no parameter speed \(known: requests, burst/);
    expect(() => planJobs(["nope"], ["cpython"], undefined, 1)).toThrow(/unknown workload nope \(known: web-service/);
  });

  it("shards partition the jobs, and merging the shards' reports gives all runs", () => {
    const jobs = planJobs(["web-service:requests=200"], ["fixed:threshold0=500|700|1000|2000|4000"], "3.11", 1);
    const parts = [1, 2, 3].map((i) => shardOf(jobs, i, 3));
    expect(parts.flat().length).toBe(jobs.length);
    expect(new Set(parts.flat()).size).toBe(jobs.length);
    expect(() => shardOf(jobs, 4, 3)).toThrow(InvalidArgumentError);
    const dir = mkdtempSync(join(tmpdir(), "lab-"));
    const files = parts.map((p, i) => {
      const f = join(dir, `s${i}.json`);
      writeFileSync(f, JSON.stringify({ version: 1, runs: p.map((j) => runLab(j)) }));
      return f;
    });
    const merged = mergeReports(files);
    const label = (v: string) => (v === "700" ? "fixed" : `fixed(threshold0=${v})`); // defaults are left out of labels
    expect(merged.runs.map((r) => r.label).sort()).toEqual(jobs.map((j) => label(j.policy.values.threshold0)).sort());
    expect(comparisonTable(merged.runs).split("\n")).toHaveLength(1 + jobs.length);
    const svgs = writePlots(merged.runs, dir);
    for (const f of svgs) {
      const svg = readFileSync(join(dir, f), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
      expect(svg).toContain("fixed(threshold0=2000)");
    }
  });
});

describe("program workloads schedule as Python statements do", () => {
  // The batch version of minidom-churn built each tree in one call, so under
  // 3.12+ a whole tree held one safe point and a threshold sweep changed
  // nothing. The program runs statement by statement with the executor's
  // safe points: 3.12 collects as often as 3.11 does.
  it.each(["3.11", "3.12"])("minidom-churn under %s: threshold0 250 vs 1000 → 171 vs 55 young collections", (python) => {
    const young = (t: number) => runLab({ workload: `minidom-churn:trees=2000`, policy: `fixed:threshold0=${t}`, python }).summary.collectionsPerGeneration[0];
    expect(young(250)).toBe(171);
    expect(young(1000)).toBe(55);
  });
});

describe("the lab from the package's entry", () => {
  it("exports runLab, planJobs, WORKLOADS and POLICIES: a sweep planned and run as the CLI does", () => {
    expect(pkg.WORKLOADS.map((w) => w.name)).toContain("web-service");
    expect(pkg.POLICIES.map((p) => p.name)).toEqual(expect.arrayContaining(["cpython", "memory", "fixed", "incremental"]));
    const jobs = pkg.planJobs(["web-service:requests=100"], ["fixed:threshold0=300|600"], "3.12", 1);
    expect(jobs.map((j) => j.policy.values.threshold0)).toEqual(["300", "600"]);
    const runs: pkg.LabRun[] = jobs.map((j) => pkg.runLab(j));
    const report: pkg.LabReport = { version: 1, runs };
    expect(report.runs.map((r) => r.label)).toEqual(["fixed(threshold0=300)", "fixed(threshold0=600)"]);
    // a lower threshold collects generation 0 more often
    expect(runs[0].summary.collectionsPerGeneration[0]).toBeGreaterThan(runs[1].summary.collectionsPerGeneration[0]);
  });
});

describe("the comparison table", () => {
  it("names a workload swept over its own parameters by the values that differ", () => {
    const runs = planJobs(["web-service:requests=60|120"], ["cpython"], "3.12", 1).map((j) => runLab(j));
    const lines = comparisonTable(runs).split("\n");
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual(["web-service(requests=60)", "web-service(requests=120)"]);
    // one configuration: the plain name
    const one = comparisonTable(runs.slice(0, 1)).split("\n")[1];
    expect(one.startsWith("web-service  ")).toBe(true);
  });
});
