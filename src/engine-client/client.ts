// A typed promise client over the engine worker (comlink), for the state layer.

import * as Comlink from 'comlink';
import type { EngineApi, OpenProgress, OpenResult, TopRequest, TopView } from '../../workers/protocol';

export type { EngineApi, OpenProgress, OpenResult, ProfileSummary, TopRequest, TopView, TopSort } from '../../workers/protocol';

/** The client the UI uses; one worker per client. */
export interface EngineClient {
  /** Sends the bytes to the worker (transferred: `bytes` is emptied). */
  open(bytes: ArrayBuffer, fileName: string, onProgress?: (p: OpenProgress) => void): Promise<OpenResult>;
  top(id: string, request: TopRequest): Promise<TopView>;
  topTsv(id: string, request: TopRequest): Promise<string>;
  close(id: string): Promise<void>;
  heapBytes(): Promise<number | null>;
  dispose(): void;
}

/** Starts the engine worker and returns its client. */
export function createEngineClient(): EngineClient {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
  const api = Comlink.wrap<EngineApi>(worker);
  return {
    open: (bytes, fileName, onProgress) =>
      api.open(Comlink.transfer(bytes, [bytes]), fileName, onProgress ? Comlink.proxy(onProgress) : undefined),
    top: (id, request) => api.top(id, request),
    topTsv: (id, request) => api.topTsv(id, request),
    close: (id) => api.close(id),
    heapBytes: () => api.heapBytes(),
    dispose: () => worker.terminate(),
  };
}
