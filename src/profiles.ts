// Version profiles: what each CPython does differently, as data. The engine
// reads the switches (assembly/profile.ts); the API reads `features`.
// Sources: ../shared/docs/cpython-gc-model.md §I and conformance/FORMAT.md.

import { UnknownVersionError } from "./errors.js";

/** What a collection does when a finalizer resurrected something. */
export type ResurrectionRule = "none" | "all-or-nothing" | "partial";
/** When the collected count `m` is taken. */
export type CountingRule = "pre-finalize" | "at-delete" | "post-finalize";

export interface Profile {
  /** Major.minor, the key of the table ("3.11"). */
  readonly series: string;
  /** The full version recorded results were made with ("3.11.7"). */
  readonly version: string;
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
  /**
   * Trashcan: defer a dealloc at `limit` nesting, drain at or below `drainLevel`
   * (`drainGuard` nesting added while draining); ≤3.7 instances check one level
   * early and never drain (`instanceBias`); ≤3.10 a __del__ call's frame object is
   * trashcan-protected and keeps `self` alive while deferred (`finalizerFrames`).
   */
  readonly trashcan: {
    readonly limit: number; readonly drainLevel: number; readonly drainGuard: number;
    readonly instanceBias: number; readonly finalizerFrames: boolean;
  };
  readonly features: {
    readonly callbacks: boolean;     // gc.callbacks, 3.3+
    readonly getStats: boolean;      // gc.get_stats, 3.4+
    readonly freeze: boolean;        // gc.freeze, 3.7+
    readonly isFinalized: boolean;   // gc.is_finalized, 3.9+
    readonly getObjectsGeneration: boolean; // gc.get_objects(generation), 3.8+
  };
}

/** 3.11–3.12: a nesting counter with limit 50; Python frames are no longer objects. */
const NESTING_TRASHCAN = { limit: 50, drainLevel: 0, drainGuard: 1, instanceBias: 0, finalizerFrames: false } as const;
/** 3.8–3.10: as 3.11, but a __del__ call's frame object goes through the trashcan too. */
const FRAME_TRASHCAN = { ...NESTING_TRASHCAN, finalizerFrames: true } as const;
/** 2.7–3.7: subtype_dealloc's nesting quirk on top of that. */
const LEGACY_TRASHCAN = { ...FRAME_TRASHCAN, instanceBias: 1 } as const;
/** 3.13 defers only when the C recursion budget (10000) has ≤ 50 levels left. */
const STACK_TRASHCAN = { limit: 10000 - 50, drainLevel: 10000 - 101, drainGuard: 0, instanceBias: 0, finalizerFrames: false } as const;

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
  trashcan: NESTING_TRASHCAN,
  features: { callbacks: true, getStats: true, freeze: true, isFinalized: true, getObjectsGeneration: true },
};

function profile(series: string, version: string, summary: string, changes: Partial<Profile>): Profile {
  return Object.freeze({ ...base, ...changes, series, version, summary });
}

export const PROFILES: readonly Profile[] = [
  profile("2.7", "2.7.18", "legacy __del__: cycles with finalizers are uncollectable (gc.garbage)", {
    legacyDel: true, resurrection: "none", counting: "pre-finalize", clearWeakrefsInGarbage: false,
    untrackTuplesInScan: true, trashcan: LEGACY_TRASHCAN,
    features: { callbacks: false, getStats: false, freeze: false, isFinalized: false, getObjectsGeneration: false },
  }),
  profile("3.6", "3.6.15", "PEP 442; a resurrection keeps the whole batch, still counted", {
    resurrection: "all-or-nothing", counting: "pre-finalize", clearWeakrefsInGarbage: false,
    untrackTuplesInScan: true, trashcan: LEGACY_TRASHCAN,
    features: { callbacks: true, getStats: true, freeze: false, isFinalized: false, getObjectsGeneration: false },
  }),
  profile("3.7", "3.7.16", "a resurrection keeps the whole batch and returns 0; gc.freeze", {
    resurrection: "all-or-nothing", counting: "at-delete", untrackTuplesInScan: true, trashcan: LEGACY_TRASHCAN,
    features: { callbacks: true, getStats: true, freeze: true, isFinalized: false, getObjectsGeneration: false },
  }),
  profile("3.8", "3.8.18", "tuple untracking becomes a separate pass", {
    resurrection: "all-or-nothing", counting: "at-delete", trashcan: FRAME_TRASHCAN,
    features: { callbacks: true, getStats: true, freeze: true, isFinalized: false, getObjectsGeneration: true },
  }),
  profile("3.9", "3.9.18", "partial resurrection (handle_resurrected_objects); gc.is_finalized", { trashcan: FRAME_TRASHCAN }),
  profile("3.10", "3.10.13", "as 3.9", { trashcan: FRAME_TRASHCAN }),
  profile("3.11", "3.11.7", "inline instance values (no __dict__ object); collector as 3.9", {}),
  profile("3.12", "3.12.1", "automatic collections run at the next safe point", { safePoint: true }),
  profile("3.13", "3.13.0", "threshold0 = 2000; trashcan based on the C stack", {
    thresholds: [2000, 10, 10], safePoint: true, trashcan: STACK_TRASHCAN,
  }),
];

/** The profile for "3.11", "3.11.7" or "3.11.x"; UnknownVersionError lists the known ones. */
export function getProfile(version: string = "3.11"): Profile {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(String(version).trim());
  const series = m ? `${m[1]}.${m[2]}` : "";
  const p = PROFILES.find((q) => q.series === series);
  if (!p) {
    throw new UnknownVersionError(
      `no profile for Python ${JSON.stringify(version)}; known: ${PROFILES.map((q) => q.series).join(", ")}`,
    );
  }
  return p;
}

/** (major, minor, patch) of a profile, for scenario version ranges. */
export function versionTuple(p: Profile): number[] {
  return p.version.split(".").map(Number);
}
