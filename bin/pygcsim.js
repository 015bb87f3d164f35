#!/usr/bin/env node
// The CLI compiles the engine with V8's optimizing tier right away (no Liftoff
// baseline first), so the first large collection already runs optimized code.
import v8 from "node:v8";
v8.setFlagsFromString("--no-liftoff");
// A reader that stops early (`| head`) closes the pipe: the rest of the output
// is dropped without a stack trace, and the exit status stays the run's own.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => { if (e.code !== "EPIPE") throw e; });
}
const { main } = await import("../dist/src/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
