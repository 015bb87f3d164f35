// Three SVG charts for lab runs, self-contained (no plotting library): the
// garbage held over time per run, the pause distribution (a CDF of objects
// examined per collection), and total work against the longest pause.
//
// Each workload gets its own panel with its own x axis (a 300-step run and a
// 50-step one on one axis would squash the shorter), panels stacked: a
// workload is its name, parameters and length (groupRuns, shared with the
// explorer's lab view), so a sweep of a workload's size is several panels. The
// legend sits under the panels in rows, labels in full: its text is
// monospace, so its extent is known (CHAR_W per character) and the SVG grows
// taller, or wider for a label longer than a row, instead of cutting it.

import type { LabRun } from "../types.js";
import { PALETTE as COLORS, groupRuns } from "../report-model.js";

/** Default width; the height follows the panels and the legend rows. */
export const WIDTH = 760;
/** Advance of one legend character (monospace at 12 px is 0.6 em = 7.2 px, rounded up). */
export const CHAR_W = 7.25;
const PANEL_H = 300, TITLE_H = 34, M = { l: 70, r: 24, t: 28, b: 46 };
const LEGEND = { pad: 16, swatch: 12, gap: 6, spacing: 22, row: 20 };

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (x: number) => (Math.abs(x) >= 1e6 ? `${+(x / 1e6).toFixed(2)}M` : Math.abs(x) >= 1e3 ? `${+(x / 1e3).toFixed(1)}k` : `${+x.toFixed(2)}`);

interface Series { key: string; points: [number, number][]; }
interface Panel { title: string | null; series: Series[]; }

/** "Nice" ticks between lo and hi. */
function ticks(lo: number, hi: number, n = 5): number[] {
  if (hi <= lo) hi = lo + 1;
  const raw = (hi - lo) / n, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

/** Legend entries placed in rows: each item's x and row, and the width it needs. */
export function legendLayout(labels: string[], width: number): { items: { label: string; x: number; row: number }[]; rows: number; width: number } {
  const itemW = (s: string) => LEGEND.swatch + LEGEND.gap + s.length * CHAR_W;
  // a label longer than a whole row widens the SVG rather than being cut
  const w = Math.max(width, ...labels.map((s) => Math.ceil(itemW(s) + 2 * LEGEND.pad)));
  const items: { label: string; x: number; row: number }[] = [];
  let x = LEGEND.pad, row = 0;
  for (const label of labels) {
    if (x > LEGEND.pad && x + itemW(label) > w - LEGEND.pad) { row++; x = LEGEND.pad; }
    items.push({ label, x, row });
    x += itemW(label) + LEGEND.spacing;
  }
  return { items, rows: labels.length ? row + 1 : 0, width: w };
}

function chart(title: string, xLabel: string, yLabel: string, panels: Panel[], labels: string[], kind: "line" | "step" | "points"): string {
  const legend = legendLayout(labels, WIDTH);
  const W = legend.width;
  const legendTop = TITLE_H + panels.length * PANEL_H + 8;
  const H = legendTop + legend.rows * LEGEND.row + 10;
  const color = new Map(labels.map((l, i) => [l, COLORS[i % COLORS.length]]));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  panels.forEach((panel, k) => {
    const top = TITLE_H + k * PANEL_H;
    const xs = panel.series.flatMap((s) => s.points.map((p) => p[0])), ys = panel.series.flatMap((s) => s.points.map((p) => p[1]));
    const x0 = Math.min(0, ...xs), x1 = Math.max(1, ...xs), y0 = 0, y1 = Math.max(1, ...ys) * 1.05;
    const pl = M.l, pt = top + M.t, pw = W - M.l - M.r, ph = PANEL_H - M.t - M.b;
    const sx = (x: number) => pl + ((x - x0) / (x1 - x0)) * pw, sy = (y: number) => pt + ph - ((y - y0) / (y1 - y0)) * ph;
    out.push(`<g class="panel"${panel.title === null ? "" : ` data-workload="${esc(panel.title)}"`} data-x-domain="${x0},${x1}">`);
    if (panel.title !== null) out.push(`<text x="${pl}" y="${top + 18}" font-weight="bold">${esc(panel.title)}</text>`);
    for (const t of ticks(y0, y1)) {
      out.push(`<line x1="${pl}" x2="${pl + pw}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#eee"/>`);
      out.push(`<text x="${pl - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${num(t)}</text>`);
    }
    for (const t of ticks(x0, x1)) {
      out.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${pt + ph}" y2="${pt + ph + 4}" stroke="#333"/>`);
      out.push(`<text x="${sx(t).toFixed(1)}" y="${pt + ph + 18}" text-anchor="middle">${num(t)}</text>`);
    }
    out.push(`<line x1="${pl}" x2="${pl + pw}" y1="${pt + ph}" y2="${pt + ph}" stroke="#333"/>`);
    out.push(`<line x1="${pl}" x2="${pl}" y1="${pt}" y2="${pt + ph}" stroke="#333"/>`);
    out.push(`<text x="${pl + pw / 2}" y="${pt + ph + 36}" text-anchor="middle">${esc(xLabel)}</text>`);
    out.push(`<text x="16" y="${pt + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${pt + ph / 2})">${esc(yLabel)}</text>`);
    for (const s of panel.series) {
      const c = color.get(s.key)!;
      if (kind === "points") {
        for (const [x, y] of s.points) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="5" fill="${c}"/>`);
      } else if (s.points.length) {
        let d = `M${sx(s.points[0][0]).toFixed(1)},${sy(s.points[0][1]).toFixed(1)}`;
        for (let i = 1; i < s.points.length; i++) {
          const [x, y] = s.points[i];
          if (kind === "step") d += `H${sx(x).toFixed(1)}V${sy(y).toFixed(1)}`;
          else d += `L${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
        }
        out.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="2"/>`);
      }
    }
    out.push("</g>");
  });
  out.push(`<g class="legend" font-family="monospace">`);
  for (const it of legend.items) {
    const y = legendTop + it.row * LEGEND.row;
    out.push(`<rect x="${it.x}" y="${y}" width="${LEGEND.swatch}" height="${LEGEND.swatch}" fill="${color.get(it.label)}"/>`);
    out.push(`<text x="${it.x + LEGEND.swatch + LEGEND.gap}" y="${y + 10}">${esc(it.label)}</text>`);
  }
  out.push("</g>");
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/**
 * One panel per workload (groupRuns: a workload's name, parameters and length,
 * in first-seen order — a sweep of requests=100|300 gets two panels, each its
 * own x axis); series keyed by policy label and version, one color each across panels.
 */
function panels(runs: LabRun[], points: (r: LabRun) => [number, number][]): { panels: Panel[]; labels: string[] } {
  const key = (r: LabRun) => `${r.label} · ${r.python}`;
  const labels = [...new Set(runs.map(key))];
  const groups = groupRuns(runs);
  const several = groups.length > 1;
  return {
    labels,
    panels: groups.map((g) => ({
      title: several ? g.title : null,
      series: g.runs.map((r) => ({ key: key(r), points: points(r) })),
    })),
  };
}

const titled = (title: string, runs: LabRun[]) => {
  const groups = groupRuns(runs);
  return groups.length === 1 ? `${title} — ${groups[0].title}` : title;
};

/** Garbage held (unreachable, not yet freed) over the run, per run. */
export function garbageOverTime(runs: LabRun[]): string {
  const p = panels(runs, (r) => r.samples.map((s) => [s.step, s.garbageObjects] as [number, number]));
  return chart(titled("Garbage held over time", runs), "workload step", "objects unreachable, not yet freed", p.panels, p.labels, "line");
}

/** Pause distribution: share of collections examining at most x objects. */
export function pauseDistribution(runs: LabRun[]): string {
  const p = panels(runs, (r) => {
    const xs = r.collections.map((c) => c.examined).sort((a, b) => a - b);
    return xs.map((x, i) => [x, (i + 1) / xs.length] as [number, number]);
  });
  return chart(titled("Pause distribution (CDF)", runs), "objects examined by one collection", "share of collections", p.panels, p.labels, "step");
}

/** Work against pause: total objects examined vs the longest pause, one point per run. */
export function workVsPause(runs: LabRun[]): string {
  const p = panels(runs, (r) => [[r.summary.examinedTotal, r.summary.pause.max]]);
  return chart(titled("Work vs. pause", runs), "objects examined in all", "longest pause (objects examined)", p.panels, p.labels, "points");
}
