// The engine's status codes as the typed errors of src/errors.ts: one place
// that says what each refusal means to a user.

import { Status } from "../wasm/status.js";
import {
  InvalidGenerationError, NoSuchReferenceError, NotAContainerError, NotAWeakrefError, NotBoundError,
  NotWeakReferenceableError, OutOfMemoryError, PygcsimError, SlotsFullError, UnknownObjectError, UnsupportedError,
  WeakrefExistsError,
} from "../errors.js";

/** The error for engine status `code` refusing `op`; `detail` names the object (an id for E_NO_OBJECT). */
export function statusError(op: string, code: number, detail: string, memoryBytes: () => number): PygcsimError {
  switch (code) {
    case Status.E_NO_OBJECT: return new UnknownObjectError(op, Number(detail) || 0);
    case Status.E_NOT_CONTAINER: return new NotAContainerError(`${detail} cannot hold references (only obj, fin, list, dict)`, op);
    case Status.E_NO_SUCH_REF: return new NoSuchReferenceError(`${detail}: no such reference`, op);
    case Status.E_SLOTS_FULL: return new SlotsFullError(`${detail}: an obj/fin holds at most 16 references`, op);
    case Status.E_BAD_GENERATION: return new InvalidGenerationError(`generation must be 0, 1 or 2`, op);
    case Status.E_NOT_WEAKREFABLE: return new NotWeakReferenceableError(`${detail} cannot be weakly referenced (only obj, fin)`, op);
    case Status.E_NOT_WEAKREF: return new NotAWeakrefError(`${detail} is not a weakref`, op);
    case Status.E_OUT_OF_MEMORY: return new OutOfMemoryError(`linear memory cannot grow (${memoryBytes()} bytes in use)`, op);
    case Status.E_NOT_BOUND: return new NotBoundError(`${detail} has no root binding to remove`, op);
    case Status.E_BASIC_WEAKREF_EXISTS: return new WeakrefExistsError(`${detail} already has a callback-less weakref; CPython would return that same object`, op);
    case Status.E_UNSUPPORTED: return new UnsupportedError(detail, op);
    default: return new PygcsimError(`engine status ${code} (${detail})`, op);
  }
}
