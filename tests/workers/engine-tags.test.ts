// The engine's `tags`: pprof's -tags report of an open profile, after the refine options, as go tool pprof prints it.

import { describe, expect, it } from 'vitest';
import { LEAKY } from '../helpers/fixtures';
import { openInEngine } from '../helpers/open-engine';
import { readOracle } from '../helpers/run-top';

const open = (name: string) => openInEngine(name);

describe('engine.tags', () => {
  it.each(['goroutine_t1', 'cpu'])('%s equals go tool pprof -tags, cell by cell and as text', async (name) => {
    const { engine, id, sampleIndex } = await open(`${name}.pb.gz`);
    const view = engine.tags(id, { sampleIndex });
    const oracle = readOracle(`${LEAKY}${name}.tags.txt`);
    expect(view.text).toEqual(oracle);
    // Every cell the panel shows is the oracle's: `key: Total X`, then `amount (percent): value` lines.
    const cells = view.keys.flatMap((k) => [`${k.key}: Total ${k.totalText}`, ...k.values.map((v) => `${v.valueText} (${v.percentText}): ${v.name}`)]);
    const squeezed = oracle.filter((l) => l.trim() !== '').map((l) => l.trim().replace(/\(\s+/, '('));
    expect(cells).toEqual(squeezed);
  });

  it('names the goroutine profile\'s handler values with their counts', async () => {
    const { engine, id, sampleIndex } = await open('goroutine_t1.pb.gz');
    const view = engine.tags(id, { sampleIndex });
    expect(view.sampleType).toBe('goroutine');
    expect(view.keys.map((k) => k.key)).toEqual(['handler']);
    expect(view.keys[0]!.values[0]).toMatchObject({ name: '/api/orders', value: 3000, valueText: '3000.0', percentText: '55.80%' });
    expect(view.keys[0]!.unit).toBeUndefined();
  });

  it('applies the refine options first, as go tool pprof -tags -tagfocus does', async () => {
    const { engine, id, sampleIndex } = await open('cpu.pb.gz');
    const view = engine.tags(id, { sampleIndex, tagFocus: 'handler=/api/search' });
    expect(view.text).toEqual(readOracle(`${LEAKY}options/cpu.tags-tagfocus.txt`));
    expect(view.notices).toBeUndefined();
    // The unfiltered report is still there afterwards (refined profiles are cached by their options).
    expect(engine.tags(id, { sampleIndex }).text).toEqual(readOracle(`${LEAKY}cpu.tags.txt`));
  });

  it('warns about a tag filter that matched nothing, and has no keys then', async () => {
    const { engine, id, sampleIndex } = await open('cpu.pb.gz');
    const view = engine.tags(id, { sampleIndex, tagFocus: 'handler=^nowhere$' });
    expect(view.keys).toEqual([]);
    expect(view.notices).toEqual(['TagFocus expression matched no samples']);
  });

  it('gives numeric labels their unit and the raw values each printed value stands for', async () => {
    const { engine, id, sampleIndex } = await open('heap_t3.pb.gz');
    const bytes = engine.tags(id, { sampleIndex }).keys.find((k) => k.key === 'bytes')!;
    expect(bytes.unit).toBe('bytes');
    expect(bytes.values[0]).toMatchObject({ name: '2kB', numMin: 2048, numMax: 2048 });
  });

  it('has no keys for a profile without labels', async () => {
    const { engine, id, sampleIndex } = await open('block.pb.gz');
    expect(engine.tags(id, { sampleIndex }).keys).toEqual([]);
  });
});
