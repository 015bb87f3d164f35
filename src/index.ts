export { Heap, DEBUG_STATS, DEBUG_COLLECTABLE, DEBUG_UNCOLLECTABLE, DEBUG_SAVEALL, DEBUG_LEAK } from "./heap.js";
export type { HeapOptions, HeapEvent, GcCallback, CollectionInfo, GenerationStats, ObjectType, PlainType, ChainType } from "./heap.js";
export { PROFILES, getProfile } from "./profiles.js";
export type { Profile } from "./profiles.js";
export * from "./errors.js";
export { runScenario, runScenarioFile, canonical } from "./scenario/run.js";
export type { ScenarioResult } from "./scenario/run.js";
