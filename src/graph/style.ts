// What a node says and how it looks: shared by the DOT and the SVG renderer,
// so that both pictures tell the same story.

import type { GraphEdge, GraphNode } from "./model.js";

export interface NodeStyle {
  fill: string;
  stroke: string;
  strokeWidth: number;
  /** A root binding: a double border. */
  double: boolean;
  text: string;
  /** A leak marker: text only, no box. */
  plain: boolean;
}

export interface EdgeStyle {
  color: string;
  dashed: boolean;
  width: number;
  label?: string;
}

const CONTAINERS = new Set(["obj", "fin", "list", "dict", "tuple"]);

/** The text lines of a node. */
export function nodeLines(n: GraphNode): string[] {
  if (n.kind === "leak") return [`leaked ×${n.count}`, "(incref)"];
  const lines = [`${n.type} ${n.name ?? n.id}`, n.name !== undefined ? `id ${n.id} · refcount ${n.refcount}` : `refcount ${n.refcount}`];
  const flags: string[] = [];
  if (n.finalizer) flags.push("__del__");
  if (n.rootCount) flags.push(n.rootCount > 1 ? `bound ×${n.rootCount}` : "bound");
  if (n.inGarbage) flags.push("in gc.garbage");
  if (n.resurrected) flags.push("resurrected");
  if (!n.tracked && CONTAINERS.has(n.type)) flags.push("untracked");
  if (flags.length) lines.push(flags.join(" · "));
  return lines;
}

export function nodeStyle(n: GraphNode): NodeStyle {
  if (n.kind === "leak") return { fill: "none", stroke: "none", strokeWidth: 0, double: false, text: "#c00000", plain: true };
  let fill = "#ffffff";
  if (n.type === "weakref") fill = "#eaf1fb";
  if (n.finalizer) fill = "#fde3c8";
  if (n.inGarbage) fill = "#d9d9d9";
  if (n.leakedRefs) fill = "#f9d2d2";
  return {
    fill, stroke: n.focus ? "#1f4e9c" : "#333333", strokeWidth: n.focus ? 2.5 : 1,
    double: n.rootCount > 0, text: "#111111", plain: false,
  };
}

export function edgeStyle(e: GraphEdge): EdgeStyle {
  if (e.kind === "weak") return { color: "#5b7db1", dashed: true, width: 1, label: "weak" };
  if (e.kind === "leak") return { color: "#c00000", dashed: false, width: 2 };
  return { color: "#333333", dashed: false, width: 1, label: e.count > 1 ? `×${e.count}` : undefined };
}
