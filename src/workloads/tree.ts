// A minidom-like tree through the batch API: each node refers to its
// childNodes list, each child back to its parent (parentNode). Shared by the
// lab's minidom-churn workload and `pygcsim bench shape --shape tree`.

import type { Heap } from "../heap.js";

/** n bound nodes and their childNodes lists (also bound); returns both id arrays. */
export function buildTree(heap: Heap, n: number, fanout = 8): { nodes: Uint32Array; lists: Uint32Array } {
  const nodes = heap.newObjects("obj", n);
  const parents = Math.ceil((n - 1) / fanout);
  const lists = heap.newObjects("list", parents);
  const from = new Uint32Array(parents + 2 * (n - 1)), to = new Uint32Array(from.length);
  let k = 0;
  for (let p = 0; p < parents; p++, k++) { from[k] = nodes[p]; to[k] = lists[p]; }   // node.childNodes
  for (let i = 1; i < n; i++) {
    const p = Math.floor((i - 1) / fanout);
    from[k] = lists[p]; to[k++] = nodes[i];                                           // childNodes.append
    from[k] = nodes[i]; to[k++] = nodes[p];                                           // parentNode
  }
  heap.addRefs(from, to);
  return { nodes, lists };
}
