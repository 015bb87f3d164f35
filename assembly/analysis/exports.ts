// The wasm ABI of the heap analyses (assembly/analysis/*): re-exported by
// assembly/index.ts. Each export has a one-line doc saying who calls it.
