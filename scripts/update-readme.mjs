// Regenerates the README blocks that show real output (between <!-- name:start -->
// and <!-- name:end --> markers): the quickstart source and its output, and the
// profiles table. test/readme.test.ts fails when they drift.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const run = (...args) => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" }).trimEnd();
const blocks = {
  quickstart: "```js\n" + readFileSync(join(root, "examples", "quickstart.mjs"), "utf8").trimEnd() + "\n```",
  "quickstart-output": "```text\n" + run("examples/quickstart.mjs") + "\n```",
  profiles: "```text\n" + run("bin/pygcsim.js", "profiles") + "\n```",
  analysis: "```js\n" + readFileSync(join(root, "examples", "analysis.mjs"), "utf8").trimEnd() + "\n```",
  "analysis-output": "```text\n" + run("examples/analysis.mjs") + "\n```",
  "field-cases": run("bin/pygcsim.js", "schedule", "--field", "--check", "test/schedule/expected"),
};
let readme = readFileSync(join(root, "README.md"), "utf8");
for (const [name, body] of Object.entries(blocks)) {
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(readme)) throw new Error(`README.md has no ${name} markers`);
  readme = readme.replace(re, (_, a, b) => `${a}${body}\n${b}`);
}
writeFileSync(join(root, "README.md"), readme);
