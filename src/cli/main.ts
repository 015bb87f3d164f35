// The pygcsim command line: a registry of commands (each feature's cli.ts
// declares its own: name, options, help, run) and a dispatcher. Exit status:
// 0 success, 1 a result differs from the recorded one, 2 malformed input or
// usage (one line on stderr, never a stack trace), 70 an internal error (a
// bug in pygcsim: one line saying so).

import "../node-host.js"; // the engine and dumps read from disk
import { readFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { packagePath } from "../package-root.js";
import { PygcsimError, SimulatorTrapError } from "../errors.js";
import { UsageError, clip, oneLine, type Command } from "./command.js";
import { benchCommand, demoCommand, profilesCommand } from "./builtin.js";
import { scenarioCommand } from "../scenario/cli.js";
import { loadCommandSpec } from "../load/cli.js";
import { trackCommand } from "../tracker/cli.js";
import { graphCommand } from "../graph/cli.js";
import { scheduleCommandSpec } from "../schedule/cli.js";
import { labCommand } from "../lab/cli.js";
import { exploreCommand } from "../explore/cli.js";

/** Every command, in the order `pygcsim --help` lists them. */
export const COMMANDS: readonly Command[] = [
  demoCommand, scenarioCommand, profilesCommand, benchCommand, loadCommandSpec, trackCommand, graphCommand, scheduleCommandSpec, labCommand, exploreCommand,
];


const FOOTER = `Output files and directories (--out, --json FILE, --svg DIR) are checked
before any work. Exit status: 0 success; 1 a result differs from the recorded
one (--check); 2 bad input or usage (one line on stderr); 70 an internal error,
i.e. a bug in pygcsim (one line on stderr saying so).`;

/** `pygcsim --help`: every command with its one-line summary. */
export function overallHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    "pygcsim — CPython's object release, simulated",
    "",
    "usage: pygcsim COMMAND [ARGS...] [OPTIONS...]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "pygcsim COMMAND --help (or pygcsim help COMMAND) shows a command's arguments and options;",
    "pygcsim --version the version. Documentation: README.md and docs/.",
    "",
    FOOTER,
  ].join("\n");
}

/** `pygcsim COMMAND --help`: its synopsis, what it does and its options, from its declaration. */
export function commandHelp(c: Command): string {
  const rows = Object.entries(c.options).map(([name, o]) => [`--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`, o.help]);
  rows.push(["-h, --help", "this text"]);
  const width = Math.min(28, Math.max(...rows.map((r) => r[0].length)) + 2);
  const option = ([left, help]: string[]) => left.length + 2 > width
    ? `  ${left}\n  ${" ".repeat(width)}${help}` : `  ${left.padEnd(width)}${help}`;
  return [
    `pygcsim ${c.name} — ${c.summary}`,
    "",
    "usage:",
    // a continuation line (leading spaces) lines up under the arguments
    ...c.usage.map((u) => (u.startsWith(" ") ? `          ${u}` : `  pygcsim ${u}`)),
    "",
    c.description,
    "",
    "options:",
    ...rows.map(option),
    "",
    FOOTER,
  ].join("\n");
}

/** package.json's version (the package root's: src/package-root.ts). */
export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { name?: string; version?: string };
    return pkg.name === "pygcsim" && pkg.version ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * parseArgs reads `--n -3` as an option without its value; the commands
 * take negative numbers and names that begin with "-" as values (and reject
 * them with their own message), so a value is joined to its option first.
 */
function joinValues(c: Command, argv: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") { joined.push(...argv.slice(i)); break; }
    const name = a.startsWith("--") && !a.includes("=") ? a.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && c.options[name]?.type === "string" && next !== undefined && !/^--[^-]/.test(next) && next !== "-h") {
      joined.push(`${a}=${next}`);
      i++;
    } else joined.push(a);
  }
  return joined;
}

/** The option a parseArgs error names ("Unknown option '--x'", "Option '--python <value>' argument missing"). */
function optionIn(message: string): string {
  return clip(/'(-[^' ]*)/.exec(message)?.[1] ?? "?");
}

function parseCommand(c: Command, argv: string[]): { positionals: string[]; values: Record<string, string | boolean | undefined>; help: boolean } {
  const options: ParseArgsConfig["options"] = { help: { type: "boolean", short: "h" } };
  for (const [name, o] of Object.entries(c.options)) options[name] = { type: o.type };
  try {
    const { values, positionals } = parseArgs({ args: joinValues(c, argv), options, strict: true, allowPositionals: true });
    const { help, ...rest } = values as Record<string, string | boolean | undefined>;
    return { positionals, values: rest, help: help === true };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const message = (e as Error).message ?? "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`${c.name} takes no option ${optionIn(message)}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const opt = optionIn(message);
      if (/does not take an argument/.test(message)) throw new UsageError(`${c.name}: ${opt} takes no value`);
      throw new UsageError(`${c.name}: ${opt} needs a value`);
    }
    throw e;
  }
}

/**
 * Runs the CLI: the exit status is returned, never thrown. out/err receive
 * whole lines (bin/pygcsim.js passes stdout and stderr; tests capture them).
 */
export async function main(argv: string[], out: (line: string) => void = (s) => process.stdout.write(s + "\n"),
  err: (line: string) => void = (s) => process.stderr.write(s + "\n")): Promise<number> {
  // once the command is known, every error line names it: "pygcsim lab: …"
  let command: string | undefined;
  const who = () => (command ? `pygcsim ${command}` : "pygcsim");
  /** The line for a message: a message that starts with the command's own name ("lab merge: …") is not prefixed twice. */
  const line = (message: string) => {
    const m = oneLine(message);
    return command && (m.startsWith(`${command}: `) || m.startsWith(`${command} `)) ? `pygcsim ${m}` : `${who()}: ${m}`;
  };
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      out(overallHelp());
      err("pygcsim: give a command (usage above)");
      return 2;
    }
    if (first === "--help" || first === "-h" || first === "help") {
      const named = rest.find((a) => !a.startsWith("-"));
      if (named === undefined) { out(overallHelp()); return 0; }
      const c = COMMANDS.find((x) => x.name === named);
      if (!c) throw new UsageError(`unknown command ${clip(named)}`);
      out(commandHelp(c));
      return 0;
    }
    if (first === "--version") {
      out(`pygcsim ${version()}`);
      return 0;
    }
    if (first.startsWith("-")) throw new UsageError(`unknown option ${clip(first.split("=")[0])}`);
    const c = COMMANDS.find((x) => x.name === first);
    if (!c) throw new UsageError(`unknown command ${clip(first)}`);
    command = c.name;
    const parsed = parseCommand(c, rest);
    if (parsed.help) {
      out(commandHelp(c));
      return 0;
    }
    return await c.run({ positionals: parsed.positionals, values: parsed.values }, { out, err });
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${line(e.message)} (${who()} --help for usage)`);
      return 2;
    }
    if (e instanceof SimulatorTrapError) {
      err(`${who()}: internal error (a bug in pygcsim, please report it with the command line): ${oneLine(e.message)}`);
      return 70;
    }
    if (e instanceof PygcsimError) {
      err(line(e.message));
      return 2;
    }
    // recursion deeper than the stack, a string or buffer past V8's limits: the input is too big, not a bug
    if (e instanceof RangeError && /call stack|string length|Array buffer allocation|Invalid array length/i.test(e.message)) {
      err(`${who()}: ${inputsOf(argv)}: too large or too deeply nested to process (${oneLine(e.message)})`);
      return 2;
    }
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    err(`${who()}: internal error (a bug in pygcsim, please report it with the command line): ${oneLine(what)}`);
    return 70;
  }
}

/** The positional arguments that name input files, for messages about input too large to process. */
function inputsOf(argv: string[]): string {
  const files = argv.filter((a) => !a.startsWith("-") && /[./\\]/.test(a));
  return files.length ? files.map(clip).join(", ") : "the input";
}
