// Every schedule workload (src/schedule/workloads/) is a lab workload too: the
// same program that python/schedule_recorder.py runs in real interpreters,
// executed statement by statement with the executor's safe points (as op
// streams, one per step, where the profile allows: schedule/stream.ts), so
// 3.12+ collect where Python's eval breaker would (a batch call would collect
// once at its end). step() is called every 1/200 of the program.

import { Heap } from "../../heap.js";
import type { ParamSpec, Workload } from "../types.js";
import type { Program } from "../../schedule/program.js";
import { executeProgram } from "../../schedule/twin.js";
import { streamable, streamRun } from "../../schedule/stream.js";
import { scheduleWorkloads, type ScheduleWorkload } from "../../schedule/workloads/index.js";

const STEPS = 200;

/** The range of a schedule program's parameter (by name: the generators share their vocabulary). */
function programRange(k: string): { integer?: boolean; min: number; max: number } {
  if (k === "keep") return { min: 0, max: 1 }; // a probability
  if (k === "degree") return { integer: true, min: 0, max: 16 }; // an obj's slots
  if (k === "seed") return { integer: true, min: 0, max: 2 ** 32 - 1 };
  if (k === "depth") return { integer: true, min: 1, max: 6 };
  if (k === "fanout") return { integer: true, min: 1, max: 8 };
  if (k === "ring") return { integer: true, min: 1, max: 100_000 };
  if (k === "temps") return { integer: true, min: 0, max: 1000 };
  return { integer: true, min: 1, max: 5_000_000 }; // counts of iterations and objects: the program is built in memory
}

function programWorkload(w: ScheduleWorkload): Workload {
  const params: Record<string, ParamSpec> = {};
  for (const [k, v] of Object.entries(w.defaults)) {
    if (typeof v === "number") params[k] = { default: v, doc: `the schedule workload's ${k}`, ...programRange(k) };
  }
  let cache: { key: string; program: Program } | null = null;
  const programFor = (p: Record<string, number | string>): Program => {
    const key = JSON.stringify(p);
    if (!cache || cache.key !== key) {
      const merged: Record<string, unknown> = { ...w.defaults };
      for (const k of Object.keys(params)) merged[k] = Number(p[k]);
      cache = { key, program: w.build(merged) };
    }
    return cache.program;
  };
  return {
    name: w.name,
    description: `${w.description} (a schedule program: ${w.source})`,
    params,
    heap: (_p, python) => {
      const heap = new Heap({ python, safePoints: "explicit" });
      const t = w.defaults.thresholds;
      if (t) heap.setThreshold(t[0], t[1], t[2]);
      return heap;
    },
    steps: () => STEPS,
    run({ heap, params: p, step }) {
      const program = programFor(p);
      const per = Math.max(1, Math.ceil(program.ops / STEPS));
      let done = 0;
      if (streamable(heap)) {
        // one op stream per step: the samples fall where the statement-by-statement run takes them
        streamRun(heap, program).run(per, () => { if (done < STEPS) { done++; step(); } });
      } else {
        executeProgram(heap, program, (op) => {
          if (op > 0 && op % per === 0 && done < STEPS) { done++; step(); }
        });
      }
      while (done < STEPS) { done++; step(); }
    },
  };
}

export const PROGRAM_WORKLOADS: readonly Workload[] = scheduleWorkloads.map(programWorkload);
