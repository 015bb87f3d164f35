// The README's first example: a cycle with __del__, under CPython 3.12 and 2.7.
import { Heap } from "../dist/src/index.js";

for (const python of ["3.12", "2.7"]) {
  const heap = new Heap({ python });
  heap.disable();                               // gc.disable(): only explicit collections
  const a = heap.newObject("fin");              // a = Fin()   (a class with __del__)
  const b = heap.newObject("fin");              // b = Fin()
  heap.addRef(a, b);                            // a.peer = b
  heap.addRef(b, a);                            // b.peer = a
  heap.unbind(a);                               // del a
  heap.unbind(b);                               // del b
  const alive = heap.exists(a) && heap.exists(b);
  console.log(`${python}: after del both alive: ${alive}; gc.collect() = ${heap.collect()}; gc.garbage = [${heap.garbage}]`);
}
