// `pygcsim explore`'s server: the static site (site.ts) and /api on
// 127.0.0.1 only. Files are looked up in a fixed map, never joined from the
// URL, so no request can reach outside the package.

import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { CONTENT_TYPES, siteFiles, type Session } from "./site.js";

export interface ExploreSite {
  session: Session;
  /** The bytes of the file given on the command line (/api/initial). */
  initial: Uint8Array | null;
  /** URL path → file (siteFiles(), listed once). */
  files: Map<string, string>;
}

export function exploreSite(session: Session, initial: Uint8Array | null): ExploreSite {
  return { session, initial, files: siteFiles() };
}

/** The body and type of a site URL, or null (404). */
export function resolveUrl(site: ExploreSite, path: string): { body: Uint8Array | string; type: string } | null {
  if (path === "/api/session.json") return { body: JSON.stringify(site.session), type: CONTENT_TYPES[".json"] };
  if (path === "/api/initial") return site.initial ? { body: site.initial, type: "application/octet-stream" } : null;
  const f = site.files.get(path);
  if (!f) return null;
  try {
    return { body: readFileSync(f), type: CONTENT_TYPES[extname(f)] ?? "application/octet-stream" };
  } catch {
    return null;
  }
}

/** Starts serving on 127.0.0.1:port (0: any free port); resolves once listening. */
export function serve(site: ExploreSite, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let path: string | null = null;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    } catch {
      // a malformed escape (%E0%A4%A): not a file of the site
    }
    const r = path !== null && (req.method === "GET" || req.method === "HEAD") ? resolveUrl(site, path) : null;
    if (!r) {
      res.writeHead(req.method === "GET" || req.method === "HEAD" ? 404 : 405, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": r.type, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : r.body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const a = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof a === "object" && a ? a.port : port}/` });
    });
  });
}
