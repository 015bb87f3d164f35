// The README shows the quickstart example and its output: they must stay true.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");

describe("README", () => {
  it("shows examples/quickstart.mjs and its real output", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const source = readFileSync(join(root, "examples", "quickstart.mjs"), "utf8").trimEnd();
    expect(readme).toContain(source);
    const out = execFileSync(process.execPath, [join(root, "examples", "quickstart.mjs")], { encoding: "utf8" }).trimEnd();
    expect(readme).toContain("```text\n" + out + "\n```");
  });

  it("shows examples/analysis.mjs and its real output", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const source = readFileSync(join(root, "examples", "analysis.mjs"), "utf8").trimEnd();
    expect(readme).toContain(source);
    const out = execFileSync(process.execPath, [join(root, "examples", "analysis.mjs")], { encoding: "utf8" }).trimEnd();
    expect(readme).toContain("```text\n" + out + "\n```");
  });

  it("shows the real profiles table", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const out = execFileSync(process.execPath, [join(root, "bin", "pygcsim.js"), "profiles"], { encoding: "utf8" }).trimEnd();
    expect(readme).toContain(out);
  });
});
