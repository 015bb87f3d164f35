#!/usr/bin/env node
// The CLI compiles the engine with V8's optimizing tier right away (no Liftoff
// baseline first), so the first large collection already runs optimized code.
import v8 from "node:v8";
v8.setFlagsFromString("--no-liftoff");
const { main } = await import("../dist/src/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
