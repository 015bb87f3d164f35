// The rest of the suite, printed by `npm run bench` (appended to bench/RESULTS.md with `-- --md bench/RESULTS.md`):
// engine micro-benchmarks (allocate, link, release cascade, young
// collection), more shapes side by side with CPython (dlist, tree, young,
// building with the automatic collector on), and the heap analyses.
//
//   node --expose-gc dist/bench/extra.js [--quick]      (Markdown on stdout)

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Heap } from "../src/index.js";
import { runShape } from "../src/cli/bench-shape.js";
import { randomGraph } from "../src/workloads/random-graph.js";
import { allocBuild } from "../src/workloads/alloc-build.js";
import { collectJsGarbage, median } from "./measure.js";
import { findInterpreters } from "./cpython.js";
import { fmtMs } from "./report.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const quick = process.argv.includes("--quick");
const N = 1_000_000;
const log = (s: string) => process.stderr.write(s + "\n");

function timeIt(reps: number, prepare: () => void, run: () => void): number[] {
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    collectJsGarbage();
    prepare();
    const t = performance.now();
    run();
    out.push(performance.now() - t);
  }
  return out;
}

const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
const cell = (xs: number[]) => `${fmtMs(median(xs))} [${fmtMs(Math.min(...xs))}–${fmtMs(Math.max(...xs))}]`;

function micro(): string[] {
  const reps = quick ? 3 : 7;
  const rows: [string, number[]][] = [];
  let heap!: Heap;
  let ids!: Uint32Array;
  let from!: Uint32Array, to!: Uint32Array;
  log("micro: allocate");
  rows.push(["allocate: newObjects(obj, 1M)", timeIt(reps, () => { heap = new Heap(); heap.disable(); }, () => { ids = heap.newObjects("obj", N); })]);
  log("micro: link");
  rows.push(["link: addRefs of 4M references (1M objects)", timeIt(reps, () => {
    heap = new Heap(); heap.disable(); ids = heap.newObjects("obj", N);
    from = new Uint32Array(4 * N); to = new Uint32Array(4 * N);
    for (let i = 0; i < 4 * N; i++) { from[i] = ids[i >> 2]; to[i] = ids[(i * 2654435761) % N]; }
  }, () => heap.addRefs(from, to))]);
  log("micro: release cascade");
  rows.push(["release cascade: unbind the head of a 1M-long chain", timeIt(reps, () => {
    heap = new Heap(); heap.disable(); ids = heap.chain("obj", N);
  }, () => heap.unbind(ids[0]))]);
  rows.push(["release cascade: 1M-long list chain (trashcan)", timeIt(reps, () => {
    heap = new Heap(); heap.disable(); ids = heap.chain("list", N);
  }, () => heap.unbind(ids[0]))]);
  log("micro: young collection");
  for (const n of [N, 4 * N]) {
    const r = runShape("young", n, quick ? 7 : 21);
    if (n === 4 * N) goalsSeen.young4 = r.median_ms;
    rows.push([`young collection: collect(0) of 700 live objects over ${n / 1e6}M old`, [r.median_ms, r.min_ms, r.max_ms]]);
  }
  return [
    "## Engine micro-benchmarks", "",
    `\`node --expose-gc dist/bench/extra.js\`: median ms [min–max] of ${reps} runs (young collections: 21), release build, Python 3.11 profile.`, "",
    "| operation | ms |", "| --- | ---: |",
    ...rows.map(([name, xs]) => `| ${name} | ${name.startsWith("young") ? `${us(xs[0])} [${us(xs[1])}–${us(xs[2])}]` : cell(xs)} |`), "",
  ];
}

function shapes(): string[] {
  const interps = findInterpreters([]).found.filter((i) => ["3.11", "3.12"].some((v) => i.version.startsWith(v)));
  const names = ["dlist", "tree", "young", "alloc"] as const;
  const sim: Record<string, number> = {};
  for (const s of ["dlist", "tree", "young"] as const) {
    log(`shape ${s}`);
    sim[s] = runShape(s, N, quick ? 3 : 5).median_ms;
  }
  log("shape alloc (automatic collection on)");
  sim.alloc = median(timeIt(quick ? 2 : 3, () => {}, () => { const h = new Heap({ python: "3.11" }); randomGraph(h, { n: N, seed: 1 }); }));
  log("shape alloc, one op per statement (op stream)");
  sim.allocOps = median(timeIt(quick ? 2 : 3, () => {}, () => { const h = new Heap({ python: "3.11" }); allocBuild(h, N, 1); }));
  log("the same with the collector off (the op stream's own cost)");
  const allocOpsOff = median(timeIt(quick ? 2 : 3, () => {}, () => { const h = new Heap({ python: "3.11" }); h.disable(); allocBuild(h, N, 1); }));
  goalsSeen.nsPerOpGcOff = (allocOpsOff * 1e6) / (7 * N);
  goalsSeen.autoBytes = runShape("auto", N, 1).bytes_per_object;
  const py: Record<string, Record<string, number>> = {};
  for (const i of interps) {
    log(`CPython ${i.version}: dlist, tree, young, alloc`);
    const r = spawnSync(i.command, [join(root, "bench", "cpython", "shapes.py"), "--n", String(N), "--shapes", "dlist,tree,young,alloc", "--reps", quick ? "2" : "3"],
      { encoding: "utf8", timeout: 15 * 60_000 });
    if (r.status !== 0) { log(`  failed: ${r.stderr}`); continue; }
    py[i.version] = {};
    for (const line of r.stdout.trim().split("\n")) { const j = JSON.parse(line); py[i.version][j.shape] = j.median_ms; }
  }
  const head = ["shape", "pygcsim", ...Object.keys(py).flatMap((v) => [`CPython ${v}`, "ratio"])];
  const f = (s: string, ms: number) => (s === "young" ? us(ms) : `${fmtMs(ms)} ms`);
  const rows = names.map((s) => [s, f(s, sim[s]), ...Object.values(py).flatMap((p) => [f(s, p[s]), `${(p[s] / sim[s]).toFixed(1)}×`])]);
  // the same build statement by statement: 7M ops (make, append, drop the temporary; 4 slot stores), each with its safe point
  rows.push(["alloc, per statement (op stream, 7M ops)", f("alloc", sim.allocOps), ...Object.values(py).flatMap((p) => [f("alloc", p.alloc), `${(p.alloc / sim.allocOps).toFixed(1)}×`])]);
  goalsSeen.young = sim.young;
  goalsSeen.allocRatio = Math.min(...Object.values(py).map((p) => p.alloc / sim.allocOps));
  goalsSeen.nsPerOp = (sim.allocOps * 1e6) / (7 * N);
  return [
    "## More shapes, side by side", "",
    "Median ms, N = 1,000,000, one run: pygcsim `runShape` (what `pygcsim bench shape` runs) and `bench/cpython/shapes.py` on the same shapes. dlist: a doubly linked list, unreachable; tree: parent ⇄ childNodes lists, fan-out 8, unreachable; young: `collect(0)` of 700 live objects over the 1M reach heap; alloc: building the 1M × 4 reach graph with the automatic collector on (pygcsim: `randomGraph`, batches of 1M references, under 3.11).", "",
    `| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`), "",
  ];
}

const goalsSeen: { young?: number; young4?: number; allocRatio?: number; nsPerOp?: number; nsPerOpGcOff?: number; autoBytes?: number } = {};

/** bench/run.ts's figures of this run (bench/results.json): pygcsim's median, CPython's best ratio, the floor kernel's median. */
function suiteFigure(shape: string, n: number): { ms: number; ratio: number; floorMs: number } {
  try {
    const res = JSON.parse(readFileSync(join(root, "bench", "results.json"), "utf8"));
    const sim = res.pygcsim.collections.find((c: { shape: string; n: number }) => c.shape === shape && c.n === n);
    const py = res.cpython.results.filter((c: { shape: string; n: number }) => c.shape === shape && c.n === n);
    const ms = sim.stats.medianMs as number;
    return { ms, ratio: py.length ? Math.min(...py.map((p: { median_ms: number }) => p.median_ms)) / ms : NaN, floorMs: sim.floor?.medianMs ?? NaN };
  } catch {
    return { ms: NaN, ratio: NaN, floorMs: NaN };
  }
}

/** A JSON file another step of this run wrote (bench/results.json, bench/largest.json), or null. */
function readJson(name: string): Record<string, any> | null {
  try { return JSON.parse(readFileSync(join(root, "bench", name), "utf8")); } catch { return null; }
}

function goals(): string[] {
  const live = suiteFigure("reach", N), garbage = suiteFigure("garbage", N), live4 = suiteFigure("reach", 4 * N);
  const mem = readJson("results.json")?.pygcsim?.memory?.find((m: { n: number }) => m.n === N);
  const big = readJson("largest.json");
  const yes = (ok: boolean) => (ok ? "yes" : "no");
  const x = (r: number) => `${r.toFixed(2)}×`;
  return [
    "## Against the goals of issue 10", "",
    "Every figure from this run (the tables above, bench/results.json, bench/largest.json).", "",
    "| goal | measured in this run | met |", "| --- | --- | --- |",
    `| op stream, amortised ≤ 25 ns per op | ${(goalsSeen.nsPerOpGcOff ?? NaN).toFixed(0)} ns per op with the collector off, ${(goalsSeen.nsPerOp ?? NaN).toFixed(0)} ns with it on (collections included) | ${yes((goalsSeen.nsPerOpGcOff ?? 99) <= 25)} |`,
    `| allocation build 1M × 4, automatic collection, one op per statement, ≥ 10× CPython 3.11 | ${(goalsSeen.allocRatio ?? NaN).toFixed(1)}× | ${yes((goalsSeen.allocRatio ?? 0) >= 10)} |`,
    `| full collection 1M × 4 live ≤ 1.15× the floor, ≥ 20× CPython | ${fmtMs(live.ms)} ms: ${x(live.ms / live.floorMs)} the floor (${fmtMs(live.floorMs)} ms), ${live.ratio.toFixed(1)}× CPython | ${yes(live.ms / live.floorMs <= 1.15 && live.ratio >= 20)} |`,
    `| full collection 4M × 4 live ≤ 1.4× the floor, ≥ 6× CPython | ${fmtMs(live4.ms)} ms: ${x(live4.ms / live4.floorMs)} the floor (${fmtMs(live4.floorMs)} ms), ${live4.ratio.toFixed(1)}× CPython | ${yes(live4.ms / live4.floorMs <= 1.4 && live4.ratio >= 6)} |`,
    `| 1M all garbage ≤ 30 ms, ≥ 25× CPython | ${fmtMs(garbage.ms)} ms, ${garbage.ratio.toFixed(1)}× CPython | ${yes(garbage.ms <= 30 && garbage.ratio >= 25)} |`,
    `| ≤ 56 bytes per object with 4 references | reach heap 1M: ${mem ? mem.bytesPerObject.toFixed(1) : "—"} B (memory in use; CPython ~72 B RSS); allocation build: ${(goalsSeen.autoBytes ?? NaN).toFixed(1)} B | ${yes((mem?.bytesPerObject ?? 99) <= 56)} |`,
    `| one engine holds ≥ 50,000,000 objects × 4 references | ${big ? `${big.n.toLocaleString("en-US")}: built in ${(big.buildMs / 1000).toFixed(1)} s, collected in ${(big.collectMs / 1000).toFixed(2)} s, ${big.bytesPerObject.toFixed(1)} B/object` : "not run (dist/bench/largest.js)"} | ${yes((big?.n ?? 0) >= 50_000_000)} |`,
    `| young collection ≤ 20 µs, flat in the old heap's size | ${us(goalsSeen.young ?? NaN)} over 1M, ${us(goalsSeen.young4 ?? NaN)} over 4M | ${yes((goalsSeen.young ?? 1) * 1000 <= 20 && (goalsSeen.young4 ?? 1) * 1000 <= 20)} |`,
    "",
  ];
}

function analyses(): string[] {
  log("analyses (dist/bench/analysis.js)");
  const r = spawnSync(process.execPath, ["--expose-gc", join(root, "dist", "bench", "analysis.js"), ...(quick ? ["--samples", "3"] : [])],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return ["## Heap analyses at 1,000,000 objects", "", "`node --expose-gc dist/bench/analysis.js`:", "", r.stdout.trim(), ""];
}

process.stdout.write(["", ...micro(), ...shapes(), ...goals(), ...analyses()].join("\n") + "\n");
