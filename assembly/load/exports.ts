// The wasm ABI for loading a real Python heap (assembly/load/*): re-exported
// by assembly/index.ts.
