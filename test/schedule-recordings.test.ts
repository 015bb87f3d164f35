// The schedule conformance suite's recordings (test/schedule/expected,
// made by scripts/record-schedule.mjs on real CPythons): each must belong to
// the program its workload generator builds today (same ops, same sha256),
// and be a clean recording. If a generator changes, re-record (see
// test/schedule/README.md).
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { scheduleWorkloads } from "../src/schedule/workloads/index.js";
import { Op, OPERANDS } from "../src/schedule/program.js";

const root = join(import.meta.dirname, "schedule", "expected");
const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+\.\d+$/.test(v)) : [];

interface Recorded {
  workload: string;
  python: string;
  params: { nregs: number; ops: number; program_sha256: string; thresholds: number[] | null; min_python: string | null; build: Record<string, unknown> };
  collections: [number | null, number, number, number][];
  count_end: number[];
  undisturbed: boolean;
}

describe("schedule workloads", () => {
  it.each(scheduleWorkloads.map((w) => w.name))("%s builds a well-formed program", (name) => {
    const w = scheduleWorkloads.find((x) => x.name === name)!;
    const p = w.build({ ...w.defaults });
    let pc = 0, ops = 0, bad = -1;
    while (pc < p.code.length) {
      const op = p.code[pc];
      const n = op === Op.NEW_TUPLE ? 2 + p.code[pc + 2] : OPERANDS[op];
      if (n === undefined) { bad = pc; break; }
      pc += 1 + n;
      ops++;
    }
    expect(bad, "word index of an unknown opcode").toBe(-1);
    expect(pc).toBe(p.code.length);
    expect(ops).toBe(p.ops);
  });
});

describe.each(versions)("schedule recordings of CPython %s", (version) => {
  const files = readdirSync(join(root, version)).filter((f) => f.endsWith(".json")).sort();
  it.each(files)("%s matches its generator and is clean", (file) => {
    const r = JSON.parse(readFileSync(join(root, version, file), "utf8")) as Recorded;
    expect(r.workload).toBe(file.slice(0, -5));
    expect(r.python.startsWith(version + ".")).toBe(true);
    expect(r.undisturbed).toBe(true);
    const w = scheduleWorkloads.find((x) => x.name === r.workload);
    expect(w, `workload ${r.workload} is in the registry`).toBeDefined();
    const p = w!.build({ ...r.params.build, thresholds: r.params.thresholds, min_python: r.params.min_python });
    const sha = createHash("sha256").update(new Uint8Array(p.code.buffer, p.code.byteOffset, p.code.byteLength)).digest("hex");
    expect(p.ops).toBe(r.params.ops);
    expect(p.nregs).toBe(r.params.nregs);
    expect(sha).toBe(r.params.program_sha256);
    // and with today's defaults (a changed default needs a re-recording)
    const { thresholds = null, min_python = null, ...build } = w!.defaults;
    expect({ build, thresholds, min_python }).toEqual({ build: r.params.build, thresholds: r.params.thresholds, min_python: r.params.min_python });
    for (const [op] of r.collections) if (op !== null) expect(op >= 0 && op < p.ops).toBe(true);
  });
});
