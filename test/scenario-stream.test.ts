// The scenario runner writes stretches of heap-building ops into an op
// stream (src/scenario/run.ts): every scenario of the suites must give the
// same result text, or the same error, as when each op is an API call — on
// every profile, both builds.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runScenario } from "../src/scenario/run.js";
import { PROFILES } from "../src/profiles.js";
import { Heap } from "../src/heap.js";

const root = join(import.meta.dirname);
const files = ["conformance/cases", "recorded-random/cases"].flatMap((d) =>
  readdirSync(join(root, d)).filter((f) => f.endsWith(".json")).map((f) => join(root, d, f)));
const versions = [...new Set(PROFILES.map((p) => p.version))];

function outcome(scn: unknown, python: string, streamed: boolean): string {
  try {
    const r = runScenario(scn, python, { streamed });
    return r.status === "ran" ? r.text : `skipped: ${r.reason}`;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

describe("scenarios as op streams give what op-by-op calls give", () => {
  it(`${files.length} scenarios × ${versions.length} profiles`, () => {
    // the streamed runs do go through runOps (counted), the others never
    let streamedOps = 0;
    const runOps = Heap.prototype.runOps;
    Heap.prototype.runOps = function (this: Heap, s) { streamedOps += s.length; return runOps.call(this, s); };
    let compared = 0;
    for (const f of files) {
      const scn = JSON.parse(readFileSync(f, "utf8"));
      for (const v of versions) {
        expect(outcome(scn, v, true), `${f} under ${v}`).toBe(outcome(scn, v, false));
        compared++;
      }
    }
    Heap.prototype.runOps = runOps;
    expect(compared).toBe(files.length * versions.length);
    expect(streamedOps).toBeGreaterThan(10_000);
  }, 300_000);

  it("a refused op in the middle of a stretch is reported as op by op: its index, its API error", () => {
    const scn = {
      name: "refused_in_stretch", description: "a weakref to a list is refused",
      ops: [{ op: "new", id: "a", type: "obj" }, { op: "new", id: "l", type: "list" }, { op: "ref", from: "a", to: "l" }, { op: "weakref", id: "w", to: "l" }, { op: "del", id: "a" }],
    };
    const streamed = outcome(scn, "3.12", true);
    expect(streamed).toMatch(/^error: op 3 \(weakref\): /);
    expect(streamed).toBe(outcome(scn, "3.12", false));
  });
});
