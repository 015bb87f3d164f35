// The static import graph of compiled ES modules: which files an entry
// reaches through import / export … from / import("…") with a literal
// specifier, and the bare specifiers (packages, Node built-ins) it names.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, relative, resolve } from "node:path";

/** A bare specifier a module names, with the chain of files from the entry to it. */
export interface BareImport {
  specifier: string;
  chain: string[];
}

const SPECIFIERS = [
  /\bimport\s*(?:[\w*${}\s,]+\s*from\s*)?["']([^"']+)["']/g,
  /\bexport\s*(?:type\s*)?[\w*${}\s,]*\s*from\s*["']([^"']+)["']/g,
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
];

/** Comments out of the way: a specifier quoted in a comment is not an import. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");

/** Every file `entry` reaches (relative to `root`) and every bare specifier on the way. */
export function importGraph(entry: string, root: string): { files: string[]; bare: BareImport[]; edges: Map<string, string[]> } {
  const edges = new Map<string, string[]>();
  const bare: BareImport[] = [];
  const chains = new Map<string, string[]>();
  const queue = [resolve(entry)];
  chains.set(queue[0], [relative(root, queue[0])]);
  while (queue.length) {
    const file = queue.shift()!;
    const chain = chains.get(file)!;
    const out: string[] = [];
    const text = code(readFileSync(file, "utf8"));
    for (const re of SPECIFIERS) {
      for (const m of text.matchAll(re)) {
        const s = m[1];
        if (!s.startsWith(".") && !s.startsWith("/")) {
          bare.push({ specifier: s, chain });
          continue;
        }
        const target = resolve(dirname(file), s);
        out.push(target);
        if (!chains.has(target)) {
          chains.set(target, [...chain, relative(root, target)]);
          queue.push(target);
        }
      }
    }
    edges.set(file, out);
  }
  return { files: [...chains.keys()].map((f) => relative(root, f)).sort(), bare, edges };
}

/** Node's built-in modules, with and without "node:". */
export const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export const isNodeBuiltin = (specifier: string) => specifier.startsWith("node:") || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split("/")[0]);

/** An import cycle among the graph's files (as a chain a → … → a), or null. */
export function findCycle(edges: Map<string, string[]>, root: string): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 done
  const stack: string[] = [];
  const visit = (f: string): string[] | null => {
    state.set(f, 1);
    stack.push(f);
    for (const t of edges.get(f) ?? []) {
      if (state.get(t) === 1) return [...stack.slice(stack.indexOf(t)), t].map((x) => relative(root, x));
      if (!state.has(t)) {
        const c = visit(t);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(f, 2);
    return null;
  };
  for (const f of edges.keys()) {
    if (!state.has(f)) {
      const c = visit(f);
      if (c) return c;
    }
  }
  return null;
}
