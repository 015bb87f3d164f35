// Every recorded CPython result must be reproduced byte for byte
// (test/conformance/expected/<version>/<scenario>.json, copied from
// the project's ground truth and extended with our own recorded cases; docs/scenario-format.md).
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runScenarioFile } from "../src/scenario/files.js";
import { BUILDS } from "./helpers.js";

const root = join(import.meta.dirname, "conformance");
const cases = readdirSync(join(root, "cases")).filter((f) => f.endsWith(".json")).sort();
const VERSIONS = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"];

describe.each(BUILDS)("conformance (%s build)", (build) => {
  describe.each(VERSIONS)("CPython %s", (version) => {
    it.each(cases)("%s", (file) => {
      const expected = join(root, "expected", version, file);
      const out = runScenarioFile(join(root, "cases", file), version, { build });
      if (!existsSync(expected)) {
        // no recording means CPython skips it on this version: so must we
        expect(out.status).toBe("skipped");
        return;
      }
      expect(out.status).toBe("ran");
      if (out.status === "ran") expect(out.text).toBe(readFileSync(expected, "utf8"));
    });
  });
});
