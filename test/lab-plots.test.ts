// Lab sweep plots (issue 9): a sweep of 8 policies over 2 workloads of
// different lengths. Every legend label is there in full and inside the SVG
// (text extents at the fixed monospace advance charts.ts lays them out
// with), and each workload has its own panel whose x axis spans its own run —
// also one workload swept over its length (requests=100|300): a panel each.
import { describe, expect, it } from "vitest";
import { runLab } from "../src/lab/run.js";
import { CHAR_W, garbageOverTime, legendLayout, pauseDistribution, workVsPause } from "../src/lab/svg/charts.js";
import type { LabRun } from "../src/lab/types.js";

const thresholds = [100, 200, 400, 800, 1600, 3200, 6400, 12800];
const runs: LabRun[] = [];
for (const workload of ["web-service:requests=200", "long-lived-growth:objects=3000:batch=100"]) {
  for (const t of thresholds) {
    runs.push(runLab({ workload, policy: `fixed:threshold0=${t}:threshold1=5:longLivedRatio=0.5`, python: "3.12", samples: 20 }));
  }
}
const labels = thresholds.map((t) => `fixed(threshold0=${t},threshold1=5,longLivedRatio=0.5) · 3.12.1`);

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
const unesc = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

function parse(svg: string) {
  const width = Number(attr(svg.slice(0, svg.indexOf(">")), "width")), height = Number(attr(svg.slice(0, svg.indexOf(">")), "height"));
  const legend = svg.slice(svg.indexOf('<g class="legend"'), svg.lastIndexOf("</g>"));
  const texts = [...legend.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map((m) => ({ x: Number(attr(m[1], "x")), y: Number(attr(m[1], "y")), text: unesc(m[2]) }));
  const panels = [...svg.matchAll(/<g class="panel"([^>]*)>/g)].map((m) => ({ workload: attr(m[1], "data-workload"), domain: attr(m[1], "data-x-domain") }));
  return { width, height, texts, panels };
}

describe("lab plots: 8 policies × 2 workloads of different lengths", () => {
  it("the runs differ in length: 200 and 30 steps", () => {
    expect(runs.map((r) => r.steps)).toEqual([...thresholds.map(() => 200), ...thresholds.map(() => 30)]);
  });

  it.each([["garbage held", garbageOverTime], ["pauses", pauseDistribution], ["work vs pause", workVsPause]])("%s: full legend labels inside the SVG", (_, draw) => {
    const svg = draw(runs);
    const p = parse(svg);
    expect(p.width).toBe(760);
    expect(p.texts.map((t) => t.text)).toEqual(labels);
    for (const t of p.texts) {
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.x + t.text.length * CHAR_W).toBeLessThanOrEqual(p.width);
      expect(t.y).toBeLessThanOrEqual(p.height);
    }
    // labels of 62-64 characters (~460 px) in 760 px: one per row, eight rows below the two panels
    expect(new Set(p.texts.map((t) => t.y)).size).toBe(8);
    expect(p.height).toBeGreaterThanOrEqual(Math.max(...p.texts.map((t) => t.y)));
    expect(p.panels.map((x) => x.workload)).toEqual(["web-service", "long-lived-growth"]);
  });

  it("each workload's panel has its own x axis: 0..200 steps and 0..30 steps", () => {
    expect(parse(garbageOverTime(runs)).panels).toEqual([
      { workload: "web-service", domain: "0,200" },
      { workload: "long-lived-growth", domain: "0,30" },
    ]);
    // the pauses' axes too: each spans its own workload's largest pause
    const own = (w: string) => Math.max(...runs.filter((r) => r.workload === w).flatMap((r) => r.collections.map((c) => c.examined)));
    expect(parse(pauseDistribution(runs)).panels.map((x) => x.domain)).toEqual([`0,${own("web-service")}`, `0,${own("long-lived-growth")}`]);
  });

  it("a label longer than a row widens the SVG instead of being cut", () => {
    const long = "x".repeat(150);
    const l = legendLayout([long, "short"], 760);
    expect(l.width).toBeGreaterThanOrEqual(16 + 12 + 6 + 150 * CHAR_W + 16);
    const svg = garbageOverTime([{ ...runs[0], label: long }]);
    const p = parse(svg);
    expect(p.texts[0].text).toBe(`${long} · 3.12.1`);
    expect(p.texts[0].x + p.texts[0].text.length * CHAR_W).toBeLessThanOrEqual(p.width);
    // one workload: one untitled panel, the workload in the title
    expect(p.panels).toEqual([{ workload: undefined, domain: "0,200" }]);
    expect(svg).toContain(">Garbage held over time — web-service</text>");
  });
});

describe("lab plots: one workload swept over its length", () => {
  const swept: LabRun[] = [];
  for (const requests of [100, 300]) {
    for (const policy of ["cpython", "fixed:threshold0=350"]) swept.push(runLab({ workload: `web-service:requests=${requests}`, policy, python: "3.12", samples: 10 }));
  }

  it("requests=100 and requests=300 are two panels, each with its own x axis (they shared 0..300 before)", () => {
    expect(swept.map((r) => r.steps)).toEqual([100, 100, 300, 300]);
    for (const draw of [garbageOverTime, pauseDistribution, workVsPause]) {
      expect(parse(draw(swept)).panels.map((x) => x.workload)).toEqual(["web-service(requests=100)", "web-service(requests=300)"]);
    }
    expect(parse(garbageOverTime(swept)).panels.map((x) => x.domain)).toEqual(["0,100", "0,300"]);
    // each panel has its own two series (not four in one panel, two pairs of one colour)
    const svg = garbageOverTime(swept);
    const perPanel = svg.split('<g class="panel"').slice(1).map((p) => (p.slice(0, p.indexOf("</g>")).match(/<path /g) ?? []).length);
    expect(perPanel).toEqual([2, 2]);
    expect(parse(svg).texts.map((t) => t.text)).toEqual(["cpython · 3.12.1", "fixed(threshold0=350) · 3.12.1"]);
  });
});
