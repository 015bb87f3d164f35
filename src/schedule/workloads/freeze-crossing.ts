// gc.freeze() in the middle of a workload (the pre-fork pattern gc.freeze
// was added for, bpo-31558): build a heap, freeze it, keep
// churning cycles and requests; halfway through the churn the frozen
// heap is released (by refcounting: it has no cycles).

import type { Program } from "../program.js";
import { Rng, SlotBuilder } from "./common.js";

export interface FreezeCrossingParams { n: number; iterations: number; seed: number }

export const freezeCrossingDefaults: FreezeCrossingParams = { n: 100_000, iterations: 100_000, seed: 5 };

export function freezeCrossing(p: FreezeCrossingParams): Program {
  const rng = new Rng(p.seed);
  // registers 0..n-1: the frozen nodes; then the list and churn registers
  const L = p.n, A = p.n + 1, B = p.n + 2, LST = p.n + 3, T = p.n + 4, I = p.n + 5;
  const g = new SlotBuilder(p.n + 6);
  g.newList(L);
  for (let i = 0; i < p.n; i++) {
    g.newObj(i);
    g.append(L, i);
    if (i > 0) { g.link(i, rng.int(i)); g.link(i, rng.int(i)); }
  }
  g.freeze();
  for (let i = 0; i < p.iterations; i++) {
    if (i === p.iterations >> 1) {
      // release the frozen heap: registers from the newest down, then the list
      for (let j = p.n - 1; j >= 0; j--) g.drop(j);
      g.drop(L);
    }
    g.newObj(A); g.newObj(B); g.link(A, B); g.link(B, A);
    if (rng.chance(0.3)) {
      g.newList(LST); g.newInt(I, i); g.newTuple(T, [I, A]); g.append(LST, T);
    }
  }
  return g.build();
}
