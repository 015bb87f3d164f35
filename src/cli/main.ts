// The pygcsim command line. Exit status: 0 success, 1 a result differs from
// the recorded one, 2 malformed input or usage (one line on stderr, never a
// stack trace), 70 an internal error (a bug in pygcsim: one line saying so).

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runScenarioFile } from "../scenario/run.js";
import { getProfile, PROFILES, type Profile } from "../profiles.js";
import { PygcsimError, ScenarioError, SimulatorTrapError } from "../errors.js";
import { runDemo } from "../demo.js";
import { profilesTable } from "./profiles-table.js";
import { loadCommand } from "../load/cli.js";
import { trackScenarioFile } from "../tracker/cli.js";
import { graphScenarioFile, type GraphMode } from "../graph/cli.js";
import { comparisonTable, labMain, listing, mergeReports } from "../lab/cli.js";
import { writePlots } from "../lab/plots.js";
import { runShape, SHAPES, type ShapeName } from "./bench-shape.js";
import { checkOutputFile, prepareOutputDir, UsageError } from "./paths.js";
import { scheduleCommand } from "../schedule/cli.js";

const USAGE = `pygcsim — CPython's object release, simulated

usage:
  pygcsim demo [--python X.Y] [--n N]
      the built-in demo: classic cyclic garbage, then an N-object heap
      (default 1,000,000; 1..20,000,000)
  pygcsim scenario FILE.json|DIR... [--python X.Y[,X.Y...]|all] [--out DIR] [--check DIR]
      run conformance scenarios (../shared/conformance format); print each result,
      write them to DIR (--out), or compare them byte for byte with recorded ones
      (--check DIR: DIR holds <scenario>.json, or <X.Y>/<scenario>.json for several
      versions). A scenario without a recorded result FAILs, and so does every
      scenario of a version listed in --python that has no DIR/<X.Y>; with
      --python all, the versions DIR has no folder for are skipped (one line
      each). A missing DIR, or none of the versions' folders, is exit 2
  pygcsim profiles
      the CPython version profiles and what differs between them
  pygcsim bench shape --shape reach|garbage|dlist|tree|young --n N [--reps R] [--python X.Y] [--json]
      one heap shape, only its collection timed (N 1..20,000,000, R 1..1000);
      --json: the last line is JSON
  pygcsim load DUMP [--python X.Y] [--collect] [--json] [--leaks roots|suspect] [--max-dump-mb N]
      load a real Python heap dumped by python/pygcsim_dump.py (docs/dump-format.md):
      objects by type, sizes, generations, refcounts explained / external; --collect:
      what a full collection would do now (under --python X.Y: what CPython X.Y
      would do with this heap); --json: one JSON object instead of the text;
      --max-dump-mb: the bound on the decompressed dump (default 512)
  pygcsim track FILE.json [--python X.Y] [--json] [--leaks-only] [--max N (0..1,000,000)]
      garbage tracker: the whole scenario is the tracked region, closed by a full
      collection; reports what it left behind (collected, uncollectable, leaked),
      each object with why; --json adds a last line {"collected": [names], ...};
      scenarios of up to 1,000,000 objects (track and graph)
  pygcsim graph FILE.json [--python X.Y] (--around NAME [--depth N (0..1000)] | --cycle NAME | --chain NAME)
                [--at OP] [--format dot|svg] [--out FILE] [--max-nodes N (1..100,000)]
      draw part of the scenario's heap after op OP (default: at the end): the
      objects within N hops of NAME (default 2), the cycle NAME is in, or the
      chain of references that keeps NAME alive; DOT (default) or SVG (own
      layout, no Graphviz needed); --out FILE (.svg/.dot picks the format)
  pygcsim schedule [WORKLOAD[,...]|all] [--python X.Y[,X.Y...]|all] [--check DIR] [--json] | --field [--check DIR]
      automatic collection as real CPython schedules it: run schedule workloads
      (python/schedule_recorder.py's programs) and print their collections per
      generation; no WORKLOAD lists them; --check DIR compares every collection
      with results recorded on real interpreters (DIR/<X.Y>/<workload>.json,
      e.g. test/schedule/expected) and prints the first that differs; --field:
      the field's documented GC cases (docs/field-cases in README) as tables,
      beside the real interpreters' figures from the recordings in DIR
  pygcsim lab [--workload W[:k=v...],...] [--policy P[:k=v...],...] [--python X.Y[,X.Y...]] [--seed N]
              [--json FILE] [--svg DIR] [--shard i/n] [--jobs N]
      the heuristics lab: each workload under each policy, a comparison table;
      sweep a parameter with k=a|b|c or k=lo..hi*factor; pygcsim lab list shows
      workloads, policies and their parameters' ranges; --seed 0..4294967295,
      --jobs 1..256; the incremental policy is CPython 3.14's collector and runs
      only under 3.14 (its default); pygcsim lab merge A.json B.json --json ALL.json

options:
  --python X.Y   CPython version to simulate (default 3.11); 'all' = every profile
  --build B      engine build: release (default) or debug (checks invariants after every call)
  -h, --help     this text
Output files and directories (--out, --json FILE, --svg DIR) are checked
before any work. Exit status: 0 success; 1 a result differs from the recorded
one (--check); 2 bad input or usage (one line on stderr); 70 an internal error,
i.e. a bug in pygcsim (one line on stderr saying so).
`;

interface Parsed {
  positional: string[];
  flags: Map<string, string>;
}

/** The options each command takes (anything else is a usage error, not silently ignored). */
const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  demo: ["--python", "--n"],
  scenario: ["--python", "--out", "--check", "--build"],
  profiles: [],
  bench: ["--shape", "--n", "--reps", "--python", "--json"],
  load: ["--python", "--collect", "--json", "--leaks", "--build", "--max-dump-mb"],
  track: ["--python", "--json", "--leaks-only", "--max", "--build"],
  graph: ["--python", "--around", "--depth", "--cycle", "--chain", "--at", "--format", "--out", "--max-nodes", "--build"],
  schedule: ["--python", "--check", "--json", "--build", "--field"],
  lab: ["--workload", "--policy", "--python", "--seed", "--json", "--svg", "--shard", "--jobs"],
  help: [],
};

const WITH_VALUE = new Set(["--python", "--out", "--check", "--n", "--build", "--workload", "--policy", "--seed", "--json", "--svg", "--shard", "--jobs", "--leaks", "--shape", "--reps", "--max-dump-mb"]);

/** Options of track and graph; `--json` takes no value after `track` (it adds the JSON line). */
const TRACKER_VALUES = new Set(["--max", "--around", "--cycle", "--chain", "--depth", "--at", "--format", "--max-nodes"]);
const BOOLEAN = new Set(["--leaks-only", "--collect", "--field"]);

function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") flags.set("--help", "");
    else if (a.startsWith("--")) {
      const [k, v] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
      if ((BOOLEAN.has(k) || (k === "--json" && ["track", "load", "bench", "schedule"].includes(positional[0]))) && v === undefined) {
        flags.set(k, "");
        continue;
      }
      if (!WITH_VALUE.has(k) && !TRACKER_VALUES.has(k)) throw new UsageError(`unknown option ${clip(k)}`);
      const val = v ?? argv[++i];
      if (val === undefined) throw new UsageError(`${k} needs a value`);
      flags.set(k, val);
    } else positional.push(a);
  }
  return { positional, flags };
}

/** A user-given string in a message: one line, at most 120 characters. */
function clip(s: string): string {
  const t = s.replace(/[\r\n]+/g, " ");
  return t.length > 120 ? t.slice(0, 117) + "..." : t;
}

function checkOptions(cmd: string, p: Parsed): void {
  const allowed = COMMAND_OPTIONS[cmd];
  for (const k of p.flags.keys()) {
    if (k !== "--help" && !allowed.includes(k)) throw new UsageError(`${cmd} takes no option ${k}`);
  }
}

function scenarioFiles(args: string[]): string[] {
  const files: string[] = [];
  for (const a of args) {
    if (existsSync(a) && statSync(a).isDirectory()) {
      for (const f of readdirSync(a).sort()) if (f.endsWith(".json")) files.push(join(a, f));
    } else files.push(a);
  }
  return files;
}

function profilesOf(spec: string | undefined): Profile[] {
  if (spec === undefined) return [getProfile("3.11")];
  if (spec === "all") return [...PROFILES];
  const ps = spec.split(",").map((v) => getProfile(v));
  // the same version twice would write and check its results twice
  return ps.filter((x, i) => ps.indexOf(x) === i);
}

/** The first event that differs, as "event #i: got …, expected …". */
function firstDifference(got: string, expected: string): string {
  let a: { events?: unknown[]; python?: string }, b: { events?: unknown[]; python?: string };
  try {
    a = JSON.parse(got);
    b = JSON.parse(expected);
  } catch {
    return "the recorded file is not valid JSON";
  }
  if (!b || typeof b !== "object") return "the recorded file is not a result object";
  const ea = Array.isArray(a.events) ? a.events : [], eb = Array.isArray(b.events) ? b.events : [];
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) {
    const x = JSON.stringify(ea[i] ?? null), y = clip(JSON.stringify(eb[i] ?? null) ?? "null");
    if (x !== y) return `event #${i}: got ${x}, expected ${y}`;
  }
  if (a.python !== b.python) return `python: got ${a.python}, expected ${clip(String(b.python))}`;
  return "same events, different text (formatting)";
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function cmdScenario(p: Parsed, out: (s: string) => void, err: (s: string) => void): number {
  const files = scenarioFiles(p.positional);
  if (!files.length) throw new UsageError("scenario: give at least one FILE.json or directory");
  const spec = p.flags.get("--python");
  const profiles = profilesOf(spec);
  const build = buildOf(p);
  const outDir = p.flags.get("--out");
  const checkDir = p.flags.get("--check");
  const several = profiles.length > 1;
  if (outDir !== undefined) prepareOutputDir(outDir, "--out");
  if (checkDir !== undefined) {
    // a typo in a CI gate must not pass: no directory, nothing recorded for these versions → exit 2
    if (!isDir(checkDir)) throw new UsageError(`scenario: --check ${clip(checkDir)}: no such directory`);
    if (several && !profiles.some((pr) => isDir(join(checkDir, pr.series)))) {
      throw new UsageError(`scenario: --check ${clip(checkDir)} has no recorded results for any of the versions (expected folders like ${join(checkDir, profiles[0].series)})`);
    }
  }
  let passed = 0, failed = 0, skipped = 0;
  const malformed = new Map<string, string>();
  for (const profile of profiles) {
    if (checkDir && several && !isDir(join(checkDir, profile.series))) {
      const where = join(checkDir, profile.series);
      if (spec === "all") {
        out(`skip ${profile.series}: no recorded results in ${where}`);
      } else {
        // a version the user named must be checked: its missing folder fails every scenario
        out(`FAIL ${profile.series}: no recorded results in ${where} (${files.length} scenario${files.length === 1 ? "" : "s"} not checked)`);
        failed += files.length;
      }
      continue;
    }
    for (const file of files) {
      const name = basename(file, ".json");
      let outcome;
      try {
        outcome = runScenarioFile(file, profile, { build });
      } catch (e) {
        if (e instanceof ScenarioError) {
          // the other files still run; stderr gets one line at the end (the first file's error)
          if (!malformed.has(file)) malformed.set(file, oneLine(e.message));
          continue;
        }
        throw e;
      }
      const label = several ? `${profile.series} ${name}` : name;
      if (outcome.status === "skipped") {
        skipped++;
        if (checkDir) out(`skip ${label} (${outcome.reason})`);
        continue;
      }
      if (outDir) {
        const dir = several ? join(outDir, profile.series) : outDir;
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `${name}.json`), outcome.text);
      }
      if (checkDir) {
        const nested = join(checkDir, profile.series, `${name}.json`);
        const flat = join(checkDir, `${name}.json`);
        const ref = several || (!existsSync(flat) && existsSync(nested)) ? nested : flat;
        let expected: string | null = null;
        try {
          expected = readFileSync(ref, "utf8");
        } catch {
          expected = null;
        }
        if (expected === null) {
          out(`FAIL ${label}: no recorded result ${ref}`);
          failed++;
        } else if (expected === outcome.text) {
          out(`pass ${label}`);
          passed++;
        } else {
          out(`FAIL ${label}: ${firstDifference(outcome.text, expected)}`);
          failed++;
        }
      } else if (!outDir) {
        out(outcome.text.trimEnd());
      }
    }
  }
  if (checkDir) out(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped (outside the scenario's version range)` : ""}`);
  if (malformed.size) {
    const [first, ...more] = [...malformed.values()];
    const rest = [...malformed.keys()].slice(1);
    // runner.py's wording, without a prefix: "FILE: error: op N (op): …"
    err(`${first}${more.length ? ` (and ${more.length} more malformed file${more.length === 1 ? "" : "s"}: ${rest.map(clip).slice(0, 5).join(", ")}${rest.length > 5 ? ", …" : ""})` : ""}`);
    return 2;
  }
  return failed ? 1 : 0;
}

/** An integer option in [min, max], checked before any work; undefined when absent. */
function intFlag(p: Parsed, k: string, min: number, max: number): number | undefined {
  if (!p.flags.has(k)) return undefined;
  const text = p.flags.get(k)!.trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${k} must be an integer in ${min.toLocaleString("en-US")}..${max.toLocaleString("en-US")}, got ${clip(JSON.stringify(p.flags.get(k)))}`);
  }
  return n;
}

function buildOf(p: Parsed): "release" | "debug" {
  const b = p.flags.get("--build") ?? "release";
  if (b !== "release" && b !== "debug") throw new UsageError(`--build must be release or debug, got ${clip(JSON.stringify(b))}`);
  return b;
}

function singleProfile(p: Parsed, cmd: string): Profile {
  const spec = p.flags.get("--python");
  if (spec === "all" || spec?.includes(",")) throw new UsageError(`${cmd}: give one --python version`);
  return profilesOf(spec)[0];
}

/** Heaps of the demo and bench: wasm32's 4 GiB hold about 50 million objects (~80 bytes each with 4 references). */
const MAX_OBJECTS = 20_000_000;

function cmdTrack(p: Parsed, out: (s: string) => void): number {
  if (p.positional.length !== 1) throw new UsageError("track: give one scenario FILE.json");
  const r = trackScenarioFile(p.positional[0], singleProfile(p, "track"), {
    build: buildOf(p), max: intFlag(p, "--max", 0, 1_000_000), leaksOnly: p.flags.has("--leaks-only"),
  });
  out(r.text);
  if (p.flags.has("--json")) out(JSON.stringify(r.json));
  return 0;
}

function cmdGraph(p: Parsed, out: (s: string) => void): number {
  if (p.positional.length !== 1) throw new UsageError("graph: give one scenario FILE.json");
  const modes = (["around", "cycle", "chain"] as GraphMode[]).filter((m) => p.flags.has(`--${m}`));
  if (modes.length !== 1) throw new UsageError("graph: give one of --around NAME, --cycle NAME, --chain NAME");
  const file = p.flags.get("--out");
  let format = p.flags.get("--format");
  if (!format) format = file && /\.svg$/i.test(file) ? "svg" : "dot";
  if (format !== "dot" && format !== "svg") throw new UsageError(`--format must be dot or svg, got ${clip(JSON.stringify(format))}`);
  const request = {
    mode: modes[0], name: p.flags.get(`--${modes[0]}`)!, depth: intFlag(p, "--depth", 0, 1000), at: intFlag(p, "--at", 0, 2 ** 31 - 1),
    format, build: buildOf(p), maxNodes: intFlag(p, "--max-nodes", 1, 100_000),
  } as const;
  const profile = singleProfile(p, "graph");
  if (file !== undefined) checkOutputFile(file, "--out");
  const { text } = graphScenarioFile(p.positional[0], profile, request);
  if (file) writeFileSync(file, text);
  else out(text.trimEnd());
  return 0;
}

async function cmdLab(p: Parsed, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const json = p.flags.get("--json"), svg = p.flags.get("--svg");
  if (p.positional[0] === "list") {
    if (p.positional.length > 1 || p.flags.size) throw new UsageError("lab list takes no arguments");
    out(listing());
    return 0;
  }
  if (p.positional[0] === "merge") {
    for (const k of p.flags.keys()) if (k !== "--json" && k !== "--svg") throw new UsageError(`lab merge takes no option ${k}`);
    const files = p.positional.slice(1);
    if (!files.length) throw new UsageError("lab merge: give the shards' JSON files");
    if (json !== undefined) checkOutputFile(json, "--json");
    if (svg !== undefined) prepareOutputDir(svg, "--svg");
    const merged = mergeReports(files);
    if (json !== undefined) writeFileSync(json, JSON.stringify(merged) + "\n");
    out(comparisonTable(merged.runs));
    if (svg !== undefined) {
      mkdirSync(svg, { recursive: true });
      writePlots(merged.runs, svg);
    }
    return 0;
  }
  if (p.positional.length) throw new UsageError(`lab: unexpected ${clip(p.positional[0])}`);
  const seed = intFlag(p, "--seed", 0, 2 ** 32 - 1) ?? 1;
  const jobs = intFlag(p, "--jobs", 1, 256);
  return await labMain({
    workloads: [p.flags.get("--workload") ?? "web-service"], policies: [p.flags.get("--policy") ?? "cpython"],
    python: p.flags.get("--python"), seed, json, svg, shard: p.flags.get("--shard"), jobs,
    // after the plan is checked, before any run
    checkOutputs: () => {
      if (json !== undefined) checkOutputFile(json, "--json");
      if (svg !== undefined) prepareOutputDir(svg, "--svg");
    },
  }, out, err);
}

function cmdBench(p: Parsed, out: (s: string) => void): number {
  if (p.positional[0] !== "shape" || p.positional.length > 1) throw new UsageError("bench: the command is `pygcsim bench shape --shape S --n N`");
  const shape = (p.flags.get("--shape") ?? "reach") as ShapeName;
  if (!SHAPES.includes(shape)) throw new UsageError(`--shape must be one of ${SHAPES.join(", ")}, got ${clip(JSON.stringify(shape))}`);
  const n = intFlag(p, "--n", 1, MAX_OBJECTS) ?? 1_000_000, reps = intFlag(p, "--reps", 1, 1000) ?? 5;
  const python = getProfile(p.flags.get("--python") ?? "3.11").version;
  const r = runShape(shape, n, reps, python);
  out(`${r.shape} N=${r.n.toLocaleString("en-US")} (${r.python}, ${r.reps} reps): median ${r.median_ms.toFixed(3)} ms [${r.min_ms.toFixed(3)}–${r.max_ms.toFixed(3)}], collected ${r.collected}`);
  if (p.flags.has("--json")) out(JSON.stringify({ shape: r.shape, n: r.n, median_ms: r.median_ms, min_ms: r.min_ms, max_ms: r.max_ms }));
  return 0;
}

/** A message on one line (a report or a wrapped error may span several). */
function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

async function dispatch(cmd: string, p: Parsed, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  switch (cmd) {
    case "scenario":
      return cmdScenario(p, out, err);
    case "demo": {
      if (p.positional.length) throw new UsageError(`demo: unexpected ${clip(p.positional[0])}`);
      const n = intFlag(p, "--n", 1, MAX_OBJECTS);
      const python = getProfile(p.flags.get("--python") ?? "3.11").version; // before the demo prints anything
      runDemo({ python, n, out });
      return 0;
    }
    case "lab":
      return cmdLab(p, out, err);
    case "bench":
      return cmdBench(p, out);
    case "profiles":
      if (p.positional.length) throw new UsageError(`profiles: unexpected ${clip(p.positional[0])}`);
      out(profilesTable());
      return 0;
    case "track":
      return cmdTrack(p, out);
    case "load": {
      if (p.positional.length !== 1) throw new UsageError("load: give one DUMP file");
      const leaks = p.flags.get("--leaks");
      if (leaks !== undefined && leaks !== "roots" && leaks !== "suspect") throw new UsageError(`--leaks must be roots or suspect, got ${clip(JSON.stringify(leaks))}`);
      return loadCommand(p.positional[0], {
        python: p.flags.get("--python"), collect: p.flags.has("--collect"), json: p.flags.has("--json"),
        leaks, build: buildOf(p), maxDumpMb: p.flags.has("--max-dump-mb") ? Number(p.flags.get("--max-dump-mb")) : undefined,
      }, out);
    }
    case "graph":
      return cmdGraph(p, out);
    case "schedule":
      return scheduleCommand(p.positional, {
        python: p.flags.get("--python"), check: p.flags.get("--check"), json: p.flags.has("--json"), build: buildOf(p),
        field: p.flags.has("--field"),
      }, out);
    default:
      throw new UsageError(`unknown command ${clip(cmd)}`);
  }
}

/** The positional arguments that name input files, for messages about input too large to process. */
function inputsOf(argv: string[]): string {
  const files = argv.filter((a) => !a.startsWith("-") && /[./\\]/.test(a));
  return files.length ? files.map(clip).join(", ") : "the input";
}

/**
 * Runs the CLI: the exit status is returned, never thrown. out/err receive
 * whole lines (bin/pygcsim.js passes stdout and stderr; tests capture them).
 */
export async function main(argv: string[], out = (s: string) => process.stdout.write(s + "\n"),
  err = (s: string) => process.stderr.write(s + "\n")): Promise<number> {
  try {
    const p = parseArgs(argv);
    const cmd = p.positional.shift();
    if (p.flags.has("--help") || cmd === "help") {
      out(USAGE.trimEnd());
      return 0;
    }
    if (!cmd) {
      out(USAGE.trimEnd());
      err("pygcsim: give a command (usage above)");
      return 2;
    }
    if (Object.hasOwn(COMMAND_OPTIONS, cmd)) checkOptions(cmd, p);
    return await dispatch(cmd, p, out, err);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`pygcsim: ${oneLine(e.message)} (pygcsim --help for usage)`);
      return 2;
    }
    if (e instanceof SimulatorTrapError) {
      err(`pygcsim: internal error (a bug in pygcsim, please report it with the command line): ${oneLine(e.message)}`);
      return 70;
    }
    if (e instanceof PygcsimError) {
      err(`pygcsim: ${oneLine(e.message)}`);
      return 2;
    }
    // recursion deeper than the stack, a string or buffer past V8's limits: the input is too big, not a bug
    if (e instanceof RangeError && /call stack|string length|Array buffer allocation|Invalid array length/i.test(e.message)) {
      err(`pygcsim: ${inputsOf(argv)}: too large or too deeply nested to process (${oneLine(e.message)})`);
      return 2;
    }
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    err(`pygcsim: internal error (a bug in pygcsim, please report it with the command line): ${oneLine(what)}`);
    return 70;
  }
}
