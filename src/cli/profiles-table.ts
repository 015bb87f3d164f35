// `pygcsim profiles`: the profile table, one row per CPython version.
import { PROFILES } from "../profiles.js";

export function profilesTable(): string {
  const rows = PROFILES.map((p) => [
    p.series,
    p.version,
    p.thresholds.join("/"),
    p.legacyDel ? "legacy (uncollectable)" : "PEP 442",
    p.resurrection,
    p.counting,
    p.untrackTuplesInScan ? "in scan" : "pass",
    p.safePoint ? "safe point" : "immediate",
    p.incremental ? "incremental" : "generational",
    p.countTracked ? "tracked" : "allocations",
    String(p.startupObjects),
    p.trashcan.limit === 50
      ? `nesting 50${p.trashcan.instanceBias ? " (quirk)" : ""}${p.trashcan.finalizerFrames ? " + frames" : ""}`
      : `C stack ${p.trashcan.limit + 50}`,
    p.summary,
  ]);
  const head = ["profile", "recorded", "thresholds", "__del__", "resurrection", "collected counted", "tuple untrack", "auto gc", "collector", "count[0]", "start-up", "trashcan", "what sets it apart"];
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join("  ")).join("\n");
}
