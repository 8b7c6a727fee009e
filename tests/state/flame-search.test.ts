// FlameState's search: asked at once after quiet, then coalesced per FLAME_SEARCH_DEBOUNCE_MS window.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlameMatches } from '../../src/engine-client/client';
import { FLAME_SEARCH_DEBOUNCE_MS, FlameState, type FlameEngine } from '../../src/state/flame.svelte';

function fakeEngine() {
  const asked: string[] = [];
  const engine = {
    flame: () => Promise.reject(new Error('not used')),
    peek: () => Promise.reject(new Error('not used')),
    flameMatches: async (_id: string, _si: number, pattern: string): Promise<FlameMatches> => {
      asked.push(pattern);
      return { ok: true, nodes: new Int32Array([0]), value: pattern.length, total: 10 };
    },
  } as unknown as FlameEngine;
  return { engine, asked };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('flame search timing', () => {
  it('asks the engine at once for the first change after quiet', async () => {
    const { engine, asked } = fakeEngine();
    const state = new FlameState(engine, 'flame');
    state.setSearch('p1', 0, 'json');
    expect(asked).toEqual(['json']);
    await vi.runAllTimersAsync();
    expect(state.matchesOf('p1', 0)?.ok && state.matchesOf('p1', 0)).toMatchObject({ value: 4 });
    expect(asked).toEqual(['json']);
  });

  it('coalesces changes within the window into one request for the latest text at its end', async () => {
    const { engine, asked } = fakeEngine();
    const state = new FlameState(engine, 'flame');
    state.setSearch('p1', 0, 'j');
    state.setSearch('p1', 0, 'js');
    state.setSearch('p1', 0, 'jso');
    expect(asked).toEqual(['j']);
    await vi.advanceTimersByTimeAsync(FLAME_SEARCH_DEBOUNCE_MS - 1);
    state.setSearch('p1', 0, 'json');
    expect(asked).toEqual(['j']);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual(['j', 'json']);
    // The stale 'j' reply is not shown: the matches are those of 'json'.
    expect(state.matchesOf('p1', 0)).toMatchObject({ value: 4 });
    // Quiet again: the next change is asked for at once.
    await vi.advanceTimersByTimeAsync(FLAME_SEARCH_DEBOUNCE_MS);
    state.setSearch('p1', 0, 'jsonx');
    expect(asked).toEqual(['j', 'json', 'jsonx']);
  });
});
