// Timings of the heap analyses (src/analysis.ts, assembly/analysis/) at a
// million objects with four random references each.
//
//   node --expose-gc dist/bench/analysis.js [options]
//
//   --n N          objects (default 1,000,000)
//   --samples K    timed calls per analysis (default 7; each after 2 untimed warm-up calls)
//   --seed S       the graph's mulberry32 seed (default 1)
//   --profile V    the CPython version simulated (default 3.11)
//
// Heaps (the same 4 × N random targets as bench/run.ts's shapes):
//   1% bound   every node gets its references, then 99% of the root
//              bindings are dropped: what nothing refers to is freed, the rest
//              stays alive behind the 1% (a deep, non-trivial dominator tree)
//   all bound  bench/run.ts's "reach": every node a root
//   garbage    bench/run.ts's "garbage": no root left, ~98% of the nodes are
//              cyclic garbage the collector has not run on yet
// The analyses never change the heap, so each sample runs on the same heap;
// dominator samples first drop the cached result (analysis.release()).
//
// Progress goes to stderr; a Markdown table to stdout.

import { cpus, loadavg, totalmem } from "node:os";
import type { Heap } from "../src/index.js";
import { buildGarbage, buildReach, drawTargets, mulberry32, DEFAULT_SEED, REFS_PER_NODE } from "./shapes.js";
import { collectJsGarbage, median } from "./measure.js";
import { fmtMs, fmtN } from "./report.js";

interface Options { n: number; samples: number; seed: number; profile: string }

function parseArgs(argv: string[]): Options {
  const o: Options = { n: 1_000_000, samples: 7, seed: DEFAULT_SEED, profile: "3.11" };
  for (let i = 0; i < argv.length; i++) {
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return x;
    };
    const int = (s: string) => {
      const x = Number(s.replace(/_/g, "").replace(/k$/i, "e3").replace(/m$/i, "e6"));
      if (!Number.isInteger(x) || x < 1) throw new Error(`not a positive integer: ${s}`);
      return x;
    };
    switch (argv[i]) {
      case "--n": o.n = int(v()); break;
      case "--samples": o.samples = int(v()); break;
      case "--seed": o.seed = int(v()); break;
      case "--profile": o.profile = v(); break;
      default: throw new Error(`unknown option ${argv[i]} (see the top of bench/analysis.ts)`);
    }
  }
  return o;
}

interface Row { heap: string; objects: number; analysis: string; result: string; times: number[] }

/** Runs f twice untimed (V8 tiers the wasm up), then `samples` timed calls. */
function time<R>(samples: number, f: () => R, before?: () => void): { times: number[]; result: R } {
  let result!: R;
  for (let i = 0; i < 2; i++) { before?.(); result = f(); }
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    before?.();
    collectJsGarbage();
    const t = performance.now();
    result = f();
    times.push(performance.now() - t);
  }
  return { times, result };
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  const rows: Row[] = [];
  const load0 = loadavg();
  const t0 = performance.now();
  const targets = drawTargets(o.n, o.seed);
  const log = (s: string) => process.stderr.write(`${s}\n`);

  const measure = (heap: Heap, label: string, analysis: string, f: () => string, before?: () => void) => {
    log(`  ${analysis}`);
    const { times, result } = time(o.samples, f, before);
    rows.push({ heap: label, objects: heap.size, analysis, result, times });
  };

  // ── 1% bound ──────────────────────────────────────────────────────────────
  {
    log(`building: ${fmtN(o.n)} objects, 1% bound`);
    const { heap, ids } = buildReach(o.n, targets, { python: o.profile });
    heap.unbindMany(ids.filter((_, i) => i % 100 !== 0));
    const label = "1% bound";
    const a = heap.analysis;
    measure(heap, label, "reachability() from the roots", () => {
      const r = a.reachability();
      return `${fmtN(r.reached)} reached`;
    });
    const live = heap.getObjects();
    const next = mulberry32(o.seed + 1);
    const rnd = () => next() / 4294967296;
    let k = 0;
    const picks = Array.from({ length: 64 }, () => live[Math.floor(rnd() * live.length)]);
    measure(heap, label, "whyAlive(x), random x", () => `${a.whyAlive(picks[k++ % picks.length])!.length} long`);
    const thousand = Array.from({ length: 1000 }, () => live[Math.floor(rnd() * live.length)]);
    measure(heap, label, "pathToAny(1,000 random ids)", () => `${a.pathToAny(thousand)!.length} long`);
    measure(heap, label, "cycles(all live ids)", () => {
      const c = a.cycles(live);
      return `${fmtN(c.length)} cycles, ${fmtN(c.reduce((s, x) => s + x.length, 0))} members`;
    });
    measure(heap, label, "dominators + retained sizes", () => {
      const r = a.retainedSize(live[0]);
      return `${fmtN(a.reachableBytes())} bytes reached (first: ${r})`;
    }, () => a.release());
    measure(heap, label, "retainedSize(x), cached (×1,000)", () => {
      let s = 0;
      for (let i = 0; i < 1000; i++) s += a.retainedSize(live[(i * 7919) % live.length]) ?? 0;
      return `sum ${fmtN(s)} bytes`;
    });
    measure(heap, label, "topRetainers(100), cached", () => {
      const t = a.topRetainers(100);
      return `largest ${fmtN(t[0].retained)} bytes`;
    });
    measure(heap, label, "countsByType()", () => a.countsByType().map((c) => `${fmtN(c.count)} ${c.type}`).join(", "));
  }
  collectJsGarbage();

  // ── all bound ─────────────────────────────────────────────────────────────
  {
    log(`building: ${fmtN(o.n)} objects, all bound`);
    const { heap } = buildReach(o.n, targets, { python: o.profile });
    const label = "all bound";
    const a = heap.analysis;
    measure(heap, label, "reachability() from the roots", () => `${fmtN(a.reachability().reached)} reached`);
    measure(heap, label, "dominators + retained sizes", () => `${fmtN(a.reachableBytes())} bytes reached`, () => a.release());
  }
  collectJsGarbage();

  // ── garbage ───────────────────────────────────────────────────────────────
  {
    log(`building: ${fmtN(o.n)} objects, garbage`);
    const { heap } = buildGarbage(o.n, targets, { python: o.profile });
    const label = "garbage";
    const a = heap.analysis;
    measure(heap, label, "unreachableFromRoots()", () => `${fmtN(a.unreachableFromRoots().length)} unreachable`);
    measure(heap, label, "cycles() of the unreachable", () => {
      const c = a.cycles();
      return `${fmtN(c.length)} cycles, ${fmtN(c.reduce((s, x) => s + x.length, 0))} members`;
    });
  }

  const load1 = loadavg();
  const seconds = (performance.now() - t0) / 1000;
  const out: string[] = [];
  out.push(`Heap analyses, ${fmtN(o.n)} objects × ${REFS_PER_NODE} random references (seed ${o.seed}), Python ${o.profile} profile, release build`);
  out.push(`${cpus()[0]?.model ?? "?"}, ${cpus().length} CPU(s), ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ` +
    `${o.samples} samples after 2 warm-up calls; run ${seconds.toFixed(0)} s; load average ${load0[0].toFixed(2)} → ${load1[0].toFixed(2)}`);
  out.push("");
  out.push("| heap | live objects | analysis | median ms | [min–max] | result |");
  out.push("| --- | ---: | --- | ---: | ---: | --- |");
  for (const r of rows) {
    out.push(`| ${r.heap} | ${fmtN(r.objects)} | ${r.analysis} | ${fmtMs(median(r.times))} | [${fmtMs(Math.min(...r.times))}–${fmtMs(Math.max(...r.times))}] | ${r.result} |`);
  }
  process.stdout.write(out.join("\n") + "\n");
}

main();
