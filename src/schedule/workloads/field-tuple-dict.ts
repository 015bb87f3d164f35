// Field case gh-139951 / gh-140175: a dict filled with 1,000,000 tuple-keyed
// entries (here: values `(i, i)`, the same objects for the collector) took
// <1 s on 3.13 and >2 s on 3.14.0, because 3.14.0 tracked such tuples at
// creation and counted every one, running increments that walk the growing
// dict; 3.14.1's fix (GH-140262) counts tracked objects only and does not
// track tuples of atoms at creation.

import type { Program } from "../program.js";
import { SlotBuilder } from "./common.js";

export interface TupleDictParams { n: number }

export const tupleDictDefaults: TupleDictParams = { n: 1_000_000 };

export function tupleDict(p: TupleDictParams): Program {
  const D = 0, I = 1, T = 2;
  const g = new SlotBuilder(3);
  g.newDict(D);
  for (let i = 0; i < p.n; i++) {
    g.newInt(I, i);
    g.newTuple(T, [I, I]);
    g.dictSet(D, i, T);
  }
  return g.build();
}
