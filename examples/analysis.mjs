// The example of docs/analysis.md: run it with `node examples/analysis.mjs` after `npm run build`.
import { Heap } from "../dist/src/index.js";

const heap = new Heap({ python: "3.12" });
heap.disable();
const name = new Map();
const make = (type, n) => { const id = heap.newObject(type); name.set(id, n); return id; };

// a cache (bound) holding a document: parent ⇄ childNodes ⇄ 3 children
const cache = make("dict", "cache");
const doc = make("obj", "doc");
const kids = make("list", "doc.childNodes");
heap.addRef(cache, doc);
heap.addRef(doc, kids);
for (const k of ["a", "b", "c"]) {
  const child = make("obj", k);
  heap.addRef(kids, child);
  heap.addRef(child, doc);
  heap.unbind(child);
}
heap.unbind(doc);
heap.unbind(kids);
// a C extension leaked a reference to a cycle nobody else refers to
const x = make("obj", "x"), y = make("obj", "y");
heap.addRef(x, y); heap.addRef(y, x);
heap.incref(x);
heap.unbind(x); heap.unbind(y);

const names = (ids) => ids.map((id) => name.get(id));
const a = heap.analysis;
console.log("why is c alive?  ", names(a.whyAlive([...name].find(([, n]) => n === "c")[0])).join(" → "));
console.log("why is y alive?  ", names(a.whyAlive([...name].find(([, n]) => n === "y")[0])).join(" → "));
console.log("unreachable from the roots:", names(a.unreachableFromRoots()));
console.log("cycles among them:", a.cycles(a.unreachableFromRoots()).map(names));
console.log("top retainers:");
for (const r of a.topRetainers(3)) console.log(`  ${name.get(r.id).padEnd(15)} ${r.type.padEnd(5)} size ${String(r.size).padStart(3)}  retains ${r.retained} bytes`);
console.log("by type:", a.countsByType().map((t) => `${t.type} ${t.count} (${t.bytes} B)`).join(", "));
