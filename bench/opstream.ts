// What the op stream buys: the allocation build (src/workloads/alloc-build.ts,
// shapes.py's alloc graph, 7 statements per node) run statement by statement
// through the op stream and through one API call per statement, side by side
// in one run, automatic collection on (3.11), and with gc off.
//
//   node --expose-gc dist/bench/opstream.js [--n N] [--reps R]

import { Heap } from "../src/index.js";
import { allocBuild } from "../src/workloads/alloc-build.js";
import { mulberry32 } from "../src/workloads/random-graph.js";
import { collectJsGarbage, median } from "./measure.js";

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const n = arg("--n", 1_000_000), reps = arg("--reps", 3);

/** The same statements, one API call each. */
function viaCalls(heap: Heap, count: number, seed = 1): void {
  const rnd = mulberry32(seed);
  const list = heap.newObject("list");
  const nodes = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const x = heap.newObject("obj");
    heap.addRef(list, x);
    heap.unbind(x);
    nodes[i] = x;
  }
  for (let i = 0; i < count; i++) for (let j = 0; j < 4; j++) heap.addRef(nodes[i], nodes[Math.floor((rnd() / 4294967296) * count)]);
}

function time(gcOn: boolean, build: (h: Heap) => void): { ms: number; collections: string } {
  const xs: number[] = [];
  let collections = "";
  for (let r = 0; r < reps; r++) {
    collectJsGarbage();
    const h = new Heap({ python: "3.11" });
    if (!gcOn) h.disable();
    const t = performance.now();
    build(h);
    xs.push(performance.now() - t);
    collections = h.getStats().map((g) => g.collections).join("/");
  }
  return { ms: median(xs), collections };
}

const ops = 7 * n;
console.log(`| build (N = ${n.toLocaleString("en")}, ${ops.toLocaleString("en")} statements) | op stream ms | ns/op | one call per statement ms | ns/op | ratio | collections (0/1/2) |`);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
for (const gcOn of [true, false]) {
  const s = time(gcOn, (h) => allocBuild(h, n));
  const c = time(gcOn, (h) => viaCalls(h, n));
  console.log(`| gc ${gcOn ? "on" : "off"} | ${s.ms.toFixed(0)} | ${((s.ms * 1e6) / ops).toFixed(0)} | ${c.ms.toFixed(0)} | ${((c.ms * 1e6) / ops).toFixed(0)} | ${(c.ms / s.ms).toFixed(2)}× | ${s.collections} (calls: ${c.collections}) |`);
}
