// `pygcsim scenario FILE.json|DIR...`: runs conformance scenarios and prints
// each result, writes them (--out DIR) or compares them byte for byte with
// recorded ones (--check DIR). The scenario format: docs/scenario-format.md.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runScenarioFile } from "./files.js";
import { ScenarioError } from "../errors.js";
import { prepareOutputDir } from "../cli/paths.js";
import { BUILD_OPTION, PYTHONS_OPTION, UsageError, buildOption, clip, oneLine, profilesOf, str, type Command, type CommandArgs, type CommandIO } from "../cli/command.js";

function scenarioFiles(args: string[]): string[] {
  const files: string[] = [];
  for (const a of args) {
    if (existsSync(a) && statSync(a).isDirectory()) {
      for (const f of readdirSync(a).sort()) if (f.endsWith(".json")) files.push(join(a, f));
    } else files.push(a);
  }
  return files;
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

function runScenarios(p: CommandArgs, { out, err }: CommandIO): number {
  const files = scenarioFiles(p.positionals);
  if (!files.length) throw new UsageError("scenario: give at least one FILE.json or directory");
  const spec = str(p, "python");
  const profiles = profilesOf(spec);
  const build = buildOption(p);
  const outDir = str(p, "out");
  const checkDir = str(p, "check");
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

export const scenarioCommand: Command = {
  name: "scenario",
  summary: "run conformance scenarios; print, write (--out) or check (--check) their results",
  usage: ["scenario FILE.json|DIR... [--python X.Y[,X.Y...]|all] [--out DIR] [--check DIR]"],
  description: `Runs scenarios (docs/scenario-format.md; test/conformance/cases holds the
suite) and prints each result, writes them to DIR (--out), or compares them
byte for byte with recorded ones (--check DIR: DIR holds <scenario>.json, or
<X.Y>/<scenario>.json for several versions). A scenario without a recorded
result FAILs, and so does every scenario of a version listed in --python that
has no DIR/<X.Y>; with --python all, the versions DIR has no folder for are
skipped (one line each). A missing DIR, or none of the versions' folders, is
exit 2. Exit 1: a result differs from the recorded one.`,
  options: {
    python: PYTHONS_OPTION,
    out: { type: "string", value: "DIR", help: "write each result to DIR/<scenario>.json (DIR/<X.Y>/… for several versions)" },
    check: { type: "string", value: "DIR", help: "compare each result with DIR's recorded one" },
    build: BUILD_OPTION,
  },
  run: runScenarios,
};
