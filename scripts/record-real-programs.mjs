#!/usr/bin/env node
// Records the real-program suite (test/real-programs/): each program of
// python/real_programs/ on each installed CPython (pyenv), through
// python/real_programs/record.py: the heap dump taken after the program ran,
// and what the interpreter's own gc.collect() (DEBUG_SAVEALL) then found.
// The dump's "addr" fields are replaced by the recording's object indices
// (what was collected, object for object) and dropped, and the dump is
// re-gzipped at level 9, to keep the test data small.
//
//   node scripts/record-real-programs.mjs [PROGRAM[,...]] [--python 2.7,3.12,...]
//   node scripts/record-real-programs.mjs weak_containers --pyodide /work/pyo314/node_modules/pyodide[,DIR...]
//
// --pyodide DIR: CPython in WebAssembly (the npm package pyodide: 314.x ships
// 3.14, 315.x 3.15) instead of pyenv's interpreters; each run is a fresh
// Pyodide instance (addresses are deterministic there). Programs that need
// what Pyodide lacks (subprocess, CPython's test package) fail and are skipped.
//
// Writes test/real-programs/<program>/<X.Y.Z>.jsonl.gz and <X.Y.Z>.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";

const ROOT = join(import.meta.dirname, "..");
const PROGRAMS_DIR = join(ROOT, "python", "real_programs");
// PYGCSIM_REALPROG_OUT: record elsewhere (a wider measurement not kept as test data)
const OUT_DIR = process.env.PYGCSIM_REALPROG_OUT ?? join(ROOT, "test", "real-programs");
const SERIES = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];
// The larger heaps (20,000–37,000 objects) are kept on a few versions only, so
// that the test data stays a few MB; the small ones on every version.
// (`--python` overrides: record any program on any version.)
const KEPT = {
  cpython_test_abc: ["2.7", "3.8", "3.12"],
  cpython_test_minidom: ["2.7", "3.13"],
  stdlib_mix: ["3.9", "3.13"],
  logging_argparse_mock: ["2.7", "3.11"],
  generators_asyncio: ["2.7", "3.6", "3.10", "3.12"],
};

const args = process.argv.slice(2);
const pyFlag = args.indexOf("--python");
const pyoFlag = args.indexOf("--pyodide");
const series = pyFlag >= 0 ? args[pyFlag + 1].split(",") : SERIES;
const pyodides = pyoFlag >= 0 ? args[pyoFlag + 1].split(",") : [];
const named = args.filter((a, i) => !a.startsWith("--") && (pyFlag < 0 || i !== pyFlag + 1) && (pyoFlag < 0 || i !== pyoFlag + 1));
const programs = named.length ? named.join(",").split(",")
  : readdirSync(PROGRAMS_DIR).filter((f) => f.endsWith(".py") && !f.startsWith("_") && f !== "record.py").map((f) => f.slice(0, -3)).sort();

const tmp = mkdtempSync(join(tmpdir(), "pygcsim-realprog-"));

/** One run of record.py in a fresh Pyodide interpreter; writes dumpPath and resPath like a native run. Returns an error or null. */
async function runPyodide(dir, prog, dumpPath, resPath, plain) {
  const { loadPyodide } = await import(pathToFileURL(join(dir, "pyodide.mjs")).href);
  let err = "";
  const py = await loadPyodide({ indexURL: dir + "/", stdout: () => {}, stderr: (t) => { err += t + "\n"; } });
  py.FS.mkdirTree("/rp/real_programs");
  py.FS.writeFile("/rp/pygcsim_dump.py", readFileSync(join(ROOT, "python", "pygcsim_dump.py"), "utf8"));
  for (const f of readdirSync(PROGRAMS_DIR).filter((f) => f.endsWith(".py"))) py.FS.writeFile(`/rp/real_programs/${f}`, readFileSync(join(PROGRAMS_DIR, f), "utf8"));
  py.globals.set("RP_ARGV", py.toPy(["record.py", `/rp/real_programs/${prog}.py`, "/rp/out.jsonl.gz", "/rp/out.json", ...(plain ? ["--plain"] : [])]));
  try {
    py.runPython(`
import os, sys
os.environ["PYTHONHASHSEED"] = "0"
sys.argv = list(RP_ARGV)
del RP_ARGV
exec(compile(open("/rp/real_programs/record.py").read(), "/rp/real_programs/record.py", "exec"), {"__name__": "__main__", "__file__": "/rp/real_programs/record.py"})
`);
  } catch (e) {
    return (err + String(e)).trim().split("\n").slice(-2).join(" | ");
  }
  writeFileSync(dumpPath, py.FS.readFile("/rp/out.jsonl.gz"));
  writeFileSync(resPath, py.FS.readFile("/rp/out.json", { encoding: "utf8" }));
  return null;
}
// Address-space randomisation off (setarch -R, where it exists): id()-based
// hashes then order sets and dicts the same way in every run, so the plain run
// and the DEBUG_SAVEALL run build the same heap (checked: same object count).
const ARCH = spawnSync("uname", ["-m"], { encoding: "utf8" }).stdout?.trim();
const NO_ASLR = ARCH && spawnSync("setarch", [ARCH, "-R", "true"]).status === 0 ? ["setarch", ARCH, "-R"] : [];
const runPy = (py, args) => spawnSync(NO_ASLR[0] ?? py, [...NO_ASLR.slice(1), ...(NO_ASLR.length ? [py] : []), "-S", "-E", ...args], {
  encoding: "utf8", timeout: 600_000, env: { ...process.env, PYTHONHASHSEED: "0" }, cwd: tmp,
});

function pythonOf(s) {
  const dir = join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "versions");
  if (!existsSync(dir)) return null;
  const v = readdirSync(dir).filter((d) => d.startsWith(s + ".") && /^\d+\.\d+\.\d+$/.test(d)).sort().pop();
  return v && existsSync(join(dir, v, "bin", "python")) ? join(dir, v, "bin", "python") : null;
}

for (const prog of programs) {
  const runs = pyodides.length ? pyodides.map((d) => ({ s: `pyodide ${d}`, pyodide: d }))
    : (pyFlag >= 0 ? series : (KEPT[prog] ?? SERIES)).map((s) => ({ s, pyodide: null }));
  for (const { s, pyodide } of runs) {
    const py = pyodide ? null : pythonOf(s);
    if (!pyodide && !py) { console.log(`${prog} ${s}: no interpreter, skipped`); continue; }
    const dump = join(tmp, "dump.jsonl.gz"), res = join(tmp, "res.json");
    rmSync(dump, { force: true }); rmSync(res, { force: true });
    if (pyodide) {
      const e = await runPyodide(pyodide, prog, dump, res, false);
      if (e) { console.log(`${prog} ${s}: FAILED: ${e}`); continue; }
    } else {
      const r = runPy(py, [join(PROGRAMS_DIR, "record.py"), join(PROGRAMS_DIR, `${prog}.py`), dump, res]);
      if (r.status !== 0 || !existsSync(res)) {
        console.log(`${prog} ${s}: FAILED (status ${r.status}): ${(r.stderr || "").trim().split("\n").slice(-3).join(" | ")}`);
        continue;
      }
    }
    const rec = JSON.parse(readFileSync(res, "utf8"));
    // the same program again, collected without DEBUG_SAVEALL (what `pygcsim load --collect` forecasts)
    const plainRes = join(tmp, "plain.json");
    if (pyodide) {
      const e = await runPyodide(pyodide, prog, join(tmp, "plain.jsonl.gz"), plainRes, true);
      if (e) { console.log(`${prog} ${s}: plain run FAILED: ${e}`); continue; }
    } else {
      const r2 = runPy(py, [join(PROGRAMS_DIR, "record.py"), join(PROGRAMS_DIR, `${prog}.py`), join(tmp, "plain.jsonl.gz"), plainRes, "--plain"]);
      if (r2.status !== 0 || !existsSync(plainRes)) { console.log(`${prog} ${s}: plain run FAILED (status ${r2.status})`); continue; }
    }
    const plain = JSON.parse(readFileSync(plainRes, "utf8"));
    if (plain.objects !== rec.objects) { console.log(`${prog} ${s}: the plain run dumped ${plain.objects} objects, not ${rec.objects}: not deterministic, skipped`); continue; }
    const lines = gunzipSync(readFileSync(dump)).toString("utf8").split("\n").filter((l) => l !== "");
    const byAddr = new Map();
    const out = [lines[0]];
    for (let k = 1; k < lines.length; k++) {
      const o = JSON.parse(lines[k]);
      if (o.end === undefined) {
        byAddr.set(o.addr, o.i);
        delete o.addr;
      }
      out.push(JSON.stringify(o));
    }
    const garbage = [];
    let notInDump = 0;
    for (const a of rec.garbage_addrs) {
      const i = byAddr.get(a);
      if (i === undefined) notInDump++; else garbage.push(i);
    }
    garbage.sort((a, b) => a - b);
    const { garbage_addrs: _, objects: __, ...rest } = rec;
    const dir = join(OUT_DIR, prog);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${rec.python}.jsonl.gz`), gzipSync(out.join("\n") + "\n", { level: 9 }));
    writeFileSync(join(dir, `${rec.python}.json`), JSON.stringify({
      ...rest, objects: lines.length - 2,
      plain: { collect: plain.collect, collected: plain.collected, uncollectable: plain.uncollectable },
      garbage_not_in_dump: notInDump, garbage,
    }) + "\n");
    console.log(`${prog} ${rec.python}: ${lines.length - 2} objects, gc.collect() = ${rec.collect}, ${garbage.length} of the dump's objects collected, ${notInDump} not in the dump`);
  }
}
rmSync(tmp, { recursive: true, force: true });
