// What a pygcsim command is: each feature's cli.ts exports one (or more)
// Command objects; src/cli/main.ts only parses the options a command
// declares (node:util's parseArgs) and dispatches. A command's options are
// declared once, here in its object: the parser and its --help text both
// come from that declaration.

import { getProfile, PROFILES, type Profile } from "../profiles.js";
import { UsageError } from "./paths.js";

export { UsageError };

export interface OptionSpec {
  /** "string" options take a value (`--python 3.12` or `--python=3.12`); "boolean" ones take none. */
  type: "string" | "boolean";
  /** The value's placeholder in the help (`X.Y`, `FILE`). */
  value?: string;
  /** One line (or a few) for the command's --help. */
  help: string;
}

export interface CommandArgs {
  positionals: string[];
  /** By option name without dashes: a string for string options, true for given booleans. */
  values: Record<string, string | boolean | undefined>;
}

export interface CommandIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface Command {
  name: string;
  /** One line for `pygcsim --help`. */
  summary: string;
  /** Synopsis lines, without the leading `pygcsim `. */
  usage: string[];
  /** What the command does and prints, for `pygcsim COMMAND --help`. */
  description: string;
  options: Record<string, OptionSpec>;
  /** The exit status; user errors throw UsageError or a PygcsimError (exit 2). */
  run(args: CommandArgs, io: CommandIO): number | Promise<number>;
}

/** Options several commands share: one wording everywhere. */
export const PYTHON_OPTION: OptionSpec = { type: "string", value: "X.Y", help: "the CPython version to simulate (default 3.11)" };
export const PYTHONS_OPTION: OptionSpec = { type: "string", value: "X.Y[,X.Y...]|all", help: "the CPython versions to simulate (default 3.11); all = every profile" };
export const BUILD_OPTION: OptionSpec = { type: "string", value: "B", help: "engine build: release (default) or debug (checks invariants after every call)" };

/** Heaps of the demo and bench: wasm32's 4 GiB hold about 50 million objects (~80 bytes each with 4 references). */
export const MAX_OBJECTS = 20_000_000;

/** A user-given string in a message: one line, at most 120 characters. */
export function clip(s: string): string {
  const t = s.replace(/[\r\n]+/g, " ");
  return t.length > 120 ? t.slice(0, 117) + "..." : t;
}

/** A message on one line (a report or a wrapped error may span several). */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

export function str(a: CommandArgs, name: string): string | undefined {
  const v = a.values[name];
  return typeof v === "string" ? v : undefined;
}

export function flag(a: CommandArgs, name: string): boolean {
  return a.values[name] === true;
}

/** An integer option in [min, max], checked before any work; undefined when absent. */
export function intOption(a: CommandArgs, name: string, min: number, max: number): number | undefined {
  const raw = str(a, name);
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer in ${min.toLocaleString("en-US")}..${max.toLocaleString("en-US")}, got ${clip(JSON.stringify(raw))}`);
  }
  return n;
}

export function buildOption(a: CommandArgs): "release" | "debug" {
  const b = str(a, "build") ?? "release";
  if (b !== "release" && b !== "debug") throw new UsageError(`--build must be release or debug, got ${clip(JSON.stringify(b))}`);
  return b;
}

/** `--python X.Y[,X.Y...]|all` as profiles, each once (the same version twice would write and check its results twice). */
export function profilesOf(spec: string | undefined): Profile[] {
  if (spec === undefined) return [getProfile("3.11")];
  if (spec === "all") return [...PROFILES];
  const ps = spec.split(",").map((v) => getProfile(v));
  return ps.filter((x, i) => ps.indexOf(x) === i);
}

export function singleProfile(a: CommandArgs, cmd: string): Profile {
  const spec = str(a, "python");
  if (spec === "all" || spec?.includes(",")) throw new UsageError(`${cmd}: give one --python version`);
  return profilesOf(spec)[0];
}

export function noPositionals(a: CommandArgs, cmd: string): void {
  if (a.positionals.length) throw new UsageError(`${cmd}: unexpected ${clip(a.positionals[0])}`);
}
