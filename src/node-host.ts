// Node's part of pygcsim, installed on import: the engine compiled from
// build/*.wasm on the first Heap (so no init() is needed), dumps read from
// paths and gunzipped with zlib. The Node entry (src/index.ts), the CLI and
// the lab's workers import this file; the browser entry never does.

import "./wasm/node-engine.js";
import "./load/dump-files.js";
