// `pygcsim track SCENARIO.json`: the whole scenario is the tracked region,
// closed by a full collection (as Yagot's stop() does); the report names
// objects by their scenario names (chain members `id.1`, `id.2` …).

import type { BuildKind } from "../wasm/engine.js";
import type { Profile } from "../profiles.js";
import { runScenarioSession } from "../scenario/run.js";
import { readScenarioFile } from "../scenario/files.js";
import { objectsCreated } from "../scenario/validate.js";
import { ScenarioError } from "../errors.js";
import { GarbageTracker, CATEGORIES, type TrackerResult } from "./tracker.js";
import { formatReport } from "./report.js";
import { BUILD_OPTION, PYTHON_OPTION, UsageError, buildOption, flag, intOption, singleProfile, type Command } from "../cli/command.js";

export interface TrackOutcome {
  /** The report (or the skip line). */
  text: string;
  /** The one-line JSON summary: objects by scenario name per category. */
  json: Record<string, unknown>;
  result: TrackerResult | null;
}

/** Names in a result, per category; an object the scenario did not name shows as `?type`. */
export function namesByCategory(result: TrackerResult): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of CATEGORIES) out[c] = result[c].map((f) => f.name ?? `?${f.type}`);
  return out;
}

/**
 * The most objects a tracked scenario may create: the tracker keeps a finding
 * (referents, a chain or cycle) per object, ~2 KB of JS heap each; four
 * 1,000,000-long chains exhausted Node's heap (a fatal crash, not an error).
 */
export const TRACK_MAX_OBJECTS = 1_000_000;

export function trackScenarioFile(file: string, python: Profile, options: { build?: BuildKind; max?: number; leaksOnly?: boolean } = {}): TrackOutcome {
  const { scn, stem } = readScenarioFile(file);
  const created = objectsCreated(scn);
  if (created > TRACK_MAX_OBJECTS) {
    throw new ScenarioError(`track: the scenario creates ${created.toLocaleString("en-US")} objects; the tracker classifies at most ${TRACK_MAX_OBJECTS.toLocaleString("en-US")} (pygcsim scenario runs it)`, file);
  }
  let tracker: GarbageTracker | null = null;
  let result: TrackerResult | null = null;
  const outcome = runScenarioSession(scn, python, {
    stem, file, build: options.build,
    beforeOps: (heap, nameOf) => { tracker = new GarbageTracker(heap, { names: nameOf }).start(); },
    afterOps: () => { result = tracker!.stop(); },
  });
  if (outcome.status === "skipped") {
    const text = `skip ${stem} on Python ${python.version} (${outcome.reason})`;
    return { text, json: { scenario: stem, python: python.version, skipped: outcome.reason }, result: null };
  }
  const r = result as TrackerResult | null;
  if (!r) throw new Error("track: the tracked region did not close");
  const text = formatReport(r, { location: `scenario ${outcome.result.scenario}`, max: options.max, leaksOnly: options.leaksOnly });
  const json = {
    ...namesByCategory(r), scenario: outcome.result.scenario, python: r.python, collections: r.collections, warnings: r.warnings,
  };
  return { text, json, result: r };
}

export const trackCommand: Command = {
  name: "track",
  summary: "garbage tracker: what a scenario left behind, each object with why",
  usage: ["track FILE.json [--python X.Y] [--json] [--leaks-only] [--max N]"],
  description: `The whole scenario is the tracked region, closed by a full collection; the
report lists what it left behind (collected, uncollectable, leaked), each
object with why (docs/tracker.md). Scenarios of up to 1,000,000 objects.`,
  options: {
    python: PYTHON_OPTION,
    json: { type: "boolean", help: `adds a last line {"collected": [names], ...}` },
    "leaks-only": { type: "boolean", help: "only the leaked objects" },
    max: { type: "string", value: "N", help: "objects listed per category (0..1,000,000)" },
    build: BUILD_OPTION,
  },
  run(a, { out }) {
    if (a.positionals.length !== 1) throw new UsageError("track: give one scenario FILE.json");
    const r = trackScenarioFile(a.positionals[0], singleProfile(a, "track"), {
      build: buildOption(a), max: intOption(a, "max", 0, 1_000_000), leaksOnly: flag(a, "leaks-only"),
    });
    out(r.text);
    if (flag(a, "json")) out(JSON.stringify(r.json));
    return 0;
  },
};
