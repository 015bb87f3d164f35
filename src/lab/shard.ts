// Which slice of a sweep this process runs: `--shard i/n`, or `--shard auto`
// read from the batch system's environment (Kubernetes Indexed Jobs, Slurm
// job arrays, a CI matrix), so a job runner needs no glue script
// (docs/sharding.md).

import { InvalidArgumentError } from "../errors.js";

/** A resolved shard: i of n (1-based, as `--shard i/n`), and where it came from. */
export interface Shard {
  index: number;
  count: number;
  /** "option" (--shard i/n), "kubernetes", "slurm" or "ci" (PYGCSIM_SHARD_INDEX/COUNT). */
  source: "option" | "kubernetes" | "slurm" | "ci";
  /** The environment variables read, by name (absent for "option"). */
  variables?: Record<string, string>;
}

export type Env = Record<string, string | undefined>;

/** The variable each source is recognised by (its index); the counts are named in the messages. */
const SOURCES = [
  { source: "kubernetes", index: "JOB_COMPLETION_INDEX", what: "JOB_COMPLETION_INDEX with PYGCSIM_SHARD_COUNT (Kubernetes Indexed Job)" },
  { source: "slurm", index: "SLURM_ARRAY_TASK_ID", what: "SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_MIN/MAX/COUNT (Slurm job array)" },
  { source: "ci", index: "PYGCSIM_SHARD_INDEX", what: "PYGCSIM_SHARD_INDEX with PYGCSIM_SHARD_COUNT (a CI matrix)" },
] as const;

const fail = (m: string): never => { throw new InvalidArgumentError(m, "lab"); };

/** A variable's value as a non-negative integer; anything else is refused with its name. */
function intVar(env: Env, name: string, why: string, hint = ""): number {
  const v = env[name];
  if (v === undefined) return fail(`--shard auto: ${why} but ${name} is not${hint}`);
  const t = v.trim();
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n)) fail(`--shard auto: ${name} must be a non-negative integer, got ${JSON.stringify(v.slice(0, 40))}`);
  return n;
}

function checked(s: Shard, vars: string): Shard {
  if (s.count < 1) fail(`--shard auto: the shard count must be at least 1 (${vars})`);
  if (s.index < 1 || s.index > s.count) fail(`--shard auto: ${vars} is not a shard of ${s.count} (index out of range)`);
  return s;
}

/** The shard of `--shard auto`: exactly one source must be in the environment. */
export function shardFromEnv(env: Env): Shard {
  const present = SOURCES.filter((s) => env[s.index] !== undefined);
  if (!present.length) fail(`--shard auto: no shard in the environment (looked for ${SOURCES.map((s) => s.what).join("; ")})`);
  if (present.length > 1) fail(`--shard auto: ${present.map((s) => `${s.index}=${env[s.index]}`).join(" and ")} are both set: give the shard with --shard i/n`);
  const src = present[0].source;
  const text = (names: string[]) => names.map((n) => `${n}=${env[n]}`).join(", ");
  if (src === "kubernetes") {
    // an Indexed Job exports its 0-based index but not its completions: the manifest passes them (docs/sharding.md)
    const i = intVar(env, "JOB_COMPLETION_INDEX", "JOB_COMPLETION_INDEX is set");
    const n = intVar(env, "PYGCSIM_SHARD_COUNT", "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job)",
      ": set it to the Job's completions in the manifest (docs/sharding.md)");
    const names = ["JOB_COMPLETION_INDEX", "PYGCSIM_SHARD_COUNT"];
    return checked({ index: i + 1, count: n, source: src, variables: Object.fromEntries(names.map((k) => [k, env[k]!])) }, text(names));
  }
  if (src === "slurm") {
    // array indices need not start at 0 or 1 (--array=5-7): the shard is the offset from MIN;
    // a step or a list with holes (--array=1-7:2, 1,3,4) would leave shards nobody runs
    const why = "SLURM_ARRAY_TASK_ID is set";
    const id = intVar(env, "SLURM_ARRAY_TASK_ID", why), min = intVar(env, "SLURM_ARRAY_TASK_MIN", why);
    const max = intVar(env, "SLURM_ARRAY_TASK_MAX", why), count = intVar(env, "SLURM_ARRAY_TASK_COUNT", why);
    const names = ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_COUNT"];
    if (max - min + 1 !== count) {
      fail(`--shard auto: the Slurm array must be a contiguous range like --array=${min}-${min + count - 1} (${text(names.slice(1))})`);
    }
    if (id < min || id > max) fail(`--shard auto: SLURM_ARRAY_TASK_ID=${id} is outside ${min}..${max}`);
    return checked({ index: id - min + 1, count, source: src, variables: Object.fromEntries(names.map((k) => [k, env[k]!])) }, text(names));
  }
  // a CI matrix counts like --shard i/n: 1-based
  const i = intVar(env, "PYGCSIM_SHARD_INDEX", "PYGCSIM_SHARD_INDEX is set");
  const n = intVar(env, "PYGCSIM_SHARD_COUNT", "PYGCSIM_SHARD_INDEX is set");
  const names = ["PYGCSIM_SHARD_INDEX", "PYGCSIM_SHARD_COUNT"];
  return checked({ index: i, count: n, source: src, variables: Object.fromEntries(names.map((k) => [k, env[k]!])) }, text(names));
}

/** `--shard i/n` or `--shard auto` (read from `env`). */
export function parseShard(text: string, env: Env): Shard {
  if (text.trim() === "auto") return shardFromEnv(env);
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) fail(`--shard must be i/n or auto, got ${JSON.stringify(text.slice(0, 40))}`);
  const index = Number(m![1]), count = Number(m![2]);
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && index >= 1 && index <= count)) {
    fail(`--shard must be i/n with 1 ≤ i ≤ n, got ${index}/${count}`);
  }
  return { index, count, source: "option" };
}

/** "3/3 from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=2, PYGCSIM_SHARD_COUNT=3)", for stderr. */
export function describeShard(s: Shard): string {
  const where = { option: "--shard", kubernetes: "a Kubernetes Indexed Job", slurm: "a Slurm job array", ci: "PYGCSIM_SHARD_INDEX/COUNT" }[s.source];
  const vars = s.variables ? ` (${Object.entries(s.variables).map(([k, v]) => `${k}=${v}`).join(", ")})` : "";
  return `shard ${s.index}/${s.count} from ${where}${vars}`;
}
