// The engine as the worker runs it, called directly: no worker, no transfer (for component tests of views
// over the real engine).

import type { EngineClient } from '../../src/engine-client/client';
import { createEngine } from '../../workers/engine';

/** An EngineClient over an in-process engine; `warm` as createEngine's option (idle sums of other types). */
export function createInProcessClient(warm = true): EngineClient {
  const e = createEngine({ warm });
  return {
    open: (bytes, name, onProgress) => e.open(bytes, name, onProgress),
    top: async (id, r) => e.top(id, r),
    topTsv: async (id, r) => e.topTsv(id, r),
    close: async (id) => e.close(id),
    goroutines: async (id, r) => e.goroutines(id, r),
    goroutineStack: async (id, g, b) => e.goroutineStack(id, g, b),
    goroutineGrowth: async (a, b) => e.goroutineGrowth(a, b),
    flame: async (id, r) => e.flame(id, r),
    flameMatches: async (id, i, p, r) => e.flameMatches(id, i, p, r),
    peek: async (id, r) => e.peek(id, r),
    tags: async (id, r) => e.tags(id, r),
    graph: async (id, r) => e.graph(id, r),
    dispose: () => {},
  };
}
