// Static validation of a scenario (docs/scenario-format.md), a port of
// runner.py's validate(): every error names the op index, the op and the field,
// with the runner's wording, before anything runs.

import { ScenarioError } from "../errors.js";
import type { Profile } from "../profiles.js";
import { versionTuple } from "../profiles.js";

export interface Op {
  op: string;
  [field: string]: unknown;
}
export interface Scenario {
  name: string;
  description: string;
  seed_ref?: string;
  min_python?: string;
  max_python?: string;
  notes?: string;
  ops: Op[];
}

const NSLOTS = 16;
const TYPES = ["obj", "fin", "list", "dict", "tuple", "int", "str"];
const CONTAINERS = ["obj", "fin", "list", "dict"];
const WEAKREFABLE = ["obj", "fin"];
const CHAIN_TYPES = ["obj", "fin", "list", "dict", "tuple"];
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SCENARIO_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;
const TOP_KEYS = ["name", "description", "seed_ref", "min_python", "max_python", "ops", "notes"];

export const OP_KEYS: Record<string, [string[], string[]]> = {
  new: [["id", "type"], ["resurrect", "items", "value"]],
  ref: [["from", "to"], []],
  unref: [["from", "to"], []],
  del: [["id"], []],
  weakref: [["id", "to"], ["callback"]],
  probe: [["id"], []],
  alive: [["id"], []],
  deref: [["id"], []],
  incref: [["id"], []],
  collect: [[], ["gen"]],
  is_tracked: [["id"], []],
  is_finalized: [["id"], []],
  debug: [["flags"], []],
  freeze: [[], []],
  unfreeze: [[], []],
  stats: [[], []],
  chain: [["id", "type", "length"], ["to"]],
  revive: [["id", "from"], []],
  drop_resurrected: [[], []],
  clear_garbage: [[], []],
};

/** Longest repr a message shows (hostile input can hold megabytes in one field). */
const REPR_MAX = 200;

/**
 * Python's repr of a JSON value, as the runner's messages show it; nested
 * values deeper than 8 levels show as [...] / {...} (no recursion on hostile
 * nesting), and a repr longer than 200 characters is cut with "...".
 */
export function pyRepr(v: unknown): string {
  const r = reprAt(v, 0);
  return r.length > REPR_MAX ? r.slice(0, REPR_MAX - 3) + "..." : r;
}

function reprAt(v: unknown, depth: number): string {
  if (typeof v === "string") {
    const t = v.length > REPR_MAX ? v.slice(0, REPR_MAX) : v;
    return t.includes("'") && !t.includes('"') ? `"${t}"` : `'${t.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  }
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (Array.isArray(v)) return depth >= 8 ? "[...]" : `[${v.slice(0, 50).map((x) => reprAt(x, depth + 1)).join(", ")}${v.length > 50 ? ", ..." : ""}]`;
  if (typeof v === "object") {
    if (depth >= 8) return "{...}";
    const es = Object.entries(v as object);
    return `{${es.slice(0, 50).map(([k, x]) => `${reprAt(k, depth + 1)}: ${reprAt(x, depth + 1)}`).join(", ")}${es.length > 50 ? ", ..." : ""}}`;
  }
  return String(v);
}

const isStr = (x: unknown): x is string => typeof x === "string";
const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);

export function parseVersion(text: unknown, what: string): number[] {
  if (!isStr(text) || !/^\d+(\.\d+){0,2}$/.test(text)) {
    throw new ScenarioError(`${what} must be a version string like "3.4", got ${pyRepr(text)}`);
  }
  return text.split(".").map(Number);
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

/** Whether min_python/max_python admit this version (compared truncated to the bound's length). */
export function versionApplies(scn: { min_python?: string; max_python?: string }, vi: number[]): boolean {
  if (scn.min_python !== undefined) {
    const v = parseVersion(scn.min_python, "min_python");
    if (cmp(vi.slice(0, v.length), v) < 0) return false;
  }
  if (scn.max_python !== undefined) {
    const v = parseVersion(scn.max_python, "max_python");
    if (cmp(vi.slice(0, v.length), v) > 0) return false;
  }
  return true;
}

/**
 * Checks a parsed scenario against the format and the profile's features.
 * Returns the names it binds, in creation order. Throws ScenarioError.
 */
export function validate(scn: unknown, profile: Profile, stem?: string): Scenario {
  if (typeof scn !== "object" || scn === null || Array.isArray(scn)) throw new ScenarioError("scenario must be a JSON object");
  const s = scn as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (!TOP_KEYS.includes(k)) throw new ScenarioError(`unknown top-level key ${pyRepr(k)} (allowed: ${TOP_KEYS.join(", ")})`);
  }
  if (!isStr(s.name) || !SCENARIO_NAME_RE.test(s.name)) throw new ScenarioError(`"name" must match [a-z0-9][a-z0-9_-]*, got ${pyRepr(s.name)}`);
  if (stem !== undefined && stem !== s.name) throw new ScenarioError(`"name" ${pyRepr(s.name)} must equal the file name ${pyRepr(stem)}`);
  for (const k of ["description", "seed_ref", "notes"]) {
    if (Object.hasOwn(s, k) && !isStr(s[k])) throw new ScenarioError(`${pyRepr(k)} must be a string`);
  }
  if (!isStr(s.description)) throw new ScenarioError('"description" (a string) is required');
  for (const k of ["min_python", "max_python"]) if (Object.hasOwn(s, k)) parseVersion(s[k], k);
  const applies = versionApplies(s as { min_python?: string; max_python?: string }, versionTuple(profile));
  const ops = s.ops;
  if (!Array.isArray(ops) || ops.length === 0) throw new ScenarioError('"ops" must be a non-empty list');

  const kinds = new Map<string, string>();
  const res = new Map<string, boolean>();
  const bound = new Set<string>();
  const refs = new Map<string, number>();
  const outRefs = new Map<string, number>();
  const probed = new Set<string>();
  const key = (a: string | null, b: string) => `${a ?? "\0"}\u0001${b}`;

  ops.forEach((opRaw, i) => {
    if (typeof opRaw !== "object" || opRaw === null || Array.isArray(opRaw)) {
      throw new ScenarioError(`op ${i}: must be a JSON object`, undefined, i);
    }
    const op = opRaw as Record<string, unknown>;
    const kind = op.op;
    const fail = (msg: string): never => {
      throw new ScenarioError(`op ${i} (${isStr(kind) ? kind : "?"}): ${msg}`, undefined, i);
    };
    // own keys only: "constructor", "toString", "__proto__" are not ops
    if (!isStr(kind) || !Object.hasOwn(OP_KEYS, kind)) {
      throw new ScenarioError(`op ${i}: unknown op ${pyRepr(kind)} (known: ${Object.keys(OP_KEYS).sort().join(", ")})`, undefined, i);
    }
    const [req, opt] = OP_KEYS[kind];
    for (const k of req) if (!Object.hasOwn(op, k)) fail(`missing "${k}"`);
    for (const k of Object.keys(op)) {
      if (!req.includes(k) && !opt.includes(k) && k !== "op" && k !== "comment") fail(`unknown field ${pyRepr(k)}`);
    }
    const needName = (k: string, mustBeBound = true): string => {
      const v = op[k];
      if (!isStr(v)) fail(`"${k}" must be a name (string), got ${pyRepr(v)}`);
      const name = v as string;
      if (!kinds.has(name)) fail(`unknown name ${pyRepr(name)} in "${k}"`);
      if (mustBeBound && !bound.has(name)) fail(`name ${pyRepr(name)} in "${k}" is not bound (deleted earlier?)`);
      return name;
    };
    const newName = (k = "id"): string => {
      const v = op[k];
      if (!isStr(v) || !NAME_RE.test(v)) fail(`"${k}" must be an identifier-like name, got ${pyRepr(v)}`);
      const name = v as string;
      if (kinds.has(name)) fail(`name ${pyRepr(name)} is already used in this scenario (names are never reused)`);
      bound.add(name);
      return name;
    };
    const addRef = (frm: string, to: string | null) => {
      refs.set(key(frm, to ?? ""), (refs.get(key(frm, to ?? "")) ?? 0) + 1);
      outRefs.set(frm, (outRefs.get(frm) ?? 0) + 1);
      const k = kinds.get(frm);
      if ((k === "obj" || k === "fin") && outRefs.get(frm)! > NSLOTS) {
        fail(`${pyRepr(frm)} has no free slot (an obj/fin holds at most ${NSLOTS} references)`);
      }
    };

    switch (kind) {
      case "new": {
        const t = op.type;
        if (!isStr(t) || !TYPES.includes(t)) fail(`bad type ${pyRepr(t)} (one of: ${TYPES.join(", ")})`);
        if (Object.hasOwn(op, "resurrect") && (t !== "fin" || typeof op.resurrect !== "boolean")) fail('"resurrect" (true/false) is only for type "fin"');
        if (Object.hasOwn(op, "items") && t !== "tuple") fail('"items" is only for type "tuple"');
        if (Object.hasOwn(op, "value")) {
          if (t === "int" && !isInt(op.value)) fail('"value" of an int must be an integer');
          else if (t === "str" && !isStr(op.value)) fail('"value" of a str must be a string');
          else if (t !== "int" && t !== "str") fail('"value" is only for types "int" and "str"');
        }
        const items = (op.items ?? []) as unknown[];
        if (t === "tuple") {
          if (!Array.isArray(items)) fail('"items" must be a list of names or integers');
          for (const it of items) {
            if (isStr(it)) { if (!bound.has(it)) fail(`unknown or unbound name ${pyRepr(it)} in "items"`); }
            else if (!isInt(it)) fail(`tuple items must be names or integers, got ${pyRepr(it)}`);
          }
        }
        const n = newName();
        kinds.set(n, t as string);
        res.set(n, !!op.resurrect);
        for (const it of items) if (isStr(it)) addRef(n, it);
        break;
      }
      case "chain": {
        const t = op.type;
        if (!isStr(t) || !CHAIN_TYPES.includes(t)) fail(`bad chain type ${pyRepr(t)} (one of: ${CHAIN_TYPES.join(", ")})`);
        const length = op.length;
        if (!isInt(length) || length < 1 || length > 1000000) fail('"length" must be an integer in 1..1000000');
        let to = op.to as string | undefined;
        if (to !== undefined) {
          if (to === op.id) { if (t === "tuple") fail("a tuple chain cannot be closed into a ring"); }
          else to = needName("to");
        }
        const n = newName();
        kinds.set(n, t as string);
        res.set(n, false);
        if ((length as number) > 1) addRef(n, null);
        if (to !== undefined) {
          if (length === 1) addRef(n, to);
          else refs.set(key(null, to), (refs.get(key(null, to)) ?? 0) + 1);
        }
        break;
      }
      case "ref":
      case "unref": {
        const frm = needName("from");
        const to = needName("to", kind === "ref");
        if (!CONTAINERS.includes(kinds.get(frm)!)) fail(`"from" ${pyRepr(frm)} is a ${kinds.get(frm)}; only ${CONTAINERS.join("/")} hold references`);
        if (kind === "ref") addRef(frm, to);
        else {
          if ((refs.get(key(frm, to)) ?? 0) <= 0) fail(`${pyRepr(frm)} holds no reference to ${pyRepr(to)}`);
          refs.set(key(frm, to), refs.get(key(frm, to))! - 1);
          outRefs.set(frm, outRefs.get(frm)! - 1);
        }
        break;
      }
      case "del":
        bound.delete(needName("id"));
        break;
      case "weakref": {
        const to = needName("to");
        if (!WEAKREFABLE.includes(kinds.get(to)!)) fail(`cannot weakly reference a ${kinds.get(to)} (only ${WEAKREFABLE.join("/")})`);
        if (Object.hasOwn(op, "callback") && typeof op.callback !== "boolean") fail('"callback" must be true or false');
        kinds.set(newName(), "weakref");
        break;
      }
      case "probe": {
        const n = needName("id");
        if (!WEAKREFABLE.includes(kinds.get(n)!)) fail(`cannot probe a ${kinds.get(n)}: only ${WEAKREFABLE.join("/")} objects carry the hidden witness slot a probe needs`);
        if (probed.has(n)) fail(`${pyRepr(n)} is already probed`);
        probed.add(n);
        break;
      }
      case "alive":
        if (!isStr(op.id) || !probed.has(op.id)) fail(`name ${pyRepr(op.id)} has no probe (add a "probe" op first)`);
        break;
      case "deref": {
        const n = needName("id");
        if (kinds.get(n) !== "weakref") fail(`${pyRepr(n)} is a ${kinds.get(n)}, not a weakref`);
        break;
      }
      case "incref":
      case "is_tracked":
        needName("id");
        break;
      case "is_finalized":
        needName("id");
        if (applies && !profile.features.isFinalized) fail('gc.is_finalized needs Python 3.9+ (set "min_python")');
        break;
      case "collect": {
        const g = op.gen ?? 2;
        if (!isInt(g) || g < 0 || g > 2) fail('"gen" must be 0, 1 or 2');
        break;
      }
      case "debug": {
        const fl = op.flags;
        if (!Array.isArray(fl) || fl.some((f) => f !== "SAVEALL")) fail('"flags" must be [] or ["SAVEALL"]');
        break;
      }
      case "freeze":
      case "unfreeze":
        if (applies && !profile.features.freeze) fail(`gc.${kind} needs Python 3.7+ (set "min_python")`);
        break;
      case "stats":
        if (applies && !profile.features.getStats) fail('gc.get_stats needs Python 3.4+ (set "min_python")');
        break;
      case "revive": {
        const src = op.from;
        if (src !== "resurrected" && src !== "garbage") fail('"from" must be "resurrected" or "garbage"');
        const n = op.id;
        if (!isStr(n) || !kinds.has(n)) fail(`unknown name ${pyRepr(n)}`);
        if (bound.has(n as string)) fail(`name ${pyRepr(n)} is still bound`);
        if (src === "resurrected" && !res.get(n as string)) fail(`${pyRepr(n)} is not a fin with "resurrect": true`);
        bound.add(n as string);
        break;
      }
    }
  });
  return s as unknown as Scenario;
}

/** Objects a scenario creates (new, weakref, chain lengths), counted before validation: malformed ops count 1. */
export function objectsCreated(scn: unknown): number {
  const ops = scn !== null && typeof scn === "object" ? (scn as { ops?: unknown }).ops : undefined;
  if (!Array.isArray(ops)) return 0;
  let n = 0;
  for (const op of ops) {
    if (op === null || typeof op !== "object") continue;
    const o = op as { op?: unknown; length?: unknown };
    if (o.op === "chain") n += typeof o.length === "number" && Number.isInteger(o.length) && o.length > 0 ? Math.min(o.length, 1_000_000) : 1;
    else if (o.op === "new" || o.op === "weakref") n++;
  }
  return n;
}
