// The heuristics lab's vocabulary: workloads (deterministic programs that
// drive a heap), policies (when automatic collections run), and the results
// of one run (metrics per collection and over time).

import type { Heap, SchedulingPolicy } from "../heap.js";
import type { Profile } from "../profiles.js";

/** A numeric parameter with its default, documentation and size presets. */
export interface ParamSpec {
  default: number;
  doc: string;
  /** Values for size=small|medium|large (the workload's main size parameter). */
  sizes?: { small: number; medium: number; large: number };
  /** Whole numbers only (counts, intervals, seeds). */
  integer?: boolean;
  /** The accepted range, inclusive: values outside are refused before anything runs. */
  min: number;
  max: number;
}

export interface WorkloadContext {
  heap: Heap;
  /** Deterministic uint32 generator (mulberry32 seeded by --seed). */
  rng: () => number;
  params: Record<string, number | string>;
  /** Called after each unit of work (a request, an iteration): drives sampling and progress. */
  step(): void;
}

/** One file per workload in src/lab/workloads/, registered in its index.ts. */
export interface Workload {
  name: string;
  description: string;
  params: Record<string, ParamSpec>;
  /** Extra, non-numeric parameters (e.g. a dump file). */
  stringParams?: Record<string, { default: string; doc: string }>;
  /** Makes the heap (default: an empty one), e.g. from a dump of a real program. */
  heap?(params: Record<string, number | string>, python: string): Heap;
  /** How many steps run() will call, for progress and sampling (from the resolved params). */
  steps(params: Record<string, number | string>): number;
  run(ctx: WorkloadContext): void;
}

/** One file per policy in src/lab/policies/, registered in its index.ts. */
export interface Policy {
  name: string;
  description: string;
  params: Record<string, ParamSpec>;
  /** Sets the heap up (profile thresholds, the engine's scheduling policy) before the workload runs. */
  apply(heap: Heap, params: Record<string, number>): void;
  /** The CPython version this policy runs under when --python is not given (the 3.14 incremental schedule). */
  python?: string;
  /** Which profiles it can run under (default: all); `requires` says which, for messages and `lab list`. */
  accepts?(profile: Profile): boolean;
  requires?: string;
}

/** What a lab policy passes to Heap.setPolicy. */
export type { SchedulingPolicy };

export interface CollectionRecord {
  step: number;
  generation: number;
  examined: number;
  collected: number;
  uncollectable: number;
  wallUs: number;
  automatic: boolean;
}

export interface Sample {
  step: number;
  liveObjects: number;
  liveBytes: number;
  /** Unreachable from every root yet not freed: what the collector has not found yet. */
  garbageObjects: number;
  garbageBytes: number;
}

export interface LabRun {
  workload: string;
  workloadParams: Record<string, number | string>;
  policy: string;
  policyParams: Record<string, number>;
  /** A label for tables and plots: "memory(limitKiB=256)". */
  label: string;
  python: string;
  seed: number;
  steps: number;
  collections: CollectionRecord[];
  samples: Sample[];
  summary: LabSummary;
}

export interface LabSummary {
  collectionsPerGeneration: [number, number, number];
  automaticCollections: number;
  examinedTotal: number;
  /** The pause in work units: objects examined by one collection. */
  pause: { p50: number; p90: number; p99: number; max: number; mean: number };
  collectionWallMs: number;
  runWallMs: number;
  /**
   * Heap operations the workload applied (Heap.operationsDone): objects made,
   * references stored and removed, bindings. The lab's throughput is
   * operations / runWallMs (the table's ops/s, sampling included).
   */
  operations: number;
  collected: number;
  garbageHeld: { meanObjects: number; maxObjects: number; meanBytes: number; maxBytes: number };
  peakBytes: number;
  peakObjects: number;
  /** Per generation: share of the examined objects that survived. */
  survival: [number | null, number | null, number | null];
}

export interface LabReport {
  version: 1;
  command?: string;
  shard?: { index: number; count: number };
  runs: LabRun[];
}
