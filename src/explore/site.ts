// The explorer as files: one URL layout for `pygcsim explore` (served) and
// `pygcsim explore --build DIR` (written for any static host). The page loads
// the browser entry from /dist, the engine from /build/release.wasm, and its
// data from /api (session.json: what to open first and the scenario catalog).

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { packagePath, packageRoot } from "../package-root.js";

export interface Session {
  /** The file given on the command line, served at /api/initial (null: the scenario picker). */
  initial: { name: string } | null;
  /** The Python profile to simulate first. */
  python: string;
  /** --python was given: a dump is simulated under it rather than under its own version. */
  pythonGiven: boolean;
  /** The conformance scenarios shipped with the package, by name. */
  scenarios: { name: string; description: string }[];
}

/** The whole site: URL path → absolute file (pages, modules, engine, the scenario catalog); /api/session.json and /api/initial apart. */
export function siteFiles(): Map<string, string> {
  const root = packageRoot();
  const files = new Map<string, string>();
  const add = (dir: string, urlPrefix: string, keep: (f: string) => boolean) => {
    if (!existsSync(dir)) return;
    for (const f of walk(dir)) if (keep(f)) files.set(urlPrefix + relative(dir, f).split(sep).join("/"), f);
  };
  files.set("/", join(root, "explorer", "index.html"));
  add(join(root, "explorer"), "/explorer/", (f) => !f.endsWith(".md"));
  add(join(root, "dist", "src"), "/dist/src/", (f) => f.endsWith(".js") || f.endsWith(".json"));
  files.set("/build/release.wasm", packagePath("build/release.wasm"));
  for (const [name, file] of scenarioCatalog()) files.set(`/api/scenarios/${name}.json`, file);
  return files;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** The scenario catalog: the conformance cases the build copied into dist (scripts/build.mjs). */
export function scenarioCatalog(): Map<string, string> {
  const dir = join(packageRoot(), "dist", "scenarios");
  const m = new Map<string, string>();
  if (!existsSync(dir)) return m;
  for (const f of readdirSync(dir).sort()) if (f.endsWith(".json")) m.set(f.slice(0, -5), join(dir, f));
  return m;
}

export function sessionOf(initial: Session["initial"], python: string, pythonGiven = false): Session {
  const scenarios = [...scenarioCatalog()].map(([name, file]) => {
    const s = JSON.parse(readFileSync(file, "utf8")) as { description?: string };
    return { name, description: String(s.description ?? "") };
  });
  return { initial, python, pythonGiven, scenarios };
}

/** What a browser needs to run modules (text/javascript) and compile wasm while it downloads (application/wasm). */
export const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json", ".map": "application/json",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png", ".txt": "text/plain; charset=utf-8",
  ".gz": "application/gzip", ".jsonl": "application/jsonl; charset=utf-8",
};
