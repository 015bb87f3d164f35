// Graphs of a heap: the selections (cycle, neighbourhood, keep-alive chain),
// the DOT text, the SVG of the built-in layered layout, and `pygcsim graph`.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Heap } from "../src/heap.js";
import { chainGraph, cycleGraph, neighbourhoodGraph, objectsGraph, type HeapGraph } from "../src/graph/model.js";
import { toDot } from "../src/graph/dot.js";
import { toSvg } from "../src/graph/svg.js";
import { layeredLayout } from "../src/graph/layout.js";
import { nodeLines } from "../src/graph/style.js";
import { main } from "../src/cli/main.js";
import { BUILDS, makeHeap } from "./helpers.js";

/** Well-formed XML: one root, tags nest and close, attributes quoted, text escaped. Returns the element names. */
export function checkXml(xml: string): string[] {
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  const stack: string[] = [];
  const names: string[] = [];
  let last = 0, roots = 0;
  const text = (s: string) => {
    if (/[<>]/.test(s) || /&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(s)) throw new Error(`bad text ${JSON.stringify(s.slice(0, 40))}`);
    if (!stack.length && s.trim()) throw new Error("text outside the root");
  };
  for (let m; (m = tag.exec(xml)); ) {
    text(xml.slice(last, m.index));
    last = tag.lastIndex;
    const [, close, name, , selfClose] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes nothing open`);
    } else {
      if (!stack.length) roots++;
      names.push(name);
      if (!selfClose) stack.push(name);
    }
  }
  text(xml.slice(last));
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return names;
}

const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** a ⇄ b (b has __del__, a leaked reference), b holds l twice, l → a, a bound, a weakref to a. */
function small(heap: Heap) {
  const a = heap.newObject("obj"), b = heap.newObject("fin"), l = heap.newObject("list");
  heap.addRef(a, b);
  heap.addRef(b, a);
  heap.addRef(b, l);
  heap.addRef(b, l);
  heap.addRef(l, a);
  const w = heap.newWeakref(a);
  heap.incref(b);
  heap.unbind(b);
  heap.unbind(l);
  const names = new Map([[a, "a"], [b, "b"], [l, "l"], [w, "w"]]);
  return { a, b, l, w, names: (id: number) => names.get(id) };
}

describe.each(BUILDS)("graphs (%s build)", (build) => {
  it("DOT of a small cycle, exactly", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const { a, b, l, names } = small(heap);
    expect([a, b, l]).toEqual([16, 17, 18]);
    expect(toDot(cycleGraph(heap, a, { names }))).toBe(`digraph heap {
  graph [label="the cycle of obj a (3 objects)", labelloc=t, fontname="Helvetica", fontsize=12, rankdir=TB];
  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];
  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];
  n16 [label="obj a\\nid 16 · refcount 3\\nbound", peripheries=2, color="#1f4e9c", penwidth=2.5];
  n17 [label="fin b\\nid 17 · refcount 2\\n__del__", fillcolor="#f9d2d2"];
  n18 [label="list l\\nid 18 · refcount 2"];
  leak17 [label="leaked ×1\\n(incref)", shape=plaintext, fontcolor="#c00000"];
  n16 -> n17;
  leak17 -> n17 [style=bold, color="#c00000"];
  n17 -> n16;
  n17 -> n18 [label="×2"];
  n18 -> n16;
}
`);
  });

  it("a neighbourhood includes weakrefs (dashed, weakref → target) and leak markers", () => {
    const { heap } = makeHeap(build, { python: "3.12" });
    const { a, b, w } = small(heap);
    const g = neighbourhoodGraph(heap, a, { depth: 1 });
    expect(g.nodes.filter((n) => n.kind === "object").map((n) => n.kind === "object" && n.id).sort()).toEqual([a, b, b + 1, w].sort());
    expect(g.edges).toContainEqual({ from: `n${w}`, to: `n${a}`, kind: "weak", count: 1 });
    expect(g.edges).toContainEqual({ from: `leak${b}`, to: `n${b}`, kind: "leak", count: 1 });
    const focus = g.nodes.find((n) => n.kind === "object" && n.focus);
    expect(focus && focus.kind === "object" && focus.id).toBe(a);
    expect(toDot(g)).toContain(`n${w} -> n${a} [style=dashed, color="#5b7db1", label="weak"];`);
    // depth 0: the object alone
    expect(neighbourhoodGraph(heap, a, { depth: 0 }).nodes.length).toBe(1);
    // maxNodes caps it and says how many were left out
    const capped = neighbourhoodGraph(heap, a, { depth: 1, maxNodes: 2 });
    expect([capped.nodes.filter((n) => n.kind === "object").length, capped.truncated]).toEqual([2, 2]);
  });

  it("the keep-alive chain: from a root binding, from a leak, and the cycle holding garbage", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const r = heap.newObject("list"), m = heap.newObject("dict"), x = heap.newObject("obj");
    heap.addRef(r, m);
    heap.addRef(m, x);
    heap.unbind(m);
    heap.unbind(x);
    const ids = (g: HeapGraph) => g.nodes.flatMap((n) => (n.kind === "object" ? [n.id] : []));
    expect(ids(chainGraph(heap, x))).toEqual([r, m, x]);
    const k = heap.newObject("list"), y = heap.newObject("obj");
    heap.addRef(k, y);
    heap.incref(k);
    heap.unbind(k);
    heap.unbind(y);
    expect(ids(chainGraph(heap, y))).toEqual([k, y]);
    const c = heap.newObject("obj"), d = heap.newObject("obj"), z = heap.newObject("list");
    heap.addRef(c, d);
    heap.addRef(d, c);
    heap.addRef(d, z);
    heap.unbindMany([c, d, z]);
    const g = chainGraph(heap, z);
    expect(ids(g)).toEqual([c, d, z]);
    expect(g.title).toMatch(/is garbage: the cycle that holds it/);
    expect(() => cycleGraph(heap, z)).toThrow(/is in no cycle/);
  });

  it("SVG is well-formed XML and shows every node's label", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const { a, names } = small(heap);
    const g = neighbourhoodGraph(heap, a, { depth: 2, names, title: "a <small> & odd \"title\"" });
    const svg = toSvg(g);
    const elements = checkXml(svg);
    expect(elements[0]).toBe("svg");
    expect(elements.filter((e) => e === "rect").length).toBeGreaterThanOrEqual(4);
    for (const n of g.nodes) for (const line of nodeLines(n)) expect(svg).toContain(`>${xmlText(line)}</text>`);
    expect(svg).toContain("a &lt;small&gt; &amp; odd &quot;title&quot;");
    expect(svg).toMatch(/stroke-dasharray="5,3" marker-end="url\(#arrow-weak\)"/);
  });

  it("the layout of a 20-object ring with extras: boxes inside the picture, none overlapping", () => {
    const { heap } = makeHeap(build, { python: "3.13" });
    const ring = heap.chain("obj", 20, { ring: true });
    const f = heap.newObject("fin");
    heap.addRef(ring[0], f);
    heap.addRef(f, ring[0]);
    heap.addRef(ring[7], ring[7]);
    const g = cycleGraph(heap, ring[3]);
    expect(g.nodes.length).toBe(21);
    const svg = toSvg(g);
    checkXml(svg);
    for (let i = 1; i < 20; i++) expect(svg).toContain(`>obj ${ring[i]}</text>`);
    const boxes = g.nodes.map((n) => ({ key: n.key, width: 100 + (n.key.length % 3) * 10, height: 40 }));
    const lay = layeredLayout(boxes, g.edges);
    const placed = [...lay.nodes.values()];
    for (const p of placed) {
      expect(p.x - p.width / 2).toBeGreaterThanOrEqual(0);
      expect(p.x + p.width / 2).toBeLessThanOrEqual(lay.width);
      expect(p.y + p.height / 2).toBeLessThanOrEqual(lay.height);
    }
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) {
      const p = placed[i], q = placed[j];
      const apart = Math.abs(p.x - q.x) >= (p.width + q.width) / 2 || Math.abs(p.y - q.y) >= (p.height + q.height) / 2;
      expect(apart, `${p.key} overlaps ${q.key}`).toBe(true);
    }
    expect(lay.edges.length).toBe(g.edges.length);
    expect(lay.edges.filter((e) => e.self).length).toBe(1);
    for (const e of lay.edges) for (const pt of e.points) expect(Number.isFinite(pt.x) && Number.isFinite(pt.y)).toBe(true);
  });

  it("objectsGraph draws exactly the given objects; an unknown id is an error", () => {
    const { heap } = makeHeap(build, { python: "3.11" });
    const { a, l } = small(heap);
    const g = objectsGraph(heap, [a, l]);
    expect(g.edges).toEqual([{ from: `n${l}`, to: `n${a}`, kind: "strong", count: 1 }]);
    expect(() => cycleGraph(heap, 9999)).toThrow(/does not name a live object/);
  });
});

describe("pygcsim graph", () => {
  const cases = join(import.meta.dirname, "conformance", "cases");
  const run = async (args: string[]) => {
    let out = "", err = "";
    const status = await main(args, (s) => { out += s + "\n"; }, (s) => { err += s + "\n"; });
    return { status, out, err };
  };

  it("DOT on stdout, SVG into a file (format from the extension)", async () => {
    const dot = await run(["graph", join(cases, "seed_node_tree.json"), "--python", "3.11", "--at", "18", "--cycle", "parent"]);
    expect(dot.status).toBe(0);
    expect(dot.out).toMatch(/^digraph heap \{\n  graph \[label="seed_node_tree, Python 3.11.7, after op 18: the cycle of obj parent \(5 objects\)"/);
    for (const n of ["obj parent", "list childNodes", "obj c1", "obj c2", "obj c3"]) expect(dot.out).toContain(`label="${n}\\n`);
    const file = join(mkdtempSync(join(tmpdir(), "pygcsim-")), "g.svg");
    const svg = await run(["graph", join(cases, "incref_leak.json"), "--python", "2.7", "--around", "a", "--depth", "1", "--out", file]);
    expect([svg.status, svg.out]).toEqual([0, ""]);
    const text = readFileSync(file, "utf8");
    checkXml(text);
    expect(text).toContain(">fin a</text>");
    expect(text).toContain(">leaked ×1</text>");
  });

  it("chain members are named id.1 …; --chain draws what keeps an object alive", async () => {
    const r = await run(["graph", join(cases, "deep_chain_mixed_types.json"), "--python", "3.11", "--at", "3", "--around", "o", "--depth", "2"]);
    expect(r.status).toBe(0);
    expect(r.out).toContain('label="obj o.1\\n');
    expect(r.out).toContain('label="obj o.2\\n');
    const c = await run(["graph", join(cases, "seed_node_tree.json"), "--python", "3.11", "--at", "18", "--chain", "c1"]);
    expect(c.out).toContain("what keeps obj c1 alive");
    expect(c.out.match(/^  n\d+ \[label="[^"]*"/gm)!.map((l) => l.replace(/^.*label="(\w+ \w+).*$/, "$1"))).toEqual(["obj parent", "list childNodes", "obj c1"]);
  });

  it("usage errors and dead objects are exit status 2", async () => {
    expect((await run(["graph", join(cases, "seed_node_tree.json")])).status).toBe(2);
    const dead = await run(["graph", join(cases, "seed_node_tree.json"), "--cycle", "parent"]);
    expect(dead.status).toBe(2);
    expect(dead.err).toMatch(/'parent' no longer exists at the end of the scenario \(try --at OP\)/);
    const unknown = await run(["graph", join(cases, "seed_node_tree.json"), "--around", "zz"]);
    expect(unknown.err).toMatch(/no object is named 'zz'/);
    expect((await run(["graph", join(cases, "seed_node_tree.json"), "--around", "parent", "--format", "png"])).status).toBe(2);
  });
});
