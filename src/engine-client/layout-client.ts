// The Graphviz layout worker (workers/layout.worker.ts), started on first use: its WebAssembly is 1.2 MB.

import * as Comlink from 'comlink';
import type { LayoutEngine, LayoutResult } from '../../workers/layout';

export type { LayoutResult };

export interface LayoutClient {
  layout(dot: string): Promise<LayoutResult>;
  /** Starts the worker and Graphviz ahead of the first layout. */
  warm(): void;
  dispose(): void;
}

/** Returns a layout client backed by one lazily started worker. */
export function createLayoutClient(): LayoutClient {
  let worker: Worker | null = null;
  let api: Comlink.Remote<LayoutEngine> | null = null;
  const get = () => {
    if (!api) {
      worker = new Worker(new URL('../../workers/layout.worker.ts', import.meta.url), { type: 'module', name: 'layout' });
      api = Comlink.wrap<LayoutEngine>(worker);
    }
    return api;
  };
  return {
    layout: (dot) => get().layout(dot),
    warm: () => void get().warm(),
    dispose: () => {
      worker?.terminate();
      worker = null;
      api = null;
    },
  };
}
