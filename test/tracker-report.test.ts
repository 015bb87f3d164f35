// The tracker's report (Yagot's assert_message, with why), garbageChecked and
// the vitest matcher toLeaveNoGarbage.
import { describe, expect, it } from "vitest";
import type { Heap } from "../src/heap.js";
import { GarbageTracker } from "../src/tracker/tracker.js";
import { formatReport } from "../src/tracker/report.js";
import { GarbageFoundError, garbageChecked, checkGarbage } from "../src/tracker/checked.js";
import { garbageMatchers } from "../src/tracker/vitest.js";
import { BUILDS, makeHeap } from "./helpers.js";

expect.extend(garbageMatchers);

/** A small region: a self-referencing list, a cycle of two finalizers, a leaked list holding an obj. */
function region(heap: Heap, names: Map<number, string>) {
  const name = (id: number, n: string) => { names.set(heap.serial(id), n); return id; };
  const l = name(heap.newObject("list"), "l");
  heap.addRef(l, l);
  const a = name(heap.newObject("fin"), "a"), b = name(heap.newObject("fin"), "b");
  heap.addRef(a, b);
  heap.addRef(b, a);
  const k = name(heap.newObject("list"), "k"), x = name(heap.newObject("obj"), "x");
  heap.addRef(k, x);
  heap.incref(k);
  heap.unbindMany([l, a, b, k, x]);
}

describe.each(BUILDS)("tracker report (%s build)", (build) => {
  it("reads like Yagot's assert_message, with why", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const names = new Map<number, string>();
    const t = new GarbageTracker(heap, { names: (_id, serial) => names.get(serial) }).start();
    region(heap, names);
    t.stop();
    expect(t.assertMessage("test_module::test_region").split("\n")).toEqual([
      "There were 5 garbage objects created by test_module::test_region (Python 3.11.7): 3 collected, 0 uncollectable, 2 leaked",
      "collected — cyclic garbage the collector had to free:",
      "  1: list l → list l",
      "     cycle: list l → list l",
      "  2: fin a → fin b  (__del__ ran)",
      "     cycle: fin a → fin b → fin a",
      "  3: fin b → fin a  (__del__ ran)",
      "     cycle: fin b → fin a → fin b",
      "leaked — alive, unreachable from every root, kept by leaked references:",
      "  4: list k → obj x  (refcount 1, 1 leaked reference)",
      "     kept alive by 1 leaked reference to it (incref)",
      "  5: obj x → nothing  (refcount 1)",
      "     kept alive by a leaked reference: list k (1 leaked reference) → obj x",
    ]);
    expect(t.assertMessage("t", 2).split("\n").slice(-1)).toEqual(["… 3 more not shown"]);
    expect(t.assertMessage(undefined, 10, { leaksOnly: true }).split("\n")[0])
      .toBe("There were 2 garbage objects created in the tracked region (Python 3.11.7): 0 uncollectable, 2 leaked");
  });

  it("without names objects show their ids; 2.7 shows gc.garbage", () => {
    const { heap } = makeHeap(build, { python: "2.7" });
    const t = new GarbageTracker(heap).start();
    const a = heap.newObject("fin"), b = heap.newObject("obj");
    heap.addRef(a, b);
    heap.addRef(b, a);
    heap.unbindMany([a, b]);
    const r = t.stop();
    expect(formatReport(r).split("\n")).toEqual([
      "There were 2 garbage objects created in the tracked region (Python 2.7.18): 0 collected, 2 uncollectable, 0 leaked",
      "uncollectable — in gc.garbage, or kept alive only by it:",
      `  1: fin ${a} → obj ${b}  (in gc.garbage; refcount 2)`,
      `     kept alive by gc.garbage: gc.garbage → fin ${a}`,
      `     in a cycle: fin ${a} → obj ${b} → fin ${a}`,
      `  2: obj ${b} → fin ${a}  (refcount 1)`,
      `     kept alive by gc.garbage: gc.garbage → fin ${a} → obj ${b}`,
      `     in a cycle: obj ${b} → fin ${a} → obj ${b}`,
    ]);
  });

  it("a clean region says so", () => {
    const { heap } = makeHeap(build, { python: "3.13" });
    const t = new GarbageTracker(heap).start();
    heap.unbind(heap.newObject("list"));
    t.stop();
    expect(t.assertMessage("f")).toBe("No garbage: nothing collected, uncollectable or leaked was created by f (Python 3.13.0).");
  });

  it("garbageChecked throws GarbageFoundError with the report, returns fn's value otherwise", () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    expect(garbageChecked(heap, () => { heap.unbind(heap.newObject("obj")); return 42; })).toBe(42);
    let err: unknown;
    try {
      garbageChecked(heap, () => { const l = heap.newObject("list"); heap.addRef(l, l); heap.unbind(l); }, { location: "mod::f" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GarbageFoundError);
    const g = err as GarbageFoundError;
    expect(g.message).toBe(g.report);
    expect(g.report.split("\n")[0]).toBe("There was 1 garbage object created by mod::f (Python 3.12.1): 1 collected, 0 uncollectable, 0 leaked");
    expect(g.result.collected.length).toBe(1);
    // leaksOnly: a collected cycle passes, a leak does not
    expect(() => garbageChecked(heap, () => { const l = heap.newObject("list"); heap.addRef(l, l); heap.unbind(l); }, { leaksOnly: true })).not.toThrow();
    expect(() => garbageChecked(heap, () => { const l = heap.newObject("list"); heap.incref(l); heap.unbind(l); }, { leaksOnly: true }))
      .toThrow(/1 leaked/);
    // ignoreTypes
    expect(() => garbageChecked(heap, () => { const l = heap.newObject("list"); heap.addRef(l, l); heap.unbind(l); }, { ignoreTypes: ["list"] })).not.toThrow();
    expect(heap.isEnabled()).toBe(false);
  });

  it("garbageChecked: fn's own error propagates and the settings are restored", () => {
    const { heap } = makeHeap(build, { python: "3.12", auto: true });
    expect(() => garbageChecked(heap, () => { throw new Error("boom"); })).toThrow("boom");
    expect(heap.isEnabled()).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(heap, "collect")).toBe(false);
  });

  it("async functions: the region ends when the promise settles", async () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    const v = await checkGarbage(heap, async () => {
      await Promise.resolve();
      const l = heap.newObject("list");
      heap.addRef(l, l);
      heap.unbind(l);
      return "done";
    });
    expect([v.pass, v.value, v.result.collected.length]).toEqual([false, "done", 1]);
    await expect(garbageChecked(heap, async () => 7)).resolves.toBe(7);
  });

  it("the vitest matcher toLeaveNoGarbage passes, fails with the report, and supports .not", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    expect(() => { heap.unbind(heap.newObject("dict")); }).toLeaveNoGarbage(heap);
    const cyclic = () => { const d = heap.newObject("dict"); heap.addRef(d, d); heap.unbind(d); };
    expect(cyclic).not.toLeaveNoGarbage(heap);
    expect(cyclic).toLeaveNoGarbage(heap, { leaksOnly: true });
    let message = "";
    try {
      expect(cyclic).toLeaveNoGarbage(heap, { location: "spec" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split("\n")[0]).toBe("There was 1 garbage object created by spec (Python 3.11.7): 1 collected, 0 uncollectable, 0 leaked");
    expect(message).toMatch(/cycle: dict \d+ → dict \d+/);
    expect(() => expect(42).toLeaveNoGarbage(heap)).toThrow(/needs a function/);
  });
});
