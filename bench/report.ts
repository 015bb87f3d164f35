// Formats a benchmark run: a plain-text table for the terminal and a Markdown report.

import type { Stats } from "./measure.js";
import type { PauseRow } from "./pauses.js";
import type { CpythonResult, Interpreter } from "./cpython.js";

export type Shape = "reach" | "garbage";

export interface Meta {
  date: string;
  command: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  v8: string;
  os: string;
  git: string;
  /** build/release.wasm: hash and build time. */
  wasm: string;
  profile: string;
  seed: number;
  sizes: number[];
  cpythonMaxN: number;
  quick: boolean;
  /** os.loadavg() (1, 5, 15 min) when the run started and ended: other work on the machine. */
  loadStart: number[];
  loadEnd?: number[];
  /** The 1-minute load average as each measurement started. */
  load: { step: string; load1: number }[];
  durationS?: number;
}

export interface SimCollection {
  shape: Shape;
  n: number;
  stats: Stats;
  /** heap.collect(2)'s return value, per sample. */
  collected: number[];
  /** heap.objectsExamined() during each timed collection. */
  examined: number[];
  /** The floor kernel (bench/kernel/floor.ts) on the same graph, timed right after (reach only). */
  floor?: Stats;
}

export interface Results {
  meta: Meta;
  pauses?: PauseRow[];
  pygcsim: {
    memory: { n: number; bytes: number; bytesPerObject: number; linearBytesPerObject?: number }[];
    collections: SimCollection[];
    build: { n: number; refsPerNode: number; stats: Stats } | null;
  };
  cpython: {
    interpreters: Interpreter[];
    skipped: string[];
    results: CpythonResult[];
    errors: string[];
  };
}

const SHAPES: Shape[] = ["reach", "garbage"];

export const fmtN = (n: number) => n.toLocaleString("en-US");
export const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtRatio = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}x` : "—");

function interpName(i: Interpreter): string {
  return `CPython ${i.version}`;
}

function cpy(res: Results, i: Interpreter, shape: Shape, n: number): CpythonResult | undefined {
  return res.cpython.results.find((r) => r.executable === i.executable && r.shape === shape && r.n === n);
}

function sim(res: Results, shape: Shape, n: number): SimCollection | undefined {
  return res.pygcsim.collections.find((c) => c.shape === shape && c.n === n);
}

const uniq = (xs: number[]) => [...new Set(xs)];

/** "97,990" when every sample found the same count, else "min…max". */
function counts(xs: number[]): string {
  const u = uniq(xs);
  return u.length === 1 ? fmtN(u[0]) : `${fmtN(Math.min(...u))}…${fmtN(Math.max(...u))}`;
}

/** Whether CPython found the same number of objects as pygcsim (same graph, same answer). */
function agreement(res: Results, s: SimCollection): string {
  const theirs = res.cpython.interpreters.map((i) => cpy(res, i, s.shape, s.n)).filter((r): r is CpythonResult => !!r);
  if (!theirs.length) return "";
  const mine = uniq(s.collected);
  const same = theirs.every((r) => uniq(r.collected).length === 1 && mine.length === 1 && r.collected[0] === mine[0]);
  return same ? "same in CPython" : `CPython: ${theirs.map((r) => counts(r.collected)).join(" / ")}`;
}

function pad(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((x, c) => (c < 2 ? x.padEnd(w[c]) : x.padStart(w[c]))).join("  ").trimEnd()).join("\n");
}

export function textTable(res: Results): string {
  const ints = res.cpython.interpreters;
  const head = ["shape", "N", "pygcsim ms", "[min–max]", "floor ms", "/ floor"];
  for (const i of ints) head.push(interpName(i), "ratio");
  head.push("collected", "examined");
  const rows = [head];
  for (const shape of SHAPES) {
    for (const n of res.meta.sizes) {
      const s = sim(res, shape, n);
      if (!s) continue;
      const f = s.floor;
      const row = [shape, fmtN(n), fmtMs(s.stats.medianMs), `[${fmtMs(s.stats.minMs)}–${fmtMs(s.stats.maxMs)}]`,
        f ? fmtMs(f.medianMs) : "—", f ? fmtRatio(s.stats.medianMs / f.medianMs) : "—"];
      for (const i of ints) {
        const c = cpy(res, i, shape, n);
        row.push(c ? `${fmtMs(c.median_ms)} [${fmtMs(c.min_ms)}–${fmtMs(c.max_ms)}]` : "—", c ? fmtRatio(c.median_ms / s.stats.medianMs) : "—");
      }
      row.push(`${counts(s.collected)}${agreement(res, s) === "same in CPython" ? " (= CPython)" : ""}`, counts(s.examined));
      rows.push(row);
    }
  }
  const out = [
    "Full collection: pygcsim heap.collect(2) vs CPython gc.collect(); median ms [min–max]; ratio = CPython / pygcsim (> 1: pygcsim faster)",
    pad(rows),
  ];
  const mem = res.pygcsim.memory.map((m) => `${fmtN(m.n)}: ${m.bytesPerObject.toFixed(1)} B/object`).join(", ");
  if (mem) out.push("", `pygcsim memory (heap.debug.memoryInUse() / N, reach heap): ${mem}`);
  const b = res.pygcsim.build;
  if (b) out.push(`pygcsim build (newObjects + addRefs, ${fmtN(b.n)} × ${b.refsPerNode}): median ${fmtMs(b.stats.medianMs)} ms [${fmtMs(b.stats.minMs)}–${fmtMs(b.stats.maxMs)}]`);
  for (const e of res.cpython.errors) out.push(`CPython error: ${e}`);
  for (const s of res.cpython.skipped) out.push(`skipped ${s}`);
  return out.join("\n");
}

function mdTable(rows: string[][]): string {
  const line = (r: string[]) => `| ${r.join(" | ")} |`;
  return [line(rows[0]), line(rows[0].map((_, c) => (c < 2 ? "---" : "---:"))), ...rows.slice(1).map(line)].join("\n");
}

function pausesMarkdown(rows: PauseRow[], n: number): string[] {
  const out = ["## Pauses: one 3.14 increment against a full 3.13 collection", ""];
  out.push(`The same ${fmtN(n)}-object reach heap in each profile; before each collection 2,001 new objects (200 of them in garbage cycles), what makes one automatic collection due. *examined* is the collection's own count of objects whose gc_refs it computed or that its mark step marked (the work CPython does, in objects).`, "");
  out.push("| profile | collection | collections | examined (median) | examined (max) | ms (median) | ms (max) | collected in all |");
  out.push("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    out.push(`| ${r.profile} | ${r.what} | ${r.collections} | ${fmtN(r.examinedMedian)} | ${fmtN(r.examinedMax)} | ${fmtMs(r.msMedian)} | ${fmtMs(r.msMax)} | ${fmtN(r.collected)} |`);
  }
  out.push("", NOTE_3_14_PAUSES, "");
  return out;
}

const NOTE_3_14_PAUSES = "Reading: 3.14's mark step walks everything the roots reach in one go (CPython's own code says \"TO DO -- Make this incremental\"); it drives the work budget far below zero, and while the budget is negative `collect(1)` returns before it touches the young generation, so the young objects pile up until the first real increment takes them all at once. On this workload the incremental collector's longest pause is longer than 3.13's full collection, not shorter. (This is the simulator's model of 3.14.2, source-derived and checked against the recorded 3.14 scenarios, which are too small to show it.)";

export function markdown(res: Results): string {
  const m = res.meta;
  const ints = res.cpython.interpreters;
  const out: string[] = [];
  out.push("# pygcsim benchmark results", "");
  out.push("Generated by `bench/run.ts` (rerun to refresh; every figure below comes from the one run described here).", "");
  out.push("## Run", "");
  out.push(`- Date: ${m.date}`);
  out.push(`- Command: \`${m.command}\``);
  out.push(`- Machine: ${m.cpu}, ${m.cores} CPU(s), ${m.memoryGiB.toFixed(0)} GiB RAM, ${m.os}`);
  out.push(`- Node ${m.node} (V8 ${m.v8}), \`--expose-gc\`; engine build/release.wasm ${m.wasm}; project ${m.git}`);
  out.push(`- pygcsim profile: Python ${m.profile}; graph seed ${m.seed} (mulberry32); sizes ${m.sizes.map(fmtN).join(", ")}${m.cpythonMaxN < Math.max(...m.sizes) ? `; CPython up to ${fmtN(m.cpythonMaxN)}` : ""}${m.quick ? " (--quick)" : ""}`);
  out.push(`- CPython: ${ints.length ? ints.map((i) => `${i.version} (${i.labels.join(", ")}: ${i.executable})`).join("; ") : "none"}${res.cpython.skipped.length ? `; skipped: ${res.cpython.skipped.join("; ")}` : ""}`);
  if (m.durationS !== undefined) out.push(`- Whole run: ${m.durationS.toFixed(0)} s; load average (1/5/15 min) ${m.loadStart.join(" / ")} at the start, ${m.loadEnd?.join(" / ") ?? "?"} at the end`);
  if (m.load.length) {
    const l = m.load.map((x) => x.load1);
    out.push(`- 1-minute load average as each measurement started: ${Math.min(...l).toFixed(2)}–${Math.max(...l).toFixed(2)} (the run itself keeps one core busy; more means other work on the machine; per step in results.json)`);
  }
  out.push("");
  out.push("Machines are noisy (this one is a shared VM): compare figures side by side from one run, not across runs.", "");

  out.push("## Full collection, median ms", "");
  out.push("pygcsim `heap.collect(2)` against CPython `gc.collect()` on the same graph (the same 4 × N random targets). Ratio = CPython median / pygcsim median: above 1, pygcsim is faster. *floor*: the floor kernel (`bench/kernel/floor.ts`, the least work a full collection of this graph can do: one decrement per reference, then one scan marking from the externally referenced nodes, on plain arrays) on the same graph, timed right after pygcsim's samples; *pygcsim / floor*: how far the simulator is from it (1.00x: no overhead at all).", "");
  {
    const head = ["shape", "N", "pygcsim", "floor", "pygcsim / floor"];
    for (const i of ints) head.push(interpName(i), "ratio");
    const rows = [head];
    for (const shape of SHAPES) for (const n of m.sizes) {
      const s = sim(res, shape, n);
      if (!s) continue;
      const f = s.floor;
      const row = [shape, fmtN(n), fmtMs(s.stats.medianMs), f ? fmtMs(f.medianMs) : "—", f ? fmtRatio(s.stats.medianMs / f.medianMs) : "—"];
      for (const i of ints) {
        const c = cpy(res, i, shape, n);
        row.push(c ? fmtMs(c.median_ms) : "—", c ? fmtRatio(c.median_ms / s.stats.medianMs) : "—");
      }
      rows.push(row);
    }
    out.push(mdTable(rows), "");
  }

  out.push("## Spread and work done", "");
  out.push("min–max in ms over the samples (pygcsim: benchmark.js samples of one collection each; CPython: reps). *collected* is what each collection returned (every sample; the same in CPython when marked), *examined* is `heap.objectsExamined()` during the timed collection.", "");
  {
    const head = ["shape", "N", "pygcsim samples", "pygcsim min–max"];
    for (const i of ints) head.push(`${interpName(i)} reps`, `${interpName(i)} min–max`);
    head.push("collected", "examined");
    const rows = [head];
    for (const shape of SHAPES) for (const n of m.sizes) {
      const s = sim(res, shape, n);
      if (!s) continue;
      const row = [shape, fmtN(n), String(s.stats.samples), `${fmtMs(s.stats.minMs)}–${fmtMs(s.stats.maxMs)}`];
      for (const i of ints) {
        const c = cpy(res, i, shape, n);
        row.push(c ? String(c.reps) : "—", c ? `${fmtMs(c.min_ms)}–${fmtMs(c.max_ms)}` : "—");
      }
      const agree = agreement(res, s);
      row.push(`${counts(s.collected)}${agree ? ` (${agree})` : ""}`, counts(s.examined));
      rows.push(row);
    }
    out.push(mdTable(rows), "");
  }

  out.push("## Memory per object", "");
  {
    const head = ["N", "pygcsim B/object", "pygcsim linear memory B/object"];
    for (const i of ints) head.push(`${interpName(i)} B/object (RSS)`);
    const rows = [head];
    for (const mm of res.pygcsim.memory) {
      const row = [fmtN(mm.n), mm.bytesPerObject.toFixed(1), mm.linearBytesPerObject?.toFixed(1) ?? "—"];
      for (const i of ints) {
        const c = cpy(res, i, "reach", mm.n);
        row.push(c?.rss_bytes_per_obj !== undefined ? c.rss_bytes_per_obj.toFixed(1) : "—");
      }
      rows.push(row);
    }
    out.push(mdTable(rows), "");
    out.push("pygcsim: `heap.debug.memoryInUse() / N` after building the reach heap: the engine's live blocks (32-byte object records, the edge pool with its growth room, lists), without the gaps freed blocks leave in linear memory (later blocks reuse them); *linear memory*: `heap.debug.memoryBytes() / N`, up to the highest block, gaps included (the 32 MB that staged the 4M-reference addRefs batch among them). CPython: growth of the process's resident set while building the same heap, divided by N (the objects, their list and allocator slack; `sys.getsizeof` of one node is " +
      `${uniq(res.cpython.results.filter((r) => r.sizeof_node).map((r) => r.sizeof_node!)).join(" / ") || "—"} bytes). For orientation only.`, "");
  }

  const b = res.pygcsim.build;
  if (b) {
    out.push("## Build, for orientation", "");
    const rows = [["what", "N", "samples", "median ms", "min–max"],
      [`pygcsim newObjects + addRefs (${b.refsPerNode} per node)`, fmtN(b.n), String(b.stats.samples), fmtMs(b.stats.medianMs), `${fmtMs(b.stats.minMs)}–${fmtMs(b.stats.maxMs)}`]];
    for (const i of ints) {
      const c = cpy(res, i, "reach", b.n);
      if (c) rows.push([`${interpName(i)}: create nodes + assign 4 slots each (Python loop)`, fmtN(b.n), "1", fmtMs(c.build_ms), "—"]);
    }
    out.push(mdTable(rows), "");
    out.push("The pygcsim figure includes copying the from/to arrays into the engine; the CPython one is a pure-Python loop, so the two are not the same work.", "");
  }

  if (res.cpython.errors.length) out.push("## CPython errors", "", ...res.cpython.errors.map((e) => `- ${e}`), "");

  out.push("## What is measured", "");
  out.push(
    "- **reach**: N `obj` nodes (`newObjects`), 4 references each to mulberry32-random nodes (`addRefs`), every node bound as a root; the automatic collector is off while building (`heap.disable()`, as `gc.disable()` in CPython). The collection examines everything and frees nothing. The same heap serves every sample. In CPython: a class with `__slots__ = ('s0','s1','s2','s3')`, the nodes held by one list, one untimed warm-up `gc.collect()`, then the timed reps.",
    "- **garbage**: the same graph, then `unbindMany(all ids)` (CPython: `del` the list). Refcounting frees at once the nodes no cycle keeps alive (about e⁻⁴ ≈ 2% have no referrer); the rest is cyclic garbage that the full collection finds and frees, so the time includes tearing it down. A fresh heap is built for every sample, outside the timed region; only `collect(2)` / `gc.collect()` is timed.",
    "- **collected** must agree: the graph is the same in both (bench/run.ts draws the targets and hands them to `bench/cpython/shapes.py` in a file), so pygcsim and every CPython must find the same number of unreachable objects.",
    "- pygcsim is timed with benchmark.js in deferred mode, one collection per sample (minTime ≈ 0), the next heap prepared between samples after `global.gc()`; the medians, minima and maxima are ours, from benchmark.js's samples. CPython is timed with `time.perf_counter()` around `gc.collect()`, which also walks the interpreter's own few thousand tracked objects (negligible at these sizes).",
    "- Order: size by size, pygcsim (reach, garbage) then one CPython process per interpreter on the same graph; nothing runs concurrently within the run. The pygcsim build measurement runs after the 1M collections.",
    "",
  );
  out.push("## Reproduce", "");
  out.push("```sh", "node scripts/build.mjs                          # fresh engine + dist/", "npm run bench                                   # table on stdout, bench/results.json", "npm run bench -- --md bench/RESULTS.md          # …and this file", "npm run bench -- --quick                        # 100k and 1M only, fewer samples", "npm run bench -- --cpython-max 1000000          # keep 4M for pygcsim only", "npm run bench -- --sizes 100000 --no-cpython    # one size, pygcsim only", "npm run bench -- --python 3.13.0 --python 2.7.18 # more pyenv versions (or paths)", "```", "");
  out.push("The same is available through environment variables: `PYGCSIM_BENCH_SIZES=100000,1000000`, `PYGCSIM_BENCH_QUICK=1`, `PYGCSIM_BENCH_CPYTHON_MAX=1000000`, `PYGCSIM_BENCH_PYTHONS=3.13.0,/usr/bin/python3`, `PYGCSIM_BENCH_NO_CPYTHON=1`.", "");
  if (res.pauses) out.push(...pausesMarkdown(res.pauses, 1_000_000));
  return out.join("\n");
}
