// n Nodes, each appended to a list and given `degree` references to random
// earlier nodes: the benchmark shape of the issues ("N objects with 4
// random references each"), all alive, so every collection is pure cost.

import type { Program } from "../program.js";
import { ProgramBuilder } from "../program.js";
import { Rng } from "./common.js";

export interface RandomGraphParams { n: number; degree: number; seed: number }

export const randomGraphDefaults: RandomGraphParams = { n: 1_000_000, degree: 4, seed: 1 };

export function randomGraph(p: RandomGraphParams): Program {
  if (p.degree > 16) throw new RangeError("degree ≤ 16 (slots)");
  const rng = new Rng(p.seed);
  // register i holds node i for good (only registers can be linked);
  // register n holds the list. A fresh node's slots fill from s0 up, so
  // the slot invariant holds without tracking.
  const L = p.n;
  const b = new ProgramBuilder(p.n + 1);
  b.newList(L);
  for (let i = 0; i < p.n; i++) {
    b.newObj(i);
    b.append(L, i);
    if (i === 0) continue;
    for (let k = 0; k < p.degree; k++) b.setSlot(i, k, rng.int(i));
  }
  return b.build();
}
