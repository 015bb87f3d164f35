// `a = Node(); b = Node(); a.s0 = b; b.s0 = a`, over and over: each new
// pair drops the previous one, which only the cycle collector can free.

import type { Program } from "../program.js";
import { SlotBuilder } from "./common.js";

export interface SmallCyclesParams { iterations: number }

export const smallCyclesDefaults: SmallCyclesParams = { iterations: 300_000 };

export function smallCycles(p: SmallCyclesParams): Program {
  const g = new SlotBuilder(2);
  for (let i = 0; i < p.iterations; i++) {
    g.newObj(0);
    g.newObj(1);
    g.link(0, 1);
    g.link(1, 0);
  }
  return g.build();
}
