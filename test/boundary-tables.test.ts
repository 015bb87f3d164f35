// The numbers that cross the wasm↔TS boundary are declared in the engine and
// mirrored in TS (src/wasm/status.ts, src/ops.ts): this test reads the
// engine's sources and requires the mirrors to agree, so a code added on one
// side and not the other fails here rather than as a wrong error later.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EMPTY_TUPLE_ID, EventKind, GcListObject, INT_LITERAL_ID, ListHead, Status, TypeId } from "../src/wasm/status.js";
import { OpCode, RESULT_BIT } from "../src/ops.js";
import {
  EVENT_FIELDS, LAYOUT_FIELDS, PROFILE_RECORD_FIELDS, SNAPSHOT_FIELDS, STAGE_HEADER_FIELDS, STAGE_LIST_FIELDS, STAGE_MEMBER_FIELDS,
} from "../src/wasm/records.js";
import { Heap } from "../src/heap.js";
import { STAGES, listName } from "../src/heap/stages.js";
import { getProfile } from "../src/profiles.js";

const root = join(import.meta.dirname, "..");
/** `export const NAME: type = value;` declarations of an engine file, by name. */
function constants(file: string, prefix: string): Map<string, number> {
  const text = readFileSync(join(root, "assembly", file), "utf8");
  const out = new Map<string, number>();
  for (const m of text.matchAll(/export const (\w+): [iu]32 = (0x[0-9A-Fa-f]+|\d+);/g)) {
    if (m[1].startsWith(prefix)) out.set(m[1].slice(prefix.length), Number(m[2]));
  }
  return out;
}

describe("boundary tables agree with the engine's declarations", () => {
  it("status codes (assembly/status.ts ↔ src/wasm/status.ts)", () => {
    const engine = constants("status.ts", "");
    expect(engine.size).toBeGreaterThan(10);
    expect(Object.fromEntries(engine)).toEqual(Status);
  });
  it("type ids (assembly/common.ts ↔ TypeId)", () => {
    const engine = constants("common.ts", "T_");
    engine.delete("COUNT");
    engine.delete("MASK");
    expect(Object.fromEntries([...engine].map(([k, v]) => [k.toLowerCase(), v]))).toEqual(TypeId);
  });
  it("collection stages and the gc lists' heads (assembly/collect/trace.ts, common.ts ↔ STAGES, ListHead)", () => {
    const ids = constants("collect/trace.ts", "STAGE_");
    expect(Object.fromEntries([...ids].map(([k, v]) => [k.toLowerCase(), v]))).toEqual(Object.fromEntries(STAGES.map((s, i) => [s, i])));
    const common = constants("common.ts", "");
    expect(Object.fromEntries(Object.keys(ListHead).map((k) => [k, common.get(k)]))).toEqual(ListHead);
    expect(Object.fromEntries(Object.keys(GcListObject).map((k) => [k, common.get(k)]))).toEqual(GcListObject);
    // every list a snapshot shows is a ListHead, named under both collectors
    const text = readFileSync(join(root, "assembly", "collect", "trace.ts"), "utf8");
    const shown = /const LISTS: StaticArray<u32> = \[([\w, ]+)\]/.exec(text)![1].split(",").map((x) => x.trim());
    expect(shown.every((k) => k in ListHead)).toBe(true);
    for (const p of ["3.12", "3.14.0"]) for (const k of shown) expect(listName(ListHead[k as keyof typeof ListHead], getProfile(p)), k).not.toMatch(/^list \d/);
  });
  it("event kinds (assembly/events.ts ↔ EventKind)", () => {
    expect(Object.fromEntries(constants("events.ts", "EV_"))).toEqual(EventKind);
  });
  it("op codes (assembly/ops.ts ↔ OpCode)", () => {
    const engine = constants("ops.ts", "OP_");
    expect(Object.fromEntries(engine)).toEqual(OpCode);
    expect(constants("ops.ts", "RESULT_BIT").get("")).toBe(RESULT_BIT);
  });
  /** The fields of an @unmanaged class, in declaration order. */
  const recordFields = (file: string, name: string): string[] => {
    const text = readFileSync(join(root, "assembly", file), "utf8");
    const body = new RegExp(`@unmanaged export class ${name} \\{([^}]*)\\}`).exec(text)![1];
    return [...body.matchAll(/^\s*(\w+): [iu]32;/gm)].map((m) => m[1]);
  };
  it("the layout, event, snapshot and stage records (Layout, EventRecord, SnapshotRecord, Stage* ↔ src/wasm/records.ts)", () => {
    expect(recordFields("heap.ts", "Layout")).toEqual([...LAYOUT_FIELDS]);
    expect(recordFields("events.ts", "EventRecord")).toEqual([...EVENT_FIELDS]);
    expect(recordFields("queries.ts", "SnapshotRecord")).toEqual([...SNAPSHOT_FIELDS]);
    expect(recordFields("collect/trace.ts", "StageHeader")).toEqual([...STAGE_HEADER_FIELDS]);
    expect(recordFields("collect/trace.ts", "StageList")).toEqual([...STAGE_LIST_FIELDS]);
    expect(recordFields("collect/trace.ts", "StageMember")).toEqual([...STAGE_MEMBER_FIELDS]);
    const engine = (new Heap() as unknown as { engine: { eventWords(): number } }).engine;
    expect(engine.eventWords()).toBeGreaterThanOrEqual(EVENT_FIELDS.length);
  });
  it("the profile record (assembly/profile.ts ProfileRecord ↔ src/wasm/records.ts): names, order, size", () => {
    expect(recordFields("profile.ts", "ProfileRecord")).toEqual([...PROFILE_RECORD_FIELDS]);
    const engine = (new Heap() as unknown as { engine: { profileRecordSize(): number } }).engine;
    expect(engine.profileRecordSize()).toBe(4 * PROFILE_RECORD_FIELDS.length);
  });
  it("the shared singletons' ids", () => {
    const common = constants("common.ts", "");
    expect([common.get("EMPTY_TUPLE"), common.get("ATOM")]).toEqual([EMPTY_TUPLE_ID, INT_LITERAL_ID]);
  });
});
