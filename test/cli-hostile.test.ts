// The CLI on hostile and mistaken input (issue 9): every user error is exit
// status 2 with exactly one line on stderr, checked before any work; a
// --check gate never passes on a typo; numeric options and lab parameters
// are validated up front; output paths are checked before a sweep runs.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";

const root = join(import.meta.dirname, "..");
const cases = join(root, "test", "conformance", "cases");
const expected = join(root, "test", "conformance", "expected");
const made: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), "pygcsim-hostile-")); made.push(d); return d; };
afterAll(() => { for (const d of made) { chmodSync(d, 0o700); rmSync(d, { recursive: true, force: true }); } });

async function cli(...args: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const status = await main(args, (s) => out.push(...s.split("\n")), (s) => err.push(...s.split("\n")));
  return { status, out, err };
}

/** Exit 2, one stderr line (no stack trace), equal to `line` or matching it. */
async function userError(args: string[], line: string | RegExp): Promise<string[]> {
  const r = await cli(...args);
  expect(r.status).toBe(2);
  expect(r.err).toHaveLength(1);
  if (typeof line === "string") expect(r.err[0]).toBe(line);
  else expect(r.err[0]).toMatch(line);
  return r.out;
}

function scenarioFile(dir: string, name: string, ops: unknown[] | string): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, typeof ops === "string" ? ops : JSON.stringify({ name, description: "hostile", ops }));
  return f;
}

describe("scenario --check", () => {
  const file = join(cases, "fin_cycle_two.json");
  it("a missing directory is exit 2 naming it, for one version and for several", async () => {
    const missing = join(tmp(), "expectd");
    await userError(["scenario", file, "--python", "3.11,3.12", "--check", missing],
      `pygcsim scenario: --check ${missing}: no such directory (pygcsim scenario --help for usage)`);
    await userError(["scenario", file, "--check", missing], `pygcsim scenario: --check ${missing}: no such directory (pygcsim scenario --help for usage)`);
    // a file is not a directory of results either
    await userError(["scenario", file, "--check", file], /--check .*fin_cycle_two\.json: no such directory/);
  });

  it("a directory without any of the versions' folders is exit 2", async () => {
    const d = tmp();
    await userError(["scenario", file, "--python", "3.11,3.12", "--check", d],
      `pygcsim scenario: --check ${d} has no recorded results for any of the versions (expected folders like ${join(d, "3.11")}) (pygcsim scenario --help for usage)`);
  });

  it("a version named in --python without its folder fails its scenarios (exit 1); --python all skips it with a line", async () => {
    const r = await cli("scenario", file, "--python", "3.11,3.14.5", "--check", expected);
    expect(r.status).toBe(1);
    expect(r.out).toEqual([
      "pass 3.11 fin_cycle_two",
      `FAIL 3.14.5: no recorded results in ${join(expected, "3.14.5")} (1 scenario not checked)`,
      "1 passed, 1 failed",
    ]);
    const all = await cli("scenario", file, "--python", "all", "--check", expected);
    expect(all.status).toBe(0);
    expect(all.out.filter((l) => l.startsWith("skip"))).toEqual([
      `skip 3.14.0: no recorded results in ${join(expected, "3.14.0")}`,
      `skip 3.14.5: no recorded results in ${join(expected, "3.14.5")}`,
    ]);
    expect(all.out.at(-1)).toBe("11 passed, 0 failed");
  });

  it("a missing per-version result file fails (exit 1), it is not skipped", async () => {
    const d = tmp();
    mkdirSync(join(d, "3.11"));
    mkdirSync(join(d, "3.12"));
    writeFileSync(join(d, "3.11", "fin_cycle_two.json"), readFileSync(join(expected, "3.11", "fin_cycle_two.json")));
    const r = await cli("scenario", file, "--python", "3.11,3.12", "--check", d);
    expect(r.status).toBe(1);
    expect(r.out).toEqual(["pass 3.11 fin_cycle_two", `FAIL 3.12 fin_cycle_two: no recorded result ${join(d, "3.12", "fin_cycle_two.json")}`, "1 passed, 1 failed"]);
    const one = await cli("scenario", file, "--check", tmp());
    expect(one.status).toBe(1);
    expect(one.out.at(-1)).toBe("0 passed, 1 failed");
  });

  it("a recorded file that is not a result object is a difference, not a crash", async () => {
    const d = tmp();
    writeFileSync(join(d, "fin_cycle_two.json"), "null");
    const r = await cli("scenario", file, "--check", d);
    expect(r.status).toBe(1);
    expect(r.out[0]).toBe("FAIL fin_cycle_two: the recorded file is not a result object");
  });
});

describe("scenario: several malformed files", () => {
  it("one stderr line for the run (the first file's error, the others named); good files still run", async () => {
    const d = tmp();
    const a = scenarioFile(d, "a1", [{ op: "toString" }]);
    const b = scenarioFile(d, "b1", [{ op: "new", id: "x", type: "nope" }]);
    const r = await cli("scenario", a, b, join(cases, "fin_cycle_two.json"), "--python", "3.11,3.12");
    expect(r.status).toBe(2);
    expect(r.err).toEqual([`${a}: error: op 0: unknown op 'toString' (known: alive, chain, clear_garbage, collect, debug, del, deref, drop_resurrected, freeze, incref, is_finalized, is_tracked, new, probe, ref, revive, stats, unfreeze, unref, weakref) (and 1 more malformed file: ${b})`]);
    expect(r.out.filter((l) => l.startsWith(' "scenario"'))).toEqual([' "scenario": "fin_cycle_two"', ' "scenario": "fin_cycle_two"']);
  });
});

describe("inputs that are not regular files", () => {
  it.each(["scenario", "track"])("%s /dev/zero and a directory: exit 2 at once (it read /dev/zero until memory ran out)", async (cmd) => {
    const prefix = cmd === "scenario" ? "" : "pygcsim track: ";
    await userError([cmd, "/dev/zero"], `${prefix}/dev/zero: error: cannot read: not a regular file`);
    if (cmd === "track") await userError([cmd, cases], `pygcsim track: ${cases}: error: cannot read: not a regular file`);
  });

  it("lab merge /dev/zero", async () => {
    await userError(["lab", "merge", "/dev/zero"], "pygcsim lab merge: /dev/zero: not a lab report (not a regular file)");
    await userError(["lab", "--workload", "loaded-heap:dump=/dev/zero:requests=5"], "pygcsim lab: loaded-heap: /dev/zero is not a regular file");
  });
});

describe("an op the heap refuses at run time", () => {
  it("names the file and the op (it was a bare API message)", async () => {
    const d = tmp();
    const f = scenarioFile(d, "twoweak", [{ op: "new", id: "a", type: "obj" }, { op: "weakref", id: "w1", to: "a" }, { op: "weakref", id: "w2", to: "a" }]);
    const r = await cli("scenario", f);
    expect([r.status, r.err]).toEqual([2, [`${f}: error: op 2 (weakref): newWeakref: target 16 already has a callback-less weakref; CPython would return that same object`]]);
    await userError(["track", f], `pygcsim track: ${f}: error: op 2 (weakref): newWeakref: target 16 already has a callback-less weakref; CPython would return that same object`);
  });
});

describe("scenarios of millions of objects", () => {
  const d = tmp();
  const ops = [0, 1, 2, 3].flatMap((i) => [{ op: "chain", id: `r${i}`, type: "list", length: 1_000_000, to: `r${i}` }]);
  const f = scenarioFile(d, "big4", [...ops, { op: "del", id: "r0" }, { op: "collect" }]);
  it("track and graph refuse more than 1,000,000 objects up front (the JS heap ran out: a fatal crash)", async () => {
    await userError(["track", f], `pygcsim track: ${f}: error: track: the scenario creates 4,000,000 objects; the tracker classifies at most 1,000,000 (pygcsim scenario runs it)`);
    await userError(["graph", f, "--around", "r1"], `pygcsim graph: ${f}: error: graph: the scenario creates 4,000,000 objects; graph indexes at most 1,000,000 (pygcsim scenario runs it)`);
  });

  it("scenario runs them; chain members keep their names (r0.1 …) without a map entry each", async () => {
    const r = await cli("scenario", f);
    expect(r.status).toBe(0);
    const events = JSON.parse(r.out.join("\n")).events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ collect: 2, returned: 1_000_000, garbage: [], op: 5 });
  });
});

describe("schedule --check", () => {
  const recorded = join(root, "test", "schedule", "expected", "3.11", "small-cycles.json");
  it("not a directory, or no recording for the request: exit 2", async () => {
    await userError(["schedule", "small-cycles", "--check", recorded], `pygcsim schedule: --check ${recorded}: no such directory`);
    await userError(["schedule", "--field", "--check", join(tmp(), "nope")], /^pygcsim schedule: --check .*nope: no such directory$/);
    const d = tmp();
    await userError(["schedule", "small-cycles", "--check", d], `pygcsim schedule: --check ${d}: no recorded result for small-cycles (expected ${join(d, "<X.Y>", "small-cycles.json")})`);
  });

  it("a recording that is not an object is exit 2; a named workload without a recording fails (exit 1)", async () => {
    const d = tmp();
    mkdirSync(join(d, "3.11"));
    writeFileSync(join(d, "3.11", "tuple-growth.json"), "null");
    await userError(["schedule", "tuple-growth", "--check", d], `pygcsim schedule: ${join(d, "3.11", "tuple-growth.json")}: not a recorded schedule (not a JSON object)`);
    writeFileSync(join(d, "3.11", "small-cycles.json"), readFileSync(recorded));
    const r = await cli("schedule", "small-cycles,useless-full", "--check", d);
    expect(r.status).toBe(1);
    expect(r.out.slice(1)).toEqual([`FAIL useless-full: no recorded result in ${d}`, "1 passed, 1 failed"]);
  });
});

describe("names from Object.prototype and deep nesting", () => {
  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"])("op %s is an unknown op, exit 2", async (op) => {
    const d = tmp();
    const f = scenarioFile(d, "protoop", [{ op: "new", id: "a", type: "obj" }, { op }]);
    // scenario keeps runner.py's wording (no prefix); the other commands say pygcsim <command>:
    for (const [cmd, prefix] of [["scenario", ""], ["track", "pygcsim track: "]]) {
      await userError([cmd, f], new RegExp(`^${prefix}${f.replace(/[.\\]/g, "\\$&")}: error: op 1: unknown op '${op}' \\(known: alive, chain,`));
    }
    await userError(["graph", f, "--around", "a"], /error: op 1: unknown op/);
  });

  it("object names and a type from Object.prototype", async () => {
    const d = tmp();
    const f = scenarioFile(d, "protonames", [
      { op: "new", id: "constructor", type: "list" }, { op: "new", id: "__proto__", type: "obj" },
      { op: "ref", from: "constructor", to: "__proto__" }, { op: "ref", from: "__proto__", to: "constructor" },
      { op: "del", id: "constructor" }, { op: "del", id: "__proto__" }, { op: "collect" },
    ]);
    const r = await cli("scenario", f);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out.join("\n")).events).toEqual([{ collect: 2, garbage: [], op: 6, returned: 2 }]);
    const t = await cli("track", f, "--json");
    expect(JSON.parse(t.out.at(-1)!).collected).toEqual(["constructor", "__proto__"]);
    const bad = scenarioFile(d, "prototype", [{ op: "new", id: "a", type: "toString" }]);
    await userError(["scenario", bad], /op 0 \(new\): bad type 'toString' \(one of: obj, fin, list, dict, tuple, int, str\)$/);
    const field = scenarioFile(d, "protofield", [{ op: "new", id: "a", type: "obj", constructor: 1 }]);
    await userError(["scenario", field], /op 0 \(new\): unknown field 'constructor'$/);
    const proto = scenarioFile(d, "protokey", '{"name":"protokey","description":"x","ops":[{"op":"new","id":"a","type":"obj","__proto__":{"x":1}}]}');
    await userError(["scenario", proto], /op 0 \(new\): unknown field '__proto__'$/);
  });

  it("a field nested 100,000 deep: the op, the field's value and a comment", async () => {
    const d = tmp();
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const op = scenarioFile(d, "deepop", `{"name":"deepop","description":"x","ops":[{"op":${deep}}]}`);
    await userError(["scenario", op], `${op}: error: op 0: unknown op [[[[[[[[[...]]]]]]]]] (known: alive, chain, clear_garbage, collect, debug, del, deref, drop_resurrected, freeze, incref, is_finalized, is_tracked, new, probe, ref, revive, stats, unfreeze, unref, weakref)`);
    const value = scenarioFile(d, "deepvalue", `{"name":"deepvalue","description":"x","ops":[{"op":"new","id":"a","type":"int","value":${deep}}]}`);
    await userError(["track", value], `pygcsim track: ${value}: error: op 0 (new): "value" of an int must be an integer`);
    const comment = scenarioFile(d, "deepcomment", `{"name":"deepcomment","description":"x","ops":[{"op":"new","id":"a","type":"obj","comment":${deep}}]}`);
    expect((await cli("scenario", comment)).status).toBe(0);
    const items = scenarioFile(d, "deepitems", `{"name":"deepitems","description":"x","ops":[{"op":"new","id":"a","type":"tuple","items":[${deep}]}]}`);
    await userError(["scenario", items], /op 0 \(new\): tuple items must be names or integers, got \[{9}\.\.\.\]{9}$/);
  });

  it("a huge string in a message is cut to a readable line", async () => {
    const d = tmp();
    const f = scenarioFile(d, "hugename", [{ op: "x".repeat(1_000_000) }]);
    const [line] = (await cli("scenario", f)).err;
    expect(line.length).toBeLessThan(600);
    expect(line).toContain("unknown op 'xxx");
  });
});

describe("numeric options are checked before any work", () => {
  it.each([
    [["demo", "--n", "1e12"], "--n must be an integer in 1..20,000,000, got \"1e12\""],
    [["demo", "--n", "0"], "--n must be an integer in 1..20,000,000, got \"0\""],
    [["demo", "--n", "1.5"], "--n must be an integer in 1..20,000,000, got \"1.5\""],
    [["demo", "--n", "0x10"], "--n must be an integer in 1..20,000,000, got \"0x10\""],
    [["bench", "shape", "--n", "-3"], "--n must be an integer in 1..20,000,000, got \"-3\""],
    [["bench", "shape", "--reps", "NaN"], "--reps must be an integer in 1..1,000, got \"NaN\""],
    [["lab", "--seed", "4294967296"], "--seed must be an integer in 0..4,294,967,295, got \"4294967296\""],
    [["lab", "--jobs", "Infinity"], "--jobs must be an integer in 1..256, got \"Infinity\""],
    [["track", join(cases, "incref_leak.json"), "--max", "-1"], "--max must be an integer in 0..1,000,000, got \"-1\""],
    [["graph", join(cases, "incref_leak.json"), "--around", "a", "--depth", "1e400"], "--depth must be an integer in 0..1,000, got \"1e400\""],
    [["graph", join(cases, "incref_leak.json"), "--around", "a", "--at", "-1"], "--at must be an integer in 0..2,147,483,647, got \"-1\""],
    [["graph", join(cases, "incref_leak.json"), "--around", "a", "--max-nodes", "0"], "--max-nodes must be an integer in 1..100,000, got \"0\""],
  ])("%j", async (args, message) => {
    const out = await userError(args, `pygcsim ${args[0]}: ${message} (pygcsim ${args[0]} --help for usage)`);
    expect(out).toEqual([]); // nothing ran: the demo printed no line
  });

  it("an unknown --python for the demo fails before its first line", async () => {
    const out = await userError(["demo", "--python", "9.9"], /^pygcsim demo: no profile for Python "9\.9"; known: 2\.7, /);
    expect(out).toEqual([]);
  });

  it("options a command does not take, and bad enumerations, are usage errors", async () => {
    await userError(["track", join(cases, "incref_leak.json"), "--n", "5"], "pygcsim track takes no option --n (pygcsim track --help for usage)");
    await userError(["scenario", join(cases, "incref_leak.json"), "--build", "fast"], "pygcsim scenario: --build must be release or debug, got \"fast\" (pygcsim scenario --help for usage)");
    await userError(["bench", "shape", "--shape", "ring"], "pygcsim bench: --shape must be one of reach, garbage, dlist, tree, young, auto, got \"ring\" (pygcsim bench --help for usage)");
    await userError(["frobnicate"], "pygcsim: unknown command frobnicate (pygcsim --help for usage)");
    await userError(["--bogus"], "pygcsim: unknown option --bogus (pygcsim --help for usage)");
    const none = await cli();
    expect([none.status, none.err]).toEqual([2, ["pygcsim: give a command (usage above)"]]);
    expect(none.out[0]).toMatch(/^pygcsim — /);
  });
});

describe("lab parameters and policies", () => {
  it.each([
    ["web-service:requests=-5", "workload web-service: requests=-5 is out of range (an integer in 1..10,000,000)"],
    ["web-service:requests=0", "workload web-service: requests=0 is out of range (an integer in 1..10,000,000)"],
    ["web-service:burst=2.5", "workload web-service: burst=2.5 is out of range (an integer in 3..100,000)"],
    ["web-service:requests=1e12", "workload web-service: requests=1000000000000 is out of range (an integer in 1..10,000,000)"],
    ["web-service:requests=", "workload web-service: requests= is not a number"],
    ["web-service:requests=10|-1", "workload web-service: requests=-1 is out of range (an integer in 1..10,000,000)"],
    ["random-graphs:degree=17", "workload random-graphs: degree=17 is out of range (an integer in 0..16)"],
    ["random-graphs:garbagePercent=101", "workload random-graphs: garbagePercent=101 is out of range (a number in 0..100)"],
    ["request-loop:keep=2", "workload request-loop: keep=2 is out of range (a number in 0..1)"],
    ["web-service:constructor=5", "workload web-service has no parameter constructor (known: requests, burst, cycleEvery, cacheEvery, cacheSize, size)"],
    ["web-service:__proto__=5", "workload web-service has no parameter __proto__ (known: requests, burst, cycleEvery, cacheEvery, cacheSize, size)"],
    ["toString", /^lab: unknown workload toString \(known: web-service, /],
    ["web-service:requests=1..1000000+1", "sweep requests=1..1000000+1 has more than 1,000 values"],
    ["web-service:requests=1..1000+1:burst=3..1000+1", "web-service: the sweeps make more than 100,000 combinations"],
  ])("--workload %s", async (w, message) => {
    await userError(["lab", "--workload", w], typeof message === "string" ? `pygcsim lab: ${message}` : new RegExp(`^pygcsim ${message.source.slice(1)}`));
  });

  it("a plan of more than 1,000,000 runs is refused before it is built", async () => {
    await userError(["lab", "--workload", "web-service:requests=1..1000+1:burst=3..102+1", "--policy", "fixed:threshold0=1..11+1"],
      "pygcsim lab: the sweep makes 1,100,000 runs, more than 1,000,000");
  });

  it.each([
    ["fixed:threshold0=-1", "policy fixed: threshold0=-1 is out of range (an integer in 0..2,147,483,647)"],
    ["memory:limitKiB=0", "policy memory: limitKiB=0 is out of range (a number in 0.001..4,194,304)"],
    ["incremental:rate=0", "policy incremental: rate=0 is out of range (an integer in 1..2,147,483,647)"],
    ["user-example:growthPercent=-1", "policy user-example: growthPercent=-1 is out of range (a number in 0..1,000,000)"],
  ])("--policy %s", async (p, message) => {
    await userError(["lab", "--policy", p], `pygcsim lab: ${message}`);
  });

  it("the incremental policy is 3.14's collector: refused under another version, whether by --python or python=", async () => {
    const msg = (v: string) => `pygcsim lab: policy incremental is CPython 3.14's incremental collector (Python 3.14.0–3.14.4: --python 3.14.0 or 3.14); it cannot run under Python ${v} (without --python it runs under 3.14.2)`;
    await userError(["lab", "--policy", "incremental", "--python", "3.12"], msg("3.12.1"));
    await userError(["lab", "--policy", "cpython,incremental", "--python", "3.14,3.14.5"], msg("3.14.5"));
    await userError(["lab", "--policy", "incremental:python=3.15"], msg("3.15.0"));
    const list = await cli("lab", "list");
    expect(list.out).toContain("      runs only under CPython 3.14's incremental collector (Python 3.14.0–3.14.4: --python 3.14.0 or 3.14)");
    expect(list.out).toContain("      requests=5000 (size=small 2000, medium 20000, large 200000)  requests served [integer 1..10,000,000]");
  });

  it("the incremental policy runs under the --python given when it is 3.14.0", async () => {
    const d = tmp();
    const r = await cli("lab", "--workload", "web-service:requests=50", "--policy", "incremental", "--python", "3.14.0", "--json", join(d, "r.json"));
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(d, "r.json"), "utf8")).runs.map((x: { python: string }) => x.python)).toEqual(["3.14.0"]);
  });

  it("lab merge: a file that is not a report, or holds malformed runs, is exit 2", async () => {
    const d = tmp();
    writeFileSync(join(d, "a.json"), JSON.stringify({ version: 1, runs: [1] }));
    await userError(["lab", "merge", join(d, "a.json")], `pygcsim lab merge: ${join(d, "a.json")}: runs[0] is not a lab run`);
    writeFileSync(join(d, "b.json"), "null");
    await userError(["lab", "merge", join(d, "b.json")], `pygcsim lab merge: ${join(d, "b.json")}: not a lab report (version 1 with runs)`);
  });
});

describe("output paths are checked before any work", () => {
  const scn = join(cases, "incref_leak.json");
  // a sweep that would run for a long time: the error must come before it starts
  const sweep = ["lab", "--workload", "web-service:requests=10000000", "--policy", "fixed:threshold0=100..100000*2"];

  it("a missing parent directory", async () => {
    const d = join(tmp(), "no", "such");
    await userError([...sweep, "--json", join(d, "r.json")], `pygcsim lab: --json ${join(d, "r.json")}: directory ${d} does not exist (pygcsim lab --help for usage)`);
    await userError(["graph", scn, "--around", "a", "--out", join(d, "g.svg")], `pygcsim graph: --out ${join(d, "g.svg")}: directory ${d} does not exist (pygcsim graph --help for usage)`);
  });

  it("a directory where a file is expected, a file where a directory is expected", async () => {
    const d = tmp();
    const f = join(d, "file.txt");
    writeFileSync(f, "x");
    await userError([...sweep, "--json", d], `pygcsim lab: --json ${d}: is a directory (give a file name) (pygcsim lab --help for usage)`);
    await userError([...sweep, "--svg", f], `pygcsim lab: --svg ${f}: is a file, not a directory (pygcsim lab --help for usage)`);
    await userError(["scenario", scn, "--out", f], `pygcsim scenario: --out ${f}: is a file, not a directory (pygcsim scenario --help for usage)`);
    await userError([...sweep, "--svg", join(f, "sub")], new RegExp(`^pygcsim lab: --svg ${join(f, "sub")}: cannot create the directory \\((ENOTDIR|EEXIST): `));
    await userError(["graph", scn, "--around", "a", "--out", join(f, "g.svg")], `pygcsim graph: --out ${join(f, "g.svg")}: ${f} is not a directory (pygcsim graph --help for usage)`);
    await userError(["lab", "merge", "whatever.json", "--json", d], `pygcsim lab: --json ${d}: is a directory (give a file name) (pygcsim lab --help for usage)`);
    expect(readFileSync(f, "utf8")).toBe("x");
  });

  it("a place nobody may write (even root): /proc", async () => {
    await userError([...sweep, "--json", "/proc/pygcsim.json"], /^pygcsim lab: --json \/proc\/pygcsim\.json: cannot write \((ENOENT|EACCES|EROFS|EPERM): /);
    await userError([...sweep, "--svg", "/proc/pygcsim-svg"], /^pygcsim lab: --svg \/proc\/pygcsim-svg: cannot create the directory \((ENOENT|EACCES|EROFS|EPERM): /);
  });

  it.skipIf(process.getuid?.() === 0)("a directory without write permission", async () => {
    const d = tmp();
    chmodSync(d, 0o500);
    await userError([...sweep, "--json", join(d, "r.json")], /cannot write \(EACCES: permission denied\)/);
    await userError([...sweep, "--svg", d], /cannot write in the directory \(EACCES: permission denied\)/);
    chmodSync(d, 0o700);
  });

  it("the probe leaves nothing behind, and an existing file is not truncated before the run", async () => {
    const d = tmp();
    writeFileSync(join(d, "keep.json"), "old");
    await userError(["lab", "--workload", "nosuchworkload", "--json", join(d, "new.json")], /unknown workload nosuchworkload/);
    // the directories made to probe --svg are removed when the run fails later
    await userError(["lab", "--workload", `loaded-heap:dump=${join(d, "nodump")}:requests=5`, "--svg", join(d, "a", "b")], /loaded-heap: no dump file/);
    await userError(["lab", "merge", join(d, "keep.json"), "--svg", join(d, "c", "d")], /keep\.json: not a lab report/);
    await userError(["graph", scn, "--around", "zz", "--out", join(d, "keep.json")], /no object is named 'zz'/);
    expect(readdirSync(d)).toEqual(["keep.json"]);
    expect(readFileSync(join(d, "keep.json"), "utf8")).toBe("old");
    const r = await cli("scenario", scn, "--python", "3.11,3.12", "--out", join(d, "results"));
    expect(r.status).toBe(0);
    expect(readdirSync(join(d, "results")).sort()).toEqual(["3.11", "3.12"]);
  });
});

describe("the real process", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin", "pygcsim.js"), ...args], { encoding: "utf8" });

  it("user errors: exit 2, one line on stderr, no stack trace", () => {
    const d = tmp();
    const f = scenarioFile(d, "protoop", [{ op: "constructor" }]);
    for (const args of [["scenario", f], ["demo", "--n", "1e12"], ["lab", "--workload", "web-service:requests=-5"], ["scenario", f, "--check", join(d, "nope"), "--python", "3.11,3.12"]]) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
      expect(r.stderr).not.toContain("    at ");
    }
  });

  it("a reader that closes the pipe early: no EPIPE stack trace, the run's own exit status", () => {
    const bin = join(root, "bin", "pygcsim.js");
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${bin}" scenario "${cases}" --python all 2>&1 >/dev/stdout | head -c 1 >/dev/null; echo "exit \${PIPESTATUS[0]}"`], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe("exit 0");
  });

  it("track docs/graph-example.json works (it threw a TypeError)", () => {
    const r = run("track", join(root, "docs", "graph-example.json"));
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toContain("  1: list leaky → obj c3  (refcount 1, 1 leaked reference)");
  });
});
