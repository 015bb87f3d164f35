// What an opened file is, by its content — a heap dump (gzip, or the
// dumper's "pygcsim-dump" header line), a scenario (has "ops"), a lab report
// (has "runs") — once for the CLI (`pygcsim explore FILE`) and the page
// (*Open…*). Browser-safe.

import { InvalidArgumentError } from "../errors.js";
import { DUMP_FORMAT, isGzip } from "../load/dump.js";

export type Opened = { kind: "dump" } | { kind: "scenario" | "lab"; json: unknown };

const DUMP_HEADER = new RegExp(`^\\s*\\{\\s*"format"\\s*:\\s*"${DUMP_FORMAT}"`);

/** The file's kind, and the parsed JSON of a scenario or lab report; InvalidArgumentError naming `name` otherwise. */
export function classify(bytes: Uint8Array, name: string): Opened {
  if (isGzip(bytes)) return { kind: "dump" }; // the dumper writes .jsonl.gz
  const text = new TextDecoder().decode(bytes);
  if (DUMP_HEADER.test(text)) return { kind: "dump" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError(`${name}: neither a heap dump nor JSON (${(e as Error).message.slice(0, 120)})`, "explore");
  }
  if (json && typeof json === "object" && "ops" in json) return { kind: "scenario", json };
  if (json && typeof json === "object" && "runs" in json) return { kind: "lab", json };
  throw new InvalidArgumentError(`${name}: a JSON file that is neither a scenario (with "ops") nor a lab report (with "runs")`, "explore");
}
