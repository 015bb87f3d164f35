// A static file server for the browser tests: node:http on 127.0.0.1, a
// free port, the repository (or any folder) as its root, with the
// Content-Type a browser needs to run modules (text/javascript) and to
// compile wasm while it downloads (application/wasm).
import { createServer, type Server } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import { CONTENT_TYPES } from "../../src/explore/site.js";


export interface StaticServer {
  /** "http://127.0.0.1:PORT" (no trailing slash). */
  url: string;
  /** Paths requested, in order (a test can check what a page loaded). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `root`, and each of `mounts` ("/prefix/" → folder) instead of
 * root under its prefix. GET and HEAD only; 404 outside the folders.
 */
export async function serveStatic(root: string, mounts: Record<string, string> = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      res.writeHead(400).end(); // a malformed escape
      return;
    }
    requests.push(path);
    const mount = Object.keys(mounts).find((m) => path.startsWith(m));
    const base = resolve(mount ? mounts[mount] : root);
    const file = resolve(join(base, mount ? path.slice(mount.length) : path));
    let size = -1;
    try {
      if (file === base || file.startsWith(base + sep)) {
        const st = statSync(file);
        if (st.isFile()) size = st.size;
      }
    } catch { /* not there: 404 */ }
    if ((req.method !== "GET" && req.method !== "HEAD") || size < 0) {
      res.writeHead(req.method === "GET" || req.method === "HEAD" ? 404 : 405, { "content-type": "text/plain" }).end(`no ${path}\n`);
      return;
    }
    res.writeHead(200, {
      "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": size,
      "cache-control": "no-store",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => server.once("error", fail).listen(0, "127.0.0.1", () => ok()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
