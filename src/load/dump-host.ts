// What parseDump cannot do with the language alone: read a path, gunzip
// synchronously. Node installs both (src/load/dump-files.ts: node:fs,
// node:zlib); a page has neither, and parseDump then says what to do
// instead (pass the text or bytes; parseDumpBytes for gzip).

/** The file system and zlib, as parseDump uses them. */
export interface DumpHost {
  /** The bytes of the dump file at `path`: a regular file of at most maxBytes (DumpFormatError otherwise). */
  readFile(path: string, maxBytes: number): Uint8Array;
  /** gzip `bytes` decompressed, failing as soon as they pass maxBytes (DumpFormatError naming `source`). */
  gunzip(bytes: Uint8Array, maxBytes: number, source: string): Uint8Array;
  /** What is at `path`: a regular file, nothing, or something else (a device, a FIFO, a folder). */
  fileKind(path: string): "file" | "missing" | "other";
  /** A file shipped in the package (`examples/…`), as an absolute path. */
  packagePath(rel: string): string;
}

let host: DumpHost | null = null;

export function setDumpHost(h: DumpHost): void {
  host = h;
}

export function dumpHost(): DumpHost | null {
  return host;
}
