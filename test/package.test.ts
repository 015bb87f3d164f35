// The npm package is what docs/package-contents.md lists: `npm pack
// --dry-run --json` is matched against the list (every file by one line,
// every line by at least one file), with no compiled Python, no tests or
// their data, and the MIT LICENSE that package.json names.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");

/** A listed line as a RegExp: `**` any path, `*` any name in one folder. */
const pattern = (line: string) =>
  new RegExp("^" + line.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*\*\//g, "\u0000").replace(/\*/g, "[^/]*").replace(/\u0000/g, "(?:.*/)?") + "$");

describe("the npm package", () => {
  const packed: string[] = (JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }))[0].files as { path: string }[]).map((f) => f.path).sort();
  const doc = readFileSync(join(root, "docs", "package-contents.md"), "utf8");
  const listed = /<!-- package-contents:start -->\n```text\n([\s\S]*?)\n```\n<!-- package-contents:end -->/.exec(doc)![1].split("\n");

  it("holds exactly what docs/package-contents.md lists", () => {
    const unlisted = packed.filter((p) => !listed.some((l) => pattern(l).test(p)));
    const unmatched = listed.filter((l) => !packed.some((p) => pattern(l).test(p)));
    expect({ unlisted, unmatched }).toEqual({ unlisted: [], unmatched: [] });
  });

  it("ships no compiled Python, no tests or test data, no benchmarks", () => {
    expect(packed.filter((p) => /\.pyc$|__pycache__|^test\/|^dist\/test\/|^dist\/bench\/|^bench\//.test(p))).toEqual([]);
  });

  it("has the MIT LICENSE package.json names", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.license).toBe("MIT");
    expect(packed).toContain("LICENSE");
    expect(readFileSync(join(root, "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
  });
});
