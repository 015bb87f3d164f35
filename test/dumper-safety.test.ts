// python/pygcsim_dump.py inside hostile programs, on every installed CPython
// (2.7, 3.6–3.13): it must run none of the program's code (Python-level
// __sizeof__ — unittest.mock's MagicMock builds child mocks in it —, __eq__,
// __hash__, __getattr__, __repr__, __class__, metaclass hooks, a class body's
// custom namespace), survive a dead weakref.proxy (its __class__ raises
// ReferenceError), and not touch _asyncio's free list on 3.12.0–3.12.5 (CPython
// gh-122695: the next collection hung). The dump then loads, and the forecast
// of a full collection equals what the interpreter's own gc.collect() found.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Heap } from "../src/heap.js";
import { pythonOf, SERIES } from "./helpers/pythons.js";

const ROOT = join(import.meta.dirname, "..");
const DUMPER_DIR = join(ROOT, "python");
const HERE = join(import.meta.dirname, "dumper-safety");
const TMP = mkdtempSync(join(tmpdir(), "pygcsim-safety-"));

function run(py: string, script: string, out: string): { status: number | null; json: Record<string, unknown> | null; stderr: string } {
  const r = spawnSync(py, ["-S", "-E", join(HERE, script), DUMPER_DIR, out], {
    encoding: "utf8", timeout: 90_000, env: { ...process.env, PYTHONHASHSEED: "0" },
  });
  const last = r.stdout.trim().split("\n").pop() ?? "";
  return { status: r.status, json: last.startsWith("{") ? JSON.parse(last) : null, stderr: r.stderr };
}

describe.each(SERIES)("the dumper in a hostile program, CPython %s", (series) => {
  const py = pythonOf(series);
  if (!py) {
    it.skip(`CPython ${series} is not installed (~/.pyenv/versions/${series}.*): skipped`, () => {});
    return;
  }
  it("runs none of the program's code, survives dead proxies, and the forecast equals CPython's collection", () => {
    const out = join(TMP, `safety-${series}.jsonl.gz`);
    const r = run(py, "safety.py", out);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.json!.calls).toEqual([]);
    const heap = Heap.fromDump(out);
    expect(heap.collect()).toBe(r.json!.collected);
  }, 120_000);
  it.skipIf(series === "2.7")("leaves _asyncio's free list alone (gh-122695): the collection after two dumps returns", () => {
    const r = run(py, "asyncio_freelist.py", join(TMP, `asyncio-${series}.jsonl.gz`));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.json!.python).toMatch(new RegExp(`^${series.replace(".", "\\.")}\\.`));
  }, 120_000);
});
