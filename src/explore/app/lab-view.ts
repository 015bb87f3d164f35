// The explorer's lab view: a lab report (`pygcsim lab --json FILE`) as
// interactive charts, one section per workload (src/lab/report-model.ts: a workload's
// name, parameters and length, each section its own x axis). Per section a
// legend of the policies (click one: its series leave or rejoin every chart
// of the section), three charts (garbage held, live objects, pauses) as
// inline SVG — hover: a vertical rule and a tooltip with each shown policy's
// value at that step; drag across: all three zoom to that step range;
// double-click: back to the whole run — and the summary table.
//
// Plain DOM, deterministic (no timers, no randomness). Hooks for tests:
// data-testid="lab-workload" sections (data-workload = the title),
// "lab-legend-item" buttons (data-policy, class "off" when hidden),
// "lab-chart" svgs (data-chart, data-x0/data-x1 = the x domain shown,
// data-plot-left/right = the plot area in viewBox units), series paths with
// data-policy, "lab-tooltip" (data-step), "lab-summary" tables, "lab-error".
// Styles: explorer/lab.css (lab- classes); what the view needs to work is inline.

import {
  buildLabModel, clipLine, formatNumber, nearest, niceTicks, zoom,
  type Chart, type Domain, type LabModel, type Point, type Series, type WorkloadView,
} from "../../lab/report-model.js";

const SVG = "http://www.w3.org/2000/svg";
/** viewBox of a chart, and its width in px (narrower only when the page is). */
const W = 480, H = 230;
const M = { l: 54, r: 14, t: 12, b: 30 };
const PLOT = { left: M.l, right: W - M.r, top: M.t, bottom: H - M.b };
/** A drag shorter than this (viewBox units) is a click, not a zoom. */
const DRAG_MIN = 4;

type Attrs = Record<string, string | number | null | undefined>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

/** A policy's label that line-breaks after its "(" and commas: "memory(<wbr>limitKiB=32,<wbr>…)" (its text unchanged). */
function breakable(label: string): DocumentFragment {
  const f = document.createDocumentFragment();
  label.split(/(?<=[(,])/).forEach((part, i) => {
    if (i) f.append(document.createElement("wbr"));
    f.append(part);
  });
  return f;
}

const fixed = (x: number) => +x.toFixed(1);
const int = (x: number) => Math.round(x).toLocaleString("en-US");
const swatch = (color: string, dash: string | null = null) =>
  el("span", { class: "lab-swatch", style: `display:inline-block;flex:none;width:12px;height:12px;border-radius:2px;background:${dash ? `repeating-linear-gradient(90deg,${color} 0 4px,transparent 4px 6px)` : color};border:1px solid ${color}` });

/** Renders the report into root (replacing what was there); a bad report shows its error (the field's path) instead. */
export function renderLab(root: HTMLElement, report: unknown): void {
  let model: LabModel;
  try {
    model = buildLabModel(report);
  } catch (e) {
    root.replaceChildren(el("div", { class: "lab lab-error error", "data-testid": "lab-error", role: "alert" }, (e as Error).message));
    return;
  }
  const top = el("div", { class: "lab", "data-testid": "lab" });
  if (model.command) top.append(el("p", { class: "lab-command", style: "overflow-wrap:anywhere" }, el("code", {}, `pygcsim ${model.command}`)));
  if (!model.workloads.length) top.append(el("p", { class: "lab-empty" }, "This lab report has no runs."));
  model.workloads.forEach((w) => top.append(workloadSection(w)));
  root.replaceChildren(top);
}

interface SectionState {
  w: WorkloadView;
  domain: Domain;
  hidden: Set<string>;
  charts: ChartView[];
  legend: HTMLElement[];
  rows: HTMLTableRowElement[];
  range: HTMLElement;
}

function workloadSection(w: WorkloadView): HTMLElement {
  const st: SectionState = { w, domain: [...w.domain], hidden: new Set(), charts: [], legend: [], rows: [], range: el("span", { class: "lab-range", "data-testid": "lab-range" }) };
  const section = el("section", { class: "lab-workload", "data-testid": "lab-workload", "data-workload": w.title });
  section.append(el("h2", { class: "lab-title" }, w.title, " ", el("span", { class: "lab-params", style: "font-weight:normal;overflow-wrap:anywhere" }, `(${w.paramsText})`)));

  const legend = el("div", { class: "lab-legend", "data-testid": "lab-legend", role: "group", "aria-label": "policies: click to hide or show", style: "display:flex;flex-wrap:wrap;gap:4px 14px;align-items:center" });
  for (const s of w.charts[0].series) {
    const item = el("button", {
      type: "button", class: "lab-legend-item", "data-testid": "lab-legend-item", "data-policy": s.policy, "aria-pressed": "true", title: `${s.policy}: click to hide or show`,
      style: "display:inline-flex;align-items:center;gap:6px;max-width:100%;white-space:normal;overflow-wrap:anywhere;text-align:left",
    }, swatch(s.color, s.dash), el("span", { class: "lab-legend-label" }, breakable(s.policy)));
    item.addEventListener("click", () => {
      if (st.hidden.has(s.policy)) st.hidden.delete(s.policy);
      else st.hidden.add(s.policy);
      update(st);
    });
    st.legend.push(item);
    legend.append(item);
  }
  const reset = el("button", { type: "button", class: "lab-reset", "data-testid": "lab-reset" }, "whole run");
  reset.addEventListener("click", () => { st.domain = [...w.domain]; update(st); });
  section.append(legend, el("p", { class: "lab-hint" }, "Drag across a chart to zoom (double-click or ", reset, " to reset); click a policy to hide or show it. ", st.range));

  const charts = el("div", { class: "lab-charts", style: "display:flex;flex-wrap:wrap;gap:12px" });
  for (const c of w.charts) {
    const view = chartView(c, st);
    st.charts.push(view);
    charts.append(view.figure);
  }
  section.append(charts, summaryTable(st));
  update(st);
  return section;
}

/** Redraws the section after its domain or hidden set changed. */
function update(st: SectionState): void {
  for (const item of st.legend) {
    const off = st.hidden.has(item.dataset.policy!);
    item.classList.toggle("off", off);
    item.setAttribute("aria-pressed", String(!off));
    item.style.opacity = off ? "0.45" : "";
    item.style.textDecoration = off ? "line-through" : "";
  }
  for (const row of st.rows) {
    const off = st.hidden.has(row.dataset.policy!);
    row.classList.toggle("off", off);
    row.style.opacity = off ? "0.45" : "";
  }
  const [a, b] = st.domain, [lo, hi] = st.w.domain;
  st.range.textContent = a === lo && b === hi ? `steps ${int(lo)}–${int(hi)}` : `steps ${formatStep(a)}–${formatStep(b)} of ${int(lo)}–${int(hi)}`;
  for (const c of st.charts) c.draw();
}

const formatStep = (x: number) => (Number.isInteger(x) ? int(x) : x.toFixed(1));

interface ChartView {
  figure: HTMLElement;
  draw(): void;
}

function chartView(chart: Chart, st: SectionState): ChartView {
  const svg = svgEl("svg", {
    viewBox: `0 0 ${W} ${H}`, class: "lab-svg", "data-testid": "lab-chart", "data-chart": chart.id, "data-plot-left": PLOT.left, "data-plot-right": PLOT.right,
    role: "img", "aria-label": `${chart.title} over the workload's steps`, style: "display:block;width:100%;height:auto;user-select:none;touch-action:pan-y;cursor:crosshair",
  });
  const tooltip = el("div", {
    class: "lab-tooltip", "data-testid": "lab-tooltip", role: "status",
    style: "position:absolute;top:4px;display:none;pointer-events:none;z-index:2;max-width:min(420px,90%);overflow-wrap:anywhere;background:rgba(255,255,255,.95);border:1px solid #bbb;border-radius:4px;padding:4px 6px;font-size:12px;line-height:1.35",
  });
  const plot = el("div", { class: "lab-plot", style: "position:relative" }, svg, tooltip);
  const figure = el("figure", { class: "lab-chart", "data-chart": chart.id, style: `margin:0;flex:0 1 ${W}px;min-width:0` },
    el("figcaption", { class: "lab-chart-title" }, el("strong", {}, chart.title), ` — ${chart.yLabel}`), plot);

  let sx = (x: number) => x, invx = (x: number) => x, sy = (y: number) => y;
  let shown: Series[] = [];
  const rule = svgEl("line", { class: "lab-rule", "data-testid": "lab-rule", y1: PLOT.top, y2: PLOT.bottom, stroke: "#444", "stroke-dasharray": "3 3", visibility: "hidden", "pointer-events": "none" });
  const selection = svgEl("rect", { class: "lab-selection", y: PLOT.top, height: PLOT.bottom - PLOT.top, fill: "rgba(47,111,223,.15)", stroke: "rgba(47,111,223,.6)", visibility: "hidden", "pointer-events": "none" });

  function draw(): void {
    const [x0, x1] = st.domain;
    svg.setAttribute("data-x0", String(x0));
    svg.setAttribute("data-x1", String(x1));
    shown = chart.series.filter((s) => !st.hidden.has(s.policy));
    const lines = shown.map((s) => (chart.kind === "line" ? clipLine(s.points, st.domain) : s.points.filter((p) => p[0] >= x0 && p[0] <= x1)));
    let top = 1;
    for (const ps of lines) for (const p of ps) if (p[1] > top) top = p[1];
    const yMax = top * 1.05;
    sx = (x) => PLOT.left + ((x - x0) / (x1 - x0)) * (PLOT.right - PLOT.left);
    invx = (px) => x0 + ((px - PLOT.left) / (PLOT.right - PLOT.left)) * (x1 - x0);
    sy = (y) => PLOT.bottom - (y / yMax) * (PLOT.bottom - PLOT.top);
    const parts: SVGElement[] = [svgEl("rect", { class: "lab-bg", x: 0, y: 0, width: W, height: H, fill: "white" })];
    for (const t of niceTicks(0, yMax, 4)) {
      parts.push(svgEl("line", { x1: PLOT.left, x2: PLOT.right, y1: fixed(sy(t)), y2: fixed(sy(t)), stroke: "#eee" }));
      parts.push(svgEl("text", { x: PLOT.left - 5, y: fixed(sy(t) + 4), "text-anchor": "end", "font-size": 11, fill: "#333" }, formatNumber(t)));
    }
    for (const t of niceTicks(x0, x1, 5)) {
      parts.push(svgEl("line", { x1: fixed(sx(t)), x2: fixed(sx(t)), y1: PLOT.bottom, y2: PLOT.bottom + 4, stroke: "#333" }));
      parts.push(svgEl("text", { x: fixed(sx(t)), y: PLOT.bottom + 16, "text-anchor": "middle", "font-size": 11, fill: "#333" }, formatNumber(t)));
    }
    parts.push(svgEl("text", { x: PLOT.right, y: H - 2, "text-anchor": "end", "font-size": 11, fill: "#666" }, "step"));
    parts.push(svgEl("line", { x1: PLOT.left, x2: PLOT.right, y1: PLOT.bottom, y2: PLOT.bottom, stroke: "#333" }));
    parts.push(svgEl("line", { x1: PLOT.left, x2: PLOT.left, y1: PLOT.top, y2: PLOT.bottom, stroke: "#333" }));
    shown.forEach((s, i) => {
      const pts = lines[i];
      let d = "";
      if (chart.kind === "line") {
        pts.forEach(([x, y], j) => { d += `${j ? "L" : "M"}${fixed(sx(x))},${fixed(sy(y))}`; });
        if (pts.length === 1) d += "h0.1";
      } else {
        // one path of circles (r 3): a series is one element with its data-policy, as the lines are
        for (const [x, y] of pts) d += `M${fixed(sx(x) - 3)},${fixed(sy(y))}a3,3 0 1,0 6,0a3,3 0 1,0 -6,0`;
      }
      parts.push(svgEl("path", {
        class: "lab-series", "data-policy": s.policy, d,
        fill: chart.kind === "line" ? "none" : s.color, "fill-opacity": chart.kind === "line" ? null : 0.75,
        stroke: s.color, "stroke-width": chart.kind === "line" ? 1.8 : 0.5, "stroke-dasharray": chart.kind === "line" ? s.dash : null,
        "stroke-linejoin": "round",
      }));
    });
    rule.setAttribute("visibility", "hidden");
    selection.setAttribute("visibility", "hidden");
    parts.push(selection, rule);
    svg.replaceChildren(...parts);
    hideTip();
  }

  /** viewBox x of a pointer event, clamped to the plot area. */
  const toSvgX = (e: PointerEvent | MouseEvent) => {
    const r = svg.getBoundingClientRect();
    const x = r.width > 0 ? ((e.clientX - r.left) / r.width) * W : PLOT.left;
    return Math.max(PLOT.left, Math.min(PLOT.right, x));
  };

  function hideTip(): void {
    tooltip.style.display = "none";
    tooltip.removeAttribute("data-step");
    rule.setAttribute("visibility", "hidden");
  }

  function hover(px: number): void {
    if (!shown.length) return hideTip();
    const x = invx(px);
    const [x0, x1] = st.domain;
    // lines: the rule snaps to the nearest sample step; pauses: to the nearest collection
    let step = x, best = Infinity;
    for (const s of shown) {
      const i = nearest(s.points, x);
      if (i < 0) continue;
      const p = s.points[i][0];
      if (p >= x0 && p <= x1 && Math.abs(p - x) < best) { best = Math.abs(p - x); step = p; }
    }
    const rows: HTMLElement[] = [];
    for (const s of shown) {
      const i = nearest(s.points, step);
      const p: Point | undefined = i >= 0 ? s.points[i] : undefined;
      const inside = p !== undefined && p[0] >= x0 && p[0] <= x1;
      const value = !inside ? "—" : chart.kind === "points" && p[0] !== step ? `${int(p[1])} (step ${formatStep(p[0])})` : int(p[1]);
      rows.push(el("div", { class: "lab-tooltip-row", "data-policy": s.policy, style: "display:flex;gap:6px;align-items:center" },
        swatch(s.color, s.dash), el("span", { class: "lab-tooltip-policy", style: "flex:1 1 auto;min-width:0" }, breakable(s.policy)),
        el("span", { class: "lab-tooltip-value", style: "font-variant-numeric:tabular-nums;white-space:nowrap;padding-left:8px" }, value)));
    }
    tooltip.replaceChildren(el("div", { class: "lab-tooltip-step", style: "font-weight:600" }, `step ${formatStep(step)}`), ...rows);
    tooltip.setAttribute("data-step", String(step));
    tooltip.style.display = "block";
    const at = sx(step);
    rule.setAttribute("x1", String(fixed(at)));
    rule.setAttribute("x2", String(fixed(at)));
    rule.setAttribute("data-step", String(step));
    rule.setAttribute("visibility", "visible");
    // beside the rule, on the side with more room
    const frac = at / W;
    if (frac < 0.5) { tooltip.style.left = `calc(${(frac * 100).toFixed(2)}% + 10px)`; tooltip.style.right = ""; }
    else { tooltip.style.right = `calc(${((1 - frac) * 100).toFixed(2)}% + 10px)`; tooltip.style.left = ""; }
  }

  let dragFrom: number | null = null;
  svg.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    dragFrom = toSvgX(e);
    try { svg.setPointerCapture(e.pointerId); } catch { /* a synthetic event has no pointer to capture */ }
  });
  svg.addEventListener("pointermove", (e) => {
    const px = toSvgX(e);
    if (dragFrom !== null) {
      const a = Math.min(dragFrom, px), b = Math.max(dragFrom, px);
      selection.setAttribute("x", String(fixed(a)));
      selection.setAttribute("width", String(fixed(b - a)));
      selection.setAttribute("visibility", b - a >= DRAG_MIN ? "visible" : "hidden");
    }
    hover(px);
  });
  svg.addEventListener("pointerup", (e) => {
    if (dragFrom === null) return;
    const from = dragFrom, to = toSvgX(e);
    dragFrom = null;
    selection.setAttribute("visibility", "hidden");
    if (Math.abs(to - from) < DRAG_MIN) return;
    const whole = Number.isInteger(st.w.domain[0]) && Number.isInteger(st.w.domain[1]);
    const r = (x: number) => (whole ? Math.round(x) : x);
    st.domain = zoom(st.w.domain, [r(invx(Math.min(from, to))), r(invx(Math.max(from, to)))]);
    update(st);
  });
  svg.addEventListener("pointercancel", () => { dragFrom = null; selection.setAttribute("visibility", "hidden"); });
  svg.addEventListener("pointerleave", () => { if (dragFrom === null) hideTip(); });
  svg.addEventListener("dblclick", () => { st.domain = [...st.w.domain]; update(st); });

  return { figure, draw };
}

function summaryTable(st: SectionState): HTMLElement {
  const head = ["policy", "python", "pause p50", "p90", "p99", "max", "collections 0/1/2", "garbage held mean", "max", "ops/s"];
  const table = el("table", { class: "lab-summary", "data-testid": "lab-summary" },
    el("thead", {}, el("tr", {}, ...head.map((t, i) => el("th", { class: i >= 2 ? "num" : null, scope: "col" }, t)))));
  const body = el("tbody");
  for (const r of st.w.summary) {
    const num = (text: string) => el("td", { class: "num", style: "text-align:right;font-variant-numeric:tabular-nums" }, text);
    const row = el("tr", { class: "lab-summary-row", "data-policy": r.policy },
      el("td", { class: "lab-summary-policy" }, el("span", { style: "display:inline-flex;gap:6px;align-items:center;overflow-wrap:break-word" }, swatch(r.color), el("span", {}, breakable(r.policy)))),
      el("td", {}, r.python),
      num(int(r.pause.p50)), num(int(r.pause.p90)), num(int(r.pause.p99)), num(int(r.pause.max)),
      num(r.collections.join("/")),
      num(r.garbageHeld.mean.toLocaleString("en-US", { maximumFractionDigits: 1 })), num(int(r.garbageHeld.max)),
      num(r.opsPerSec === null ? "–" : formatNumber(r.opsPerSec)));
    st.rows.push(row);
    body.append(row);
  }
  table.append(body);
  return el("div", { class: "lab-table", style: "overflow-x:auto;margin-top:8px" }, table);
}
