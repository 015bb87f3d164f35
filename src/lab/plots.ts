// SVG plots of lab runs: the three charts of src/lab/svg/charts.ts written to a folder.
import type { LabRun } from "./types.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { garbageOverTime, pauseDistribution, workVsPause } from "./svg/charts.js";

/** Writes the three plots of a set of runs into dir; returns the file names. */
export function writePlots(runs: LabRun[], dir: string): string[] {
  const files: [string, string][] = [
    ["garbage-held.svg", garbageOverTime(runs)],
    ["pauses.svg", pauseDistribution(runs)],
    ["work-vs-pause.svg", workVsPause(runs)],
  ];
  for (const [name, svg] of files) writeFileSync(join(dir, name), svg);
  return files.map(([n]) => n);
}
