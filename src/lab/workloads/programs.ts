// Every schedule workload (src/schedule/workloads/) is a lab workload too: the
// same program that python/schedule_recorder.py runs in real interpreters,
// executed statement by statement with the executor's safe points, so 3.12+
// collect where Python's eval breaker would (a batch call would collect once
// at its end). step() is called every 1/200 of the program.

import { Heap } from "../../heap.js";
import type { ParamSpec, Workload } from "../types.js";
import type { Program } from "../../schedule/program.js";
import { executeProgram } from "../../schedule/twin.js";
import { scheduleWorkloads, type ScheduleWorkload } from "../../schedule/workloads/index.js";

const STEPS = 200;

function programWorkload(w: ScheduleWorkload): Workload {
  const params: Record<string, ParamSpec> = {};
  for (const [k, v] of Object.entries(w.defaults)) {
    if (typeof v === "number") params[k] = { default: v, doc: `the schedule workload's ${k}` };
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
      executeProgram(heap, program, (op) => {
        if (op > 0 && op % per === 0 && done < STEPS) { done++; step(); }
      });
      while (done < STEPS) { done++; step(); }
    },
  };
}

export const PROGRAM_WORKLOADS: readonly Workload[] = scheduleWorkloads.map(programWorkload);
