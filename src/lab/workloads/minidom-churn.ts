// A minidom-like tree built and dropped again and again: each node refers to
// its childNodes list, each child back to its parent (parentNode), so a
// dropped tree is one big cycle that only the collector frees.

import type { Workload } from "../types.js";
import { buildTree } from "../../workloads/tree.js";

export const minidomChurn: Workload = {
  name: "minidom-churn",
  description: "a parent ⇄ childNodes tree built and dropped repeatedly",
  params: {
    nodes: { default: 5000, doc: "nodes per tree", sizes: { small: 1000, medium: 10000, large: 100000 } },
    rounds: { default: 20, doc: "trees built and dropped" },
    fanout: { default: 8, doc: "children per node" },
  },
  steps: (p) => Number(p.rounds),
  run({ heap, params, step }) {
    const n = Number(params.nodes), rounds = Number(params.rounds), fanout = Math.max(1, Number(params.fanout));
    for (let r = 0; r < rounds; r++) {
      const { nodes, lists } = buildTree(heap, n, fanout);
      heap.unbindMany(lists);
      heap.unbindMany(nodes);
      step();
    }
  },
};
