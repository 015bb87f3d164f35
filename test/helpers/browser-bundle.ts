// The browser entry bundled as a page's bundler would: esbuild with
// platform "browser", which refuses any Node built-in it meets.
import { build, type Metafile } from "esbuild";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");

/** Bundles dist/src/browser.js (npm run build first) into a fresh temporary folder: `file` is the ES module. */
export async function bundleBrowserEntry(): Promise<{ dir: string; file: string; metafile: Metafile }> {
  const dir = mkdtempSync(join(tmpdir(), "pygcsim-bundle-"));
  const file = join(dir, "pygcsim.js");
  const r = await build({
    entryPoints: [join(ROOT, "dist", "src", "browser.js")],
    bundle: true,
    platform: "browser",
    format: "esm",
    outfile: file,
    metafile: true,
    logLevel: "silent",
  });
  return { dir, file, metafile: r.metafile };
}
