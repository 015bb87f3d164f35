// The Node entry ("pygcsim"): everything the browser entry has (src/browser.ts),
// with Node's host installed — the engine read from build/*.wasm on the first
// Heap, so no init() is needed; dumps from paths and gzip — and scenario files.
// The CLI (bin/pygcsim.js) and the lab's worker sweeps are Node-only too.

import "./node-host.js";
export * from "./browser.js";
export { runScenarioFile } from "./scenario/files.js";
