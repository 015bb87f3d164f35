// `pygcsim graph SCENARIO.json`: runs a scenario (or its first ops, --at) and
// draws the neighbourhood, the cycle or the keep-alive chain of one of its
// objects, as DOT or as SVG (own layout; no Graphviz needed).

import type { BuildKind } from "../wasm/engine.js";
import type { Profile } from "../profiles.js";
import { ScenarioError } from "../errors.js";
import { readScenarioFile, runScenarioSession } from "../scenario/run.js";
import { objectsCreated } from "../scenario/validate.js";
import { chainGraph, cycleGraph, neighbourhoodGraph, type HeapGraph } from "./model.js";
import { toDot } from "./dot.js";
import { toSvg } from "./svg.js";

export type GraphMode = "around" | "cycle" | "chain";

export interface GraphRequest {
  mode: GraphMode;
  /** The scenario name of the object (chain members `id.1` …). */
  name: string;
  depth?: number;
  /** Stop after this op index (default: run the whole scenario). */
  at?: number;
  format: "dot" | "svg";
  build?: BuildKind;
  maxNodes?: number;
}

/** The most objects a drawn scenario may create: the graph indexes every object's referrers (~800 bytes of JS heap each). */
export const GRAPH_MAX_OBJECTS = 1_000_000;

export function graphScenarioFile(file: string, python: Profile, req: GraphRequest): { text: string; graph: HeapGraph } {
  const { scn, stem } = readScenarioFile(file);
  const created = objectsCreated(scn);
  if (created > GRAPH_MAX_OBJECTS) {
    throw new ScenarioError(`graph: the scenario creates ${created.toLocaleString("en-US")} objects; graph indexes at most ${GRAPH_MAX_OBJECTS.toLocaleString("en-US")} (pygcsim scenario runs it)`, file);
  }
  let cut = scn;
  // validation (with its error message) happens in runScenarioSession; scn may be any JSON value here
  const ops = scn !== null && typeof scn === "object" ? (scn as { ops?: unknown }).ops : undefined;
  if (req.at !== undefined && Array.isArray(ops)) {
    if (req.at < 0 || req.at >= ops.length) throw new ScenarioError(`--at ${req.at}: the scenario has ops 0..${ops.length - 1}`, file);
    cut = { ...(scn as object), ops: ops.slice(0, req.at + 1) };
  }
  const outcome = runScenarioSession(cut, python, { stem, file, build: req.build });
  if (outcome.status === "skipped") throw new ScenarioError(`does not run on Python ${python.version} (${outcome.reason})`, file);
  const heap = outcome.heap;
  const e = outcome.idOf(req.name);
  const when = req.at === undefined ? "at the end of the scenario" : `after op ${req.at}`;
  if (!e) throw new ScenarioError(`no object is named '${req.name}'${req.at === undefined ? "" : ` by op ${req.at}`}`, file);
  if (!heap.exists(e.id) || heap.serial(e.id) !== e.serial) throw new ScenarioError(`'${req.name}' no longer exists ${when} (try --at OP)`, file);
  const opts = { names: outcome.nameOf, maxNodes: req.maxNodes };
  const graph = req.mode === "cycle" ? cycleGraph(heap, e.id, opts)
    : req.mode === "chain" ? chainGraph(heap, e.id, opts)
    : neighbourhoodGraph(heap, e.id, { ...opts, depth: req.depth });
  graph.title = `${stem}, Python ${python.version}, ${when}: ${graph.title}`;
  return { text: req.format === "svg" ? toSvg(graph) : toDot(graph), graph };
}
