// Field case: the pending-trash backlog of a loop that makes small cycles
// (CPython PR #142001, nascheme: at most <100 trash cycles outstanding on 3.13,
// ~2,000 on 3.14.0, ~10,000 on 3.14.1+; gh-142516: an HTTP client's
// per-request `_response` cycles, ~80 MB on 3.14.0 vs ~420 MB on 3.14.2).
// Each iteration makes one cycle of `ring` objects — an instance, its
// attribute dict and a list pointing back, like a response object — and
// `temps` short-lived objects freed at once; the previous cycle becomes trash.

import type { Program } from "../program.js";
import { SlotBuilder } from "./common.js";

export interface TrashBacklogParams { iterations: number; temps: number }

export const trashBacklogDefaults: TrashBacklogParams = { iterations: 200_000, temps: 2 };

/** Objects per trash cycle: a Node, its dict, a list holding the Node. */
export const TRASH_RING = 3;

export function trashBacklog(p: TrashBacklogParams): Program {
  const OBJ = 0, D = 1, L = 2, T = 3;
  const g = new SlotBuilder(4);
  for (let i = 0; i < p.iterations; i++) {
    g.newObj(OBJ);        // the previous cycle is trash from here on
    g.newDict(D);
    g.link(OBJ, D);       // obj.__dict__-like
    g.newList(L);
    g.dictSet(D, 0, L);   // d["children"] = l
    g.append(L, OBJ);     // l.append(obj): the cycle obj → d → l → obj
    for (let t = 0; t < p.temps; t++) g.newList(T); // temporaries, freed by refcounting
    g.drop(T);
    g.drop(L);
    g.drop(D);
  }
  return g.build();
}
