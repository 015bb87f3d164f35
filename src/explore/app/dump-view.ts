// A real heap dump in the page: parsed from its bytes (gzip through the
// browser's DecompressionStream), loaded into a heap of the chosen profile,
// shown aggregated — objects per generation and type — with what a full
// collection would do to it now. Built for dumps of hundreds of thousands of objects.

import { Heap } from "../../heap.js";
import { parseDumpBytes } from "../../load/dump-bytes.js";
import type { DumpData } from "../../load/dump.js";
import { forecastFullCollection, summarizeLoad, type TypeTally } from "../../load/report.js";
import { h } from "./dom.js";

export interface DumpState {
  name: string;
  /** Parsed once: another profile only makes another heap. */
  dump: DumpData;
  /** The heap the summary describes; the forecast collects it (once: its button goes). */
  heap: Heap;
  summary: ReturnType<typeof summarizeLoad>;
  forecast: ReturnType<typeof forecastFullCollection> | null;
  loadMs: number;
}

export async function openDump(bytes: Uint8Array, name: string, python: string | null): Promise<DumpState> {
  const t0 = performance.now();
  const dump = await parseDumpBytes(bytes, name);
  return simulate(dump, name, python, t0);
}

/** The same dump under another profile (null: its own version). */
export function reprofileDump(st: DumpState, python: string | null): DumpState {
  return simulate(st.dump, st.name, python, performance.now());
}

function simulate(dump: DumpData, name: string, python: string | null, t0: number): DumpState {
  const heap = Heap.fromDump(dump, python ? { python } : {});
  return { name, dump, heap, summary: summarizeLoad(heap), forecast: null, loadMs: performance.now() - t0 };
}

const n = (x: number) => x.toLocaleString("en-US");

function tallyTable(rows: TypeTally[], testid: string, max = 25): HTMLElement {
  return h("table", { "data-testid": testid },
    h("tr", {}, h("th", {}, "type"), h("th", { class: "num" }, "objects"), h("th", { class: "num" }, "bytes")),
    rows.slice(0, max).map((t) => h("tr", {}, h("td", {}, t.type), h("td", { class: "num" }, n(t.count)), h("td", { class: "num" }, n(t.bytes)))),
    rows.length > max ? h("tr", {}, h("td", { class: "muted" }, `… ${rows.length - max} more types`)) : null);
}

export function renderDump(root: HTMLElement, st: DumpState, redraw: () => void): void {
  const s = st.summary;
  const [g0, g1, g2, perm] = s.generations;
  const overview = h("div", { class: "panel", "data-testid": "dump-summary" },
    h("h2", {}, `${st.name}: Python ${s.python}, simulated as ${s.profile}`),
    h("p", {}, `${n(s.objects)} objects (${n(s.tracked)} tracked, ${n(s.untracked)} untracked${s.frozen ? `, ${n(s.frozen)} frozen` : ""}), `,
      `${n(s.references)} references, ${n(s.bytes)} bytes — loaded in ${Math.round(st.loadMs)} ms.`),
    h("table", { "data-testid": "dump-generations" },
      h("tr", {}, h("th", {}, "list"), h("th", { class: "num" }, "tracked objects")),
      [["generation 0", g0], ["generation 1", g1], ["generation 2", g2], ["permanent", perm]].map(([k, v]) =>
        h("tr", {}, h("td", {}, String(k)), h("td", { class: "num" }, n(Number(v)))))),
    h("p", { class: "muted" }, `gc.get_count() ${s.count.join("/")}, thresholds ${s.threshold.join("/")}; refcounts: ${n(s.refcounts.explained)} of ${n(s.refcounts.total)} explained by the dumped references.`),
    s.warnings.length ? h("p", { class: "error" }, s.warnings.join(" ")) : null);
  const types = h("div", { class: "panel" }, h("h2", {}, "Objects by type"), tallyTable(s.byType, "dump-types"));
  const forecast = h("div", { class: "panel", "data-testid": "dump-forecast" }, h("h2", {}, "A full collection now"));
  if (!st.forecast) {
    forecast.append(h("button", { "data-testid": "forecast", onclick: () => { st.forecast = forecastFullCollection(st.heap); redraw(); } }, "gc.collect()"));
  } else {
    const f = st.forecast;
    forecast.append(h("p", {}, `gc.collect() returns ${n(f.unreachable)}: ${n(f.freed)} objects freed (${n(f.freedBytes)} bytes), ${n(f.uncollectable)} uncollectable, ${f.finalizers} finalizers ran.`),
      tallyTable(f.freedByType, "dump-freed", 15));
  }
  root.replaceChildren(h("div", { class: "scenario" }, overview, types, forecast));
}
