// Scenario mutation fuzzer through the CLI (issue 9). Seeded: the conformance
// scenarios are mutated (ops deleted, duplicated, swapped; op names replaced by
// random strings and Object.prototype names; field values of the wrong type,
// huge, negative, fractional, 2**32+k; deep nesting; truncated JSON, non-UTF-8
// bytes, empty files …) and each mutant runs through `scenario`, `track` and
// `graph`, in process. Required of every run: exit status 0, 1 or 2 (never 70,
// an internal error); on exit 2 exactly one line on stderr; never a stack
// trace. A mutant that takes longer than HANG_MS is reported as a hang (a
// generous bound: mutants take milliseconds). A handful also run through the
// real process (bin/pygcsim.js) to check its exit status and stderr, and
// random command lines (every command, known and unknown options, hostile
// values) must meet the same rules. Scenario runs use --check on the
// recorded results now and then, so exit 1 is exercised too.
//
// `npm test` runs a bounded slice (SLICE mutants, 60 command lines, ~3 s);
// PYGCSIM_FUZZ_LONG=1 runs the long form (LONG_COUNT mutants, 1,000 command
// lines) and prints the figures (exit codes per command, failures).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { mulberry32 } from "./helpers/util.js";

const LONG = process.env.PYGCSIM_FUZZ_LONG === "1";
const SLICE = 200, LONG_COUNT = 5000, SPAWNED = LONG ? 40 : 6, ARGV_COUNT = LONG ? 1000 : 60;
const HANG_MS = 20_000;
const root = join(import.meta.dirname, "..");
const casesDir = join(root, "test", "conformance", "cases");
const expectedDir = join(root, "test", "conformance", "expected");
const seeds = [...readdirSync(casesDir).filter((f) => f.endsWith(".json")).sort().map((f) => join(casesDir, f)), join(root, "docs", "graph-example.json")]
  .map((f) => ({ stem: f.slice(f.lastIndexOf("/") + 1, -5), text: readFileSync(f, "utf8") }));

const PROTO_NAMES = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf", "__defineGetter__", "toLocaleString", "prototype", "length"];
const OPS = ["new", "ref", "unref", "del", "weakref", "probe", "alive", "deref", "incref", "collect", "is_tracked", "is_finalized", "debug", "freeze", "unfreeze", "stats", "chain", "revive", "drop_resurrected", "clear_garbage"];
const FIELDS = ["op", "id", "type", "from", "to", "gen", "length", "items", "value", "resurrect", "callback", "flags", "comment"];
const VERSIONS = ["2.7", "3.6", "3.8", "3.11", "3.12", "3.13", "3.14.0", "3.14", "3.14.5", "3.15"];

type Rnd = () => number;
const int = (r: Rnd, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rnd, xs: readonly T[]): T => xs[int(r, xs.length)];

function randomString(r: Rnd): string {
  const alphabet = "abcxyz_019 .:'\"\\é€\u0000\u202e";
  return Array.from({ length: 1 + int(r, 12) }, () => alphabet[int(r, alphabet.length)]).join("");
}

/** A value of some JSON type, often a hostile one. */
function hostileValue(r: Rnd, names: string[]): unknown {
  switch (int(r, 16)) {
    case 0: return null;
    case 1: return pick(r, [true, false]);
    case 2: return pick(r, [-1, 0, 1, 2, 3, 0.5, -0.0, 1e308, -1e308, 2 ** 31, 2 ** 32, 2 ** 32 + 1 + int(r, 5), 2 ** 53 + 2, 1e6, 1e6 + 1, 999_999]);
    case 3: return randomString(r);
    case 4: return pick(r, PROTO_NAMES);
    case 5: return names.length ? pick(r, names) : "a";
    case 6: return [];
    case 7: return {};
    case 8: return [pick(r, names.length ? names : ["a"]), 1, null];
    case 9: return { toString: 1, __proto__: 2 };
    case 10: return pick(r, ["obj", "fin", "list", "dict", "tuple", "int", "str", "weakref", "Obj"]);
    case 11: return pick(r, OPS);
    case 12: return pick(r, ["SAVEALL", ["SAVEALL"], ["SAVEALL", "SAVEALL"], ["DEBUG_LEAK"]]);
    case 13: return pick(r, ["garbage", "resurrected"]);
    case 14: return -int(r, 1000) - 1;
    default: return int(r, 4);
  }
}

function deep(depth: number, r: Rnd): string {
  return r() < 0.5 ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

/** One mutation of a parsed scenario (in place). */
function mutateOps(r: Rnd, scn: Record<string, unknown>, validOnly = false): void {
  const ops = Array.isArray(scn.ops) ? (scn.ops as unknown[]) : (scn.ops = []) as unknown[];
  const names = ops.flatMap((o) => (o && typeof o === "object" && typeof (o as { id?: unknown }).id === "string" ? [(o as { id: string }).id] : []));
  const k = ops.length ? int(r, ops.length) : 0;
  const op = (ops[k] && typeof ops[k] === "object" && !Array.isArray(ops[k]) ? ops[k] : {}) as Record<string, unknown>;
  switch (validOnly ? 14 : int(r, 16)) {
    case 14: case 15: { // valid ops in odd places: the mutant still runs, through other paths
      const extra = pick(r, [{ op: "collect", gen: int(r, 3) }, { op: "collect" }, { op: "freeze" }, { op: "unfreeze" }, { op: "stats" },
        { op: "debug", flags: pick(r, [[], ["SAVEALL"]]) }, { op: "clear_garbage" }, { op: "drop_resurrected" },
        ...names.map((n) => pick(r, [{ op: "incref", id: n }, { op: "is_tracked", id: n }, { op: "del", id: n }, { op: "ref", from: n, to: pick(r, names) }, { op: "revive", id: n, from: pick(r, ["garbage", "resurrected"]) }]))]);
      ops.splice(int(r, ops.length + 1), 0, extra);
      break;
    }
    case 0: ops.splice(k, 1); break;
    case 1: ops.splice(k, 0, structuredClone(ops[k] ?? {})); break;
    case 2: { const j = int(r, Math.max(1, ops.length)); [ops[k], ops[j]] = [ops[j], ops[k]]; break; }
    case 3: op.op = r() < 0.5 ? pick(r, PROTO_NAMES) : r() < 0.5 ? randomString(r) : pick(r, OPS); break;
    case 4: op[pick(r, FIELDS)] = hostileValue(r, names); break;
    case 5: delete op[pick(r, Object.keys(op).length ? Object.keys(op) : ["op"])]; break;
    case 6: op[r() < 0.5 ? pick(r, PROTO_NAMES) : randomString(r)] = hostileValue(r, names); break;
    case 7: ops.splice(k, 0, { op: pick(r, OPS), id: pick(r, [...names, "n" + int(r, 100)]), to: pick(r, names.length ? names : ["a"]), from: pick(r, names.length ? names : ["a"]), type: hostileValue(r, names) }); break;
    case 8: ops[k] = hostileValue(r, names); break;
    case 9: scn[pick(r, ["name", "description", "min_python", "max_python", "ops", "notes", "seed_ref", randomString(r)])] = hostileValue(r, names); break;
    case 10: op.id = pick(r, [...PROTO_NAMES, ...names]); break;
    case 11: { const chain = { op: "chain", id: "z" + int(r, 1000), type: pick(r, ["obj", "list", "tuple", "dict", "fin"]), length: pick(r, [1, 2, 3, 100, 10_000, 0, -1, 1e6 + 1, 2 ** 32 + 2, 1.5]) }; ops.splice(k, 0, chain); break; }
    case 12: op.gen = pick(r, [0, 1, 2, 3, -1, 2 ** 32 + 1, 1.5, "2"]); break;
    default: if (ops.length > 1) ops.length = int(r, ops.length) + 1; break;
  }
}

/** A mutant's bytes: JSON-level mutations, or byte-level damage. */
function mutant(r: Rnd, seedText: string): Buffer {
  const kind = int(r, 30);
  if (kind === 0) return Buffer.alloc(0);
  if (kind === 1) return Buffer.from(seedText.slice(0, int(r, seedText.length))); // truncated
  if (kind === 2) { // non-UTF-8 bytes spliced in
    const b = Buffer.from(seedText);
    const at = int(r, b.length);
    return Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]), b.subarray(at)]);
  }
  if (kind === 3) { // deep nesting in a field or as the op
    const scn = JSON.parse(seedText);
    const depth = pick(r, [100, 10_000, 100_000]);
    const text = JSON.stringify(scn).replace(/"ops":\[/, `"ops":[{"op":"new","id":"dd","type":"obj","${pick(r, ["comment", "value", "items", "op"])}":${deep(depth, r)}},`);
    return Buffer.from(text);
  }
  if (kind === 4) return Buffer.from(pick(r, ["[]", "null", "1", '"x"', "{}", '{"ops":{}}', "\uFEFF{}", "{\"name\":1e999}"]));
  const scn = JSON.parse(seedText) as Record<string, unknown>;
  if (r() < 0.4) { // only insertions of valid ops: most of these mutants run to the end
    for (let i = 1 + int(r, 4); i > 0; i--) mutateOps(r, scn, true);
    return Buffer.from(JSON.stringify(scn));
  }
  const n = r() < 0.5 ? 1 : 2 + int(r, 3);
  for (let i = 0; i < n; i++) mutateOps(r, scn);
  return Buffer.from(JSON.stringify(scn));
}

interface Outcome { args: string[]; status: number; err: string[]; ms: number }

async function runCli(args: string[]): Promise<Outcome> {
  const err: string[] = [];
  const t = performance.now();
  const status = await main(args, () => {}, (s) => err.push(...s.split("\n")));
  return { args, status, err, ms: performance.now() - t };
}

/** Problems with one run, as lines (empty: fine). */
function problems(o: Outcome, file: string): string[] {
  const p: string[] = [];
  const where = `${o.args.join(" ")} (mutant ${file})`;
  if (![0, 1, 2].includes(o.status)) p.push(`${where}: exit ${o.status}: ${o.err.join(" | ")}`);
  if (o.status === 2 && o.err.length !== 1) p.push(`${where}: exit 2 with ${o.err.length} stderr lines: ${o.err.slice(0, 3).join(" | ")}`);
  if (o.err.some((l) => l.includes("    at "))) p.push(`${where}: stack trace on stderr`);
  if (o.ms > HANG_MS) p.push(`${where}: took ${o.ms.toFixed(0)} ms`);
  return p;
}

describe(`CLI mutation fuzz (${LONG ? "long form" : "bounded slice"})`, () => {
  it(`${LONG ? LONG_COUNT : SLICE} mutated scenarios through scenario, track and graph`, async () => {
    const count = LONG ? LONG_COUNT : SLICE;
    const r = mulberry32(LONG ? 9_000_009 : 20261206);
    const dir = mkdtempSync(join(tmpdir(), "pygcsim-fuzz-cli-"));
    const failures: string[] = [];
    const exits = new Map<string, number>();
    const t0 = performance.now();
    let maxRss = 0, slowest = 0;
    for (let m = 0; m < count; m++) {
      const seed = pick(r, seeds);
      const bytes = mutant(r, seed.text);
      // the file keeps the seed's stem, so a mutant passes the name check unless its name was mutated
      const sub = join(dir, String(m % 50));
      mkdirSync(sub, { recursive: true });
      const file = join(sub, `${seed.stem}.json`);
      writeFileSync(file, bytes);
      const version = pick(r, VERSIONS);
      const build = r() < 0.1 ? "debug" : "release";
      const name = /"id":\s*"([^"]*)"/.exec(bytes.toString("latin1"))?.[1] ?? "a";
      const runs = [
        ["scenario", file, "--python", r() < 0.2 ? `${version},3.11` : version, "--build", build, ...(r() < 0.3 ? ["--check", expectedDir] : [])],
        ["track", file, "--python", version, "--build", build, ...(r() < 0.3 ? ["--json"] : [])],
        ["graph", file, "--python", version, pick(r, ["--around", "--cycle", "--chain"]), r() < 0.8 ? name : pick(r, PROTO_NAMES),
          ...(r() < 0.5 ? ["--at", String(int(r, 40))] : []), ...(r() < 0.3 ? ["--format", "svg"] : [])],
      ];
      for (const args of runs) {
        const o = await runCli(args);
        slowest = Math.max(slowest, o.ms);
        const key = `${args[0]} ${o.status}`;
        exits.set(key, (exits.get(key) ?? 0) + 1);
        const p = problems(o, `#${m} from ${seed.stem}`);
        if (p.length) {
          // keep the failing mutant for the report
          writeFileSync(join(dir, `failing-${m}.json`), bytes);
          failures.push(...p);
        }
      }
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }
    const wall = (performance.now() - t0) / 1000;
    if (LONG) {
      const dist = [...exits].sort().map(([k, v]) => `${k}: ${v}`).join(", ");
      console.log(`fuzz-cli long form: ${count} mutants, ${count * 3} CLI runs in ${wall.toFixed(1)} s (slowest ${slowest.toFixed(0)} ms, max RSS ${(maxRss / 2 ** 20).toFixed(0)} MiB); exit codes ${dist}; ${failures.length} failures${failures.length ? `; mutants in ${dir}` : ""}`);
    }
    if (!failures.length) rmSync(dir, { recursive: true, force: true }); // failing mutants stay for the report
    expect(failures.slice(0, 20)).toEqual([]);
  }, LONG ? 3_600_000 : 300_000);

  it(`${ARGV_COUNT} random command lines: every command, known and unknown options, hostile values`, async () => {
    const r = mulberry32(LONG ? 31_337 : 4242);
    const dir = mkdtempSync(join(tmpdir(), "pygcsim-fuzz-argv-"));
    const scenario = join(casesDir, "incref_leak.json");
    writeFileSync(join(dir, "file.txt"), "x");
    const values = ["-1", "0", "1.5", "1e12", "NaN", "Infinity", "", " ", "0x10", "12345678901234567890", "20000001", "3.12", "all", "2.7,3.15", "9.9", ",",
      "constructor", "__proto__", "toString", "a|b", "1..10*0", "requests=-5", "web-service:requests=-1", "fixed:threshold0=-5", "incremental", "nope",
      "1/2", "3/2", "0/0", "x=y", "--json", "-h", "/nonexistent/x.json", "/proc/x", dir, join(dir, "file.txt"), join(dir, "file.txt", "sub"), scenario,
      "svg", "png", "debug", "fast", "roots", "a", "parent", "\u0000", "é€"];
    const flags = ["--python", "--out", "--check", "--n", "--build", "--workload", "--policy", "--seed", "--json", "--svg", "--shard", "--jobs", "--leaks",
      "--shape", "--reps", "--max", "--around", "--cycle", "--chain", "--depth", "--at", "--format", "--max-nodes", "--leaks-only", "--collect", "--bogus"];
    // each command's arguments that keep a valid run short; the fuzzed ones come after and win
    const base: Record<string, string[]> = {
      demo: ["demo", "--n", "2000"], bench: ["bench", "shape", "--n", "2000", "--reps", "1"], lab: ["lab", "--workload", "web-service:requests=20"],
      scenario: ["scenario", scenario], track: ["track", scenario], graph: ["graph", scenario, "--around", "a"], load: ["load", join(dir, "file.txt")],
      schedule: ["schedule", "nope"], profiles: ["profiles"], merge: ["lab", "merge", scenario], list: ["lab", "list"], none: [], random: [pick(r, values)],
    };
    const failures: string[] = [];
    const exits = new Map<number, number>();
    for (let m = 0; m < ARGV_COUNT; m++) {
      const args = [...base[pick(r, Object.keys(base))]];
      for (let k = int(r, 4); k > 0; k--) {
        const f = pick(r, flags);
        let v = pick(r, values);
        // output paths go to the temporary directory, never into the working tree
        if ((f === "--out" || f === "--svg" || f === "--json") && !v.startsWith("/")) v = join(dir, "out", v);
        if (r() < 0.2) args.push(`${f}=${v}`);
        else args.push(f, ...(r() < 0.9 ? [v] : []));
      }
      if (r() < 0.1) args.splice(1 + int(r, args.length), 0, pick(r, values));
      const o = await runCli(args);
      exits.set(o.status, (exits.get(o.status) ?? 0) + 1);
      failures.push(...problems(o, `argv #${m}`));
    }
    rmSync(dir, { recursive: true, force: true });
    if (LONG) console.log(`fuzz-cli argv: ${ARGV_COUNT} command lines; exit codes ${[...exits].sort().map(([k, v]) => `${k}: ${v}`).join(", ")}; ${failures.length} failures`);
    expect(failures).toEqual([]);
  }, LONG ? 3_600_000 : 300_000);

  it(`${SPAWNED} mutants through the real process: exit 0/1/2, one stderr line on exit 2, no stack trace`, () => {
    const r = mulberry32(LONG ? 77 : 7);
    const dir = mkdtempSync(join(tmpdir(), "pygcsim-fuzz-proc-"));
    const failures: string[] = [];
    for (let m = 0; m < SPAWNED; m++) {
      const seed = pick(r, seeds);
      const file = join(dir, `${seed.stem}.json`);
      writeFileSync(file, mutant(r, seed.text));
      const cmd = pick(r, ["scenario", "track"]);
      const p = spawnSync(process.execPath, [join(root, "bin", "pygcsim.js"), cmd, file, "--python", pick(r, VERSIONS)], { encoding: "utf8", timeout: HANG_MS * 3 });
      const err = p.stderr.split("\n").filter(Boolean);
      failures.push(...problems({ args: [cmd, file], status: p.status ?? -1, err, ms: 0 }, `process #${m} from ${seed.stem}`));
    }
    if (!failures.length) rmSync(dir, { recursive: true, force: true });
    expect(failures).toEqual([]);
  }, 300_000);
});
