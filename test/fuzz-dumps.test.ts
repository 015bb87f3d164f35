// Dump mutation fuzz (issue 9): seeded mutations of the real dumps in
// test/data (fields dropped or retyped; huge, negative, fractional numbers;
// ids out of range, 2^32 + k among them; truncated and corrupt gzip; header and
// end-line lies; deep nesting; duplicated lines; references to missing ids;
// broken weakref links; byte flips) through `pygcsim load DUMP --collect`.
// Every mutant must end in exit 0, or exit 2 with one line naming the problem
// and no stack trace; never an untyped error, never an engine trap, within
// bounded time and memory. The bulk runs in-process through the CLI's main();
// a few run as `node bin/pygcsim.js load`.
//
// `npm test` runs a bounded slice; PYGCSIM_FUZZ_LONG=1 the long form
// (≥ 2,000 mutants; the figures go to stdout). PYGCSIM_FUZZ_SEED=n reseeds.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { main } from "../src/cli/main.js";
import { mulberry32 } from "./helpers/util.js";

const LONG = process.env.PYGCSIM_FUZZ_LONG === "1";
const SEED = Number(process.env.PYGCSIM_FUZZ_SEED ?? 20261206);
const MUTANTS = LONG ? 2400 : 48;
const SPAWNED = LONG ? 24 : 4;
const ROOT = join(import.meta.dirname, "..");
const DATA = join(import.meta.dirname, "data");
// test/data's dumps, and real-program dumps with self-removing callbacks (wr.removes) and generators' fin_drops
const BASES = LONG
  ? ["heap-2.7.18", "heap-3.6.15", "heap-3.8.18", "heap-3.10.13", "heap-3.11.7", "heap-3.12.1", "heap-frozen-3.12.1", "heap-3.13.0",
    "real-programs/weak_containers/3.12.1", "real-programs/generators_asyncio/3.10.13"]
  : ["heap-2.7.18", "heap-3.12.1", "real-programs/weak_containers/3.9.18"];
/** Per mutant: the CLI must answer within this (a 12,000-object dump loads and collects in well under a second). */
const TIME_LIMIT_MS = 10_000;
/** The mutants' decompressed size bound (--max-dump-mb): a bomb must stop here. */
const MAX_MB = 64;

/** A seeded generator (mulberry32), so a failure can be replayed by its seed. */
const rng = mulberry32;

interface Base { name: string; lines: string[] }
const bases: Base[] = BASES.map((b) => ({
  name: b,
  lines: gunzipSync(readFileSync(b.startsWith("real-programs/") ? join(import.meta.dirname, `${b}.jsonl.gz`) : join(DATA, `${b}.jsonl.gz`)))
    .toString("utf8").split("\n").filter((l) => l !== ""),
}));

const NUMBERS: unknown[] = [
  -1, -(2 ** 31), 0.5, 1e10, 2 ** 29, 2 ** 29 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 32 + 7, 2 ** 53, 1e308, -0, 3,
];
const JUNK: unknown[] = [null, true, "x", "", [], {}, [1, 2], { a: 1 }, "3.11.7", "constructor", "__proto__", ...NUMBERS];

/** One mutant: the bytes to load, and what was done (for the failure report). */
function mutate(r: () => number, base: Base): { bytes: Buffer; what: string } {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const lines = base.lines.slice();
  const n = lines.length;
  const idx = (): number => Math.floor(r() * n); // 0 header, n-1 end line
  const obj = (k: number): Record<string, unknown> => JSON.parse(lines[k]);
  const objects = n - 2;
  const kinds = [
    "drop-field", "retype-field", "number", "ref-out-of-range", "ref-wrap", "header-lie", "end-lie", "deep-nesting",
    "duplicate-line", "delete-line", "swap-lines", "weakref", "byte-flip", "truncate", "gzip-corrupt", "gzip-truncate",
    "rc", "version", "type-name", "many", "gzip-bomb", "removes", "fin-drops",
  ] as const;
  const kind = pick(kinds);
  let what: string = kind;
  let gzip = r() < 0.3;
  const setField = (k: number, field: string, v: unknown) => {
    const o = obj(k);
    o[field] = v;
    lines[k] = JSON.stringify(o);
    what += ` line ${k + 1} ${field}=${JSON.stringify(v)?.slice(0, 40)}`;
  };
  const fieldOf = (k: number): string => pick(Object.keys(obj(k)));
  switch (kind) {
    case "drop-field": {
      const k = idx(), o = obj(k), f = pick(Object.keys(o));
      delete o[f];
      lines[k] = JSON.stringify(o);
      what += ` line ${k + 1} ${f}`;
      break;
    }
    case "retype-field": { const k = idx(); setField(k, fieldOf(k), pick(JUNK)); break; }
    case "number": {
      const k = 1 + Math.floor(r() * objects);
      setField(k, pick(["size", "rc", "gen", "i", "addr"]), pick(NUMBERS));
      break;
    }
    case "ref-out-of-range":
    case "ref-wrap": {
      const k = 1 + Math.floor(r() * objects), o = obj(k);
      const refs = Array.isArray(o.refs) ? (o.refs as unknown[]) : [];
      const v = kind === "ref-wrap" ? 2 ** 32 + Math.floor(r() * objects) : pick([objects, objects + 1, -1, 1.5, 2 ** 31]);
      refs.splice(Math.floor(r() * (refs.length + 1)), 0, v);
      o.refs = refs;
      lines[k] = JSON.stringify(o);
      const e = obj(n - 1);
      if (r() < 0.7) { e.references = (e.references as number) + 1; lines[n - 1] = JSON.stringify(e); } // keep the end line honest
      what += ` line ${k + 1} refs+=${v}`;
      break;
    }
    case "header-lie": {
      const h = obj(0);
      const f = pick(["counts", "gc", "roots", "python", "format", "version"]);
      if (f === "counts") h.counts = { objects: pick([1e10, objects + 1, 0, -1, 2 ** 32 + 1]) };
      else if (f === "gc") h.gc = { ...(h.gc as object), [pick(["count", "threshold", "enabled", "freeze_count"])]: pick([[1e10, 0, 0], [1, 2], [-1, 0, 0], [2 ** 31, 0, 0], null, true, 5, [700, 2 ** 40, 10]]) };
      else if (f === "roots") h.roots = { frames: [pick([objects, 2 ** 32 + 1, -1, 0])] };
      else h[f] = pick(JUNK);
      lines[0] = JSON.stringify(h);
      what += ` ${f}=${JSON.stringify(h[f])?.slice(0, 60)}`;
      break;
    }
    case "end-lie": setField(n - 1, pick(["objects", "references", "end", "atoms"]), pick(JUNK)); break;
    case "deep-nesting": {
      const depth = pick([1000, 100_000, 1_000_000]);
      const k = idx();
      const o = obj(k);
      const f = pick(Object.keys(o));
      lines[k] = JSON.stringify({ ...o, [f]: 0 }).replace(`"${f}":0`, `"${f}":${"[".repeat(depth)}${"]".repeat(depth)}`);
      what += ` line ${k + 1} ${f} depth ${depth}`;
      break;
    }
    case "duplicate-line": { const k = 1 + Math.floor(r() * objects); lines.splice(k, 0, lines[k]); what += ` line ${k + 1}`; break; }
    case "delete-line": { const k = idx(); lines.splice(k, 1); what += ` line ${k + 1}`; break; }
    case "swap-lines": {
      const a = 1 + Math.floor(r() * objects), b = 1 + Math.floor(r() * objects);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      what += ` ${a + 1}<->${b + 1}`;
      break;
    }
    case "weakref": {
      // find a weakref or a referent and break its link
      const ks: number[] = [];
      for (let k = 1; k < n - 1 && ks.length < 64; k++) if (lines[k].includes('"wr"') || lines[k].includes('"weakrefs"')) ks.push(k);
      if (ks.length === 0) { setField(1, "wr", { target: 0, callback: true }); break; }
      const k = pick(ks), o = obj(k);
      if (o.wr) setField(k, "wr", pick([{ target: pick(NUMBERS), callback: true }, { target: null, callback: "yes" }, null, { callback: true }, { target: k - 1, callback: null }]));
      else setField(k, "weakrefs", pick([[k], [2 ** 32 + 1], [], [0, 0], "x"]));
      break;
    }
    case "byte-flip": {
      let text = lines.join("\n") + "\n";
      const flips = 1 + Math.floor(r() * 8);
      const a = Buffer.from(text, "utf8");
      for (let j = 0; j < flips; j++) a[Math.floor(r() * a.length)] = Math.floor(r() * 256);
      text = "";
      return { bytes: gzip ? gzipSync(a) : a, what: `${what} x${flips}${gzip ? " (gzip)" : ""}` };
    }
    case "truncate": {
      const a = Buffer.from(lines.join("\n") + "\n", "utf8");
      const cut = Math.floor(r() * a.length);
      return { bytes: a.subarray(0, cut), what: `${what} at ${cut}` };
    }
    case "gzip-corrupt":
    case "gzip-truncate": {
      const z = gzipSync(Buffer.from(lines.join("\n") + "\n", "utf8"));
      if (kind === "gzip-truncate") {
        const cut = Math.floor(r() * z.length);
        return { bytes: z.subarray(0, cut), what: `${what} at ${cut}/${z.length}` };
      }
      for (let j = 0; j < 4; j++) z[10 + Math.floor(r() * (z.length - 10))] ^= 1 << Math.floor(r() * 8);
      return { bytes: z, what };
    }
    case "gzip-bomb": {
      const mb = pick([MAX_MB + 1, 4 * MAX_MB]);
      return { bytes: gzipSync(Buffer.alloc(mb * 1048576, pick([0x20, 0x7b, 0x0a])), { level: 9 }), what: `${what} ${mb} MiB` };
    }
    case "rc": {
      const k = 1 + Math.floor(r() * objects);
      const o = obj(k);
      o.rc = pick([2 ** 29, 2 ** 29 - 1, 2 ** 32 - 1, 4294967292, 999999999, 0, 2 ** 53]);
      if (r() < 0.5) o.immortal = pick([true, false, 1]);
      lines[k] = JSON.stringify(o);
      what += ` line ${k + 1} rc=${o.rc} immortal=${o.immortal}`;
      break;
    }
    case "version": setField(0, "python", pick(["3.5.10", "9.9.9", "3.14.0", "3.15.0", "2.7.18", "3.12", "3.12.1a", 312])); break;
    case "type-name": {
      const k = 1 + Math.floor(r() * objects);
      setField(k, "type", pick(["__proto__", "constructor", "toString", "hasOwnProperty", "x".repeat(100_000), "\u0000", "list", "dict", "tuple", "weakref.ReferenceType"]));
      break;
    }
    case "removes":
    case "fin-drops": {
      // what a callback or finalizer releases, pointed anywhere: other objects, itself, out of range, junk
      const ks: number[] = [];
      const mark = kind === "removes" ? '"removes"' : '"fin_drops"';
      for (let k = 1; k < n - 1 && ks.length < 256; k++) if (lines[k].includes(mark) || (kind === "removes" && lines[k].includes('"callback":true'))) ks.push(k);
      const k = ks.length ? pick(ks) : 1 + Math.floor(r() * objects);
      const o = obj(k);
      const any = () => pick([Math.floor(r() * objects), k - 1, objects, 2 ** 32 + 1, -1, 0.5]);
      const v = pick([[any(), any()], [k - 1, k - 1, k - 1], [any()], [], "x", null, Array.from({ length: 100 }, any)]);
      if (kind === "removes") {
        o.wr = { ...((o.wr as object) ?? { target: null }), callback: pick([true, true, false]), removes: v };
      } else {
        o.fin_drops = v;
        if (r() < 0.8) o.del = true;
      }
      lines[k] = JSON.stringify(o);
      what += ` line ${k + 1} ${JSON.stringify(v).slice(0, 60)}`;
      break;
    }
    case "many": {
      for (let j = 0; j < 20; j++) { const k = 1 + Math.floor(r() * objects); setField(k, fieldOf(k), pick(JUNK)); }
      break;
    }
  }
  const text = lines.join("\n") + "\n";
  const bytes = Buffer.from(text, "utf8");
  return { bytes: gzip ? gzipSync(bytes) : bytes, what: what + (gzip ? " (gzip)" : "") };
}

interface Outcome { code: number; lines: number; message: string; ms: number }
const TMP = mkdtempSync(join(tmpdir(), "pygcsim-fuzz-dumps-"));

async function inProcess(path: string, build: string): Promise<Outcome | string> {
  const out: string[] = [], err: string[] = [];
  const t0 = Date.now();
  let code: number;
  try {
    code = await main(["load", path, "--collect", "--json", "--build", build, "--max-dump-mb", String(MAX_MB)], (s) => out.push(s), (s) => err.push(s));
  } catch (e) {
    return `untyped ${(e as Error).name}: ${(e as Error).message}`.slice(0, 300);
  }
  const ms = Date.now() - t0;
  const message = err.join("\n");
  if (code !== 0 && code !== 2) return `exit ${code}: ${message.slice(0, 200)}`;
  if (code === 2 && (err.length !== 1 || message.includes("\n") || /\n\s+at |SimulatorTrapError|engine trap|RuntimeError|unreachable/.test(message))) return `bad message: ${message.slice(0, 300)}`;
  if (code === 0 && (out.length !== 1 || err.length !== 0)) return `exit 0 with ${out.length} out lines, ${err.length} err lines`;
  if (ms > TIME_LIMIT_MS) return `took ${ms} ms`;
  return { code, lines: err.length, message: message.replace(/^pygcsim( \w+)?: \S+: /, ""), ms };
}

describe("dump mutation fuzz", () => {
  it(`${MUTANTS} seeded mutants of ${BASES.length} real dumps (seed ${SEED}) end in exit 0 or one typed line, no trap, bounded time and memory`, async () => {
    const r = rng(SEED);
    const failures: string[] = [];
    const outcomes = new Map<string, number>();
    const kinds = new Map<string, number>();
    let exit0 = 0, exit2 = 0, maxMs = 0, maxRss = 0;
    const t0 = Date.now();
    for (let m = 0; m < MUTANTS; m++) {
      const base = bases[m % bases.length];
      const { bytes, what } = mutate(r, base);
      const path = join(TMP, `m${m}.jsonl`);
      writeFileSync(path, bytes);
      const build = m % 5 === 4 ? "debug" : "release"; // the debug build checks invariants on load
      const o = await inProcess(path, build);
      rmSync(path);
      const kind = what.split(" ")[0];
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (typeof o === "string") { failures.push(`#${m} ${base.name} ${build} ${what}: ${o}`); continue; }
      if (o.code === 0) exit0++; else exit2++;
      maxMs = Math.max(maxMs, o.ms);
      const key = o.code === 0 ? "exit 0" : `exit 2: ${o.message.replace(/line \d+/, "line N").replace(/\d{2,}/g, "#").slice(0, 70)}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }
    const wall = (Date.now() - t0) / 1000;
    if (LONG) {
      console.log(`dump fuzz: ${MUTANTS} mutants (seed ${SEED}), ${exit0} exit 0, ${exit2} exit 2, ${failures.length} failures, `
        + `slowest ${maxMs} ms, peak RSS ${Math.round(maxRss / 1048576)} MiB, wall ${wall.toFixed(1)} s`);
      console.log([...kinds].sort().map(([k, v]) => `  ${k}: ${v}`).join("\n"));
      console.log([...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${v} × ${k}`).join("\n"));
    }
    expect(failures).toEqual([]);
    expect(maxRss).toBeLessThan(3 * 1024 ** 3);
  }, LONG ? 3_600_000 : 120_000);

  it(`${SPAWNED} mutants through node bin/pygcsim.js load: exit 0 or 2, one stderr line, no stack trace`, () => {
    const r = rng(SEED ^ 0x5bd1e995);
    const failures: string[] = [];
    for (let m = 0; m < SPAWNED; m++) {
      const base = bases[m % bases.length];
      const { bytes, what } = mutate(r, base);
      const path = join(TMP, `s${m}.jsonl`);
      writeFileSync(path, bytes);
      const p = spawnSync(process.execPath, [join(ROOT, "bin", "pygcsim.js"), "load", path, "--collect", "--max-dump-mb", String(MAX_MB)], {
        encoding: "utf8", timeout: 60_000,
      });
      rmSync(path);
      const err = p.stderr.trim();
      if (p.status !== 0 && p.status !== 2) failures.push(`#${m} ${what}: status ${p.status} signal ${p.signal}: ${err.slice(0, 200)}`);
      else if (p.status === 2 && (err.split("\n").length !== 1 || /^\s+at /m.test(err))) failures.push(`#${m} ${what}: ${err.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  }, LONG ? 1_200_000 : 120_000);
});
