// Mirror of assembly/status.ts (test/boundary-tables.test.ts checks that they agree).
export const Status = {
  OK: 0,
  E_NO_OBJECT: 1,
  E_NOT_CONTAINER: 2,
  E_NO_SUCH_REF: 3,
  E_SLOTS_FULL: 4,
  E_BAD_GENERATION: 5,
  E_NOT_WEAKREFABLE: 6,
  E_NOT_WEAKREF: 7,
  E_OUT_OF_MEMORY: 8,
  E_BAD_TYPE: 9,
  E_NOT_BOUND: 10,
  E_BAD_ARGUMENT: 11,
  E_NOT_FOUND: 12,
  E_BASIC_WEAKREF_EXISTS: 13,
  E_UNSUPPORTED: 14,
  E_COLLECTING: 15,
} as const;
export type StatusCode = (typeof Status)[keyof typeof Status];

/** Event kinds of assembly/events.ts. */
export const EventKind = { FINALIZED: 1, CALLBACK: 2, GC_START: 3, GC_STOP: 4 } as const;

/** Type ids of assembly/common.ts. */
export const TypeId = { obj: 0, fin: 1, list: 2, dict: 3, tuple: 4, int: 5, str: 6, weakref: 7, other: 8 } as const;

/** Reserved ids of assembly/common.ts. */
/** The gc lists' heads (assembly/common.ts reserved ids): the generations (3.14.0–3.14.4: young, old[0], old[1]) and the collector's own. */
export const ListHead = {
  GEN0: 1, GEN1: 2, GEN2: 3, PERMANENT: 4, UNREACHABLE: 5, FINALIZERS: 6, WRCB_TO_CALL: 7, FINAL_UNREACHABLE: 9, INCREMENT: 12, REACHABLE: 13,
} as const;

/** The engine's own list objects (assembly/gclists.ts): gc.garbage, and where resurrecting finalizers put their objects; tracked like any list. */
export const GcListObject = { GARBAGE_LIST: 14, RESURRECTED_LIST: 15 } as const;

export const EMPTY_TUPLE_ID = 10;
export const INT_LITERAL_ID = 11;
