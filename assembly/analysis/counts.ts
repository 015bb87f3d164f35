// Live objects and simulated bytes per type: per (engine type, type-name
// index) pair, so the loaded types of a real heap (type 8 "other", or a
// builtin type with its own name) count separately. Two sequential passes
// over the flags, type-name and size columns.

import { F_TYPE_MASK, T_COUNT } from "../common";
import { flags, nextFresh, sizeOf, typeName, firstUserId } from "../heap";
import { ioEnsure, ioSet } from "../io";
import { E_OUT_OF_MEMORY } from "../status";
import { isAllocated, scratch, scratchFreeAll } from "./scratch";

// a table cell: count u32, first id u32, bytes u64
// @ts-ignore: decorator
@inline const CELL: usize = 16;

/**
 * Writes one record of 6 words per (type, type-name index) present, ordered
 * by type then name index: engine type, type-name index, count, bytes (low
 * word, high word), the lowest id of that kind (to look its name up).
 * Returns the number of records, or -E_OUT_OF_MEMORY.
 */
export function countsByType(): i32 {
  let limit = nextFresh;
  let maxName: u32 = 0;
  for (let x = firstUserId; x < limit; x++) {
    if (isAllocated(x)) { let t = typeName(x); if (t > maxName) maxName = t; }
  }
  let rows = <u64>(maxName + 1) * T_COUNT;
  if (rows * CELL > 0x40000000) return -E_OUT_OF_MEMORY;
  let table = scratch(<usize>rows * CELL, true);
  if (table == 0) return -E_OUT_OF_MEMORY;
  for (let x = firstUserId; x < limit; x++) {
    let f = flags(x);
    if (!isAllocated(x)) continue;
    let t = f & F_TYPE_MASK;
    if (t >= T_COUNT) continue; // no such type exists
    let c = table + (<usize>t * (maxName + 1) + typeName(x)) * CELL;
    let k = load<u32>(c);
    if (k == 0) store<u32>(c, x, 4);
    store<u32>(c, k + 1);
    store<u64>(c, load<u64>(c, 8) + <u64>sizeOf(x), 8);
  }
  let n: u32 = 0;
  for (let i: u32 = 0; i < <u32>rows; i++) if (load<u32>(table + <usize>i * CELL) != 0) n++;
  if (ioEnsure(<usize>max<u32>(n, 1) * 24) == 0) { scratchFreeAll(); return -E_OUT_OF_MEMORY; }
  let o: u32 = 0;
  for (let i: u32 = 0; i < <u32>rows; i++) {
    let c = table + <usize>i * CELL;
    let k = load<u32>(c);
    if (k == 0) continue;
    let bytes = load<u64>(c, 8);
    ioSet(o, i / (maxName + 1));
    ioSet(o + 1, i % (maxName + 1));
    ioSet(o + 2, k);
    ioSet(o + 3, <u32>bytes);
    ioSet(o + 4, <u32>(bytes >> 32));
    ioSet(o + 5, load<u32>(c, 4));
    o += 6;
  }
  scratchFreeAll();
  return <i32>n;
}
