// The policy registry: one file per policy; adding one is a file plus a line here.
import type { Policy } from "../types.js";
import { cpython } from "./cpython.js";
import { fixed } from "./fixed.js";
import { memory } from "./memory.js";
import { incremental } from "./incremental.js";
import { userExample } from "./user-example.js";

export const POLICIES: readonly Policy[] = [cpython, fixed, memory, incremental, userExample];
