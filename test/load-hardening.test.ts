// The dump loader on hostile or surprising input (issue 9): every problem is a
// typed error naming the file, the line and the field; the CLI exits 2 with
// one line; bounds hold on counts, ids, reference counts and decompressed
// size; and a weakref owns its callback, as CPython's weakref tp_traverse says.
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Heap } from "../src/heap.js";
import { DumpFormatError, MAX_REFCOUNT, parseDump } from "../src/load/dump.js";
import { UnknownVersionError } from "../src/errors.js";
import { main } from "../src/cli/main.js";

const TMP = mkdtempSync(join(tmpdir(), "pygcsim-hardening-"));

type Line = Record<string, unknown>;
function dumpText(lines: Line[], header: Line = {}, end: Line = {}): string {
  const h = {
    format: "pygcsim-dump", version: 1, python: "3.11.7",
    gc: { enabled: true, count: [5, 1, 0], threshold: [700, 10, 10] }, ...header,
  };
  const refs = lines.reduce((s, o) => s + ((o.refs as unknown[] | undefined)?.length ?? 0), 0);
  const e = { end: true, objects: lines.length, references: refs, ...end };
  return [h, ...lines, e].map((x) => JSON.stringify(x)).join("\n") + "\n";
}
const obj = (i: number, o: Line = {}): Line => ({ i, type: "__main__.Node", size: 48, rc: 1, gen: 0, tracked: true, del: false, refs: [], ...o });
/** A two-node cycle nothing else refers to. */
const cycle = (): Line[] => [obj(0, { refs: [1] }), obj(1, { refs: [0] })];

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out, err };
}
function file(name: string, data: string | Uint8Array): string {
  const p = join(TMP, name);
  writeFileSync(p, data);
  return p;
}
/** The CLI refuses `path` with exit 2 and one line that matches `re`. */
async function refused(path: string, re: RegExp, extra: string[] = []): Promise<void> {
  const r = await cli(["load", path, "--collect", ...extra]);
  expect(r.code).toBe(2);
  expect(r.err.length).toBe(1);
  expect(r.err[0].split("\n").length).toBe(1);
  expect(r.err[0]).toMatch(re);
  expect(r.err[0]).not.toMatch(/\n\s+at /);
}

describe("files that are not dumps", () => {
  it("a device or a directory is refused before it is read (/dev/zero would be read forever)", async () => {
    await refused("/dev/zero", /^pygcsim load: \/dev\/zero: cannot read: not a regular file/);
    await refused(TMP, /not a regular file/);
  });
});

describe("header lies", () => {
  it("a header claiming 1e10 objects is a typed error naming counts.objects (no allocation of 1e10 slots)", async () => {
    const text = dumpText(cycle(), { counts: { objects: 1e10 } });
    expect(() => parseDump(text)).toThrow(DumpFormatError);
    expect(() => parseDump(text)).toThrow(/line 1: field "counts.objects": the header counts 10000000000 objects, the file has 2/);
    await refused(file("claims.jsonl", text), /claims\.jsonl: line 1: field "counts\.objects"/);
  });
  it("a dump with 130,000 distinct type names loads (no spread of the names onto the stack)", async () => {
    const lines: Line[] = [];
    for (let i = 0; i < 130000; i++) lines.push(obj(i, { type: `t${i}`, refs: [i], tracked: true }));
    const heap = Heap.fromDump(dumpText(lines));
    expect(heap.collect()).toBe(130000);
    const r = await cli(["load", file("types.jsonl", dumpText(lines)), "--collect", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]).collection.collected).toBe(130000);
  });
});

describe("ids are never taken modulo 2^32", () => {
  it('"refs":[4294967297] is refused, not read as object 1', async () => {
    const text = dumpText([obj(0, { refs: [1] }), obj(1, { refs: [4294967297] })]);
    expect(() => parseDump(text)).toThrow(/line 3: field "refs\[0\]": expected an object index \(0…4294967294\), got 4294967297/);
    await refused(file("wrap.jsonl", text), /wrap\.jsonl: line 3: field "refs\[0\]"/);
  });
  it("a weakref target, a weakrefs entry and a root beyond 2^32 are refused", () => {
    const wr = [obj(0, { type: "weakref.ReferenceType", wr: { target: 2 ** 32 + 1, callback: false } })];
    expect(() => parseDump(dumpText(wr))).toThrow(/field "wr.target"/);
    expect(() => parseDump(dumpText([obj(0, { weakrefs: [2 ** 32] })]))).toThrow(/field "weakrefs"/);
    expect(() => parseDump(dumpText(cycle(), { roots: { "sys.modules": [2 ** 32 + 1] } }))).toThrow(/field "roots.sys.modules"/);
  });
  it("a 2^32 + k atom count is refused", () => {
    expect(() => parseDump(dumpText([obj(0, { atoms: [2 ** 32 + 3, 10] })]))).toThrow(/field "atoms"/);
  });
});

describe("reference counts beyond the engine's", () => {
  it(`a reference count above 2^29 - 1 (${MAX_REFCOUNT}) on a mortal object is refused, naming the line and "rc"`, async () => {
    const text = dumpText([obj(0, { refs: [1] }), obj(1, { refs: [0], rc: 2 ** 29 + 1 })]);
    expect(() => parseDump(text)).toThrow(/line 3: field "rc": 536870913 is above the largest reference count the simulator holds/);
    await refused(file("rc.jsonl", text), /rc\.jsonl: line 3: field "rc"/);
    // the boundary itself loads, and the object stays alive
    const ok = Heap.fromDump(dumpText([obj(0, { refs: [1] }), obj(1, { refs: [0], rc: MAX_REFCOUNT })]), { build: "debug" });
    expect(ok.collect()).toBe(0);
    ok.debug.checkInvariants();
  });
  it("3.12+ immortal objects (the dumper writes rc 2^32 - 1 - bias and immortal: true) load as one outside reference", () => {
    // a cycle one member of which the interpreter holds immortal (rc as a real 3.12 dump writes it)
    const text = dumpText([obj(0, { refs: [1] }), obj(1, { refs: [0], rc: 4294967292, immortal: true })], { python: "3.12.1" });
    const heap = Heap.fromDump(text, { build: "debug" });
    expect(heap.collect()).toBe(0);
    heap.debug.checkInvariants();
    // with more references than that, it is a lie the loader names
    expect(() => parseDump(dumpText([obj(0, { rc: 2 ** 31 })]))).toThrow(/field "rc"/);
  });
});

describe("decompressed size is bounded", () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1048576, 0x20), { level: 9 }); // 64 MiB of blanks in ~64 KB
  it("a gzip bomb over the bound fails fast with the bound in the message", async () => {
    const t0 = Date.now();
    expect(() => parseDump(bomb, "bomb.gz", { maxBytes: 1048576 }))
      .toThrow(/bomb\.gz: decompresses to more than the limit of 1 MiB \(raise it with --max-dump-mb N, or maxDumpBytes\)/);
    const p = file("bomb.jsonl.gz", bomb);
    await refused(p, /bomb\.jsonl\.gz: decompresses to more than the limit of 2 MiB/, ["--max-dump-mb", "2"]);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it("the default bound is 512 MiB, documented and raisable", async () => {
    const { DEFAULT_MAX_DUMP_BYTES } = await import("../src/load/dump.js");
    expect(DEFAULT_MAX_DUMP_BYTES).toBe(512 * 1048576);
    // under a raised bound the same bytes get as far as the parser (blank lines: an empty dump)
    expect(() => parseDump(bomb, "bomb.gz", { maxBytes: 128 * 1048576 })).toThrow(/bomb\.gz: empty dump/);
    await refused(file("x.jsonl", dumpText(cycle())), /--max-dump-mb must be a number of MiB in \(0, 4096\], got -1/, ["--max-dump-mb", "-1"]);
  });
  it("Heap.fromDump takes the bound as maxDumpBytes", () => {
    const p = file("small.jsonl", dumpText(cycle()));
    expect(() => Heap.fromDump(p, { maxDumpBytes: 100 })).toThrow(/small\.jsonl: the file is \d+ bytes, above the limit of 100 bytes/);
    expect(Heap.fromDump(p, { maxDumpBytes: 1 << 20 }).collect()).toBe(2);
  });
  it("an uncompressed file above the bound is refused before it is read", async () => {
    await refused(file("big.jsonl", Buffer.alloc(3 * 1048576, 0x20)), /big\.jsonl: the file is 3 MiB, above the limit of 1 MiB/, ["--max-dump-mb", "1"]);
  });
});

describe("versions without a profile", () => {
  const text = dumpText(cycle(), { python: "3.5.10" });
  it("are refused without --python, with a hint", async () => {
    expect(() => Heap.fromDump(text)).toThrow(UnknownVersionError);
    await refused(file("v35.jsonl", text), /no profile for Python "3\.5\.10".*choose a profile with --python X\.Y/);
  });
  it("load under the profile --python names", async () => {
    const r = await cli(["load", file("v35b.jsonl", text), "--collect", "--python", "3.11", "--json"]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out[0]);
    expect(res.collection.python).toBe("3.11.7");
    expect(res.collection.collected).toBe(2);
    expect(res.ownCollection).toBeUndefined();
    expect(Heap.fromDump(text, { python: "3.8" }).collect()).toBe(2);
  });
});

describe("a weakref owns its callback (weakref tp_traverse / tp_clear)", () => {
  // a WeakSet-like cycle: a set object (0) holds a weakref (2) to a live
  // object (3); the weakref's callback (1) is a function only the weakref
  // refers to. The set and a node (4) form a cycle nothing else holds.
  const lines = (): Line[] => [
    obj(0, { type: "set", refs: [2, 4] }),
    obj(1, { type: "function", refs: [] }),
    obj(2, { type: "weakref.ReferenceType", refs: [1], wr: { target: 3, callback: true } }),
    obj(3, { rc: 1, weakrefs: [2] }),
    obj(4, { refs: [0] }),
  ];
  it("a garbage weakref's callback is garbage with it (CPython collects all four: set, node, weakref, function)", () => {
    for (const build of ["release", "debug"] as const) {
      const heap = Heap.fromDump(dumpText(lines()), { build });
      expect(heap.collect()).toBe(4);
      heap.debug.checkInvariants();
    }
  });
  it("a live weakref keeps its callback alive, and its referent's death releases both once the weakref goes", () => {
    const ls = lines();
    ls[2].rc = 2; // someone else holds the weakref too
    const heap = Heap.fromDump(dumpText(ls), { build: "debug" });
    expect(heap.collect()).toBe(2); // set and node; weakref and callback stay
    heap.debug.checkInvariants();
  });
  it("the load summary no longer counts a weakref's callback as an outside reference", async () => {
    const r = await cli(["load", file("wset.jsonl", dumpText(lines())), "--json"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out[0]).summary;
    expect(s.warnings.join(" ")).not.toMatch(/external references: the engine's weakrefs hold no strong references/);
  });
});

describe("what loaded callbacks and finalizers release (wr.removes, fin_drops)", () => {
  // A WeakSet-like heap: a set (0, bound from outside) holds weakref 1, whose
  // referent (2) is a self-cycle; the callback (3) is a function only the
  // weakref holds. CPython: the collection clears 1, calls 3, which removes 1
  // from the set; 1 dies and is counted (handle_weakrefs), with its callback.
  // The real-program suite checks the same against real interpreters
  // (weak_containers, cpython_test_abc).
  const heapLines = (removes: number[] | undefined, setRc = 1): Line[] => [
    obj(0, { type: "set", rc: setRc, refs: [1] }),
    obj(1, { type: "weakref.ReferenceType", refs: [3], wr: { target: 2, callback: true, ...(removes ? { removes } : {}) } }),
    obj(2, { refs: [2], weakrefs: [1] }),
    obj(3, { type: "function" }),
  ];
  it("a self-removing callback frees its weakref and CPython's count includes it; without the record the weakref stays", () => {
    for (const build of ["release", "debug"] as const) {
      const with_ = Heap.fromDump(dumpText(heapLines([0, 1])), { build });
      expect(with_.collect()).toBe(2); // the node and the weakref freed by its callback
      expect(with_.collect()).toBe(0);
      with_.debug.checkInvariants();
      const without = Heap.fromDump(dumpText(heapLines(undefined)), { build });
      expect(without.collect()).toBe(1); // the weakref stays in its set
      without.debug.checkInvariants();
    }
  });
  it("a callback whose container is itself garbage removes nothing (its owner's selfref is dead)", () => {
    // the set is garbage too: a cycle with a node (4); the weakref dies with it, its callback is not called
    const ls = heapLines([0, 1], 1);
    ls[0].refs = [1, 4];
    ls.push(obj(4, { refs: [0] }));
    const heap = Heap.fromDump(dumpText(ls), { build: "debug" });
    expect(heap.collect()).toBe(5);
    heap.debug.checkInvariants();
  });
  it("records are validated: indices in range, a callback or a finalizer to apply", () => {
    expect(() => parseDump(dumpText(heapLines([0, 9])))).toThrow(/field "wr.removes\[1\]": 9 is not an object index/);
    expect(() => parseDump(dumpText(heapLines([0])))).toThrow(/field "wr.removes": expected \[container, removed…\]/);
    const noCb = heapLines([0, 1]);
    (noCb[1].wr as Record<string, unknown>).callback = false;
    expect(() => parseDump(dumpText(noCb))).toThrow(/field "wr.removes": a weakref without a callback removes nothing/);
    expect(() => parseDump(dumpText([obj(0, { fin_drops: [0] })]))).toThrow(/field "fin_drops": an object without a finalizer drops nothing/);
    expect(() => parseDump(dumpText([obj(0, { del: true, fin_drops: [2 ** 32] })]))).toThrow(/field "fin_drops"/);
  });
  // A suspended generator (0, __del__: its close) in a cycle with a holder
  // (1), its frame (2) held only by it. 3.4–3.10 close the generator in
  // finalize_garbage, which releases the frame: 3.6 still counts it, 3.7+ do
  // not (as recorded for generators_asyncio on 3.6.15 and 3.10.13).
  const gen = (drops: boolean): Line[] => [
    obj(0, { type: "generator", del: true, refs: [2, 1], ...(drops ? { fin_drops: [2] } : {}) }),
    obj(1, { refs: [0] }),
    obj(2, { type: "frame" }),
  ];
  it("a 3.4–3.10 generator's close releases its frame: 3.6 counts it, 3.10 does not", () => {
    for (const build of ["release", "debug"] as const) {
      for (const [python, n] of [["3.6.15", 3], ["3.10.13", 2]] as const) {
        const heap = Heap.fromDump(dumpText(gen(true), { python }), { build });
        expect(heap.collect()).toBe(n);
        heap.debug.checkInvariants();
        expect(Heap.fromDump(dumpText(gen(false), { python }), { build }).collect()).toBe(3);
      }
    }
  });
});
