// Builds the engine (debug and release wasm) and the TypeScript (dist/).
// --if-needed skips a step whose outputs are newer than its sources, so
// `npm start` and `npm test` build on a fresh clone and cost nothing after.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ifNeeded = process.argv.includes("--if-needed");
const bin = (name) => join(root, "node_modules", ".bin", name);

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

const asSources = Math.max(newest(join(root, "assembly")), mtime(join(root, "asconfig.json")));
for (const target of ["release", "debug"]) {
  const out = join(root, "build", `${target}.wasm`);
  if (ifNeeded && mtime(out) > asSources) continue;
  process.stderr.write(`building build/${target}.wasm\n`);
  run(bin("asc"), ["assembly/index.ts", "--target", target]);
}
// the benchmarks' floor kernel (bench/kernel/floor.ts; not part of the package)
const floorOut = join(root, "build", "floor.wasm");
if (!ifNeeded || mtime(floorOut) <= newest(join(root, "bench", "kernel"))) {
  process.stderr.write("building build/floor.wasm\n");
  run(bin("asc"), ["--config", "bench/kernel/asconfig.json"]);
}
const tsSources = Math.max(newest(join(root, "src")), newest(join(root, "bench")), mtime(join(root, "tsconfig.json")));
if (!ifNeeded || mtime(join(root, "dist", "src", "index.js")) <= tsSources) {
  process.stderr.write("compiling TypeScript to dist/\n");
  run(bin("tsc"), ["-p", "."]);
}
// the explorer's scenario catalog: the conformance cases, shipped in the package (dist/scenarios/)
const cases = join(root, "test", "conformance", "cases");
const catalog = join(root, "dist", "scenarios");
mkdirSync(catalog, { recursive: true });
for (const f of readdirSync(cases)) {
  if (f.endsWith(".json") && mtime(join(catalog, f)) < mtime(join(cases, f))) copyFileSync(join(cases, f), join(catalog, f));
}
