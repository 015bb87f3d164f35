// The op stream: a whole program of heap operations in one engine call.
// Crossing the JS↔wasm boundary costs more than most operations, so a
// workload writes its statements into a buffer in engine memory (src/ops.ts)
// and the engine runs them in a loop. Each op stands for one Python
// statement: after it comes the safe point an API call would have (unless
// safe points are explicit: then only SAFE_POINT ops), so a stream schedules
// exactly like the calls it replaces.
//
// ╒═ op record (u32 words) ═════════════════════════════════════════════════╕
// │ code | n << 8 │ operand 0 │ … │ operand n-1 │
// └───────────────┴───────────┴───┴─────────────┘
// An operand is an id, or RESULT_BIT | k: what op k of this stream made
// (k < this op's index). The stream stops at the first op the heap refuses:
// the ops before it are applied (as a scenario's are), the refused one
// changed nothing, and opsFailedIndex/opsFailedStatus say which and why.
// src/ops.ts mirrors the codes (test/boundary-tables.test.ts checks).

import { E_BAD_ARGUMENT, E_BAD_GENERATION, E_BAD_TYPE, OK } from "./status";
import * as mutate from "./mutate";
import { explicitSafePoints, safePoint } from "./schedule";
import { onGcAllocation } from "./trigger";
import { collectWithCallback } from "./collect/index";
import { collecting, gcScheduled, setCollecting } from "./state";
import { arenaFree, arenaRealloc } from "./arena";
import { TRIM_ABOVE } from "./io";
import { NO_OP, setEventOp } from "./events";

// @ts-ignore: decorator
@inline export const OP_NEW: u32 = 1;          // type, resurrect → id
// @ts-ignore: decorator
@inline export const OP_TUPLE: u32 = 2;        // items… → id (bound)
// @ts-ignore: decorator
@inline export const OP_WEAKREF: u32 = 3;      // target, callback → id (bound)
// @ts-ignore: decorator
@inline export const OP_REF: u32 = 4;          // from, to
// @ts-ignore: decorator
@inline export const OP_UNREF: u32 = 5;        // from, to
// @ts-ignore: decorator
@inline export const OP_BIND: u32 = 6;         // x
// @ts-ignore: decorator
@inline export const OP_UNBIND: u32 = 7;       // x
// @ts-ignore: decorator
@inline export const OP_INCREF: u32 = 8;       // x (a leaked reference)
// @ts-ignore: decorator
@inline export const OP_COLLECT: u32 = 9;      // generation → found
// @ts-ignore: decorator
@inline export const OP_SAFE_POINT: u32 = 10;  // the eval breaker's check
// @ts-ignore: decorator
@inline export const OP_ALLOCATION: u32 = 11;  // an allocation the simulator does not model (countAllocation)

// @ts-ignore: decorator
@inline export const RESULT_BIT: u32 = 0x80000000;

let inData: usize = 0, inBytes: usize = 0;
let outData: usize = 0, outBytes: usize = 0;
let failedIndex: u32 = 0;
let failedStatus: i32 = OK;
let failedOperand: u32 = 0;

/** Room for `words` words of ops and `ops` results; 0 when memory cannot grow. */
export function opsReserve(words: u32, ops: u32): usize {
  let need = <usize>max<u32>(words, 1) << 2;
  if (need > inBytes) {
    let p = arenaRealloc(inData, inBytes, need);
    if (p == 0) return 0;
    inData = p; inBytes = need;
  }
  let needOut = <usize>max<u32>(ops, 1) << 2;
  if (needOut > outBytes) {
    let p = arenaRealloc(outData, outBytes, needOut);
    if (p == 0) return 0;
    outData = p; outBytes = needOut;
  }
  return inData;
}
export function opsResults(): usize { return outData; }
/** As ioTrim: large op and result buffers go back once a stream has run. */
export function opsTrim(): void {
  if (inBytes > TRIM_ABOVE) { arenaFree(inData, inBytes); inData = 0; inBytes = 0; }
  if (outBytes > TRIM_ABOVE) { arenaFree(outData, outBytes); outData = 0; outBytes = 0; }
}
export function opsFailedIndex(): u32 { return failedIndex; }
export function opsFailedStatus(): i32 { return failedStatus; }
/** Which operand of the failed op was at fault (0-based), when the engine can tell. */
export function opsFailedOperand(): u32 { return failedOperand; }

// @ts-ignore: decorator
@inline function result(k: u32, v: u32): void { store<u32>(outData + (<usize>k << 2), v); }

/** An operand's id; NIL-like 0xFFFFFFFF when it names a result that is not there. */
// @ts-ignore: decorator
@inline function operand(v: u32, self: u32): u32 {
  if ((v & RESULT_BIT) == 0) return v;
  let k = v & ~RESULT_BIT;
  if (k >= self) return 0xFFFFFFFF;
  return load<u32>(outData + (<usize>k << 2));
}

/**
 * Runs `nops` ops of `words` words from the op buffer. Returns how many were
 * applied: nops, or the index of the refused op (opsFailedStatus says why).
 */
export function runOps(words: u32, nops: u32): u32 {
  failedStatus = OK;
  failedOperand = 0;
  let at: u32 = 0;
  let i: u32 = 0;
  for (; i < nops; i++) {
    setEventOp(i);
    if (at >= words) { failedStatus = E_BAD_ARGUMENT; break; }
    let head = load<u32>(inData + (<usize>at << 2));
    let code = head & 0xFF, n = head >> 8;
    if (<u64>at + 1 + n > <u64>words) { failedStatus = E_BAD_ARGUMENT; break; }
    let args = inData + (<usize>(at + 1) << 2);
    let status: i32;
    if (code == OP_REF && n == 2 && ((load<u32>(args) | load<u32>(args, 4)) & RESULT_BIT) == 0) {
      // the common op with two plain ids: straight to addRef
      status = mutate.addRef(load<u32>(args), load<u32>(args, 4));
      if (status == OK) result(i, 0);
    } else {
      status = step(code, n, args, i);
    }
    if (status != OK) { failedStatus = status; break; }
    at += 1 + n;
    if (gcScheduled && !explicitSafePoints) safePoint(); // nothing to do unless a collection is due
  }
  setEventOp(NO_OP);
  failedIndex = i;
  return i;
}

/** One op; OK or the status that refused it (nothing changed then). */
function step(code: u32, n: u32, args: usize, self: u32): i32 {
  // operands that name objects (weakref … incref: the first; ref, unref: both);
  // new's and collect's are a type and a generation, tuple's are resolved below
  let a: u32 = 0, b: u32 = 0;
  if (code >= OP_WEAKREF && code <= OP_INCREF && n > 0) {
    a = operand(load<u32>(args), self);
    if (a == 0xFFFFFFFF) { failedOperand = 0; return E_BAD_ARGUMENT; }
    if ((code == OP_REF || code == OP_UNREF) && n > 1) {
      b = operand(load<u32>(args, 4), self);
      if (b == 0xFFFFFFFF) { failedOperand = 1; return E_BAD_ARGUMENT; }
    }
  }
  let r: i32 = OK;
  let made: u32 = 0;
  switch (code) {
    case OP_NEW: {
      if (n != 2) return E_BAD_ARGUMENT;
      let x = mutate.newBound(load<u32>(args), load<u32>(args, 4) != 0);
      if (x < 0) return -x;
      made = <u32>x;
      break;
    }
    case OP_TUPLE: {
      // items resolved in place (results are ids; the buffer is the stream's own)
      for (let k: u32 = 0; k < n; k++) {
        let v = operand(load<u32>(args + (<usize>k << 2)), self);
        if (v == 0xFFFFFFFF) { failedOperand = k; return E_BAD_ARGUMENT; }
        store<u32>(args + (<usize>k << 2), v);
      }
      let x = mutate.newTuple(args, n);
      if (x < 0) return -x;
      made = <u32>x;
      break;
    }
    case OP_WEAKREF: {
      if (n != 2) return E_BAD_ARGUMENT;
      let x = mutate.newWeakref(a, load<u32>(args, 4) != 0);
      if (x < 0) return -x;
      made = <u32>x;
      break;
    }
    case OP_REF: r = n == 2 ? mutate.addRef(a, b) : E_BAD_ARGUMENT; break;
    case OP_UNREF: r = n == 2 ? mutate.removeRef(a, b) : E_BAD_ARGUMENT; break;
    case OP_BIND: r = n == 1 ? mutate.bind(a) : E_BAD_ARGUMENT; break;
    case OP_UNBIND: r = n == 1 ? mutate.unbind(a) : E_BAD_ARGUMENT; break;
    case OP_INCREF: r = n == 1 ? mutate.leak(a) : E_BAD_ARGUMENT; break;
    case OP_COLLECT: {
      if (n != 1) return E_BAD_ARGUMENT;
      let g = load<u32>(args);
      if (g > 2) return E_BAD_GENERATION;
      // gc.collect(): 0 while a collection runs (never here: ops run between collections)
      if (!collecting) {
        setCollecting(true);
        made = <u32>collectWithCallback(g);
        setCollecting(false);
      }
      break;
    }
    case OP_SAFE_POINT: if (n != 0) return E_BAD_ARGUMENT; safePoint(); break;
    case OP_ALLOCATION: if (n != 0) return E_BAD_ARGUMENT; onGcAllocation(0); break;
    default: return E_BAD_TYPE;
  }
  if (r != OK) return r;
  result(self, made);
  return OK;
}
