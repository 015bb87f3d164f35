// The browser entry in a real browser: the system's Chromium (headless,
// through playwright-core) loads a page from a local static server that
// imports dist/src/browser.js as it is (init() fetching build/release.wasm
// from its default URL) or esbuild's bundle of it (init(fetch(url))), and
// runs test/browser/probe.mjs: a cycle collected, a 3.14 heap, a conformance
// scenario under three profiles, the tracker's report, a cycle's graph, a
// gzip dump loaded. Each must give exactly what Node gives; and
// examples/browser.html (docs/browser.md's page). Skips, saying
// why, where there is no Chromium (npm run build first: it serves dist/).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { chromiumMissing, launchChromium } from "./helpers/chromium.js";
import { serveStatic, type StaticServer } from "./helpers/static-server.js";
import { ROOT, bundleBrowserEntry } from "./helpers/browser-bundle.js";
import { probe } from "./browser/probe.mjs";

interface PageOutcome {
  error?: string;
  beforeInit?: { name: string; message: string; typed: boolean } | null;
  result?: unknown;
}

describe.skipIf(chromiumMissing !== null)(chromiumMissing ?? "the browser entry in Chromium", () => {
  let server: StaticServer;
  let browser: Browser;
  let bundleDir = "";
  let node: Record<string, unknown>;

  beforeAll(async () => {
    const bundle = await bundleBrowserEntry();
    bundleDir = bundle.dir;
    server = await serveStatic(ROOT, { "/bundle/": bundle.dir });
    browser = await launchChromium();
    node = await probe(await import("../src/index.js"), async (path: string) => new Uint8Array(readFileSync(join(ROOT, path))));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  async function inPage(query: string): Promise<PageOutcome & { logs: string[] }> {
    const page = await browser.newPage();
    const logs: string[] = [];
    page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
    page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
    try {
      await page.goto(`${server.url}/test/browser/page.html?${query}`);
      await page.waitForFunction(() => (window as unknown as { pygcsim?: unknown }).pygcsim !== undefined, null, { timeout: 30_000 });
      return { ...(await page.evaluate(() => (window as unknown as { pygcsim: PageOutcome }).pygcsim)), logs };
    } finally {
      await page.close();
    }
  }

  it("Node's own results are the recorded ones (what the pages must match)", () => {
    expect(node.cycleCollected).toBe(2);
    expect(node.aliveAfter).toEqual([false, false]);
    expect((node.py314 as { series: string }).series).toBe("3.14");
    const scenario = node.scenario as Record<string, { status: string; text: string }>;
    for (const v of ["2.7", "3.11", "3.14"]) {
      expect(scenario[v].text).toBe(readFileSync(join(ROOT, "test", "conformance", "expected", v, "fin_cycle_two.json"), "utf8"));
    }
    expect((node.dump as { summary: { objects: number } }).summary.objects).toBeGreaterThan(1000);
  });

  it("unbundled: dist/src/browser.js with init()'s default URL gives what Node gives", async () => {
    const before = server.requests.length;
    const r = await inPage("entry=/dist/src/browser.js&init=default");
    expect(r.error, r.logs.join("\n")).toBeUndefined();
    expect(r.beforeInit).toMatchObject({ name: "EngineNotLoadedError", typed: true });
    expect(r.beforeInit!.message).toMatch(/call await init\(\) first/);
    expect(r.result).toEqual(node);
    const asked = server.requests.slice(before);
    expect(asked).toContain("/build/release.wasm");
    // none of the Node entry's own files
    // (the lab's runs are in the browser entry; its CLI, worker threads, merge and plot files are not)
    expect(asked.filter((p) => /^\/dist\/src\/(index|node-host|package-root|wasm\/node-engine|load\/dump-files|scenario\/files|lab\/(cli|merge|plots|worker))\.js$|^\/dist\/src\/cli\//.test(p))).toEqual([]);
  });

  it("examples/browser.html (docs/browser.md's page) shows the collection", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/examples/browser.html`);
      await page.waitForFunction(() => document.getElementById("out")!.textContent !== "", null, { timeout: 30_000 });
      expect(await page.textContent("#out")).toMatch(/^CPython 3\.14\.\d+: after del, both alive: true; gc\.collect\(\) = 2$/);
    } finally {
      await page.close();
    }
  });

  it("bundled: esbuild's bundle with init(fetch(url)) gives what Node gives", async () => {
    const r = await inPage("entry=/bundle/pygcsim.js&init=fetch");
    expect(r.error, r.logs.join("\n")).toBeUndefined();
    expect(r.beforeInit).toMatchObject({ name: "EngineNotLoadedError", typed: true });
    expect(r.result).toEqual(node);
  });
});
