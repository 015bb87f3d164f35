// The workload registry: one file per workload; adding one is a file plus a line here.
import type { Workload } from "../types.js";
import { webService } from "./web-service.js";
import { longLivedGrowth } from "./long-lived-growth.js";
import { minidomChurn } from "./minidom-churn.js";
import { startupFreeze } from "./startup-freeze.js";
import { randomGraphs } from "./random-graphs.js";
import { loadedHeap } from "./loaded-heap.js";

export const WORKLOADS: readonly Workload[] = [webService, longLivedGrowth, minidomChurn, startupFreeze, randomGraphs, loadedHeap];
