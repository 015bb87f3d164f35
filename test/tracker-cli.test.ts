// `pygcsim track` on conformance scenarios: the last line of --json names the
// objects per category; and runScenarioSession leaves runScenario's results alone.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { runScenario, runScenarioSession } from "../src/scenario/run.js";
import { BUILDS } from "./helpers.js";

const cases = join(import.meta.dirname, "conformance", "cases");

async function cli(args: string[]): Promise<{ status: number; lines: string[]; err: string }> {
  const lines: string[] = [];
  let err = "";
  const status = await main(args, (s) => lines.push(...s.split("\n")), (s) => { err += s + "\n"; });
  return { status, lines, err };
}

async function trackJson(scenario: string, python: string, build = "release") {
  const r = await cli(["track", join(cases, `${scenario}.json`), "--python", python, "--json", "--build", build]);
  expect(r.status).toBe(0);
  return JSON.parse(r.lines[r.lines.length - 1]);
}

const EMPTY = { collected: [], uncollectable: [], leaked: [], resurrected: [], frozen: [], pending: [] };

describe.each(BUILDS)("pygcsim track --build %s", (build) => {
  it.each(["2.7", "3.11"])("seed_node_tree under %s: the whole minidom island is collected", async (python) => {
    const j = await trackJson("seed_node_tree", python, build);
    expect(j).toMatchObject({ ...EMPTY, collected: ["parent", "childNodes", "c1", "c2", "c3"], scenario: "seed_node_tree", warnings: [] });
  });

  it.each(["2.7", "3.11"])("incref_leak under %s: a and b are leaked", async (python) => {
    expect(await trackJson("incref_leak", python, build)).toMatchObject({ ...EMPTY, leaked: ["a", "b"] });
  });

  it("fin_cycle_two: uncollectable under 2.7, collected under 3.11", async () => {
    expect(await trackJson("fin_cycle_two", "2.7", build)).toMatchObject({ ...EMPTY, uncollectable: ["a", "b"], python: "2.7.18" });
    expect(await trackJson("fin_cycle_two", "3.11", build)).toMatchObject({ ...EMPTY, collected: ["a", "b"], python: "3.11.7" });
  });

  it("chain members are named id.1, id.2 …", async () => {
    const j = await trackJson("deep_ring_collect", "3.12", build);
    expect(j.collected.length).toBe(10000);
    expect(j.collected.slice(0, 3)).toEqual(["r", "r.1", "r.2"]);
  });

  it("prints the report with scenario names, then the JSON line", async () => {
    const r = await cli(["track", join(cases, "incref_leak.json"), "--python", "3.11", "--json", "--build", build]);
    expect(r.lines.slice(0, 4)).toEqual([
      "There were 2 garbage objects created by scenario incref_leak (Python 3.11.7): 0 collected, 0 uncollectable, 2 leaked",
      "leaked — alive, unreachable from every root, kept by leaked references:",
      "  1: fin a → obj b  (refcount 2, 1 leaked reference)",
      "     kept alive by 1 leaked reference to it (incref)",
    ]);
    expect(r.lines.length).toBe(9); // 8 report lines and the JSON line
  });

  it("a scenario outside its version range is skipped; a bad file is exit status 2", async () => {
    const j = await trackJson("fin_cycle_legacy_break_by_hand", "3.11");
    expect(j.skipped).toMatch(/needs Python/);
    const bad = await cli(["track", join(cases, "nope.json")]);
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/cannot read/);
    expect((await cli(["track"])).status).toBe(2);
  });

  it("runScenarioSession without hooks records what runScenario records, byte for byte", () => {
    for (const name of ["seed_node_tree", "incref_leak", "fin_cycle_two", "order_generation_lists", "resurrect_in_cycle"]) {
      const scn = JSON.parse(readFileSync(join(cases, `${name}.json`), "utf8"));
      for (const python of ["2.7", "3.11", "3.14"]) {
        const a = runScenario(scn, python, { stem: name, build }), b = runScenarioSession(scn, python, { stem: name, build });
        expect(b.status).toBe(a.status);
        if (a.status === "ran" && b.status === "ran") expect(b.text).toBe(a.text);
      }
    }
  });
});
