// The same calls in a page and in Node: test/browser-chromium.test.ts runs
// probe() in Chromium (the browser entry, unbundled and bundled) and in Node
// (the Node entry) and compares the JSON. Plain JavaScript: a page imports
// it as it is.

/**
 * @param {any} api the pygcsim module: the browser entry (after init()) or the Node entry
 * @param {(path: string) => Promise<Uint8Array>} read a file of the repository, by its path there
 */
export async function probe(api, read) {
  const { Heap } = api;
  const out = {};

  // a = Obj(); b = Obj(); a.s0 = b; b.s0 = a; c = a; del a, b, c; gc.collect()
  const heap = new Heap();
  const a = heap.newObject("obj");
  const b = heap.newObject("obj");
  heap.addRef(a, b);
  heap.addRef(b, a);
  heap.bind(a);
  out.rootsAfterBind = heap.rootCount(a);
  heap.unbind(a);
  heap.unbind(a);
  heap.unbind(b);
  out.refcountsBeforeCollect = [heap.refcount(a), heap.refcount(b)];
  out.cycleCollected = heap.collect();
  out.aliveAfter = [heap.exists(a), heap.exists(b)];

  // 3.14's profile: its own thresholds and collector
  const h14 = new Heap({ python: "3.14" });
  const x = h14.newObject("fin");
  h14.addRef(x, x);
  h14.unbind(x);
  out.py314 = { series: h14.profile.series, version: h14.profile.version, threshold: h14.getThreshold(), collected: h14.collect(), stats: h14.getStats() };

  // a conformance scenario, under three profiles
  const scn = JSON.parse(new TextDecoder().decode(await read("test/conformance/cases/fin_cycle_two.json")));
  out.scenario = {};
  for (const v of ["2.7", "3.11", "3.14"]) out.scenario[v] = api.runScenario(scn, v, { stem: "fin_cycle_two" });

  // the garbage tracker's report, and a cycle's graph
  const t = new api.GarbageTracker(heap).start();
  const l = heap.newObject("list");
  const d = heap.newObject("dict");
  heap.addRef(l, d);
  heap.addRef(d, l);
  const svg = api.toSvg(api.cycleGraph(heap, l));
  out.cycleSvgBytes = svg.length;
  out.cycleDot = api.toDot(api.cycleGraph(heap, l));
  heap.unbind(l);
  heap.unbind(d);
  heap.collect();
  out.report = api.formatReport(t.stop());

  // a real heap: a gzip dump through DecompressionStream
  const data = await api.parseDumpBytes(await read("examples/heap-3.12.1.jsonl.gz"), "heap-3.12.1.jsonl.gz");
  const loaded = Heap.fromDump(data);
  out.dump = { summary: api.summarizeLoad(loaded), forecast: api.forecastFullCollection(loaded) };
  return JSON.parse(JSON.stringify(out));
}
