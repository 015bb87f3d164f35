// The compiled engine, per build: where a Heap's WebAssembly.Module comes
// from. A page fills it with `await init()` (src/wasm/init.ts: fetch and
// compile); Node registers a host that compiles build/*.wasm from disk on
// first use (src/wasm/node-engine.ts), which is why `new Heap()` needs no
// init() there. Nothing here touches the network or the file system.

import { EngineNotLoadedError } from "../errors.js";

/** release: what users run; debug: invariants checked after every call; profile: release with function names, for --cpu-prof. */
export type BuildKind = "release" | "debug" | "profile";

/** How a host with a file system reaches the engine without init() (Node). */
export interface EngineFiles {
  /** The compiled build, read from the package's build/ folder (throws when missing). */
  module(build: BuildKind): WebAssembly.Module;
  /** The bytes at a file: URL (fetch cannot read those in Node). */
  read(url: URL): Uint8Array<ArrayBuffer>;
}

const modules = new Map<BuildKind, WebAssembly.Module>();
let files: EngineFiles | null = null;

/** Makes `module` the engine every later Heap of `build` instantiates. */
export function setModule(build: BuildKind, module: WebAssembly.Module): void {
  modules.set(build, module);
}

export function hasModule(build: BuildKind): boolean {
  return modules.has(build);
}

/** Installs the file-system host (src/wasm/node-engine.ts). */
export function setEngineFiles(host: EngineFiles): void {
  files = host;
}

export function engineFiles(): EngineFiles | null {
  return files;
}

/** The module of a build: init()'s, else the file host's (compiled once), else EngineNotLoadedError. */
export function moduleFor(build: BuildKind): WebAssembly.Module {
  let m = modules.get(build);
  if (!m) {
    if (!files) {
      throw new EngineNotLoadedError(build === "release" || modules.size === 0
        ? "the engine is not loaded: call await init() first (import { init } from \"pygcsim/browser\")"
        : `the ${build} build is not loaded: call await init({ release, ${build} }) first`, "Heap");
    }
    m = files.module(build);
    modules.set(build, m);
  }
  return m;
}
