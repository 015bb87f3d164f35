#!/usr/bin/env node
// Record the schedule conformance suite: every schedule workload
// (src/schedule/workloads) run by real CPython interpreters with automatic
// garbage collection on, every collection recorded (where it ran, which
// generation, what it found) by python/schedule_recorder.py.
//
//   node scripts/record-schedule.mjs [--python all|native|pyodide|2.7,3.12,...]
//        [--workload a,b] [--out DIR] [--check DIR] [--twice]
//        [--pyodide-dir 3.14=DIR] [--param KEY=VALUE] [--calibrate] [--summary] [--list]
//
// --python   which interpreters (default all): native ones are python2.7 and
//            python3.N on PATH, then $(pyenv root)/versions/*/bin/python, one
//            per major.minor (2.7 and 3.6+); 3.14 and 3.15 run as CPython in
//            Pyodide (npm pyodide@314.0.8 / pyodide@315.0.0-alpha.2).
// --out      where results go: DIR/<major.minor>/<workload>.json
//            (default test/schedule/expected).
// --check    compare with the results in DIR instead of writing them.
// --twice    run everything twice and require identical results.
// --pyodide-dir VER=DIR  use the Pyodide package in DIR (the folder holding
//            pyodide.mjs) for VER; otherwise it is installed on demand into
//            .cache/pyodide-<3 digits>/ (git-ignored) with npm.
// --param KEY=VALUE  override a workload parameter (tests; e.g. iterations=1000)
// --calibrate  instead of recording: per interpreter, what each op kind does
//            to gc.get_count() (see schedule_recorder.py --calibrate); JSON
//            to test/schedule/calibration/<ver>.json (or --out DIR), tables
//            printed (markdown).
// --summary  print the markdown tables of test/schedule/README.md from the
//            recorded results (--out DIR) and exit.
// --list     list the workloads and exit.
//
// Each result merges three runs of the workload, each in a fresh
// interpreter (see python/schedule_recorder.py): the recording (DEBUG_STATS
// lines, with the op index of each collection read from the process's memory
// by a ptrace tracer, or in Pyodide by the stderr handler from the wasm
// memory), a check run without any recording, and a gc.callbacks run
// (cross-check only). A result whose "undisturbed" is false (the recording
// changed what it measured) is an error and is not written.
// Exit status: 0 all good, 1 a difference (--check, --twice, disturbed), 2 an error.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync,
} from "node:fs";
import { tmpdir, homedir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const RECORDER = join(root, "python", "schedule_recorder.py");
const STACK_MB = 512;
const PYODIDE = { "3.14": "pyodide@314.0.8", "3.15": "pyodide@315.0.0-alpha.2" };
const CAPACITY = 200000;

if (!isMainThread) {
  await pyodideWorker(workerData);
} else {
  process.exitCode = await main(process.argv.slice(2));
}

// ---------------------------------------------------------------- worker
// One run in one fresh Pyodide interpreter: schedule_recorder.run(), and
// optionally merge() of the earlier runs with this one. The stderr handler
// is called synchronously when the collector (DEBUG_STATS) writes a line, so
// at each "gc: collecting generation" line it reads POS[0] (the op index)
// from the wasm memory: the address is on the BEGIN line.
async function pyodideWorker({ pyodideDir, job }) {
  const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
  const errLines = [];
  const positions = [];
  let posAddr = null;
  let py = null;
  const BEGIN = "##SCHEDULE-BEGIN##";
  py = await loadPyodide({
    indexURL: pyodideDir + "/",
    stdout: () => {},
    stderr: (line) => {
      if (line.startsWith("gc: collecting generation") && posAddr !== null) {
        const heap = py._module.HEAPU8;
        positions.push(Number(new DataView(heap.buffer, heap.byteOffset).getBigInt64(posAddr, true)));
      } else if (posAddr === null && line.includes(BEGIN)) {
        posAddr = Number(line.split(BEGIN)[1].trim().split(/\s+/)[0]);
      }
      errLines.push(line);
    },
    env: { PYTHONHASHSEED: "0" },
  });
  py.FS.mkdirTree("/schedule");
  py.FS.writeFile("/schedule/schedule_recorder.py", readFileSync(RECORDER, "utf8"));
  try {
    py.runPython(`
import sys
sys.path.insert(0, "/schedule")
import schedule_recorder
`);
    if (job.kind === "calibrate") {
      parentPort.postMessage({ kind: "ok", text: py.runPython("schedule_recorder.calibrate()") });
      return;
    }
    py.globals.set("PROGRAM_JS", job.program);
    py.globals.set("PARAMS", job.params);
    py.globals.set("MODE", job.mode);
    const text = py.runPython(`
_program = PROGRAM_JS.to_bytes()
del PROGRAM_JS
try:
    _reply = "ok\\x00" + schedule_recorder.run(_program, PARAMS, MODE)
except schedule_recorder.Skip as e:
    _reply = "skip\\x00" + str(e)
_reply
`);
    const [kind, body] = text.split("\x00");
    if (kind === "skip") { parentPort.postMessage({ kind, text: body }); return; }
    const me = {
      text: body, stderr: errLines.join("\n") + "\n",
      positions: job.mode === "debug_stats" && posAddr !== null ? positions : null,
      via: job.mode === "debug_stats" && posAddr !== null ? "wasm" : null,
    };
    if (!job.mergeWith) { parentPort.postMessage({ kind: "ok", ...me }); return; }
    py.globals.set("RUNS_JSON", JSON.stringify([...job.mergeWith, me]));
    const merged = py.runPython(`
import json
schedule_recorder.merge(json.loads(RUNS_JSON))
`);
    parentPort.postMessage({ kind: "ok", text: merged });
  } catch (e) {
    parentPort.postMessage({ kind: "error", text: String((e && e.message) || e).slice(-4000) });
  }
}

function runWorker(pyodideDir, job) {
  return new Promise((done) => {
    const w = new Worker(fileURLToPath(import.meta.url), {
      workerData: { pyodideDir, job },
      resourceLimits: { stackSizeMb: STACK_MB },
    });
    let reply = null;
    w.on("message", (m) => (reply = m));
    w.on("error", (e) => (reply = { kind: "error", text: `pyodide failed: ${e && e.stack || e}` }));
    w.on("exit", () => done(reply || { kind: "error", text: "worker exited without a result" }));
  });
}

// ---------------------------------------------------------------- main
function parseArgs(argv) {
  const o = {
    python: "all", workload: null, out: join(root, "test", "schedule", "expected"), check: null,
    twice: false, pyodideDirs: {}, calibrate: false, summary: false, list: false, params: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--python") o.python = val();
    else if (a === "--workload") o.workload = val().split(",").filter(Boolean);
    else if (a === "--out") o.out = resolve(val());
    else if (a === "--check") o.check = resolve(val());
    else if (a === "--twice") o.twice = true;
    else if (a === "--pyodide-dir") {
      const [v, d] = val().split("=");
      if (!PYODIDE[v] || !d) throw new Error("--pyodide-dir VER=DIR with VER 3.14 or 3.15");
      o.pyodideDirs[v] = resolve(d);
    } else if (a === "--param") {
      const [k, ...rest] = val().split("=");
      const v = rest.join("=");
      o.params[k] = v === "null" ? null : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v.startsWith("[") ? JSON.parse(v) : v;
    } else if (a === "--calibrate") o.calibrate = true;
    else if (a === "--summary") o.summary = true;
    else if (a === "--list") o.list = true;
    else if (a === "-h" || a === "--help") {
      const lines = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1);
      const end = lines.findIndex((l) => !l.startsWith("//"));
      console.log(lines.slice(0, end).map((l) => l.replace(/^\/\/ ?/, "")).join("\n"));
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

async function main(argv) {
  let o;
  try { o = parseArgs(argv); } catch (e) { console.error(String(e.message)); return 2; }
  if (o.summary) { console.log(summary(o.out)); return 0; }
  const { scheduleWorkloads } = await loadWorkloads();
  if (o.list) {
    for (const w of scheduleWorkloads) console.log(`${w.name}: ${w.description}`);
    return 0;
  }
  const workloads = o.workload
    ? o.workload.map((n) => {
        const w = scheduleWorkloads.find((x) => x.name === n);
        if (!w) throw new Error(`unknown workload ${n}`);
        return w;
      })
    : scheduleWorkloads;
  const interps = findInterpreters(o);
  if (interps.length === 0) { console.error("no interpreter selected"); return 2; }
  console.error(`interpreters: ${interps.map((i) => `${i.ver} (${i.kind === "native" ? i.path : "pyodide"})`).join(", ")}`);

  if (o.calibrate) return calibrateAll(interps, o);

  const tmp = mkdtempSync(join(tmpdir(), "schedule-"));
  let status = 0;
  try {
    // programs first (one file each)
    const jobs = [];
    for (const w of workloads) {
      const t0 = Date.now();
      const all = { ...w.defaults, ...o.params };
      const { thresholds = null, min_python = null, ...build } = all;
      const prog = w.build(all);
      const bytes = Buffer.from(prog.code.buffer, prog.code.byteOffset, prog.code.byteLength);
      const params = {
        workload: w.name, nregs: prog.nregs, ops: prog.ops,
        program_sha256: createHash("sha256").update(bytes).digest("hex"),
        thresholds, capacity: CAPACITY, min_python, build,
      };
      const binPath = join(tmp, `${w.name}.bin`), paramsPath = join(tmp, `${w.name}.json`);
      writeFileSync(binPath, bytes);
      writeFileSync(paramsPath, JSON.stringify(params));
      jobs.push({ w, bytes, params, binPath, paramsPath });
      console.error(`${w.name}: ${prog.ops} ops, ${prog.nregs} registers (built in ${Date.now() - t0} ms)`);
    }
    for (const it of interps) {
      for (const job of jobs) {
        const t0 = Date.now();
        const runs = [];
        for (let k = 0; k < (o.twice ? 2 : 1); k++) runs.push(await recordOne(it, job));
        const r = runs[0];
        const secs = ((Date.now() - t0) / 1000).toFixed(1);
        const tag = `${it.ver} ${job.w.name}`;
        if (r.kind === "skip") { console.error(`${tag}: skipped (${r.text})`); continue; }
        if (r.kind === "error") { console.error(`${tag}: ERROR\n${r.text}`); status = Math.max(status, 2); continue; }
        if (runs.some((x) => x.kind !== "ok" || x.text !== r.text)) {
          console.error(`${tag}: NOT DETERMINISTIC (two runs differ)`);
          status = Math.max(status, 1);
          continue;
        }
        const res = JSON.parse(r.text);
        if (res.undisturbed !== true) {
          console.error(`${tag}: THE RECORDING DISTURBED THE RUN (${(res.disturbed_fields || []).join(", ")}); not written`);
          writeFileSync(join(tmp, `disturbed-${it.ver}-${job.w.name}.json`), r.text);
          status = Math.max(status, 1);
          continue;
        }
        const line = `${tag}: ${describe(res)}${o.twice ? ", deterministic" : ""} [${secs} s]`;
        if (o.check) {
          const ref = join(o.check, it.ver, `${job.w.name}.json`);
          if (!existsSync(ref)) {
            console.error(`${tag}: NOT RECORDED (no ${relative(process.cwd(), ref)})`);
            status = Math.max(status, 1);
          } else if (readFileSync(ref, "utf8") !== r.text) {
            console.error(`${tag}: DIFFERS from ${relative(process.cwd(), ref)}`);
            writeFileSync(join(tmp, `differs-${it.ver}-${job.w.name}.json`), r.text);
            status = Math.max(status, 1);
          } else console.error(`${line}, matches`);
        } else {
          mkdirSync(join(o.out, it.ver), { recursive: true });
          writeFileSync(join(o.out, it.ver, `${job.w.name}.json`), r.text);
          console.error(line);
        }
      }
    }
  } finally {
    if (status === 0) rmSync(tmp, { recursive: true, force: true });
    else console.error(`(programs and any disturbed results left in ${tmp})`);
  }
  return status;
}

function describe(res) {
  const per = collectionsPerGen(res);
  return `collections per generation ${per.join("/")}, count_end ${res.count_end.join(",")}, undisturbed`;
}

function collectionsPerGen(res) {
  const per = [0, 0, 0];
  for (const c of res.collections || []) per[c[1]] = (per[c[1]] || 0) + 1;
  return per;
}

// ---------------------------------------------------------------- running
async function recordOne(it, job) {
  if (it.kind === "native") {
    const r = spawnSync(it.path, ["-S", RECORDER, job.binPath, job.paramsPath], {
      encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, PYTHONHASHSEED: "0" },
    });
    if (r.status === 3) return { kind: "skip", text: r.stderr.trim() };
    if (r.status === 0) return { kind: "ok", text: r.stdout };
    if (r.status === 1 && r.stdout.startsWith("{")) return { kind: "ok", text: r.stdout };
    return { kind: "error", text: `${r.stderr || ""}${r.error || ""}`.slice(-4000) };
  }
  const dir = ensurePyodide(it);
  const params = JSON.stringify(job.params);
  const program = new Uint8Array(job.bytes);
  // the recording, the check, then the callbacks cross-check (which merges)
  const rec = await runWorker(dir, { kind: "run", mode: "debug_stats", params, program });
  if (rec.kind !== "ok") return rec;
  const plain = await runWorker(dir, { kind: "run", mode: "plain", params, program });
  if (plain.kind !== "ok") return plain;
  const strip = ({ kind, ...r }) => r;
  return runWorker(dir, { kind: "run", mode: "callbacks", params, program, mergeWith: [strip(rec), strip(plain)] });
}

async function calibrateAll(interps, o) {
  const outDir = o.out === join(root, "test", "schedule", "expected")
    ? join(root, "test", "schedule", "calibration") : o.out;
  mkdirSync(outDir, { recursive: true });
  let status = 0;
  for (const it of interps) {
    let text;
    if (it.kind === "native") {
      const r = spawnSync(it.path, ["-S", RECORDER, "--calibrate", "--json"], {
        encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, PYTHONHASHSEED: "0" },
      });
      if (r.status !== 0) { console.error(`${it.ver}: calibration failed\n${r.stderr}`); status = 2; continue; }
      text = r.stdout;
    } else {
      const r = await runWorker(ensurePyodide(it), { kind: "calibrate" });
      if (r.kind !== "ok") { console.error(`${it.ver}: calibration failed\n${r.text}`); status = 2; continue; }
      text = r.text;
    }
    const data = JSON.parse(text);
    writeFileSync(join(outDir, `${it.ver}.json`), JSON.stringify(data, null, 1) + "\n");
    console.log(calibrationTable(data));
    console.log();
  }
  return status;
}

function calibrationTable(d) {
  const f = (v) => (v === null || v === undefined ? "-" : Number.isInteger(v) ? String(v) : v.toFixed(3));
  const lines = [`Python ${d.python} (${d.platform})`,
    "op | exp. net | net | exp. peak | peak | peak after a release | peak after gc.collect(2) | differs",
    "--- | --- | --- | --- | --- | --- | --- | ---"];
  for (const [name, en, n, ep, p, pr, pf, flag] of d.rows) lines.push(`${name} | ${f(en)} | ${f(n)} | ${f(ep)} | ${f(p)} | ${f(pr)} | ${f(pf)} | ${flag.join(", ")}`);
  for (const p of d.problems) lines.push(`PROBLEM: ${p}`);
  return lines.join("\n");
}

// ---------------------------------------------------------------- interpreters
function pyVersion(path) {
  const r = spawnSync(path, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function supported(ver) {
  const [a, b] = ver.split(".").map(Number);
  return (a === 2 && b === 7) || (a === 3 && b >= 6);
}

function findInterpreters(o) {
  const want = o.python;
  const listed = want === "all" || want === "native" || want === "pyodide" ? null : new Set(want.split(","));
  const out = [];
  const seen = new Set();
  if (want !== "pyodide") {
    const candidates = ["python2.7"];
    for (let m = 6; m <= 15; m++) candidates.push(`python3.${m}`);
    let pyenvRoot = null;
    const pr = spawnSync("pyenv", ["root"], { encoding: "utf8" });
    if (pr.status === 0) pyenvRoot = pr.stdout.trim();
    else if (existsSync(join(homedir(), ".pyenv"))) pyenvRoot = join(homedir(), ".pyenv");
    if (pyenvRoot && existsSync(join(pyenvRoot, "versions"))) {
      for (const v of readdirSync(join(pyenvRoot, "versions")).sort()) {
        const p = join(pyenvRoot, "versions", v, "bin", "python");
        if (existsSync(p)) candidates.push(p);
      }
    }
    for (const c of candidates) {
      const ver = pyVersion(c);
      if (!ver || seen.has(ver) || !supported(ver) || ver === "3.14" || ver === "3.15") continue;
      if (listed && !listed.has(ver)) continue;
      seen.add(ver);
      out.push({ kind: "native", ver, path: c });
    }
  }
  if (want !== "native") {
    for (const ver of Object.keys(PYODIDE)) {
      if (listed && !listed.has(ver)) continue;
      out.push({ kind: "pyodide", ver, spec: PYODIDE[ver], dir: o.pyodideDirs[ver] || null });
    }
  }
  const order = (v) => v.split(".").map(Number).reduce((a, b) => a * 100 + b, 0);
  out.sort((a, b) => order(a.ver) - order(b.ver));
  return out;
}

function ensurePyodide(it) {
  if (it.dir) {
    if (!existsSync(join(it.dir, "pyodide.mjs"))) throw new Error(`${it.dir}: no pyodide.mjs`);
    return it.dir;
  }
  const version = it.spec.split("@")[1];
  const prefix = join(root, ".cache", `pyodide-${version.split(".")[0]}`);
  const dir = join(prefix, "node_modules", "pyodide");
  const installed = existsSync(join(dir, "package.json")) && JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version === version;
  if (!installed) {
    console.error(`installing ${it.spec} into ${relative(root, prefix)} ...`);
    mkdirSync(prefix, { recursive: true });
    if (!existsSync(join(prefix, "package.json"))) writeFileSync(join(prefix, "package.json"), '{"private": true}\n');
    const r = spawnSync("npm", ["install", "--prefix", prefix, "--no-save", "--no-audit", "--no-fund", it.spec], { stdio: "inherit" });
    if (r.status !== 0 || !existsSync(join(dir, "pyodide.mjs"))) throw new Error(`npm install ${it.spec} failed`);
  }
  it.dir = dir;
  return dir;
}

// ---------------------------------------------------------------- workloads
// src/schedule/**/*.ts transpiled (types stripped, no type check) into
// .cache/schedule-js/, so that this script needs neither a build of the
// whole project nor the wasm.
async function loadWorkloads() {
  const ts = (await import("typescript")).default;
  const src = join(root, "src", "schedule");
  const dst = join(root, ".cache", "schedule-js");
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".ts") ? [join(d, e.name)] : []);
  for (const f of walk(src)) {
    const out = join(dst, relative(src, f)).replace(/\.ts$/, ".js");
    const js = ts.transpileModule(readFileSync(f, "utf8"), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      fileName: f,
    }).outputText;
    mkdirSync(dirname(out), { recursive: true });
    if (!existsSync(out) || readFileSync(out, "utf8") !== js) writeFileSync(out, js);
  }
  writeFileSync(join(dst, "package.json"), '{"type": "module"}\n');
  return import(pathToFileURL(join(dst, "workloads", "index.js")).href);
}

// ---------------------------------------------------------------- summary
function summary(dir) {
  const vers = existsSync(dir) ? readdirSync(dir).filter((v) => /^\d+\.\d+$/.test(v)) : [];
  const order = (v) => v.split(".").map(Number).reduce((a, b) => a * 100 + b, 0);
  vers.sort((a, b) => order(a) - order(b));
  const names = [...new Set(vers.flatMap((v) => readdirSync(join(dir, v)).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5))))].sort();
  const load = (v, n) => {
    const p = join(dir, v, `${n}.json`);
    return existsSync(p) ? JSON.parse(readFileSync(p, "utf8")) : null;
  };
  const lines = [];
  lines.push("version | python | platform | recording | thresholds | startup_objects", "--- | --- | --- | --- | --- | ---");
  for (const v of vers) {
    const any = names.map((n) => load(v, n)).find(Boolean);
    if (!any) continue;
    lines.push(`${v} | ${any.python} | ${any.platform} | ${any.recording} vs ${any.checked_against} | ${any.thresholds.join(", ")} | ${any.startup_objects}`);
  }
  lines.push("", "Collections per generation (gen0/gen1/gen2), from the recorded collections:", "");
  lines.push(`workload | ${vers.join(" | ")}`, `--- | ${vers.map(() => "---").join(" | ")}`);
  for (const n of names) {
    lines.push(`${n} | ${vers.map((v) => {
      const r = load(v, n);
      return r ? collectionsPerGen(r).join("/") : "skipped";
    }).join(" | ")}`);
  }
  lines.push("", "get_stats() collections per generation over the run (where they differ from the above):", "");
  for (const v of vers) {
    for (const n of names) {
      const r = load(v, n);
      if (!r || !r.stats_delta) continue;
      const s = r.stats_delta.map((d) => d.collections);
      const c = collectionsPerGen(r);
      if (s.join("/") !== c.slice(0, s.length).join("/")) lines.push(`- ${v} ${n}: stats ${s.join("/")} vs callbacks ${c.join("/")}`);
    }
  }
  return lines.join("\n");
}
