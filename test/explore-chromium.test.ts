// The explorer end to end in real Chromium (issue 12): `pygcsim explore` as a
// user starts it, a scenario stepped to its collection, the displayed
// refcounts, lists and stages checked against the frames Node records
// (test/explore-frames.test.ts checks those against the engine), a second
// profile, the editor's validation, a heap dump, `--build DIR` on another
// server. Screenshots go to test-artifacts/ (CI keeps them) and are
// compared loosely: sizes and non-empty regions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { chromiumMissing, launchChromium } from "./helpers/chromium.js";
import { serveStatic } from "./helpers/static-server.js";
import { recordScenario } from "../src/explore/frames.js";
import { Heap, parseDump, summarizeLoad } from "../src/index.js";
import { planJobs } from "../src/lab/plan.js";
import { runLab } from "../src/lab/run.js";

const root = join(import.meta.dirname, "..");
const artifacts = join(root, "test-artifacts");
const scenario = (name: string) => JSON.parse(readFileSync(join(root, "test", "conformance", "cases", `${name}.json`), "utf8"));

/** Starts `pygcsim explore ARGS --port 0`; resolves with its URL once it prints it. */
function startExplore(...args: string[]): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(root, "bin", "pygcsim.js"), "explore", ...args, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "", err = "";
    proc.stdout!.on("data", (d) => {
      out += d;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ url: m[1], proc });
    });
    proc.stderr!.on("data", (d) => { err += d; });
    proc.on("exit", (code) => reject(new Error(`explore exited ${code}: ${err}`)));
  });
}

/** A PNG's width and height (its IHDR chunk). */
function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

/** The README's screenshots: taken by this suite (PYGCSIM_UPDATE_SCREENSHOTS=1 copies them into docs/). */
const README_SHOTS = new Set(["explorer-stages", "explorer-compare"]);

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  // loosely: a real picture of a real page (a blank page of this size compresses to a few KB)
  expect(statSync(file).size).toBeGreaterThan(30_000);
  if (!README_SHOTS.has(name)) return;
  const docs = join(root, "docs", `${name}.png`);
  if (process.env.PYGCSIM_UPDATE_SCREENSHOTS) copyFileSync(file, docs);
  // the README's picture is of today's page: the same width, a height within a fifth
  const [w, h] = pngSize(file), [dw, dh] = pngSize(docs);
  expect(dw).toBe(w);
  expect(Math.abs(dh - h)).toBeLessThanOrEqual(h / 5);
}

describe.skipIf(chromiumMissing !== null)(chromiumMissing ?? "the explorer in Chromium", () => {
  let browser: Browser;
  let server: { url: string; proc: ChildProcess };
  beforeAll(async () => {
    browser = await launchChromium();
    server = await startExplore();
  }, 60_000);
  afterAll(async () => {
    server?.proc.kill("SIGINT");
    await browser?.close();
  });

  async function open(url = server.url): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
    return { page, errors };
  }

  it("steps a scenario to its collection: refcounts, lists and stages as the engine has them", async () => {
    const { page, errors } = await open();
    await page.selectOption("[data-testid=python]", "3.12");
    await page.selectOption("[data-testid=scenario-pick]", "fin_cycle_two");
    await page.waitForSelector("[data-testid=ops] li");
    const rec = recordScenario(scenario("fin_cycle_two"), "3.12");
    // op by op: every card shows the refcount the engine has, in the list the engine has it in, in list order
    for (let f = 0; f <= 8; f++) {
      const cards = await page.$$eval("[data-testid='heap-3.12.1'] .list", (lists) => lists.map((l) => ({
        list: l.getAttribute("data-list"), cards: [...l.querySelectorAll(".card")].map((c) => [c.getAttribute("data-name"), Number(c.getAttribute("data-refcount"))]),
      })));
      const frame = rec.frames[f];
      const expected = frame.lists.map((l) => ({ list: l.name, cards: l.ids.map((id) => { const o = frame.objects!.find((x) => x.id === id)!; return [o.name, o.refcount]; }) }));
      expect(cards.filter((c) => c.list !== "untracked"), `frame ${f}`).toEqual(expected);
      if (f < 8) await page.click("[data-testid=forward]");
    }
    await page.click("[data-testid=first]");
    await page.click("[data-testid=next-collection]");
    expect(await page.textContent("[data-testid=where]")).toBe("after op 8 of 12");
    const stages = await page.$$eval("[data-testid=stages] .tabs button", (b) => b.map((x) => x.getAttribute("data-stage")));
    expect(stages).toEqual(rec.frames[9].stages.map((s) => s.stage));
    await page.click("[data-testid=stages] [data-stage=move_unreachable]");
    const unreachable = await page.$$eval("[data-testid=stages] [data-list=unreachable] .card", (c) => c.map((x) => [x.getAttribute("data-name"), Number(x.getAttribute("data-gc-refs"))]));
    expect(unreachable).toEqual([["a", 0], ["b", 0]]);
    expect(await page.textContent("[data-testid=stage-description]")).toContain("move_unreachable");
    await shot(page, "explorer-stages");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("two profiles side by side: the first event they disagree on is marked, and an object's chain, cycle and retained size", async () => {
    const { page, errors } = await open();
    await page.selectOption("[data-testid=scenario-pick]", "fin_cycle_two");
    await page.selectOption("[data-testid=python]", "2.7");
    await page.selectOption("[data-testid=compare]", "3.12");
    await page.waitForSelector("[data-testid=divergence]");
    expect(await page.textContent("[data-testid=divergence]")).toContain("First difference: event 0, op 8");
    expect(await page.$$eval("[data-testid=ops] li.diverges", (l) => l.length)).toBe(1);
    await page.click("[data-testid=next-collection]");
    // 2.7: the cycle with __del__ is uncollectable: both in gc.garbage
    expect(await page.$$eval("[data-testid='heap-2.7.18'] [data-list='gc.garbage'] .card", (c) => c.map((x) => x.getAttribute("data-name")))).toEqual(["a", "b"]);
    await page.click("[data-testid='heap-2.7.18'] [data-list='generation 2'] [data-name=a]");
    expect(await page.textContent("[data-testid=why-alive]")).toContain("gc.garbage");
    expect(await page.textContent("[data-testid=cycle]")).toBe("a → b → a");
    expect(await page.textContent("[data-testid=retained]")).toMatch(/^\d+ bytes/);
    await shot(page, "explorer-compare");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("3.14's incremental collector: the young list and two old spaces, a mark step, and 3.13 beside it", async () => {
    const { page, errors } = await open();
    await page.selectOption("[data-testid=python]", "3.14");
    await page.selectOption("[data-testid=compare]", "3.13");
    await page.selectOption("[data-testid=scenario-pick]", "gen_collect1_repeated");
    await page.waitForSelector("[data-testid=ops] li");
    const rec = recordScenario(scenario("gen_collect1_repeated"), "3.14");
    expect(await page.$$eval("[data-testid='heap-3.14.2'] .list", (l) => l.map((x) => x.getAttribute("data-list")))).toEqual(["young", "old[0]", "old[1]"]);
    const marks = rec.frames.findIndex((f) => f.stages.some((s) => s.stage === "mark_at_start"));
    expect(marks).toBeGreaterThan(0);
    await page.click("[data-testid=next-collection]");
    await page.click("[data-testid=next-collection]");
    expect(await page.textContent("[data-testid=where]")).toBe(`after op ${marks - 1} of ${rec.frames.length - 1}`);
    expect(await page.$$eval("[data-testid=stages] .tabs button", (b) => b.map((x) => x.getAttribute("data-stage")))).toEqual(["mark_at_start"]);
    expect(await page.textContent("[data-testid=stage-description]")).toContain("visited old space");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("the editor refuses a scenario as the CLI does (op index and field) and runs a valid one", async () => {
    const { page } = await open();
    await page.click("[data-testid=editor-toggle]");
    await page.fill("[data-testid=editor-text]", JSON.stringify({ name: "mine", description: "x", ops: [{ op: "new", id: "a", type: "obj" }, { op: "ref", from: "a" }] }));
    await page.click("[data-testid=editor-run]");
    expect(await page.textContent("[data-testid=editor-error]")).toMatch(/op 1/);
    await page.fill("[data-testid=editor-text]", JSON.stringify({ name: "mine", description: "x", ops: [{ op: "new", id: "a", type: "list" }, { op: "ref", from: "a", to: "a" }, { op: "del", id: "a" }, { op: "collect", gen: 0 }] }));
    await page.click("[data-testid=editor-run]");
    expect(await page.textContent("[data-testid=editor-error]")).toBe("");
    await page.click("[data-testid=last]");
    expect(await page.textContent("[data-testid=ops]")).toContain("returned: 1");
    await page.close();
  }, 60_000);

  it("opens a real heap dump: the counts the Node loader gives", async () => {
    const { page, errors } = await open();
    const file = join(root, "examples", "heap-3.12.1.jsonl.gz");
    await page.setInputFiles("[data-testid=file-input]", file);
    await page.waitForSelector("[data-testid=dump-summary]", { timeout: 30_000 });
    // simulated under the dump's own version (3.12) until a Python is chosen
    const s = summarizeLoad(Heap.fromDump(parseDump(file)));
    expect(s.profile).toBe("3.12.1");
    expect(await page.textContent("[data-testid=dump-summary]")).toContain(`${s.objects.toLocaleString("en-US")} objects`);
    const gens = await page.$$eval("[data-testid=dump-generations] td.num", (t) => t.map((x) => Number(x.textContent!.replace(/,/g, ""))));
    expect(gens).toEqual(s.generations);
    expect(await page.textContent("[data-testid=dump-summary] h2")).toContain("simulated as 3.12.1");
    await page.click("[data-testid=forecast]");
    expect(await page.textContent("[data-testid=dump-forecast]")).toMatch(/gc\.collect\(\) returns \d+/);
    await shot(page, "explorer-dump");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("lab results as interactive plots: a section per workload, a legend that toggles, hover values, drag to zoom", async () => {
    const { page, errors } = await open();
    const file = join(root, "test", "data", "lab-small.json");
    const report = JSON.parse(readFileSync(file, "utf8")) as { runs: { workload: string; label: string; steps: number }[] };
    await page.setInputFiles("[data-testid=file-input]", file);
    await page.waitForSelector("[data-testid=lab-workload]");
    const sections = await page.$$eval("[data-testid=lab-workload]", (s) => s.map((x) => x.getAttribute("data-workload")));
    expect(sections.length).toBe(new Set(report.runs.map((r) => r.workload)).size);
    const first = page.locator("[data-testid=lab-workload]").first();
    const policies = [...new Set(report.runs.filter((r) => r.workload === report.runs[0].workload).map((r) => r.label))];
    expect(await first.locator("[data-testid=lab-legend-item]").count()).toBe(policies.length);
    // each workload has its own x axis: the first's ends at its own length
    const chart = first.locator("[data-testid=lab-chart]").first();
    expect(Number(await chart.getAttribute("data-x1"))).toBe(report.runs[0].steps);
    // hover: one value per visible policy
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const tooltip = first.locator("[data-testid=lab-tooltip]").first();
    for (const p of policies) expect(await tooltip.textContent()).toContain(p);
    // a legend click hides the policy in every chart of that workload
    const item = first.locator(`[data-testid=lab-legend-item][data-policy="${policies[0]}"]`);
    const paths = () => first.locator(`path[data-policy="${policies[0]}"]`).count();
    expect(await paths()).toBeGreaterThan(0);
    await item.click();
    expect(await paths()).toBe(0);
    expect(await item.getAttribute("class")).toContain("off");
    // drag across the middle half: every chart of the workload zooms to that range; double-click resets
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    const domains = await first.locator("[data-testid=lab-chart]").evaluateAll((c) => c.map((x) => [Number(x.getAttribute("data-x0")), Number(x.getAttribute("data-x1"))]));
    expect(new Set(domains.map((d) => d.join())).size).toBe(1);
    expect(domains[0][0]).toBeGreaterThan(0);
    expect(domains[0][1]).toBeLessThan(report.runs[0].steps);
    await shot(page, "explorer-lab");
    await chart.dblclick();
    expect(Number(await chart.getAttribute("data-x1"))).toBe(report.runs[0].steps);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("runs a lab sweep in the page: the same plan and collections as `pygcsim lab` in Node, and its errors", async () => {
    const { page, errors } = await open();
    await page.click("[data-testid=lab-toggle]");
    await page.fill("[data-testid=lab-workloads]", "web-service:requests=300");
    await page.fill("[data-testid=lab-policies]", "cpython,fixed:threshold0=350");
    await page.click("[data-testid=lab-run]");
    await page.waitForSelector("[data-testid=lab-summary]", { timeout: 30_000 });
    const rows = await page.$$eval("[data-testid=lab-summary] tr.lab-summary-row", (r) => r.map((x) => [x.getAttribute("data-policy"), x.children[6].textContent]));
    const node = planJobs(["web-service:requests=300"], ["cpython,fixed:threshold0=350"], undefined, 1).map((j) => runLab(j));
    expect(rows).toEqual(node.map((r) => [r.label, r.summary.collectionsPerGeneration.join("/")]));
    // a bad spec: Node's message, before any run
    await page.fill("[data-testid=lab-policies]", "nope");
    await page.click("[data-testid=lab-run]");
    let nodeError = "";
    try { planJobs(["web-service:requests=300"], ["nope"], undefined, 1); } catch (e) { nodeError = (e as Error).message; }
    expect(await page.textContent("[data-testid=lab-error]")).toBe(nodeError);
    // a workload that reads a file says it runs in Node
    await page.fill("[data-testid=lab-workloads]", "loaded-heap");
    await page.fill("[data-testid=lab-policies]", "cpython");
    await page.click("[data-testid=lab-run]");
    await page.waitForFunction(() => document.querySelector("[data-testid=lab-error]")!.textContent !== "");
    expect(await page.textContent("[data-testid=lab-error]")).toContain("runs in Node");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("`explore FILE` opens the file first; `--build DIR` is the same site on any static server", async () => {
    const withFile = await startExplore(join(root, "test", "conformance", "cases", "cycle_two_obj.json"), "--python", "3.13");
    try {
      const { page } = await open(withFile.url);
      expect(await page.textContent("#status")).toContain("cycle_two_obj");
      expect(await page.textContent("#status")).toContain("3.13");
      await page.close();
    } finally {
      withFile.proc.kill("SIGINT");
    }
    const dir = mkdtempSync(join(tmpdir(), "pygcsim-site-"));
    try {
      const { spawnSync } = await import("node:child_process");
      const r = spawnSync(process.execPath, [join(root, "bin", "pygcsim.js"), "explore", "--build", dir], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const site = await serveStatic(dir);
      try {
        const { page, errors } = await open(`${site.url}/index.html`);
        await page.selectOption("[data-testid=scenario-pick]", "cycle_two_obj");
        await page.waitForSelector("[data-testid=ops] li");
        expect(errors).toEqual([]);
        await page.close();
      } finally {
        await site.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
