// Read-only views the gc module offers: get_objects, get_referrers,
// get_referents. Results go to the exchange buffer; the return value is the
// number of ids written, or a negated status.

import { F_FINALIZED, GEN0, GEN2, NIL, PERMANENT } from "./common";
import {
  edgeLen, gcNext, hasFlag, isGc, isImmortal, isLiveId, isTracked, leaks, liveObjects, nextFresh, refcnt, roots, serial, typeOf, firstUserId,
} from "./heap";
import { referent } from "./edges";
import { gcListSize } from "./gclist";
import { ioEnsure, ioGet, ioPtrNow, ioSet } from "./io";
import { E_NO_OBJECT, E_OUT_OF_MEMORY } from "./status";
import { incremental } from "./profile";

/** gc.get_objects(gen): generation gen in list order; all three (0, 1, 2) for gen = -1; -2: permanent. */
export function getObjects(gen: i32): i32 {
  let lo = gen < 0 ? GEN0 : GEN0 + <u32>gen;
  let hi = gen < 0 ? GEN2 : lo;
  if (gen == -2) { lo = PERMANENT; hi = PERMANENT; }
  if (incremental && gen == 1) return 0;               // 3.14: "generation 1" holds nothing
  if (incremental && gen == 2) { lo = GEN0 + 1; hi = GEN2; } // both old spaces
  let n: u32 = 0;
  for (let h = lo; h <= hi; h++) n += gcListSize(h);
  if (ioEnsure(<usize>n << 2) == 0) return -E_OUT_OF_MEMORY;
  let i: u32 = 0;
  for (let h = lo; h <= hi; h++) {
    for (let x = gcNext(h); x != h; x = gcNext(x)) if (x >= firstUserId) ioSet(i++, x);
  }
  return <i32>i;
}

/** Size of a gc list without the interpreter's own objects (gc.garbage, …). */
export function userListSize(h: u32): u32 {
  let n: u32 = 0;
  for (let x = gcNext(h); x != h; x = gcNext(x)) if (x >= firstUserId) n++;
  return n;
}

/** gc.get_referrers(x): tracked objects of generations 0–2 that refer to x, each once, in list order. */
export function getReferrers(target: u32): i32 {
  let n: u32 = 0;
  for (let pass = 0; pass < 2; pass++) {
    let i: u32 = 0;
    for (let h = GEN0; h <= GEN2; h++) {
      for (let x = gcNext(h); x != h; x = gcNext(x)) {
        if (x < firstUserId) continue; // the gc module's own lists are not shown
        let m = edgeLen(x);
        for (let k: u32 = 0; k < m; k++) {
          if (referent(x, k) == target) {
            if (pass == 1) ioSet(i, x);
            i++;
            break;
          }
        }
      }
    }
    if (pass == 0) {
      n = i;
      if (ioEnsure(<usize>n << 2) == 0) return -E_OUT_OF_MEMORY;
    }
  }
  return <i32>n;
}

/** gc.get_referents(x): what x's tp_traverse visits, in its order, duplicates included. */
export function getReferents(x: u32): i32 {
  if (!isGc(x)) return 0;
  let m = edgeLen(x);
  if (ioEnsure(<usize>m << 2) == 0) return -E_OUT_OF_MEMORY;
  let n: u32 = 0;
  for (let k: u32 = 0; k < m; k++) {
    let r = referent(x, k);
    if (r != NIL) ioSet(n++, r);
  }
  return <i32>n;
}


/** Every live object's id, ascending (the shared singletons left out). */
export function liveIdList(): i32 {
  if (ioEnsure(<usize>liveObjects << 2) == 0) return -E_OUT_OF_MEMORY;
  let n: u32 = 0;
  for (let x = firstUserId; x < nextFresh; x++) if (isLiveId(x) && !isImmortal(x)) ioSet(n++, x);
  return <i32>n;
}

/**
 * One object of a snapshot (src/wasm/records.ts names the fields in this
 * order; test/boundary-tables.test.ts checks).
 */
@unmanaged export class SnapshotRecord {
  typeAndFlags: u32; // type | tracked << 8 | finalized (PEP 442's flag) << 9
  serial: u32;
  refcount: u32;
  roots: u32;        // root bindings
  leaks: u32;        // leaked references (incref)
  referents: u32;    // how many of the referents that follow are this object's
}

/**
 * A snapshot of n objects (ids in the exchange buffer) in one call, for the
 * tracker and the graphs: after the n input ids the buffer receives n
 * SnapshotRecords, then all referents in traversal order. Returns how many referents in all,
 * or a negated status.
 */
// @ts-ignore: decorator
@inline const SNAPSHOT_WORDS: u32 = <u32>(offsetof<SnapshotRecord>() >> 2);

export function snapshotMany(n: u32): i32 {
  let total: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let x = ioGet(i);
    if (!isLiveId(x)) return -E_NO_OBJECT;
    if (isGc(x)) total += edgeLen(x);
  }
  if (ioEnsure((<u64>n * (1 + SNAPSHOT_WORDS) + <u64>total) << 2) == 0) return -E_OUT_OF_MEMORY;
  let rec = n, out = n * (1 + SNAPSHOT_WORDS);
  let written: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let x = ioGet(i);
    let m: u32 = 0;
    if (isGc(x)) {
      let len = edgeLen(x);
      for (let k: u32 = 0; k < len; k++) {
        let r = referent(x, k);
        if (r != NIL) { ioSet(out + written, r); written++; m++; }
      }
    }
    let r = changetype<SnapshotRecord>(ioPtrNow() + (<usize>(rec + i * SNAPSHOT_WORDS) << 2));
    r.typeAndFlags = typeOf(x) | (isTracked(x) ? 1 << 8 : 0) | (isGc(x) && hasFlag(x, F_FINALIZED) ? 1 << 9 : 0);
    r.serial = serial(x);
    r.refcount = <u32>refcnt(x);
    r.roots = roots(x);
    r.leaks = leaks(x);
    r.referents = m;
  }
  return <i32>written;
}
