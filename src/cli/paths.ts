// Output paths are checked before any work: a sweep that runs for minutes
// must not fail at the end because --json names a missing directory.

import { closeSync, existsSync, mkdirSync, openSync, rmdirSync, statSync, unlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** A command-line mistake: one line on stderr, exit status 2. */
export class UsageError extends Error {}

const reason = (e: unknown) => {
  const x = e as NodeJS.ErrnoException;
  return x.code ? `${x.code}: ${x.message.replace(/^\w+: /, "").replace(/, \w+ '.*'$/, "")}` : String(x.message ?? e);
};

/**
 * The file can be written: its directory exists, it is not a directory, and
 * opening it for appending works (the probe neither truncates an existing
 * file nor leaves a new one behind).
 */
export function checkOutputFile(path: string, option: string): void {
  if (!path) throw new UsageError(`${option}: empty file name`);
  const full = resolve(path);
  if (/[\\/]$/.test(path) || (existsSync(full) && statSync(full).isDirectory())) {
    throw new UsageError(`${option} ${path}: is a directory (give a file name)`);
  }
  const dir = dirname(full);
  if (!existsSync(dir)) throw new UsageError(`${option} ${path}: directory ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${option} ${path}: ${dir} is not a directory`);
  const existed = existsSync(full);
  try {
    closeSync(openSync(full, "a"));
  } catch (e) {
    throw new UsageError(`${option} ${path}: cannot write (${reason(e)})`);
  }
  if (!existed) unlinkSync(full);
}

/**
 * The directory can be created (if missing) and a file created in it; the
 * directories made to find out are removed again (the command creates them
 * when it writes, with mkdirSync's recursive option, which is then safe).
 */
export function prepareOutputDir(path: string, option: string): void {
  if (!path) throw new UsageError(`${option}: empty directory name`);
  const full = resolve(path);
  if (existsSync(full) && !statSync(full).isDirectory()) throw new UsageError(`${option} ${path}: is a file, not a directory`);
  // one level at a time: Node's recursive mkdir loops forever where mkdir says ENOENT under an existing parent (/proc)
  const missing: string[] = [];
  for (let d = full; !existsSync(d); d = dirname(d)) missing.unshift(d);
  try {
    for (const d of missing) mkdirSync(d);
  } catch (e) {
    throw new UsageError(`${option} ${path}: cannot create the directory (${reason(e)})`);
  }
  const probe = join(full, `.pygcsim-write-test-${process.pid}`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
  } catch (e) {
    throw new UsageError(`${option} ${path}: cannot write in the directory (${reason(e)})`);
  } finally {
    // a run that fails later leaves nothing behind: the command creates the directory when it writes
    for (const d of missing.reverse()) {
      try { rmdirSync(d); } catch { /* left as it is: the command writes there next */ }
    }
  }
}
