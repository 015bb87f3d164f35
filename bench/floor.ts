// The floor kernel's host side (bench/kernel/floor.ts, built to
// build/floor.wasm): loads a graph of N nodes × 4 references (the bench's
// drawTargets) and runs its two-pass collection, so that the engine's full
// collection can be timed next to the least work the same graph needs.

import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { REFS_PER_NODE } from "./shapes.js";

interface FloorExports {
  memory: WebAssembly.Memory;
  setup(n: number, e: number): void;
  startPtr(): number;
  targetsPtr(): number;
  rcPtr(): number;
  collect(): number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A floor kernel holding the graph: node i refers to targets[4i .. 4i+3]; every node bound as a root when `rooted`. */
export function loadFloor(n: number, targets: Uint32Array, rooted: boolean): { collect(): number } {
  const bytes = readFileSync(join(root, "build", "floor.wasm"));
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort: () => { throw new Error("floor kernel aborted"); } } });
  const x = inst.exports as unknown as FloorExports;
  x.setup(n, targets.length);
  const buf = x.memory.buffer;
  const start = new Uint32Array(buf, x.startPtr(), n + 1);
  for (let i = 0; i <= n; i++) start[i] = i * REFS_PER_NODE;
  new Uint32Array(buf, x.targetsPtr(), targets.length).set(targets);
  const rc = new Int32Array(buf, x.rcPtr(), n);
  rc.fill(rooted ? 1 : 0);
  for (let j = 0; j < targets.length; j++) rc[targets[j]]++;
  return { collect: () => x.collect() };
}
