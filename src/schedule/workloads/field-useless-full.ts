// Field case gh-122569: long_lived_pending is not lowered when objects of the
// oldest generation die by reference counting, so after a batch of long-lived
// objects dies the 25 % rule lets full collections run that find nothing.
// Each round builds `batch` Nodes in a list (they survive young collections
// and count as pending long-lived objects), keeps them for a while, then
// drops the list: they die by refcounting, not by the collector.

import type { Program } from "../program.js";
import { SlotBuilder } from "./common.js";

export interface UselessFullParams { rounds: number; batch: number }

export const uselessFullDefaults: UselessFullParams = { rounds: 40, batch: 20_000 };

export function uselessFull(p: UselessFullParams): Program {
  const L = 0, X = 1;
  const g = new SlotBuilder(2);
  for (let r = 0; r < p.rounds; r++) {
    g.newList(L);         // the previous batch dies here, by refcounting
    for (let i = 0; i < p.batch; i++) {
      g.newObj(X);
      g.append(L, X);
    }
    g.drop(X);
  }
  return g.build();
}
