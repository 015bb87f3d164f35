// The API example of docs/api.md: run it with `node examples/quickstart.mjs` after `npm run build`.
import { Heap, DEBUG_SAVEALL } from "../dist/src/index.js";

const heap = new Heap({ python: "3.12" }); // any profile: 2.7, 3.6 … 3.13
heap.disable();                            // only explicit collections, as in the conformance runner
heap.onEvent((e) => {
  if (e.kind === "finalized") console.log(`  __del__ ran for object ${e.id}`);
  if (e.kind === "callback") console.log(`  weakref callback of ${e.weakref}`);
});
heap.callbacks.push((phase, info) => console.log(`  gc.callbacks: ${phase} ${JSON.stringify(info)}`));

// a = Fin(); b = Obj(); a.s0 = b; b.s0 = a; w = weakref.ref(a, cb)
const a = heap.newObject("fin");
const b = heap.newObject("obj");
heap.addRef(a, b);
heap.addRef(b, a);
const w = heap.newWeakref(a, { callback: true });
heap.unbind(a);                            // del a
heap.unbind(b);                            // del b
console.log("refcounts after del:", heap.refcount(a), heap.refcount(b), "· tracked:", heap.isTracked(a));
console.log("gc.collect() =", heap.collect());
console.log("w() =", heap.deref(w), "· a exists:", heap.exists(a));

// counts, thresholds, and lazy dict tracking
const d = heap.newObject("dict");
const x = heap.newObject("list");
console.log("get_count():", heap.getCount(), "· get_threshold():", heap.getThreshold());
heap.addRef(d, x);                         // d[0] = x: storing a container tracks the dict
heap.removeRef(d, x);                      // del d[0]: it stays tracked …
const before = heap.isTracked(d);
heap.collect(0);
const afterYoung = heap.isTracked(d);
heap.collect(2);                           // … until a full collection untracks it
console.log("dict tracked:", before, "→ after collect(0):", afterYoung, "→ after collect(2):", heap.isTracked(d));

// DEBUG_SAVEALL keeps the garbage in gc.garbage
heap.setDebug(DEBUG_SAVEALL);
const l = heap.newObject("list");
heap.addRef(l, l);
heap.unbind(l);
console.log("with DEBUG_SAVEALL: gc.collect() =", heap.collect(), "· gc.garbage =", heap.garbage);
console.log("gc.get_stats():", JSON.stringify(heap.getStats()));
