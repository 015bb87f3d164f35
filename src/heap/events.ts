// Decoding the engine's event records (assembly/events.ts EventRecord, field
// indices in src/wasm/records.ts) into the Heap's events.

import { EventKind } from "../wasm/status.js";
import { EVENT } from "../wasm/records.js";
import type { HeapEvent } from "./types.js";

/**
 * Appends the events of `words` (records of `W` words) to `out`, and to `ops`
 * the op of the running op stream each happened in (-1 outside runOps).
 */
export function decodeEvents(words: Uint32Array, W: number, out: HeapEvent[], ops: number[]): void {
  for (let r = 0; r < words.length; r += W) {
    const k = words[r + EVENT.kind], a = words[r + EVENT.a], b = words[r + EVENT.b], c = words[r + EVENT.c];
    const op = words[r + EVENT.op];
    ops.push(op === 0xFFFFFFFF ? -1 : op);
    if (k === EventKind.FINALIZED) out.push({ kind: "finalized", id: a, serial: b });
    else if (k === EventKind.CALLBACK) out.push({ kind: "callback", weakref: a, serial: b });
    else if (k === EventKind.GC_START) out.push({ kind: "gc-start", generation: a, count0: b, automatic: c === 1 });
    else {
      out.push({
        kind: "gc-stop", generation: a, collected: b, uncollectable: c, examined: words[r + EVENT.examined],
        automatic: words[r + EVENT.automatic] === 1, workToDo: words[r + EVENT.workToDo] | 0,
        wallUs: words[r + EVENT.wallUs], candidates: words[r + EVENT.candidates],
      });
    }
  }
}
