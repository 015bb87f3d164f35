// Scenario ops and events as one short line each (the explorer's op list).

type Rec = Record<string, unknown>;

export function describeOp(op: Rec): string {
  const s = (k: string) => String(op[k]);
  switch (op.op) {
    case "new": return `${s("id")} = ${s("type")}()${op.resurrect ? " (resurrects)" : ""}`;
    case "ref": return `${s("from")} → ${s("to")}`;
    case "unref": return `${s("from")} ↛ ${s("to")}`;
    case "del": return `del ${s("id")}`;
    case "collect": return `gc.collect(${op.gen ?? 2})`;
    case "weakref": return `${s("id")} = weakref(${s("target")}${op.callback ? ", callback" : ""})`;
    case "chain": return `${s("id")} = chain of ${s("length")} ${s("type")}`;
    default: {
      const rest = Object.entries(op).filter(([k]) => k !== "op").map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
      return `${s("op")} ${rest}`;
    }
  }
}

export function describeEvent(e: Rec): string {
  const rest = Object.entries(e).filter(([k]) => k !== "op").map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return rest.join(", ");
}
