// The workload registry: one file per workload; adding one is a file plus a line here.
import type { Workload } from "../types.js";
import { webService } from "./web-service.js";
import { longLivedGrowth } from "./long-lived-growth.js";
import { startupFreeze } from "./startup-freeze.js";
import { randomGraphs } from "./random-graphs.js";
import { loadedHeap } from "./loaded-heap.js";
import { PROGRAM_WORKLOADS } from "./programs.js";

// the schedule programs (src/schedule/workloads/, minidom-churn among them) follow the batch workloads
export const WORKLOADS: readonly Workload[] = [webService, longLivedGrowth, startupFreeze, randomGraphs, loadedHeap, ...PROGRAM_WORKLOADS];
