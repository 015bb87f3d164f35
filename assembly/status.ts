// Status codes returned across the JS boundary for expected failures.
// src/wasm/status.ts mirrors this table (test/boundary-tables.test.ts checks they agree).
// Functions that return an id return a non-negative id or a negated status.

// @ts-ignore: decorator
@inline export const OK: i32 = 0;
// @ts-ignore: decorator
@inline export const E_NO_OBJECT: i32 = 1;          // id does not name a live object
// @ts-ignore: decorator
@inline export const E_NOT_CONTAINER: i32 = 2;      // only obj/fin/list/dict hold mutable references
// @ts-ignore: decorator
@inline export const E_NO_SUCH_REF: i32 = 3;        // unref of a reference that does not exist
// @ts-ignore: decorator
@inline export const E_SLOTS_FULL: i32 = 4;         // obj/fin already hold 16 references
// @ts-ignore: decorator
@inline export const E_BAD_GENERATION: i32 = 5;     // generation not 0, 1 or 2
// @ts-ignore: decorator
@inline export const E_NOT_WEAKREFABLE: i32 = 6;    // only obj/fin carry __weakref__
// @ts-ignore: decorator
@inline export const E_NOT_WEAKREF: i32 = 7;
// @ts-ignore: decorator
@inline export const E_OUT_OF_MEMORY: i32 = 8;      // memory could not grow (limit or 4 GiB)
// @ts-ignore: decorator
@inline export const E_BAD_TYPE: i32 = 9;
// @ts-ignore: decorator
@inline export const E_NOT_BOUND: i32 = 10;         // unbind of an object with no root binding
// @ts-ignore: decorator
@inline export const E_BAD_ARGUMENT: i32 = 11;
// @ts-ignore: decorator
@inline export const E_NOT_FOUND: i32 = 12;         // revive: not in the list
// @ts-ignore: decorator
@inline export const E_BASIC_WEAKREF_EXISTS: i32 = 13; // CPython would hand out the same callback-less weakref
// @ts-ignore: decorator
@inline export const E_UNSUPPORTED: i32 = 14;       // the profile's CPython lacks this feature
// @ts-ignore: decorator
@inline export const E_COLLECTING: i32 = 15;        // not allowed while a collection runs
