// parseDumpBytes: a dump's bytes, gzip or not, parsed where there is no
// synchronous gunzip (a page): gzip goes through DecompressionStream, which
// browsers and Node ≥ 18 have, and stops at the size limit as Node's zlib
// does, so a gzip bomb fails fast.

import { DumpFormatError, dumpSizeLimit, isGzip, mib, parseDump, type DumpData, type ParseDumpOptions } from "./dump.js";

async function gunzip(bytes: Uint8Array<ArrayBuffer>, maxBytes: number, source: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new DecompressionStream("gzip");
  const writer = stream.writable.getWriter();
  // a write error (bad gzip) also errors the readable side, where it is reported
  writer.write(bytes).then(() => writer.close()).catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        reader.cancel().catch(() => {});
        throw new DumpFormatError(`decompresses to more than the limit of ${mib(maxBytes)} (raise it with maxDumpBytes)`, source, 0);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof DumpFormatError) throw e;
    throw new DumpFormatError(`not a valid gzip file (${(e as Error).message})`, source, 0);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Parses a dump from its bytes (a Uint8Array or an ArrayBuffer, gzip or
 * not). Works everywhere; in a page it is the way to read a .jsonl.gz dump
 * (parseDump and Heap.fromDump take uncompressed bytes or text there).
 * Heap.fromDump takes the result.
 */
export async function parseDumpBytes(input: Uint8Array | ArrayBuffer, sourceName?: string, options: ParseDumpOptions = {}): Promise<DumpData> {
  const source = sourceName ?? "<buffer>";
  const maxBytes = dumpSizeLimit(options, source);
  let bytes: Uint8Array;
  if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else if (input instanceof Uint8Array) bytes = input;
  else throw new DumpFormatError("expected the dump's bytes (a Uint8Array or an ArrayBuffer)", source, 0);
  if (isGzip(bytes)) bytes = await gunzip(bytes as Uint8Array<ArrayBuffer>, maxBytes, source);
  return parseDump(bytes, sourceName, options);
}
