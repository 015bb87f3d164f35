// A lab job in a worker thread (pygcsim lab runs sweeps this way).
import "../node-host.js"; // the engine and dumps read from disk
import { parentPort, workerData } from "node:worker_threads";
import { runLab } from "./run.js";
import { PygcsimError } from "../errors.js";
import type { LabJob } from "./plan.js";

try {
  const run = runLab(workerData as LabJob);
  parentPort!.postMessage({ run });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message, typed: e instanceof PygcsimError });
}
