// Node only: dumps read from paths (node:fs) and gunzipped synchronously
// (node:zlib), so parseDump and Heap.fromDump take a path or gzip bytes in
// Node. Importing this file installs it (src/node-host.ts); a page uses
// parseDumpBytes (src/load/dump-bytes.ts) for gzip instead.

import { existsSync, readFileSync, statSync } from "node:fs";
import { packagePath } from "../package-root.js";
import { gunzipSync } from "node:zlib";
import { DumpFormatError, mib } from "./dump.js";
import { setDumpHost } from "./dump-host.js";

function readFile(path: string, maxBytes: number): Uint8Array {
  try {
    const st = statSync(path);
    // /dev/zero or a FIFO would be read forever
    if (!st.isFile()) throw new DumpFormatError("cannot read: not a regular file", path, 0);
    const size = st.size;
    if (size > maxBytes) {
      throw new DumpFormatError(`the file is ${mib(size)}, above the limit of ${mib(maxBytes)} (raise it with --max-dump-mb N, or maxDumpBytes)`, path, 0);
    }
    return readFileSync(path);
  } catch (e) {
    if (e instanceof DumpFormatError) throw e;
    throw new DumpFormatError(`cannot read the file (${(e as Error).message})`, path, 0);
  }
}

function gunzip(bytes: Uint8Array, maxBytes: number, source: string): Uint8Array {
  try {
    // maxOutputLength stops a gzip bomb as soon as it passes the bound
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) {
      throw new DumpFormatError(`decompresses to more than the limit of ${mib(maxBytes)} (raise it with --max-dump-mb N, or maxDumpBytes)`, source, 0);
    }
    throw new DumpFormatError(`not a valid gzip file (${(e as Error).message})`, source, 0);
  }
}

function fileKind(path: string): "file" | "missing" | "other" {
  if (!existsSync(path)) return "missing";
  return statSync(path).isFile() ? "file" : "other";
}

setDumpHost({ readFile, gunzip, fileKind, packagePath });
