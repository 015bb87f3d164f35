// Growable arrays of object ids that hold strong references from outside the
// heap: gc.garbage and the resurrection list of "resurrect" finalizers. A list
// record is three u32 words: data pointer, length, capacity.

import { arenaRealloc } from "./arena";

export const GARBAGE = memory.data(12);
export const RESURRECTED = memory.data(12);

// @ts-ignore: decorator
@inline export function idListLen(l: usize): u32 { return load<u32>(l, 4); }
// @ts-ignore: decorator
@inline export function idListGet(l: usize, i: u32): u32 {
  return load<u32>(<usize>load<u32>(l) + (<usize>i << 2));
}
export function idListData(l: usize): usize { return <usize>load<u32>(l); }

/** Appends x; false when memory cannot grow. */
export function idListPush(l: usize, x: u32): bool {
  let len = load<u32>(l, 4), cap = load<u32>(l, 8);
  if (len == cap) {
    let ncap = max<u32>(16, cap << 1);
    let p = arenaRealloc(<usize>load<u32>(l), <usize>cap << 2, <usize>ncap << 2);
    if (p == 0) return false;
    store<u32>(l, <u32>p);
    store<u32>(l, ncap, 8);
  }
  store<u32>(<usize>load<u32>(l) + (<usize>len << 2), x);
  store<u32>(l, len + 1, 4);
  return true;
}

/** Removes the item at i, keeping the order of the rest. */
export function idListRemoveAt(l: usize, i: u32): u32 {
  let data = <usize>load<u32>(l);
  let len = load<u32>(l, 4);
  let x = load<u32>(data + (<usize>i << 2));
  memory.copy(data + (<usize>i << 2), data + (<usize>(i + 1) << 2), <usize>(len - i - 1) << 2);
  store<u32>(l, len - 1, 4);
  return x;
}

/** Index of the first occurrence of x, or -1. */
export function idListFind(l: usize, x: u32): i32 {
  let data = <usize>load<u32>(l);
  let len = load<u32>(l, 4);
  for (let i: u32 = 0; i < len; i++) if (load<u32>(data + (<usize>i << 2)) == x) return <i32>i;
  return -1;
}
