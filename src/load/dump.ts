// Reading and validating a heap dump made by python/pygcsim_dump.py (the
// format: docs/dump-format.md). A dump is parsed line by line into flat
// columns, so a dump of millions of objects costs a few typed arrays rather
// than millions of JS objects. Every problem is a DumpFormatError naming the
// line and the field. Paths and gzip go through the host (src/load/dump-host.ts):
// this file itself runs in a page.

import { PygcsimError } from "../errors.js";
import { dumpHost } from "./dump-host.js";

export const DUMP_FORMAT = "pygcsim-dump";
export const DUMP_VERSION = 1;

/** A malformed dump: `line` (1-based; 0 = the file as a whole) and `field` name the problem. */
export class DumpFormatError extends PygcsimError {
  constructor(message: string, readonly source: string, readonly line: number, readonly field?: string) {
    super(`${source}: ${line ? `line ${line}: ` : ""}${field ? `field "${field}": ` : ""}${message}`);
  }
}

/**
 * The most bytes a dump may hold once decompressed (512 MiB, some 2.5 million
 * objects): a gzip bomb then fails fast instead of exhausting memory.
 * `parseDump(…, {maxBytes})`, `Heap.fromDump(…, {maxDumpBytes})` and
 * `pygcsim load --max-dump-mb N` raise it.
 */
export const DEFAULT_MAX_DUMP_BYTES = 512 * 1024 * 1024;
/**
 * The largest reference count the engine holds: CPython's gc_refs lives in
 * the gc word above two flag bits, so 2^29 - 1. Immortal objects (3.12+) are
 * loaded with the references the graph gives them plus one instead.
 */
export const MAX_REFCOUNT = 2 ** 29 - 1;
/** Object indices are 32-bit in the engine; 2^32 - 1 is reserved. */
const MAX_INDEX = 0xFFFFFFFE;

export interface ParseDumpOptions {
  /** Bound on the (decompressed) dump's size in bytes (default DEFAULT_MAX_DUMP_BYTES). */
  maxBytes?: number;
}

/** Bits of DumpData.bits. */
export const DumpBit = {
  TRACKED: 1, DEL: 2, FINALIZED: 4, IMMORTAL: 8, WEAKREF: 16, CALLBACK: 32,
} as const;

/** The header line (documented in docs/dump-format.md). */
export interface DumpHeader {
  format: string;
  version: number;
  /** The interpreter that made the dump: "3.11.7". */
  python: string;
  implementation?: string;
  python_build?: string;
  pointer_size?: number;
  platform?: string;
  pid?: number;
  time?: string;
  argv?: string[];
  gc: {
    enabled: boolean;
    count: [number, number, number];
    threshold: number[];
    debug?: number;
    freeze_count?: number | null;
    garbage?: number;
    stats?: unknown;
  };
  /** How generations were found: "get_objects" (3.8+), "ctypes" (2.7–3.7), "unknown". */
  generations?: string;
  /** How the FINALIZED bit was found: "is_finalized", "ctypes", "none" (2.7), "unknown". */
  finalized?: string;
  refcount_bias?: number;
  counts?: Record<string, number>;
  /** Objects the interpreter refers to, by kind (object indices). */
  roots?: Record<string, number[]>;
}

/** The end line. */
export interface DumpTrailer {
  end: true;
  objects: number;
  references: number;
  atoms?: { references: number; distinct: number; bytes: number };
}

/** A parsed dump: one entry per object in every column, indexed by the object's index `i`. */
export interface DumpData {
  /** Where it came from (a path, or "<text>", "<buffer>"), for messages. */
  source: string;
  header: DumpHeader;
  trailer: DumpTrailer;
  n: number;
  /** Distinct type names; `typeOf[i]` indexes it. */
  typeNames: string[];
  typeOf: Uint32Array;
  size: Float64Array;
  rc: Float64Array;
  /** 0–2 generation, 3 permanent (frozen), -1 untracked or unknown. */
  gen: Int8Array;
  bits: Uint8Array;
  addr: Float64Array;
  atomRefs: Uint32Array;
  atomBytes: Float64Array;
  /** References of object i: refs[refStart[i] … refStart[i+1]) in gc.get_referents order. */
  refStart: Uint32Array;
  refs: Uint32Array;
  /** A weakref object's referent (-1: dead, or not in the dump). */
  wrTarget: Map<number, number>;
  /** An object's weakrefs in its weakref list's order. */
  weakrefs: Map<number, number[]>;
  /**
   * A weakref whose callback removes it from a standard-library container
   * (wr.removes): [container, objects the container stops referring to].
   */
  removes: Map<number, number[]>;
  /** What an object's finalizer releases (fin_drops: a 3.4–3.10 generator's close releases its frame). */
  finDrops: Map<number, number[]>;
}

class Grow<T extends Uint32Array | Float64Array | Uint8Array | Int8Array> {
  a: T;
  n = 0;
  constructor(private readonly make: (n: number) => T, cap: number) { this.a = make(Math.max(16, cap)); }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = this.make(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): T { return this.a.subarray(0, this.n) as T; }
}

/**
 * A value for a message: JSON, cut at 80 characters. JSON.stringify recurses,
 * so a value nested 100,000 deep (which JSON.parse accepts) is named, not shown.
 */
function show(v: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    return "a value nested too deeply to show";
  }
  if (s === undefined) return "nothing";
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isCount = (v: unknown): v is number => isInt(v) && v >= 0;
/** An object index: a count the engine's 32-bit ids can hold (never taken modulo 2^32). */
const isIndex = (v: unknown): v is number => isCount(v) && v <= MAX_INDEX;
const isU32 = (v: unknown): v is number => isCount(v) && v <= 0xFFFFFFFF;
/** A size for a message: bytes, or MiB to one decimal. */
export const mib = (b: number) => (b < 1048576 ? `${b} bytes` : `${Math.round((b / 1048576) * 10) / 10} MiB`);

/** gzip's magic number. */
export const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** The size limit of `options`, checked. */
export function dumpSizeLimit(options: ParseDumpOptions | undefined, source: string): number {
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_DUMP_BYTES;
  if (!isCount(maxBytes) || maxBytes < 1 || maxBytes > 2 ** 32) {
    throw new DumpFormatError(`the size limit must be a whole number of bytes in 1…2^32, got ${show(maxBytes)}`, source, 0);
  }
  return maxBytes;
}

/** The bytes of a dump: a path, the text itself, or its bytes (gzip or not). */
function bytesOf(input: string | Uint8Array, maxBytes: number): { bytes: Uint8Array; source: string } {
  if (typeof input === "string") {
    const t = input.trimStart();
    if (t.startsWith("{")) return { bytes: new TextEncoder().encode(input), source: "<text>" };
    const host = dumpHost();
    if (!host) throw new DumpFormatError("cannot read a path without a file system (this is the browser entry): pass the dump's text or its bytes", input, 0);
    return { bytes: host.readFile(input, maxBytes), source: input };
  }
  if (!(input instanceof Uint8Array)) throw new DumpFormatError("expected a path, the dump's text or its bytes", "<input>", 0);
  return { bytes: input, source: "<buffer>" };
}

/** Bytes decoded per TextDecoder call: whole lines, a few MiB at a time. */
const DECODE_CHUNK = 4 << 20;

/** Parses and validates a dump. */
export function parseDump(input: string | Uint8Array, sourceName?: string, options: ParseDumpOptions = {}): DumpData {
  const maxBytes = dumpSizeLimit(options, sourceName ?? "<input>");
  let { bytes, source } = bytesOf(input, maxBytes);
  if (sourceName) source = sourceName;
  if (isGzip(bytes)) {
    const host = dumpHost();
    if (!host) throw new DumpFormatError("gzip-compressed, and there is no synchronous gunzip here (the browser entry): use await parseDumpBytes(bytes)", source, 0);
    bytes = host.gunzip(bytes, maxBytes, source);
  } else if (bytes.length > maxBytes) {
    throw new DumpFormatError(`the dump is ${mib(bytes.length)}, above the limit of ${mib(maxBytes)} (raise it with --max-dump-mb N, or maxDumpBytes)`, source, 0);
  }
  const fail = (line: number, field: string | undefined, msg: string): never => { throw new DumpFormatError(msg, source, line, field); };

  // ignoreBOM keeps a byte-order mark in the text (it then fails the header's JSON, as it always did)
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let pos = 0; // the next byte to decode
  let text = ""; // decoded whole lines …
  let at = 0; // … and where the next one starts
  let lineNo = 0;
  const nextLine = (): string | null => {
    for (;;) {
      if (at >= text.length) {
        if (pos >= bytes.length) return null;
        // cut after a newline (never inside a UTF-8 sequence); a line longer than the chunk is decoded whole
        let cut = Math.min(bytes.length, pos + DECODE_CHUNK);
        if (cut < bytes.length) {
          const nl = bytes.lastIndexOf(0x0a, cut - 1);
          cut = nl >= pos ? nl + 1 : bytes.indexOf(0x0a, cut) + 1 || bytes.length;
        }
        text = decoder.decode(bytes.subarray(pos, cut));
        pos = cut;
        at = 0;
      }
      let end = text.indexOf("\n", at);
      if (end < 0) end = text.length;
      const s = text.slice(at, end > at && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
      at = end + 1;
      lineNo++;
      if (s.trim() !== "") return s;
    }
  };
  const parse = (s: string): Record<string, unknown> => {
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch (e) {
      return fail(lineNo, undefined, `not valid JSON (${(e as Error).message})`);
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) return fail(lineNo, undefined, "expected a JSON object");
    return v as Record<string, unknown>;
  };

  // ── header ──
  const first = nextLine();
  if (first === null) fail(0, undefined, "empty dump");
  const h = parse(first!);
  if (h.format !== DUMP_FORMAT) fail(lineNo, "format", `expected "${DUMP_FORMAT}", got ${show(h.format)} (is this a pygcsim dump?)`);
  if (h.version !== DUMP_VERSION) fail(lineNo, "version", `this pygcsim reads version ${DUMP_VERSION}, got ${show(h.version)}`);
  if (typeof h.python !== "string" || !/^\d+\.\d+\.\d+$/.test(h.python)) fail(lineNo, "python", `expected a version "X.Y.Z", got ${show(h.python)}`);
  const g = h.gc as Record<string, unknown> | undefined;
  if (typeof g !== "object" || g === null) fail(lineNo, "gc", "missing (the collector's state)");
  if (typeof g!.enabled !== "boolean") fail(lineNo, "gc.enabled", `expected true or false, got ${show(g!.enabled)}`);
  const count = g!.count;
  if (!Array.isArray(count) || count.length !== 3 || !count.every((c) => isCount(c) && c <= 0x7FFFFFFF)) fail(lineNo, "gc.count", `expected three counts, got ${show(count)}`);
  const thr = g!.threshold;
  if (!Array.isArray(thr) || thr.length < 1 || thr.length > 3 || !thr.every((c) => isCount(c) && c <= 0x7FFFFFFF)) fail(lineNo, "gc.threshold", `expected up to three thresholds, got ${show(thr)}`);
  if (g!.freeze_count !== undefined && g!.freeze_count !== null && !isCount(g!.freeze_count)) fail(lineNo, "gc.freeze_count", `expected a count or null, got ${show(g!.freeze_count)}`);
  const roots = h.roots;
  if (roots !== undefined) {
    if (typeof roots !== "object" || roots === null || Array.isArray(roots)) fail(lineNo, "roots", "expected an object of index lists");
    for (const [k, v] of Object.entries(roots as object)) {
      if (!Array.isArray(v) || !v.every(isIndex)) fail(lineNo, `roots.${k}`, `expected a list of object indices, got ${show(v)}`);
    }
  }
  const header = h as unknown as DumpHeader;
  const headerLine = lineNo;
  // the header's count only sizes the first buffers: a lie (1e10) must not allocate
  // them, and every object takes a line of at least 60 bytes
  const claimed = (h.counts as Record<string, unknown> | undefined)?.objects;
  const hint = Math.min(isCount(claimed) ? claimed : 1024, Math.ceil(bytes.length / 60) + 16);

  // ── objects ──
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const typeOf = new Grow((n) => new Uint32Array(n), hint);
  const size = new Grow((n) => new Float64Array(n), hint);
  const rc = new Grow((n) => new Float64Array(n), hint);
  const gen = new Grow((n) => new Int8Array(n), hint);
  const bits = new Grow((n) => new Uint8Array(n), hint);
  const addr = new Grow((n) => new Float64Array(n), hint);
  const atomRefs = new Grow((n) => new Uint32Array(n), hint);
  const atomBytes = new Grow((n) => new Float64Array(n), hint);
  const refStart = new Grow((n) => new Uint32Array(n), hint + 1);
  const refs = new Grow((n) => new Uint32Array(n), hint * 2);
  const lineOf = new Grow((n) => new Uint32Array(n), hint);
  const wrTarget = new Map<number, number>();
  const weakrefs = new Map<number, number[]>();
  const removes = new Map<number, number[]>();
  const finDrops = new Map<number, number[]>();
  let trailer: DumpTrailer | null = null;
  let trailerLine = 0;
  let n = 0;
  for (let s = nextLine(); s !== null; s = nextLine()) {
    if (trailer) fail(lineNo, undefined, `a line after the end line (line ${trailerLine})`);
    const o = parse(s);
    if (o.end !== undefined) {
      if (o.end !== true) fail(lineNo, "end", `expected true, got ${show(o.end)}`);
      if (!isCount(o.objects)) fail(lineNo, "objects", `expected a count, got ${show(o.objects)}`);
      if (!isCount(o.references)) fail(lineNo, "references", `expected a count, got ${show(o.references)}`);
      if (o.atoms !== undefined) {
        const at = o.atoms as Record<string, unknown> | null;
        if (typeof at !== "object" || at === null || Array.isArray(at) || !isCount(at.references) || !isCount(at.distinct) || !isCount(at.bytes)) {
          fail(lineNo, "atoms", `expected {references, distinct, bytes} counts, got ${show(o.atoms)}`);
        }
      }
      trailer = o as unknown as DumpTrailer;
      trailerLine = lineNo;
      continue;
    }
    const f = (field: string, msg: string): never => fail(lineNo, field, msg);
    if (o.i !== n) f("i", `expected ${n} (objects are numbered in file order from 0), got ${show(o.i)}`);
    if (typeof o.type !== "string" || o.type === "") f("type", `expected a type name, got ${show(o.type)}`);
    if (!isCount(o.size)) f("size", `expected a size in bytes, got ${show(o.size)}`);
    if (!isCount(o.rc)) f("rc", `expected a reference count, got ${show(o.rc)}`);
    if (o.rc as number > MAX_REFCOUNT && o.immortal !== true) {
      f("rc", `${o.rc} is above the largest reference count the simulator holds (2^29 - 1 = ${MAX_REFCOUNT}) and the object is not marked "immortal"`);
    }
    if (typeof o.tracked !== "boolean") f("tracked", `expected true or false, got ${show(o.tracked)}`);
    if (o.gen !== null && !(isInt(o.gen) && o.gen >= 0 && o.gen <= 3)) f("gen", `expected 0, 1, 2, 3 (permanent) or null, got ${show(o.gen)}`);
    if (!o.tracked && o.gen !== null) f("gen", `an untracked object has no generation (null), got ${show(o.gen)}`);
    if (o.del !== undefined && typeof o.del !== "boolean") f("del", `expected true or false, got ${show(o.del)}`);
    if (o.finalized !== undefined && typeof o.finalized !== "boolean") f("finalized", `expected true or false, got ${show(o.finalized)}`);
    if (o.immortal !== undefined && typeof o.immortal !== "boolean") f("immortal", `expected true or false, got ${show(o.immortal)}`);
    if (o.addr !== undefined && !isCount(o.addr)) f("addr", `expected an address (a non-negative integer), got ${show(o.addr)}`);
    if (!Array.isArray(o.refs)) f("refs", `expected a list of object indices, got ${show(o.refs)}`);
    const rs = o.refs as unknown[];
    refStart.push(refs.n);
    for (let k = 0; k < rs.length; k++) {
      if (!isIndex(rs[k])) f(`refs[${k}]`, `expected an object index (0…${MAX_INDEX}), got ${show(rs[k])}`);
      refs.push(rs[k] as number);
    }
    let ac = 0, ab = 0;
    if (o.atoms !== undefined) {
      const a = o.atoms;
      if (!Array.isArray(a) || a.length !== 2 || !isU32(a[0]) || !isCount(a[1])) f("atoms", `expected [count, bytes], got ${show(a)}`);
      [ac, ab] = a as number[];
    }
    let b = (o.tracked ? DumpBit.TRACKED : 0) | (o.del ? DumpBit.DEL : 0) | (o.finalized ? DumpBit.FINALIZED : 0)
      | (o.immortal ? DumpBit.IMMORTAL : 0);
    if (o.wr !== undefined) {
      const w = o.wr as Record<string, unknown>;
      if (typeof w !== "object" || w === null || Array.isArray(w)) f("wr", "expected {target, callback}");
      if (w.target !== null && !isIndex(w.target)) f("wr.target", `expected an object index or null, got ${show(w.target)}`);
      if (w.callback !== null && typeof w.callback !== "boolean") f("wr.callback", `expected true, false or null (unknown), got ${show(w.callback)}`);
      if (w.removes !== undefined) {
        const rm = w.removes;
        if (!Array.isArray(rm) || rm.length < 2 || rm.length > 64 || !rm.every(isIndex)) f("wr.removes", `expected [container, removed…] object indices, got ${show(rm)}`);
        if (w.callback !== true) f("wr.removes", "a weakref without a callback removes nothing");
        removes.set(n, rm as number[]);
      }
      b |= DumpBit.WEAKREF | (w.callback ? DumpBit.CALLBACK : 0);
      wrTarget.set(n, w.target === null ? -1 : (w.target as number));
    }
    if (o.fin_drops !== undefined) {
      const fd = o.fin_drops;
      if (!Array.isArray(fd) || fd.length < 1 || fd.length > 64 || !fd.every(isIndex)) f("fin_drops", `expected a list of object indices, got ${show(fd)}`);
      if (o.del !== true) f("fin_drops", "an object without a finalizer drops nothing when finalized");
      finDrops.set(n, fd as number[]);
    }
    if (o.weakrefs !== undefined) {
      const wl = o.weakrefs;
      if (!Array.isArray(wl) || !wl.every(isIndex)) f("weakrefs", `expected a list of object indices, got ${show(wl)}`);
      weakrefs.set(n, wl as number[]);
    }
    const t = o.type as string;
    let ti = nameIndex.get(t);
    if (ti === undefined) { ti = names.length; names.push(t); nameIndex.set(t, ti); }
    typeOf.push(ti);
    size.push(o.size as number);
    rc.push(o.rc as number);
    gen.push(o.gen === null ? -1 : (o.gen as number));
    bits.push(b);
    addr.push(o.addr === undefined ? NaN : (o.addr as number));
    atomRefs.push(ac);
    atomBytes.push(ab);
    lineOf.push(lineNo);
    n++;
  }
  refStart.push(refs.n);
  if (!trailer) fail(lineNo + 1, undefined, `no end line ({"end": true, …}): the dump is truncated (${n} objects read)`);
  if (trailer!.objects !== n) fail(trailerLine, "objects", `the end line counts ${trailer!.objects} objects, the file has ${n}`);
  if (claimed !== undefined && claimed !== n) fail(headerLine, "counts.objects", `the header counts ${show(claimed)} objects, the file has ${n}`);
  if (trailer!.references !== refs.n) fail(trailerLine, "references", `the end line counts ${trailer!.references} references, the objects list ${refs.n}`);

  // ── cross-references, now that n is known ──
  const R = refs.done(), RS = refStart.done(), L = lineOf.done(), B = bits.done();
  for (let i = 0; i < n; i++) {
    for (let k = RS[i]; k < RS[i + 1]; k++) {
      if (R[k] >= n) fail(L[i], `refs[${k - RS[i]}]`, `${R[k]} is not an object index (the dump has ${n} objects: 0…${n - 1})`);
    }
  }
  const listed = new Set<number>();
  for (const [t, wl] of weakrefs) {
    for (let k = 0; k < wl.length; k++) {
      const w = wl[k];
      if (w >= n) fail(L[t], `weakrefs[${k}]`, `${w} is not an object index (0…${n - 1})`);
      if (!(B[w] & DumpBit.WEAKREF)) fail(L[t], `weakrefs[${k}]`, `object ${w} is not a weakref (it has no "wr" field)`);
      if (wrTarget.get(w) !== t) fail(L[t], `weakrefs[${k}]`, `weakref ${w} names ${wrTarget.get(w)} as its referent, not ${t}`);
      if (listed.has(w)) fail(L[t], `weakrefs[${k}]`, `weakref ${w} is listed twice`);
      listed.add(w);
    }
  }
  for (const [w, t] of wrTarget) {
    if (t >= n) fail(L[w], "wr.target", `${t} is not an object index (0…${n - 1})`);
    if (t >= 0 && !listed.has(w)) fail(L[w], "wr.target", `object ${t} does not list weakref ${w} in its "weakrefs"`);
  }
  for (const [w, rm] of removes) {
    rm.forEach((x, j) => { if (x >= n) fail(L[w], `wr.removes[${j}]`, `${x} is not an object index (0…${n - 1})`); });
  }
  for (const [g, fd] of finDrops) {
    fd.forEach((x, j) => { if (x >= n) fail(L[g], `fin_drops[${j}]`, `${x} is not an object index (0…${n - 1})`); });
  }
  if (roots) {
    for (const [k, v] of Object.entries(roots as Record<string, number[]>)) {
      v.forEach((x, j) => { if (x >= n) fail(headerLine, `roots.${k}[${j}]`, `${x} is not an object index (0…${n - 1})`); });
    }
  }
  return {
    source, header, trailer: trailer!, n, typeNames: names, typeOf: typeOf.done(), size: size.done(), rc: rc.done(),
    gen: gen.done(), bits: B, addr: addr.done(), atomRefs: atomRefs.done(), atomBytes: atomBytes.done(),
    refStart: RS, refs: R, wrTarget, weakrefs, removes, finDrops,
  };
}
