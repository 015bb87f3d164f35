// A scenario, op by op: the op list, the heap after the current op (the
// generations as CPython's lists, in order), the collection's stages, the
// selected object (why alive, its cycle, its retained size), a second
// profile side by side with the first event where the two disagree.

import { runScenarioSession, type SessionOutcome } from "../../scenario/run.js";
import type { StageSnapshot } from "../../heap/stages.js";
import { firstDivergence, recordScenario, type Frame, type ObjectView, type Recording } from "../frames.js";
import { describeEvent, describeOp } from "./describe-op.js";
import { h } from "./dom.js";
import { GcListObject } from "../../wasm/status.js";

type Rec = Record<string, unknown>;

export interface ScenarioState {
  scenario: { name: string; ops: Rec[] } & Rec;
  a: Recording;
  b: Recording | null;
  /** Frame index: 0 is before the first op, k is after op k-1. */
  frame: number;
  stage: number;
  selected: string | null;
  divergence: number | null;
  /** The heap after one frame's op, kept while that frame is shown (the object panel's analyses). */
  heapCache?: { frame: number; outcome: SessionOutcome };
}

export function openScenario(scenario: unknown, python: string, compare: string | null): ScenarioState {
  const a = recordScenario(scenario, python);
  const b = compare ? recordScenario(scenario, compare, { report: false }) : null; // (the page shows the first profile's report)
  const divergence = b ? firstDivergence(a.events, b.events) : null;
  return { scenario: scenario as ScenarioState["scenario"], a, b, frame: 0, stage: 0, selected: null, divergence };
}

/** Shows frame f (clamped), from its first stage. */
export function goTo(st: ScenarioState, f: number, redraw: () => void): void {
  st.frame = Math.max(0, Math.min(st.a.frames.length - 1, f));
  st.stage = 0;
  redraw();
}

export function renderScenario(root: HTMLElement, st: ScenarioState, redraw: () => void): void {
  const n = st.a.frames.length - 1;
  const go = (f: number) => goTo(st, f, redraw);
  const divergeOp = st.divergence === null ? null : (st.a.events[st.divergence] ?? st.b!.events[st.divergence]).op;
  const controls = h("div", { class: "controls" },
    h("button", { "data-testid": "first", title: "before the first op", onclick: () => go(0) }, "|◀"),
    h("button", { "data-testid": "back", title: "one op back (←)", onclick: () => go(st.frame - 1) }, "◀"),
    h("button", { "data-testid": "forward", title: "one op forward (→)", onclick: () => go(st.frame + 1) }, "▶"),
    h("button", { "data-testid": "last", title: "after the last op", onclick: () => go(n) }, "▶|"),
    h("button", { "data-testid": "next-collection", title: "to the next op that collects", onclick: () => {
      const k = st.a.frames.findIndex((f, i) => i > st.frame && f.stages.length > 0);
      if (k > 0) go(k);
    } }, "next gc"),
    h("span", { class: "where", "data-testid": "where" }, st.frame === 0 ? `before op 0 of ${n}` : `after op ${st.frame - 1} of ${n}`),
  );
  const ops = h("ol", { class: "ops", start: "0", "data-testid": "ops" }, st.scenario.ops.map((op, i) => {
    const frame = st.a.frames[i + 1];
    return h("li", {
      class: [i + 1 === st.frame ? "current" : "", i + 1 <= st.frame ? "done" : "todo", divergeOp === i ? "diverges" : ""].join(" "),
      onclick: () => go(i + 1),
    }, describeOp(op), frame.events.map((e) => h("span", { class: "ev" }, describeEvent(e))));
  }));
  const left = h("div", { class: "panel" }, h("h2", {}, st.scenario.name), h("p", { class: "muted" }, String(st.scenario.description ?? "")), controls, ops);

  const frameA = st.a.frames[st.frame];
  const center = h("div", {},
    st.b ? h("div", { class: "compare" }, heapPanel(st.a, frameA, st), heapPanel(st.b, st.b.frames[st.frame], st)) : heapPanel(st.a, frameA, st),
    st.b ? divergencePanel(st, divergeOp) : null,
    frameA.stages.length ? stagesPanel(frameA.stages, st, frameA, redraw) : null,
  );
  const right = h("div", {}, objectPanel(st), h("div", { class: "panel" }, h("h2", {}, "Tracker report (the whole run)"), h("pre", { "data-testid": "tracker-report" }, st.a.report)));
  root.replaceChildren(h("div", { class: "scenario" }, left, center, right));

  function heapPanel(rec: Recording, frame: Frame, state: ScenarioState): HTMLElement {
    const byId = new Map((frame.objects ?? []).map((o) => [o.id, o]));
    const title = h("h2", {}, `Python ${rec.python}`, h("span", { class: "muted" }, ` · ${frame.liveObjects} objects · count ${frame.counts.join("/")}${frame.freezeCount ? ` · ${frame.freezeCount} frozen` : ""}`));
    if (!frame.objects) {
      return h("div", { class: "panel", "data-testid": `heap-${rec.python}` }, title,
        h("p", { class: "muted" }, "A large heap: objects by list and type."),
        h("table", { "data-testid": "aggregate" }, h("tr", {}, h("th", {}, "list"), h("th", {}, "type"), h("th", { class: "num" }, "objects")),
          (frame.aggregate ?? []).map((a) => h("tr", {}, h("td", {}, a.list), h("td", {}, a.type), h("td", { class: "num" }, a.count.toLocaleString("en-US"))))));
    }
    const column = (name: string, objs: ObjectView[]) => h("div", { class: "list", "data-list": name },
      h("div", { class: "title" }, name, h("span", { class: "n" }, ` (${objs.length})`)), objs.map((o) => card(o, state, byId)));
    const cols = frame.lists.map((l) => column(l.name, l.ids.map((id) => byId.get(id)).filter((o): o is ObjectView => !!o)));
    // gc.freeze()'s objects, then those no gc list holds
    const frozen = frame.objects.filter((o) => o.list === "permanent");
    if (frozen.length) cols.push(column("permanent", frozen));
    const listed = new Set(frame.lists.flatMap((l) => l.ids)); // (gc.garbage may hold an untracked object)
    const untracked = frame.objects.filter((o) => !o.tracked && !listed.has(o.id));
    if (untracked.length) cols.push(column("untracked", untracked));
    return h("div", { class: "panel", "data-testid": `heap-${rec.python}` }, title, h("div", { class: "lists" }, cols));
  }

  function card(o: ObjectView, state: ScenarioState, byId: Map<number, ObjectView>): HTMLElement {
    return h("div", {
      class: `card${state.selected === o.name ? " selected" : ""}`, "data-name": o.name, "data-refcount": o.refcount,
      onclick: () => { state.selected = o.name; redraw(); },
    },
    h("span", { class: "name" }, o.name), " ", h("span", { class: "type" }, o.type), " rc ", h("b", {}, o.refcount),
    o.roots ? h("span", { class: "badge root", title: "root bindings (names)" }, `root×${o.roots}`) : null,
    o.leaks ? h("span", { class: "badge leak", title: "leaked references (incref)" }, `leak×${o.leaks}`) : null,
    o.type === "fin" ? h("span", { class: "badge del", title: "has __del__" }, "__del__") : null,
    o.finalized ? h("span", { class: "badge fin", title: "tp_finalize ran" }, "finalized") : null,
    o.weakrefTarget !== undefined ? h("span", { class: "badge", title: "weak reference" }, o.weakrefTarget === null ? "→ dead" : `→ ${byId.get(o.weakrefTarget)?.name ?? `#${o.weakrefTarget}`}`) : null);
  }
}

function divergencePanel(st: ScenarioState, op: number | null): HTMLElement {
  const b = st.b!;
  if (st.divergence === null) return h("div", { class: "panel", "data-testid": "divergence" }, `Python ${st.a.python} and ${b.python} record the same events.`);
  const ea = st.a.events[st.divergence], eb = b.events[st.divergence];
  return h("div", { class: "panel", "data-testid": "divergence" },
    h("span", { class: "divergence" }, `First difference: event ${st.divergence}, op ${op}`),
    h("pre", {}, `${st.a.python}: ${ea ? describeEvent(ea) : "(no event)"}\n${b.python}: ${eb ? describeEvent(eb) : "(no event)"}`));
}

/** The engine's own tracked objects (assembly/common.ts): real list objects in CPython too. */
const INTERNAL: Record<number, string> = { [GcListObject.GARBAGE_LIST]: "gc.garbage (its list)", [GcListObject.RESURRECTED_LIST]: "the resurrection list" };

function stagesPanel(stages: StageSnapshot[], st: ScenarioState, frame: Frame, redraw: () => void): HTMLElement {
  const cur = stages[Math.min(st.stage, stages.length - 1)];
  const names = new Map((frame.objects ?? []).map((o) => [o.id, o.name]));
  // objects freed by the collection are gone from the frame: the frame before names them
  for (const o of st.a.frames[st.frame - 1]?.objects ?? []) if (!names.has(o.id)) names.set(o.id, o.name);
  const label = (s: StageSnapshot) => `${s.withinResurrectionCheck ? "↻ " : ""}${s.stage}`;
  return h("div", { class: "panel stages", "data-testid": "stages" },
    h("h2", {}, `The collection, stage by stage (${stages.length} stages)`),
    h("div", { class: "tabs" }, stages.map((s, i) => h("button", {
      class: i === st.stage ? "current" : "", "data-stage": s.stage, onclick: () => { st.stage = i; redraw(); },
    }, label(s)))),
    h("div", { class: "desc", "data-testid": "stage-description" }, cur.description, cur.withinResurrectionCheck ? " (inside handle_resurrected_objects)" : ""),
    h("div", { class: "lists" }, cur.lists.map((l) => h("div", { class: "list", "data-list": l.name },
      h("div", { class: "title" }, l.name, h("span", { class: "n" }, ` (${l.size})`), l.name === cur.examined ? h("span", { class: "badge" }, "examined") : null),
      l.members.map((m) => h("div", { class: "card", "data-name": names.get(m.id) ?? `#${m.id}`, "data-gc-refs": m.gcRefs },
        h("span", { class: "name" }, names.get(m.id) ?? INTERNAL[m.id] ?? `#${m.id}`),
        m.collecting ? ` gc_refs ${m.gcRefs}` : "", ` rc ${m.refcount}`,
        m.collecting ? h("span", { class: "badge c", title: "COLLECTING" }, "C") : null,
        m.unreachable ? h("span", { class: "badge u", title: "UNREACHABLE" }, "U") : null)),
      l.members.length < l.size ? h("div", { class: "muted" }, `… ${l.size - l.members.length} more`) : null))),
  );
}

/** The heap as it is after frame k's op (a run of the ops up to it, k ≥ 1): for the analyses, made once per frame shown. */
function heapAt(st: ScenarioState, frame: number): SessionOutcome {
  if (st.heapCache?.frame !== frame) {
    st.heapCache = { frame, outcome: runScenarioSession({ ...st.scenario, ops: st.scenario.ops.slice(0, frame) }, st.a.python) };
  }
  return st.heapCache.outcome;
}

function objectPanel(st: ScenarioState): HTMLElement {
  const panel = h("div", { class: "panel", "data-testid": "object" }, h("h2", {}, "Selected object"));
  const o = st.selected ? st.a.frames[st.frame].objects?.find((x) => x.name === st.selected) : undefined;
  if (!o) {
    panel.append(h("p", { class: "muted" }, st.selected ? `${st.selected} is not alive after this op.` : "Click an object."));
    return panel;
  }
  panel.append(h("table", {},
    ...[["name", o.name], ["type", o.type], ["id", o.id], ["refcount", o.refcount], ["root bindings", o.roots], ["leaked refs", o.leaks],
      ["tracked", o.tracked ? `yes (${o.list})` : "no"], ["finalized", o.finalized ? "yes" : "no"],
      ["references", o.references]].map(([k, v]) => h("tr", {}, h("th", {}, String(k)), h("td", {}, String(v))))));
  if (st.frame === 0) return panel;
  let outcome: SessionOutcome;
  try {
    outcome = heapAt(st, st.frame);
  } catch (e) {
    panel.append(h("p", { class: "error" }, (e as Error).message));
    return panel;
  }
  if (outcome.status !== "ran") return panel;
  const heap = outcome.heap;
  const name = (id: number) => outcome.status === "ran" ? outcome.nameOf(id, heap.serial(id)) ?? `?${heap.typeOf(id)}` : String(id);
  const why = heap.analysis.whyAlive(o.id);
  const itself = o.roots ? "a name binds it (a root)" : o.leaks ? "a leaked reference holds it (a buggy C extension)"
    : "gc.garbage or the resurrection list holds it";
  panel.append(h("h3", {}, "Why it is alive"), h("p", { "data-testid": "why-alive" },
    why === null ? "Nothing reaches it from a root: it is garbage a collection would find."
      : why.length === 1 ? `It is a source itself: ${itself}.` : why.map(name).join(" → ")));
  const cycle = heap.analysis.cycles(heap.liveIds()).find((c) => c.includes(o.id));
  panel.append(h("h3", {}, "Its cycle"), h("p", { "data-testid": "cycle" }, cycle ? [...cycle, cycle[0]].map(name).join(" → ") : "It is in no cycle."));
  const retained = heap.analysis.retainedSize(o.id);
  panel.append(h("h3", {}, "Retained size"), h("p", { "data-testid": "retained" },
    retained === null ? "Not reachable from a root." : `${retained} bytes: what freeing it would free (it dominates them).`));
  return panel;
}
