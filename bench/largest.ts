// The largest heap one engine holds: N objects with 4 random references each
// (the bench's reach graph: newObjects, then addRefs in batches of 1M
// references), built and fully collected once in wasm32's 4 GiB. Prints a
// markdown section and writes bench/largest.json for bench/extra.ts's goals.
//
//   node --expose-gc dist/bench/largest.js [--n 50000000]

import { writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Heap } from "../src/index.js";
import { randomGraph } from "../src/workloads/random-graph.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const i = process.argv.indexOf("--n");
const n = i > 0 ? Number(process.argv[i + 1]) : 50_000_000;
const log = (s: string) => process.stderr.write(s + "\n");

log(`largest heap: ${n.toLocaleString("en-US")} objects × 4 references`);
const heap = new Heap({ python: "3.11" });
heap.disable(); // as gc.disable() while building (the reach shape)
let t = performance.now();
const { ids } = randomGraph(heap, { n, degree: 4, seed: 1 });
const buildMs = performance.now() - t;
log(`  built in ${(buildMs / 1000).toFixed(1)} s`);
t = performance.now();
const found = heap.collect(2);
const collectMs = performance.now() - t;
log(`  full collection ${(collectMs / 1000).toFixed(2)} s, found ${found}`);
if (found !== 0 || heap.size !== n || ids.length !== n) throw new Error(`largest: the reach heap lost objects (${found} found, ${heap.size} left)`);
const inUse = heap.debug.memoryInUse(), linear = heap.debug.memoryBytes();
const result = { n, refsPerObject: 4, buildMs, collectMs, memoryInUse: inUse, linearMemory: linear, bytesPerObject: inUse / n };
writeFileSync(join(root, "bench", "largest.json"), JSON.stringify(result, null, 1) + "\n");
const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
process.stdout.write([
  "", "## The largest heap", "",
  `\`node --expose-gc dist/bench/largest.js --n ${n}\`: ${n.toLocaleString("en-US")} obj nodes with 4 random references each (\`randomGraph\`: newObjects, then addRefs in batches of 1M references; the automatic collector off while building), then one \`collect(2)\` that examines all and frees nothing, in one engine (wasm32: 4 GiB of linear memory at most), Python 3.11 profile.`, "",
  "| objects | references | build | full collection | memory in use | linear memory | B/object |", "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  `| ${n.toLocaleString("en-US")} | ${(4 * n).toLocaleString("en-US")} | ${(buildMs / 1000).toFixed(1)} s | ${(collectMs / 1000).toFixed(2)} s | ${gib(inUse)} | ${gib(linear)} | ${(inUse / n).toFixed(1)} |`, "",
].join("\n") + "\n");
