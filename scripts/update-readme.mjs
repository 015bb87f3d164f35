// Regenerates what README.md and docs/*.md show of real files and real
// output (scripts/docs-blocks.mjs describes the three kinds): named blocks
// (the profiles table, the field cases, the examples and their output),
// `<!-- source: PATH -->` blocks, and the output of transcripts that no
// longer match (one with a "…" line is left as it is: the test checks it).
// test/docs.test.ts and the readme tests fail when any of them drift.
import { readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { docFiles, matches, run, sources, transcripts } from "./docs-blocks.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const node = (...args) => run(root, ["node", ...args].join(" ")).join("\n");
const file = (path) => readFileSync(join(root, path), "utf8").trimEnd();
const named = {
  quickstart: () => "```js\n" + file("examples/quickstart.mjs") + "\n```",
  "quickstart-output": () => "```text\n" + node("examples/quickstart.mjs") + "\n```",
  profiles: () => "```text\n" + node("bin/pygcsim.js", "profiles") + "\n```",
  analysis: () => "```js\n" + file("examples/analysis.mjs") + "\n```",
  "analysis-output": () => "```text\n" + node("examples/analysis.mjs") + "\n```",
  "tracker-example": () => "```js\n" + file("docs/tracker-example.mjs") + "\n```",
  "tracker-output": () => "```text\n" + node("docs/tracker-example.mjs") + "\n```",
  "track-output": () => {
    const cmd = "bin/pygcsim.js track test/conformance/cases/fin_cycle_with_plain_obj.json --python 2.7 --json";
    return "```text\n$ node " + cmd + "\n" + node(cmd) + "\n```";
  },
  "field-cases": () => node("bin/pygcsim.js", "schedule", "--field", "--check", "test/schedule/expected"),
};

const found = new Set();
for (const path of docFiles(root)) {
  let text = readFileSync(join(root, path), "utf8");
  for (const [name, make] of Object.entries(named)) {
    const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
    if (!re.test(text)) continue;
    found.add(name);
    const body = make();
    text = text.replace(re, (_, a, b) => `${a}${body}\n${b}`);
  }
  // from the last block up, so that earlier line numbers stay valid
  const lines = text.split("\n");
  const edits = [
    ...sources(text).map((s) => ({ open: s.open, close: s.close, body: file(s.path).split("\n") })),
    ...transcripts(text).filter((t) => !t.steps.some((s) => s.expected.includes("…"))).flatMap((t) => {
      const outputs = t.steps.map((s) => run(root, s.command));
      // a transcript that still matches (timings masked) stays as it is: no churn from wall times
      if (t.steps.every((s, i) => matches(s.expected, outputs[i], t.varies))) return [];
      return [{ open: t.open, close: t.close, body: t.steps.flatMap((s, i) => [`$ ${s.command}`, ...outputs[i]]) }];
    }),
  ].sort((a, b) => b.open - a.open);
  for (const e of edits) lines.splice(e.open + 1, e.close - e.open - 1, ...e.body);
  writeFileSync(join(root, path), lines.join("\n"));
}
for (const name of Object.keys(named)) if (!found.has(name)) throw new Error(`no README.md or docs/*.md has the ${name} markers`);
