// The benchmark suite: pygcsim's full collection on the reach and garbage
// shapes, side by side with real CPython on the same graphs.
//
//   npm run bench [-- options]      (node --expose-gc dist/bench/run.js [options])
//
//   --quick               sizes 100k and 1M, fewer samples          (PYGCSIM_BENCH_QUICK=1)
//   --sizes a,b,…         node counts                                (PYGCSIM_BENCH_SIZES)
//   --cpython-max N       largest N run in CPython                   (PYGCSIM_BENCH_CPYTHON_MAX)
//   --no-cpython          pygcsim only                               (PYGCSIM_BENCH_NO_CPYTHON=1)
//   --python V|PATH       one more interpreter: a pyenv version or a path (repeatable; PYGCSIM_BENCH_PYTHONS=a,b)
//   --profile 3.11        the CPython version pygcsim simulates
//   --seed 1              the graph's mulberry32 seed
//   --json FILE           raw results (default bench/results.json)
//   --md FILE             also write the Markdown report (bench/RESULTS.md)
//
// Progress goes to stderr; the table to stdout.

import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem, type as osType } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { type Heap } from "../src/index.js";
import { buildGarbage, buildReach, drawTargets, edgeArrays, freshHeap, DEFAULT_SEED, REFS_PER_NODE } from "./shapes.js";
import { collectJsGarbage, measure, type Stats } from "./measure.js";
import { findInterpreters, runShapes } from "./cpython.js";
import { measurePauses } from "./pauses.js";
import { loadFloor } from "./floor.js";
import { markdown, textTable, fmtN, fmtMs, type Results, type SimCollection, type Shape } from "./report.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BUILD_N = 1_000_000;

interface Options {
  quick: boolean;
  sizes: number[];
  cpython: boolean;
  cpythonMax: number;
  pythons: string[];
  profile: string;
  seed: number;
  json: string;
  md: string | null;
}

class UsageError extends Error {}

/** The comment block at the top of this file. */
function usage(): string {
  const lines = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n");
  const end = lines.findIndex((l) => !l.startsWith("//"));
  return lines.slice(0, end).map((l) => l.slice(3)).join("\n") + "\n";
}

function parseSizes(s: string): number[] {
  const xs = s.split(",").map((x) => Number(x.trim().replace(/_/g, "").replace(/k$/i, "e3").replace(/m$/i, "e6")));
  if (!xs.length || xs.some((x) => !Number.isInteger(x) || x < 1)) throw new UsageError(`bad sizes: ${s}`);
  return xs;
}

function parseArgs(argv: string[]): Options {
  const env = process.env;
  const truthy = (v: string | undefined) => !!v && v !== "0" && v !== "false";
  const o: Options = {
    quick: truthy(env.PYGCSIM_BENCH_QUICK),
    sizes: [],
    cpython: !truthy(env.PYGCSIM_BENCH_NO_CPYTHON),
    cpythonMax: env.PYGCSIM_BENCH_CPYTHON_MAX ? parseSizes(env.PYGCSIM_BENCH_CPYTHON_MAX)[0] : Infinity,
    pythons: env.PYGCSIM_BENCH_PYTHONS ? env.PYGCSIM_BENCH_PYTHONS.split(",").filter(Boolean) : [],
    profile: "3.11",
    seed: DEFAULT_SEED,
    json: join(root, "bench", "results.json"),
    md: null,
  };
  let sizes = env.PYGCSIM_BENCH_SIZES ? parseSizes(env.PYGCSIM_BENCH_SIZES) : null;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--quick": o.quick = true; break;
      case "--sizes": sizes = parseSizes(value()); break;
      case "--cpython-max": o.cpythonMax = parseSizes(value())[0]; break;
      case "--no-cpython": o.cpython = false; break;
      case "--python": o.pythons.push(value()); break;
      case "--profile": o.profile = value(); break;
      case "--seed": o.seed = Number(value()); if (!Number.isInteger(o.seed)) throw new UsageError("--seed must be an integer"); break;
      case "--json": o.json = resolve(value()); break;
      case "--md": o.md = resolve(value()); break;
      case "-h": case "--help":
        process.stdout.write(usage());
        process.exit(0);
      default: throw new UsageError(`unknown option ${argv[i]} (see --help)`);
    }
  }
  o.sizes = sizes ?? (o.quick ? [100_000, 1_000_000] : [100_000, 1_000_000, 4_000_000]);
  return o;
}

/**
 * Samples (pygcsim) and reps (CPython) per measurement. A garbage sample
 * builds a fresh heap (in CPython, in a Python loop: seconds at 4M); reach
 * samples collect the same heap again, so they are cheap and more numerous.
 */
function samples(shape: Shape, n: number, quick: boolean): number {
  const [small, mid, large] = shape === "reach" ? (quick ? [11, 7, 5] : [21, 11, 9]) : (quick ? [7, 5, 3] : [15, 7, 5]);
  return n <= 200_000 ? small : n <= 2_000_000 ? mid : large;
}
function cpythonReps(shape: Shape, n: number, quick: boolean): number {
  const [small, mid, large] = shape === "reach" ? (quick ? [7, 5, 3] : [21, 11, 7]) : (quick ? [5, 3, 3] : [10, 5, 3]);
  return n <= 200_000 ? small : n <= 2_000_000 ? mid : large;
}

const log = (s: string) => process.stderr.write(s + "\n");

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "";
}

function machine(o: Options, command: string): Results["meta"] {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpu = m[1].trim();
  } catch { /* not Linux */ }
  const wasmPath = join(root, "build", "release.wasm");
  const wasm = existsSync(wasmPath)
    ? `sha256 ${createHash("sha256").update(readFileSync(wasmPath)).digest("hex").slice(0, 12)}, built ${statSync(wasmPath).mtime.toISOString()}`
    : "missing";
  const head = sh("git", ["rev-parse", "--short", "HEAD"]);
  const dirty = sh("git", ["status", "--porcelain", "--", "assembly", "src"]) ? " + uncommitted changes in assembly/ or src/" : "";
  return {
    date: new Date().toISOString(),
    command,
    cpu,
    cores: cpus().length,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    v8: process.versions.v8,
    os: `${osType()} ${release()}`,
    git: head ? `commit ${head}${dirty}` : "not a git checkout",
    wasm,
    profile: o.profile,
    seed: o.seed,
    sizes: o.sizes,
    cpythonMaxN: o.cpython ? Math.min(o.cpythonMax, Math.max(...o.sizes)) : 0,
    quick: o.quick,
    loadStart: loadavg().map((x) => +x.toFixed(2)),
    load: [],
  };
}

function commandLine(argv: string[]): string {
  const args = argv.map((a) => (/^[\w./=,:-]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
  if (process.env.npm_lifecycle_event === "bench") return `npm run bench${args ? ` -- ${args}` : ""}`;
  return `node --expose-gc ${relative(root, fileURLToPath(import.meta.url)) || "dist/bench/run.js"}${args ? ` ${args}` : ""}`;
}

/** One collection shape at one size, timed with benchmark.js. */
async function simCollect(shape: Shape, n: number, targets: Uint32Array, o: Options, memory: Results["pygcsim"]["memory"]): Promise<SimCollection> {
  const collected: number[] = [];
  const examined: number[] = [];
  let heap: Heap | null = null;
  let before = 0;
  if (shape === "reach") {
    const built = buildReach(n, targets, { python: o.profile });
    heap = built.heap;
    const bytes = heap.debug.memoryInUse();
    memory.push({ n, bytes, bytesPerObject: bytes / n, linearBytesPerObject: heap.debug.memoryBytes() / n });
    heap.collect(2); // untimed warm-up, as in CPython: every node is now in the oldest generation
  }
  const { stats } = await measure<number>({
    name: `${shape} ${n}`,
    samples: samples(shape, n, o.quick),
    prepare: () => {
      if (shape === "garbage") {
        heap = null;
        collectJsGarbage();
        heap = buildGarbage(n, targets, { python: o.profile }).heap;
      }
      before = heap!.objectsExamined();
    },
    run: () => heap!.collect(2),
    after: (c) => {
      collected.push(c);
      examined.push(heap!.objectsExamined() - before);
      if (shape === "reach" && (c !== 0 || heap!.size !== n)) throw new Error(`reach ${n}: the collection freed ${c} objects`);
      if (shape === "garbage" && (c === 0 || heap!.size !== 0)) throw new Error(`garbage ${n}: found ${c}, ${heap!.size} objects left`);
    },
  });
  heap = null;
  collectJsGarbage();
  let floor: Stats | undefined;
  if (shape === "reach") {
    // the physical reference on the same graph: bare arrays, two passes
    const kernel = loadFloor(n, targets, true);
    floor = (await measure<number>({
      name: `floor ${n}`,
      samples: samples(shape, n, o.quick),
      prepare: () => {},
      run: () => kernel.collect(),
      after: (c) => { if (c !== 0) throw new Error(`floor ${n}: ${c} unreachable nodes in the reach graph`); },
    })).stats;
  }
  return { shape, n, stats, collected, examined, floor };
}

/** newObjects + addRefs for BUILD_N nodes, 4 references each, on a fresh heap per sample. */
async function simBuild(targets: Uint32Array, o: Options): Promise<NonNullable<Results["pygcsim"]["build"]>> {
  const n = BUILD_N;
  // A fresh heap hands out the same ids, so the addRefs arrays are made once, outside the timed region.
  let first: Heap | null = freshHeap({ python: o.profile });
  const expected = first.newObjects("obj", n);
  first = null;
  const { from, to } = edgeArrays(expected, targets);
  let heap: Heap | null = null;
  let ids: Uint32Array | null = null;
  const { stats } = await measure<void>({
    name: `build ${n}`,
    samples: o.quick ? 5 : 7,
    prepare: () => { heap = null; collectJsGarbage(); heap = freshHeap({ python: o.profile }); },
    run: () => {
      ids = heap!.newObjects("obj", n);
      heap!.addRefs(from, to);
    },
    after: () => {
      if (ids!.length !== n || ids!.some((x, i) => x !== expected[i])) throw new Error("build: a fresh heap handed out different ids");
      if (heap!.size !== n) throw new Error(`build: ${heap!.size} objects, expected ${n}`);
    },
  });
  heap = null;
  return { n, refsPerNode: REFS_PER_NODE, stats };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const o = parseArgs(argv);
  const t0 = performance.now();
  if (!(globalThis as { gc?: unknown }).gc) log("note: run with node --expose-gc (npm run bench does) so old heaps are freed between samples");
  const res: Results = {
    meta: machine(o, commandLine(argv)),
    pygcsim: { memory: [], collections: [], build: null },
    cpython: { interpreters: [], skipped: [], results: [], errors: [] },
  };
  const tmp = mkdtempSync(join(tmpdir(), "pygcsim-bench-"));
  try {
    const targetsOf = new Map<number, Uint32Array>();
    const edgesFile = (n: number) => join(tmp, `edges-${n}.u32`);
    const targets = (n: number) => {
      let t = targetsOf.get(n);
      if (!t) {
        t = drawTargets(n, o.seed);
        targetsOf.set(n, t);
        writeFileSync(edgesFile(n), new Uint8Array(t.buffer, t.byteOffset, t.byteLength)); // little-endian on every platform node runs on
      }
      return t;
    };

    const interpreters = o.cpython ? findInterpreters(o.pythons) : { found: [], skipped: [] };
    res.cpython.interpreters = interpreters.found;
    res.cpython.skipped = interpreters.skipped;
    for (const s of interpreters.skipped) log(`skipping ${s}`);
    const script = join(root, "bench", "cpython", "shapes.py");
    const load = (step: string) => res.meta.load.push({ step, load1: +loadavg()[0].toFixed(2) });

    // Size by size: pygcsim, then each CPython on the same graph, so the
    // figures compared are taken minutes apart at most. Nothing runs
    // concurrently: node waits while an interpreter runs.
    for (const n of o.sizes) {
      const t = targets(n);
      for (const shape of ["reach", "garbage"] as Shape[]) {
        log(`pygcsim ${shape} N=${fmtN(n)}…`);
        load(`pygcsim ${shape} ${n}`);
        const c = await simCollect(shape, n, t, o, res.pygcsim.memory);
        log(`  median ${fmtMs(c.stats.medianMs)} ms [${fmtMs(c.stats.minMs)}–${fmtMs(c.stats.maxMs)}], collected ${c.collected[0]}`);
        res.pygcsim.collections.push(c);
      }
      if (n === BUILD_N) await build(t);
      targetsOf.delete(n);
      collectJsGarbage();
      if (n > o.cpythonMax) continue;
      for (const py of interpreters.found) {
        const reps = cpythonReps("garbage", n, o.quick);
        const reachReps = cpythonReps("reach", n, o.quick);
        log(`CPython ${py.version} N=${fmtN(n)} (${reachReps} reach reps, ${reps} garbage reps)…`);
        load(`CPython ${py.version} ${n}`);
        try {
          const lines = runShapes(py, script, { n, reps, reachReps, edges: edgesFile(n), shapes: ["reach", "garbage"], timeoutMs: 15 * 60_000 });
          for (const l of lines) log(`  ${l.shape}: median ${fmtMs(l.median_ms)} ms, collected ${l.collected[0]}`);
          res.cpython.results.push(...lines);
        } catch (e) {
          const msg = `CPython ${py.version} N=${fmtN(n)}: ${(e as Error).message}`;
          log(`  ${msg}`);
          res.cpython.errors.push(msg);
        }
      }
    }
    if (!res.pygcsim.build) await build(targets(BUILD_N));
    if (o.sizes.includes(BUILD_N) || o.quick) {
      log(`pauses: 3.13 full collections vs 3.14 increments on N=${fmtN(BUILD_N)}…`);
      load("pauses");
      res.pauses = measurePauses(BUILD_N, targets(BUILD_N));
      for (const r of res.pauses) log(`  ${r.profile} ${r.what}: examined ${fmtN(r.examinedMedian)} (max ${fmtN(r.examinedMax)}), ${fmtMs(r.msMedian)} ms`);
    }

    async function build(t: Uint32Array): Promise<void> {
      log(`pygcsim build N=${fmtN(BUILD_N)} × ${REFS_PER_NODE}…`);
      load("pygcsim build");
      res.pygcsim.build = await simBuild(t, o);
      log(`  median ${fmtMs(res.pygcsim.build.stats.medianMs)} ms`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  res.meta.durationS = (performance.now() - t0) / 1e3;
  res.meta.loadEnd = loadavg().map((x) => +x.toFixed(2));

  writeFileSync(o.json, JSON.stringify(res, null, 2) + "\n");
  process.stdout.write(textTable(res) + "\n");
  log(`\nwrote ${relative(process.cwd(), o.json)}`);
  if (o.md) {
    writeFileSync(o.md, markdown(res));
    log(`wrote ${relative(process.cwd(), o.md)}`);
  }
}

main().catch((e) => {
  process.stderr.write(e instanceof UsageError ? `${e.message}\n` : `bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
