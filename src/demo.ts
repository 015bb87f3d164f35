// The built-in demo (`npm start`, `pygcsim demo`): the classic cases of cyclic
// garbage, shown on real simulated objects under one CPython profile, then a
// million-object heap collected against the clock.

import { Heap, type HeapEvent } from "./heap.js";
import { getProfile } from "./profiles.js";
import { randomGraph } from "./workloads/random-graph.js";

export interface DemoOptions {
  python?: string;
  /** Objects in the large heap (default 1,000,000). */
  n?: number;
  out?: (line: string) => void;
}

export function runDemo(options: DemoOptions = {}): void {
  const out = options.out ?? ((s: string) => process.stdout.write(s + "\n"));
  const profile = getProfile(options.python ?? "3.11");
  const heap = new Heap({ python: profile.version });
  heap.disable(); // as the conformance runner does: only explicit collections
  const names = new Map<number, string>();
  const log: string[] = [];
  heap.onEvent((e: HeapEvent) => {
    if (e.kind === "finalized") log.push(`__del__ of ${names.get(e.id)}`);
    if (e.kind === "callback") log.push(`callback of ${names.get(e.weakref)}`);
  });
  const name = (id: number, n: string) => (names.set(id, n), id);
  const alive = (ids: number[]) => ids.filter((x) => heap.exists(x)).length;

  out(`pygcsim demo — CPython ${profile.version} profile (${profile.summary})`);
  out("");
  out("Cyclic garbage: after `del`, reference counting frees nothing; gc.collect() does");

  const story = (title: string, build: () => number[]) => {
    const ids = build();
    const kept = alive(ids);
    const before = heap.size;
    const n = heap.collect();
    const freed = before - heap.size;
    const extra = log.length ? ` (${log.join(", ")})` : "";
    out(`  ${title.padEnd(46)} ${String(kept).padStart(2)} still alive · gc.collect() = ${n}, ${freed} freed${extra}`);
    log.length = 0;
  };

  story("d = {}; d[0] = d; del d", () => {
    const d = name(heap.newObject("dict"), "d");
    heap.addRef(d, d);
    heap.unbind(d);
    return [d];
  });
  story("l = []; l.append(l); del l", () => {
    const l = name(heap.newObject("list"), "l");
    heap.addRef(l, l);
    heap.unbind(l);
    return [l];
  });
  story("o = Obj(); o.s0 = o; del o", () => {
    const o = name(heap.newObject("obj"), "o");
    heap.addRef(o, o);
    heap.unbind(o);
    return [o];
  });
  story("minidom tree: parent ⇄ childNodes ⇄ 3 kids", () => {
    const parent = name(heap.newObject("obj"), "parent");
    const childNodes = name(heap.newObject("list"), "childNodes");
    heap.addRef(parent, childNodes);
    const kids = [1, 2, 3].map((i) => name(heap.newObject("obj"), `child${i}`));
    for (const k of kids) { heap.addRef(childNodes, k); heap.addRef(k, parent); }
    [childNodes, ...kids, parent].forEach((x) => heap.unbind(x));
    return [parent, childNodes, ...kids];
  });
  story("a, b with __del__: a.s0 = b; b.s0 = a", () => {
    const a = name(heap.newObject("fin"), "a");
    const b = name(heap.newObject("fin"), "b");
    heap.addRef(a, b); heap.addRef(b, a);
    heap.unbind(a); heap.unbind(b);
    return [a, b];
  });
  story("w = weakref.ref(a, cb) to a __del__ cycle", () => {
    const a = name(heap.newObject("fin"), "a");
    const b = name(heap.newObject("obj"), "b");
    heap.addRef(a, b); heap.addRef(b, a);
    name(heap.newWeakref(a, { callback: true }), "w");
    heap.unbind(a); heap.unbind(b);
    return [a, b];
  });

  // The same __del__ cycle under the legacy rules, for contrast.
  const old = new Heap({ python: "2.7" });
  old.disable();
  const a = old.newObject("fin"), b = old.newObject("fin");
  old.addRef(a, b); old.addRef(b, a);
  old.unbind(a); old.unbind(b);
  const n27 = old.collect();
  out(`  ${"the same __del__ cycle under CPython 2.7".padEnd(46)}    uncollectable · gc.collect() = ${n27}, ${old.garbage.length} objects in gc.garbage, no __del__ ran`);

  const N = options.n ?? 1_000_000;
  out("");
  out(`A heap of ${N.toLocaleString("en-US")} objects, 4 random references each (batch API)`);
  const big = new Heap({ python: profile.version });
  big.disable();
  let t = performance.now();
  const g = randomGraph(big, { n: N, degree: 4, seed: 42 });
  const built = performance.now() - t;
  out(`  built in ${built.toFixed(0)} ms; ${(big.debug.memoryInUse() / 2 ** 20).toFixed(0)} MiB in use, ${Math.round(big.debug.memoryInUse() / N)} bytes per object`);
  t = performance.now();
  const live = big.collect();
  const tLive = performance.now() - t;
  const own = big.objectsExamined() - N;
  out(`  full collection, all reachable:   gc.collect() = ${live} in ${tLive.toFixed(1)} ms (${N.toLocaleString("en-US")} objects examined, and the interpreter's own ${own.toLocaleString("en-US")})`);
  big.unbindMany(g.ids);
  const left = big.size;
  t = performance.now();
  const dead = big.collect();
  const tDead = performance.now() - t;
  out(`  unbound: refcounting freed ${(N - left).toLocaleString("en-US")}, the rest is cyclic garbage`);
  out(`  full collection, all unreachable: gc.collect() = ${dead.toLocaleString("en-US")} in ${tDead.toFixed(1)} ms; ${big.size} objects left`);
}
