// Issue 9: a leaked (or uncollectable) object that refers to a live, rooted
// object made the tracker throw a TypeError (the referent is outside the
// unreachable snapshot). Every version, the API, garbageChecked and the CLI.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { PROFILES } from "../src/profiles.js";
import { GarbageTracker } from "../src/tracker/tracker.js";
import { GarbageFoundError, garbageChecked } from "../src/tracker/checked.js";
import { main } from "../src/cli/main.js";
import { makeHeap } from "./helpers.js";

const root = join(import.meta.dirname, "..");

describe.each(PROFILES.map((p) => p.series))("Python %s", (python) => {
  it("GarbageTracker.stop(): a leaked list holding a rooted object, the referent named and typed", () => {
    const { heap } = makeHeap("release", { python });
    const live = heap.newObject("obj");
    const t = new GarbageTracker(heap, { names: (id) => (id === live ? "live" : undefined) }).start();
    const l = heap.newObject("list");
    heap.addRef(l, live);
    heap.incref(l);
    heap.unbind(l);
    const r = t.stop();
    expect(r.leaked.map((f) => f.id)).toEqual([l]);
    expect(r.leaked[0].referents).toEqual([{ id: live, serial: heap.serial(live), type: "obj", name: "live" }]);
    expect([r.collected, r.uncollectable, r.resurrected, r.frozen, r.pending].map((x) => x.length)).toEqual([0, 0, 0, 0, 0]);
    expect(t.assertMessage("m::t").split("\n")).toEqual([
      `There was 1 garbage object created by m::t (Python ${heap.profile.version}): 0 collected, 0 uncollectable, 1 leaked`,
      "leaked — alive, unreachable from every root, kept by leaked references:",
      `  1: list ${l} → obj live  (refcount 1, 1 leaked reference)`,
      "     kept alive by 1 leaked reference to it (incref)",
    ]);
  });

  it("garbageChecked throws GarbageFoundError (not a TypeError) with the report", () => {
    const { heap } = makeHeap("release", { python });
    const live = heap.newObject("dict");
    let err: unknown, o = -1;
    try {
      garbageChecked(heap, () => { o = heap.newObject("obj"); heap.addRef(o, live); heap.incref(o); heap.unbind(o); }, { location: "m::g" });
    } catch (e) { err = e; }
    expect(err).toBeInstanceOf(GarbageFoundError);
    expect((err as GarbageFoundError).report.split("\n").slice(0, 3)).toEqual([
      `There was 1 garbage object created by m::g (Python ${heap.profile.version}): 0 collected, 0 uncollectable, 1 leaked`,
      "leaked — alive, unreachable from every root, kept by leaked references:",
      `  1: obj ${o} → dict ${live}  (refcount 1, 1 leaked reference)`,
    ]);
  });

  it("pygcsim track docs/graph-example.json: leaky is the one leak, c3 (alive) its referent", async () => {
    const lines: string[] = [];
    let err = "";
    const status = await main(["track", join(root, "docs", "graph-example.json"), "--python", python, "--json"],
      (s) => lines.push(...s.split("\n")), (s) => { err += s; });
    expect(err).toBe("");
    expect(status).toBe(0);
    const version = PROFILES.find((p) => p.series === python)!.version;
    expect(lines).toEqual([
      `There was 1 garbage object created by scenario graph-example (Python ${version}): 0 collected, 0 uncollectable, 1 leaked`,
      "leaked — alive, unreachable from every root, kept by leaked references:",
      "  1: list leaky → obj c3  (refcount 1, 1 leaked reference)",
      "     kept alive by 1 leaked reference to it (incref)",
      JSON.stringify({ collected: [], uncollectable: [], leaked: ["leaky"], resurrected: [], frozen: [], pending: [],
        scenario: "graph-example", python: version, collections: 1, warnings: [] }),
    ]);
  });
});

it("2.7: an uncollectable cycle holding a rooted object reports it as a referent", () => {
  const { heap } = makeHeap("release", { python: "2.7" });
  const live = heap.newObject("obj");
  const t = new GarbageTracker(heap).start();
  const a = heap.newObject("fin"), b = heap.newObject("fin");
  heap.addRef(a, b); heap.addRef(b, a); heap.addRef(a, live);
  heap.unbind(a); heap.unbind(b);
  const r = t.stop();
  expect(r.uncollectable.map((f) => f.id)).toEqual([a, b]);
  expect(r.uncollectable[0].referents.map((x) => [x.id, x.type])).toEqual([[b, "fin"], [live, "obj"]]);
});
