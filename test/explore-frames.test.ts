// The explorer's frames (src/explore/frames.ts): a frame per op that agrees
// with the engine, events equal to what the real interpreters recorded, the
// collections stage by stage, and the first event two profiles disagree on.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { firstDivergence, OBJECT_VIEW_LIMIT, recordScenario } from "../src/explore/frames.js";
import { ScenarioError, canonical, runScenarioSession } from "../src/index.js";

const root = join(import.meta.dirname, "conformance");
const cases = readdirSync(join(root, "cases")).filter((f) => f.endsWith(".json")).sort();
const read = (f: string) => JSON.parse(readFileSync(f, "utf8"));

describe.each(["2.7", "3.12", "3.14", "3.15"])("frames of the conformance scenarios, CPython %s", (python) => {
  it.each(cases)("%s: events as recorded, one frame per op, each agreeing with itself", (file) => {
    const expected = join(root, "expected", python, file);
    if (!existsSync(expected)) return; // the scenario does not run on this version (conformance.test.ts checks that)
    const scn = read(join(root, "cases", file));
    const rec = recordScenario(scn, python);
    expect(canonical(rec.events)).toBe(canonical(read(expected).events));
    expect(rec.frames.map((f) => f.op)).toEqual([-1, ...scn.ops.map((_: unknown, i: number) => i)]);
    // every event is in the frame of its op
    expect(rec.frames.flatMap((f) => f.events)).toEqual(rec.events);
    for (const f of rec.frames) {
      for (const e of f.events) expect(e.op).toBe(f.op);
      if (f.objects) {
        expect(f.objects.length).toBe(f.liveObjects);
        const byId = new Map(f.objects.map((o) => [o.id, o]));
        for (const l of f.lists.slice(0, 3)) for (const id of l.ids) expect(byId.get(id)?.list).toBe(l.name);
        for (const o of f.objects) {
          expect(o.refcount).toBeGreaterThanOrEqual(o.roots + o.leaks);
          if (!o.tracked) expect(o.list).toBeNull();
        }
      } else {
        expect(f.liveObjects).toBeGreaterThan(OBJECT_VIEW_LIMIT);
        expect(f.aggregate!.reduce((n, a) => n + a.count, 0)).toBe(f.liveObjects);
      }
      // a collect op runs exactly one collection here (automatic collection is off in scenarios)
      const op = f.op >= 0 ? scn.ops[f.op] : null;
      const starts = f.stages.filter((s) => s.stage === "merged" || s.stage === "increment" || s.stage === "mark_at_start");
      if (op?.op === "collect" && python !== "3.14") expect(starts.length, `op ${f.op}`).toBe(1);
      if (op?.op !== "collect") expect(f.stages).toEqual([]);
    }
  });
});

describe("frames against the engine, independently", () => {
  // each frame against a separate run of the ops up to it, asked through the gc module's own calls
  it.each(cases)("3.12 %s: lists in gc.get_objects order, each object's counts and name as the engine gives them", (file) => {
    if (!existsSync(join(root, "expected", "3.12", file))) return;
    const scn = read(join(root, "cases", file));
    const rec = recordScenario(scn, "3.12");
    for (let k = 1; k < rec.frames.length; k++) {
      const f = rec.frames[k];
      if (!f.objects) continue;
      const out = runScenarioSession({ ...scn, ops: scn.ops.slice(0, k) }, "3.12");
      if (out.status !== "ran") throw new Error("skipped");
      const h = out.heap;
      expect(f.lists.slice(0, 3).map((l) => l.ids), `${file} op ${k - 1}`).toEqual([0, 1, 2].map((g) => [...h.getObjects(g)]));
      expect(f.objects.map((o) => [o.id, o.name, o.type, o.refcount, o.roots, o.leaks, o.tracked, o.finalized]), `${file} op ${k - 1}`).toEqual(
        [...h.liveIds()].map((id) => [id, out.nameOf(id, h.serial(id)) ?? `?${h.typeOf(id)}`, h.typeOf(id), h.refcount(id), h.rootCount(id),
          h.leakCount(id), h.isTracked(id), h.isFinalized(id)]));
    }
  });

  it("objects gc.freeze() moved are in the permanent generation, not untracked", () => {
    const scn = read(join(root, "cases", "freeze_hides_objects.json"));
    const rec = recordScenario(scn, "3.12");
    const k = scn.ops.findIndex((o: { op: string }) => o.op === "freeze") + 1;
    const frozen = rec.frames[k].objects!.filter((o) => o.tracked);
    expect(frozen.length).toBeGreaterThan(0);
    expect(frozen.every((o) => o.list === "permanent")).toBe(true);
    expect(rec.frames[k].freezeCount).toBe(frozen.length);
  });
});

describe("explorer comparisons and errors", () => {
  it("2.7 against 3.12 on fin_cycle_two: the first event they disagree on is the collection (uncollectable vs freed)", () => {
    const scn = read(join(root, "cases", "fin_cycle_two.json"));
    const a = recordScenario(scn, "2.7"), b = recordScenario(scn, "3.12");
    const i = firstDivergence(a.events, b.events);
    expect(i).not.toBeNull();
    expect(a.events[i!]).toMatchObject({ collect: 2, op: 8 });
    expect(firstDivergence(b.events, recordScenario(scn, "3.13").events)).toBeNull();
  });

  it("a large heap is shown by list and type: counts that add up, the first members of each list", () => {
    const scn = { name: "big", description: "a long chain", ops: [{ op: "chain", id: "c", type: "list", length: 5000 }, { op: "collect", gen: 0 }] };
    const rec = recordScenario(scn, "3.12");
    const last = rec.frames[rec.frames.length - 1];
    expect(last.objects).toBeNull();
    expect(last.aggregate).toEqual([{ list: "generation 1", type: "list", count: 5000 }]);
    expect(last.lists[1].ids.length).toBe(OBJECT_VIEW_LIMIT);
    expect(last.stages[0].truncated).toBe(true);
    expect(last.stages[0].lists[0].size).toBe(5000);
  });

  it("an invalid scenario is refused as the CLI refuses it: op index and field", () => {
    const scn = { name: "bad", description: "x", ops: [{ op: "new", id: "a", type: "obj" }, { op: "ref", from: "a" }] };
    expect(() => recordScenario(scn, "3.12")).toThrow(ScenarioError);
    expect(() => recordScenario(scn, "3.12")).toThrow(/op 1/);
  });
});
