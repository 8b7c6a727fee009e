// A typed promise client over the engine worker (comlink), for the state layer.

import * as Comlink from 'comlink';
import { unpackNames, type EngineApi, type EngineWireApi } from '../../workers/protocol';

export type { EngineApi, OpenProgress, OpenResult, ProfileSummary, TopRequest, TopView, TopSort } from '../../workers/protocol';
export type { FlameMatches, FlameRequest, FlameView, PeekRequest, PeekResult } from '../../workers/protocol';
export type { GraphEdgeInfo, GraphNodeInfo, GraphRequest, GraphView } from '../../workers/protocol';
export type { TagsRequest, TagsView } from '../../workers/protocol';
export type {
  GoroutineBucketStack,
  GoroutineGrouping,
  GoroutineGrowth,
  GoroutinesReport,
  GoroutinesRequest,
} from '../../workers/protocol';

/**
 * The client the UI uses: the engine's API (`open` transfers bytes, so the caller's buffer is emptied; a
 * Blob goes as a handle) plus `dispose`, which stops the worker. One worker per client.
 */
export interface EngineClient extends EngineApi {
  dispose(): void;
}

/** Starts the engine worker and returns its client. */
export function createEngineClient(): EngineClient {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
  const api = Comlink.wrap<EngineWireApi>(worker);
  return {
    open: (bytes, fileName, onProgress) =>
      api.open(bytes instanceof Blob ? bytes : Comlink.transfer(bytes, [bytes]), fileName, onProgress ? Comlink.proxy(onProgress) : undefined),
    top: async (id, request) => {
      const { nameText, nameStart, ...view } = await api.top(id, request);
      return { ...view, name: unpackNames(nameText, nameStart) };
    },
    topTsv: (id, request) => api.topTsv(id, request),
    close: (id) => api.close(id),
    goroutines: (id, request) => api.goroutines(id, request),
    flame: (id, request) => api.flame(id, request),
    flameMatches: (id, sampleIndex, pattern, refine) => api.flameMatches(id, sampleIndex, pattern, refine),
    peek: (id, request) => api.peek(id, request),
    goroutineStack: (id, grouping, bucket) => api.goroutineStack(id, grouping, bucket),
    goroutineGrowth: (beforeId, afterId) => api.goroutineGrowth(beforeId, afterId),
    tags: (id, request) => api.tags(id, request),
    graph: (id, request) => api.graph(id, request),
    dispose: () => worker.terminate(),
  };
}
