// Sorting ids by creation order (serial) without managed arrays: an LSD radix
// sort of (serial, id) pairs in an arena block. Used where CPython's order
// comes from something the simulator keeps as counts (the 3.14 mark phase
// visits root bindings in the order they were made).

import { arenaAlloc, arenaFree } from "./arena";
import { serial } from "./heap";

/**
 * Sorts n ids at `ids` by serial, in place. Returns false (ids unchanged) when
 * the scratch memory cannot be had.
 */
export function sortIdsBySerial(ids: usize, n: u32): bool {
  if (n < 2) return true;
  let bytes = <usize>n << 3;
  let a = arenaAlloc(bytes), b = arenaAlloc(bytes);
  if (a == 0 || b == 0) {
    arenaFree(a, bytes);
    arenaFree(b, bytes);
    return false;
  }
  for (let i: u32 = 0; i < n; i++) {
    let x = load<u32>(ids + (<usize>i << 2));
    store<u32>(a + (<usize>i << 3), serial(x));
    store<u32>(a + (<usize>i << 3), x, 4);
  }
  let counts = memory.data(256 * 4);
  for (let shift: u32 = 0; shift < 32; shift += 8) {
    memory.fill(counts, 0, 256 * 4);
    for (let i: u32 = 0; i < n; i++) {
      let d = (load<u32>(a + (<usize>i << 3)) >> shift) & 0xFF;
      store<u32>(counts + (d << 2), load<u32>(counts + (d << 2)) + 1);
    }
    let sum: u32 = 0;
    for (let d: u32 = 0; d < 256; d++) {
      let c = load<u32>(counts + (d << 2));
      store<u32>(counts + (d << 2), sum);
      sum += c;
    }
    for (let i: u32 = 0; i < n; i++) {
      let k = load<u64>(a + (<usize>i << 3));
      let d = (<u32>k >> shift) & 0xFF;
      let pos = load<u32>(counts + (d << 2));
      store<u32>(counts + (d << 2), pos + 1);
      store<u64>(b + (<usize>pos << 3), k);
    }
    let t = a; a = b; b = t;
  }
  for (let i: u32 = 0; i < n; i++) store<u32>(ids + (<usize>i << 2), load<u32>(a + (<usize>i << 3), 4));
  arenaFree(a, bytes);
  arenaFree(b, bytes);
  return true;
}
