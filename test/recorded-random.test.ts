// Random scenarios (test/recorded-random/gen.py) recorded on real CPython
// 2.7.18 and 3.6.15–3.13.0 with test/conformance/runner.py (record.py runs
// every interpreter twice and keeps only identical results). The simulator
// must produce the same events, in the same order, for every one of them.
// They cover what hand-written scenarios rarely combine: resurrection next to
// weakref callbacks, DEBUG_SAVEALL switched mid-way, revived gc.garbage
// entries, leaks inside cycles, chains into live objects, collections of
// every generation in between.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runScenarioFile } from "../src/scenario/files.js";
import { BUILDS } from "./helpers.js";
import { SERIES, atLeast } from "./helpers/util.js";

const root = join(import.meta.dirname, "recorded-random");
const cases = readdirSync(join(root, "cases")).filter((f) => f.endsWith(".json")).sort();
const expected = Object.fromEntries(SERIES.map((v) => [v, JSON.parse(readFileSync(join(root, "expected", `${v}.json`), "utf8")) as Record<string, unknown[]>]));

describe.each(BUILDS)("recorded random scenarios (%s build)", (build) => {
  describe.each(SERIES)("CPython %s", (version) => {
    it("has a recording for every scenario of its version range", () => {
      const names = cases.map((f) => f.slice(0, -5));
      const recorded = Object.keys(expected[version]);
      expect(recorded.every((n) => names.includes(n))).toBe(true);
      // family b needs 3.9+ (is_finalized)
      expect(recorded.length).toBe(names.filter((n) => !n.startsWith("rand_b_") || atLeast(version, "3.9")).length);
    });

    it.each(cases)("%s", (file) => {
      const name = file.slice(0, -5);
      const out = runScenarioFile(join(root, "cases", file), version, { build });
      const want = expected[version][name];
      if (want === undefined) {
        expect(out.status).toBe("skipped");
        return;
      }
      expect(out.status).toBe("ran");
      if (out.status === "ran") expect(out.result.events).toEqual(want);
    });
  });
});
