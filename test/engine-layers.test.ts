// The engine has layers (docs/design.md): state at the bottom, mutation and
// reference counting above it, the collector above that, scheduling on top.
// A lower layer that needs an upper one gets a function installed at start
// (trigger.ts's collector, load/callbacks.ts's decref) instead of an import,
// so the import graph of assembly/ has no cycle: this test fails on one and
// prints it.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = join(import.meta.dirname, "..", "assembly");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** file → the engine files it imports or re-exports from. */
function importGraph(): Map<string, string[]> {
  const files = sources(root);
  const known = new Set(files);
  const g = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const deps = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/g)].map((m) => resolve(dirname(f), m[1]) + ".ts");
    g.set(f, [...new Set(deps)].filter((d) => known.has(d)));
  }
  return g;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(g: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); on.add(v);
    for (const w of g.get(v)!) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); c.push(w); } while (w !== v);
      if (c.length > 1 || g.get(v)!.includes(v)) out.push(c.map((x) => relative(root, x)).sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("engine layers", () => {
  it("assembly/ has no import cycle", () => {
    const g = importGraph();
    expect(g.size).toBeGreaterThan(30);
    expect(cycles(g)).toEqual([]);
  });
  it("the test sees a cycle when there is one", () => {
    const g = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(cycles(g)).toEqual([["a", "b", "c"].map((x) => relative(root, x)).sort()]);
  });
  it("state sits below the collector: heap, state, oldspace and trigger import nothing from collect/ or schedule", () => {
    const g = importGraph();
    for (const f of ["heap.ts", "state.ts", "oldspace.ts", "trigger.ts", "refcount.ts", "tracking.ts", "mutate.ts"]) {
      const deps = g.get(join(root, f))!.map((d) => relative(root, d));
      expect(deps.filter((d) => d.startsWith("collect/") || d === "schedule.ts"), f).toEqual([]);
    }
  });
});
