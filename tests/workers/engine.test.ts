// The engine as the worker exposes it: open, top views (sort, filter), TSV, and errors that lose nothing.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine, throttleProgress } from '../../workers/engine';
import type { OpenProgress } from '../../workers/protocol';
import { formatTopRow } from '../../src/report/top';
import { LEAKY } from '../helpers/fixtures';
import { readOracle } from '../helpers/run-top';

const file = (name: string) => {
  const b = readFileSync(`${LEAKY}${name}`);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const request = { sampleIndex: 3, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat' as const, filter: '' };

describe('engine', () => {
  it('opens heap_t3 and answers its top table as pprof prints it', async () => {
    const engine = createEngine();
    const progress: number[] = [];
    const r = await engine.open(file('heap_t3.pb.gz'), 'heap_t3.pb.gz', (p) => progress.push(p.fraction));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.summary.sampleTypes.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(r.summary.defaultSampleIndex).toBe(3);
    expect(r.summary.inflatedBytes).toBeGreaterThan(r.summary.fileBytes);
    expect(progress.at(-1)).toBe(1);
    const view = engine.top(r.summary.id, request);
    const oracle = readOracle(`${LEAKY}heap_t3.inuse_space.top.txt`);
    expect(view.header).toEqual(oracle.slice(0, view.header.length));
    const first = formatTopRow(view, 0);
    expect(`${first.flat.padStart(10)} ${first.flatPercent} ${first.sumPercent} ${first.cum.padStart(10)} ${first.cumPercent}  ${first.name}`).toBe(
      oracle[view.header.length + 1],
    );
  });

  it('opens a File (read by the engine itself) as its bytes', async () => {
    const engine = createEngine({ warm: false });
    const fromBytes = await engine.open(file('heap_t3.pb.gz'), 'heap_t3.pb.gz');
    const fromFile = await engine.open(new File([file('heap_t3.pb.gz')], 'heap_t3.pb.gz'), 'heap_t3.pb.gz');
    if (!fromBytes.ok || !fromFile.ok) throw new Error('not opened');
    expect({ ...fromFile.summary, id: '', decodeMs: 0 }).toEqual({ ...fromBytes.summary, id: '', decodeMs: 0 });
    expect(fromFile.summary.fileBytes).toBe(file('heap_t3.pb.gz').byteLength);
    expect(engine.top(fromFile.summary.id, request)).toEqual({ ...engine.top(fromBytes.summary.id, request), computeMs: expect.any(Number) });
  });

  it('tells progress at most every 50 ms, but always a new step and the end', () => {
    const told: OpenProgress[] = [];
    let t = 0;
    const report = throttleProgress((p) => told.push(p), () => t);
    const at: [number, number, OpenProgress['step']][] = [[0, 0.1, 'inflate'], [10, 0.2, 'inflate'], [49, 0.25, 'inflate'], [60, 0.3, 'inflate'], [61, 0.3, 'decode'], [62, 0.4, 'decode'], [63, 1, 'decode']];
    for (const [time, fraction, step] of at) {
      t = time;
      report(fraction, step);
    }
    expect(told).toEqual([
      { fraction: 0.1, step: 'inflate' },
      { fraction: 0.3, step: 'inflate' },
      { fraction: 0.3, step: 'decode' },
      { fraction: 1, step: 'decode' },
    ]);
  });

  it('keeps the open profile when a bad file is opened after it', async () => {
    const engine = createEngine();
    const good = await engine.open(file('heap_t3.pb.gz'), 'heap_t3.pb.gz');
    if (!good.ok) throw new Error('heap_t3 failed');
    const bytes = new Uint8Array(file('heap_t3.pb.gz')).slice(0, 5000);
    const bad = await engine.open(bytes.buffer, 'broken.pb.gz');
    expect(bad).toMatchObject({ ok: false, error: { code: 'truncated-gzip' } });
    expect(engine.top(good.summary.id, request).name[0]).toBe('main.leakyMiddleware.func1');
  });

  it('sorts by name and cum, filters by substring keeping each row’s sum%, and exports TSV', async () => {
    const engine = createEngine();
    const r = await engine.open(file('heap_t3.pb.gz'), 'heap_t3.pb.gz');
    if (!r.ok) throw new Error('open failed');
    const id = r.summary.id;
    const byName = engine.top(id, { ...request, sort: 'name' });
    expect([...byName.name]).toEqual([...byName.name].sort());
    const byCum = engine.top(id, { ...request, sort: 'cum' });
    for (let i = 1; i < byCum.cum.length; i++) expect(Math.abs(byCum.cum[i]!)).toBeLessThanOrEqual(Math.abs(byCum.cum[i - 1]!));
    const all = engine.top(id, request);
    const json = engine.top(id, { ...request, filter: 'JSON' });
    expect(json.name.length).toBeGreaterThan(0);
    expect(json.totalRows).toBe(all.name.length);
    for (let i = 0; i < json.name.length; i++) {
      expect(json.name[i]!.toLowerCase()).toContain('json');
      expect(json.sumFlat[i]).toBe(all.sumFlat[all.name.indexOf(json.name[i]!)]);
    }
    const oracle = readOracle(`${LEAKY}heap_t3.inuse_space.top.txt`);
    const [flat, flatPct, sumPct, cum, cumPct, name] = oracle[all.header.length + 1]!.trim().split(/\s+/);
    const tsv = engine.topTsv(id, request).split('\n');
    expect(tsv[0]).toBe('flat\tflat_text\tflat%\tsum%\tcum\tcum_text\tcum%\tname\tinline');
    expect(tsv[1]).toBe([all.flat[0], flat, flatPct, sumPct, all.cum[0], cum, cumPct, name, ''].join('\t'));
    expect(all.flat[0]).toBe(37991328); // the MANIFEST's raw bytes for this row
    expect(tsv.length).toBe(all.name.length + 2);
  });
});

describe('the worker warm-up dump', () => {
  it('is a goroutine dump the engine opens, with every goroutine read', async () => {
    const { buildWarmUpDump } = await import('../../workers/warm-up');
    const engine = createEngine({ warm: false });
    const text = buildWarmUpDump(50);
    const r = await engine.open(new TextEncoder().encode(text).buffer as ArrayBuffer, 'warm-up.txt');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.summary.sampleTypes[0]!.type).toBe('goroutine');
    const view = engine.top(r.summary.id, { sampleIndex: 0, nodeFraction: 0, edgeFraction: 0, sort: 'flat', filter: '' });
    expect(view.total).toBe(50);
    engine.close(r.summary.id);
  });
});
