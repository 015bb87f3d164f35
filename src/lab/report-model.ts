// Lab results as data (`pygcsim lab --json FILE`), for the explorer's plots and the static SVGs: the report
// checked field by field, its runs grouped per workload — a workload with its
// parameters and length, so runs of different lengths never share an x axis
// — and, per workload, the series per policy of the garbage held, the live
// objects and the pauses, a summary table, axis ticks, zooming and the point
// nearest a step. Data only, browser-safe (no DOM, no node:*): the page's lab
// view (app/lab-view.ts) draws it, the lab's static SVGs group the same way.

import { InvalidArgumentError } from "../errors.js";
import type { CollectionRecord, LabReport, LabRun, LabSummary, Sample } from "./types.js";

/** Series colours, one per policy in the report's first-seen order (past 10 they repeat, dashed). */
export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"] as const;

export type Domain = [number, number];
/** [step, value] */
export type Point = [number, number];

export interface Series {
  /** The policy's label ("memory(limitKiB=256)"), with " · 3.13.0" when one label ran under several Pythons. */
  policy: string;
  color: string;
  /** SVG stroke-dasharray for the 11th policy on (the palette repeats), else null. */
  dash: string | null;
  /** Sorted by step. */
  points: Point[];
}

export type ChartId = "garbage" | "live" | "pause";

export interface Chart {
  id: ChartId;
  title: string;
  yLabel: string;
  /** "line": samples joined; "points": one dot per collection. */
  kind: "line" | "points";
  series: Series[];
}

export interface SummaryRow {
  policy: string;
  color: string;
  python: string;
  pause: { p50: number; p90: number; p99: number; max: number };
  /** Collections of generation 0, 1, 2. */
  collections: [number, number, number];
  garbageHeld: { mean: number; max: number };
  /** summary.operations / (summary.runWallMs / 1000); null for a run of no measurable time. */
  opsPerSec: number | null;
}

export interface WorkloadView {
  /** Identifies the group: the workload, its parameters and its length. */
  key: string;
  workload: string;
  params: Record<string, number | string>;
  /** The workload's name, with the parameters (or the length) that tell it from another group of the same name. */
  title: string;
  /** "requests=300, burst=60, …": every parameter. */
  paramsText: string;
  /** The x axis of this workload's charts: 0 .. its last step. */
  domain: Domain;
  /** The series' policies, in order. */
  policies: string[];
  charts: Chart[];
  summary: SummaryRow[];
}

export interface LabModel {
  command: string | null;
  workloads: WorkloadView[];
  /** Every policy of the report with its colour. */
  colors: Record<string, string>;
}

// ---------------------------------------------------------------- validation

const fail = (path: string, what: string): never => {
  throw new InvalidArgumentError(`${path} ${what}`, "lab report");
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function obj(v: unknown, path: string): Record<string, unknown> {
  if (!isObject(v)) fail(path, "must be an object");
  return v as Record<string, unknown>;
}
function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, "must be an array");
  return v as unknown[];
}
function num(o: Record<string, unknown>, k: string, path: string): number {
  const v = o[k];
  if (typeof v !== "number" || !Number.isFinite(v)) fail(`${path}.${k}`, "must be a number");
  return v as number;
}
function str(o: Record<string, unknown>, k: string, path: string): string {
  const v = o[k];
  if (typeof v !== "string") fail(`${path}.${k}`, "must be a string");
  return v as string;
}
function nums(o: Record<string, unknown>, keys: readonly string[], path: string): void {
  for (const k of keys) num(o, k, path);
}

function checkCollection(v: unknown, path: string): void {
  const c = obj(v, path);
  nums(c, ["step", "examined", "collected", "uncollectable", "wallUs"], path);
  if (c.generation !== 0 && c.generation !== 1 && c.generation !== 2) fail(`${path}.generation`, "must be 0, 1 or 2");
  if (typeof c.automatic !== "boolean") fail(`${path}.automatic`, "must be a boolean");
}

function checkSample(v: unknown, path: string): void {
  nums(obj(v, path), ["step", "liveObjects", "liveBytes", "garbageObjects", "garbageBytes"], path);
}

function triple(v: unknown, path: string, nullable: boolean): void {
  const a = arr(v, path);
  if (a.length !== 3) fail(path, "must have 3 entries (generations 0, 1, 2)");
  a.forEach((x, i) => {
    if (!(typeof x === "number" && Number.isFinite(x)) && !(nullable && x === null)) fail(`${path}[${i}]`, nullable ? "must be a number or null" : "must be a number");
  });
}

function checkSummary(v: unknown, path: string): void {
  const s = obj(v, path);
  triple(s.collectionsPerGeneration, `${path}.collectionsPerGeneration`, false);
  nums(s, ["automaticCollections", "examinedTotal", "collectionWallMs", "runWallMs", "operations", "collected", "peakBytes", "peakObjects"], path);
  nums(obj(s.pause, `${path}.pause`), ["p50", "p90", "p99", "max", "mean"], `${path}.pause`);
  nums(obj(s.garbageHeld, `${path}.garbageHeld`), ["meanObjects", "maxObjects", "meanBytes", "maxBytes"], `${path}.garbageHeld`);
  triple(s.survival, `${path}.survival`, true);
}

function checkRun(v: unknown, path: string): void {
  const r = obj(v, path);
  for (const k of ["workload", "policy", "label", "python"]) str(r, k, path);
  nums(r, ["seed", "steps"], path);
  const wp = obj(r.workloadParams, `${path}.workloadParams`);
  for (const [k, x] of Object.entries(wp)) {
    if (typeof x !== "string" && !(typeof x === "number" && Number.isFinite(x))) fail(`${path}.workloadParams.${k}`, "must be a number or a string");
  }
  const pp = obj(r.policyParams, `${path}.policyParams`);
  for (const k of Object.keys(pp)) num(pp, k, `${path}.policyParams`);
  arr(r.collections, `${path}.collections`).forEach((c, i) => checkCollection(c, `${path}.collections[${i}]`));
  arr(r.samples, `${path}.samples`).forEach((s, i) => checkSample(s, `${path}.samples[${i}]`));
  checkSummary(r.summary, `${path}.summary`);
}

/**
 * The value as a LabReport, or an InvalidArgumentError naming the first bad
 * field ("runs[2].samples[5].step must be a number"). Fields a report does
 * not need to have (command, shard) may be missing; unknown fields are
 * ignored.
 */
export function parseLabReport(value: unknown): LabReport {
  const r = obj(value, "report");
  if (r.version !== 1) fail("version", `must be 1 (a lab report of this pygcsim), not ${JSON.stringify(r.version) ?? "missing"}`);
  if (r.command !== undefined && typeof r.command !== "string") fail("command", "must be a string");
  if (r.shard !== undefined) nums(obj(r.shard, "shard"), ["index", "count"], "shard");
  arr(r.runs, "runs").forEach((run, i) => checkRun(run, `runs[${i}]`));
  return value as LabReport;
}

// ---------------------------------------------------------------- grouping

const paramsKey = (p: Record<string, number | string>) => JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));
const paramsText = (p: Record<string, number | string>, keys = Object.keys(p)) => keys.map((k) => `${k}=${p[k]}`).join(", ");

export interface RunGroup {
  key: string;
  workload: string;
  params: Record<string, number | string>;
  /** Steps of its runs (the group's runs all have this length). */
  steps: number;
  title: string;
  runs: LabRun[];
}

/**
 * The runs per workload, in first-seen order: one group per workload name,
 * parameters and length, so that runs of different lengths (a sweep of
 * requests=100|300, or two workloads) never share an x axis. The title is
 * the name, with the parameters that differ between groups of that name
 * ("web-service(requests=100)"), or the length when only that differs.
 */
export function groupRuns(runs: readonly LabRun[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const r of runs) {
    const key = `${r.workload} ${paramsKey(r.workloadParams)} ${r.steps}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, workload: r.workload, params: r.workloadParams, steps: r.steps, title: r.workload, runs: [] }));
    g.runs.push(r);
  }
  const all = [...groups.values()];
  for (const g of all) {
    const same = all.filter((x) => x.workload === g.workload);
    if (same.length < 2) continue;
    const keys = [...new Set(same.flatMap((x) => Object.keys(x.params)))];
    const differ = keys.filter((k) => same.some((x) => x.params[k] !== g.params[k]));
    const lengthOnly = same.some((x) => x !== g && paramsKey(x.params) === paramsKey(g.params));
    const parts = [...differ.filter((k) => k in g.params).map((k) => `${k}=${g.params[k]}`), ...(lengthOnly ? [`${g.steps} steps`] : [])];
    if (parts.length) g.title = `${g.workload}(${parts.join(",")})`;
  }
  return all;
}

/**
 * The series name of each run: its label, with the Python version when the
 * same label ran under several, the seed when still ambiguous, and "#2", "#3"
 * for runs that remain alike within one workload group.
 */
export function seriesNames(runs: readonly LabRun[]): string[] {
  const variants = (f: (r: LabRun) => string, g: (r: LabRun) => string) => {
    const m = new Map<string, Set<string>>();
    for (const r of runs) (m.get(f(r)) ?? m.set(f(r), new Set()).get(f(r))!).add(g(r));
    return (r: LabRun) => m.get(f(r))!.size > 1;
  };
  const byPython = variants((r) => r.label, (r) => r.python);
  const bySeed = variants((r) => `${r.label} · ${r.python}`, (r) => String(r.seed));
  const base = runs.map((r) => `${r.label}${byPython(r) ? ` · ${r.python}` : ""}${bySeed(r) ? ` · seed ${r.seed}` : ""}`);
  const seen = new Map<string, number>();
  return runs.map((r, i) => {
    const k = `${r.workload} ${paramsKey(r.workloadParams)} ${r.steps} ${base[i]}`;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return n > 1 ? `${base[i]} #${n}` : base[i];
  });
}

// ---------------------------------------------------------------- the model

const byStep = (pts: Point[]) => pts.map((p, i) => [p, i] as const).sort((a, b) => a[0][0] - b[0][0] || a[1] - b[1]).map(([p]) => p);

function summaryRow(policy: string, color: string, run: LabRun): SummaryRow {
  const s: LabSummary = run.summary;
  return {
    policy, color, python: run.python,
    pause: { p50: s.pause.p50, p90: s.pause.p90, p99: s.pause.p99, max: s.pause.max },
    collections: [...s.collectionsPerGeneration] as [number, number, number],
    garbageHeld: { mean: s.garbageHeld.meanObjects, max: s.garbageHeld.maxObjects },
    opsPerSec: s.runWallMs > 0 ? s.operations / (s.runWallMs / 1000) : null,
  };
}

/** Checks the report (parseLabReport) and builds every workload's charts and table. */
export function buildLabModel(value: unknown): LabModel {
  const report = parseLabReport(value);
  const names = seriesNames(report.runs);
  const nameOf = new Map(report.runs.map((r, i) => [r, names[i]]));
  const order = [...new Set(names)];
  const colors: Record<string, string> = {};
  const dash = new Map<string, string | null>();
  order.forEach((p, i) => {
    colors[p] = PALETTE[i % PALETTE.length];
    dash.set(p, i < PALETTE.length ? null : ["6 3", "2 2", "8 3 2 3"][Math.floor(i / PALETTE.length - 1) % 3]);
  });
  const workloads = groupRuns(report.runs).map((g): WorkloadView => {
    const series = (pts: (r: LabRun) => Point[]): Series[] => g.runs.map((r) => {
      const policy = nameOf.get(r)!;
      return { policy, color: colors[policy], dash: dash.get(policy)!, points: byStep(pts(r)) };
    });
    const last = Math.max(g.steps, ...g.runs.flatMap((r) => [...r.samples.map((s: Sample) => s.step), ...r.collections.map((c: CollectionRecord) => c.step)]));
    return {
      key: g.key, workload: g.workload, params: g.params, title: g.title, paramsText: paramsText(g.params),
      domain: [Math.min(0, ...g.runs.flatMap((r) => r.samples.map((s) => s.step))), Math.max(1, last)],
      policies: g.runs.map((r) => nameOf.get(r)!),
      charts: [
        { id: "garbage", title: "Garbage held", yLabel: "objects unreachable, not yet freed", kind: "line", series: series((r) => r.samples.map((s) => [s.step, s.garbageObjects])) },
        { id: "live", title: "Live objects", yLabel: "live objects", kind: "line", series: series((r) => r.samples.map((s) => [s.step, s.liveObjects])) },
        { id: "pause", title: "Pauses", yLabel: "objects examined per collection", kind: "points", series: series((r) => r.collections.map((c) => [c.step, c.examined])) },
      ],
      summary: g.runs.map((r) => summaryRow(nameOf.get(r)!, colors[nameOf.get(r)!], r)),
    };
  });
  return { command: report.command ?? null, workloads, colors };
}

// ---------------------------------------------------------------- axes, zoom, hover

/** "Nice" ticks (1, 2, 5 × 10^k apart) from lo to hi inclusive, about n of them. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, n), mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
  const out: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) out.push(+(i * step).toPrecision(12));
  return out;
}

/** The smallest span zoom() makes: one step, or the whole domain when it is shorter. */
export const MIN_ZOOM_SPAN = 1;

/**
 * The x range to show when [x0, x1] is asked (either order) within the data's
 * domain: clamped to it, and at least MIN_ZOOM_SPAN wide (widened around the
 * asked range, still inside the domain). Non-finite ends give the domain.
 */
export function zoom(domain: Domain, range: Domain): Domain {
  const [lo, hi] = domain[0] <= domain[1] ? domain : [domain[1], domain[0]];
  if (!Number.isFinite(range[0]) || !Number.isFinite(range[1])) return [lo, hi];
  let a = Math.max(lo, Math.min(hi, Math.min(range[0], range[1])));
  let b = Math.max(lo, Math.min(hi, Math.max(range[0], range[1])));
  const span = Math.min(MIN_ZOOM_SPAN, hi - lo);
  if (b - a < span) {
    const mid = (a + b) / 2;
    a = Math.max(lo, Math.min(hi - span, mid - span / 2));
    b = a + span;
  }
  return [a, b];
}

/**
 * The index of the point whose step is nearest x (binary search; points
 * sorted by step), -1 for none. On a tie between two steps the earlier one;
 * among points of one step (collections in one step) the last.
 */
export function nearest(points: readonly Point[], x: number): number {
  if (!points.length || Number.isNaN(x)) return -1;
  let lo = 0, hi = points.length; // first index with step > x
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid][0] <= x) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return lastOfStep(points, 0);
  if (lo === points.length) return points.length - 1;
  const before = lo - 1; // the last point at or before x
  return x - points[before][0] <= points[lo][0] - x ? before : lastOfStep(points, lo);
}

function lastOfStep(points: readonly Point[], i: number): number {
  while (i + 1 < points.length && points[i + 1][0] === points[i][0]) i++;
  return i;
}

/**
 * The part of a line (points sorted by step) inside the x range: its points
 * there, and where it crosses either end a point interpolated at that end.
 */
export function clipLine(points: readonly Point[], range: Domain): Point[] {
  const [x0, x1] = range;
  if (points.length === 1) return points[0][0] >= x0 && points[0][0] <= x1 ? [points[0]] : [];
  const out: Point[] = [];
  const at = (a: Point, b: Point, x: number): Point => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
  const push = (p: Point) => {
    const last = out.at(-1);
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  };
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    if (b[0] < x0 || a[0] > x1) continue;
    push(a[0] < x0 ? at(a, b, x0) : a);
    push(b[0] > x1 ? at(a, b, x1) : b);
  }
  return out;
}

/** The largest value of the series' points within the x range (0 when none), for the y axis. */
export function maxInRange(series: readonly Series[], range: Domain): number {
  let m = 0;
  for (const s of series) for (const [x, y] of s.points) if (x >= range[0] && x <= range[1] && y > m) m = y;
  return m;
}

/** 1234567 → "1.23M", 12345 → "12.3k", 0.5 → "0.5". */
export function formatNumber(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${+(x / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${+(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${+(x / 1e3).toFixed(1)}k`;
  return a >= 100 || Number.isInteger(x) ? `${Math.round(x)}` : `${+x.toFixed(2)}`;
}
