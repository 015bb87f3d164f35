// Churn of objects with finalizers and weakrefs: Fin (a class with
// __del__) in cycles with Nodes, alone (freed by refcounting, __del__ runs
// at once) and in self-cycles; Nodes in cycles watched by weakrefs with a
// callback (the callback runs when the collector frees them) or without.
// 2.7 (and 3.3-) cannot free a cycle holding a __del__: those end in
// gc.garbage.

import type { Program } from "../program.js";
import { Rng, SlotBuilder } from "./common.js";

export interface FinalizerChurnParams { iterations: number; seed: number }

export const finalizerChurnDefaults: FinalizerChurnParams = { iterations: 100_000, seed: 4 };

export function finalizerChurn(p: FinalizerChurnParams): Program {
  const A = 0, B = 1, W0 = 2, WN = 8;
  const rng = new Rng(p.seed);
  const g = new SlotBuilder(W0 + WN);
  let w = 0;
  const nextW = () => W0 + (w++ % WN);
  for (let i = 0; i < p.iterations; i++) {
    const r = rng.int(100);
    if (r < 30) {             // Fin ⇄ Node cycle
      g.newFin(A); g.newObj(B); g.link(A, B); g.link(B, A);
    } else if (r < 50) {      // a lone Fin (the previous A may be freed now)
      g.newFin(A);
    } else if (r < 70) {      // Node ⇄ Node cycle, a weakref with a callback on one
      g.newObj(A); g.newObj(B); g.link(A, B); g.link(B, A);
      g.weakref(nextW(), A, true);
    } else if (r < 85) {      // a weakref without callback to a Node kept in B
      g.newObj(B);
      g.weakref(nextW(), B, false);
    } else if (r < 95) {      // a Fin in a self-cycle
      g.newFin(A); g.link(A, A);
    } else {                  // Fin ⇄ Node cycle, a weakref with a callback on the Fin
      g.newFin(A); g.weakref(nextW(), A, true); g.newObj(B); g.link(A, B); g.link(B, A);
    }
  }
  return g.build();
}
