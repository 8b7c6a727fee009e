// Worker entry: exposes the engine over comlink, transferring big typed arrays instead of copying them.

import * as Comlink from 'comlink';
import { createEngine } from './engine';
import { packNames, type EngineWireApi, type TopRequest } from './protocol';

const engine = createEngine();

const api: EngineWireApi = {
  open: (bytes, fileName, onProgress) => engine.open(bytes, fileName, onProgress),
  top: async (id: string, request: TopRequest) => {
    const { name, ...view } = engine.top(id, request);
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
  },
  topTsv: async (id, request) => engine.topTsv(id, request),
  close: async (id) => engine.close(id),
};

Comlink.expose(api);
