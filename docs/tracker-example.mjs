// The example of docs/tracker.md: run it with `node docs/tracker-example.mjs` after `npm run build`.
import { Heap, GarbageTracker, garbageChecked } from "../dist/src/index.js";

const heap = new Heap({ python: "3.12" });
const names = new Map(); // serial → name, for a readable report
const named = (id, name) => { names.set(heap.serial(id), name); return id; };
const tracker = new GarbageTracker(heap, { names: (id, serial) => names.get(serial) });

tracker.start();
// a minidom-like tree: parent ⇄ childNodes ⇄ children; then every name is deleted
const parent = named(heap.newObject("obj"), "parent");
const childNodes = named(heap.newObject("list"), "childNodes");
heap.addRef(parent, childNodes);
for (const name of ["c1", "c2"]) {
  const child = named(heap.newObject("obj"), name);
  heap.addRef(childNodes, child);
  heap.addRef(child, parent);
  heap.unbind(child);
}
// a buggy C extension: Py_INCREF without Py_DECREF on a cache that holds an object with __del__
const cache = named(heap.newObject("dict"), "cache");
const entry = named(heap.newObject("fin"), "entry");
heap.addRef(cache, entry);
heap.incref(cache);
heap.unbindMany([parent, childNodes, cache, entry]);
tracker.stop();

console.log(tracker.assertMessage("examples::build_tree"));

// in a test: garbageChecked throws GarbageFoundError (its message is the report) when the code leaves garbage
garbageChecked(heap, () => heap.unbind(heap.newObject("list")));
console.log("garbageChecked: a list created and deleted leaves nothing behind");
