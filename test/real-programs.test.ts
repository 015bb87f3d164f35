// The real-program suite (test/real-programs/README.md): programs nobody here
// wrote — chunks of CPython's own test suite run in-process, and workloads
// that drive standard-library modules — dumped with python/pygcsim_dump.py on
// real interpreters, with what the interpreter's own gc.collect() found right
// after the dump: once plainly (the count a program sees) and once with
// DEBUG_SAVEALL (which objects, by the dump's numbering). `pygcsim load DUMP
// --collect` under the dump's own version must forecast exactly the plain
// count, and the simulated collection with DEBUG_SAVEALL must return the same
// count as CPython's and find exactly those objects. A known difference would be listed in known-differences.json (with
// the measured forecast) and run as a failing-by-design test: none is left.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEBUG_SAVEALL, Heap } from "../src/heap.js";
import { dumpInfo } from "../src/load/load.js";
import { main } from "../src/cli/main.js";

const DIR = join(import.meta.dirname, "real-programs");

interface Recording {
  python: string;
  program: string;
  collect: number;
  collected?: number;
  uncollectable?: number;
  objects: number;
  garbage_not_in_dump: number;
  /** The same program run again, collected without DEBUG_SAVEALL (what a program sees). */
  plain: { collect: number; collected?: number; uncollectable?: number };
  /** Dump indices of the objects gc.garbage held after the collection (DEBUG_SAVEALL). */
  garbage: number[];
}
/** "program/X.Y.Z" → what the simulator measurably does instead, and why. */
type Known = Record<string, { forecast: number; garbage?: number[]; cause: string }>;
const KNOWN: Known = existsSync(join(DIR, "known-differences.json"))
  ? JSON.parse(readFileSync(join(DIR, "known-differences.json"), "utf8")) : {};

const recordings: { key: string; dump: string; rec: Recording }[] = [];
for (const prog of readdirSync(DIR).filter((d) => !d.includes(".")).sort()) {
  for (const f of readdirSync(join(DIR, prog)).filter((f) => f.endsWith(".json")).sort()) {
    const rec = JSON.parse(readFileSync(join(DIR, prog, f), "utf8")) as Recording;
    recordings.push({ key: `${prog}/${rec.python}`, dump: join(DIR, prog, f.replace(/\.json$/, ".jsonl.gz")), rec });
  }
}

async function forecast(dump: string): Promise<{ unreachable: number; collected: number; uncollectable: number }> {
  const out: string[] = [], err: string[] = [];
  const code = await main(["load", dump, "--collect", "--json"], (s) => out.push(s), (s) => err.push(s));
  expect(err).toEqual([]);
  expect(code).toBe(0);
  return JSON.parse(out[0]).collection;
}

function savedGarbage(dump: string, build: "release" | "debug"): { collect: number; garbage: number[] } {
  const heap = Heap.fromDump(dump, { build });
  const info = dumpInfo(heap)!;
  heap.setDebug(DEBUG_SAVEALL);
  const collect = heap.collect();
  if (build === "debug") heap.debug.checkInvariants();
  return { collect, garbage: heap.garbage.map((id) => info.indexOf(id)).sort((a, b) => a - b) };
}

describe("the real-program suite", () => {
  it("has recordings of several programs on several versions", () => {
    expect(new Set(recordings.map((r) => r.rec.program)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(recordings.map((r) => r.rec.python)).size).toBeGreaterThanOrEqual(9);
  });
  for (const { key, dump, rec } of recordings) {
    const known = KNOWN[key];
    describe(key, () => {
      const p = rec.plain;
      it(`pygcsim load --collect forecasts CPython ${rec.python}'s gc.collect() = ${p.collect}`, async () => {
        const f = await forecast(dump);
        expect(f.unreachable).toBe(p.collect);
        if (p.collected !== undefined) expect({ collected: f.collected, uncollectable: f.uncollectable }).toEqual({ collected: p.collected, uncollectable: p.uncollectable });
      });
      (known ? it.fails : it)(`with DEBUG_SAVEALL: gc.collect() = ${rec.collect}, the same ${rec.garbage.length} objects in gc.garbage, object for object`, () => {
        expect(savedGarbage(dump, "release")).toEqual({ collect: rec.collect, garbage: rec.garbage });
      });
      if (known) {
        it(`measured difference (${known.cause}): forecast ${known.forecast}`, async () => {
          expect((await forecast(dump)).unreachable).toBe(known.forecast);
        });
      }
    });
  }
  // the engine paths the suite needs beyond the loader (self-removing callbacks, a
  // generator's close, a weakref's own callback) keep the heap's invariants
  for (const key of ["weak_containers/3.12.1", "generators_asyncio/3.10.13", "cpython_test_abc/3.8.18"]) {
    const r = recordings.find((x) => x.key === key);
    it.skipIf(!r)(`${key} in the debug build: same objects, invariants hold`, () => {
      expect(savedGarbage(r!.dump, "debug")).toEqual({ collect: r!.rec.collect, garbage: r!.rec.garbage });
    });
  }
});
