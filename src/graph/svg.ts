// SVG of a HeapGraph without Graphviz: the layered layout of layout.ts, boxes
// with the node's lines in a monospace font (so text widths are known), edges
// as smooth paths with arrowheads, the same styling as the DOT output, a
// title and a legend of what the marks mean.

import type { GraphEdge, HeapGraph } from "./model.js";
import { layeredLayout, type Point, type RoutedEdge } from "./layout.js";
import { edgeStyle, nodeLines, nodeStyle } from "./style.js";

const FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace";
const FONT_SIZE = 11;
const CHAR_W = 6.65; // monospace advance at 11px (0.6 em), rounded up
const LINE_H = 14;
const PAD_X = 9;
const PAD_Y = 6;

/** Text for an XML attribute or element. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const f = (n: number) => (Math.round(n * 10) / 10).toString();

/** A smooth path through the points (Catmull-Rom as cubic Béziers); two points with `bulge` become an arc to their right. */
function pathData(points: Point[], bulge: number): string {
  const [p0] = points;
  if (points.length === 2) {
    const p1 = points[1];
    if (!bulge) return `M${f(p0.x)},${f(p0.y)} L${f(p1.x)},${f(p1.y)}`;
    const mx = (p0.x + p1.x) / 2, my = (p0.y + p1.y) / 2;
    const len = Math.hypot(p1.x - p0.x, p1.y - p0.y) || 1;
    // to the right of the direction of travel: (dy, -dx) in screen coordinates
    const cx = mx - ((p1.y - p0.y) / len) * bulge, cy = my + ((p1.x - p0.x) / len) * bulge;
    return `M${f(p0.x)},${f(p0.y)} Q${f(cx)},${f(cy)} ${f(p1.x)},${f(p1.y)}`;
  }
  let d = `M${f(p0.x)},${f(p0.y)}`;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[Math.max(0, i - 1)], b = points[i], c = points[i + 1], e = points[Math.min(points.length - 1, i + 2)];
    const c1 = { x: b.x + (c.x - a.x) / 6, y: b.y + (c.y - a.y) / 6 };
    const c2 = { x: c.x - (e.x - b.x) / 6, y: c.y - (e.y - b.y) / 6 };
    d += ` C${f(c1.x)},${f(c1.y)} ${f(c2.x)},${f(c2.y)} ${f(c.x)},${f(c.y)}`;
  }
  return d;
}

/** Where an edge's label goes: the middle of its middle segment (pushed to the side of an arc). */
function labelPoint(points: Point[], bulge: number): Point {
  const i = Math.max(0, Math.floor((points.length - 1) / 2));
  const a = points[i], b = points[Math.min(points.length - 1, i + 1)];
  const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
  if (!bulge || points.length !== 2) return { x: mx + 4, y: my };
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  return { x: mx - ((b.y - a.y) / len) * bulge * 0.6, y: my + ((b.x - a.x) / len) * bulge * 0.6 };
}

const LEGEND = [
  "double border: bound to a name (a root)",
  "orange: has __del__",
  "red: leaked references (incref)",
  "grey: in gc.garbage",
  "dashed: weak reference",
  "blue border: the object asked about",
];

export function toSvg(g: HeapGraph): string {
  const lines = new Map(g.nodes.map((n) => [n.key, nodeLines(n)]));
  const layout = layeredLayout(
    g.nodes.map((n) => {
      const ls = lines.get(n.key)!;
      return { key: n.key, width: Math.ceil(Math.max(...ls.map((l) => l.length)) * CHAR_W + 2 * PAD_X), height: ls.length * LINE_H + 2 * PAD_Y };
    }),
    g.edges.map((e) => ({ from: e.from, to: e.to })),
  );
  const title = g.truncated ? `${g.title} (${g.truncated} more not shown)` : g.title;
  const titleH = 26;
  // the legend wraps to the picture's width
  const minWidth = Math.max(layout.width, title.length * 7.6 + 24, 380);
  const legendLines: string[] = [];
  for (const item of LEGEND) {
    const cur = legendLines[legendLines.length - 1];
    if (cur !== undefined && (cur.length + 3 + item.length) * 6 < minWidth - 24) legendLines[legendLines.length - 1] = `${cur} · ${item}`;
    else legendLines.push(item);
  }
  const width = Math.ceil(minWidth);
  const height = Math.ceil(titleH + layout.height + legendLines.length * 13 + 10);
  const ox = (width - layout.width) / 2;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="${FONT_SIZE}">`);
  out.push(`<title>${xmlEscape(title)}</title>`);
  out.push("<defs>");
  for (const [id, color] of [["strong", "#333333"], ["weak", "#5b7db1"], ["leak", "#c00000"]]) {
    out.push(`<marker id="arrow-${id}" markerWidth="9" markerHeight="8" refX="9" refY="4" orient="auto" markerUnits="userSpaceOnUse"><path d="M0,0 L9,4 L0,8 z" fill="${color}"/></marker>`);
  }
  out.push("</defs>");
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${f(width / 2)}" y="17" text-anchor="middle" font-size="12" font-weight="bold" fill="#111111">${xmlEscape(title)}</text>`);
  out.push(`<g transform="translate(${f(ox)},${titleH})">`);

  // edges first, boxes on top
  const byKey = new Map(g.edges.map((e) => [`${e.from}\t${e.to}`, e]));
  const labels: string[] = [];
  for (const r of layout.edges) {
    const e = byKey.get(`${r.from}\t${r.to}`)!;
    const s = edgeStyle(e);
    const bulge = bulgeOf(r, byKey);
    const points = byKey.has(`${r.to}\t${r.from}`) && r.points.length === 2 ? apart(r.points, 7) : r.points;
    const d = r.self ? selfLoop(points) : pathData(points, bulge);
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width}"${s.dashed ? ` stroke-dasharray="5,3"` : ""} marker-end="url(#arrow-${e.kind})"/>`);
    if (s.label) {
      const p = r.self ? { x: r.points[1].x + 4, y: (r.points[1].y + r.points[2].y) / 2 } : labelPoint(points, bulge);
      labels.push(`<text x="${f(p.x)}" y="${f(p.y + 3)}" font-size="9" fill="${s.color}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${xmlEscape(s.label)}</text>`);
    }
  }
  for (const n of g.nodes) {
    const p = layout.nodes.get(n.key)!;
    const s = nodeStyle(n);
    const x = p.x - p.width / 2, y = p.y - p.height / 2;
    out.push(`<g class="${n.kind}" id="${n.key}">`);
    if (!s.plain) {
      out.push(`<rect x="${f(x)}" y="${f(y)}" width="${f(p.width)}" height="${f(p.height)}" rx="5" fill="${s.fill}" stroke="${s.stroke}" stroke-width="${s.strokeWidth}"/>`);
      if (s.double) out.push(`<rect x="${f(x + 3)}" y="${f(y + 3)}" width="${f(p.width - 6)}" height="${f(p.height - 6)}" rx="3" fill="none" stroke="${s.stroke}" stroke-width="1"/>`);
    }
    lines.get(n.key)!.forEach((l, i) => {
      const weight = i === 0 && !s.plain ? ` font-weight="bold"` : "";
      out.push(`<text x="${f(p.x)}" y="${f(y + PAD_Y + LINE_H * i + 11)}" text-anchor="middle" fill="${s.text}"${weight}>${xmlEscape(l)}</text>`);
    });
    out.push("</g>");
  }
  out.push(...labels);
  out.push("</g>");
  legendLines.forEach((l, i) => {
    out.push(`<text x="12" y="${f(titleH + layout.height + 12 + i * 13)}" font-size="9" fill="#555555">${xmlEscape(l)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** Two-point edges that share their ends with an opposite edge, or close a cycle, are drawn as arcs. */
function bulgeOf(r: RoutedEdge, edges: Map<string, GraphEdge>): number {
  if (r.points.length !== 2) return 0;
  if (edges.has(`${r.to}\t${r.from}`)) return 8;
  return r.reversed ? 28 : 0;
}

/** The segment moved sideways (to the right of its direction), so that a → b and b → a do not share their ends. */
function apart(p: Point[], by: number): Point[] {
  const [a, b] = p;
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const nx = -(b.y - a.y) / len * by, ny = (b.x - a.x) / len * by;
  return [{ x: a.x + nx, y: a.y + ny }, { x: b.x + nx, y: b.y + ny }];
}

function selfLoop(p: Point[]): string {
  const [a, , , d] = p;
  return `M${f(a.x)},${f(a.y)} C${f(a.x + 34)},${f(a.y - 14)} ${f(d.x + 34)},${f(d.y + 14)} ${f(d.x)},${f(d.y)}`;
}
