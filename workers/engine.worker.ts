// Worker entry: exposes the engine over comlink, transferring big typed arrays instead of copying them.

import * as Comlink from 'comlink';
import { createEngine } from './engine';
import { createWorkerInflater } from './inflate-in-worker';
import { createWorkerPassPort, SplitPasses } from './split-passes';
import { buildWarmUpDump } from './warm-up';
import { packNames, type EngineWireApi, type TopRequest } from './protocol';

// gzip is inflated in a second worker while this one decodes what has arrived; the first top of a large
// profile is summed in two halves, one in the pass worker.
const passPort = createWorkerPassPort();
const engine = createEngine({ inflate: createWorkerInflater() ?? undefined, passes: passPort ? new SplitPasses(passPort) : undefined });

// Decode a small built-in dump once while the page loads: a person's first dump then meets compiled code
// (cold, goroutine_t1's 1.5 MB took ~90 ms, most of it the JIT warming up).
setTimeout(async () => {
  const result = await engine.open(new TextEncoder().encode(buildWarmUpDump(400)).buffer, 'warm-up.txt');
  if (result.ok) engine.close(result.summary.id);
}, 0);

const api: EngineWireApi = {
  open: (bytes, fileName, onProgress) => engine.open(bytes, fileName, onProgress),
  top: (id: string, request: TopRequest) => engine.inTurn(async () => {
    const preparedMs = await engine.prepareTop(id, request);
    const { name, ...view } = engine.top(id, request);
    view.computeMs += preparedMs;
    // Copies, so the cached report keeps its own arrays; then transferred, not cloned.
    const out = {
      ...view,
      ...packNames(name),
      flat: view.flat.slice(),
      cum: view.cum.slice(),
      sumFlat: view.sumFlat.slice(),
      inline: view.inline.slice(),
    };
    return Comlink.transfer(out, [out.flat.buffer, out.cum.buffer, out.sumFlat.buffer, out.inline.buffer, out.nameStart.buffer]);
  }),
  topTsv: async (id, request) => engine.topTsv(id, request),
  close: async (id) => engine.close(id),
  // Goroutine replies are built per request (nothing cached shares their arrays): transferred as they are.
  goroutines: async (id, request) => {
    const report = engine.goroutines(id, request);
    return Comlink.transfer(report, typedArrayBuffers(report.rows));
  },
  // Flame frames are cached by the engine: copies are transferred.
  flame: (id, request) => engine.inTurn(async () => {
    const preparedMs = await engine.prepareFlame(id, request);
    const cached = engine.flame(id, request);
    const view = Object.fromEntries(Object.entries(cached).map(([k, v]) => [k, ArrayBuffer.isView(v) ? (v as Float64Array).slice() : v])) as typeof cached;
    view.computeMs += preparedMs;
    return Comlink.transfer(view, typedArrayBuffers(view));
  }),
  flameMatches: async (id, sampleIndex, pattern, refine) => engine.flameMatches(id, sampleIndex, pattern, refine),
  peek: async (id, request) => engine.peek(id, request),
  tags: async (id, request) => engine.tags(id, request),
  goroutineStack: async (id, grouping, bucket) => engine.goroutineStack(id, grouping, bucket),
  // A call graph is strings and small arrays of plain objects: cloned.
  graph: async (id, request) => engine.graph(id, request),
  goroutineGrowth: async (beforeId, afterId) => {
    const growth = engine.goroutineGrowth(beforeId, afterId);
    return Comlink.transfer(growth, typedArrayBuffers(growth));
  },
};

/** The buffers of an object's typed-array fields, for a transfer list. */
function typedArrayBuffers(o: object): ArrayBuffer[] {
  return Object.values(o).flatMap((v) => (ArrayBuffer.isView(v) ? [v.buffer as ArrayBuffer] : []));
}

Comlink.expose(api);
