// vitest's setup file (vitest.config.ts): the tests import src/ modules
// directly (src/heap.ts, src/load/dump.ts …) rather than the Node entry, so
// Node's host — the engine from build/*.wasm, dumps from paths and gzip — is
// installed here, as src/index.ts installs it.
import "../../src/node-host.js";
