// Worker entry: exposes the engine over comlink, transferring big typed arrays instead of copying them.

import * as Comlink from 'comlink';
import { createEngine } from './engine';
import type { EngineApi, TopRequest } from './protocol';

const engine = createEngine();

const api: EngineApi = {
  open: (bytes, fileName, onProgress) => engine.open(bytes, fileName, onProgress),
  top: async (id: string, request: TopRequest) => {
    const view = engine.top(id, request);
    // Copies, so the cached report keeps its own arrays.
    const out = { ...view, flat: view.flat.slice(), cum: view.cum.slice(), sumFlat: view.sumFlat.slice(), inline: view.inline.slice() };
    return Comlink.transfer(out, [out.flat.buffer, out.cum.buffer, out.sumFlat.buffer, out.inline.buffer]);
  },
  topTsv: async (id, request) => engine.topTsv(id, request),
  close: async (id) => engine.close(id),
  heapBytes: async () => engine.heapBytes(),
};

Comlink.expose(api);
