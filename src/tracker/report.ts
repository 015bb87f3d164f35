// The tracker's readable report, after Yagot's assert_message: a header line,
// then one numbered line per object (type, name or id, what it refers to) and
// under it why it is there: the cycle it was in, or the chain of references
// that keeps it alive from a leak, gc.garbage, the resurrection list or a
// frozen object.

import type { Category, Chain, CycleRef, Finding, ObjectRef, TrackerResult, Why } from "./tracker.js";

const ALL: readonly Category[] = ["collected", "uncollectable", "leaked", "resurrected", "frozen", "pending"];
const LEAKS: readonly Category[] = ["uncollectable", "leaked", "frozen"];

const SECTION: Record<Category, string> = {
  collected: "collected — cyclic garbage the collector had to free",
  uncollectable: "uncollectable — in gc.garbage, or kept alive only by it",
  leaked: "leaked — alive, unreachable from every root, kept by leaked references",
  resurrected: "resurrected — alive only through the resurrection list",
  frozen: "frozen — alive only because gc.freeze() hid them from the collector",
  pending: "pending — unreachable garbage the closing collection left alive (a resurrection kept its batch)",
};

export interface ReportOptions {
  /** What created the objects: a test or function name ("module::test"). */
  location?: string;
  /** At most this many objects are listed (default 10). */
  max?: number;
  /** Only what no collection will free: uncollectable, leaked, frozen. */
  leaksOnly?: boolean;
  /** Chains longer than this many objects are shortened in the middle (default 9). */
  maxPath?: number;
}

/** `fin a` with a name, `fin 17` without. */
export function label(o: ObjectRef): string {
  return `${o.type} ${o.name ?? o.id}`;
}

const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;

/**
 * Labels joined as `a → b → c`; `omitted` unnamed objects sit between the
 * first and the second; past maxPath objects the middle is elided.
 */
function joinPath(labels: readonly string[], omitted: number, maxPath: number): string {
  const total = labels.length + omitted;
  if (total <= maxPath && !omitted) return labels.join(" → ");
  const head = omitted ? 1 : Math.ceil((maxPath - 1) / 2);
  const tail = Math.max(1, Math.min(maxPath - 1 - head, labels.length - head));
  const middle = total - head - tail;
  return [...labels.slice(0, head), ...(middle > 0 ? [`… ${middle} more …`] : []), ...labels.slice(labels.length - tail)].join(" → ");
}

/** A chain as `a → b → c`, its middle elided past maxPath objects. */
export function formatPath(path: readonly ObjectRef[], maxPath = 9, first?: (o: ObjectRef) => string, omitted = 0): string {
  return joinPath(path.map((o, i) => (i === 0 && first ? first(o) : label(o))), omitted, maxPath);
}

export function formatChain(chain: Chain, maxPath = 9, first?: (o: ObjectRef) => string): string {
  return formatPath(chain.path, maxPath, first, chain.omitted);
}

/** A cycle from the object round to itself (or the shared cycle of a large component, when it misses the object). */
export function formatCycle(c: CycleRef, maxPath = 9): string {
  const open = c.path.slice(0, -1);
  const len = open.length;
  if (c.position < 0) {
    return `one of ${c.componentSize} strongly connected objects; a cycle among them: ${formatPath(c.path, maxPath)}`;
  }
  const rotated = [...open.slice(c.position), ...open.slice(0, c.position), open[c.position]];
  const more = c.componentSize > len ? ` (${c.componentSize} objects were strongly connected)` : "";
  return `${formatPath(rotated, maxPath)}${more}`;
}

/** `→ obj b, list c` (the first 6), or `→ nothing`. */
export function formatReferents(refs: readonly ObjectRef[]): string {
  if (!refs.length) return "→ nothing";
  const shown = refs.slice(0, 6).map(label).join(", ");
  return `→ ${shown}${refs.length > 6 ? `, … (${refs.length} references)` : ""}`;
}

/** Yagot's format_obj: the object, what it refers to, and what the heap knows of it. */
export function formatObject(f: Finding): string {
  const notes: string[] = [];
  if (f.type === "fin" && f.finalized) notes.push("__del__ ran");
  if (f.inGarbage) notes.push("in gc.garbage");
  if (f.refcount !== undefined) {
    notes.push(f.leakedRefs ? `refcount ${f.refcount}, ${plural(f.leakedRefs, "leaked reference")}` : `refcount ${f.refcount}`);
  }
  return `${label(f)} ${formatReferents(f.referents)}${notes.length ? `  (${notes.join("; ")})` : ""}`;
}

/** The why line of a finding. */
export function formatWhy(why: Why, maxPath = 9): string {
  switch (why.kind) {
    case "cycle":
      return `cycle: ${formatCycle(why.cycle, maxPath)}`;
    case "held-by-cycle":
      return `held only by a cycle: ${formatChain(why.chain, maxPath)}`;
    case "leak":
      return why.chain.path.length === 1
        ? `kept alive by ${plural(why.leakedRefs, "leaked reference")} to it (incref)`
        : `kept alive by a leaked reference: ${formatChain(why.chain, maxPath, (o) => `${label(o)} (${plural(why.leakedRefs, "leaked reference")})`)}`;
    case "garbage":
      return `kept alive by gc.garbage: gc.garbage → ${formatChain(why.chain, maxPath)}`;
    case "resurrected":
      return `kept alive by the resurrection list: resurrected → ${formatChain(why.chain, maxPath)}`;
    case "frozen":
      return `hidden from the collector by gc.freeze(): ${formatChain(why.chain, maxPath, (o) => `${label(o)} (frozen)`)}`;
    default:
      return "why: not found";
  }
}

/**
 * The report: a header ("There were N objects left behind by LOCATION …"),
 * then per category a title and, for each object, a numbered line and a why line.
 */
export function formatReport(result: TrackerResult, options: ReportOptions = {}): string {
  const cats = options.leaksOnly ? LEAKS : ALL;
  const max = options.max ?? 10;
  const where = options.location ? `by ${options.location}` : "in the tracked region";
  const total = cats.reduce((n, c) => n + result[c].length, 0);
  const lines: string[] = [];
  if (result.ignored) {
    lines.push(`The tracked region ${options.location ? `of ${options.location} ` : ""}was ignored (Python ${result.python}).`);
  } else if (total === 0) {
    const what = options.leaksOnly ? "uncollectable or leaked" : "collected, uncollectable or leaked";
    lines.push(`No garbage: nothing ${what} was created ${where} (Python ${result.python}).`);
  } else {
    const counts = cats.filter((c) => result[c].length || c === "collected" || c === "uncollectable" || c === "leaked")
      .map((c) => `${result[c].length} ${c}`);
    lines.push(`There ${total === 1 ? "was" : "were"} ${plural(total, "garbage object")} created ${where} (Python ${result.python}): ${counts.join(", ")}`);
    let n = 0;
    for (const c of cats) {
      if (!result[c].length) continue;
      if (n >= max) break;
      lines.push(`${SECTION[c]}:`);
      for (const f of result[c]) {
        if (n >= max) break;
        n++;
        lines.push(`  ${n}: ${formatObject(f)}`);
        const indent = `  ${" ".repeat(String(n).length)}  `;
        lines.push(indent + formatWhy(f.why, options.maxPath));
        if (f.cycle) lines.push(`${indent}in a cycle: ${formatCycle(f.cycle, options.maxPath)}`);
      }
    }
    if (total > n) lines.push(`… ${total - n} more not shown`);
  }
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  return lines.join("\n");
}
