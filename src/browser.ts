// The browser entry ("pygcsim/browser", and "pygcsim" under a bundler's
// "browser" condition): the engine-based API with no Node built-in anywhere
// in its imports (test/browser-entry.test.ts walks them). The engine is
// compiled by `await init()`; heaps are synchronous after that. The Node
// entry (src/index.ts) is this plus files, gzip, the lab's worker sweeps and
// the CLI.

import { initEngine, type InitSource } from "./wasm/init.js";

/**
 * Compiles the engine once, before the first `new Heap()`. No argument: the
 * package's build/release.wasm next to this module (served as
 * application/wasm it compiles while it downloads). Or a URL, a string URL,
 * the bytes (ArrayBuffer / Uint8Array), a Response or `fetch(url)`, a compiled
 * WebAssembly.Module — or `{ release, debug }`, one per build, for
 * `new Heap({ build: "debug" })`. Calling it again is free.
 */
export function init(source?: InitSource): Promise<void> {
  return initEngine(source, () => new URL("../../build/release.wasm", import.meta.url));
}
export type { InitSource, WasmSource } from "./wasm/init.js";

export { Heap, DEBUG_STATS, DEBUG_COLLECTABLE, DEBUG_UNCOLLECTABLE, DEBUG_SAVEALL, DEBUG_LEAK } from "./heap.js";
export type { HeapOptions, HeapEvent, GcCallback, CollectionInfo, GenerationStats, ObjectType, PlainType, ChainType } from "./heap.js";
export type { HeapLab } from "./heap/lab.js";
export type { HeapDebug } from "./heap/debug.js";
export { STAGES, STAGE_DESCRIPTIONS } from "./heap/stages.js";
export type { StageName, StageSnapshot, StageList, StageMember } from "./heap/stages.js";
export { PROFILES, getProfile } from "./profiles.js";
export type { Profile } from "./profiles.js";
export * from "./errors.js";
export { OpStream, OpResults, OpCode, RESULT_BIT } from "./ops.js";
export type { OpRef } from "./ops.js";
export { HeapAnalysis, growth, SOURCES, ENGINE_TYPE_NAMES } from "./analysis.js";
export type { Source, SourceOptions, Reachability, Retainer, TypeCount, TypeGrowth } from "./analysis.js";
export { runScenario, runScenarioSession, canonical } from "./scenario/run.js";
export type { ScenarioResult, RunOutcome, SessionOutcome, SessionHooks } from "./scenario/run.js";
export { validate as validateScenario } from "./scenario/validate.js";
export type { Scenario, Op as ScenarioOp } from "./scenario/validate.js";
export { dumpInfo } from "./load/load.js";
export type { FromDumpOptions, DumpInfo, DumpSource, LoadStats } from "./load/load.js";
export { summarizeLoad, forecastFullCollection } from "./load/report.js";
export type { LoadSummary, CollectionForecast, TypeTally } from "./load/report.js";
export { parseDump, DumpFormatError } from "./load/dump.js";
export type { DumpData, DumpHeader, DumpTrailer, ParseDumpOptions } from "./load/dump.js";
export { parseDumpBytes } from "./load/dump-bytes.js";
export { GarbageTracker, findingsOf, CATEGORIES, LEAK_CATEGORIES } from "./tracker/tracker.js";
export type { ObjectRef, Category, Chain, CycleRef, Why, Finding, TrackerResult, TrackerOptions } from "./tracker/tracker.js";
export { formatReport, formatObject, formatWhy } from "./tracker/report.js";
export type { ReportOptions } from "./tracker/report.js";
export { garbageChecked, checkGarbage, GarbageFoundError } from "./tracker/checked.js";
export type { CheckOptions, CheckVerdict } from "./tracker/checked.js";
export { neighbourhoodGraph, cycleGraph, chainGraph, objectsGraph } from "./graph/model.js";
export type { HeapGraph, GraphNode, ObjectNode, LeakNode, GraphEdge, GraphOptions } from "./graph/model.js";
export { toDot } from "./graph/dot.js";
export { toSvg } from "./graph/svg.js";
export { runLab } from "./lab/run.js";
export type { RunOptions as LabRunOptions } from "./lab/run.js";
export { planJobs, MAX_JOBS } from "./lab/plan.js";
export type { LabJob } from "./lab/plan.js";
export { WORKLOADS } from "./lab/workloads/index.js";
export { POLICIES } from "./lab/policies/index.js";
export type {
  LabReport, LabRun, LabSummary, Sample as LabSample, CollectionRecord as LabCollectionRecord, Workload as LabWorkload,
  Policy as LabPolicy, ParamSpec as LabParamSpec,
} from "./lab/types.js";
