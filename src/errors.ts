// Typed errors. Every API call validates its arguments before it crosses into
// wasm; the engine's status codes are the second line. The heap is unchanged
// after any of these, except SimulatorTrapError (the heap is then unusable)
// and PolicyError / ObserverError (the call completed; they carry its result).

/** Base class of every error pygcsim throws on purpose. */
export class PygcsimError extends Error {
  constructor(message: string, readonly operation?: string) {
    super(operation ? `${operation}: ${message}` : message);
    this.name = new.target.name;
  }
}
/** The id does not name a live object (never created, or already freed). */
export class UnknownObjectError extends PygcsimError {
  constructor(operation: string, readonly id: number, what = "id") {
    super(`${what} ${id} does not name a live object (unknown or already freed)`, operation);
  }
}
/** An argument has the wrong type or value. */
export class InvalidArgumentError extends PygcsimError {}
/** The object cannot hold references (only obj, fin, list and dict can). */
export class NotAContainerError extends PygcsimError {}
/** unref / removeRef of a reference that does not exist. */
export class NoSuchReferenceError extends PygcsimError {}
/** obj and fin have 16 slots. */
export class SlotsFullError extends PygcsimError {}
/** Generation outside 0..2. */
export class InvalidGenerationError extends PygcsimError {}
/** Only obj and fin can be weakly referenced. */
export class NotWeakReferenceableError extends PygcsimError {}
/** The object is not a weakref. */
export class NotAWeakrefError extends PygcsimError {}
/** A callback-less weakref to the object exists already (CPython would return it). */
export class WeakrefExistsError extends PygcsimError {}
/** unbind of an object that has no root binding left. */
export class NotBoundError extends PygcsimError {}
/** The profile's CPython has no such feature (gc.freeze before 3.7 …). */
export class UnsupportedError extends PygcsimError {}
/** Linear memory could not grow (memory limit or the 4 GiB of wasm32). */
export class OutOfMemoryError extends PygcsimError {}
/** No profile for this version string. */
export class UnknownVersionError extends PygcsimError {}
/**
 * A delegated policy's decide() threw or returned something other than 0, 1,
 * 2 or null. The call that reached the decision point completed (no
 * collection ran there, and none is asked of the policy again in that call):
 * `result` is what it returned. The heap is consistent.
 */
export class PolicyError extends PygcsimError {
  constructor(message: string, operation: string, readonly result: unknown, options?: { cause?: unknown }) {
    super(message, operation);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
/**
 * Observers (onEvent listeners, gc.callbacks) threw while the call's events
 * were delivered. Every event still reached every observer; the call
 * completed and `result` is what it returned. Set `heap.unraisableHook` to
 * handle them as CPython's sys.unraisablehook does instead (no throw).
 */
export class ObserverError extends PygcsimError {
  constructor(operation: string, readonly errors: { error: unknown; where: string }[], readonly result: unknown) {
    super(`${errors.length} observer error(s), the first in ${errors[0].where}: ${errors[0].error instanceof Error ? errors[0].error.message : String(errors[0].error)}`, operation);
  }
}
/**
 * An op of an op stream was refused: the ops before it were applied (as a
 * scenario's are), it changed nothing, the heap is consistent. `cause` is
 * the typed error the same call would have thrown; `results` what the
 * applied ops made.
 */
export class OpStreamError extends PygcsimError {
  constructor(message: string, readonly opIndex: number, readonly results: Uint32Array, options?: { cause?: unknown }) {
    super(message, "runOps");
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
/**
 * No compiled engine for the build a Heap asks for: in a page (the
 * "pygcsim/browser" entry), `await init()` must come first; or init() could
 * not fetch or compile the wasm it was given.
 */
export class EngineNotLoadedError extends PygcsimError {}
/** The engine trapped: a bug in pygcsim. The heap is unusable from now on. */
export class SimulatorTrapError extends PygcsimError {}
/** A malformed scenario: names the file, the op index and the field. */
export class ScenarioError extends PygcsimError {
  constructor(message: string, readonly file?: string, readonly opIndex?: number) {
    super(file ? `${file}: error: ${message}` : message);
  }
}
