// Types of probe.mjs (plain JavaScript, so that a page imports it as it is).
/** The same calls in a page and in Node; the result is JSON (test/browser-chromium.test.ts compares it). */
export function probe(api: unknown, read: (path: string) => Promise<Uint8Array>): Promise<Record<string, unknown>>;
