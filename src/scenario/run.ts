// Runs a scenario on a simulated heap and records what CPython's runner.py
// records: the same events, the same canonical JSON text. Objects keep the
// name they were born with; an id's current name is re-registered at every
// creation, and a serial number tells a reused id from the object it named.

import { Heap, DEBUG_SAVEALL, type HeapEvent, type PlainType } from "../heap.js";
import { getProfile, versionTuple, type Profile } from "../profiles.js";
import { ScenarioError, PygcsimError, SimulatorTrapError } from "../errors.js";
import { validate, versionApplies, pyRepr, type Op, type Scenario } from "./validate.js";
import type { BuildKind } from "../wasm/engine.js";

export type ScenarioEvent = Record<string, unknown> & { op: number };
export interface ScenarioResult {
  scenario: string;
  python: string;
  events: ScenarioEvent[];
}
export type RunOutcome =
  | { status: "ran"; result: ScenarioResult; text: string }
  | { status: "skipped"; reason: string };

/** Rebuilds every object with sorted keys (Python's sort_keys=True). */
function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeysDeep((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/** The canonical result text of docs/scenario-format.md: sorted keys, indent 1, ASCII only, final newline. */
export function canonical(result: unknown): string {
  return JSON.stringify(sortKeysDeep(result), null, 1)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) + "\n";
}

/** Python's type name of a scenario object, as runner.py prints an unnamed one ("?Obj"). */
const PY_TYPE: Record<string, string> = {
  obj: "Obj", fin: "Fin", list: "list", dict: "dict", tuple: "tuple", int: "int", str: "str", weakref: "weakref",
};

interface Entry { id: number; serial: number }

/** Hooks of runScenarioSession: around the ops, on the scenario's own heap. */
export interface SessionHooks {
  /** After the runner settled the heap (gc disabled, debug flags 0), before op 0; nameOf names objects by serial. */
  beforeOps?: (heap: Heap, nameOf: (id: number, serial: number) => string | undefined) => void;
  /** After the last op, before the runner resets the debug flags. */
  afterOps?: (heap: Heap, nameOf: (id: number, serial: number) => string | undefined) => void;
  /** After each op, with its index and the events recorded so far (the explorer's frames). */
  afterOp?: (heap: Heap, index: number, events: readonly ScenarioEvent[], nameOf: (id: number, serial: number) => string | undefined) => void;
}

class ScenarioRun {
  readonly heap: Heap;
  private events: ScenarioEvent[] = [];
  private cur = 0;
  private byName = new Map<string, Entry>();
  /**
   * Chain members 1.. (named `id.1` …) by serial range: a chain's serials are
   * consecutive, so a member's name and id need no map entry each (four
   * 1,000,000-long chains took 1.1 GB of maps). In serial order.
   */
  private chains: { name: string; ids: Uint32Array; serial0: number }[] = [];
  private chainByName = new Map<string, { name: string; ids: Uint32Array; serial0: number }>();
  private bound = new Set<string>();
  private probed = new Set<string>();
  private stats0 = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  /** Every name ever given, by serial (serials are never reused): for runScenarioSession. */
  private readonly nameOfSerial = new Map<number, string>();
  constructor(readonly scn: Scenario, readonly profile: Profile, build: BuildKind, private readonly hooks: SessionHooks = {}) {
    this.heap = new Heap({ python: profile.version, build });
    this.heap.onEvent((e) => this.onEvent(e));
  }

  private nameOf(id: number, serial: number): string {
    // serials are never reused: the name born with this serial is this object's
    const n = this.nameBySerial(id, serial);
    if (n !== undefined) return n;
    return "?" + PY_TYPE[this.heap.exists(id) ? this.heap.typeOf(id) : "obj"];
  }

  private currentName(id: number): string {
    return this.nameOf(id, this.heap.serial(id));
  }

  private onEvent(e: HeapEvent): void {
    if (e.kind === "finalized") this.events.push({ finalized: this.nameOf(e.id, e.serial), op: this.cur });
    else if (e.kind === "callback") this.events.push({ callback: this.nameOf(e.weakref, e.serial), op: this.cur });
  }

  private register(name: string, id: number): void {
    const serial = this.heap.serial(id);
    this.byName.set(name, { id, serial });
    this.nameOfSerial.set(serial, name);
  }

  /** The name an object was born with, by serial (undefined for an object the scenario did not create). */
  readonly nameBySerial = (_id: number, serial: number): string | undefined => {
    const n = this.nameOfSerial.get(serial);
    if (n !== undefined) return n;
    // binary search for the chain whose members 1.. hold this serial
    let lo = 0, hi = this.chains.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, c = this.chains[mid];
      if (serial < c.serial0) hi = mid - 1;
      else if (serial >= c.serial0 + c.ids.length) lo = mid + 1;
      else return serial === c.serial0 ? undefined : `${c.name}.${serial - c.serial0}`;
    }
    return undefined;
  };

  /** The object born with this name (it may have died since). */
  lookup(name: string): { id: number; serial: number } | undefined {
    const e = this.byName.get(name);
    if (e) return { ...e };
    const m = /^(.*)\.([1-9]\d*)$/.exec(name);
    const c = m ? this.chainByName.get(m[1]) : undefined;
    const k = m ? Number(m[2]) : 0;
    return c && k < c.ids.length ? { id: c.ids[k], serial: c.serial0 + k } : undefined;
  }

  private get(name: string): number {
    if (!this.bound.has(name)) throw new ScenarioError(`name ${pyRepr(name)} is not bound at run time (a failed "revive"?)`);
    return this.byName.get(name)!.id;
  }

  run(): ScenarioResult {
    const h = this.heap;
    h.disable();
    h.setDebug(0);
    if (this.profile.features.getStats) this.stats0 = this.statsNow();
    this.hooks.beforeOps?.(h, this.nameBySerial);
    this.scn.ops.forEach((op, k) => {
      this.cur = k;
      try {
        this.apply(op);
      } catch (e) {
        throw this.opError(e, k, op.op);
      }
      this.hooks.afterOp?.(h, k, this.events, this.nameBySerial);
    });
    this.hooks.afterOps?.(h, this.nameBySerial);
    h.setDebug(0);
    return { scenario: this.scn.name, python: this.profile.version, events: this.events };
  }

  /** What a refused op k becomes: the op named, the file upstream; a trap stays a bug. */
  private opError(e: unknown, k: number, name: string): unknown {
    if (e instanceof ScenarioError) return new ScenarioError(`op ${k} (${name}): ${e.message}`, undefined, k);
    // the heap refused the op (e.g. a second callback-less weakref)
    if (e instanceof PygcsimError && !(e instanceof SimulatorTrapError)) return new ScenarioError(`op ${k} (${name}): ${e.message}`, undefined, k);
    return e;
  }

  private statsNow(): number[] {
    return this.heap.getStats().flatMap((s) => [s.collections, s.collected, s.uncollectable]);
  }

  private apply(op: Op): void {
    const h = this.heap;
    const s = (k: string) => op[k] as string;
    switch (op.op) {
      case "new": {
        const t = s("type");
        let id: number;
        if (t === "tuple") {
          const items = ((op.items ?? []) as (string | number)[]).map((x) => (typeof x === "string" ? this.get(x) : Heap.INT_LITERAL));
          id = h.newTuple(items);
        } else {
          id = h.newObject(t as PlainType, { resurrect: !!op.resurrect });
        }
        this.register(s("id"), id);
        this.bound.add(s("id"));
        break;
      }
      case "ref":
        h.addRef(this.get(s("from")), this.get(s("to")));
        break;
      case "unref": {
        const from = this.get(s("from"));
        const to = this.byName.get(s("to"))!.id;
        try {
          h.removeRef(from, to);
        } catch (e) {
          if (e instanceof PygcsimError) throw new ScenarioError(`${pyRepr(s("from"))} holds no reference to ${pyRepr(s("to"))} at run time`);
          throw e;
        }
        break;
      }
      case "del":
        // runner.py stores its unbound marker in the name's slot: deleting a
        // name a failed revive left unbound does nothing (del_after_failed_revive)
        if (this.bound.has(s("id"))) h.unbind(this.get(s("id")));
        this.bound.delete(s("id"));
        break;
      case "weakref": {
        const id = h.newWeakref(this.get(s("to")), { callback: !!op.callback });
        this.register(s("id"), id);
        this.bound.add(s("id"));
        break;
      }
      case "incref":
        h.incref(this.get(s("id")));
        break;
      case "probe":
        this.get(s("id"));
        this.probed.add(s("id"));
        break;
      case "alive": {
        const e = this.byName.get(s("id"))!;
        const alive = h.exists(e.id) && h.serial(e.id) === e.serial && !h.wasCleared(e.id);
        this.events.push({ alive: s("id"), value: alive, op: this.cur });
        break;
      }
      case "deref": {
        const target = h.deref(this.get(s("id")));
        this.events.push({ deref: s("id"), value: target === null ? null : this.currentName(target), op: this.cur });
        break;
      }
      case "collect": {
        const gen = (op.gen ?? 2) as number;
        const start = h.garbage.length;
        const n = h.collect(gen);
        const garbage = h.garbage.slice(start).map((id) => this.currentName(id));
        this.events.push({ collect: gen, returned: n, garbage, op: this.cur });
        break;
      }
      case "is_tracked":
        this.events.push({ tracked: s("id"), value: h.isTracked(this.get(s("id"))), op: this.cur });
        break;
      case "is_finalized":
        this.events.push({ is_finalized: s("id"), value: h.isFinalized(this.get(s("id"))), op: this.cur });
        break;
      case "debug":
        h.setDebug((op.flags as string[]).length ? DEBUG_SAVEALL : 0);
        break;
      case "freeze":
        h.freeze();
        break;
      case "unfreeze":
        h.unfreeze();
        break;
      case "stats": {
        const now = this.statsNow();
        const d = now.map((v, k) => v - this.stats0[k]);
        this.events.push({
          stats: [0, 1, 2].map((g) => ({ collections: d[3 * g], collected: d[3 * g + 1], uncollectable: d[3 * g + 2] })),
          op: this.cur,
        });
        break;
      }
      case "chain": {
        const name = s("id");
        const to = op.to as string | undefined;
        const ring = to === name;
        const ids = h.chain(s("type") as "obj", op.length as number, { to: to !== undefined && !ring ? this.get(to) : undefined, ring });
        this.register(name, ids[0]);
        const serial0 = h.serial(ids[0]);
        let consecutive = true;
        for (let k = 1; k < ids.length && consecutive; k++) consecutive = h.serial(ids[k]) === serial0 + k;
        if (consecutive && ids.length > 1) {
          const c = { name, ids: ids.slice(), serial0 };
          this.chains.push(c);
          this.chainByName.set(name, c);
        } else {
          for (let k = 1; k < ids.length; k++) this.register(`${name}.${k}`, ids[k]);
        }
        this.bound.add(name);
        break;
      }
      case "revive": {
        const name = s("id");
        const e = this.byName.get(name)!;
        const from = op.from as "garbage" | "resurrected";
        const list = from === "garbage" ? h.garbage : h.resurrected;
        // the runner looks the object up by name in the list; a reused id with another name does not match
        const found = list.some((id) => id === e.id && this.currentName(id) === name) && h.revive(e.id, from);
        if (found) this.bound.add(name);
        this.events.push({ revived: name, value: found, op: this.cur });
        break;
      }
      case "drop_resurrected":
        h.dropResurrected();
        break;
      case "clear_garbage":
        h.clearGarbage();
        break;
      default:
        throw new ScenarioError(`unknown op ${pyRepr(op.op)}`);
    }
  }
}

/**
 * Runs a parsed scenario under a profile. Skipped when its version range
 * excludes the profile; ScenarioError when it is malformed.
 */
export function runScenario(scn: unknown, python: string | Profile = "3.11",
  options: { stem?: string; build?: BuildKind } = {}): RunOutcome {
  const profile = typeof python === "string" ? getProfile(python) : python;
  const valid = validate(scn, profile, options.stem);
  if (!versionApplies(valid, versionTuple(profile))) {
    return { status: "skipped", reason: `needs Python ${valid.min_python ?? ""}..${valid.max_python ?? ""}` };
  }
  const result = new ScenarioRun(valid, profile, options.build ?? "release").run();
  return { status: "ran", result, text: canonical(result) };
}

/** What runScenarioSession returns: the outcome, plus the heap and the scenario's names. */
export type SessionOutcome =
  | { status: "ran"; result: ScenarioResult; text: string; heap: Heap; nameOf: (id: number, serial: number) => string | undefined; idOf: (name: string) => { id: number; serial: number } | undefined }
  | { status: "skipped"; reason: string };

/**
 * runScenario with access to the scenario's heap and names: hooks run before
 * the first op and after the last (the garbage tracker's region), and the
 * outcome carries the heap and the name of every object (by id and serial;
 * chain members are `id.1`, `id.2` …). The result is the one runScenario
 * records, plus whatever the hooks made happen (events of a hook's collection
 * are recorded under the last op).
 */
export function runScenarioSession(scn: unknown, python: string | Profile = "3.11",
  options: { stem?: string; build?: BuildKind; file?: string } & SessionHooks = {}): SessionOutcome {
  try {
    const profile = typeof python === "string" ? getProfile(python) : python;
    const valid = validate(scn, profile, options.stem);
    if (!versionApplies(valid, versionTuple(profile))) {
      return { status: "skipped", reason: `needs Python ${valid.min_python ?? ""}..${valid.max_python ?? ""}` };
    }
    const run = new ScenarioRun(valid, profile, options.build ?? "release", options);
    const result = run.run();
    return {
      status: "ran", result, text: canonical(result), heap: run.heap,
      nameOf: run.nameBySerial,
      idOf: (name) => run.lookup(name),
    };
  } catch (e) {
    if (e instanceof ScenarioError && options.file) throw new ScenarioError(e.message, options.file, e.opIndex);
    throw e;
  }
}
