// init(): compiles the engine before the first Heap where nothing can read
// build/*.wasm synchronously (a page, a bundle). Heaps stay synchronous:
// each instantiates the module compiled here (src/wasm/modules.ts). A
// Response or URL served as application/wasm compiles while it downloads
// (compileStreaming); anything else compiles from its bytes.

import { EngineNotLoadedError, InvalidArgumentError } from "../errors.js";
import { engineFiles, hasModule, setModule, type BuildKind } from "./modules.js";

/** Where one build's wasm comes from (`fetch(url)` itself, the promise, too). */
export type WasmSource = URL | string | ArrayBuffer | ArrayBufferView | Response | PromiseLike<Response> | WebAssembly.Module;
/** One source (the release build), or one per build: `{ release, debug }`. */
export type InitSource = WasmSource | Partial<Record<BuildKind, WasmSource>>;

const BUILDS: readonly BuildKind[] = ["release", "debug", "profile"];

/** compileStreaming is not in Node's types; it is in every browser and in Node ≥ 18. */
const compileStreaming = (WebAssembly as unknown as { compileStreaming?: (r: Response) => Promise<WebAssembly.Module> }).compileStreaming;

const isResponse = (s: unknown): s is Response =>
  typeof s === "object" && s !== null && typeof (s as Response).arrayBuffer === "function" && typeof (s as Response).headers?.get === "function";

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function compileBytes(bytes: BufferSource, build: BuildKind): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    throw new EngineNotLoadedError(`the ${build} build is not a valid engine module (${message(e)})`, "init");
  }
}

async function compileResponse(r: Response, build: BuildKind): Promise<WebAssembly.Module> {
  if (!r.ok) throw new EngineNotLoadedError(`cannot fetch the ${build} build: HTTP ${r.status} ${r.statusText} from ${r.url || "the response"}`, "init");
  const type = r.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type === "application/wasm" && typeof compileStreaming === "function") {
    try {
      return await compileStreaming(r);
    } catch (e) {
      throw new EngineNotLoadedError(`the ${build} build from ${r.url || "the response"} is not a valid engine module (${message(e)})`, "init");
    }
  }
  // a server that sends the wasm as something else (application/octet-stream): compile from the bytes
  return compileBytes(await r.arrayBuffer(), build);
}

const isThenable = (s: unknown): s is PromiseLike<Response> =>
  typeof s === "object" && s !== null && typeof (s as PromiseLike<Response>).then === "function";

async function compile(source: WasmSource, build: BuildKind): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (isThenable(source)) {
    let r: Response;
    try {
      r = await source;
    } catch (e) {
      throw new EngineNotLoadedError(`cannot fetch the ${build} build (${message(e)})`, "init");
    }
    if (!isResponse(r)) throw new InvalidArgumentError(`the ${build} build's promise must resolve to a Response, got ${r === null ? "null" : typeof r}`, "init");
    return compileResponse(r, build);
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return compileBytes(source as BufferSource, build);
  if (isResponse(source)) return compileResponse(source, build);
  if (typeof source === "string" || source instanceof URL) {
    const files = engineFiles();
    // Node's fetch cannot read file: URLs; its file host can
    if (files && String(source).startsWith("file:")) return compileBytes(files.read(new URL(source)), build);
    let r: Response;
    try {
      r = await fetch(source);
    } catch (e) {
      throw new EngineNotLoadedError(`cannot fetch the ${build} build from ${String(source)} (${message(e)})`, "init");
    }
    return compileResponse(r, build);
  }
  throw new InvalidArgumentError(`the ${build} build's source must be a URL, a string URL, bytes (ArrayBuffer or Uint8Array), a Response (or a promise of one) or a WebAssembly.Module, got ${source === null ? "null" : typeof source}`, "init");
}

/** The `{ release, debug }` form: a plain object, not one of the single sources. */
function perBuild(source: InitSource): Partial<Record<BuildKind, WasmSource>> {
  const proto = typeof source === "object" && source !== null ? Object.getPrototypeOf(source) : undefined;
  if (proto !== Object.prototype && proto !== null) return { release: source as WasmSource };
  const builds = source as Record<string, WasmSource | undefined>;
  const keys = Object.keys(builds);
  const odd = keys.find((k) => !(BUILDS as readonly string[]).includes(k));
  if (odd !== undefined) throw new InvalidArgumentError(`unknown build "${odd}" (expected ${BUILDS.join(", ")})`, "init");
  if (!keys.some((k) => builds[k] !== undefined)) throw new InvalidArgumentError("no build given: pass a source, or { release, debug }", "init");
  return source as Partial<Record<BuildKind, WasmSource>>;
}

let pendingDefault: Promise<void> | null = null;

/**
 * Compiles the engine (once per build) so that `new Heap()` works. No
 * source: the release build at `defaultUrl` — or, in Node, from the
 * package's build/ folder. Every build given compiles before any is used:
 * a failure leaves the engine as it was.
 */
export async function initEngine(source: InitSource | undefined, defaultUrl: () => URL): Promise<void> {
  if (source === undefined) {
    if (hasModule("release")) return;
    const files = engineFiles();
    if (files) {
      setModule("release", files.module("release"));
      return;
    }
    // concurrent init() calls share one download; a failed one can be retried
    pendingDefault ??= initEngine({ release: defaultUrl() }, defaultUrl).catch((e) => {
      pendingDefault = null;
      throw e;
    });
    return pendingDefault;
  }
  const builds = Object.entries(perBuild(source)).filter(([, s]) => s !== undefined) as [BuildKind, WasmSource][];
  const compiled = await Promise.all(builds.map(async ([build, s]) => [build, await compile(s, build)] as const));
  for (const [build, m] of compiled) setModule(build, m);
}
