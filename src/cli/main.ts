// The pygcsim command line. Exit status: 0 success, 1 a result differs from
// the recorded one, 2 malformed input or usage.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runScenarioFile } from "../scenario/run.js";
import { getProfile, PROFILES, type Profile } from "../profiles.js";
import { PygcsimError, ScenarioError } from "../errors.js";
import { runDemo } from "../demo.js";
import { profilesTable } from "./profiles-table.js";
import { loadCommand } from "../load/cli.js";
import { trackScenarioFile } from "../tracker/cli.js";
import { graphScenarioFile, type GraphMode } from "../graph/cli.js";
import { comparisonTable, labMain, listing, mergeReports } from "../lab/cli.js";
import { writePlots } from "../lab/plots.js";
import { runShape, type ShapeName } from "./bench-shape.js";
import { scheduleCommand } from "../schedule/cli.js";

const USAGE = `pygcsim — CPython's object release, simulated

usage:
  pygcsim demo [--python X.Y] [--n N]
      the built-in demo: classic cyclic garbage, then a 1,000,000-object heap
  pygcsim scenario FILE.json|DIR... [--python X.Y[,X.Y...]|all] [--out DIR] [--check DIR]
      run conformance scenarios (../shared/conformance format); print each result,
      write them to DIR (--out), or compare them byte for byte with recorded ones
      (--check DIR: DIR holds <scenario>.json, or <X.Y>/<scenario>.json for several versions)
  pygcsim profiles
      the CPython version profiles and what differs between them
  pygcsim bench shape --shape reach|garbage|dlist|tree|young --n N [--reps R] [--python X.Y] [--json]
      one heap shape, only its collection timed; --json: the last line is JSON
  pygcsim load DUMP [--python X.Y] [--collect] [--json] [--leaks roots|suspect] [--max-dump-mb N]
      load a real Python heap dumped by python/pygcsim_dump.py (docs/dump-format.md):
      objects by type, sizes, generations, refcounts explained / external; --collect:
      what a full collection would do now (under --python X.Y: what CPython X.Y
      would do with this heap); --json: one JSON object instead of the text;
      --max-dump-mb: the bound on the decompressed dump (default 512)
  pygcsim track FILE.json [--python X.Y] [--json] [--leaks-only] [--max N]
      garbage tracker: the whole scenario is the tracked region, closed by a full
      collection; reports what it left behind (collected, uncollectable, leaked),
      each object with why; --json adds a last line {"collected": [names], ...}
  pygcsim graph FILE.json [--python X.Y] (--around NAME [--depth N] | --cycle NAME | --chain NAME)
                [--at OP] [--format dot|svg] [--out FILE] [--max-nodes N]
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
      workloads and policies; pygcsim lab merge A.json B.json --json ALL.json

options:
  --python X.Y   CPython version to simulate (default 3.11); 'all' = every profile
  --build B      engine build: release (default) or debug (checks invariants after every call)
  -h, --help     this text
`;

interface Parsed {
  positional: string[];
  flags: Map<string, string>;
}

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
      if (!WITH_VALUE.has(k) && !TRACKER_VALUES.has(k)) throw new UsageError(`unknown option ${k}`);
      const val = v ?? argv[++i];
      if (val === undefined) throw new UsageError(`${k} needs a value`);
      flags.set(k, val);
    } else positional.push(a);
  }
  return { positional, flags };
}

class UsageError extends Error {}

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
  if (!spec) return [getProfile("3.11")];
  if (spec === "all") return [...PROFILES];
  return spec.split(",").map((v) => getProfile(v));
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
  const ea = a.events ?? [], eb = b.events ?? [];
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) {
    const x = JSON.stringify(ea[i] ?? null), y = JSON.stringify(eb[i] ?? null);
    if (x !== y) return `event #${i}: got ${x}, expected ${y}`;
  }
  if (a.python !== b.python) return `python: got ${a.python}, expected ${b.python}`;
  return "same events, different text (formatting)";
}

function cmdScenario(p: Parsed, out: (s: string) => void, err: (s: string) => void): number {
  const files = scenarioFiles(p.positional);
  if (!files.length) throw new UsageError("scenario: give at least one FILE.json or directory");
  const profiles = profilesOf(p.flags.get("--python"));
  const build = (p.flags.get("--build") ?? "release") as "release" | "debug";
  const outDir = p.flags.get("--out");
  const checkDir = p.flags.get("--check");
  const several = profiles.length > 1;
  let passed = 0, failed = 0, skipped = 0, status = 0;
  for (const profile of profiles) {
    if (checkDir && several && !existsSync(join(checkDir, profile.series))) {
      out(`skip ${profile.series}: no recorded results in ${join(checkDir, profile.series)}`);
      continue;
    }
    for (const file of files) {
      const name = basename(file, ".json");
      let outcome;
      try {
        outcome = runScenarioFile(file, profile, { build });
      } catch (e) {
        if (e instanceof ScenarioError) {
          err(e.message);
          status = 2;
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
        if (!existsSync(ref)) {
          out(`FAIL ${label}: no recorded result ${ref}`);
          failed++;
        } else {
          const expected = readFileSync(ref, "utf8");
          if (expected === outcome.text) {
            out(`pass ${label}`);
            passed++;
          } else {
            out(`FAIL ${label}: ${firstDifference(outcome.text, expected)}`);
            failed++;
          }
        }
      } else if (!outDir) {
        out(outcome.text.trimEnd());
      }
    }
  }
  if (checkDir) out(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped (outside the scenario's version range)` : ""}`);
  if (status === 2) return 2;
  return failed ? 1 : 0;
}

function intFlag(p: Parsed, k: string, min: number): number | undefined {
  if (!p.flags.has(k)) return undefined;
  const n = Number(p.flags.get(k));
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${k} must be an integer ≥ ${min}`);
  return n;
}

function buildOf(p: Parsed): "release" | "debug" {
  const b = p.flags.get("--build") ?? "release";
  if (b !== "release" && b !== "debug") throw new UsageError("--build must be release or debug");
  return b;
}

function singleProfile(p: Parsed, cmd: string): Profile {
  const spec = p.flags.get("--python");
  if (spec === "all" || spec?.includes(",")) throw new UsageError(`${cmd}: give one --python version`);
  return profilesOf(spec)[0];
}

function cmdTrack(p: Parsed, out: (s: string) => void): number {
  if (p.positional.length !== 1) throw new UsageError("track: give one scenario FILE.json");
  const r = trackScenarioFile(p.positional[0], singleProfile(p, "track"), {
    build: buildOf(p), max: intFlag(p, "--max", 0), leaksOnly: p.flags.has("--leaks-only"),
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
  if (format !== "dot" && format !== "svg") throw new UsageError("--format must be dot or svg");
  const { text } = graphScenarioFile(p.positional[0], singleProfile(p, "graph"), {
    mode: modes[0], name: p.flags.get(`--${modes[0]}`)!, depth: intFlag(p, "--depth", 0), at: intFlag(p, "--at", 0),
    format, build: buildOf(p), maxNodes: intFlag(p, "--max-nodes", 1),
  });
  if (file) writeFileSync(file, text);
  else out(text.trimEnd());
  return 0;
}

export async function main(argv: string[], out = (s: string) => process.stdout.write(s + "\n"),
  err = (s: string) => process.stderr.write(s + "\n")): Promise<number> {
  try {
    const p = parseArgs(argv);
    const cmd = p.positional.shift();
    if (p.flags.has("--help") || !cmd || cmd === "help") {
      out(USAGE.trimEnd());
      return cmd || p.flags.has("--help") ? 0 : 2;
    }
    switch (cmd) {
      case "scenario":
        return cmdScenario(p, out, err);
      case "demo": {
        const n = p.flags.has("--n") ? Number(p.flags.get("--n")) : undefined;
        if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new UsageError("--n must be a positive integer");
        runDemo({ python: p.flags.get("--python"), n, out });
        return 0;
      }
      case "lab": {
        if (p.positional[0] === "list") { out(listing()); return 0; }
        if (p.positional[0] === "merge") {
          const files = p.positional.slice(1);
          if (!files.length) throw new UsageError("lab merge: give the shards' JSON files");
          const merged = mergeReports(files);
          const dest = p.flags.get("--json");
          if (dest) writeFileSync(dest, JSON.stringify(merged) + "\n");
          out(comparisonTable(merged.runs));
          if (p.flags.get("--svg")) { mkdirSync(p.flags.get("--svg")!, { recursive: true }); writePlots(merged.runs, p.flags.get("--svg")!); }
          return 0;
        }
        if (p.positional.length) throw new UsageError(`lab: unexpected ${p.positional[0]}`);
        const seed = p.flags.has("--seed") ? Number(p.flags.get("--seed")) : 1;
        const jobs = p.flags.has("--jobs") ? Number(p.flags.get("--jobs")) : undefined;
        if (!Number.isInteger(seed) || seed < 0) throw new UsageError("--seed must be a non-negative integer");
        if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError("--jobs must be a positive integer");
        return await labMain({
          workloads: [p.flags.get("--workload") ?? "web-service"], policies: [p.flags.get("--policy") ?? "cpython"],
          python: p.flags.get("--python"), seed, json: p.flags.get("--json"), svg: p.flags.get("--svg"),
          shard: p.flags.get("--shard"), jobs,
        }, out, err);
      }
      case "bench": {
        if (p.positional[0] !== "shape") throw new UsageError("bench: the command is `pygcsim bench shape --shape S --n N`");
        const shape = (p.flags.get("--shape") ?? "reach") as ShapeName;
        const n = Number(p.flags.get("--n") ?? 1_000_000), reps = Number(p.flags.get("--reps") ?? 5);
        const r = runShape(shape, n, reps, p.flags.get("--python") ?? "3.11");
        out(`${r.shape} N=${r.n.toLocaleString("en-US")} (${r.python}, ${r.reps} reps): median ${r.median_ms.toFixed(3)} ms [${r.min_ms.toFixed(3)}–${r.max_ms.toFixed(3)}], collected ${r.collected}`);
        if (p.flags.has("--json")) out(JSON.stringify({ shape: r.shape, n: r.n, median_ms: r.median_ms, min_ms: r.min_ms, max_ms: r.max_ms }));
        return 0;
      }
      case "profiles":
        out(profilesTable());
        return 0;
      case "track":
        return cmdTrack(p, out);
      case "load": {
        if (p.positional.length !== 1) throw new UsageError("load: give one DUMP file");
        const leaks = p.flags.get("--leaks");
        if (leaks !== undefined && leaks !== "roots" && leaks !== "suspect") throw new UsageError("--leaks must be roots or suspect");
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
        throw new UsageError(`unknown command ${cmd}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`pygcsim: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof PygcsimError) {
      err(`pygcsim: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
