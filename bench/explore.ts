// The explorer with a large real heap: a dump of ~500,000 objects (made by
// python/pygcsim_dump.py from a small program under CPython 3.12, cached in
// .cache/), opened in the page (headless Chromium: parse with
// DecompressionStream, Heap.fromDump, the summary drawn) against the same
// load in Node (parseDump, Heap.fromDump, summarizeLoad), side by side, and
// the page's full-collection forecast. Needs Chromium (PYGCSIM_CHROMIUM or
// /usr/bin/chromium) and a CPython 3 (pyenv 3.12.1, or python3).
//
//   node dist/bench/explore.js [--reps 3] [--md bench/RESULTS.md]

import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { execFileSync, spawn } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Heap, parseDump, summarizeLoad } from "../src/index.js";
import { pyenvRoot } from "./cpython.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const reps = Number(arg("--reps") ?? 3);
const md = arg("--md");
const log = (s: string) => process.stderr.write(s + "\n");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const PROGRAM = `
class Node:
    __slots__ = ("parent", "kids", "data")
    def __init__(self, parent):
        self.parent = parent
        self.kids = []
        self.data = {}
roots = []
for i in range(40000):
    r = Node(None)
    for j in range(3):
        r.kids.append(Node(r))
    roots.append(r)
`;

function dumpFile(): string {
  const dir = join(root, ".cache");
  const file = join(dir, "explore-heap.jsonl.gz");
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const py = [join(pyenvRoot(), "versions", "3.12.1", "bin", "python"), "python3"].find((p) => p === "python3" || existsSync(p))!;
  writeFileSync(join(dir, "explore-heap.py"), PROGRAM);
  log(`making ${file} with ${py}`);
  execFileSync(py, [join(root, "python", "pygcsim_dump.py"), file, "--", join(dir, "explore-heap.py")], { stdio: "inherit" });
  return file;
}

async function main(): Promise<void> {
  const file = dumpFile();
  const node: number[] = [];
  let objects = 0;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    const s = summarizeLoad(Heap.fromDump(parseDump(file), { python: "3.12" }));
    node.push(performance.now() - t);
    objects = s.objects;
  }
  const server = spawn(process.execPath, [join(root, "bin", "pygcsim.js"), "explore", "--python", "3.12", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve) => {
    let out = "";
    server.stdout!.on("data", (d) => { out += d; const m = /serving (\S+)/.exec(out); if (m) resolve(m[1]); });
  });
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.PYGCSIM_CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page: number[] = [], forecast: number[] = [];
  try {
    for (let r = 0; r < reps; r++) {
      const p = await browser.newPage();
      await p.goto(url);
      await p.waitForSelector("body[data-ready]");
      let t = performance.now();
      await p.setInputFiles("[data-testid=file-input]", file);
      await p.waitForSelector("[data-testid=dump-summary]", { timeout: 300_000 });
      page.push(performance.now() - t);
      t = performance.now();
      await p.click("[data-testid=forecast]");
      await p.waitForSelector("[data-testid=dump-forecast] p", { timeout: 300_000 });
      forecast.push(performance.now() - t);
      await p.close();
    }
  } finally {
    await browser.close();
    server.kill("SIGINT");
  }
  const ms = (x: number) => `${Math.round(x).toLocaleString("en-US")} ms`;
  const text = [
    "", "## The explorer with a large real heap", "",
    `\`node dist/bench/explore.js --reps ${reps}\`: a dump of ${objects.toLocaleString("en-US")} objects (a forest of 40,000 four-node trees with their lists and dicts, CPython 3.12.1; ${file.replace(root + "/", "")}), medians of ${reps}. Node: parseDump + Heap.fromDump + summarizeLoad; the page: from choosing the file to the summary drawn (DecompressionStream, Heap.fromDump, summarizeLoad, the tables), headless Chromium; then the page's *gc.collect()* forecast.`, "",
    "| objects | Node load | page open | page / Node | page forecast |", "| ---: | ---: | ---: | ---: | ---: |",
    `| ${objects.toLocaleString("en-US")} | ${ms(median(node))} | ${ms(median(page))} | ${(median(page) / median(node)).toFixed(2)}x | ${ms(median(forecast))} |`, "",
  ].join("\n") + "\n";
  process.stdout.write(text);
  if (md) appendFileSync(join(root, md), text);
}

main().catch((e) => { log(String(e)); process.exit(1); });
