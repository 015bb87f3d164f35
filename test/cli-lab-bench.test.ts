// The lab and bench commands through the built CLI (dist/): worker threads
// for sweeps, shards and merge, and `bench shape`'s JSON line.
import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const cli = (...args: string[]) => execFileSync(process.execPath, [join(root, "bin", "pygcsim.js"), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

describe("pygcsim lab", () => {
  it("runs a sweep in worker threads, shards it, and merges the shards into the same runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "lab-cli-"));
    const args = ["lab", "--workload", "web-service:requests=300", "--policy", "fixed:threshold0=500|1000|2000,memory", "--python", "3.11"];
    const all = cli(...args, "--jobs", "2", "--json", join(dir, "all.json"), "--svg", join(dir, "svg"));
    expect(all.split("\n").filter(Boolean)).toHaveLength(5); // header + 4 runs
    for (const f of ["garbage-held.svg", "pauses.svg", "work-vs-pause.svg"]) expect(existsSync(join(dir, "svg", f))).toBe(true);
    cli(...args, "--shard", "1/2", "--json", join(dir, "s1.json"));
    cli(...args, "--shard", "2/2", "--json", join(dir, "s2.json"));
    cli("lab", "merge", join(dir, "s1.json"), join(dir, "s2.json"), "--json", join(dir, "merged.json"));
    const strip = (f: string) => JSON.parse(readFileSync(f, "utf8")).runs
      .map((r: { label: string; summary: { examinedTotal: number; collected: number } }) => `${r.label} ${r.summary.examinedTotal} ${r.summary.collected}`).sort();
    expect(strip(join(dir, "merged.json"))).toEqual(strip(join(dir, "all.json")));
  });

  it("rejects a bad shard and an unknown policy with exit status 2 and a message", () => {
    const bad = spawnSync(process.execPath, [join(root, "bin", "pygcsim.js"), "lab", "--policy", "nope"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown policy nope \(known: cpython, fixed, memory/);
    const shard = spawnSync(process.execPath, [join(root, "bin", "pygcsim.js"), "lab", "--shard", "3/2"], { encoding: "utf8" });
    expect(shard.status).toBe(2);
    expect(shard.stderr).toMatch(/--shard must be i\/n with 1 ≤ i ≤ n/);
  });
});

describe("pygcsim bench shape", () => {
  it.each(["reach", "garbage", "dlist", "tree", "young", "auto"])("%s: the last line is the JSON summary", (shape) => {
    const out = cli("bench", "shape", "--shape", shape, "--n", "2000", "--reps", "3", "--json").trim().split("\n");
    const j = JSON.parse(out.at(-1)!);
    expect(Object.keys(j)).toEqual(["shape", "n", "median_ms", "min_ms", "max_ms", "bytes_per_object"]);
    expect(j).toMatchObject({ shape, n: 2000 });
    expect(j.min_ms).toBeLessThanOrEqual(j.median_ms);
    expect(j.median_ms).toBeLessThanOrEqual(j.max_ms);
    // every object holds at least its column entries (14 × 4 bytes) and its share of the edge pool
    expect(j.bytes_per_object).toBeGreaterThan(56);
    const collected = Number(/collected (\d+)/.exec(out[0])![1]);
    // auto: the build frees nothing (every node stays in the list)
    expect(collected).toBe({ reach: 0, young: 0, dlist: 2000, tree: 2250, garbage: collected, auto: 0 }[shape]);
  });
});
