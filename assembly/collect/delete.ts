// delete_garbage: the final garbage is cleared (tp_clear) or, with
// DEBUG_SAVEALL, saved to gc.garbage. The refcount cascades free it.

import { gcClearCollecting, gcNext } from "../heap";
import { gcListIsEmpty, gcListMove } from "../gclist";
import { clearForCollector, decref, incref } from "../refcount";
import { GARBAGE, idListPush } from "../gclists";
import { deleteGarbageQuietly, quietDelete } from "./quiet";

/**
 * Takes the head of `collectable` until it is empty: saves or clears it; if it
 * is still at the head afterwards (alive: a tuple has no tp_clear, or saved),
 * it moves to `old` with COLLECTING cleared.
 */
export function deleteGarbage(collectable: u32, old: u32, saveAll: bool): void {
  if (!saveAll && quietDelete && deleteGarbageQuietly(collectable)) return;
  while (!gcListIsEmpty(collectable)) {
    let x = gcNext(collectable);
    if (saveAll) {
      if (idListPush(GARBAGE, x)) incref(x);
    } else {
      incref(x);
      clearForCollector(x);
      decref(x);
    }
    if (gcNext(collectable) == x) {
      gcClearCollecting(x);
      gcListMove(x, old);
    }
  }
}
