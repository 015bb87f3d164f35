// `pygcsim load DUMP [--python X.Y] [--collect] [--json] [--leaks roots|suspect]`:
// loads a heap dump, prints its summary and, with --collect, what a full
// collection would do to it now — under the dump's own CPython, or another's.

import { Heap } from "../heap.js";
import { getProfile, type Profile } from "../profiles.js";
import { InvalidArgumentError, PygcsimError, UnknownVersionError } from "../errors.js";
import type { BuildKind } from "../wasm/engine.js";
import { forecastFullCollection, forecastText, summarizeLoad, summaryText, type CollectionForecast, type LoadSummary } from "./report.js";
import { parseDump } from "./dump.js";
import { BUILD_OPTION, UsageError, buildOption, clip, flag, str, type Command } from "../cli/command.js";

export interface LoadCommandOptions {
  python?: string;
  collect?: boolean;
  json?: boolean;
  leaks?: "roots" | "suspect";
  build?: BuildKind;
  /** Bound on the decompressed dump in MiB (--max-dump-mb; default 512). */
  maxDumpMb?: number;
}

export interface LoadCommandResult {
  summary: LoadSummary;
  /** Under the simulated profile (--collect). */
  collection?: CollectionForecast;
  /** Under the dump's own interpreter, when --python names another profile (--collect). */
  ownCollection?: CollectionForecast;
}

/** Runs the command; returns the exit status (malformed dumps throw DumpFormatError). */
export function loadCommand(file: string, options: LoadCommandOptions, out: (s: string) => void): number {
  if (options.leaks !== undefined && options.leaks !== "roots" && options.leaks !== "suspect") {
    throw new InvalidArgumentError(`--leaks must be roots or suspect, got ${options.leaks}`, "load");
  }
  let maxBytes: number | undefined;
  if (options.maxDumpMb !== undefined) {
    const mb = Number(options.maxDumpMb);
    if (!Number.isFinite(mb) || mb <= 0 || mb > 4096) throw new InvalidArgumentError(`--max-dump-mb must be a number of MiB in (0, 4096], got ${options.maxDumpMb}`, "load");
    maxBytes = Math.floor(mb * 1048576);
  }
  const dump = parseDump(file, undefined, { maxBytes });
  // the dump's own version may have no profile: --python then decides alone
  let own: Profile | null = null;
  try {
    own = getProfile(dump.header.python);
  } catch (e) {
    if (!(e instanceof PygcsimError)) throw e;
    if (!options.python) throw new UnknownVersionError(`${e.message}; the dump was made by Python ${dump.header.python}: choose a profile with --python X.Y`, "load");
  }
  const profile = options.python ? getProfile(options.python) : own!;
  const make = (python: string) => Heap.fromDump(dump, { python, build: options.build, leaks: options.leaks });
  const heap = make(profile.version);
  const result: LoadCommandResult = { summary: summarizeLoad(heap) };
  if (options.collect) {
    result.collection = forecastFullCollection(heap);
    if (own && profile.series !== own.series) result.ownCollection = forecastFullCollection(make(own.version));
  }
  if (options.json) {
    out(JSON.stringify(result));
    return 0;
  }
  for (const line of summaryText(result.summary)) out(line);
  if (result.collection) {
    out("");
    for (const line of forecastText(result.collection, `a full collection now under CPython ${result.collection.python}`)) out(line);
    if (result.ownCollection) {
      for (const line of forecastText(result.ownCollection, `the same under the dump's own CPython ${result.ownCollection.python}`)) out(line);
    }
  }
  return 0;
}

export const loadCommandSpec: Command = {
  name: "load",
  summary: "load a real Python heap dump; what a full collection would do to it",
  usage: ["load DUMP [--python X.Y] [--collect] [--json] [--leaks roots|suspect] [--max-dump-mb N]"],
  description: `Loads a real Python heap dumped by python/pygcsim_dump.py (docs/dump-format.md,
docs/real-heaps.md): objects by type, sizes, generations, refcounts explained
or external.`,
  options: {
    python: { type: "string", value: "X.Y", help: "simulate this CPython (default: the dump's own version)" },
    collect: { type: "boolean", help: "what a full collection would do now (under --python X.Y: what CPython X.Y would do with this heap)" },
    json: { type: "boolean", help: "one JSON object instead of the text" },
    leaks: { type: "string", value: "roots|suspect", help: "how unexplained references are treated: roots, or suspect leaks" },
    "max-dump-mb": { type: "string", value: "N", help: "the bound on the decompressed dump in MiB (default 512; at most 4096)" },
    build: BUILD_OPTION,
  },
  run(a, { out }) {
    if (a.positionals.length !== 1) throw new UsageError("load: give one DUMP file");
    const leaks = str(a, "leaks");
    if (leaks !== undefined && leaks !== "roots" && leaks !== "suspect") throw new UsageError(`--leaks must be roots or suspect, got ${clip(JSON.stringify(leaks))}`);
    const mb = str(a, "max-dump-mb");
    return loadCommand(a.positionals[0], {
      python: str(a, "python"), collect: flag(a, "collect"), json: flag(a, "json"),
      leaks, build: buildOption(a), maxDumpMb: mb !== undefined ? Number(mb) : undefined,
    }, out);
  },
};
