// The interpreter's own heap: a new Heap starts as a real interpreter does after
// start-up and its first full collection — the profile's start-up objects and
// the gc module's two lists (gc.garbage, the resurrection list) long-lived in
// generation 2 — so the 25 % rule holds back full collections from the start.
import { describe, expect, it } from "vitest";
import { Heap, type HeapEvent } from "../src/heap.js";
import { InvalidArgumentError } from "../src/errors.js";
import { PROFILES, getProfile } from "../src/profiles.js";
import { BUILDS } from "./helpers.js";
import { seriesBetween } from "./helpers/util.js";

const automatic = (events: HeapEvent[]) =>
  events.flatMap((e) => (e.kind === "gc-stop" && e.automatic ? [e.generation] : []));

/** C15's loop: thresholds (10, 2, 2), then `keep.append([])` 200 times; the automatic collections' generations. */
function c15(heap: Heap): number[] {
  const events: HeapEvent[] = [];
  heap.onEvent((e) => events.push(e));
  heap.collect(2);
  heap.setThreshold(10, 2, 2);
  const keep = heap.newObject("list");
  for (let i = 0; i < 200; i++) {
    const l = heap.newObject("list");
    heap.addRef(keep, l);
    heap.unbind(l);
  }
  return automatic(events);
}

describe.each(BUILDS)("start-up heap (%s build)", (build) => {
  it.each(PROFILES.filter((p) => !p.incremental).map((p) => p.series))("CPython %s: the start-up objects are long-lived, counted, not listed", (python) => {
    const n = getProfile(python).startupObjects;
    expect(n).toBeGreaterThan(3000); // measured: `len(gc.get_objects())` after gc.collect()
    const heap = new Heap({ python, build });
    expect(heap.lab.getLongLived()).toEqual({ total: n + 2, pending: 0 });
    expect([...heap.getObjects()]).toEqual([]);
    expect(heap.size).toBe(0);
    const a = heap.newObject("list");
    const before = heap.objectsExamined();
    heap.collect(2);
    // the full collection examined them (and gc's two lists, and a)
    expect(heap.objectsExamined() - before).toBe(n + 3);
    expect(heap.lab.getLongLived()).toEqual({ total: n + 3, pending: 0 });
    expect([...heap.getObjects()]).toEqual([a]);
  });

  it("startupObjects: 0 is an empty heap but for gc's own lists; bad values are refused", () => {
    const heap = new Heap({ python: "3.12", build, startupObjects: 0 });
    expect(heap.lab.getLongLived()).toEqual({ total: 2, pending: 0 });
    expect(() => new Heap({ python: "3.12", build, startupObjects: -1 })).toThrow(InvalidArgumentError);
    expect(() => new Heap({ python: "3.12", build, startupObjects: 1.5 })).toThrow(/startupObjects must be an integer/);
  });

  it("gc.freeze() freezes the interpreter's objects too; unfreeze brings them back", () => {
    const n = getProfile("3.12").startupObjects;
    const heap = new Heap({ python: "3.12", build });
    heap.disable();
    heap.freeze();
    expect(heap.getFreezeCount()).toBe(0); // only the user's objects are reported
    const before = heap.objectsExamined();
    heap.collect(2);
    expect(heap.objectsExamined() - before).toBe(0);
    expect(heap.lab.getLongLived()).toEqual({ total: 0, pending: 0 });
    heap.unfreeze();
    heap.collect(2);
    expect(heap.lab.getLongLived()).toEqual({ total: n + 2, pending: 0 });
  });

  // C15 as CPython measured it, with no long-lived population built by hand:
  // the interpreter's own objects are what holds generation 2 back.
  it.each(seriesBetween("3.6", "3.13"))("CPython %s: C15 on the start-up heap: 000100010001000100, count[1:] = (2, 4)", (python) => {
    const heap = new Heap({ python, build });
    expect(c15(heap).join("")).toBe("000100010001000100");
    expect(heap.getCount().slice(1)).toEqual([2, 4]);
  });

  it("an empty heap instead runs a full collection at the 13th (what the start-up heap prevents)", () => {
    expect(c15(new Heap({ python: "3.11", build, startupObjects: 0 }))).toContain(2);
  });
});
