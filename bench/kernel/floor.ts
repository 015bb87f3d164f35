// The floor: the least work a full collection of a graph can do, written as
// tightly as we can in AssemblyScript, so that bench/floor.ts can put the
// engine's collect(2) next to the physical reference on the same graph in
// the same run. Not a model of CPython: no lists, no generations, no types.
//
//   pass 1 (update_refs + subtract_refs): gc[i] = refcount[i], then one
//          decrement per edge at its target (one random access per edge);
//   pass 2 (move_unreachable): one scan in node order; a node with gc > 0
//          (referenced from outside, or reached) sets its referents' gc to 1,
//          one random access per edge; what stays at 0 is the garbage.
//
// The graph is CSR: node i's targets are TARGETS[START[i] .. START[i+1]).
// Built with `asc bench/floor/floor.ts -O3 --runtime stub` (scripts/build.mjs).

let N: u32 = 0;
let E: u32 = 0;
let START: usize = 0;   // u32[N + 1]
let TARGETS: usize = 0; // u32[E]
let RC: usize = 0;      // i32[N]: refcount (external references + in-degree)
let GC: usize = 0;      // i32[N]: gc_refs (> 0: reachable)
let STACK: usize = 0;   // u32[N]

function grow(bytes: usize): usize {
  let top = <usize>memory.size() << 16;
  let pages = <i32>((bytes + 0xFFFF) >> 16);
  if (memory.grow(pages) < 0) unreachable();
  return top;
}

/** Room for n nodes and e edges; returns the START array's address (TARGETS and RC follow, see the getters). */
export function setup(n: u32, e: u32): void {
  N = n; E = e;
  START = grow((<usize>n + 1) << 2);
  TARGETS = grow(<usize>e << 2);
  RC = grow(<usize>n << 2);
  GC = grow(<usize>n << 2);
  STACK = grow(<usize>n << 2);
}
export function startPtr(): usize { return START; }
export function targetsPtr(): usize { return TARGETS; }
export function rcPtr(): usize { return RC; }

/** One full collection; returns the number of unreachable nodes. The graph is left as it was. */
export function collect(): u32 {
  subtract();
  return mark();
}

/** Pass 1 alone (update_refs + subtract_refs). */
export function subtract(): void {
  // pass 1
  memory.copy(GC, RC, <usize>N << 2);
  let tend = TARGETS + (<usize>E << 2);
  for (let p = TARGETS; p < tend; p += 4) {
    let a = GC + (<usize>load<u32>(p) << 2);
    store<i32>(a, load<i32>(a) - 1);
  }
}

/** Pass 2 alone (move_unreachable); returns the number of unreachable nodes. */
export function mark(): u32 {
  let n = N;
  // pass 2: a linear scan as move_unreachable's (a node with gc > 0 is
  // reachable and makes its referents so; a referent behind the cursor that
  // was passed over with gc 0 is rescued through the stack)
  let sp = STACK;
  for (let i: u32 = 0; i < n; i++) {
    if (load<i32>(GC + (<usize>i << 2)) <= 0) continue;
    let u = i;
    while (true) {
      let q = TARGETS + (<usize>load<u32>(START + (<usize>u << 2)) << 2);
      let qend = TARGETS + (<usize>load<u32>(START + (<usize>u << 2), 4) << 2);
      for (; q < qend; q += 4) {
        let v = load<u32>(q);
        let b = GC + (<usize>v << 2);
        if (load<i32>(b) <= 0) {
          store<i32>(b, 1);
          if (v < i) { store<u32>(sp, v); sp += 4; }
        }
      }
      if (sp == STACK) break;
      sp -= 4;
      u = load<u32>(sp);
    }
  }
  let garbage: u32 = 0;
  for (let i: u32 = 0; i < n; i++) garbage += <u32>(load<i32>(GC + (<usize>i << 2)) <= 0);
  return garbage;
}
