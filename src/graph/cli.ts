// `pygcsim graph SCENARIO.json`: runs a scenario (or its first ops, --at) and
// draws the neighbourhood, the cycle or the keep-alive chain of one of its
// objects, as DOT or as SVG (own layout; no Graphviz needed).

import type { BuildKind } from "../wasm/engine.js";
import type { Profile } from "../profiles.js";
import { ScenarioError } from "../errors.js";
import { runScenarioSession } from "../scenario/run.js";
import { readScenarioFile } from "../scenario/files.js";
import { objectsCreated } from "../scenario/validate.js";
import { chainGraph, cycleGraph, neighbourhoodGraph, type HeapGraph } from "./model.js";
import { toDot } from "./dot.js";
import { toSvg } from "./svg.js";
import { writeFileSync } from "node:fs";
import { checkOutputFile } from "../cli/paths.js";
import { BUILD_OPTION, PYTHON_OPTION, UsageError, buildOption, clip, intOption, singleProfile, str, type Command } from "../cli/command.js";

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

export const graphCommand: Command = {
  name: "graph",
  summary: "draw part of a scenario's heap (DOT or SVG)",
  usage: [
    "graph FILE.json [--python X.Y] (--around NAME [--depth N] | --cycle NAME | --chain NAME)",
    "      [--at OP] [--format dot|svg] [--out FILE] [--max-nodes N]",
  ],
  description: `Draws part of the scenario's heap after op OP (default: at the end): the
objects within N hops of NAME, the cycle NAME is in, or the chain of
references that keeps NAME alive; DOT (default) or SVG (own layout, no
Graphviz needed). Scenarios of up to 1,000,000 objects.`,
  options: {
    python: PYTHON_OPTION,
    around: { type: "string", value: "NAME", help: "the objects within --depth hops of NAME" },
    depth: { type: "string", value: "N", help: "hops for --around (default 2; 0..1000)" },
    cycle: { type: "string", value: "NAME", help: "the cycle NAME is in" },
    chain: { type: "string", value: "NAME", help: "the chain of references that keeps NAME alive" },
    at: { type: "string", value: "OP", help: "stop after op OP (0-based)" },
    format: { type: "string", value: "dot|svg", help: "the output format (default: from --out's extension, else dot)" },
    out: { type: "string", value: "FILE", help: "write to FILE (checked before any work) instead of stdout" },
    "max-nodes": { type: "string", value: "N", help: "nodes drawn at most (1..100,000)" },
    build: BUILD_OPTION,
  },
  run(a, { out }) {
    if (a.positionals.length !== 1) throw new UsageError("graph: give one scenario FILE.json");
    const modes = (["around", "cycle", "chain"] as GraphMode[]).filter((m) => str(a, m) !== undefined);
    if (modes.length !== 1) throw new UsageError("graph: give one of --around NAME, --cycle NAME, --chain NAME");
    const file = str(a, "out");
    let format = str(a, "format");
    if (!format) format = file && /\.svg$/i.test(file) ? "svg" : "dot";
    if (format !== "dot" && format !== "svg") throw new UsageError(`--format must be dot or svg, got ${clip(JSON.stringify(format))}`);
    const request = {
      mode: modes[0], name: str(a, modes[0])!, depth: intOption(a, "depth", 0, 1000), at: intOption(a, "at", 0, 2 ** 31 - 1),
      format, build: buildOption(a), maxNodes: intOption(a, "max-nodes", 1, 100_000),
    } as const;
    const profile = singleProfile(a, "graph");
    if (file !== undefined) checkOutputFile(file, "--out");
    const { text } = graphScenarioFile(a.positionals[0], profile, request);
    if (file) writeFileSync(file, text);
    else out(text.trimEnd());
    return 0;
  },
};
