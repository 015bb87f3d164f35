// `pygcsim lab --shard auto` (the shard from a Kubernetes Indexed Job, a
// Slurm job array or a CI matrix's variables) and `lab merge`'s checks that
// its inputs are one sweep's complete set of shards (docs/sharding.md).
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { labMain, mergeReports, planJobs } from "../src/lab/cli.js";
import { planOf, type ShardedReport } from "../src/lab/merge.js";
import { parseShard, type Env } from "../src/lab/shard.js";

const root = join(import.meta.dirname, "..");
const made: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), "pygcsim-shard-")); made.push(d); return d; };
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

// 2 workloads × 3 policies: six runs of a few milliseconds each
const WORKLOADS = ["web-service:requests=200,long-lived-growth:size=small"];
const POLICIES = ["fixed:threshold0=500|1000,memory"];
const ARGS = ["--workload", WORKLOADS[0], "--policy", POLICIES[0], "--python", "3.11"];

/** Runs the sweep (or one shard of it) in this process and returns its report. */
async function sweep(o: { shard?: string; env?: Env; seed?: number; policies?: string[] } = {}): Promise<ShardedReport> {
  const f = join(tmp(), "r.json");
  const err: string[] = [];
  const status = await labMain({ workloads: WORKLOADS, policies: o.policies ?? POLICIES, python: "3.11", seed: o.seed ?? 1, json: f, shard: o.shard, env: o.env, jobs: 1 },
    () => {}, (s) => err.push(s));
  expect(status).toBe(0);
  const r = JSON.parse(readFileSync(f, "utf8")) as ShardedReport;
  if (o.shard !== undefined) expect(err[0]).toMatch(new RegExp(`^shard ${r.shard!.index}/${r.shard!.count} from `));
  return r;
}

const save = (r: ShardedReport, name: string) => { const f = join(tmp(), name); writeFileSync(f, JSON.stringify(r)); return f; };
const ids = (r: ShardedReport) => r.runs.map((x) => `${x.workload} ${x.label}`);

describe("--shard auto reads the shard from the environment", () => {
  const all = planJobs(WORKLOADS, POLICIES, "3.11", 1).map((j) => `${j.workload.name} ${j.policy.name} ${JSON.stringify(j.policy.values)}`);

  it("a Kubernetes Indexed Job: JOB_COMPLETION_INDEX is 0-based, the count is the manifest's PYGCSIM_SHARD_COUNT", async () => {
    const r = await sweep({ shard: "auto", env: { JOB_COMPLETION_INDEX: "2", PYGCSIM_SHARD_COUNT: "3" } });
    expect(r.shard).toEqual({ index: 3, count: 3, source: "kubernetes", variables: { JOB_COMPLETION_INDEX: "2", PYGCSIM_SHARD_COUNT: "3" } });
    expect(r.runs.map((x) => x.label)).toEqual(["memory", "memory"]); // runs 3 and 6 of the six
    expect(r.plan!.runs).toBe(all.length);
  });

  it("a Slurm job array: the shard is the offset from SLURM_ARRAY_TASK_MIN (indices need not start at 0 or 1)", async () => {
    const env = { SLURM_ARRAY_TASK_ID: "11", SLURM_ARRAY_TASK_MIN: "10", SLURM_ARRAY_TASK_MAX: "12", SLURM_ARRAY_TASK_COUNT: "3" };
    const r = await sweep({ shard: "auto", env });
    expect(r.shard).toEqual({ index: 2, count: 3, source: "slurm", variables: env });
    expect(r.runs.map((x) => x.label)).toEqual(["fixed(threshold0=1000)", "fixed(threshold0=1000)"]);
    expect(parseShard("auto", { ...env, SLURM_ARRAY_TASK_ID: "10" })).toMatchObject({ index: 1, count: 3 });
    expect(parseShard("auto", { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "1", SLURM_ARRAY_TASK_COUNT: "1" }))
      .toMatchObject({ index: 1, count: 1 });
  });

  it("a CI matrix: PYGCSIM_SHARD_INDEX (1-based, like --shard i/n) and PYGCSIM_SHARD_COUNT", async () => {
    const r = await sweep({ shard: "auto", env: { PYGCSIM_SHARD_INDEX: "1", PYGCSIM_SHARD_COUNT: "3" } });
    expect(r.shard).toMatchObject({ index: 1, count: 3, source: "ci" });
    expect(r.runs.map((x) => x.label)).toEqual(["fixed(threshold0=500)", "fixed(threshold0=500)"]);
  });

  it("--shard i/n is recorded as given by the option", async () => {
    const r = await sweep({ shard: "2/2", env: { PYGCSIM_SHARD_INDEX: "1", PYGCSIM_SHARD_COUNT: "3" } });
    expect(r.shard).toEqual({ index: 2, count: 2, source: "option" });
    expect(r.runs).toHaveLength(3);
  });

  it("through the CLI: the lab command reads process.env", async () => {
    const saved = { ...process.env };
    const d = tmp();
    try {
      delete process.env.SLURM_ARRAY_TASK_ID; delete process.env.PYGCSIM_SHARD_INDEX;
      process.env.JOB_COMPLETION_INDEX = "0";
      process.env.PYGCSIM_SHARD_COUNT = "2";
      const err: string[] = [];
      const status = await main(["lab", ...ARGS, "--jobs", "1", "--shard", "auto", "--json", join(d, "k.json")], () => {}, (s) => err.push(s));
      expect(status).toBe(0);
      expect(err[0]).toBe("shard 1/2 from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=0, PYGCSIM_SHARD_COUNT=2): 3 of 6 runs");
      expect(JSON.parse(readFileSync(join(d, "k.json"), "utf8")).shard).toMatchObject({ index: 1, count: 2, source: "kubernetes" });
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  const refused: [string, Env, RegExp][] = [
    ["no source", {}, /^lab: --shard auto: no shard in the environment \(looked for JOB_COMPLETION_INDEX with PYGCSIM_SHARD_COUNT \(Kubernetes Indexed Job\); SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_MIN\/MAX\/COUNT \(Slurm job array\); PYGCSIM_SHARD_INDEX with PYGCSIM_SHARD_COUNT \(a CI matrix\)\)$/],
    ["a count without an index", { PYGCSIM_SHARD_COUNT: "3" }, /no shard in the environment/],
    ["two sources", { JOB_COMPLETION_INDEX: "0", PYGCSIM_SHARD_COUNT: "2", SLURM_ARRAY_TASK_ID: "1" }, /^lab: --shard auto: JOB_COMPLETION_INDEX=0 and SLURM_ARRAY_TASK_ID=1 are both set: give the shard with --shard i\/n$/],
    ["Kubernetes without the count", { JOB_COMPLETION_INDEX: "0" }, /JOB_COMPLETION_INDEX is set \(a Kubernetes Indexed Job\) but PYGCSIM_SHARD_COUNT is not: set it to the Job's completions/],
    ["Kubernetes index past the count", { JOB_COMPLETION_INDEX: "3", PYGCSIM_SHARD_COUNT: "3" }, /JOB_COMPLETION_INDEX=3, PYGCSIM_SHARD_COUNT=3 is not a shard of 3/],
    ["a count of 0", { PYGCSIM_SHARD_INDEX: "0", PYGCSIM_SHARD_COUNT: "0" }, /the shard count must be at least 1/],
    ["CI index 0 (it is 1-based)", { PYGCSIM_SHARD_INDEX: "0", PYGCSIM_SHARD_COUNT: "3" }, /PYGCSIM_SHARD_INDEX=0, PYGCSIM_SHARD_COUNT=3 is not a shard of 3/],
    ["not a number", { PYGCSIM_SHARD_INDEX: "one", PYGCSIM_SHARD_COUNT: "3" }, /PYGCSIM_SHARD_INDEX must be a non-negative integer, got "one"/],
    ["an empty variable", { PYGCSIM_SHARD_INDEX: "", PYGCSIM_SHARD_COUNT: "3" }, /PYGCSIM_SHARD_INDEX must be a non-negative integer, got ""/],
    ["Slurm without MIN", { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "3" }, /SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN is not$/],
    ["a Slurm array with a step", { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "7", SLURM_ARRAY_TASK_COUNT: "4" },
      /the Slurm array must be a contiguous range like --array=1-4 \(SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_MAX=7, SLURM_ARRAY_TASK_COUNT=4\)/],
  ];
  it.each(refused)("refuses %s", (_, env, message) => {
    expect(() => parseShard("auto", env)).toThrow(message);
  });

  it("--shard takes i/n or auto only", () => {
    expect(() => parseShard("", {})).toThrow(/^lab: --shard must be i\/n or auto, got ""$/);
    expect(() => parseShard("AUTO", { PYGCSIM_SHARD_INDEX: "1", PYGCSIM_SHARD_COUNT: "1" })).toThrow(/--shard must be i\/n or auto, got "AUTO"/);
    expect(() => parseShard("3/2", {})).toThrow(/--shard must be i\/n with 1 ≤ i ≤ n, got 3\/2/);
  });

  it("a refusal is one line on stderr and exit status 2, before any run", async () => {
    const saved = process.env.PYGCSIM_SHARD_INDEX;
    process.env.PYGCSIM_SHARD_INDEX = "x";
    try {
      const out: string[] = [], err: string[] = [];
      const status = await main(["lab", ...ARGS, "--shard", "auto"], (s) => out.push(s), (s) => err.push(s));
      expect(status).toBe(2);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^pygcsim lab: --shard auto: PYGCSIM_SHARD_INDEX must be a non-negative integer, got "x"$/);
    } finally {
      if (saved === undefined) delete process.env.PYGCSIM_SHARD_INDEX; else process.env.PYGCSIM_SHARD_INDEX = saved;
    }
  });
});

describe("lab merge checks that its inputs are one sweep's shards", () => {
  const shards = Promise.all([1, 2, 3].map((i) => sweep({ shard: `${i}/3` }).then((r) => save(r, `s${i}.json`))));
  const merge = async (...files: string[]) => {
    const err: string[] = [];
    const status = await main(["lab", "merge", ...files], () => {}, (s) => err.push(s));
    return { status, err };
  };

  it("complete shards come back in the unsharded order, with the plan", async () => {
    const [s1, s2, s3] = await shards;
    const whole = await sweep();
    const merged = mergeReports([s3, s1, s2]);
    expect(ids(merged)).toEqual(ids(whole));
    expect(merged.plan).toEqual(whole.plan);
  });

  it("names the missing shards", async () => {
    const [s1] = await shards;
    expect(await merge(s1)).toEqual({ status: 2, err: ["pygcsim lab merge: not one complete sweep: missing shards 2/3, 3/3"] });
  });

  it("a report claiming billions of shards: the first missing ones are named, the rest counted", async () => {
    const [s1] = await shards;
    const r = JSON.parse(readFileSync(s1, "utf8")) as ShardedReport;
    r.shard = { ...r.shard!, count: 4e9 };
    r.plan!.runs = 1; // shard 1 of 4e9 holds run 1 of 1
    r.runs = r.runs.slice(0, 1);
    const many = save(r, "many.json");
    expect((await merge(many)).err).toEqual([`pygcsim lab merge: not one complete sweep: missing shards ${
      Array.from({ length: 10 }, (_, k) => `${k + 2}/4000000000`).join(", ")} and 3,999,999,989 more`]);
  });

  it("names a duplicated shard and its files", async () => {
    const [s1, s2, s3] = await shards;
    const again = save(JSON.parse(readFileSync(s2, "utf8")), "s2-again.json");
    expect(await merge(s1, s2, again)).toEqual({ status: 2, err: [`pygcsim lab merge: not one complete sweep: shard 2/3 is given 2 times (${s2}, ${again}); missing shard 3/3`] });
    expect((await merge(s1, s2, s3, again)).err).toEqual([`pygcsim lab merge: not one complete sweep: shard 2/3 is given 2 times (${s2}, ${again})`]);
  });

  it("refuses a shard of another spec", async () => {
    const [s1, s2] = await shards;
    const other = save(await sweep({ shard: "3/3", policies: ["fixed:threshold0=500|2000,memory"] }), "other.json");
    const r = await merge(s1, s2, other);
    expect(r.status).toBe(2);
    expect(r.err).toEqual([`pygcsim lab merge: ${other} and ${s1} are not shards of one sweep: policies fixed:threshold0=500|2000,memory vs fixed:threshold0=500|1000,memory`]);
  });

  it("refuses a shard of another seed", async () => {
    const [s1, s2] = await shards;
    const other = save(await sweep({ shard: "3/3", seed: 2 }), "seed2.json");
    expect((await merge(s1, s2, other)).err).toEqual([`pygcsim lab merge: ${other} and ${s1} are not shards of one sweep: seed 2 vs 1`]);
  });

  it("refuses shards of different counts, a tampered shard, and a report without a plan among shards", async () => {
    const [s1, s2] = await shards;
    const half = save(await sweep({ shard: "2/2" }), "half.json");
    expect((await merge(s1, half)).err).toEqual([`pygcsim lab merge: ${half} is shard 2/2 but ${s1} is 1/3: different shard counts`]);
    const cut = JSON.parse(readFileSync(s2, "utf8")) as ShardedReport;
    cut.runs.pop();
    const short = save(cut, "short.json");
    expect((await merge(s1, short)).err).toEqual([`pygcsim lab merge: ${short}: shard 2/3 of 6 runs should hold 2 runs, it holds 1`]);
    const bare = save({ version: 1, runs: [] }, "bare.json");
    expect((await merge(s1, bare)).err).toEqual([`pygcsim lab merge: ${bare} has no plan (not written by this pygcsim lab): it cannot be checked against ${s1}`]);
  });

  it("one plan whatever the spelling: a default spelt out, a sweep written as a list", () => {
    const plan = (w: string, p: string) => planOf(planJobs([w], [p], "3.11", 1), [w], [p], "3.11", 1);
    const a = plan("web-service", "fixed:threshold0=500..1000*2");
    expect(plan("web-service:requests=5000", "fixed:threshold0=500|1000").hash).toBe(a.hash);
    expect(plan("web-service:requests=5001", "fixed:threshold0=500|1000").hash).not.toBe(a.hash);
    expect(a).toMatchObject({ workloads: ["web-service"], policies: ["fixed:threshold0=500..1000*2"], pythons: ["3.11"], seed: 1, runs: 2 });
  });
});

/** Runs bin/pygcsim.js in its own process. */
function node(args: string[], env: Env = {}): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(root, "bin", "pygcsim.js"), ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (status) => resolve({ status, stderr }));
  });
}

/** A report without what varies from run to run (wall times, the command line). */
function deterministic(f: string): unknown {
  const r = JSON.parse(readFileSync(f, "utf8")) as ShardedReport;
  return {
    version: r.version, plan: r.plan,
    runs: r.runs.map(({ summary: { collectionWallMs: _c, runWallMs: _r, ...summary }, collections, ...run }) =>
      ({ ...run, summary, collections: collections.map(({ wallUs: _w, ...c }) => c) })),
  };
}

describe("a sweep as 3 shards in 3 processes", () => {
  it("merges to the same report as the unsharded run (minus wall times)", async () => {
    const d = tmp();
    const sweepArgs = ["lab", ...ARGS, "--jobs", "1"];
    // each shard finds itself as a CI matrix job would: from PYGCSIM_SHARD_INDEX/COUNT
    const runs = await Promise.all([
      node([...sweepArgs, "--json", join(d, "all.json")]),
      ...[1, 2, 3].map((i) => node([...sweepArgs, "--shard", "auto", "--json", join(d, `shard-${i}.json`)], { PYGCSIM_SHARD_INDEX: String(i), PYGCSIM_SHARD_COUNT: "3" })),
    ]);
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    const merged = await node(["lab", "merge", join(d, "shard-2.json"), join(d, "shard-3.json"), join(d, "shard-1.json"), "--json", join(d, "merged.json")]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(deterministic(join(d, "merged.json"))).toEqual(deterministic(join(d, "all.json")));
    expect((deterministic(join(d, "merged.json")) as { runs: unknown[] }).runs).toHaveLength(6);
  }, 60_000);
});
