// The scheduling policy's host side: the engine's policyDecide import asks a
// delegated policy (written in TypeScript) whether to collect now.

import { InvalidArgumentError } from "../errors.js";
import type { EngineExports } from "../wasm/engine.js";
import type { PolicyState, SchedulingPolicy } from "./types.js";

export class PolicyHost {
  private delegate: ((s: PolicyState) => number | null) | null = null;
  /** True while the delegate runs: the engine is mid-operation, the heap refuses calls. */
  inDecide = false;
  /** What went wrong in the delegate: Heap reports it once the call is complete. */
  failure: { message: string; cause?: unknown } | null = null;

  /** Applies `policy` to the engine (arguments checked first: a refused policy changes nothing). */
  set(w: EngineExports, policy: SchedulingPolicy, op: string): void {
    if (policy === null || typeof policy !== "object" || Array.isArray(policy)) throw new InvalidArgumentError("the policy must be an object", op);
    const ratio = "longLivedRatio" in policy && policy.longLivedRatio !== undefined ? policy.longLivedRatio : 0.25;
    if (!(ratio >= 0 && ratio <= 1e6)) throw new InvalidArgumentError(`longLivedRatio must be ≥ 0, got ${ratio}`, op);
    if (policy.kind === "cpython") {
      this.delegate = null;
      w.setSchedulingPolicy(0, 0, ratio);
    } else if (policy.kind === "memory") {
      if (!(policy.youngBytes > 0)) throw new InvalidArgumentError(`youngBytes must be > 0, got ${policy.youngBytes}`, op);
      this.delegate = null;
      w.setSchedulingPolicy(1, policy.youngBytes, ratio);
    } else if (policy.kind === "delegated") {
      if (typeof policy.decide !== "function") throw new InvalidArgumentError("decide must be a function", op);
      this.delegate = policy.decide;
      w.setSchedulingPolicy(2, 0, ratio);
    } else {
      throw new InvalidArgumentError(`unknown policy kind ${String((policy as { kind: unknown }).kind)}`, op);
    }
  }

  /**
   * The engine's policyDecide import. Nothing may throw through the engine (it
   * would stop mid-operation): a failing policy is remembered, answers "no
   * collection" for the rest of the call, and the Heap reports it afterwards.
   */
  decide(w: EngineExports): number {
    if (!this.delegate || this.failure) return -1;
    const state: PolicyState = {
      count: [w.getCount(0), w.getCount(1), w.getCount(2)],
      threshold: [w.getThreshold(0), w.getThreshold(1), w.getThreshold(2)],
      youngBytes: w.youngBytesNow(),
      liveBytes: w.liveBytesNow(),
      liveObjects: w.liveCount(),
      longLived: { total: w.longLived(0), pending: w.longLived(1) },
    };
    let g: unknown;
    this.inDecide = true;
    try {
      g = this.delegate(state);
    } catch (e) {
      this.failure = { message: `the delegated policy's decide() threw: ${e instanceof Error ? e.message : String(e)}`, cause: e };
      return -1;
    } finally {
      this.inDecide = false;
    }
    if (g === null || g === undefined) return -1;
    if (g !== 0 && g !== 1 && g !== 2) {
      this.failure = { message: `a delegated policy must return 0, 1, 2 or null, got ${typeof g === "number" ? g : typeof g}` };
      return -1;
    }
    return g;
  }
}
