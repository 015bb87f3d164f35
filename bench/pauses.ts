// Pauses: how much one collection examines, and how long it takes, on the
// same 1,000,000-object heap (the reach shape: 4 random references each, all
// live) under CPython 3.13's generational collector (a full collection) and
// 3.14's incremental one (collect(1), as the automatic collector runs it
// after 2,000 new objects). A 3.14 cycle starts with a mark step over
// everything the roots reach, then runs budgeted increments.

import type { HeapEvent } from "../src/index.js";
import { buildReach } from "./shapes.js";
import { collectJsGarbage } from "./measure.js";

export interface PauseRow {
  profile: string;
  what: string;
  collections: number;
  examinedMedian: number;
  examinedMax: number;
  msMedian: number;
  msMax: number;
  collected: number;
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 0);

interface One { examined: number; ms: number; collected: number; kind: string }

function row(profile: string, what: string, xs: One[]): PauseRow {
  return {
    profile, what, collections: xs.length,
    examinedMedian: median(xs.map((x) => x.examined)), examinedMax: Math.max(0, ...xs.map((x) => x.examined)),
    msMedian: median(xs.map((x) => x.ms)), msMax: Math.max(0, ...xs.map((x) => x.ms)),
    collected: xs.reduce((a, x) => a + x.collected, 0),
  };
}

/** 3.13: `steps` full collections; 3.14: collect(1) until a whole cycle (mark step … flip) has run. */
export function measurePauses(n: number, targets: Uint32Array, steps = 20): PauseRow[] {
  const rows: PauseRow[] = [];
  for (const profile of ["3.13", "3.14"]) {
    collectJsGarbage();
    const { heap } = buildReach(n, targets, { python: profile });
    heap.collect(2); // settled: a 3.14 cycle now starts with a mark step
    let last: Extract<HeapEvent, { kind: "gc-stop" }> | null = null;
    heap.onEvent((e) => { if (e.kind === "gc-stop") last = e; });
    const runs: One[] = [];
    let flips = 0;
    for (let i = 0; i < 5000 && (profile === "3.13" ? i < steps : flips < 2); i++) {
      // what makes one automatic collection due: 2,001 new objects, 200 of them in garbage cycles
      const fresh = heap.newObjects("obj", 2001);
      for (let k = 0; k + 1 < 200; k += 2) { heap.addRef(fresh[k], fresh[k + 1]); heap.addRef(fresh[k + 1], fresh[k]); }
      heap.unbindMany(fresh.subarray(0, 200));
      const before = profile === "3.14" ? heap.lab.getIncrementalState() : null;
      const t = performance.now();
      heap.collect(profile === "3.13" ? 2 : 1);
      const ms = performance.now() - t;
      const e = last!;
      let kind = "full";
      if (before) {
        const after = heap.lab.getIncrementalState();
        if (after.visitedSpace !== before.visitedSpace) flips++;
        kind = before.phase === "mark" && after.phase === "collect" ? "mark" : e.examined === 0 ? "skipped" : "increment";
      }
      runs.push({ examined: e.examined, ms, collected: e.collected, kind });
    }
    if (profile === "3.13") rows.push(row(profile, "collect(2): full collection", runs));
    else {
      rows.push(row(profile, "collect(1): mark step", runs.filter((r) => r.kind === "mark")));
      rows.push(row(profile, "collect(1): increment", runs.filter((r) => r.kind === "increment")));
      rows.push(row(profile, "collect(1): budget spent, nothing to do", runs.filter((r) => r.kind === "skipped")));
    }
  }
  return rows;
}
