// The explorer page: loads the engine (init), the session (what to open
// first, the scenario catalog), and switches between the scenario, dump and
// lab views. Everything runs in the page; the server only serves files.

import { init } from "../../browser.js";
import { PROFILES } from "../../profiles.js";
import type { Session } from "../site.js";
import { $, h, status } from "./dom.js";
import { goTo, openScenario, renderScenario, type ScenarioState } from "./scenario-view.js";
import { classify } from "../classify.js";
import { openDump, renderDump, reprofileDump, type DumpState } from "./dump-view.js";
import { renderLab } from "./lab-view.js";
import { planJobs } from "../../lab/plan.js";
import { runLab } from "../../lab/run.js";
import { WORKLOADS } from "../../lab/workloads/index.js";
import { POLICIES } from "../../lab/policies/index.js";
import type { LabRun } from "../../lab/types.js";

type View = { kind: "scenario"; st: ScenarioState } | { kind: "dump"; st: DumpState } | { kind: "lab" } | null;

let view: View = null;
/** A dump is simulated under its own version until a Python is chosen (--python, or the picker). */
let pythonChosen = false;
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
    // (recording validates it as the CLI does: op index and field)
    const st = openScenario(scn, python, compare);
    if (keepFrame && view?.kind === "scenario") st.frame = Math.min(view.st.frame, st.a.frames.length - 1);
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
  let opened;
  try {
    opened = classify(bytes, name);
  } catch (e) {
    status((e as Error).message, true);
    return;
  }
  if (opened.kind === "dump") {
    status(`loading ${name}…`);
    const st = await openDump(bytes, name, pythonChosen ? select("python").value : null);
    view = { kind: "dump", st };
    status(`${name}: ${st.summary.objects.toLocaleString("en-US")} objects`);
    redraw();
  } else if (opened.kind === "lab") {
    view = { kind: "lab" };
    status(`${name}: lab results`);
    renderLab(view$(), opened.json);
  } else {
    showScenario(opened.json);
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
  // as the CLI records its argv (the view writes "pygcsim " before it)
  const quote = (x: string) => (/^[\w.,:=/-]+$/.test(x) ? x : `'${x}'`);
  const command = `lab --workload ${quote(workloads)} --policy ${quote(policies)}${python ? ` --python ${quote(python)}` : ""} --seed ${jobs[0].seed}`;
  view = { kind: "lab" };
  status(`lab: ${runs.length} runs (in this page)`);
  renderLab(view$(), { version: 1, command, runs });
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
    if (view?.kind === "scenario") showScenario(view.st.scenario, true);
    else if (view?.kind === "dump") {
      view.st = reprofileDump(view.st, pythonChosen ? py.value : null);
      status(`${view.st.name}: ${view.st.summary.objects.toLocaleString("en-US")} objects`);
      redraw();
    }
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
    if (e.key === "ArrowRight") goTo(view.st, view.st.frame + 1, redraw);
    if (e.key === "ArrowLeft") goTo(view.st, view.st.frame - 1, redraw);
  });
  if (session.initial) {
    await showFile(await fetchBytes("api/initial"), session.initial.name);
  } else {
    status("Pick a scenario, open a file (scenario, heap dump, lab --json results) or write a scenario in the editor.");
  }
  document.body.dataset.ready = "true";
}

main().catch((e) => status(`the explorer could not start: ${(e as Error).message}`, true));
