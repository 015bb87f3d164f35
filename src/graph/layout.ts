// A small layered ("Sugiyama") layout, for drawing heap graphs without
// Graphviz: break cycles by reversing DFS back edges, give each node a layer
// (longest path, sources pulled down next to what they point at), route
// edges that span several layers through dummy points, order each layer by
// barycenters (a few sweeps down and up), then place nodes horizontally by
// pulling them towards their neighbours without overlaps. Deterministic: the
// same graph always gives the same picture.

export interface LayoutNode {
  key: string;
  width: number;
  height: number;
}
export interface LayoutEdge {
  from: string;
  to: string;
}
export interface Point {
  x: number;
  y: number;
}
export interface PlacedNode extends LayoutNode {
  /** Centre. */
  x: number;
  y: number;
  layer: number;
}
export interface RoutedEdge extends LayoutEdge {
  /** From the source's border to the target's border, bends in between. */
  points: Point[];
  /** Drawn against the layering (an edge that closes a cycle). */
  reversed: boolean;
  self: boolean;
}
export interface Layout {
  nodes: Map<string, PlacedNode>;
  edges: RoutedEdge[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  /** Horizontal gap between neighbours in a layer. */
  gapX?: number;
  /** Vertical gap between layers. */
  gapY?: number;
  margin?: number;
  /** Barycenter sweeps. */
  sweeps?: number;
}

interface Slot {
  key: string;
  /** A dummy point of a long edge (no box). */
  dummy: boolean;
  width: number;
  x: number;
}

export function layeredLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], options: LayoutOptions = {}): Layout {
  const gapX = options.gapX ?? 28, gapY = options.gapY ?? 46, margin = options.margin ?? 16, sweeps = options.sweeps ?? 12;
  const index = new Map(nodes.map((n, i) => [n.key, i]));
  const out = new Map<string, string[]>(nodes.map((n) => [n.key, []]));
  const inc = new Map<string, string[]>(nodes.map((n) => [n.key, []]));
  for (const e of edges) {
    if (e.from === e.to || !index.has(e.from) || !index.has(e.to)) continue;
    out.get(e.from)!.push(e.to);
    inc.get(e.to)!.push(e.from);
  }

  // 1. cycle breaking: DFS from the sources first, then from whatever is left, in node order
  const state = new Map<string, number>(); // 1 on the stack, 2 done
  const back = new Set<string>(); // "from\tto" edges reversed for layering
  const order = [...nodes.filter((n) => !inc.get(n.key)!.length), ...nodes].map((n) => n.key);
  for (const start of order) {
    if (state.has(start)) continue;
    const stack: { key: string; i: number }[] = [{ key: start, i: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const succ = out.get(top.key)!;
      if (top.i < succ.length) {
        const y = succ[top.i++];
        const s = state.get(y);
        if (s === 1) back.add(`${top.key}\t${y}`);
        else if (s === undefined) {
          state.set(y, 1);
          stack.push({ key: y, i: 0 });
        }
        continue;
      }
      state.set(top.key, 2);
      stack.pop();
    }
  }
  // the acyclic graph used for layering: back edges turned round, duplicates merged
  const dagOut = new Map<string, Set<string>>(nodes.map((n) => [n.key, new Set()]));
  const dagIn = new Map<string, Set<string>>(nodes.map((n) => [n.key, new Set()]));
  for (const [u, vs] of out) {
    for (const v of vs) {
      const [a, b] = back.has(`${u}\t${v}`) ? [v, u] : [u, v];
      dagOut.get(a)!.add(b);
      dagIn.get(b)!.add(a);
    }
  }

  // 2. layers: longest path from the sources (Kahn's order), then sources moved down next to their successors
  const layer = new Map<string, number>();
  const indeg = new Map([...dagIn].map(([k, s]) => [k, s.size]));
  const queue = nodes.map((n) => n.key).filter((k) => indeg.get(k) === 0);
  const topo: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i];
    topo.push(u);
    if (!layer.has(u)) layer.set(u, 0);
    for (const v of dagOut.get(u)!) {
      layer.set(v, Math.max(layer.get(v) ?? 0, layer.get(u)! + 1));
      indeg.set(v, indeg.get(v)! - 1);
      if (indeg.get(v) === 0) queue.push(v);
    }
  }
  for (let i = topo.length - 1; i >= 0; i--) {
    const u = topo[i];
    if (dagIn.get(u)!.size || !dagOut.get(u)!.size) continue;
    layer.set(u, Math.min(...[...dagOut.get(u)!].map((v) => layer.get(v)!)) - 1);
  }
  const nLayers = Math.max(0, ...layer.values()) + 1;

  // 3. slots per layer, dummies for edges that span more than one layer
  const layers: Slot[][] = Array.from({ length: nLayers }, () => []);
  const slotOf = new Map<string, Slot>();
  for (const n of nodes) {
    const s: Slot = { key: n.key, dummy: false, width: n.width, x: 0 };
    layers[layer.get(n.key)!].push(s);
    slotOf.set(n.key, s);
  }
  const segments: { key: string; chain: string[] }[] = []; // per DAG edge: the slot keys top to bottom
  const down = new Map<string, string[]>(); // slot → slots below it (for barycenters)
  const up = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    (down.get(a) ?? down.set(a, []).get(a)!).push(b);
    (up.get(b) ?? up.set(b, []).get(b)!).push(a);
  };
  for (const [a, bs] of dagOut) {
    for (const b of bs) {
      const chain = [a];
      for (let l = layer.get(a)! + 1; l < layer.get(b)!; l++) {
        const key = `${a}\t${b}\t${l}`;
        const s: Slot = { key, dummy: true, width: 2, x: 0 };
        layers[l].push(s);
        slotOf.set(key, s);
        chain.push(key);
      }
      chain.push(b);
      for (let i = 0; i + 1 < chain.length; i++) link(chain[i], chain[i + 1]);
      segments.push({ key: `${a}\t${b}`, chain });
    }
  }

  // 4. order each layer: barycenters of the neighbours in the layer above (down sweeps) or below (up sweeps)
  const pos = new Map<string, number>();
  const renumber = (l: Slot[]) => l.forEach((s, i) => pos.set(s.key, i));
  layers.forEach(renumber);
  const crossings = () => {
    let c = 0;
    for (let l = 0; l + 1 < nLayers; l++) {
      const es: [number, number][] = [];
      for (const s of layers[l]) for (const t of down.get(s.key) ?? []) es.push([pos.get(s.key)!, pos.get(t)!]);
      for (let i = 0; i < es.length; i++) for (let j = i + 1; j < es.length; j++) {
        if ((es[i][0] - es[j][0]) * (es[i][1] - es[j][1]) < 0) c++;
      }
    }
    return c;
  };
  let best = layers.map((l) => l.map((s) => s.key));
  let bestCrossings = crossings();
  for (let sweep = 0; sweep < sweeps && bestCrossings > 0; sweep++) {
    const downward = sweep % 2 === 0;
    const range = downward ? [...Array(nLayers).keys()].slice(1) : [...Array(nLayers).keys()].reverse().slice(1);
    for (const l of range) {
      const nb = downward ? up : down;
      const bary = new Map<string, number>();
      for (const s of layers[l]) {
        const ns = nb.get(s.key) ?? [];
        bary.set(s.key, ns.length ? ns.reduce((t, k) => t + pos.get(k)!, 0) / ns.length : pos.get(s.key)!);
      }
      layers[l].sort((a, b) => bary.get(a.key)! - bary.get(b.key)! || pos.get(a.key)! - pos.get(b.key)!);
      renumber(layers[l]);
    }
    const c = crossings();
    if (c < bestCrossings) {
      bestCrossings = c;
      best = layers.map((l) => l.map((s) => s.key));
    }
  }
  best.forEach((keys, l) => { layers[l] = keys.map((k) => slotOf.get(k)!); renumber(layers[l]); });

  // 5. x: pack each layer, then pull every slot towards its neighbours' mean, keeping order and gaps
  const gapOf = (a: Slot, b: Slot) => (a.dummy && b.dummy ? 10 : a.dummy || b.dummy ? gapX / 2 : gapX);
  for (const l of layers) {
    let x = 0;
    l.forEach((s, i) => {
      if (i) x += l[i - 1].width / 2 + gapOf(l[i - 1], s) + s.width / 2;
      s.x = x;
    });
    const mid = l.length ? (l[0].x + l[l.length - 1].x) / 2 : 0;
    l.forEach((s) => { s.x -= mid; });
  }
  for (let iter = 0; iter < 24; iter++) {
    const downward = iter % 2 === 0;
    const ls = downward ? layers : [...layers].reverse();
    for (const l of ls) {
      const want = l.map((s) => {
        const ns = [...(up.get(s.key) ?? []), ...(down.get(s.key) ?? [])];
        return ns.length ? ns.reduce((t, k) => t + slotOf.get(k)!.x, 0) / ns.length : s.x;
      });
      // left to right, then right to left: each slot as close to its wish as the neighbours allow
      const xs = want.slice();
      for (let i = 1; i < l.length; i++) xs[i] = Math.max(xs[i], xs[i - 1] + l[i - 1].width / 2 + gapOf(l[i - 1], l[i]) + l[i].width / 2);
      for (let i = l.length - 2; i >= 0; i--) {
        const limit = xs[i + 1] - l[i + 1].width / 2 - gapOf(l[i], l[i + 1]) - l[i].width / 2;
        xs[i] = Math.min(Math.max(want[i], xs[i]), limit);
      }
      for (let i = 1; i < l.length; i++) xs[i] = Math.max(xs[i], xs[i - 1] + l[i - 1].width / 2 + gapOf(l[i - 1], l[i]) + l[i].width / 2);
      l.forEach((s, i) => { s.x = xs[i]; });
    }
  }

  // 6. y by layer heights; shift everything into the margins
  const nodeByKey = new Map(nodes.map((n) => [n.key, n]));
  const layerH = layers.map((l) => Math.max(8, ...l.filter((s) => !s.dummy).map((s) => nodeByKey.get(s.key)!.height)));
  const layerY: number[] = [];
  let y = margin;
  for (let l = 0; l < nLayers; l++) {
    layerY.push(y + layerH[l] / 2);
    y += layerH[l] + gapY;
  }
  let minX = Infinity, maxX = -Infinity;
  for (const l of layers) for (const s of l) {
    minX = Math.min(minX, s.x - s.width / 2);
    maxX = Math.max(maxX, s.x + s.width / 2);
  }
  if (!isFinite(minX)) { minX = 0; maxX = 0; }
  const hasSelf = edges.some((e) => e.from === e.to);
  const dx = margin - minX;
  const placed = new Map<string, PlacedNode>();
  for (const n of nodes) {
    const s = slotOf.get(n.key)!;
    placed.set(n.key, { ...n, x: s.x + dx, y: layerY[layer.get(n.key)!], layer: layer.get(n.key)! });
  }
  const dummyPoint = (key: string): Point => {
    const s = slotOf.get(key)!;
    const l = Number(key.split("\t")[2]);
    return { x: s.x + dx, y: layerY[l] };
  };

  // 7. routes: border to border through the dummy points, in the edge's own direction
  const routed: RoutedEdge[] = [];
  const segByKey = new Map(segments.map((s) => [s.key, s.chain]));
  for (const e of edges) {
    const a = placed.get(e.from), b = placed.get(e.to);
    if (!a || !b) continue;
    if (e.from === e.to) {
      const x = a.x + a.width / 2, y0 = a.y - a.height / 4, y1 = a.y + a.height / 4;
      routed.push({ ...e, reversed: false, self: true, points: [{ x, y: y0 }, { x: x + 22, y: y0 - 6 }, { x: x + 22, y: y1 + 6 }, { x, y: y1 }] });
      continue;
    }
    const reversed = back.has(`${e.from}\t${e.to}`);
    const chain = reversed ? [...segByKey.get(`${e.to}\t${e.from}`)!].reverse() : segByKey.get(`${e.from}\t${e.to}`)!;
    const mids = chain.slice(1, -1).map(dummyPoint);
    const first = mids[0] ?? b, last = mids[mids.length - 1] ?? a;
    routed.push({ ...e, reversed, self: false, points: [border(a, first), ...mids, border(b, last)] });
  }
  const width = maxX - minX + 2 * margin + (hasSelf ? 30 : 0);
  const height = y - gapY + margin;
  return { nodes: placed, edges: routed, width, height };
}

/** Where the segment from the box's centre towards `to` leaves the box. */
export function border(n: PlacedNode, to: Point): Point {
  const dx = to.x - n.x, dy = to.y - n.y;
  if (dx === 0 && dy === 0) return { x: n.x, y: n.y };
  const sx = dx === 0 ? Infinity : (n.width / 2) / Math.abs(dx);
  const sy = dy === 0 ? Infinity : (n.height / 2) / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: n.x + dx * s, y: n.y + dy * s };
}
