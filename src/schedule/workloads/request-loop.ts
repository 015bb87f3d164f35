// A server's request loop: per request a fresh list and a small object
// tree (a root, a few children pointing back at it, a dict of fields and
// (int, child) tuples); one request in four is kept in a bounded cache (a
// dict keyed by request index mod `cache`, the old entry deleted first),
// the rest is dropped, mostly as cycles.

import type { Program } from "../program.js";
import { Rng, SlotBuilder } from "./common.js";

export interface RequestLoopParams { requests: number; cache: number; keep: number; seed: number }

export const requestLoopDefaults: RequestLoopParams = { requests: 50_000, cache: 64, keep: 0.25, seed: 2 };

export function requestLoop(p: RequestLoopParams): Program {
  const CACHE = 0, REQ = 1, ROOT = 2, CH = 3, D = 4, T = 5, I = 6;
  const rng = new Rng(p.seed);
  const g = new SlotBuilder(7);
  const cached = new Set<number>();
  g.newDict(CACHE);
  for (let r = 0; r < p.requests; r++) {
    g.newList(REQ);
    g.newObj(ROOT);
    g.append(REQ, ROOT);
    g.newDict(D);
    g.link(ROOT, D);
    g.newInt(I, r);
    g.dictSet(D, 0, I);
    const children = 1 + rng.int(4);
    for (let c = 0; c < children; c++) {
      g.newObj(CH);
      g.link(ROOT, CH);
      g.link(CH, ROOT);
      g.append(REQ, CH);
      if (rng.chance(0.5)) {
        g.newInt(I, c);
        g.newTuple(T, [I, CH]);
        g.dictSet(D, c + 1, T);
      }
    }
    const key = r % p.cache;
    if (rng.chance(p.keep)) {
      if (cached.has(key)) g.dictDel(CACHE, key);
      g.dictSet(CACHE, key, ROOT);
      cached.add(key);
    } else if (cached.has(key) && rng.chance(0.1)) {
      g.dictDel(CACHE, key);
      cached.delete(key);
    }
    g.drop(T);
    g.drop(CH);
    g.drop(D);
    g.drop(ROOT);
    g.drop(REQ);
  }
  return g.build();
}
