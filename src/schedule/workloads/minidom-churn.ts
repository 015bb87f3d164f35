// xml.dom.minidom-shaped trees built and dropped: each element points at
// its parent (parentNode), its own childNodes list and the document root
// (ownerDocument), and sits in its parent's childNodes list; some have an
// attributes dict, leaves a text tuple. Dropping a tree leaves cycles for
// the collector; one tree in five is first partly unlinked (parent links of
// the last path cleared, as minidom's unlink() does).

import type { Program } from "../program.js";
import { Rng, SlotBuilder } from "./common.js";

export interface MinidomChurnParams { trees: number; depth: number; fanout: number; seed: number }

export const minidomChurnDefaults: MinidomChurnParams = { trees: 20_000, depth: 3, fanout: 3, seed: 3 };

export function minidomChurn(p: MinidomChurnParams): Program {
  const E = (d: number) => 2 * d, C = (d: number) => 2 * d + 1;
  const ATTR = 2 * (p.depth + 1), I = ATTR + 1, TXT = ATTR + 2;
  const rng = new Rng(p.seed);
  const g = new SlotBuilder(TXT + 1);

  const element = (d: number) => {
    // element at depth d (≥ 1), child of E(d-1)
    g.newObj(E(d));
    g.link(E(d), E(d - 1));   // parentNode
    g.newList(C(d));
    g.link(E(d), C(d));       // childNodes
    g.link(E(d), E(0));       // ownerDocument
    g.append(C(d - 1), E(d));
    if (rng.chance(0.3)) {
      g.newDict(ATTR);
      g.newInt(I, d);
      g.dictSet(ATTR, 0, I);
      g.link(E(d), ATTR);
    }
    if (d < p.depth) {
      const n = 1 + rng.int(p.fanout);
      for (let k = 0; k < n; k++) element(d + 1);
    } else {
      g.newInt(I, 7);
      g.newTuple(TXT, [I]);
      g.append(C(d), TXT);
    }
  };

  for (let t = 0; t < p.trees; t++) {
    g.newObj(E(0));
    g.newList(C(0));
    g.link(E(0), C(0));
    const n = 1 + rng.int(p.fanout);
    for (let k = 0; k < n; k++) element(1);
    if (rng.chance(0.2)) {
      for (let d = p.depth; d >= 1; d--) if (g.id(E(d)) !== 0) g.unlink(E(d), E(d - 1));
    }
    for (let d = p.depth; d >= 0; d--) { g.drop(E(d)); g.drop(C(d)); }
    g.drop(ATTR);
    g.drop(TXT);
  }
  return g.build();
}
