// Version profiles: what each CPython does differently, as data. The engine
// reads the switches (assembly/profile.ts); the API reads `features`.
// Sources: CPython's Modules/gcmodule.c and Python/gc.c per version, and docs/scenario-format.md.

import { UnknownVersionError } from "./errors.js";

/** What a collection does when a finalizer resurrected something. */
export type ResurrectionRule = "none" | "all-or-nothing" | "partial";
/** When the collected count `m` is taken. */
export type CountingRule = "pre-finalize" | "at-delete" | "post-finalize";

export interface Profile {
  /** The key of the table: major.minor ("3.11"), or a patch range's first version ("3.14.5"). */
  readonly series: string;
  /** The full version recorded results were made with ("3.11.7"). */
  readonly version: string;
  /** Patch releases of this major.minor the profile covers (inclusive). */
  readonly patches: readonly [number, number];
  /** One line on what sets this version apart. */
  readonly summary: string;
  readonly thresholds: readonly [number, number, number];
  /** 2.7: __del__ is a legacy tp_del: cycles holding one are uncollectable. */
  readonly legacyDel: boolean;
  readonly resurrection: ResurrectionRule;
  readonly counting: CountingRule;
  /** bpo-38006: weakref objects inside the garbage are cleared before callbacks. */
  readonly clearWeakrefsInGarbage: boolean;
  /** ≤3.7 untrack tuples inside move_unreachable; 3.8+ in a separate pass. */
  readonly untrackTuplesInScan: boolean;
  readonly dictsAlwaysTracked: boolean;
  readonly tuplesTrackedIfNeeded: boolean;
  /** 3.12+: automatic collections wait for the next safe point (the end of an API call). */
  readonly safePoint: boolean;
  /** 3.14.0–3.14.4: the incremental collector (young + two old spaces, increments, a mark phase). */
  readonly incremental: boolean;
  /** 3.14.1+: count[0] and heap_size count tracked objects instead of allocations. */
  readonly countTracked: boolean;
  /**
   * The interpreter's own tracked objects after start-up: `len(gc.get_objects())`
   * right after `gc.collect()` in `python -c` (the list itself not counted),
   * measured on the recorded interpreter of this project's machines (3.14, 3.15:
   * CPython in Pyodide, whose own modules add to it; 3.14.0 and 3.14.5 take
   * 3.14.2's). A new Heap starts with them in generation 2 (src/heap.ts).
   */
  readonly startupObjects: number;
  /**
   * 3.14: how many of them the mark phase does not reach from the interpreter's
   * roots (they wait in the pending space for increments). Measured by the
   * schedule recorder on 3.14.2 (1,013 of 20,653: the old space left pending
   * after the first mark) and scaled to startupObjects; 0 elsewhere.
   */
  readonly startupUnreached: number;
  /**
   * Trashcan: defer a dealloc at `limit` nesting, drain at or below `drainLevel`
   * (`drainGuard` nesting added while draining); ≤3.7 instances check one level
   * early and never drain (`instanceBias`); ≤3.10 a __del__ call's frame object is
   * trashcan-protected and keeps `self` alive while deferred (`finalizerFrames`).
   */
  readonly trashcan: {
    readonly limit: number; readonly drainLevel: number; readonly drainGuard: number;
    readonly instanceBias: number; readonly finalizerFrames: boolean;
    /** 3.8–3.9: a deposited frame's own dealloc is a nesting level when drained (measured at depth 130). */
    readonly frameNesting: boolean;
  };
  /**
   * 3.15 (gh-135552): before finalizers only weakrefs with a callback are
   * cleared; callback-less ones, and weakref objects in the garbage, only for
   * what is still garbage after the resurrection check.
   */
  readonly weakrefsClearedLate: boolean;
  /**
   * Free lists (lists, dicts: 80; tuples of 1–19 items: 2,000 per size): reuse
   * is not an allocation, a freed object kept there is not a free (count[0]).
   * A full collection empties them; 2.7's keeps the list and dict ones.
   */
  readonly freeListsKeptByFullCollection: boolean;
  /**
   * ≤3.6 (no LOAD_METHOD): `obj.method(x)` makes a bound built-in method
   * object first; it comes from a free list that full collections empty, so
   * the first such call after one counts an allocation (schedule recordings).
   */
  readonly boundMethodCalls: boolean;
  /**
   * ≤3.10: a Python function's frame is a GC object. Its first call allocates
   * one, which then stays with the code object for reuse (a "zombie" frame,
   * never freed): one counted allocation per function ever called.
   */
  readonly frameObjects: boolean;
  readonly features: {
    readonly callbacks: boolean;     // gc.callbacks, 3.3+
    readonly getStats: boolean;      // gc.get_stats, 3.4+
    readonly freeze: boolean;        // gc.freeze, 3.7+
    readonly isFinalized: boolean;   // gc.is_finalized, 3.9+
    readonly getObjectsGeneration: boolean; // gc.get_objects(generation), 3.8+
    /** 3.15: gc.get_stats() and the callbacks' info also report `candidates` and `duration`. */
    readonly statsCandidates: boolean;
  };
}

/** 3.11–3.12: a nesting counter with limit 50; Python frames are no longer objects. */
const NESTING_TRASHCAN = { limit: 50, drainLevel: 0, drainGuard: 1, instanceBias: 0, finalizerFrames: false, frameNesting: false } as const;
/** 3.8–3.10: as 3.11, but a __del__ call's frame object goes through the trashcan too. */
const FRAME_TRASHCAN = { ...NESTING_TRASHCAN, finalizerFrames: true, frameNesting: true } as const;
/** 2.7–3.7: subtype_dealloc's nesting quirk on top of that. */
const LEGACY_TRASHCAN = { ...FRAME_TRASHCAN, instanceBias: 1, frameNesting: false } as const;
/** 3.13 defers only when the C recursion budget (10000) has ≤ 50 levels left. */
const STACK_TRASHCAN = { limit: 10000 - 50, drainLevel: 10000 - 101, drainGuard: 0, instanceBias: 0, finalizerFrames: false, frameNesting: false } as const;

const base: Omit<Profile, "series" | "version" | "summary"> = {
  thresholds: [700, 10, 10],
  legacyDel: false,
  resurrection: "partial",
  counting: "post-finalize",
  clearWeakrefsInGarbage: true,
  untrackTuplesInScan: false,
  dictsAlwaysTracked: false,
  tuplesTrackedIfNeeded: false,
  safePoint: false,
  incremental: false,
  countTracked: false,
  startupObjects: 0,
  startupUnreached: 0,
  weakrefsClearedLate: false,
  freeListsKeptByFullCollection: false,
  boundMethodCalls: false,
  frameObjects: false,
  patches: [0, 999],
  trashcan: NESTING_TRASHCAN,
  features: { callbacks: true, getStats: true, freeze: true, isFinalized: true, getObjectsGeneration: true, statsCandidates: false },
};

/** 3.14's incremental collector (python/cpython Python/gc.c at the 3.14 tags). */
const INCREMENTAL: Partial<Profile> = {
  thresholds: [2000, 10, 0], safePoint: true, trashcan: STACK_TRASHCAN, incremental: true,
  countTracked: true, dictsAlwaysTracked: true, tuplesTrackedIfNeeded: true, startupObjects: 20_289, startupUnreached: 995,
};

function profile(series: string, version: string, summary: string, changes: Partial<Profile>): Profile {
  return Object.freeze({ ...base, ...changes, series, version, summary });
}

export const PROFILES: readonly Profile[] = [
  profile("2.7", "2.7.18", "legacy __del__: cycles with finalizers are uncollectable (gc.garbage)", { frameObjects: true, startupObjects: 3476,
    legacyDel: true, resurrection: "none", counting: "pre-finalize", clearWeakrefsInGarbage: false, freeListsKeptByFullCollection: true, boundMethodCalls: true,
    untrackTuplesInScan: true, trashcan: LEGACY_TRASHCAN,
    features: { callbacks: false, getStats: false, freeze: false, isFinalized: false, getObjectsGeneration: false, statsCandidates: false },
  }),
  profile("3.6", "3.6.15", "PEP 442; a resurrection keeps the whole batch, still counted", { frameObjects: true, startupObjects: 4923,
    resurrection: "all-or-nothing", counting: "pre-finalize", clearWeakrefsInGarbage: false,
    untrackTuplesInScan: true, trashcan: LEGACY_TRASHCAN, boundMethodCalls: true,
    features: { callbacks: true, getStats: true, freeze: false, isFinalized: false, getObjectsGeneration: false, statsCandidates: false },
  }),
  profile("3.7", "3.7.16", "a resurrection keeps the whole batch and returns 0; gc.freeze", { frameObjects: true, startupObjects: 4332,
    resurrection: "all-or-nothing", counting: "at-delete", untrackTuplesInScan: true, trashcan: LEGACY_TRASHCAN,
    features: { callbacks: true, getStats: true, freeze: true, isFinalized: false, getObjectsGeneration: false, statsCandidates: false },
  }),
  profile("3.8", "3.8.18", "tuple untracking becomes a separate pass", { frameObjects: true, startupObjects: 4484,
    resurrection: "all-or-nothing", counting: "at-delete", trashcan: FRAME_TRASHCAN,
    features: { callbacks: true, getStats: true, freeze: true, isFinalized: false, getObjectsGeneration: true, statsCandidates: false },
  }),
  profile("3.9", "3.9.18", "partial resurrection (handle_resurrected_objects); gc.is_finalized", { frameObjects: true, startupObjects: 4597, trashcan: FRAME_TRASHCAN }),
  profile("3.10", "3.10.13", "as 3.9", { frameObjects: true, startupObjects: 4720, trashcan: FRAME_TRASHCAN }),
  profile("3.11", "3.11.7", "inline instance values (no __dict__ object); collector as 3.9", { startupObjects: 11093 }),
  profile("3.12", "3.12.1", "automatic collections run at the next safe point", { startupObjects: 4974, safePoint: true }),
  profile("3.13", "3.13.0", "threshold0 = 2000; trashcan based on the C stack", { startupObjects: 5066,
    thresholds: [2000, 10, 10], safePoint: true, trashcan: STACK_TRASHCAN,
  }),
  profile("3.14.0", "3.14.0", "incremental collector; dicts always tracked; counts allocations", {
    ...INCREMENTAL, patches: [0, 0], countTracked: false, tuplesTrackedIfNeeded: false,
  }),
  profile("3.14", "3.14.2", "incremental collector; counts tracked objects; tuples of atoms untracked at birth", {
    ...INCREMENTAL, patches: [1, 4],
  }),
  profile("3.14.5", "3.14.5", "back to the 3.13 generational collector, keeping 3.14's tracking rules", { startupObjects: 20289,
    thresholds: [2000, 10, 10], safePoint: true, trashcan: STACK_TRASHCAN, patches: [5, 999],
    dictsAlwaysTracked: true, tuplesTrackedIfNeeded: true, countTracked: true,
  }),
  profile("3.15", "3.15.0", "3.13's collector and counting, 3.14's tracking; weakrefs cleared after the resurrection check", { startupObjects: 19638,
    thresholds: [2000, 10, 10], safePoint: true, trashcan: STACK_TRASHCAN,
    dictsAlwaysTracked: true, tuplesTrackedIfNeeded: true, weakrefsClearedLate: true,
    features: { ...base.features, statsCandidates: true },
  }),
];

/**
 * The profile for a version: "3.11", "3.11.7", "3.14.2" (3.14.1–3.14.4), "3.14.5" …
 * A bare major.minor picks the profile keyed by it. UnknownVersionError lists the known ones.
 */
export function getProfile(version: string = "3.11"): Profile {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(String(version).trim());
  const mm = m ? `${m[1]}.${m[2]}` : "";
  const patch = m && m[3] !== undefined ? Number(m[3]) : undefined;
  const p = patch === undefined
    ? PROFILES.find((q) => q.series === mm)
    : PROFILES.find((q) => q.version.startsWith(mm + ".") && q.version.split(".").length === 3
        && `${q.version.split(".")[0]}.${q.version.split(".")[1]}` === mm && patch >= q.patches[0] && patch <= q.patches[1]);
  if (!p) {
    throw new UnknownVersionError(
      `no profile for Python ${JSON.stringify(version)}; known: ${PROFILES.map((q) => q.series).join(", ")} (and their patch releases)`,
    );
  }
  return p;
}

/** (major, minor, patch) of a profile, for scenario version ranges. */
export function versionTuple(p: Profile): number[] {
  return p.version.split(".").map(Number);
}
