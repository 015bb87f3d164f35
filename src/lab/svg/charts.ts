// Three SVG charts for lab runs, self-contained (no plotting library): the
// garbage held over time per run, the pause distribution (a CDF of objects
// examined per collection), and total work against the longest pause.

import type { LabRun } from "../types.js";

const W = 760, H = 420, M = { l: 70, r: 200, t: 40, b: 50 };
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (x: number) => (Math.abs(x) >= 1e6 ? `${+(x / 1e6).toFixed(2)}M` : Math.abs(x) >= 1e3 ? `${+(x / 1e3).toFixed(1)}k` : `${+x.toFixed(2)}`);

interface Series { label: string; points: [number, number][]; }

/** "Nice" ticks between lo and hi. */
function ticks(lo: number, hi: number, n = 5): number[] {
  if (hi <= lo) hi = lo + 1;
  const raw = (hi - lo) / n, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

function chart(title: string, xLabel: string, yLabel: string, series: Series[], kind: "line" | "step" | "points"): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0])), ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const x0 = Math.min(0, ...xs), x1 = Math.max(1, ...xs), y0 = 0, y1 = Math.max(1, ...ys) * 1.05;
  const pw = W - M.l - M.r, ph = H - M.t - M.b;
  const sx = (x: number) => M.l + ((x - x0) / (x1 - x0)) * pw, sy = (y: number) => M.t + ph - ((y - y0) / (y1 - y0)) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2 - M.r / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  for (const t of ticks(y0, y1)) {
    out.push(`<line x1="${M.l}" x2="${M.l + pw}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${M.l - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${num(t)}</text>`);
  }
  for (const t of ticks(x0, x1)) {
    out.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${M.t + ph}" y2="${M.t + ph + 4}" stroke="#333"/>`);
    out.push(`<text x="${sx(t).toFixed(1)}" y="${M.t + ph + 18}" text-anchor="middle">${num(t)}</text>`);
  }
  out.push(`<line x1="${M.l}" x2="${M.l + pw}" y1="${M.t + ph}" y2="${M.t + ph}" stroke="#333"/>`);
  out.push(`<line x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${M.t + ph}" stroke="#333"/>`);
  out.push(`<text x="${M.l + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text x="16" y="${M.t + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${M.t + ph / 2})">${esc(yLabel)}</text>`);
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length];
    if (kind === "points") {
      for (const [x, y] of s.points) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="5" fill="${c}"/>`);
    } else if (s.points.length) {
      let d = `M${sx(s.points[0][0]).toFixed(1)},${sy(s.points[0][1]).toFixed(1)}`;
      for (let k = 1; k < s.points.length; k++) {
        const [x, y] = s.points[k];
        if (kind === "step") d += `H${sx(x).toFixed(1)}V${sy(y).toFixed(1)}`;
        else d += `L${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
      }
      out.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="2"/>`);
    }
    const ly = M.t + 10 + i * 18;
    out.push(`<rect x="${M.l + pw + 14}" y="${ly - 9}" width="12" height="12" fill="${c}"/>`);
    out.push(`<text x="${M.l + pw + 32}" y="${ly + 1}">${esc(s.label)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

const runLabel = (r: LabRun, runs: LabRun[]) =>
  new Set(runs.map((x) => x.workload)).size > 1 ? `${r.workload} · ${r.label} · ${r.python}` : `${r.label} · ${r.python}`;

/** Garbage held (unreachable, not yet freed) over the run, per run. */
export function garbageOverTime(runs: LabRun[]): string {
  return chart("Garbage held over time", "workload step", "objects unreachable, not yet freed",
    runs.map((r) => ({ label: runLabel(r, runs), points: r.samples.map((s) => [s.step, s.garbageObjects] as [number, number]) })), "line");
}

/** Pause distribution: share of collections examining at most x objects. */
export function pauseDistribution(runs: LabRun[]): string {
  return chart("Pause distribution (CDF)", "objects examined by one collection", "share of collections",
    runs.map((r) => {
      const xs = r.collections.map((c) => c.examined).sort((a, b) => a - b);
      return { label: runLabel(r, runs), points: xs.map((x, i) => [x, (i + 1) / xs.length] as [number, number]) };
    }), "step");
}

/** Work against pause: total objects examined vs the longest pause, one point per run. */
export function workVsPause(runs: LabRun[]): string {
  return chart("Work vs. pause", "objects examined in all", "longest pause (objects examined)",
    runs.map((r) => ({ label: runLabel(r, runs), points: [[r.summary.examinedTotal, r.summary.pause.max]] as [number, number][] })), "points");
}
