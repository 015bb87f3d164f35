// Node only: scenario files read from disk and run (the CLI, the conformance
// suites). The runner itself (src/scenario/run.ts) takes parsed objects and
// runs in a page too.

import { readFileSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import { ScenarioError } from "../errors.js";
import type { Profile } from "../profiles.js";
import type { BuildKind } from "../wasm/engine.js";
import { runScenario, type RunOutcome } from "./run.js";

/** The largest scenario file read (a million-op scenario is ~50 MB). */
export const MAX_SCENARIO_BYTES = 256 * 1024 * 1024;

/** A scenario file's text: a regular file of at most MAX_SCENARIO_BYTES (/dev/zero or a FIFO would be read forever). */
function readScenarioText(path: string): string {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ScenarioError(`cannot read: not a regular file`, path);
    if (st.size > MAX_SCENARIO_BYTES) throw new ScenarioError(`cannot read: ${st.size.toLocaleString("en-US")} bytes, more than the ${MAX_SCENARIO_BYTES / 1048576} MiB a scenario file may have`, path);
    return readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError(`cannot read: ${(e as Error).message}`, path);
  }
}

/** Reads and runs a scenario file; errors name the file. */
export function runScenarioFile(path: string, python: string | Profile = "3.11", options: { build?: BuildKind } = {}): RunOutcome {
  const text = readScenarioText(path);
  let scn: unknown;
  try {
    scn = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`not valid JSON: ${(e as Error).message}`, path);
  }
  try {
    return runScenario(scn, python, { stem: basename(path, extname(path)), build: options.build });
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError(e.message, path, e.opIndex);
    throw e;
  }
}

/** Reads a scenario file (errors name the file): the parsed JSON and the stem to validate its name against. */
export function readScenarioFile(path: string): { scn: unknown; stem: string } {
  const text = readScenarioText(path);
  try {
    return { scn: JSON.parse(text), stem: basename(path, extname(path)) };
  } catch (e) {
    throw new ScenarioError(`not valid JSON: ${(e as Error).message}`, path);
  }
}
