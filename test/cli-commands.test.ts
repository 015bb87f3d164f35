// The command registry (src/cli/main.ts's COMMANDS): every command has its
// own --help built from its declared options, `pygcsim --version` is
// package.json's, and an option a command does not declare, a missing value
// or a value given to a flag is one stderr line naming the command and the
// option (exit 2) before any work.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS, main } from "../src/cli/main.js";

const root = join(import.meta.dirname, "..");

async function cli(...args: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const status = await main(args, (s) => out.push(...s.split("\n")), (s) => err.push(...s.split("\n")));
  return { status, out, err };
}

const names = COMMANDS.map((c) => c.name);

describe("the command registry", () => {
  it("holds every command, once", () => {
    expect(names).toEqual(["demo", "scenario", "profiles", "bench", "load", "track", "graph", "schedule", "lab", "explore"]);
  });

  it("pygcsim --help, -h and help list every command with its summary", async () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const r = await cli(...args);
      expect([r.status, r.err]).toEqual([0, []]);
      expect(r.out[0]).toBe("pygcsim — CPython's object release, simulated");
      for (const c of COMMANDS) expect(r.out).toContain(`  ${c.name.padEnd(10)}${c.summary}`);
    }
  });

  it.each(names)("pygcsim %s --help: its usage and every option it declares", async (name) => {
    const c = COMMANDS.find((x) => x.name === name)!;
    const r = await cli(name, "--help");
    expect([r.status, r.err]).toEqual([0, []]);
    expect(r.out[0]).toBe(`pygcsim ${name} — ${c.summary}`);
    expect(r.out).toContain(`  pygcsim ${c.usage[0]}`);
    for (const [opt, o] of Object.entries(c.options)) {
      expect(r.out.some((l) => l.trimStart().startsWith(`--${opt}${o.type === "string" ? " " : ""}`)), `--${opt}`).toBe(true);
    }
    expect(r.out.some((l) => /^  -h, --help +this text$/.test(l))).toBe(true);
    // the same text from `-h`, `help NAME`, and after other arguments
    expect((await cli(name, "-h")).out).toEqual(r.out);
    expect((await cli("help", name)).out).toEqual(r.out);
    expect((await cli(name, "whatever.json", "--help")).out).toEqual(r.out);
  });

  it("no help text points at ../shared (a user's clone has no such folder)", async () => {
    for (const args of [["--help"], ...names.map((n) => [n, "--help"])]) {
      expect((await cli(...args)).out.join("\n")).not.toContain("../shared");
    }
  });

  it("every file a help text names exists (docs/…, python/…, test/…)", async () => {
    for (const args of [["--help"], ...names.map((n) => [n, "--help"])]) {
      const help = (await cli(...args)).out.join("\n");
      for (const m of help.matchAll(/\b(?:docs|python|test|src)\/[\w./-]*\w/g)) expect(existsSync(join(root, m[0])), `${args[0]}: ${m[0]}`).toBe(true);
    }
  });

  it("pygcsim --version prints package.json's version", async () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(await cli("--version")).toEqual({ status: 0, out: [`pygcsim ${pkg.version}`], err: [] });
  });

  it.each(names)("%s: an option it does not take is exit 2, one line naming the command and the option", async (name) => {
    const r = await cli(name, "--frobnicate", "1");
    expect([r.status, r.out, r.err]).toEqual([2, [], [`pygcsim ${name} takes no option --frobnicate (pygcsim ${name} --help for usage)`]]);
  });

  it.each(COMMANDS.flatMap((c) => Object.entries(c.options).filter(([, o]) => o.type === "string").map(([opt]) => [c.name, opt])))(
    "%s --%s without its value: exit 2, one line", async (name, opt) => {
      const r = await cli(name, `--${opt}`);
      expect([r.status, r.out, r.err]).toEqual([2, [], [`pygcsim ${name}: --${opt} needs a value (pygcsim ${name} --help for usage)`]]);
    });

  it.each(COMMANDS.flatMap((c) => Object.entries(c.options).filter(([, o]) => o.type === "boolean").map(([opt]) => [c.name, opt])))(
    "%s --%s=x (a flag given a value): exit 2, one line", async (name, opt) => {
      const r = await cli(name, `--${opt}=x`);
      expect([r.status, r.out, r.err]).toEqual([2, [], [`pygcsim ${name}: --${opt} takes no value (pygcsim ${name} --help for usage)`]]);
    });

  it("--json takes a FILE after lab and is a flag after track, load, bench and schedule", () => {
    const lab = COMMANDS.find((c) => c.name === "lab")!;
    expect(lab.options.json.type).toBe("string");
    for (const n of ["track", "load", "bench", "schedule"]) expect(COMMANDS.find((c) => c.name === n)!.options.json.type).toBe("boolean");
  });

  it("a negative number is read as the option's value (and refused by the option's own check)", async () => {
    const r = await cli("lab", "--seed", "-1");
    expect([r.status, r.err]).toEqual([2, ["pygcsim lab: --seed must be an integer in 0..4,294,967,295, got \"-1\" (pygcsim lab --help for usage)"]]);
  });

  it("an option written with = works as the separate form does", async () => {
    const a = await cli("profiles");
    const b = await cli("demo", "--n=0");
    expect(a.status).toBe(0);
    expect([b.status, b.err]).toEqual([2, ["pygcsim demo: --n must be an integer in 1..20,000,000, got \"0\" (pygcsim demo --help for usage)"]]);
  });

  it("help for an unknown command is exit 2", async () => {
    expect(await cli("help", "frobnicate")).toEqual({ status: 2, out: [], err: ["pygcsim: unknown command frobnicate (pygcsim --help for usage)"] });
  });
});
