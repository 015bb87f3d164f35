// delete_garbage's fast path (free the final garbage at once when no outside
// object dies with it) must be indistinguishable from clearing object by
// object: same events, same survivors in the same list order, same counts.
// Objects are compared by serial number (creation order), since freed ids are
// reused in a different order.
import { describe, expect, it } from "vitest";
import { Heap, type HeapEvent } from "../src/heap.js";
import { mulberry32 } from "../src/workloads/random-graph.js";
import { BUILDS } from "./helpers.js";

function run(build: "debug" | "release", python: string, seed: number, quiet: boolean) {
  const heap = new Heap({ python, build });
  heap.disable();
  heap.debug.setQuietDelete(quiet);
  const rnd = mulberry32(seed);
  const pick = <T,>(xs: T[]) => xs[rnd() % xs.length];
  const log: string[] = [];
  const ser = (id: number) => (heap.exists(id) ? heap.serial(id) : -1);
  heap.onEvent((e: HeapEvent) => {
    if (e.kind === "finalized") log.push(`F${e.serial}`);
    else if (e.kind === "callback") log.push(`C${e.serial}`);
    else if (e.kind === "gc-stop") log.push(`G${e.generation}:${e.collected}/${e.uncollectable}`);
  });
  const bound = new Set<number>();
  for (let round = 0; round < 6; round++) {
    const made: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = pick(["obj", "obj", "fin", "list", "dict", "int"] as const);
      const x = heap.newObject(t, { resurrect: t === "fin" && rnd() % 7 === 0 });
      made.push(x);
      bound.add(x);
    }
    const containers = [...bound].filter((x) => ["obj", "fin", "list", "dict"].includes(heap.typeOf(x)));
    for (let i = 0; i < 120; i++) {
      const from = pick(containers), to = pick([...bound]);
      if (heap.typeOf(from) === "obj" || heap.typeOf(from) === "fin") {
        if (heap.getReferents(from).length >= 16) continue;
      }
      heap.addRef(from, to);
    }
    for (let i = 0; i < 6; i++) {
      const inst = [...bound].filter((x) => ["obj", "fin"].includes(heap.typeOf(x)));
      const w = heap.newWeakref(pick(inst), { callback: true });
      bound.add(w);
    }
    for (const x of [...bound]) {
      if (rnd() % 3 !== 0) { heap.unbind(x); bound.delete(x); }
    }
    log.push(`R${heap.collect(rnd() % 3)}`);
    log.push(`S${heap.size} ${heap.getCount().join(",")} ${[...heap.getObjects()].map(ser).join(",")}`);
    if (rnd() % 2) heap.dropResurrected();
    for (const x of [...bound]) if (!heap.exists(x)) bound.delete(x);
  }
  log.push(`final ${heap.collect()} ${heap.size}`);
  heap.debug.checkInvariants();
  return log;
}

describe.each(BUILDS)("quiet delete_garbage (%s build)", (build) => {
  it.each(["2.7", "3.6", "3.8", "3.11", "3.13", "3.14"])("matches the object-by-object path under %s", (python) => {
    for (const seed of [1, 2, 3, 4]) {
      expect(run(build, python, seed, true)).toEqual(run(build, python, seed, false));
    }
  });
});
