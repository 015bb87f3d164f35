// Field case gh-129210 (bm_gc_collect: 20.8 s on main vs 3.3 s on 3.13, the
// incremental collector bisected as the cause): a big live heap — `live`
// Nodes in a linked structure held by a list — with cycles made and dropped
// on top, as pyperformance's gc_collect benchmark makes rings of Nodes.

import type { Program } from "../program.js";
import { SlotBuilder } from "./common.js";

export interface BigHeapParams { live: number; rings: number; ring: number }

export const bigHeapDefaults: BigHeapParams = { live: 500_000, rings: 20_000, ring: 21 };

export function bigHeap(p: BigHeapParams): Program {
  const L = 0, X = 1, PREV = 2, HEAD = 3, CUR = 4, NEXT = 5;
  const g = new SlotBuilder(6);
  g.newList(L);
  for (let i = 0; i < p.live; i++) {
    g.newObj(X);
    if (i > 0) g.link(X, PREV); // each node refers to the one before
    g.append(L, X);
    g.move(PREV, X);
  }
  g.drop(X);
  g.drop(PREV);
  for (let r = 0; r < p.rings; r++) {
    g.newObj(HEAD);             // the previous ring is trash from here on
    g.move(CUR, HEAD);
    for (let k = 1; k < p.ring; k++) {
      g.newObj(NEXT);
      g.link(CUR, NEXT);
      g.move(CUR, NEXT);
    }
    g.link(CUR, HEAD);          // close the ring
    g.drop(NEXT);
    g.drop(CUR);
  }
  return g.build();
}
