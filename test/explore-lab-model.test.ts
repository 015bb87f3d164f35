// The explorer's lab model (src/lab/report-model.ts): a lab report checked
// field by field, runs grouped per workload (its name, parameters and length:
// each group its own x axis), the series and the summary table per workload,
// and the helpers the page's view uses (ticks, zoom, nearest). Reports made
// by the lab itself: test/data/lab-small.json (8 policies × 2 workloads of 400
// and 40 steps, the fixture of the browser test) and a sweep run here
// through the built CLI.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  MIN_ZOOM_SPAN, PALETTE, buildLabModel, clipLine, formatNumber, groupRuns, maxInRange, nearest, niceTicks, parseLabReport, seriesNames, zoom,
  type Point,
} from "../src/lab/report-model.js";
import { InvalidArgumentError } from "../src/errors.js";
import { runLab } from "../src/lab/run.js";
import type { LabReport } from "../src/lab/types.js";

const root = join(import.meta.dirname, "..");
const fixtureText = readFileSync(join(root, "test", "data", "lab-small.json"), "utf8");
const fixture = () => JSON.parse(fixtureText) as LabReport;
const POLICIES = [
  "cpython", "fixed(threshold0=350)", "fixed(threshold0=2800,threshold1=5,longLivedRatio=0.5)", "memory(limitKiB=32)",
  "memory(limitKiB=1024)", "incremental", "incremental(threshold0=500)", "user-example",
];

describe("parseLabReport: a bad field is named by its path", () => {
  const bad = (edit: (r: any) => void) => {
    const r = fixture();
    edit(r);
    return r;
  };
  it.each<[string, unknown, RegExp]>([
    ["not an object", [1, 2], /^lab report: report must be an object$/],
    ["null", null, /report must be an object/],
    ["another version", bad((r) => { r.version = 2; }), /^lab report: version must be 1 .*not 2$/],
    ["no runs", bad((r) => { delete r.runs; }), /^lab report: runs must be an array$/],
    ["a sample's step a string", bad((r) => { r.runs[2].samples[5].step = "5"; }), /^lab report: runs\[2\]\.samples\[5\]\.step must be a number$/],
    ["a sample's step NaN (a JS value, not JSON)", bad((r) => { r.runs[2].samples[5].step = NaN; }), /runs\[2\]\.samples\[5\]\.step must be a number$/],
    ["a run not an object", bad((r) => { r.runs[3] = "x"; }), /^lab report: runs\[3\] must be an object$/],
    ["no label", bad((r) => { delete r.runs[1].label; }), /runs\[1\]\.label must be a string$/],
    ["samples not an array", bad((r) => { r.runs[0].samples = {}; }), /runs\[0\]\.samples must be an array$/],
    ["a collection's generation 3", bad((r) => { r.runs[4].collections[0].generation = 3; }), /runs\[4\]\.collections\[0\]\.generation must be 0, 1 or 2$/],
    ["a collection's automatic a number", bad((r) => { r.runs[4].collections[1].automatic = 1; }), /runs\[4\]\.collections\[1\]\.automatic must be a boolean$/],
    ["a workload parameter an object", bad((r) => { r.runs[9].workloadParams.requests = {}; }), /runs\[9\]\.workloadParams\.requests must be a number or a string$/],
    ["a policy parameter a string", bad((r) => { r.runs[1].policyParams.threshold0 = "350"; }), /runs\[1\]\.policyParams\.threshold0 must be a number$/],
    ["the pause's p99 missing", bad((r) => { delete r.runs[7].summary.pause.p99; }), /runs\[7\]\.summary\.pause\.p99 must be a number$/],
    ["survival with 2 entries", bad((r) => { r.runs[0].summary.survival = [1, null]; }), /runs\[0\]\.summary\.survival must have 3 entries/],
    ["survival with a string", bad((r) => { r.runs[0].summary.survival[2] = "x"; }), /runs\[0\]\.summary\.survival\[2\] must be a number or null$/],
    ["collections per generation with null", bad((r) => { r.runs[0].summary.collectionsPerGeneration[1] = null; }), /runs\[0\]\.summary\.collectionsPerGeneration\[1\] must be a number$/],
    ["no operations (the summary's throughput)", bad((r) => { delete r.runs[15].summary.operations; }), /runs\[15\]\.summary\.operations must be a number$/],
    ["a shard without count", bad((r) => { r.shard = { index: 1 }; }), /^lab report: shard\.count must be a number$/],
    ["a command not a string", bad((r) => { r.command = 3; }), /^lab report: command must be a string$/],
  ])("%s", (_, value, message) => {
    expect(() => parseLabReport(value)).toThrow(InvalidArgumentError);
    expect(() => parseLabReport(value)).toThrow(message);
    expect(() => buildLabModel(value)).toThrow(message);
  });

  it("a good report is returned as is (unknown fields such as the sweep's plan kept, ignored)", () => {
    const r = fixture();
    expect(parseLabReport(r)).toBe(r);
    expect("plan" in r).toBe(true);
    expect(parseLabReport({ version: 1, runs: [] }).runs).toEqual([]);
    expect(buildLabModel({ version: 1, runs: [] })).toEqual({ command: null, workloads: [], colors: {} });
  });
});

describe("the fixture (8 policies × web-service 400 steps, random-graphs 40 steps) through the model", () => {
  const model = buildLabModel(fixture());
  const report = fixture();

  it("is small and made by the lab command", () => {
    expect(fixtureText.length).toBeLessThan(300_000);
    expect(report.command).toMatch(/^lab --workload web-service:requests=400,random-graphs:chunks=40:chunkSize=200 --policy /);
    expect(model.command).toBe(report.command);
  });

  it("one section per workload, each with its own x axis: 0..400 and 0..40", () => {
    expect(model.workloads.map((w) => [w.title, w.domain])).toEqual([["web-service", [0, 400]], ["random-graphs", [0, 40]]]);
    expect(model.workloads[0].paramsText).toBe("requests=400, burst=60, cycleEvery=3, cacheEvery=20, cacheSize=2000");
    expect(model.workloads[1].params).toMatchObject({ chunks: 40, chunkSize: 200 });
  });

  it("every workload has the 8 policies' series in each chart, colours distinct and the same in both workloads", () => {
    for (const w of model.workloads) {
      expect(w.policies).toEqual(POLICIES);
      expect(w.charts.map((c) => [c.id, c.kind])).toEqual([["garbage", "line"], ["live", "line"], ["pause", "points"]]);
      for (const c of w.charts) {
        expect(c.series.map((s) => s.policy)).toEqual(POLICIES);
        expect(c.series.map((s) => s.color)).toEqual(PALETTE.slice(0, 8));
        expect(c.series.every((s) => s.dash === null)).toBe(true);
      }
    }
    expect(Object.keys(model.colors)).toEqual(POLICIES);
    expect(new Set(Object.values(model.colors)).size).toBe(8);
  });

  it("the series are the runs' samples and collections, sorted by step", () => {
    for (const [wi, w] of model.workloads.entries()) {
      const runs = report.runs.filter((r) => r.workload === w.workload);
      const [garbage, live, pause] = w.charts;
      runs.forEach((r, i) => {
        expect(garbage.series[i].points).toEqual(r.samples.map((s) => [s.step, s.garbageObjects]));
        expect(live.series[i].points).toEqual(r.samples.map((s) => [s.step, s.liveObjects]));
        expect(pause.series[i].points).toEqual(r.collections.map((c) => [c.step, c.examined]));
        for (const s of [garbage, live, pause]) {
          const xs = s.series[i].points.map((p) => p[0]);
          expect(xs).toEqual([...xs].sort((a, b) => a - b));
          expect(Math.max(...xs)).toBeLessThanOrEqual(w.domain[1]);
        }
      });
      expect(garbage.series[0].points.at(-1)![0]).toBe([400, 40][wi]);
    }
  });

  it("the summary table: pauses, collections per generation, garbage held, ops/s = operations / run seconds", () => {
    const w = model.workloads[0];
    const runs = report.runs.filter((r) => r.workload === "web-service");
    expect(w.summary.map((s) => s.policy)).toEqual(POLICIES);
    w.summary.forEach((row, i) => {
      const s = runs[i].summary;
      expect(row.pause).toEqual({ p50: s.pause.p50, p90: s.pause.p90, p99: s.pause.p99, max: s.pause.max });
      expect(row.collections).toEqual(s.collectionsPerGeneration);
      expect(row.garbageHeld).toEqual({ mean: s.garbageHeld.meanObjects, max: s.garbageHeld.maxObjects });
      expect(row.opsPerSec).toBeCloseTo(s.operations / (s.runWallMs / 1000), 6);
      expect(row.python).toBe(runs[i].python);
      expect(row.color).toBe(PALETTE[i]);
    });
    // cpython on 3.12: 11 young and 1 middle collection (the lab's table for this sweep)
    expect(w.summary[0].collections).toEqual([11, 1, 0]);
    const r = fixture();
    r.runs[0].summary.runWallMs = 0;
    expect(buildLabModel(r).workloads[0].summary[0].opsPerSec).toBeNull();
  });
});

describe("grouping and series names", () => {
  const swept = [100, 300].flatMap((requests) =>
    ["cpython", "fixed:threshold0=350"].map((policy) => runLab({ workload: `web-service:requests=${requests}`, policy, python: "3.12", samples: 10 })));

  it("one workload swept over its length: a group per length, titled by the parameter that differs, each its own domain", () => {
    const model = buildLabModel({ version: 1, runs: swept });
    expect(model.workloads.map((w) => [w.title, w.domain, w.policies])).toEqual([
      ["web-service(requests=100)", [0, 100], ["cpython", "fixed(threshold0=350)"]],
      ["web-service(requests=300)", [0, 300], ["cpython", "fixed(threshold0=350)"]],
    ]);
    // the same policy has the same colour in both
    expect(model.workloads[0].charts[0].series.map((s) => s.color)).toEqual(model.workloads[1].charts[0].series.map((s) => s.color));
  });

  it("runs of one workload and parameters but different lengths are never one group", () => {
    const longer = { ...swept[0], steps: 150, samples: [...swept[0].samples, { ...swept[0].samples.at(-1)!, step: 150 }] };
    const groups = groupRuns([swept[0], longer]);
    expect(groups.map((g) => [g.title, g.steps])).toEqual([["web-service(100 steps)", 100], ["web-service(150 steps)", 150]]);
    expect(buildLabModel({ version: 1, runs: [swept[0], longer] }).workloads.map((w) => w.domain)).toEqual([[0, 100], [0, 150]]);
  });

  it("one label under two Pythons is told apart by version; alike runs by #n", () => {
    const a = runLab({ workload: "web-service:requests=60", policy: "cpython", python: "3.12", samples: 5 });
    const b = runLab({ workload: "web-service:requests=60", policy: "cpython", python: "3.13", samples: 5 });
    expect(seriesNames([a, b])).toEqual(["cpython · 3.12.1", "cpython · 3.13.0"]);
    expect(seriesNames([a, { ...a, seed: 2 }])).toEqual(["cpython · seed 1", "cpython · seed 2"]);
    expect(seriesNames([a, a, b])).toEqual(["cpython · 3.12.1", "cpython · 3.12.1 #2", "cpython · 3.13.0"]);
    expect(buildLabModel({ version: 1, runs: [a, b] }).workloads[0].policies).toEqual(["cpython · 3.12.1", "cpython · 3.13.0"]);
  });

  it("past 10 policies the palette repeats and the series are dashed", () => {
    const base = swept[0];
    const runs = Array.from({ length: 12 }, (_, i) => ({ ...base, label: `p${i}` }));
    const s = buildLabModel({ version: 1, runs }).workloads[0].charts[0].series;
    expect(s.map((x) => x.color)).toEqual([...PALETTE, PALETTE[0], PALETTE[1]]);
    expect(s.map((x) => x.dash !== null)).toEqual([...Array(10).fill(false), true, true]);
  });
});

describe("a report written by the CLI (pygcsim lab --json) goes through the model", () => {
  it("2 workloads of different lengths × a sweep of 3 policies", () => {
    const dir = mkdtempSync(join(tmpdir(), "lab-model-"));
    const file = join(dir, "lab.json");
    execFileSync(process.execPath, [join(root, "bin", "pygcsim.js"), "lab", "--workload", "web-service:requests=120,long-lived-growth:objects=2000:batch=100",
      "--policy", "fixed:threshold0=350|1400,memory:limitKiB=64", "--jobs", "1", "--json", file], { stdio: ["ignore", "pipe", "pipe"] });
    const json: unknown = JSON.parse(readFileSync(file, "utf8"));
    const model = buildLabModel(json);
    expect(model.workloads.map((w) => [w.title, w.domain])).toEqual([["web-service", [0, 120]], ["long-lived-growth", [0, 20]]]);
    for (const w of model.workloads) {
      expect(w.policies).toEqual(["fixed(threshold0=350)", "fixed(threshold0=1400)", "memory(limitKiB=64)"]);
      expect(w.summary).toHaveLength(3);
      for (const c of w.charts) expect(c.series).toHaveLength(3);
    }
    // web-service's garbage held: something held at some point (every 3rd request leaves a cycle)
    expect(maxInRange(model.workloads[0].charts[0].series, model.workloads[0].domain)).toBeGreaterThan(0);
  });
});

describe("ticks, zoom, nearest", () => {
  it("niceTicks: 1, 2, 5 × 10^k apart, inside the range", () => {
    expect(niceTicks(0, 400)).toEqual([0, 100, 200, 300, 400]);
    expect(niceTicks(0, 40)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(37.2, 81.9)).toEqual([40, 50, 60, 70, 80]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 7854)).toEqual([0, 2000, 4000, 6000]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(400, 0)).toEqual(niceTicks(0, 400));
    expect(niceTicks(0, Infinity)).toEqual([]);
  });

  it("zoom: either order, clamped to the data, at least one step wide", () => {
    const d: [number, number] = [0, 400];
    expect(zoom(d, [100, 200])).toEqual([100, 200]);
    expect(zoom(d, [200, 100])).toEqual([100, 200]);
    expect(zoom(d, [-50, 120])).toEqual([0, 120]);
    expect(zoom(d, [300, 900])).toEqual([300, 400]);
    expect(zoom(d, [-100, 900])).toEqual([0, 400]);
    // a click (no drag) or a range past either end: one step wide, inside the domain
    expect(zoom(d, [150, 150])).toEqual([149.5, 150.5]);
    expect(zoom(d, [0, 0])).toEqual([0, MIN_ZOOM_SPAN]);
    expect(zoom(d, [500, 600])).toEqual([400 - MIN_ZOOM_SPAN, 400]);
    expect(zoom(d, [-9, -3])).toEqual([0, MIN_ZOOM_SPAN]);
    expect(zoom(d, [NaN, 3])).toEqual(d);
    // a domain shorter than the minimum span: the whole domain
    expect(zoom([0, 0.5], [0.1, 0.2])).toEqual([0, 0.5]);
    expect(zoom([400, 0], [100, 200])).toEqual([100, 200]);
  });

  it("nearest: binary search by step, edges, ties and repeated steps", () => {
    const pts: Point[] = [[0, 1], [10, 2], [20, 3], [20, 4], [40, 5]];
    expect(nearest([], 5)).toBe(-1);
    expect(nearest(pts, NaN)).toBe(-1);
    expect(nearest(pts, -100)).toBe(0);
    expect(nearest(pts, 0)).toBe(0);
    expect(nearest(pts, 4)).toBe(0);
    expect(nearest(pts, 5)).toBe(0); // a tie: the earlier step
    expect(nearest(pts, 6)).toBe(1);
    expect(nearest(pts, 19)).toBe(3); // two collections at step 20: the last
    expect(nearest(pts, 20)).toBe(3);
    expect(nearest(pts, 30)).toBe(3);
    expect(nearest(pts, 31)).toBe(4);
    expect(nearest(pts, 1e9)).toBe(4);
    expect(nearest([[7, 1], [7, 2]], 0)).toBe(1);
    // against a linear scan on a long series
    const long: Point[] = Array.from({ length: 500 }, (_, i) => [i * 3 + (i % 7 === 0 ? 1 : 0), i]);
    for (let x = -5; x < 1510; x += 0.5) {
      let best = 0;
      for (let i = 1; i < long.length; i++) if (Math.abs(long[i][0] - x) < Math.abs(long[best][0] - x)) best = i;
      expect(Math.abs(long[nearest(long, x)][0] - x)).toBe(Math.abs(long[best][0] - x));
    }
  });

  it("clipLine: the line inside a zoomed range, ends interpolated where it crosses them", () => {
    const line: Point[] = [[0, 0], [10, 100], [20, 0], [30, 50]];
    expect(clipLine(line, [0, 30])).toEqual(line);
    expect(clipLine(line, [5, 25])).toEqual([[5, 50], [10, 100], [20, 0], [25, 25]]);
    expect(clipLine(line, [12, 18])).toEqual([[12, 80], [18, 20]]);
    expect(clipLine(line, [10, 10])).toEqual([[10, 100]]);
    expect(clipLine(line, [40, 50])).toEqual([]);
    expect(clipLine(line, [-10, -1])).toEqual([]);
    expect(clipLine([[5, 1]], [0, 10])).toEqual([[5, 1]]);
    expect(clipLine([[5, 1]], [6, 10])).toEqual([]);
    expect(clipLine([], [0, 10])).toEqual([]);
  });

  it("maxInRange follows the zoom; formatNumber abbreviates", () => {
    const s = [{ policy: "a", color: "", dash: null, points: [[0, 5], [10, 50], [20, 7]] as Point[] }];
    expect(maxInRange(s, [0, 400])).toBe(50);
    expect(maxInRange(s, [15, 400])).toBe(7);
    expect(maxInRange(s, [30, 400])).toBe(0);
    expect([0, 7, 0.25, 1340, 12345, 2_610_000, 3e9].map(formatNumber)).toEqual(["0", "7", "0.25", "1340", "12.3k", "2.61M", "3G"]);
  });

  it("the page's view (app/lab-view.ts) imports the model only", () => {
    const src = readFileSync(join(root, "src", "explore", "app", "lab-view.ts"), "utf8");
    expect([...src.matchAll(/^import [\s\S]*? from "([^"]+)";$/gm)].map((m) => m[1])).toEqual(["../../lab/report-model.js"]);
    expect(src).not.toMatch(/Math\.random|setTimeout|setInterval|requestAnimationFrame|Date\.now|performance\.now/);
  });

  it("is browser-safe: no DOM, no node:* — its only runtime import is errors.js", () => {
    const src = readFileSync(join(root, "src", "lab", "report-model.ts"), "utf8");
    const imports = [...src.matchAll(/^import (type )?.* from "([^"]+)";$/gm)].map((m) => [m[2], Boolean(m[1])]);
    expect(imports).toEqual([["../errors.js", false], ["./types.js", true]]);
    expect(src).not.toMatch(/\b(document|window)\./);
  });
});
