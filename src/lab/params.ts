// Parsing "name:key=value:key=value" specs (a list of them is separated by
// commas), with sweeps: "key=a|b|c", "key=lo..hi*factor" (geometric) or
// "key=lo..hi+step" (arithmetic).

import { InvalidArgumentError } from "../errors.js";
import type { ParamSpec } from "./types.js";

export interface Spec {
  name: string;
  values: Record<string, string>;
}

export function parseSpec(text: string, what: string): Spec {
  const i = text.indexOf(":");
  const name = (i < 0 ? text : text.slice(0, i)).trim();
  // no prototype: keys are the user's ("constructor", "__proto__" are just unknown parameters)
  const values: Record<string, string> = Object.create(null);
  if (!name) throw new InvalidArgumentError(`${what}: empty name in ${JSON.stringify(text)}`, "lab");
  if (i >= 0) {
    for (const part of text.slice(i + 1).split(":")) {
      if (!part.trim()) continue;
      const eq = part.indexOf("=");
      if (eq < 0) throw new InvalidArgumentError(`${what} ${name}: "${part}" is not key=value`, "lab");
      values[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  return { name, values };
}

/** The values a sweep expression stands for. */
export function expandValues(expr: string, key: string): string[] {
  if (expr.includes("|")) return expr.split("|").map((s) => s.trim());
  const geo = /^([\d.e+-]+)\.\.([\d.e+-]+)\*([\d.e+-]+)$/.exec(expr);
  const ari = /^([\d.e+-]+)\.\.([\d.e+-]+)\+([\d.e+-]+)$/.exec(expr);
  const m = geo ?? ari;
  if (!m) return [expr];
  const lo = Number(m[1]), hi = Number(m[2]), by = Number(m[3]);
  if (!(by > (geo ? 1 : 0)) || !(lo <= hi) || !Number.isFinite(lo)) throw new InvalidArgumentError(`bad sweep ${key}=${expr}`, "lab");
  const out: string[] = [];
  for (let v = lo; v <= hi * (1 + 1e-12); v = geo ? v * by : v + by) {
    // a sweep was cut at 1,000 values without a word: refuse it instead
    if (out.length === 1000) throw new InvalidArgumentError(`sweep ${key}=${expr} has more than 1,000 values`, "lab");
    out.push(String(+v.toPrecision(12)));
  }
  return out;
}

/** The most combinations one spec's sweeps may make (--shard spreads a big sweep; this bounds what one plan holds). */
export const MAX_COMBINATIONS = 100_000;

/** Every combination of a spec's sweeps, as separate specs. */
export function expandSpec(spec: Spec): Spec[] {
  let combos: Record<string, string>[] = [{}];
  for (const [k, expr] of Object.entries(spec.values)) {
    const vs = expandValues(expr, k);
    // several sweeps multiply: refuse before building millions of specs (memory ran out)
    if (combos.length * vs.length > MAX_COMBINATIONS) {
      throw new InvalidArgumentError(`${spec.name}: the sweeps make more than ${MAX_COMBINATIONS.toLocaleString("en-US")} combinations`, "lab");
    }
    combos = combos.flatMap((c) => vs.map((v) => Object.assign(Object.create(null), c, { [k]: v }) as Record<string, string>));
  }
  return combos.map((values) => ({ name: spec.name, values }));
}

/**
 * Resolves a spec's values against the parameter table: defaults, "size"
 * presets, numbers checked. Unknown keys are errors that list the known ones.
 */
export function resolveParams(spec: Spec, table: Record<string, ParamSpec>, strings: Record<string, { default: string }> = {},
  what = "workload"): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, p] of Object.entries(table)) out[k] = p.default;
  for (const [k, p] of Object.entries(strings)) out[k] = p.default;
  for (const [k, v] of Object.entries(spec.values)) {
    if (k === "size") {
      if (v !== "small" && v !== "medium" && v !== "large") throw new InvalidArgumentError(`${what} ${spec.name}: size must be small, medium or large`, "lab");
      for (const [pk, p] of Object.entries(table)) if (p.sizes) out[pk] = p.sizes[v];
      continue;
    }
    if (Object.hasOwn(strings, k)) { out[k] = v; continue; }
    if (!Object.hasOwn(table, k)) {
      const known = [...Object.keys(table), ...Object.keys(strings), ...(Object.values(table).some((p) => p.sizes) ? ["size"] : [])];
      throw new InvalidArgumentError(`${what} ${spec.name} has no parameter ${k} (known: ${known.join(", ") || "none"})`, "lab");
    }
    const n = v.trim() === "" ? NaN : Number(v);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${what} ${spec.name}: ${k}=${v} is not a number`, "lab");
    out[k] = n;
  }
  for (const [k, p] of Object.entries(table)) checkRange(spec.name, what, k, out[k] as number, p);
  return out;
}

/** A value outside its parameter's range (or a fraction where a count is meant) is refused before any run. */
function checkRange(name: string, what: string, k: string, n: number, p: ParamSpec): void {
  const range = `${p.integer ? "an integer" : "a number"} in ${p.min.toLocaleString("en-US")}..${p.max.toLocaleString("en-US")}`;
  if ((p.integer && !Number.isInteger(n)) || !(n >= p.min && n <= p.max)) {
    throw new InvalidArgumentError(`${what} ${name}: ${k}=${n} is out of range (${range})`, "lab");
  }
}

/** "0..16, integer" — a parameter's range, for `pygcsim lab list`. */
export function rangeText(p: ParamSpec): string {
  return `${p.integer ? "integer " : ""}${p.min.toLocaleString("en-US")}..${p.max.toLocaleString("en-US")}`;
}

/** "memory(limitKiB=256)" — only the values that differ from the defaults. */
export function label(name: string, values: Record<string, number | string>, table: Record<string, ParamSpec>): string {
  const diff = Object.entries(values).filter(([k, v]) => !Object.hasOwn(table, k) || table[k].default !== v);
  return diff.length ? `${name}(${diff.map(([k, v]) => `${k}=${v}`).join(",")})` : name;
}
