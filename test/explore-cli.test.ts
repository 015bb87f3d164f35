// `pygcsim explore`'s checks before it serves anything (exit 2, one line),
// `--build DIR`'s files, and the server's fixed file map (no path from a URL
// reaches outside it).
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { exploreSite, resolveUrl, serve } from "../src/explore/server.js";
import { sessionOf } from "../src/explore/site.js";
import { findCycle, importGraph } from "./helpers/import-graph.js";

const root = join(import.meta.dirname, "..");

async function cli(...args: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const status = await main(args, (s) => out.push(...s.split("\n")), (s) => err.push(...s.split("\n")));
  return { status, out, err };
}

describe("pygcsim explore", () => {
  const tmp = mkdtempSync(join(tmpdir(), "pygcsim-explore-"));

  it("refuses bad input with one line and exit 2, before serving", async () => {
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, JSON.stringify({ name: "bad", description: "x", ops: [{ op: "new", id: "a", type: "obj" }, { op: "ref", from: "a" }] }));
    const notJson = join(tmp, "x.json");
    writeFileSync(notJson, "{ nope");
    const badDump = join(tmp, "bad.jsonl");
    writeFileSync(badDump, '{"format":"pygcsim-dump","version":1,"python":"3.12.1"}\n{"bad"\n');
    const badLab = join(tmp, "lab.json");
    writeFileSync(badLab, JSON.stringify({ version: 1, runs: [{ workload: 3 }] }));
    const neither = join(tmp, "y.json");
    writeFileSync(neither, "[1, 2]");
    const cases: [string[], RegExp][] = [
      [[bad], /bad\.json: error: op 1/],
      [[join(tmp, "missing.json")], /^pygcsim explore: .*missing\.json: cannot read \(ENOENT\)$/],
      [["/dev/zero"], /^pygcsim explore: \/dev\/zero: cannot read: not a regular file$/],
      [[badDump], /^pygcsim explore: .*bad\.jsonl: line 1: field "gc": missing/], // as pygcsim load says it
      [[badLab], /^pygcsim explore: lab report: runs\[0\]\.workload must be a string$/],
      [[notJson], /neither a heap dump nor JSON/],
      [[neither], /neither a scenario \(with "ops"\) nor a lab report/],
      [[bad, bad], /at most one FILE/],
      [["--port", "70000"], /--port must be an integer in 0\.\.65,535/],
      [["--python", "3.99"], /3\.99/],
      [["--build", bad], /--build .*is a file, not a directory/],
    ];
    for (const [args, message] of cases) {
      const r = await cli("explore", ...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.err.filter(Boolean), args.join(" ")).toHaveLength(1);
      expect(r.err[0], args.join(" ")).toMatch(message);
      expect(r.out.filter(Boolean)).toEqual([]);
    }
  });

  it("--build DIR writes the whole site: the page, its modules, the engine, the catalog, the file given", async () => {
    const dir = join(tmp, "site");
    const r = await cli("explore", join(root, "examples", "heap-3.12.1.jsonl.gz"), "--build", dir);
    expect(r.status, r.err.join("\n")).toBe(0);
    expect(r.out[0]).toMatch(/^pygcsim explore: wrote \d+ files to /);
    for (const f of ["index.html", "explorer/style.css", "dist/src/explore/app/main.js", "dist/src/browser.js", "build/release.wasm", "api/session.json", "api/initial"]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readdirSync(join(dir, "api", "scenarios")).length).toBe(readdirSync(join(root, "test", "conformance", "cases")).length);
  });

  it("the page's modules reach no Node built-in and no package, and have no import cycle", () => {
    const g = importGraph(join(root, "dist", "src", "explore", "app", "main.js"), root);
    expect(g.bare.map((b) => `${b.specifier} via ${b.chain.join(" → ")}`)).toEqual([]);
    expect(g.files).toContain("dist/src/lab/run.js"); // the lab runs in the page too
    expect(findCycle(g.edges, root)).toBeNull();
  });

  it("serves a fixed map of files: no URL reaches outside it", () => {
    const site = exploreSite(sessionOf(null, "3.12"), null);
    expect(resolveUrl(site, "/")?.type).toMatch(/text\/html/);
    expect(resolveUrl(site, "/build/release.wasm")?.type).toBe("application/wasm");
    expect(resolveUrl(site, "/api/scenarios/fin_cycle_two.json")?.type).toBe("application/json");
    for (const p of ["/../package.json", "/package.json", "/dist/src/../../package.json", "/api/scenarios/../../package.json",
      "/api/scenarios/x.json", "/api/initial", "/build/debug.wasm", "/src/heap.ts", "/etc/passwd"]) {
      expect(resolveUrl(site, p), p).toBeNull();
    }
  });

  it("a malformed URL is a 404, and the server goes on", async () => {
    const { server, url } = await serve(exploreSite(sessionOf(null, "3.12"), null), 0);
    try {
      expect((await fetch(`${url}%E0%A4%A`)).status).toBe(404);
      expect((await fetch(`${url}api/session.json`)).status).toBe(200);
    } finally {
      server.close();
    }
    rmSync(tmp, { recursive: true, force: true });
  });
});
