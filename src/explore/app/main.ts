// The explorer page: loads the engine (init), the session (what to open
// first, the scenario catalog), and switches between the scenario, dump and
// lab views. Everything runs in the page; the server only serves files.

import { init } from "../../browser.js";
import { PROFILES } from "../../profiles.js";
import { validate } from "../../scenario/validate.js";
import { getProfile } from "../../profiles.js";
import type { Session } from "../site.js";
import { $, h, status } from "./dom.js";
import { openScenario, renderScenario, type ScenarioState } from "./scenario-view.js";
import { openDump, renderDump, type DumpState } from "./dump-view.js";
import { renderLab } from "./lab-view.js";
import { planJobs } from "../../lab/plan.js";
import { runLab } from "../../lab/run.js";
import { WORKLOADS } from "../../lab/workloads/index.js";
import { POLICIES } from "../../lab/policies/index.js";
import type { LabRun } from "../../lab/types.js";

type View = { kind: "scenario"; st: ScenarioState } | { kind: "dump"; st: DumpState; bytes: Uint8Array } | { kind: "lab"; report: unknown } | null;

let view: View = null;
/** A dump is simulated under its own version until a Python is chosen (--python, or the picker). */
let pythonChosen = false;
let scenarioJson: unknown = null;
const view$ = () => $("view");
const select = (id: string) => $(id) as HTMLSelectElement;

function redraw(): void {
  if (!view) return;
  if (view.kind === "scenario") renderScenario(view$(), view.st, redraw);
  else if (view.kind === "dump") renderDump(view$(), view.st, redraw);
  // (the lab view keeps its own state: zoom, hidden policies; it is drawn once, in showFile)
}

/** Runs a scenario under the chosen profile(s); errors (op index and field) go to the status line and the editor. */
function showScenario(scn: unknown, keepFrame = false): void {
  const python = select("python").value, compare = select("compare").value || null;
  try {
    validate(scn, getProfile(python));
    const st = openScenario(scn, python, compare);
    if (keepFrame && view?.kind === "scenario") st.frame = Math.min(view.st.frame, st.a.frames.length - 1);
    scenarioJson = scn;
    view = { kind: "scenario", st };
    ($("editor-text") as HTMLTextAreaElement).value = JSON.stringify(scn, null, 1);
    $("editor-error").textContent = "";
    const name = (scn as { name?: string }).name ?? "";
    status(`${name}: ${st.a.frames.length - 1} ops on Python ${st.a.python}${st.b ? ` and ${st.b.python}` : ""}${st.divergence !== null ? " — they differ" : ""}`);
    redraw();
  } catch (e) {
    $("editor-error").textContent = (e as Error).message;
    status((e as Error).message, true);
  }
}

async function showFile(bytes: Uint8Array, name: string): Promise<void> {
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = gz ? "" : new TextDecoder().decode(bytes);
  if (gz || /^\s*\{\s*"format"\s*:\s*"pygcsim-dump"/.test(text)) {
    status(`loading ${name}…`);
    const st = await openDump(bytes, name, pythonChosen ? select("python").value : null);
    view = { kind: "dump", st, bytes };
    status(`${name}: ${st.summary.objects.toLocaleString("en-US")} objects`);
    redraw();
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    status(`${name}: neither a heap dump nor JSON (${(e as Error).message})`, true);
    return;
  }
  if (json && typeof json === "object" && "runs" in json) {
    view = { kind: "lab", report: json };
    status(`${name}: lab results`);
    renderLab(view$(), json);
  } else {
    showScenario(json);
  }
}

/** `pygcsim lab` in the page: the same plan and runs (one after another), then the interactive view. */
async function runLabInPage(): Promise<void> {
  const val = (id: string) => ($(id) as HTMLInputElement).value.trim();
  const workloads = val("lab-workloads"), policies = val("lab-policies"), python = val("lab-python") || undefined;
  $("lab-error").textContent = "";
  let jobs;
  try {
    const seed = Number(val("lab-seed") || "1");
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xFFFFFFFF) throw new Error(`seed must be an integer in 0..4294967295, got ${val("lab-seed")}`);
    jobs = planJobs([workloads], [policies], python, seed);
  } catch (e) {
    $("lab-error").textContent = (e as Error).message;
    return;
  }
  const runs: LabRun[] = [];
  for (const [i, job] of jobs.entries()) {
    status(`lab: run ${i + 1} of ${jobs.length}…`);
    await new Promise((r) => setTimeout(r, 0)); // let the page show it
    try {
      runs.push(runLab(job));
    } catch (e) {
      $("lab-error").textContent = (e as Error).message;
      status((e as Error).message, true);
      return;
    }
  }
  const command = `pygcsim lab --workload ${workloads} --policy ${policies}${python ? ` --python ${python}` : ""} --seed ${jobs[0].seed}`;
  view = { kind: "lab", report: { version: 1, command, runs } };
  status(`lab: ${runs.length} runs (in this page)`);
  renderLab(view$(), view.report);
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status} ${r.statusText}`);
  return new Uint8Array(await r.arrayBuffer());
}

async function main(): Promise<void> {
  await init();
  const session = (await (await fetch("api/session.json")).json()) as Session;
  const py = select("python"), cmp = select("compare");
  for (const p of PROFILES) {
    py.append(h("option", { value: p.series }, `${p.series} (${p.version})`));
    cmp.append(h("option", { value: p.series }, p.series));
  }
  py.value = session.python;
  pythonChosen = session.pythonGiven;
  const pick = select("scenario-pick");
  for (const s of session.scenarios) pick.append(h("option", { value: s.name, title: s.description }, s.name));
  pick.addEventListener("change", async () => {
    if (!pick.value) return;
    showScenario(JSON.parse(new TextDecoder().decode(await fetchBytes(`api/scenarios/${pick.value}.json`))));
  });
  const rerun = () => {
    if (view?.kind === "scenario") showScenario(scenarioJson, true);
    else if (view?.kind === "dump") void showFile(view.bytes, view.st.name);
  };
  py.addEventListener("change", () => { pythonChosen = true; rerun(); });
  cmp.addEventListener("change", rerun);
  ($("file-input") as HTMLInputElement).addEventListener("change", async (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (f) await showFile(new Uint8Array(await f.arrayBuffer()), f.name).catch((e) => status(`${f.name}: ${(e as Error).message}`, true));
  });
  $("editor-toggle").addEventListener("click", () => { $("editor").hidden = !$("editor").hidden; });
  $("editor-run").addEventListener("click", () => {
    const text = ($("editor-text") as HTMLTextAreaElement).value;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      $("editor-error").textContent = `not JSON: ${(e as Error).message}`;
      return;
    }
    showScenario(json);
  });
  $("lab-toggle").addEventListener("click", () => { $("lab-form").hidden = !$("lab-form").hidden; });
  $("lab-known").textContent = `workloads: ${WORKLOADS.map((w) => w.name).join(", ")} · policies: ${POLICIES.map((p) => p.name).join(", ")} · `
    + "k=v sets a parameter, k=a|b sweeps it, size=small|medium|large (docs/lab.md)";
  $("lab-run").addEventListener("click", () => void runLabInPage());
  document.addEventListener("keydown", (e) => {
    if (view?.kind !== "scenario" || (e.target as HTMLElement).tagName === "TEXTAREA") return;
    if (e.key === "ArrowRight") { view.st.frame = Math.min(view.st.frame + 1, view.st.a.frames.length - 1); view.st.stage = 0; redraw(); }
    if (e.key === "ArrowLeft") { view.st.frame = Math.max(view.st.frame - 1, 0); view.st.stage = 0; redraw(); }
  });
  if (session.initial) {
    await showFile(await fetchBytes("api/initial"), session.initial.name);
  } else {
    status("Pick a scenario, open a file (scenario, heap dump, lab --json results) or write a scenario in the editor.");
  }
  document.body.dataset.ready = "true";
}

main().catch((e) => status(`the explorer could not start: ${(e as Error).message}`, true));
