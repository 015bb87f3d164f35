// `npm run bench [-- options]`: the whole suite, printed. bench/run.ts
// (collections side by side with CPython; options as documented there), then
// bench/largest.ts (the largest heap), bench/extra.ts (micro-benchmarks, more
// shapes, the analyses, the goals) and bench/opstream.ts (op stream against
// API calls), bench/explore.ts (the explorer with a large dump, if Chromium
// is there). `-- --md bench/RESULTS.md` also writes the tracked results file
// (run.ts writes it, the others append their sections): only when asked.
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const mdAt = args.indexOf("--md");
const md = mdAt >= 0 ? args[mdAt + 1] : null;
if (mdAt >= 0 && !md) throw new Error("--md needs a file (bench/RESULTS.md)");
const runArgs = args;
const node = (script, extra, opts = {}) =>
  execFileSync(process.execPath, ["--expose-gc", join(root, "dist", "bench", script), ...extra], { cwd: root, stdio: ["ignore", "inherit", "inherit"], ...opts });
node("run.js", runArgs);
// the largest heap (bench/largest.ts; writes bench/largest.json for extra.js's goals); --quick: 10M
const largest = execFileSync(process.execPath, ["--expose-gc", join(root, "dist", "bench", "largest.js"), "--n", args.includes("--quick") ? "10000000" : "50000000"],
  { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
process.stdout.write(largest);
if (md) appendFileSync(join(root, md), largest);
const extra = execFileSync(process.execPath, ["--expose-gc", join(root, "dist", "bench", "extra.js"), ...(args.includes("--quick") ? ["--quick"] : [])],
  { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 << 20 });
process.stdout.write(extra);
if (md) appendFileSync(join(root, md), extra);
// what the op stream buys against one API call per statement (bench/opstream.ts)
const ops = execFileSync(process.execPath, ["--expose-gc", join(root, "dist", "bench", "opstream.js"), ...(args.includes("--quick") ? ["--n", "200000", "--reps", "2"] : [])],
  { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
const section = `\n## Op stream against one API call per statement\n\n\`node --expose-gc dist/bench/opstream.js\`: the allocation build of shapes.py's alloc shape statement by statement (make, append, drop the temporary; 4 slot stores), Python 3.11, medians.\n\n${ops}`;
process.stdout.write(section);
if (md) appendFileSync(join(root, md), section);
// the explorer opening a ~500,000-object dump, against the same load in Node (bench/explore.ts; needs Chromium)
if (existsSync(process.env.PYGCSIM_CHROMIUM || "/usr/bin/chromium")) {
  node("explore.js", md ? ["--md", md] : []);
} else {
  process.stderr.write("bench: no Chromium (apt-get install chromium): the explorer's section is left out\n");
}
