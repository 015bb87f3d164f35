// A collection stage by stage (assembly/collect/trace.ts): the snapshots the
// engine hands over after each stage while tracing is on, decoded with
// CPython's names for the stages and the lists (Python/gc.c).

import type { Profile } from "../profiles.js";
import { ListHead } from "../wasm/status.js";
import { STAGE_HEADER, STAGE_HEADER_FIELDS, STAGE_LIST, STAGE_LIST_FIELDS, STAGE_MEMBER, STAGE_MEMBER_FIELDS } from "../wasm/records.js";

/** Stage ids of assembly/collect/trace.ts, in the order a collection runs them. */
export const STAGES = [
  "merged", "update_refs", "subtract_refs", "move_unreachable", "survivors", "move_legacy_finalizers",
  "handle_weakrefs", "finalize_garbage", "handle_resurrected_objects", "delete_garbage", "handle_legacy_finalizers",
  "mark_at_start", "increment",
] as const;
export type StageName = (typeof STAGES)[number];

/** What each stage has done when its snapshot is taken, as Python/gc.c's comments put it. */
export const STAGE_DESCRIPTIONS: Record<StageName, string> = {
  merged: "The examined list is made: the younger generations are merged onto the one being collected (gc_list_merge).",
  update_refs: "update_refs: every examined object has gc_refs = its refcount, and the COLLECTING mask.",
  subtract_refs: "subtract_refs: each reference from inside the examined list lowered its target's gc_refs; what is left counts references from outside (roots).",
  move_unreachable: "move_unreachable: objects with gc_refs > 0 stayed, and so did everything they reach (gc_refs of a rescued object is set to 1); the rest moved to unreachable with the UNREACHABLE mask.",
  survivors: "The survivors joined the next older list (untrack_tuples, and untrack_dicts in a full collection, ran on them).",
  move_legacy_finalizers: "move_legacy_finalizers: objects with a legacy __del__ (tp_del), and everything they reach, moved to finalizers: uncollectable. The UNREACHABLE mask is cleared.",
  handle_weakrefs: "handle_weakrefs: weak references to unreachable objects are cleared; callbacks of weakrefs that survive ran (wrcb_to_call).",
  finalize_garbage: "finalize_garbage: tp_finalize (__del__, PEP 442) ran once on each unreachable object that has one.",
  handle_resurrected_objects: "handle_resurrected_objects / check_garbage: gc_refs recomputed over unreachable; what a finalizer made reachable again survives, the rest is final_unreachable.",
  delete_garbage: "delete_garbage: tp_clear broke the references of the garbage; refcounts fell to zero and the objects were freed (or went to gc.garbage with DEBUG_SAVEALL).",
  handle_legacy_finalizers: "handle_legacy_finalizers: the uncollectable objects went to gc.garbage and their reachable members to the older list. The collection is over.",
  mark_at_start: "3.14 mark_at_start: everything the interpreter's roots reach moved into the visited old space (no garbage is found in a mark step).",
  increment: "3.14 gc_collect_increment: the young objects plus pending objects (whole reachable closures) up to the work budget form the increment.",
};

export interface StageMember {
  id: number;
  /** gc_refs: meaningful while COLLECTING is set (between update_refs and the end of the collection). */
  gcRefs: number;
  collecting: boolean;
  unreachable: boolean;
  refcount: number;
}

export interface StageList {
  /** CPython's name: "generation 0", "old[1]", "unreachable", "finalizers", … */
  name: string;
  /** Members in the list, in its order. */
  size: number;
  /** The first members, in list order (all of them unless the snapshot limit cut them). */
  members: StageMember[];
}

export interface StageSnapshot {
  stage: StageName;
  /** Which collection of this heap (0-based, counted since tracing began) the stage belongs to. */
  collection: number;
  /** The stage ran inside handle_resurrected_objects (its second update_refs … move_unreachable). */
  withinResurrectionCheck: boolean;
  /** The list the stage worked on. */
  examined: string;
  description: string;
  /** Non-empty lists only, in a fixed order (generations, permanent, unreachable, finalizers, …). */
  lists: StageList[];
  /** Some members were left out (the snapshot limit); sizes are still exact. */
  truncated: boolean;
  /** The engine had no memory for this snapshot: lists are empty. */
  missing: boolean;
}

/** List heads (assembly/common.ts) → names; generations are old spaces under 3.14's incremental collector. */
export function listName(head: number, profile: Profile): string {
  switch (head) {
    case ListHead.GEN0: return profile.incremental ? "young" : "generation 0";
    case ListHead.GEN1: return profile.incremental ? "old[0]" : "generation 1";
    case ListHead.GEN2: return profile.incremental ? "old[1]" : "generation 2";
    case ListHead.PERMANENT: return "permanent";
    case ListHead.UNREACHABLE: return "unreachable";
    case ListHead.FINALIZERS: return "finalizers";
    case ListHead.WRCB_TO_CALL: return "wrcb_to_call";
    case ListHead.FINAL_UNREACHABLE: return "final_unreachable";
    case ListHead.INCREMENT: return "increment";
    case ListHead.REACHABLE: return "reachable";
    default: return `list ${head}`;
  }
}

const STARTS = new Set<StageName>(["merged", "increment", "mark_at_start"]);
/** deduce_unreachable's three steps (handle_resurrected_objects runs them again over unreachable). */
const DEDUCE = new Set<StageName>(["update_refs", "subtract_refs", "move_unreachable"]);

/** Snapshots kept between two takes: the newest; a heap traced and never read stays bounded. */
export const STAGE_LOG_LIMIT = 4096;

/** Raw snapshots as the engine hands them over, decoded on demand. */
export class StageLog {
  private raw: { stage: number; words: Uint32Array | null; collection: number }[] = [];
  private collections = -1;

  push(stage: number, words: Uint32Array | null): void {
    // (collections are counted as they come, so dropping old ones keeps the numbering)
    if (STARTS.has(STAGES[stage]) || this.collections < 0) this.collections++;
    this.raw.push({ stage, words, collection: this.collections });
    if (this.raw.length > STAGE_LOG_LIMIT) this.raw.splice(0, this.raw.length - STAGE_LOG_LIMIT);
  }

  /** The snapshots taken since the last take, decoded; the log is emptied. */
  take(profile: Profile): StageSnapshot[] {
    const out: StageSnapshot[] = [];
    for (const { stage: s, words, collection } of this.raw) {
      const stage = STAGES[s];
      const snap: StageSnapshot = {
        stage, collection, withinResurrectionCheck: false, examined: "", description: STAGE_DESCRIPTIONS[stage],
        lists: [], truncated: false, missing: words === null,
      };
      if (words) {
        const H = STAGE_HEADER_FIELDS.length, L = STAGE_LIST_FIELDS.length, M = STAGE_MEMBER_FIELDS.length;
        const examined = words[STAGE_HEADER.examined];
        const n = words[STAGE_HEADER.lists];
        snap.examined = listName(examined, profile);
        snap.withinResurrectionCheck = examined === ListHead.UNREACHABLE && DEDUCE.has(stage);
        let m = H + L * n;
        for (let i = 0; i < n; i++) {
          const at = H + L * i;
          const head = words[at + STAGE_LIST.head], size = words[at + STAGE_LIST.size], put = words[at + STAGE_LIST.written];
          const members: StageMember[] = [];
          for (let k = 0; k < put; k++, m += M) {
            const w = words[m + STAGE_MEMBER.gcWord] | 0;
            members.push({ id: words[m + STAGE_MEMBER.id], gcRefs: w >> 2, collecting: (w & 1) !== 0, unreachable: (w & 2) !== 0, refcount: words[m + STAGE_MEMBER.refcnt] | 0 });
          }
          if (put < size) snap.truncated = true;
          if (size > 0) snap.lists.push({ name: listName(head, profile), size, members });
        }
      }
      out.push(snap);
    }
    this.raw = [];
    return out;
  }
}
