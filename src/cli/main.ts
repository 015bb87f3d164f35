// The pygcsim command line. Exit status: 0 success, 1 a result differs from
// the recorded one, 2 malformed input or usage.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runScenarioFile } from "../scenario/run.js";
import { getProfile, PROFILES, type Profile } from "../profiles.js";
import { PygcsimError, ScenarioError } from "../errors.js";
import { runDemo } from "../demo.js";
import { profilesTable } from "./profiles-table.js";

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

options:
  --python X.Y   CPython version to simulate (default 3.11); 'all' = every profile
  --build B      engine build: release (default) or debug (checks invariants after every call)
  -h, --help     this text
`;

interface Parsed {
  positional: string[];
  flags: Map<string, string>;
}

const WITH_VALUE = new Set(["--python", "--out", "--check", "--n", "--build"]);

function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") flags.set("--help", "");
    else if (a.startsWith("--")) {
      const [k, v] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
      if (!WITH_VALUE.has(k)) throw new UsageError(`unknown option ${k}`);
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
      case "profiles":
        out(profilesTable());
        return 0;
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
