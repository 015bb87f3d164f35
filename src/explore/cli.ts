// `pygcsim explore [SCENARIO.json | DUMP | LAB.json] [--python X.Y] [--port N] [--build DIR]`:
// the heap explorer, served on 127.0.0.1 or written as static files. The file
// given is checked here first (a scenario is validated as `pygcsim scenario`
// does), so a bad file is exit 2 with one line, before anything is served.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { PYTHON_OPTION, UsageError, clip, intOption, singleProfile, str, type Command } from "../cli/command.js";
import { prepareOutputDir } from "../cli/paths.js";
import { validate } from "../scenario/validate.js";
import { InvalidArgumentError, ScenarioError } from "../errors.js";
import { getProfile } from "../profiles.js";
import { sessionOf } from "./site.js";
import { exploreSite, resolveUrl, serve, type ExploreSite } from "./server.js";
import { classify } from "./classify.js";
import { packagePath } from "../package-root.js";
import { parseLabReport } from "../lab/report-model.js";
import { parseDump } from "../load/dump.js";

function initialOf(file: string, python: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    // a device or a FIFO would be read forever
    if (!statSync(file).isFile()) throw new InvalidArgumentError(`${file}: cannot read: not a regular file`, "explore");
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw new InvalidArgumentError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, "explore");
  }
  // each kind is checked as its own command checks it: the page would find the same faults later, less clearly
  const opened = classify(bytes, file);
  if (opened.kind === "dump") parseDump(bytes, file);
  else if (opened.kind === "lab") parseLabReport(opened.json);
  else {
    try {
      validate(opened.json, getProfile(python), basename(file).replace(/\.json$/, ""));
    } catch (e) {
      if (e instanceof ScenarioError) throw new ScenarioError(e.message, file, e.opIndex);
      throw e;
    }
  }
  return bytes;
}

/** Writes the whole site under dir, URL paths as file paths (index.html at the top). */
export function buildSite(site: ExploreSite, dir: string): number {
  const paths = [...site.files.keys(), "/api/session.json", ...(site.initial ? ["/api/initial"] : [])];
  let n = 0;
  for (const p of paths) {
    const r = resolveUrl(site, p);
    if (!r) continue;
    const out = join(dir, p === "/" ? "index.html" : p.slice(1));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, r.body);
    n++;
  }
  return n;
}

export const exploreCommand: Command = {
  name: "explore",
  summary: "the heap explorer in the browser: step through scenarios and collections, dumps, lab results",
  usage: ["explore [SCENARIO.json | DUMP | LAB.json] [--python X.Y] [--port N]", "explore [FILE] [--python X.Y] --build DIR"],
  description: `Serves the explorer on http://127.0.0.1:PORT/ (default 8642; Ctrl-C stops) and
prints its address. The page runs the engine itself (WebAssembly): open a
conformance scenario, a file or one written in its editor, step op by op and
through a collection's stages, compare two profiles, open a heap dump or the
results of \`pygcsim lab --json\`. With a FILE the page opens it first.
--build DIR writes the same site as static files for any web server.`,
  options: {
    python: PYTHON_OPTION,
    port: { type: "string", value: "N", help: "the port on 127.0.0.1 (default 8642; 0: any free port)" },
    build: { type: "string", value: "DIR", help: "write the site as static files into DIR instead of serving it" },
  },
  async run(a, { out }) {
    if (a.positionals.length > 1) throw new UsageError(`explore: give at most one FILE, got ${a.positionals.length}`);
    const python = singleProfile(a, "explore").series;
    const port = intOption(a, "port", 0, 65535) ?? 8642;
    const dir = str(a, "build");
    if (dir !== undefined) prepareOutputDir(dir, "--build");
    const file = a.positionals[0];
    const initial = file ? initialOf(file, python) : null;
    const session = sessionOf(file ? { name: basename(file) } : null, python, str(a, "python") !== undefined);
    if (!existsSync(packagePath("build/release.wasm"))) throw new UsageError("explore: build/release.wasm is missing; run `npm run build` first");
    const site = exploreSite(session, initial);
    if (dir !== undefined) {
      const n = buildSite(site, dir);
      out(`pygcsim explore: wrote ${n} files to ${dir} (serve the folder with any static web server)`);
      return 0;
    }
    let started;
    try {
      started = await serve(site, port);
    } catch (e) {
      throw new UsageError(`explore: cannot listen on 127.0.0.1:${port} (${clip((e as NodeJS.ErrnoException).code ?? String(e))})`);
    }
    out(`pygcsim explore: serving ${started.url}${file ? ` (opening ${basename(file)})` : ""} — Ctrl-C stops`);
    await new Promise<void>((resolve) => {
      const stop = () => { started.server.close(); resolve(); };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
};
