// A Python loop as one engine call:
//   for i in range(30000): a = Node(); b = Node(); a.s0 = b; b.s0 = a; del a, b
import { Heap, OpStream } from "../dist/src/index.js";

const heap = new Heap({ python: "3.12" });   // automatic collection on
const s = new OpStream();
for (let i = 0; i < 30000; i++) {
  const a = s.new("obj"), b = s.new("obj");  // each op: one statement, then its safe point
  s.addRef(a, b);
  s.addRef(b, a);
  s.unbind(a);
  s.unbind(b);
}
heap.runOps(s);
const stats = heap.getStats();
console.log(`${s.length} statements in one call: collections ${stats.map((g) => g.collections).join("/")}, ` +
  `collected ${stats.reduce((n, g) => n + g.collected, 0)}, live ${heap.size}`);
