// Node only: the engine's wasm read from the package's build/ folder on the
// first Heap of each build, as pygcsim always did in Node, so `new Heap()`
// needs no init() there. Importing this file installs it (src/node-host.ts);
// the browser entry never imports it.

import { readFileSync } from "node:fs";
import { EngineNotLoadedError } from "../errors.js";
import { packagePath } from "../package-root.js";
import { setEngineFiles, type BuildKind } from "./modules.js";

export function wasmPath(build: BuildKind): string {
  return packagePath(`build/${build}.wasm`);
}

function compileBuild(build: BuildKind): WebAssembly.Module {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(readFileSync(wasmPath(build)));
  } catch {
    throw new EngineNotLoadedError(`${wasmPath(build)} is missing; run \`npm run build\` first`, "Heap");
  }
  return new WebAssembly.Module(bytes);
}

setEngineFiles({
  module: compileBuild,
  read: (url) => new Uint8Array(readFileSync(url)),
});
