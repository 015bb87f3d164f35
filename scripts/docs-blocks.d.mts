// Types of scripts/docs-blocks.mjs for the tests that import it (test/docs.test.ts).
export interface Block { lang: string; indent: string; open: number; close: number; body: string[]; before: string }
export interface Step { command: string; expected: string[] }
export interface Transcript { open: number; close: number; varies: RegExp | null; steps: Step[] }
export interface Source { path: string; open: number; close: number; body: string }
export function docFiles(root: string): string[];
export function fencedBlocks(text: string): Block[];
export function transcripts(text: string): Transcript[];
export function sources(text: string): Source[];
export function run(root: string, command: string): string[];
export function matches(expected: string[], actual: string[], varies: RegExp | null): boolean;
export function anchors(text: string): Set<string>;
