// `pygcsim track SCENARIO.json`: the whole scenario is the tracked region,
// closed by a full collection (as Yagot's stop() does); the report names
// objects by their scenario names (chain members `id.1`, `id.2` …).

import type { BuildKind } from "../wasm/engine.js";
import type { Profile } from "../profiles.js";
import { readScenarioFile, runScenarioSession } from "../scenario/run.js";
import { objectsCreated } from "../scenario/validate.js";
import { ScenarioError } from "../errors.js";
import { GarbageTracker, CATEGORIES, type TrackerResult } from "./tracker.js";
import { formatReport } from "./report.js";

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
