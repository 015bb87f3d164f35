// README.md and docs/*.md cannot rot: every transcript ("$ command" and its
// output) is run and compared, every `<!-- source: PATH -->` block is the
// file, every relative link and anchor resolves, every repository path they
// name exists, and nothing points at ../shared (a folder a user's clone does
// not have). scripts/docs-blocks.mjs parses them; `npm run readme` rewrites them.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { anchors, docFiles, matches, run, sources, transcripts } from "../scripts/docs-blocks.mjs";

const root = join(import.meta.dirname, "..");
const files = docFiles(root);
const text = (f: string) => readFileSync(join(root, f), "utf8");

describe("README.md and docs/*.md", () => {
  it("README.md is at most 300 lines", () => {
    expect(text("README.md").split("\n").length).toBeLessThanOrEqual(300);
  });

  it.each(files.filter((f) => transcripts(text(f)).length))("%s: every transcript prints what it shows", (f) => {
    const wrong: string[] = [];
    for (const t of transcripts(text(f))) {
      for (const step of t.steps) {
        const actual = run(root, step.command);
        if (!matches(step.expected, actual, t.varies)) {
          wrong.push(`${f}:${t.open + 1}: $ ${step.command}\n--- shown\n${step.expected.join("\n")}\n--- printed\n${actual.join("\n")}`);
        }
      }
    }
    expect(wrong.join("\n\n")).toBe("");
  }, 180_000);

  it.each(files.filter((f) => sources(text(f)).length))("%s: every source block is its file", (f) => {
    for (const s of sources(text(f))) expect(s.body, `${f}:${s.open + 1} ${s.path}`).toBe(readFileSync(join(root, s.path), "utf8").trimEnd());
  });

  it.each(files)("%s: every relative link points at a file (and heading) that exists", (f) => {
    const broken: string[] = [];
    const body = text(f).replace(/^```[\s\S]*?^```/gm, "");
    for (const m of body.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split("#");
      const file = path ? normalize(join(dirname(f), path)) : f;
      if (!existsSync(join(root, file))) { broken.push(`${target}: no ${file}`); continue; }
      if (anchor !== undefined && file.endsWith(".md") && !anchors(text(file)).has(anchor)) broken.push(`${target}: ${file} has no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });

  it.each(files)("%s: every repository path it names exists", (f) => {
    const missing: string[] = [];
    for (const m of text(f).matchAll(/`([^`\n]+)`/g)) {
      for (const token of m[1].split(/\s+/)) {
        const path = token.replace(/^["'(]+|["'),:;]+$/g, "").replace(/#.*$/, "");
        if (!/^(assembly|bin|bench|docs|examples|python|scripts|src|test)\/[\w./-]*$/.test(path)) continue;
        // placeholders (NAME.json, <X.Y>, *) are not paths
        if (/NAME|X\.Y|\*|\.\.\.$/.test(path)) continue;
        if (!existsSync(join(root, path))) missing.push(path);
      }
    }
    expect(missing).toEqual([]);
  });

  it("nothing points at ../shared", () => {
    for (const f of files) expect(text(f), f).not.toContain("../shared");
  });

  it("every docs/*.md is reachable from the README", () => {
    const readme = text("README.md");
    const linked = new Set([...readme.matchAll(/\]\(docs\/([\w.-]+\.md)/g)].map((m) => m[1]));
    // pages that other docs pages link to count too
    for (const f of files.filter((x) => x.startsWith("docs/"))) for (const m of text(f).matchAll(/\]\(([\w.-]+\.md)/g)) linked.add(m[1]);
    const pages = readdirSync(join(root, "docs")).filter((x) => x.endsWith(".md"));
    expect(pages.filter((p) => !linked.has(p))).toEqual([]);
  });

  it("docs/lab/*.svg are the plots docs/lab.md's command draws today", () => {
    const dir = mkdtempSync(join(tmpdir(), "pygcsim-docs-lab-"));
    try {
      const t = transcripts(text("docs/lab.md"))[0];
      run(root, `${t.steps[0].command} --svg ${dir} 2>/dev/null`);
      const svgs = readdirSync(join(root, "docs", "lab")).filter((x) => x.endsWith(".svg"));
      expect(svgs.length).toBeGreaterThan(0);
      for (const s of svgs) {
        expect(statSync(join(dir, s)).isFile(), s).toBe(true);
        expect(readFileSync(join(dir, s), "utf8"), s).toBe(readFileSync(join(root, "docs", "lab", s), "utf8"));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("figures the docs quote from elsewhere", () => {
  it("README's speed rows are rows of bench/RESULTS.md", () => {
    const readme = text("README.md");
    const speed = readme.slice(readme.indexOf("## Speed"), readme.indexOf("## Layout"));
    const rows = speed.split("\n").filter((l) => /^\| (reach|garbage|dlist|young|tree) \|/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    const results = readFileSync(join(root, "bench", "RESULTS.md"), "utf8").split("\n");
    for (const r of rows) expect(results, r).toContain(r);
  });

  it("the schedule suite's counts in README.md and docs/limits.md are the recordings' and test/schedule.test.ts's known differences", () => {
    const recordings = readdirSync(join(root, "test", "schedule", "expected"))
      .flatMap((v) => readdirSync(join(root, "test", "schedule", "expected", v)).filter((f) => f.endsWith(".json"))).length;
    const suite = readFileSync(join(root, "test", "schedule.test.ts"), "utf8");
    const known = suite.slice(suite.indexOf("const KNOWN"), suite.indexOf("\n};", suite.indexOf("const KNOWN")));
    const differing = [...known.matchAll(/^\s+"[\w.]+\/[\w-]+": /gm)].length;
    expect(differing).toBeGreaterThan(0);
    expect(text("README.md")).toMatch(new RegExp(`\\b${differing} of\\s+${recordings} schedule recordings`));
    expect(text("docs/limits.md")).toMatch(new RegExp(`\\b${recordings - differing} of\\s+${recordings} recordings are identical`));
  });
});
