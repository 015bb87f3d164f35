// Timing with benchmark.js, one operation per sample.
//
// A collection of the "garbage" shape destroys its heap, and building a heap
// costs more than collecting it, so each sample must time exactly one call on
// a heap prepared outside the timed region. benchmark.js's usual mode (many
// calls per cycle, setup once per cycle) does not allow that, so we use its
// deferred mode with minTime ≈ 0: each sample (a benchmark.js clone) runs one
// cycle of count 1; the timer stops in deferred.resolve(), and the next heap
// is prepared right after it, before benchmark.js starts the next sample.
// minSamples = maxSamples and maxTime ≈ 0 make the sample count exact.

import Benchmark from "benchmark";

export interface Stats {
  samples: number;
  /** ms per operation, in sample order. */
  timesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** benchmark.js's relative margin of error (%). */
  rme: number;
}

export interface Case<R> {
  name: string;
  samples: number;
  /** Untimed: makes what the next run() works on. Called before each sample. */
  prepare(): void;
  /** Timed: the operation. */
  run(): R;
  /** Untimed, after each sample: checks/records the result and frees what run() left. */
  after?(result: R): void;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length;
  return k === 0 ? NaN : k % 2 ? s[(k - 1) / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
}

export function summarize(timesMs: number[], rme = NaN): Stats {
  return {
    samples: timesMs.length,
    timesMs,
    medianMs: median(timesMs),
    minMs: Math.min(...timesMs),
    maxMs: Math.max(...timesMs),
    rme,
  };
}

/** Frees the previous sample's wasm memory before building the next (node --expose-gc). */
export function collectJsGarbage(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) g();
}

export function measure<R>(c: Case<R>): Promise<{ stats: Stats; results: R[] }> {
  return new Promise((resolve, reject) => {
    const results: R[] = [];
    let prepared = false;
    let calls = 0;
    let failure: Error | null = null;
    const prepare = () => {
      collectJsGarbage();
      c.prepare();
      prepared = true;
    };
    prepare();
    const bench = new Benchmark(c.name, {
      defer: true,
      initCount: 1,
      minSamples: c.samples,
      minTime: 1e-9,
      maxTime: 1e-9,
      delay: 0,
      fn: (deferred: Benchmark.Deferred) => {
        // Errors are kept and reported at the end: benchmark.js would call fn
        // again on a throw, and a deferred benchmark must always be resolved.
        let resolved = false;
        try {
          if (failure) return;
          if (!prepared) throw new Error(`${c.name}: sample ${calls + 1} has no prepared heap`);
          prepared = false;
          calls++;
          const r = c.run();
          deferred.resolve(); // stops the timer (count is 1)
          resolved = true;
          results.push(r);
          c.after?.(r);
          if (calls < c.samples) prepare();
        } catch (e) {
          failure ??= e as Error;
        } finally {
          if (!resolved) deferred.resolve();
        }
      },
    });
    bench.on("error", () => reject(bench.error ?? new Error(`${c.name} failed`)));
    bench.on("complete", () => {
      if (bench.error) return;
      if (failure) { reject(failure); return; }
      const sample = bench.stats.sample;
      if (sample.length !== c.samples || calls !== c.samples) {
        reject(new Error(`${c.name}: expected ${c.samples} samples of one call, got ${sample.length} samples and ${calls} calls`));
        return;
      }
      resolve({ stats: summarize(sample.map((s) => s * 1e3), bench.stats.rme), results });
    });
    bench.run({ async: true });
  });
}
