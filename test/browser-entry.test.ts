// The browser entry (src/browser.ts, "pygcsim/browser"): no Node built-in in
// its import graph, esbuild bundles it for the browser platform, and the
// bundle — its own module instances, no Node host — runs in Node once init()
// has the wasm's bytes: a Heap before init() throws EngineNotLoadedError.
// Reads dist/ (npm run build first).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { ROOT, bundleBrowserEntry } from "./helpers/browser-bundle.js";
import { findCycle, importGraph, isNodeBuiltin } from "./helpers/import-graph.js";
import * as nodeEntry from "../src/index.js";

type Api = typeof import("../src/browser.js");

const dist = (f: string) => join(ROOT, "dist", "src", f);
const release = () => new Uint8Array(readFileSync(join(ROOT, "build", "release.wasm")));
const debug = () => new Uint8Array(readFileSync(join(ROOT, "build", "debug.wasm")));

describe("the import graph of dist/src/browser.js", () => {
  const g = importGraph(dist("browser.js"), ROOT);

  it("reaches no Node built-in (nor any package): each offender named with its chain", () => {
    const offenders = g.bare.map((b) => `${b.specifier}${isNodeBuiltin(b.specifier) ? " (Node built-in)" : ""} via ${b.chain.join(" → ")}`);
    expect(offenders).toEqual([]);
  });

  it("holds the core and none of the Node entry's files", () => {
    for (const f of ["heap.js", "wasm/engine.js", "wasm/init.js", "load/dump.js", "load/dump-bytes.js", "scenario/run.js", "tracker/report.js", "graph/svg.js"]) {
      expect(g.files).toContain(`dist/src/${f}`);
    }
    for (const f of ["index.js", "node-host.js", "wasm/node-engine.js", "load/dump-files.js", "scenario/files.js"]) {
      expect(g.files).not.toContain(`dist/src/${f}`);
    }
  });

  it("the walker sees Node built-ins where they are: the Node entry's graph has node:fs, node:zlib", () => {
    const nodeGraph = importGraph(dist("index.js"), ROOT);
    const builtins = new Set(nodeGraph.bare.filter((b) => isNodeBuiltin(b.specifier)).map((b) => b.specifier));
    expect([...builtins]).toEqual(expect.arrayContaining(["node:fs", "node:zlib"]));
    expect(nodeGraph.bare.find((b) => b.specifier === "node:zlib")!.chain).toEqual(["dist/src/index.js", "dist/src/node-host.js", "dist/src/load/dump-files.js"]);
  });

  it("no entry's graph has an import cycle (browser, Node, CLI, lab worker)", () => {
    for (const e of ["browser.js", "index.js", "cli/main.js", "lab/worker.js"]) {
      expect(findCycle(importGraph(dist(e), ROOT).edges, ROOT), e).toBeNull();
    }
  });
});

describe("esbuild, platform browser", () => {
  let bundle: Awaited<ReturnType<typeof bundleBrowserEntry>>;
  let fresh = 0;
  /** A fresh instance of the bundle: its own engine registry, nothing loaded. */
  const load = async (): Promise<Api> => import(`${pathToFileURL(bundle.file).href}?fresh=${++fresh}`);

  beforeAll(async () => {
    bundle = await bundleBrowserEntry();
  });
  afterAll(() => {
    if (bundle) rmSync(bundle.dir, { recursive: true, force: true });
  });

  it("bundles dist/src/browser.js (esbuild refuses a Node built-in there)", () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.some((i) => i.endsWith("dist/src/heap.js"))).toBe(true);
    expect(inputs.filter((i) => !i.startsWith("dist/src/"))).toEqual([]);
  });

  it("fails on the Node entry: the check has teeth", async () => {
    await expect(build({ entryPoints: [dist("index.js")], bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent" }))
      .rejects.toThrow(/node:fs/);
  });

  it("resolves \"pygcsim\" under the browser condition to the browser entry, \"pygcsim/browser\" too", async () => {
    for (const spec of ["pygcsim", "pygcsim/browser"]) {
      const r = await build({
        stdin: { contents: `export { init, Heap } from "${spec}";`, resolveDir: ROOT, loader: "js" },
        bundle: true, platform: "browser", format: "esm", write: false, metafile: true, logLevel: "silent",
      });
      expect(Object.keys(r.metafile.inputs), spec).toContain("dist/src/browser.js");
      expect(Object.keys(r.metafile.inputs), spec).not.toContain("dist/src/index.js");
    }
  });

  it("an app bundled with the wasm inside (loader binary, \"pygcsim/build/release.wasm\") runs: init(bytes) then a collection", async () => {
    const out = join(bundle.dir, "app.js");
    await build({
      stdin: {
        contents: [
          `import { init, Heap } from "pygcsim";`,
          `import wasm from "pygcsim/build/release.wasm";`,
          `await init(wasm);`,
          `const heap = new Heap();`,
          `const l = heap.newObject("list");`,
          `heap.addRef(l, l);`,
          `heap.unbind(l);`,
          `export const collected = heap.collect();`,
        ].join("\n"),
        resolveDir: ROOT, loader: "js",
      },
      // es2022: no Uint8Array.fromBase64 for the embedded bytes (Node 20 has none)
      bundle: true, platform: "browser", format: "esm", target: "es2022", loader: { ".wasm": "binary" }, outfile: out, logLevel: "silent",
    });
    expect((await import(pathToFileURL(out).href)).collected).toBe(1);
  });

  it("a Heap before init() throws EngineNotLoadedError, a PygcsimError saying to call init()", async () => {
    const api = await load();
    let err: unknown;
    try {
      new api.Heap();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(api.EngineNotLoadedError);
    expect(err).toBeInstanceOf(api.PygcsimError);
    expect((err as Error).message).toBe("Heap: the engine is not loaded: call await init() first (import { init } from \"pygcsim/browser\")");
  });

  it("init(bytes): a 2-object cycle, bound twice and unbound, is collected (2), as in Node", async () => {
    const api = await load();
    await api.init(release());
    const run = (m: Api) => {
      const heap = new m.Heap();
      const a = heap.newObject("obj"), b = heap.newObject("obj");
      heap.addRef(a, b);
      heap.addRef(b, a);
      heap.bind(a);
      const roots = heap.rootCount(a);
      heap.unbind(a);
      heap.unbind(a);
      heap.unbind(b);
      return { roots, refcounts: [heap.refcount(a), heap.refcount(b)], collected: heap.collect(), size: heap.size };
    };
    const r = run(api);
    expect(r.collected).toBe(2);
    expect(r.roots).toBe(2);
    expect(r).toEqual(run(nodeEntry));
  });

  it("init is once per build: a second init() is free; the debug build needs its own source", async () => {
    const api = await load();
    await api.init(release().buffer); // an ArrayBuffer
    await api.init(); // loaded already: no fetch of the default URL (which Node could not read)
    expect(() => new api.Heap({ build: "debug" })).toThrow(/the debug build is not loaded: call await init\(\{ release, debug \}\) first/);
    await api.init({ debug: debug() });
    const heap = new api.Heap({ build: "debug" });
    const x = heap.newObject("list");
    heap.addRef(x, x);
    heap.unbind(x);
    expect(heap.collect()).toBe(1);
  });

  it("init takes a Response (application/wasm: compileStreaming; else the bytes), fetch's promise, a Module, { release, debug }", async () => {
    for (const source of [
      () => new Response(release(), { headers: { "content-type": "application/wasm" } }),
      () => new Response(release(), { headers: { "content-type": "application/octet-stream" } }),
      () => Promise.resolve(new Response(release(), { headers: { "content-type": "application/wasm" } })),
      () => new WebAssembly.Module(release()),
      () => ({ release: release(), debug: debug() }),
    ]) {
      const api = await load();
      await api.init(source());
      expect(new api.Heap({ python: "3.14" }).profile.series).toBe("3.14");
    }
  });

  it("init refuses what is not wasm with a typed error, and the engine stays unloaded", async () => {
    const api = await load();
    await expect(api.init(new Uint8Array([0, 1, 2, 3]))).rejects.toThrow(api.EngineNotLoadedError);
    await expect(api.init(new Response("nope", { status: 404, statusText: "Not Found" }))).rejects.toThrow(/init: cannot fetch the release build: HTTP 404 Not Found/);
    await expect(api.init(42 as never)).rejects.toThrow(api.InvalidArgumentError);
    await expect(api.init({ relaese: release() } as never)).rejects.toThrow(/unknown build "relaese"/);
    await expect(api.init({ release: release(), debug: new Uint8Array(8) })).rejects.toThrow(/the debug build is not a valid engine module/);
    expect(() => new api.Heap()).toThrow(api.EngineNotLoadedError);
  });

  it("dumps: parseDumpBytes gunzips (DecompressionStream); parseDump says what to use for gzip and paths", async () => {
    const api = await load();
    await api.init(release());
    const gz = new Uint8Array(readFileSync(join(ROOT, "examples", "heap-3.12.1.jsonl.gz")));
    const data = await api.parseDumpBytes(gz, "heap.jsonl.gz");
    const inNode = nodeEntry.parseDump(join(ROOT, "examples", "heap-3.12.1.jsonl.gz"));
    expect(data.n).toBe(inNode.n);
    expect(data.refs).toEqual(inNode.refs);
    expect(api.Heap.fromDump(data).size).toBe(nodeEntry.Heap.fromDump(inNode).size);
    expect(() => api.parseDump(gz, "heap.jsonl.gz")).toThrow(/heap\.jsonl\.gz: gzip-compressed, .*use await parseDumpBytes\(bytes\)/);
    expect(() => api.parseDump("examples/heap-3.12.1.jsonl.gz")).toThrow(/cannot read a path without a file system/);
    expect(() => api.Heap.fromDump(gz)).toThrow(api.DumpFormatError);
    await expect(api.parseDumpBytes(gz, "small", { maxBytes: 1000 })).rejects.toThrow(/small: decompresses to more than the limit of 1000 bytes/);
    await expect(api.parseDumpBytes(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), "bad.gz")).rejects.toThrow(/bad\.gz: not a valid gzip file/);
  });
});
