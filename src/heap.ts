// The Heap: one simulated CPython heap in its own wasm instance, with an API
// that mirrors Python's gc module (camelCase) plus heap building. Ids are
// numbers, reused after an object is freed (as CPython reuses addresses);
// `serial(id)` tells two objects that shared an id apart.

import { instantiate, type EngineExports, type TrapReport } from "./wasm/engine.js";
import { EMPTY_TUPLE_ID, INT_LITERAL_ID, Status, TypeId } from "./wasm/status.js";
import { getProfile, type Profile } from "./profiles.js";
import { loadDump, type DumpSource, type FromDumpOptions } from "./load/load.js";
import { HeapAnalysis } from "./analysis.js";
import { OP_NAMES, OpResults, RESULT_BIT, type OpStream } from "./ops.js";
import { LAYOUT, SNAPSHOT, SNAPSHOT_FIELDS, profileRecord, writeProfileRecord } from "./wasm/records.js";
import { decodeEvents } from "./heap/events.js";
import { statusError } from "./heap/status-errors.js";
import { PolicyHost } from "./heap/policy.js";
import { HeapLab } from "./heap/lab.js";
import { HeapDebug } from "./heap/debug.js";
import type { HeapPart } from "./heap/part.js";
import { StageLog } from "./heap/stages.js";
import type {
  ChainType, CollectionInfo, GcCallback, GenerationStats, HeapEvent, HeapOptions, ObjectDescription, ObjectType, PlainType,
} from "./heap/types.js";
import {
  InvalidArgumentError, InvalidGenerationError, NotAContainerError,
  NotAWeakrefError, NotBoundError, NotWeakReferenceableError, ObserverError, OpStreamError, OutOfMemoryError, PolicyError, PygcsimError,
  SimulatorTrapError, UnknownObjectError, UnsupportedError,
} from "./errors.js";

export * from "./heap/types.js";

const TYPE_NAMES = Object.keys(TypeId) as ObjectType[];

/** The engine type of a user-given name: own keys only ("constructor" is not a type). */
function typeIdOf(name: unknown): number | undefined {
  return typeof name === "string" && Object.hasOwn(TypeId, name) ? TypeId[name as ObjectType] : undefined;
}

/** An options argument: undefined is {}; anything but a plain object is refused. */
function optionsObject<T extends object>(op: string, o: T | undefined | null): T {
  if (o === undefined) return {} as T;
  if (o === null || typeof o !== "object" || Array.isArray(o)) {
    throw new InvalidArgumentError(`options must be an object, got ${o === null ? "null" : Array.isArray(o) ? "an array" : typeof o}`, op);
  }
  return o;
}

/** An optional boolean option: undefined is false. */
function flag(op: string, o: object, name: string): boolean {
  const v = (o as Record<string, unknown>)[name];
  if (v !== undefined && typeof v !== "boolean") throw new InvalidArgumentError(`${name} must be true or false, got ${String(v)}`, op);
  return v === true;
}

export class Heap {
  /** Stands for an int literal inside a tuple (`newTuple([a, Heap.INT_LITERAL])`). */
  static readonly INT_LITERAL = INT_LITERAL_ID;
  /** The shared empty tuple. */
  static readonly EMPTY_TUPLE = EMPTY_TUPLE_ID;

  readonly profile: Profile;
  /** gc.callbacks: called with ("start" | "stop", info) around every collection. */
  readonly callbacks: GcCallback[] = [];
  /**
   * sys.unraisablehook for this heap: when set, errors thrown by onEvent
   * listeners and gc.callbacks go here and the call returns normally (as
   * CPython prints "Exception ignored in …" and goes on); when null (the
   * default) the call throws ObserverError after delivering every event.
   */
  unraisableHook: ((error: unknown, where: string) => void) | null = null;
  /** The engine: reached only through `w`, which refuses once a trap has poisoned it. */
  private readonly engine: EngineExports;
  private readonly trap: TrapReport = { message: "" };
  private poisoned: string | null = null;
  private listeners: ((e: HeapEvent) => void)[] = [];
  /** Event records the engine handed over when its log was full, then the rest, in order. */
  private eventChunks: Uint32Array[] = [];
  /** u32 words per event record (assembly/events.ts). */
  private eventWords = 0;
  private queue: HeapEvent[] = [];
  /** Per queued event: the op of the stream it happened in (-1: not in runOps). */
  private queueOps: number[] = [];
  private deliveringOp = -1;
  private dispatching = false;
  private observerErrors: { error: unknown; where: string }[] = [];
  private readonly policy = new PolicyHost();
  private readonly stages = new StageLog();
  private depth = 0;
  /** Python type names of loaded objects, by the engine's per-object index (0: the engine type's own name). */
  private readonly typeNames: string[] = [""];
  /** Moves on every call that may change the heap (the analyses cache against it). */
  private changes = 0;
  private analyses: HeapAnalysis | null = null;

  constructor(options: HeapOptions = {}) {
    options = optionsObject("Heap", options);
    this.profile = getProfile(options.python ?? "3.11");
    if (options.build !== undefined && options.build !== "release" && options.build !== "debug") {
      throw new InvalidArgumentError(`build must be "release" or "debug", got ${String(options.build)}`, "Heap");
    }
    const limit = options.memoryLimitBytes;
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0 && limit <= 2 ** 32)) {
      throw new InvalidArgumentError(`memoryLimitBytes must be an integer from 1 to 2^32, got ${String(limit)}`, "Heap");
    }
    this.engine = instantiate(options.build ?? "release", this.trap, {
      policyDecide: () => this.policy.decide(this.engine),
      eventsFull: (ptr, count) => {
        // (no engine call from inside the engine: the record width is read once, at init)
        this.eventChunks.push(new Uint32Array(this.engine.memory.buffer, ptr, count * this.eventWords).slice());
      },
      stageTraced: (stage, ptr, words) => {
        this.stages.push(stage, ptr ? new Uint32Array(this.engine.memory.buffer, ptr, words).slice() : null);
      },
    });
    if (this.w.init() !== Status.OK) throw new OutOfMemoryError("cannot allocate the object table", "Heap");
    this.eventWords = this.w.eventWords();
    const p = this.profile;
    const startup = options.startupObjects ?? p.startupObjects;
    if (!(Number.isInteger(startup) && startup >= 0 && startup < 2 ** 31)) {
      throw new InvalidArgumentError(`startupObjects must be an integer ≥ 0, got ${String(startup)}`, "Heap");
    }
    writeProfileRecord(this.w.memory, this.w.profileRecord(), profileRecord(p, startup));
    this.w.configure();
    this.w.setThresholds(...p.thresholds);
    const sp = options.safePoints ?? "per-call";
    if (sp !== "per-call" && sp !== "per-statement" && sp !== "explicit") {
      throw new InvalidArgumentError(`safePoints must be "per-call", "per-statement" or "explicit", got ${String(sp)}`, "Heap");
    }
    this.w.useExplicitSafePoints(+(sp === "explicit"));
    this.w.useStatementSafePoints(+(sp === "per-statement"));
    const unreached = options.startupUnreached
      ?? (options.startupObjects === undefined ? p.startupUnreached : Math.round(startup * (p.startupUnreached / Math.max(1, p.startupObjects))));
    if (!(Number.isInteger(unreached) && unreached >= 0 && unreached <= startup)) {
      throw new InvalidArgumentError(`startupUnreached must be an integer from 0 to startupObjects (${startup}), got ${String(unreached)}`, "Heap");
    }
    if (this.w.setStartupUnreachedCount(unreached) !== Status.OK) throw new OutOfMemoryError("cannot make the start-up objects", "Heap");
    if (options.freeLists !== undefined && typeof options.freeLists !== "boolean") {
      throw new InvalidArgumentError(`freeLists must be true or false, got ${String(options.freeLists)}`, "Heap");
    }
    this.w.configureFreeLists(+(options.freeLists ?? true), +p.freeListsKeptByFullCollection);
    if (limit !== undefined) {
      // the limit bounds growth from here: below what an empty heap already holds it could never be kept
      const floor = this.w.memoryBytes();
      if (limit < floor) throw new InvalidArgumentError(`memoryLimitBytes ${limit} is below the ${floor} bytes an empty ${this.profile.series} heap needs`, "Heap");
      this.w.setMemoryLimit(limit);
    }
  }

  /** The engine, unless a trap made it unusable: every engine access goes through here. */
  private get w(): EngineExports {
    this.refuseIfPoisoned();
    return this.engine;
  }

  /** Every way into the engine starts here: a trapped heap refuses, naming the call. */
  private refuseIfPoisoned(op?: string): void {
    if (this.poisoned) throw new SimulatorTrapError(`the heap is unusable after an engine trap (${this.poisoned})`, op);
  }

  /** An object's simulated size in bytes (CPython-like default per type, lists and dicts +8 per item). */
  sizeOf(id: number): number { this.id("sizeOf", id); return this.w.objectSize(id); }
  setSizeOf(id: number, bytes: number): void {
    this.id("setSizeOf", id);
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > 0xFFFFFFFF) throw new InvalidArgumentError(`bytes must be a non-negative integer, got ${bytes}`, "setSizeOf");
    this.changes++;
    this.w.setObjectSize(id, bytes);
  }

  // ── plumbing ──────────────────────────────────────────────────────────────
  /** Runs an engine call; a trap poisons the heap and becomes SimulatorTrapError. */
  private call<T>(op: string, f: (w: EngineExports) => T, readOnly = false): T {
    this.refuseIfPoisoned(op);
    // the engine is in the middle of an operation while the policy decides
    if (this.policy.inDecide) throw new InvalidArgumentError("a delegated policy may only read the state it is given, not call the heap", op);
    if (!readOnly) this.changes++;
    let r: T;
    this.depth++;
    try {
      r = f(this.engine);
      this.drain();
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        this.poisoned = this.trap.message || e.message;
        throw new SimulatorTrapError(`engine trap: ${this.poisoned}`, op);
      }
      // a refused call (its own typed error): deliver what the engine did log,
      // and let the policy decide again next time
      if (this.depth === 1) {
        this.policy.failure = null;
        this.drain();
      }
      throw e;
    } finally {
      this.depth--;
      // the results are read: large staging buffers go back (not after a trap: the engine is gone)
      if (this.depth === 0 && !this.poisoned) this.engine.trimBuffers();
    }
    if (this.depth === 0) this.reportDeferred(op, r);
    return r;
  }

  /** What went wrong in host code the engine called, or in observers: raised once the call is complete. */
  private reportDeferred(op: string, result: unknown): void {
    if (this.policy.failure) {
      const { message, cause } = this.policy.failure;
      this.policy.failure = null;
      this.observerErrors = [];
      throw new PolicyError(message, op, result, { cause });
    }
    if (this.observerErrors.length === 0) return;
    const errors = this.observerErrors;
    this.observerErrors = [];
    const hook = this.unraisableHook;
    if (!hook) throw new ObserverError(op, errors, result);
    for (const { error, where } of errors) hook(error, where);
  }

  /** Decodes the engine's event records (assembly/events.ts) and delivers them in order. */
  private drain(): void {
    const w = this.engine;
    const n = w.eventsCount();
    if (n === 0 && this.eventChunks.length === 0) return;
    const W = this.eventWords;
    const chunks = this.eventChunks;
    this.eventChunks = [];
    if (n > 0) chunks.push(new Uint32Array(w.memory.buffer, w.eventsPtr(), n * W).slice());
    w.eventsClear();
    for (const words of chunks) decodeEvents(words, W, this.queue, this.queueOps);
    // an observer that calls the heap adds its call's events behind these
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        this.deliveringOp = this.queueOps[i];
        this.deliver(this.queue[i]);
      }
    } finally {
      this.queue = [];
      this.queueOps = [];
      this.deliveringOp = -1;
      this.dispatching = false;
    }
  }

  /** One event to every listener and, for collections, to gc.callbacks; what they throw is collected. */
  private deliver(e: HeapEvent): void {
    for (const l of [...this.listeners]) {
      try { l(e); } catch (error) { this.observerErrors.push({ error, where: `an onEvent listener (${e.kind})` }); }
    }
    if ((e.kind === "gc-start" || e.kind === "gc-stop") && this.callbacks.length && this.profile.features.callbacks) {
      const extra = this.profile.features.statsCandidates;
      const info: CollectionInfo = e.kind === "gc-start"
        ? { generation: e.generation, collected: 0, uncollectable: 0, ...(extra ? { candidates: 0, duration: 0 } : {}) }
        : { generation: e.generation, collected: e.collected, uncollectable: e.uncollectable,
            ...(extra ? { candidates: e.candidates, duration: e.wallUs / 1e6 } : {}) };
      const phase = e.kind === "gc-start" ? "start" : "stop";
      // CPython runs the callbacks with gcstate->collecting set: gc.collect() in one returns 0
      this.engine.holdCollections(1);
      try {
        for (const cb of [...this.callbacks]) {
          try { cb(phase, info); } catch (error) { this.observerErrors.push({ error, where: `a gc.callbacks entry ("${phase}")` }); }
        }
      } finally {
        if (!this.poisoned) this.engine.holdCollections(0);
      }
    }
  }

  /** Listens to finalizer, weakref-callback and collection events (delivered after each call). */
  onEvent(listener: (e: HeapEvent) => void): () => void {
    if (typeof listener !== "function") throw new InvalidArgumentError("listener must be a function", "onEvent");
    void this.w; // refuses on a poisoned heap
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }

  private statusError(op: string, code: number, detail: string): PygcsimError {
    return statusError(op, code, detail, () => this.engine.memoryBytes());
  }


  private id(op: string, x: unknown, what = "id"): number {
    if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > 0xFFFFFFFF) {
      throw new InvalidArgumentError(`${what} must be an object id (a non-negative integer), got ${String(x)}`, op);
    }
    this.refuseIfPoisoned(op);
    if (!this.w.isLive(x)) throw new UnknownObjectError(op, x, what);
    return x;
  }

  /** An array of ids: integers in range (liveness is checked by the engine, in one pass). */
  private idArray(op: string, ids: ArrayLike<number>, what: string): void {
    if (ids instanceof Uint32Array) return;
    if (!ids || typeof ids.length !== "number") throw new InvalidArgumentError(`${what} must be an array of ids`, op);
    for (let i = 0; i < ids.length; i++) {
      const x = ids[i];
      if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > 0xFFFFFFFF) {
        throw new InvalidArgumentError(`${what}[${i}] must be an object id (a non-negative integer), got ${String(x)}`, op);
      }
    }
  }

  private typeName(x: number): ObjectType {
    return TYPE_NAMES[this.w.objectType(x)];
  }

  private describe(x: number): string {
    return `${this.typeName(x)} ${x}`;
  }

  private requireContainer(op: string, x: number, what: string): void {
    const t = this.typeName(x);
    if (t !== "obj" && t !== "fin" && t !== "list" && t !== "dict") {
      throw new NotAContainerError(`${what} ${x} is a ${t}; only obj, fin, list and dict hold references`, op);
    }
  }

  private check(op: string, r: number, detail: string): number {
    if (r < 0) throw this.statusError(op, -r, detail);
    return r;
  }

  private ioWrite(op: string, values: ArrayLike<number>, stride = 1): number {
    const p = this.w.ioReserve(values.length * 4);
    if (!p && values.length) throw new OutOfMemoryError("no room for the batch", op);
    new Uint32Array(this.w.memory.buffer, p, values.length).set(values);
    return values.length / stride;
  }

  private ioRead(n: number): Uint32Array {
    return new Uint32Array(this.w.memory.buffer, this.w.ioPtr(), n).slice();
  }

  private feature(op: string, f: keyof Profile["features"], what: string): void {
    this.refuseIfPoisoned(op);
    if (!this.profile.features[f]) throw new UnsupportedError(`${what} does not exist in Python ${this.profile.series}`, op);
  }

  // ── building the heap ─────────────────────────────────────────────────────
  /**
   * A new object bound to a root (a name, in Python terms): it lives until
   * `unbind` drops the binding and nothing else refers to it. `resurrect`
   * (fin only) makes its __del__ store the object in the resurrection list.
   */
  newObject(type: PlainType, options?: { resurrect?: boolean }): number {
    const op = "newObject";
    const t = this.plainType(op, type);
    const resurrect = this.resurrectOption(op, type, options);
    return this.call(op, (w) => this.check(op, w.newObject(t, +resurrect), type));
  }

  private plainType(op: string, type: unknown): number {
    const t = typeIdOf(type);
    if (t === undefined || type === "tuple" || type === "weakref" || type === "other") {
      throw new InvalidArgumentError(`type must be obj, fin, list, dict, int or str, got ${String(type)}`, op);
    }
    return t;
  }

  private resurrectOption(op: string, type: unknown, options: { resurrect?: boolean } | undefined): boolean {
    const resurrect = flag(op, optionsObject(op, options), "resurrect");
    if (resurrect && type !== "fin") throw new InvalidArgumentError(`resurrect is only for type fin`, op);
    return resurrect;
  }

  /** n new bound objects of one type in one call (the batch form of newObject). */
  newObjects(type: PlainType, n: number, options?: { resurrect?: boolean }): Uint32Array {
    const op = "newObjects";
    const t = this.plainType(op, type);
    if (!Number.isInteger(n) || n < 0 || n > 0x7FFFFFF0) throw new InvalidArgumentError(`n must be a count, got ${n}`, op);
    const resurrect = this.resurrectOption(op, type, options);
    return this.call(op, (w) => this.ioRead(this.check(op, w.newObjects(t, n, +resurrect), type)));
  }

  /** tuple(items): ids, or Heap.INT_LITERAL for an int literal. () is the shared EMPTY_TUPLE. */
  newTuple(items: readonly number[]): number {
    const op = "newTuple";
    if (!Array.isArray(items)) throw new InvalidArgumentError("items must be an array of ids", op);
    items.forEach((x, i) => { if (x !== Heap.INT_LITERAL) this.id(op, x, `items[${i}]`); });
    return this.call(op, (w) => {
      this.ioWrite(op, items);
      return this.check(op, w.newTuple(items.length), "tuple");
    });
  }

  /** weakref.ref(target[, callback]), bound to a root. The callback logs an event. */
  newWeakref(target: number, options?: { callback?: boolean }): number {
    const op = "newWeakref";
    const callback = flag(op, optionsObject(op, options), "callback");
    this.id(op, target, "target");
    const t = this.typeName(target);
    if (t !== "obj" && t !== "fin") throw new NotWeakReferenceableError(`target ${target} is a ${t}; only obj and fin can be weakly referenced`, op);
    return this.call(op, (w) => this.check(op, w.newWeakref(target, +callback), `target ${target}`));
  }

  /**
   * `length` new objects, each referring to the next; the last refers to `to`
   * (or to the head with `ring`). Only the head is bound. Returns the ids, head first.
   */
  chain(type: ChainType, length: number, options?: { to?: number; ring?: boolean }): Uint32Array {
    const op = "chain";
    const t = typeIdOf(type);
    if (t === undefined || t > TypeId.tuple) throw new InvalidArgumentError(`type must be obj, fin, list, dict or tuple, got ${String(type)}`, op);
    if (!Number.isInteger(length) || length < 1 || length > 0x7FFFFFF0) throw new InvalidArgumentError(`length must be ≥ 1, got ${length}`, op);
    const o = optionsObject(op, options);
    const ring = flag(op, o, "ring");
    if (o.to !== undefined) this.id(op, o.to, "to");
    if (ring && type === "tuple") throw new InvalidArgumentError("a tuple chain cannot be a ring", op);
    if (ring && o.to !== undefined) throw new InvalidArgumentError("give either to or ring", op);
    return this.call(op, (w) => this.ioRead(this.check(op, w.chain(t, length, o.to ?? 0, +ring), type)));
  }

  /** from gains one reference to to (obj/fin: lowest free slot; list: append; dict: new key). */
  addRef(from: number, to: number): void {
    const op = "addRef";
    this.id(op, from, "from");
    this.id(op, to, "to");
    this.requireContainer(op, from, "from");
    this.call(op, (w) => {
      const r = w.addRef(from, to);
      if (r !== Status.OK) throw this.statusError(op, r, `from ${this.describe(from)}`);
    });
  }

  /** Many references in one call: from[i] → to[i]. All are checked before any is added. */
  addRefs(from: ArrayLike<number>, to: ArrayLike<number>): void {
    const op = "addRefs";
    this.idArray(op, from, "from");
    this.idArray(op, to, "to");
    if (from.length !== to.length) throw new InvalidArgumentError(`from and to differ in length (${from.length} vs ${to.length})`, op);
    this.call(op, (w) => {
      const n = from.length;
      const p = w.ioReserve(n * 8);
      if (!p && n) throw new OutOfMemoryError("no room for the batch", op);
      const pairs = new Uint32Array(w.memory.buffer, p, n * 2);
      for (let i = 0; i < n; i++) { pairs[2 * i] = from[i]; pairs[2 * i + 1] = to[i]; }
      const r = w.addRefs(n);
      if (r === Status.OK) return;
      const i = w.batchFailedIndex();
      if (r === Status.E_NO_OBJECT || r === Status.E_NOT_CONTAINER) {
        const bad = !w.isLive(from[i]) ? `from[${i}] = ${from[i]}` : !w.isLive(to[i]) ? `to[${i}] = ${to[i]}` : `from[${i}] = ${this.describe(from[i])}`;
        throw new (r === Status.E_NOT_CONTAINER ? NotAContainerError : InvalidArgumentError)(`${bad} is not usable: no live container / target`, op);
      }
      throw this.statusError(op, r, `from[${i}] = ${from[i]}`);
    });
  }

  /** Removes one reference (obj/fin: the highest slot holding it; list/dict: the last entry). */
  removeRef(from: number, to: number): void {
    const op = "removeRef";
    this.id(op, from, "from");
    // an id that names no live object has no reference to it: NoSuchReferenceError below
    if (typeof to !== "number" || !Number.isInteger(to) || to < 0 || to > 0xFFFFFFFF) {
      throw new InvalidArgumentError(`to must be an object id (a non-negative integer), got ${String(to)}`, op);
    }
    this.requireContainer(op, from, "from");
    this.call(op, (w) => {
      const r = w.removeRef(from, to);
      if (r !== Status.OK) throw this.statusError(op, r, `${this.describe(from)} holds no reference to ${to}`);
    });
  }

  /** One more root binding (a name) for the object. */
  bind(id: number): void {
    const op = "bind";
    this.id(op, id);
    this.call(op, (w) => this.check(op, -w.bind(id), String(id)));
  }

  /** Drops one root binding; the object may be released at once (finalizers run). */
  unbind(id: number): void {
    const op = "unbind";
    this.id(op, id);
    const shared = id === Heap.EMPTY_TUPLE || id === Heap.INT_LITERAL; // immortal: bindings are not counted
    if (!shared && this.w.rootCount(id) === 0) throw new NotBoundError(`object ${id} has no root binding to remove`, op);
    this.call(op, (w) => this.check(op, -w.unbind(id), String(id)));
  }

  /** Drops one root binding of each id, in order, in one call. All are checked first. */
  unbindMany(ids: ArrayLike<number>): void {
    const op = "unbindMany";
    this.idArray(op, ids, "ids");
    this.call(op, (w) => {
      this.ioWrite(op, ids);
      const r = w.unbindMany(ids.length);
      if (r === Status.OK) return;
      const i = w.batchFailedIndex();
      if (r === Status.E_NO_OBJECT) throw new UnknownObjectError(op, ids[i], `ids[${i}]`);
      if (r === Status.E_NOT_BOUND) throw new NotBoundError(`ids[${i}] = ${ids[i]} has no root binding left to remove (listed more often than bound)`, op);
      throw this.statusError(op, r, `ids[${i}] = ${ids[i]}`);
    });
  }

  /** Leaks a reference, as a buggy C extension's Py_INCREF without DECREF: the object never dies. */
  incref(id: number): void {
    const op = "incref";
    this.id(op, id);
    this.call(op, (w) => this.check(op, -w.leak(id), String(id)));
  }

  /** w(): the referent's id, or null once the weakref is dead. */
  deref(weakref: number): number | null {
    const op = "deref";
    this.id(op, weakref, "weakref");
    if (this.typeName(weakref) !== "weakref") throw new NotAWeakrefError(`${this.describe(weakref)} is not a weakref`, op);
    const r = this.call(op, (w) => this.check(op, w.derefWeakref(weakref), String(weakref)));
    return r === 0 ? null : r;
  }

  /**
   * Runs an op stream (src/ops.ts) in one engine call: each op as the API call
   * it stands for, each followed by its safe point. Stops at the first op the
   * heap refuses: OpStreamError names it (index, op, operands) and carries
   * the typed error the call would have thrown; the ops before it stay applied.
   */
  runOps(stream: OpStream): OpResults {
    const op = "runOps";
    const words = stream.words();
    const n = stream.length;
    const r = this.call(op, (w) => {
      const p = w.opsReserve(words.length, n);
      if (!p) throw new OutOfMemoryError("no room for the op stream", op);
      new Uint32Array(w.memory.buffer, p, words.length).set(words);
      const applied = w.runOps(words.length, n);
      return { applied, values: new Uint32Array(w.memory.buffer, w.opsResults(), applied).slice(), status: w.opsFailedStatus(), operand: w.opsFailedOperand() };
    });
    if (r.applied < n) throw this.opError(words, r.applied, r.status, r.values);
    return new OpResults(r.values);
  }

  /** The refused op, described with its operands as ids (refs to earlier ops resolved). */
  private opError(words: Uint32Array, index: number, status: number, values: Uint32Array): OpStreamError {
    let at = 0;
    for (let i = 0; i < index; i++) at += 1 + (words[at] >>> 8);
    const code = words[at] & 0xFF, k = words[at] >>> 8;
    const name = OP_NAMES[code] ?? `code ${code}`;
    const raw = [...words.subarray(at + 1, at + 1 + k)];
    const ids = raw.map((v) => (v >= RESULT_BIT ? values[v - RESULT_BIT] ?? v : v));
    const shown = code === 1 ? `${String(Object.keys(TypeId)[raw[0]])}` : code === 9 ? String(raw[0]) : ids.join(", ");
    const first = ids[0];
    const detail = status === Status.E_NO_OBJECT ? String(ids.find((x) => !this.engine.isLive(x)) ?? first)
      : first !== undefined && code !== 1 && code !== 9 && this.engine.isLive(first) ? this.describe(first) : `${name}(${shown})`;
    const cause = this.statusError(name, status, detail);
    // the cause's message without its "name: " prefix: the op is named already
    return new OpStreamError(`op ${index} (${name}(${shown})) refused: ${cause.message.slice(name.length + 2)}`, index, values, { cause });
  }

  // ── analyses ──────────────────────────────────────────────────────────────
  /**
   * While an event listener runs: the index of the op of the stream
   * (`runOps`) during which the event happened; -1 for an event of an
   * ordinary call. (The schedule twin maps collections to program ops by it.)
   */
  get eventOp(): number { this.refuseIfPoisoned("eventOp"); return this.deliveringOp; }

  /** The Heap as its parts see it: every call through the one guarded `call`. */
  private readonly part: HeapPart = {
    run: (op, f) => this.call(op, f),
    read: (op, f) => this.call(op, f, true),
    id: (op, x, what) => this.id(op, x, what),
    check: (op, r, detail) => this.check(op, r, detail),
    changes: () => this.changes,
    typeName: (x) => this.typeNameOf(x),
  };
  private labPart: HeapLab | null = null;
  private debugPart: HeapDebug | null = null;

  /** What the lab sets and reads beyond Python's gc module: policy, garbage held, counters (src/heap/lab.ts). */
  get lab(): HeapLab {
    void this.w; // refuses on a poisoned heap
    return this.labPart ??= new HeapLab(this.part, this.policy);
  }

  /** Invariants, engine memory, free lists and test switches (src/heap/debug.ts). */
  get debug(): HeapDebug {
    void this.w;
    return this.debugPart ??= new HeapDebug(this.part, this.stages, this.profile);
  }

  /** Heap analyses: whyAlive, unreachable objects, cycles, retained sizes, counts by type (src/analysis.ts). */
  get analysis(): HeapAnalysis {
    void this.w; // refuses on a poisoned heap
    return this.analyses ??= new HeapAnalysis(this.part);
  }

  // ── objects ───────────────────────────────────────────────────────────────
  /** True while the id names a live object. */
  exists(id: number): boolean {
    const w = this.w;
    return Number.isInteger(id) && id >= 0 && id <= 0xFFFFFFFF && !!w.isLive(id);
  }
  typeOf(id: number): ObjectType { this.id("typeOf", id); return this.typeName(id); }
  /**
   * The object's Python type name: a loaded object's real type ("list",
   * "__main__.Node", "xml.dom.minidom.Element"); for objects made through the
   * API, the engine type's name ("obj", "list", …).
   */
  typeNameOf(id: number): string {
    this.id("typeNameOf", id);
    const u32 = new Uint32Array(this.w.memory.buffer);
    const column = u32[(this.w.layout() >>> 2) + LAYOUT.typeName]; // 0 until some object has a type name
    const k = column === 0 ? 0 : u32[(column >>> 2) + id];
    return (k && this.typeNames[k]) || (TYPE_NAMES[this.w.objectType(id)] ?? "other");
  }

  /**
   * A real Python heap, dumped by python/pygcsim_dump.py (a path, the dump's
   * text, its bytes — gzip or not — or a parseDump() result; in a page no path,
   * and gzip through parseDumpBytes()), rebuilt in a new simulated heap:
   * docs/dump-format.md, src/load/load.ts. `dumpInfo(heap)` maps dump
   * objects to ids and tells what the loader did.
   */
  static fromDump(source: DumpSource, options: FromDumpOptions = {}): Heap {
    return loadDump(source, options, (o) => {
      const heap = new Heap(o);
      return { heap, run: (op, f) => heap.call(op, f), typeNames: heap.typeNames };
    });
  }
  refcount(id: number): number { this.id("refcount", id); return this.w.refcount(id); }
  /** Creation number: differs between two objects that had the same id. */
  serial(id: number): number { this.id("serial", id); return this.w.objectSerial(id) >>> 0; }
  rootCount(id: number): number { this.id("rootCount", id); return this.w.rootCount(id); }
  /** References leaked by `incref` (never dropped): the C-extension bug the tracker reports. */
  leakCount(id: number): number { this.id("leakCount", id); return this.w.leakCount(id); }
  /** True when the collector's tp_clear ran on this instance (its slots were emptied). */
  wasCleared(id: number): boolean { this.id("wasCleared", id); return !!this.w.wasCleared(id); }
  /** Live objects (all types). */
  get size(): number { return this.w.liveCount(); }

  // ── the gc module ─────────────────────────────────────────────────────────
  /** gc.collect(generation): unreachable objects found (collected + uncollectable). */
  collect(generation = 2): number {
    const op = "collect";
    if (!Number.isInteger(generation) || generation < 0 || generation > 2) {
      throw new InvalidGenerationError(`generation must be 0, 1 or 2, got ${generation}`, op);
    }
    return this.call(op, (w) => this.check(op, w.collect(generation), ""));
  }
  /** The last collection's {collected, uncollectable}. */
  lastCollection(): { collected: number; uncollectable: number } {
    return { collected: this.w.collectedLast(), uncollectable: this.w.uncollectableLast() };
  }
  /** Objects the collector has examined since the heap was made (its work, in objects). */
  objectsExamined(): number { return this.w.objectsExamined(); }

  getCount(): [number, number, number] { return [this.w.getCount(0), this.w.getCount(1), this.w.getCount(2)]; }
  getThreshold(): [number, number, number] { return [this.w.getThreshold(0), this.w.getThreshold(1), this.w.getThreshold(2)]; }
  /** gc.set_threshold(threshold0[, threshold1[, threshold2]]). */
  setThreshold(t0: number, t1?: number, t2?: number): void {
    const cur = this.getThreshold();
    const v = [t0, t1 ?? cur[1], t2 ?? cur[2]];
    v.forEach((x, i) => {
      if (!Number.isInteger(x) || x < 0 || x > 0x7FFFFFFF) throw new InvalidArgumentError(`threshold${i} must be a non-negative integer, got ${x}`, "setThreshold");
    });
    this.w.setThresholds(v[0], v[1], v[2]);
  }
  enable(): void { this.w.setGcEnabled(1); }
  disable(): void { this.w.setGcEnabled(0); }
  isEnabled(): boolean { return !!this.w.isGcEnabled(); }
  /** gc.set_debug(flags): a C int, as CPython takes it (-1 sets every flag). */
  setDebug(flags: number): void {
    if (!Number.isInteger(flags) || flags < -(2 ** 31) || flags >= 2 ** 31) {
      throw new InvalidArgumentError(`flags must be an integer that fits a C int, got ${String(flags)}`, "setDebug");
    }
    this.w.setDebug(flags);
  }
  getDebug(): number { return this.w.getDebug() | 0; }

  /** gc.get_stats(): per generation, totals since the heap was made. */
  getStats(): GenerationStats[] {
    this.feature("getStats", "getStats", "gc.get_stats");
    const extra = this.profile.features.statsCandidates;
    return [0, 1, 2].map((g) => ({
      collections: this.w.getStat(g, 0), collected: this.w.getStat(g, 1), uncollectable: this.w.getStat(g, 2),
      ...(extra ? { candidates: this.w.getStat(g, 3), duration: this.w.getStat(g, 4) } : {}),
    }));
  }

  /** gc.get_objects([generation]): tracked objects in list order (gen 0, 1, 2). */
  getObjects(generation?: number): Uint32Array {
    const op = "getObjects";
    if (generation !== undefined) {
      this.feature(op, "getObjectsGeneration", "gc.get_objects(generation)");
      if (!Number.isInteger(generation) || generation < 0 || generation > 2) throw new InvalidGenerationError(`generation must be 0, 1 or 2, got ${generation}`, op);
    }
    return this.call(op, (w) => this.ioRead(this.check(op, w.getObjects(generation ?? -1), "")));
  }

  /** gc.get_referrers(*ids): tracked objects (not frozen) that refer to any of ids. */
  getReferrers(...ids: number[]): number[] {
    const op = "getReferrers";
    ids.forEach((x, i) => this.id(op, x, `ids[${i}]`));
    const seen = new Set<number>();
    const out: number[] = [];
    for (const x of ids) {
      for (const r of this.call(op, (w) => this.ioRead(this.check(op, w.getReferrers(x), "")))) {
        if (!seen.has(r)) { seen.add(r); out.push(r); }
      }
    }
    // CPython lists referrers in generation-list order
    if (ids.length > 1) {
      const order = new Map<number, number>();
      this.getObjects().forEach((x, i) => order.set(x, i));
      out.sort((a, b) => order.get(a)! - order.get(b)!);
    }
    return out;
  }

  /** gc.get_referents(*ids): what each visits, in traversal order, duplicates included. */
  getReferents(...ids: number[]): number[] {
    const op = "getReferents";
    ids.forEach((x, i) => this.id(op, x, `ids[${i}]`));
    return ids.flatMap((x) => [...this.call(op, (w) => this.ioRead(this.check(op, w.getReferents(x), "")))]);
  }

  isTracked(id: number): boolean { this.id("isTracked", id); return !!this.w.isTracked(id); }

  /** Every live object's id, ascending (the shared singletons left out), in one engine call. */
  liveIds(): Uint32Array {
    return this.call("liveIds", (w) => this.ioRead(this.check("liveIds", w.liveIds(), "")), true);
  }
  /** The serial number the newest object got: an object made later has a higher one. */
  newestSerial(): number { return this.w.newestSerial() >>> 0; }

  /**
   * Type, serial, tracked state, refcount, root bindings, leaks, PEP 442's
   * finalized flag and referents (traversal order, duplicates kept) of many
   * objects in one engine call per batch: what per-object calls would give,
   * for snapshots of large heaps.
   */
  describeMany(ids: ArrayLike<number>): ObjectDescription[] {
    const op = "describeMany";
    this.idArray(op, ids, "ids");
    const out: ObjectDescription[] = [];
    const BATCH = 1 << 16;
    for (let start = 0; start < ids.length; start += BATCH) {
      const part = Array.prototype.slice.call(ids, start, Math.min(ids.length, start + BATCH)) as number[];
      this.call(op, (w) => {
        this.ioWrite(op, part);
        const total = w.snapshotMany(part.length);
        if (total < 0) {
          const bad = part.find((x) => !w.isLive(x));
          if (bad !== undefined) throw new UnknownObjectError(op, bad);
          throw this.statusError(op, -total, "snapshot");
        }
        const n = part.length;
        const words = new Uint32Array(w.memory.buffer, w.ioPtr(), (1 + SNAPSHOT_FIELDS.length) * n + total).slice();
        let at = (1 + SNAPSHOT_FIELDS.length) * n; // the ids, their records, then the referents
        for (let i = 0; i < n; i++) {
          const r = n + SNAPSHOT_FIELDS.length * i;
          const tf = words[r + SNAPSHOT.typeAndFlags], m = words[r + SNAPSHOT.referents];
          out.push({
            id: part[i], type: TYPE_NAMES[tf & 0xFF], serial: words[r + SNAPSHOT.serial], tracked: (tf & 0x100) !== 0,
            refcount: words[r + SNAPSHOT.refcount], roots: words[r + SNAPSHOT.roots], leaks: words[r + SNAPSHOT.leaks],
            finalized: (tf & 0x200) !== 0, referents: words.subarray(at, at + m),
          });
          at += m;
        }
      }, true);
    }
    return out;
  }
  /** gc.is_finalized (3.9+). */
  isFinalized(id: number): boolean {
    this.feature("isFinalized", "isFinalized", "gc.is_finalized");
    this.id("isFinalized", id);
    return !!this.w.isFinalized(id);
  }

  freeze(): void {
    this.feature("freeze", "freeze", "gc.freeze");
    this.call("freeze", (w) => this.check("freeze", -w.freeze(), ""));
  }
  unfreeze(): void {
    this.feature("unfreeze", "freeze", "gc.unfreeze");
    this.call("unfreeze", (w) => this.check("unfreeze", -w.unfreeze(), ""));
  }
  getFreezeCount(): number {
    this.feature("getFreezeCount", "freeze", "gc.get_freeze_count");
    return this.w.getFreezeCount();
  }

  /** gc.garbage: ids in list order. */
  get garbage(): number[] {
    return [...new Uint32Array(this.w.memory.buffer, this.w.garbageData(), this.w.garbageLength())];
  }
  /** Where "resurrect" finalizers stored their objects, oldest first. */
  get resurrected(): number[] {
    return [...new Uint32Array(this.w.memory.buffer, this.w.resurrectedData(), this.w.resurrectedLength())];
  }
  /** Takes id out of gc.garbage or the resurrection list and binds it; false if it is not there. */
  revive(id: number, from: "garbage" | "resurrected"): boolean {
    const op = "revive";
    if (from !== "garbage" && from !== "resurrected") throw new InvalidArgumentError(`from must be "garbage" or "resurrected"`, op);
    this.id(op, id);
    return !!this.call(op, (w) => this.check(op, w.revive(id, from === "garbage" ? 1 : 0), String(id)));
  }
  /** Drops the resurrection list's references one at a time, oldest first. */
  dropResurrected(): void { this.call("dropResurrected", (w) => w.dropResurrected()); }
  /** del gc.garbage[:], one reference at a time, first first. */
  clearGarbage(): void { this.call("clearGarbage", (w) => w.clearGarbage()); }

  /** Runs an automatic collection now if the counts call for one (gc_collect_generations). */
  collectIfDue(): void { this.call("collectIfDue", (w) => w.collectIfDue()); }
  /**
   * The eval breaker's check (3.12+): a collection scheduled by an earlier
   * allocation runs now. With `safePoints: "explicit"` the only place it runs.
   */
  safePoint(): void { this.call("safePoint", (w) => w.safePointNow()); }
  /**
   * Counts one allocation of a GC object the simulator does not model (a bound
   * method, an argument tuple …) that stays on its type's free list: count[0]
   * rises (≤3.11 may collect at once), nothing is created.
   */
  countAllocation(): void { this.call("countAllocation", (w) => w.phantomAllocation()); }
}
