// Pan and zoom arithmetic of the call graph.

import { describe, expect, it } from 'vitest';
import { fitView, MAX_SCALE, MIN_SCALE, panBy, wheelFactor, zoomAt } from '../../src/views/call-graph/pan-zoom';

describe('zoomAt', () => {
  it('keeps the content point under the cursor in place', () => {
    const before = { x: 30, y: -20, scale: 0.5 };
    const after = zoomAt(before, 2, 200, 100);
    const contentX = (200 - before.x) / before.scale;
    const contentY = (100 - before.y) / before.scale;
    expect(after.scale).toBe(1);
    expect(after.x + contentX * after.scale).toBeCloseTo(200);
    expect(after.y + contentY * after.scale).toBeCloseTo(100);
  });

  it('clamps the scale', () => {
    expect(zoomAt({ x: 0, y: 0, scale: 1 }, 1000, 0, 0).scale).toBe(MAX_SCALE);
    expect(zoomAt({ x: 0, y: 0, scale: 1 }, 1e-6, 0, 0).scale).toBe(MIN_SCALE);
  });
});

describe('fitView and panBy', () => {
  it('shrinks a large graph to the viewport, centred, and never enlarges a small one', () => {
    const big = fitView(2000, 1000, 1000, 600, 0);
    expect(big.scale).toBeCloseTo(0.5);
    expect(big.x).toBeCloseTo(0);
    expect(big.y).toBeCloseTo(50);
    const small = fitView(100, 100, 1000, 600);
    expect(small.scale).toBe(1);
    expect(small.x).toBe(450);
  });

  it('falls back to 1:1 without sizes, and pans by pixels', () => {
    expect(fitView(0, 0, 100, 100)).toEqual({ x: 0, y: 0, scale: 1 });
    expect(panBy({ x: 1, y: 2, scale: 3 }, 10, -5)).toEqual({ x: 11, y: -3, scale: 3 });
  });
});

describe('wheelFactor', () => {
  it('zooms in on a wheel up and out on a wheel down, by lines or pixels alike', () => {
    expect(wheelFactor(-100, 0)).toBeGreaterThan(1);
    expect(wheelFactor(100, 0)).toBeLessThan(1);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(48, 0));
    expect(wheelFactor(100, 0) * wheelFactor(-100, 0)).toBeCloseTo(1);
  });
});
