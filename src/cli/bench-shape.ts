// `pygcsim bench shape`: one heap shape, built as bench/cpython/shapes.py
// builds it in CPython, and only the collection timed.
//   reach    N objects × 4 random references, all bound: a full collection frees nothing
//   garbage  the same graph unbound: found and freed (rebuilt for every rep)
//   dlist    a doubly linked list of N nodes, unreachable
//   tree     N nodes, parent ⇄ childNodes lists, fan-out 8, unreachable
//   young    collect(0) of 700 new, live objects over N old ones
//   auto     the build itself, with automatic collection on: shapes.py's alloc
//            graph statement by statement through the op stream (src/workloads/alloc-build.ts)

import { Heap } from "../heap.js";
import { InvalidArgumentError } from "../errors.js";
import { randomGraph } from "../workloads/random-graph.js";
import { buildTree } from "../workloads/tree.js";
import { allocBuild } from "../workloads/alloc-build.js";

export const SHAPES = ["reach", "garbage", "dlist", "tree", "young", "auto"] as const;
export type ShapeName = (typeof SHAPES)[number];

export interface ShapeResult {
  shape: ShapeName;
  n: number;
  reps: number;
  python: string;
  median_ms: number;
  min_ms: number;
  max_ms: number;
  collected: number;
  /** Engine memory the shape's heap holds per object (linear memory, growth slack included). */
  bytes_per_object: number;
}

function fresh(python: string): Heap {
  const h = new Heap({ python });
  h.disable();
  return h;
}

function unreachableList(h: Heap, n: number, doubly: boolean): void {
  const ids = h.newObjects("obj", n);
  const from: number[] = [], to: number[] = [];
  for (let i = 0; i + 1 < n; i++) {
    from.push(ids[i]); to.push(ids[i + 1]);
    if (doubly) { from.push(ids[i + 1]); to.push(ids[i]); }
  }
  h.addRefs(from, to);
  h.unbindMany(ids);
}

function unreachableTree(h: Heap, n: number): void {
  const { nodes, lists } = buildTree(h, n);
  h.unbindMany(lists);
  h.unbindMany(nodes);
}

/** Builds the shape `reps` times (or once, for reach/young) and times its collections. */
export function runShape(shape: ShapeName, n: number, reps: number, python = "3.11"): ShapeResult {
  if (!SHAPES.includes(shape)) throw new InvalidArgumentError(`--shape must be one of ${SHAPES.join(", ")}`, "bench shape");
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("--n must be a positive integer", "bench shape");
  if (!Number.isInteger(reps) || reps < 1) throw new InvalidArgumentError("--reps must be a positive integer", "bench shape");
  const times: number[] = [];
  let collected = 0;
  let h: Heap | null = null;
  let oldIds: Uint32Array | null = null;
  const empty = new Heap({ python }).debug.memoryInUse();
  let bytes = 0;
  if (shape === "auto") {
    for (let r = 0; r < reps; r++) {
      h = new Heap({ python }); // automatic collection on, one safe point per statement
      const t = performance.now();
      allocBuild(h, n);
      times.push(performance.now() - t);
      bytes = h.debug.memoryInUse() - empty;
    }
    times.sort((a, b) => a - b);
    return {
      shape, n, reps, python: h!.profile.version, median_ms: times[Math.floor(times.length / 2)],
      min_ms: times[0], max_ms: times[times.length - 1], collected: h!.getStats().reduce((s, g) => s + g.collected, 0),
      bytes_per_object: bytes / n,
    };
  }
  if (shape === "reach" || shape === "young") {
    h = fresh(python);
    oldIds = randomGraph(h, { n, seed: 1 }).ids;
    h.collect(); // settle: everything old
  }
  for (let r = 0; r < reps; r++) {
    let gen = 2;
    if (shape === "garbage") { h = fresh(python); h.unbindMany(randomGraph(h, { n, seed: 1 }).ids); }
    else if (shape === "dlist") { h = fresh(python); unreachableList(h, n, true); }
    else if (shape === "tree") { h = fresh(python); unreachableTree(h, n); }
    else if (shape === "young") {
      gen = 0;
      // 700 new objects, alive, each referring to an old one and to its neighbour
      const ids = h!.newObjects("obj", 700);
      const from = new Uint32Array(1400), to = new Uint32Array(1400);
      for (let i = 0; i < 700; i++) {
        from[2 * i] = ids[i]; to[2 * i] = oldIds![(i * 7919 + r * 104729) % oldIds!.length];
        from[2 * i + 1] = ids[i]; to[2 * i + 1] = ids[(i + 1) % 700];
      }
      h!.addRefs(from, to);
    }
    bytes = h!.debug.memoryInUse() - empty;
    const t = performance.now();
    collected = h!.collect(gen);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    shape, n, reps, python: h!.profile.version, median_ms: times[Math.floor(times.length / 2)],
    min_ms: times[0], max_ms: times[times.length - 1], collected, bytes_per_object: bytes / n,
  };
}
