// Node only: the engine's wasm read from the package's build/ folder on the
// first Heap of each build, as pygcsim always did in Node, so `new Heap()`
// needs no init() there. Importing this file installs it (src/node-host.ts);
// the browser entry never imports it.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setEngineFiles, type BuildKind } from "./modules.js";

/** The package root: the nearest folder above this module with a package.json (works from src/ and dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

export function wasmPath(build: BuildKind): string {
  return join(packageRoot(), "build", `${build}.wasm`);
}

function compileBuild(build: BuildKind): WebAssembly.Module {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(readFileSync(wasmPath(build)));
  } catch {
    throw new Error(`pygcsim: ${wasmPath(build)} is missing; run \`npm run build\` first`);
  }
  return new WebAssembly.Module(bytes);
}

setEngineFiles({
  module: compileBuild,
  read: (url) => new Uint8Array(readFileSync(url)),
});
