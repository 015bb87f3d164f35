// Node only: where the package's own files are (build/*.wasm, examples/,
// explorer/, dist/scenarios/) — the nearest folder above this module with a
// package.json, so it works from src/ (vitest) and dist/src/ alike.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | null = null;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return (root = dir);
}

/** A file of the package, by its path relative to the package root. */
export function packagePath(rel: string): string {
  return join(packageRoot(), rel);
}
