// docs/tracker.md (the tracker and graph manual) shows real output: the example and
// what it prints, the `pygcsim track` run, and the committed SVG picture.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const readme = () => readFileSync(join(root, "docs", "tracker.md"), "utf8");
const block = (name: string) => {
  const m = readme().match(new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`));
  if (!m) throw new Error(`docs/tracker.md has no ${name} block`);
  return m[1];
};
const node = (...args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" }).trimEnd();

describe("docs/tracker.md: garbage tracker and graphs", () => {
  it("shows docs/tracker-example.mjs and its real output", () => {
    expect(block("tracker-example")).toBe("```js\n" + readFileSync(join(root, "docs", "tracker-example.mjs"), "utf8").trimEnd() + "\n```");
    expect(block("tracker-output")).toBe("```text\n" + node("docs/tracker-example.mjs") + "\n```");
  });

  it("shows a real `pygcsim track --json` run", () => {
    const cmd = "track test/conformance/cases/fin_cycle_with_plain_obj.json --python 2.7 --json";
    expect(block("track-output")).toBe("```text\n$ node bin/pygcsim.js " + cmd + "\n" + node("bin/pygcsim.js", ...cmd.split(" ")) + "\n```");
  });

  it("docs/graph-example.svg is what `pygcsim graph` draws today", () => {
    const svg = node("bin/pygcsim.js", "graph", "docs/graph-example.json", "--python", "3.12", "--around", "parent", "--format", "svg");
    expect(readFileSync(join(root, "docs", "graph-example.svg"), "utf8").trimEnd()).toBe(svg);
    expect(readme()).toContain("](graph-example.svg)");
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain("](docs/graph-example.svg)");
  });
});
