// The commands that belong to no feature folder: the demo, the profiles
// table and `bench shape`.

import { getProfile } from "../profiles.js";
import { runDemo } from "../demo.js";
import { profilesTable } from "./profiles-table.js";
import { runShape, SHAPES, type ShapeName } from "./bench-shape.js";
import { MAX_OBJECTS, PYTHON_OPTION, UsageError, clip, flag, intOption, noPositionals, str, type Command } from "./command.js";

export const demoCommand: Command = {
  name: "demo",
  summary: "the built-in demo: classic cyclic garbage, then a large heap",
  usage: ["demo [--python X.Y] [--n N]"],
  description: "Classic cyclic garbage and what each collection finds, then an N-object heap\ncollected and timed.",
  options: {
    python: PYTHON_OPTION,
    n: { type: "string", value: "N", help: "objects in the large heap (default 1,000,000; 1..20,000,000)" },
  },
  run(a, { out }) {
    noPositionals(a, "demo");
    const n = intOption(a, "n", 1, MAX_OBJECTS);
    const python = getProfile(str(a, "python") ?? "3.11").version; // before the demo prints anything
    runDemo({ python, n, out });
    return 0;
  },
};

export const profilesCommand: Command = {
  name: "profiles",
  summary: "the CPython version profiles and what differs between them",
  usage: ["profiles"],
  description: "One row per CPython version profile: generations, thresholds, collector kind,\nand the behaviours that differ between versions (docs/profiles.md).",
  options: {},
  run(a, { out }) {
    noPositionals(a, "profiles");
    out(profilesTable());
    return 0;
  },
};

export const benchCommand: Command = {
  name: "bench",
  summary: "one heap shape, only its collection timed (auto: its build)",
  usage: ["bench shape --shape reach|garbage|dlist|tree|young|auto --n N [--reps R] [--python X.Y] [--json]"],
  description: "Builds one heap shape of N objects and times only its collection, R times;\nprints the median, the range and what was collected. auto times the build\nitself with automatic collection on (N nodes, 4 random references each,\none op per Python statement).",
  options: {
    shape: { type: "string", value: "S", help: `the heap shape: ${SHAPES.join(", ")} (default reach)` },
    n: { type: "string", value: "N", help: "objects (default 1,000,000; 1..20,000,000)" },
    reps: { type: "string", value: "R", help: "repetitions (default 5; 1..1000)" },
    python: PYTHON_OPTION,
    json: { type: "boolean", help: "the last line is JSON: {shape, n, median_ms, min_ms, max_ms, bytes_per_object}" },
  },
  run(a, { out }) {
    if (a.positionals[0] !== "shape" || a.positionals.length > 1) throw new UsageError("bench: the command is `pygcsim bench shape --shape S --n N`");
    const shape = (str(a, "shape") ?? "reach") as ShapeName;
    if (!SHAPES.includes(shape)) throw new UsageError(`--shape must be one of ${SHAPES.join(", ")}, got ${clip(JSON.stringify(shape))}`);
    const n = intOption(a, "n", 1, MAX_OBJECTS) ?? 1_000_000, reps = intOption(a, "reps", 1, 1000) ?? 5;
    const python = getProfile(str(a, "python") ?? "3.11").version;
    const r = runShape(shape, n, reps, python);
    out(`${r.shape} N=${r.n.toLocaleString("en-US")} (${r.python}, ${r.reps} reps): median ${r.median_ms.toFixed(3)} ms [${r.min_ms.toFixed(3)}–${r.max_ms.toFixed(3)}], collected ${r.collected}`);
    if (flag(a, "json")) out(JSON.stringify({ shape: r.shape, n: r.n, median_ms: r.median_ms, min_ms: r.min_ms, max_ms: r.max_ms, bytes_per_object: r.bytes_per_object }));
    return 0;
  },
};
