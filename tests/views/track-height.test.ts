// trackHeight: the height comes from the ResizeObserver's reports (after layout), never read at mount.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackHeight } from '../../src/views/shared/track-height';

type Callback = () => void;

/** A ResizeObserver stand-in whose reports the test sends. */
function installFakeObserver() {
  const observers: { callback: Callback; observed: Element[]; disconnected: boolean }[] = [];
  class FakeResizeObserver {
    entry: (typeof observers)[number];
    constructor(callback: Callback) {
      this.entry = { callback, observed: [], disconnected: false };
      observers.push(this.entry);
    }
    observe(el: Element) {
      this.entry.observed.push(el);
    }
    disconnect() {
      this.entry.disconnected = true;
    }
  }
  vi.stubGlobal('ResizeObserver', FakeResizeObserver);
  return observers;
}

afterEach(() => vi.unstubAllGlobals());

describe('trackHeight', () => {
  it('reports clientHeight on each observer report, not at mount; follows a new callback; disconnects', () => {
    const observers = installFakeObserver();
    let height = 500;
    let reads = 0;
    const node = {
      get clientHeight() {
        reads++;
        return height;
      },
    } as unknown as HTMLElement;
    const seen: number[] = [];
    const action = trackHeight(node, (h) => seen.push(h));
    expect(reads).toBe(0);
    expect(observers[0]!.observed).toEqual([node]);
    observers[0]!.callback();
    expect(seen).toEqual([500]);
    const later: number[] = [];
    action.update((h) => later.push(h));
    height = 320;
    observers[0]!.callback();
    expect(later).toEqual([320]);
    expect(seen).toEqual([500]);
    action.destroy?.();
    expect(observers[0]!.disconnected).toBe(true);
  });

  it('reports nothing without a ResizeObserver (the table keeps its fallback height)', () => {
    vi.stubGlobal('ResizeObserver', undefined);
    const seen: number[] = [];
    trackHeight({ clientHeight: 10 } as unknown as HTMLElement, (h) => seen.push(h));
    expect(seen).toEqual([]);
  });
});
