// A list that only grows, by fresh one-tuples `(i,)` of an int: nothing
// ever becomes garbage, yet every full collection walks the whole list
// (the quadratic case of SF #574132 / bpo-4074; 2.7 and 3.x untrack such
// tuples during collections).

import type { Program } from "../program.js";
import { SlotBuilder } from "./common.js";

export interface TupleGrowthParams { n: number }

export const tupleGrowthDefaults: TupleGrowthParams = { n: 300_000 };

export function tupleGrowth(p: TupleGrowthParams): Program {
  const L = 0, I = 1, T = 2;
  const g = new SlotBuilder(3);
  g.newList(L);
  for (let i = 0; i < p.n; i++) {
    g.newInt(I, i);
    g.newTuple(T, [I]);
    g.append(L, T);
  }
  return g.build();
}
