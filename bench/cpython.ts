// Runs bench/cpython/shapes.py under real CPython interpreters.

import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

export interface Interpreter {
  /** How it was asked for: "python3 (PATH)", "pyenv 3.11.7", a path… (merged when two are the same binary). */
  labels: string[];
  /** The command we run. */
  command: string;
  /** sys.executable, resolved. */
  executable: string;
  /** "3.11.7" */
  version: string;
}

/** One JSON line of shapes.py. */
export interface CpythonResult {
  python: string;
  executable: string;
  shape: "reach" | "garbage";
  n: number;
  reps: number;
  times_ms: number[];
  median_ms: number;
  min_ms: number;
  max_ms: number;
  collected: number[];
  build_ms: number;
  rss_bytes_per_obj?: number;
  sizeof_node?: number;
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch { /* not here */ }
  }
  return null;
}

export function pyenvRoot(): string {
  return process.env.PYENV_ROOT || join(homedir(), ".pyenv");
}

function probe(command: string): { executable: string; version: string } | null {
  const r = spawnSync(command, ["-c",
    "import os, sys; v = sys.version_info; sys.stdout.write('%d.%d.%d %s' % (v[0], v[1], v[2], os.path.realpath(sys.executable)))"],
    { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0 || !r.stdout) return null;
  const [version, ...rest] = r.stdout.trim().split(" ");
  return { version, executable: rest.join(" ") };
}

/**
 * The interpreters to compare with: python3 on PATH, pyenv's 3.11.7 and 3.12.1,
 * then `extra` (pyenv version names or paths). Missing ones are reported in
 * `skipped`; two names for the same binary are run once.
 */
export function findInterpreters(extra: string[] = []): { found: Interpreter[]; skipped: string[] } {
  const wanted: { label: string; command: string | null }[] = [
    { label: "python3 (PATH)", command: onPath("python3") },
  ];
  for (const v of ["3.11.7", "3.12.1", ...extra]) {
    if (v.includes("/")) { wanted.push({ label: v, command: existsSync(v) ? v : null }); continue; }
    const p = join(pyenvRoot(), "versions", v, "bin", "python");
    wanted.push({ label: `pyenv ${v}`, command: existsSync(p) ? p : null });
  }
  const found: Interpreter[] = [];
  const skipped: string[] = [];
  for (const w of wanted) {
    const info = w.command ? probe(w.command) : null;
    if (!w.command || !info) { skipped.push(`${w.label}: not found`); continue; }
    const exe = existsSync(info.executable) ? realpathSync(info.executable) : info.executable;
    const same = found.find((f) => f.executable === exe);
    if (same) { if (!same.labels.includes(w.label)) same.labels.push(w.label); continue; }
    found.push({ labels: [w.label], command: w.command, executable: exe, version: info.version });
  }
  return { found, skipped };
}

/** Runs shapes.py for one N; returns its JSON lines. Throws on failure (the caller reports and goes on). */
export function runShapes(py: Interpreter, script: string, args: { n: number; reps: number; reachReps: number; edges: string; shapes: string[]; timeoutMs: number }): CpythonResult[] {
  const r = spawnSync(py.command, [script, "--n", String(args.n), "--reps", String(args.reps), "--reach-reps", String(args.reachReps),
    "--edges", args.edges, "--shapes", args.shapes.join(",")],
    { encoding: "utf8", timeout: args.timeoutMs, maxBuffer: 16 << 20 });
  if (r.error) throw new Error(`${py.version}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${py.version} exited with ${r.status ?? r.signal}: ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  return r.stdout.split("\n").filter((l) => l.trim().startsWith("{")).map((l) => JSON.parse(l) as Partial<CpythonResult>)
    .filter((x): x is CpythonResult => typeof x.shape === "string");
}
