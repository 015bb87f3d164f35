// A trap inside the engine (a bug, or an assertion of the debug build) must
// reach the user as a SimulatorTrapError with the engine's message, and every
// later call must refuse to run on the poisoned heap.
import { describe, expect, it } from "vitest";
import { SimulatorTrapError } from "../src/errors.js";
import { BUILDS, makeHeap } from "./helpers.js";

describe.each(BUILDS)("engine trap (%s build)", (build) => {
  it("becomes SimulatorTrapError with the abort message, then poisons the heap", () => {
    const { heap } = makeHeap(build);
    const a = heap.newObject("obj");
    expect(() => heap.debug.trap()).toThrow(SimulatorTrapError);
    expect(() => heap.debug.trap()).toThrow(/unusable after an engine trap \(deliberate trap \(test hook\)/);
    expect(() => heap.collect()).toThrow(SimulatorTrapError);
    expect(() => heap.addRef(a, a)).toThrow(SimulatorTrapError);
    expect(() => heap.unbind(a)).toThrow(SimulatorTrapError);
    expect(() => heap.exists(a)).toThrow(SimulatorTrapError);
  });

  it("leaves other heaps untouched", () => {
    const { heap: bad } = makeHeap(build);
    const { heap: good } = makeHeap(build);
    const x = good.newObject("list");
    good.addRef(x, x);
    expect(() => bad.debug.trap()).toThrow(SimulatorTrapError);
    good.unbind(x);
    expect(good.collect()).toBe(1);
  });
});
