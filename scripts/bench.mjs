// `npm run bench [-- options]`: the whole suite. bench/run.ts (collections
// side by side with CPython; options as documented there) writes
// bench/RESULTS.md, then bench/largest.ts (the largest heap), bench/extra.ts (micro-benchmarks, more shapes, the
// analyses, the goals) and bench/opstream.ts (op stream against API calls) append their sections. --no-md: print only, leave RESULTS.md alone.
import { execFileSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const noMd = args.includes("--no-md");
const runArgs = args.filter((a) => a !== "--no-md");
const node = (script, extra, opts = {}) =>
  execFileSync(process.execPath, ["--expose-gc", join(root, "dist", "bench", script), ...extra], { cwd: root, stdio: ["ignore", "inherit", "inherit"], ...opts });
node("run.js", noMd || runArgs.includes("--md") ? runArgs : [...runArgs, "--md", "bench/RESULTS.md"]);
// the largest heap (bench/largest.ts; writes bench/largest.json for extra.js's goals); --quick: 10M
const largest = execFileSync(process.execPath, ["--expose-gc", join(root, "dist", "bench", "largest.js"), "--n", args.includes("--quick") ? "10000000" : "50000000"],
  { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
process.stdout.write(largest);
if (!noMd) appendFileSync(join(root, "bench", "RESULTS.md"), largest);
const extra = execFileSync(process.execPath, ["--expose-gc", join(root, "dist", "bench", "extra.js"), ...(args.includes("--quick") ? ["--quick"] : [])],
  { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 << 20 });
process.stdout.write(extra);
if (!noMd) appendFileSync(join(root, "bench", "RESULTS.md"), extra);
// what the op stream buys against one API call per statement (bench/opstream.ts)
const ops = execFileSync(process.execPath, ["--expose-gc", join(root, "dist", "bench", "opstream.js"), ...(args.includes("--quick") ? ["--n", "200000", "--reps", "2"] : [])],
  { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
const section = `\n## Op stream against one API call per statement\n\n\`node --expose-gc dist/bench/opstream.js\`: the allocation build of shapes.py's alloc shape statement by statement (make, append, drop the temporary; 4 slot stores), Python 3.11, medians.\n\n${ops}`;
process.stdout.write(section);
if (!noMd) appendFileSync(join(root, "bench", "RESULTS.md"), section);
