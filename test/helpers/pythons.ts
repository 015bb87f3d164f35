// The CPython interpreters installed here (pyenv): one per series, for tests
// that run real programs. A missing series is reported, and its tests skip.
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const SERIES = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"] as const;

/** The interpreter of a series ("3.12" → ~/.pyenv/versions/3.12.1/bin/python), or null. */
export function pythonOf(series: string): string | null {
  const root = process.env.PYENV_ROOT ?? join(homedir(), ".pyenv");
  const dir = join(root, "versions");
  if (!existsSync(dir)) return null;
  const v = readdirSync(dir).filter((d) => d.startsWith(series + ".") && /^\d+\.\d+\.\d+$/.test(d)).sort().pop();
  if (!v) return null;
  const bin = join(dir, v, "bin", "python");
  return existsSync(bin) ? bin : null;
}
