// The docs show the API examples and their output, and the profiles table:
// they must stay true (the named blocks scripts/update-readme.mjs writes;
// test/docs.test.ts checks every transcript and source block besides).
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const doc = (f: string) => readFileSync(join(root, f), "utf8");

describe("README and docs: the API examples", () => {
  it("README.md shows the two commands .ci/run relies on", () => {
    expect(doc("README.md")).toContain("```sh\nnpm ci && npm start     # install, build the engine, run the demo\nnpm test ");
  });

  it("docs/api.md shows examples/quickstart.mjs and its real output", () => {
    const source = readFileSync(join(root, "examples", "quickstart.mjs"), "utf8").trimEnd();
    expect(doc("docs/api.md")).toContain(source);
    const out = execFileSync(process.execPath, [join(root, "examples", "quickstart.mjs")], { encoding: "utf8" }).trimEnd();
    expect(doc("docs/api.md")).toContain("```text\n" + out + "\n```");
  });

  it("docs/analysis.md shows examples/analysis.mjs and its real output", () => {
    const source = readFileSync(join(root, "examples", "analysis.mjs"), "utf8").trimEnd();
    expect(doc("docs/analysis.md")).toContain(source);
    const out = execFileSync(process.execPath, [join(root, "examples", "analysis.mjs")], { encoding: "utf8" }).trimEnd();
    expect(doc("docs/analysis.md")).toContain("```text\n" + out + "\n```");
  });

  it("docs/profiles.md shows the real profiles table", () => {
    const out = execFileSync(process.execPath, [join(root, "bin", "pygcsim.js"), "profiles"], { encoding: "utf8" }).trimEnd();
    expect(doc("docs/profiles.md")).toContain(out);
  });
});
