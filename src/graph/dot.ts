// Graphviz DOT text of a HeapGraph: `dot -Tsvg` (or -Tpng) draws it.
// Roots have a double border (peripheries=2), finalizers are orange, objects
// in gc.garbage grey, objects with leaked references red with a "leaked ×n"
// marker pointing at them, weak references dashed, the focus object bold blue.

import type { HeapGraph } from "./model.js";
import { edgeStyle, nodeLines, nodeStyle } from "./style.js";

/** A DOT double-quoted string. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function toDot(g: HeapGraph): string {
  const out: string[] = [];
  const title = g.truncated ? `${g.title} (${g.truncated} more not shown)` : g.title;
  out.push("digraph heap {");
  out.push(`  graph [label=${dotString(title)}, labelloc=t, fontname="Helvetica", fontsize=12, rankdir=TB];`);
  out.push(`  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];`);
  out.push(`  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];`);
  for (const n of g.nodes) {
    const s = nodeStyle(n);
    const label = nodeLines(n).map((l) => l.replace(/\\/g, "\\\\").replace(/"/g, '\\"')).join("\\n");
    const attrs = [`label="${label}"`];
    if (s.plain) attrs.push("shape=plaintext", `fontcolor="${s.text}"`);
    else {
      if (s.fill !== "#ffffff") attrs.push(`fillcolor="${s.fill}"`);
      if (s.double) attrs.push("peripheries=2");
      if (s.strokeWidth !== 1) attrs.push(`color="${s.stroke}"`, `penwidth=${s.strokeWidth}`);
    }
    out.push(`  ${n.key} [${attrs.join(", ")}];`);
  }
  for (const e of g.edges) {
    const s = edgeStyle(e);
    const attrs: string[] = [];
    if (s.dashed) attrs.push("style=dashed");
    if (e.kind === "leak") attrs.push("style=bold");
    if (s.color !== "#333333") attrs.push(`color="${s.color}"`);
    if (s.label) attrs.push(`label=${dotString(s.label)}`);
    out.push(`  ${e.from} -> ${e.to}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}
