// The engine's goroutine reports: a ?debug=2 dump opens, its states and buckets, stacks, filters and growth.

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../workers/engine';
import type { GoroutinesRequest } from '../../workers/protocol';
import { LEAKY } from '../helpers/fixtures';
import { readManifestGoroutines } from '../helpers/goroutine-manifest';

const file = (name: string) => {
  const b = readFileSync(`${LEAKY}${name}`);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const ALL: GoroutinesRequest = { grouping: 'similar', state: '', funcRegex: '', createdBy: '', minWaitMinutes: 0 };
const manifest = readManifestGoroutines();

async function open(engine: ReturnType<typeof createEngine>, name: string): Promise<string> {
  const r = await engine.open(file(name), name);
  if (!r.ok) throw new Error(r.error.message);
  return r.summary.id;
}

describe('engine goroutine reports', () => {
  it('opens goroutine_t1.debug2.txt as a goroutine profile with the MANIFEST total', async () => {
    const engine = createEngine();
    const r = await engine.open(file('goroutine_t1.debug2.txt'), 'goroutine_t1.debug2.txt');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.summary.goroutineSource).toBe('dump');
    expect(r.summary.sampleTypes).toEqual([{ type: 'goroutine', unit: 'count' }]);
    const top = engine.top(r.summary.id, { sampleIndex: 0, nodeFraction: 0, edgeFraction: 0.001, sort: 'cum', filter: '' });
    expect(top.total).toBe(manifest.total.t1);
    const row = top.name.indexOf('main.(*server).publishAudit');
    expect(top.cum[row]).toBe(manifest.byFunction.get('main.(*server).publishAudit')!.t1);
  });

  it('answers states, buckets sorted by count, a bucket stack, filters and an invalid regex', async () => {
    const engine = createEngine();
    const id = await open(engine, 'goroutine_t1.debug2.txt');
    const report = engine.goroutines(id, ALL);
    expect(report.total).toBe(manifest.total.t1);
    expect(report.unparsedLines).toBe(0);
    expect(report.states.reduce((a, s) => a + s.count, 0)).toBe(manifest.total.t1);
    const rows = report.rows;
    const str = (i: number) => rows.strings[i]!;
    expect(str(rows.func[0]!)).toBe('main.(*server).publishAudit');
    expect(str(rows.state[0]!)).toBe('chan send');
    expect(rows.count[0]).toBe(manifest.byFunction.get('main.(*server).publishAudit')!.t1);
    for (let r = 1; r < rows.length; r++) expect(rows.count[r]).toBeLessThanOrEqual(rows.count[r - 1]!);

    const stack = engine.goroutineStack(id, 'similar', rows.bucket[0]!);
    expect(stack.frames[0]).toMatchObject({ func: 'main.(*server).publishAudit', file: 'fixturegen/cmd/leakyserver/server.go', kind: 0 });
    expect(stack.frames[0]!.line).toBeGreaterThan(0);
    expect(stack.createdBy?.func).toBe('main.(*server).handleOrders');
    expect(stack.goroutineIds.length).toBeGreaterThan(1);
    expect(stack.count).toBe(rows.count[0]);

    const filtered = engine.goroutines(id, { ...ALL, funcRegex: 'awaitDelivery' });
    expect(filtered.rows.length).toBe(1);
    expect(filtered.shownGoroutines).toBe(manifest.byFunction.get('main.(*server).awaitDeliveryAck')!.t1);
    const bad = engine.goroutines(id, { ...ALL, funcRegex: '(unclosed' });
    expect(bad.filterError).toMatch(/regular expression|unterminated|group/i);
    expect(bad.rows.length).toBe(report.rows.length);
    const byState = engine.goroutines(id, { ...ALL, state: 'chan receive, locked to thread' });
    expect(byState.shownGoroutines).toBe(manifest.byFunction.get('main.(*server).legacyDeviceWorker')!.t1);
    const byCreator = engine.goroutines(id, { ...ALL, createdBy: 'handleJobs' });
    expect(byCreator.shownGoroutines).toBe(manifest.byFunction.get('main.(*server).watchJob')!.t1);
  });

  it('growth t0 → t1 of the dumps puts publishAudit first with the MANIFEST delta', async () => {
    const engine = createEngine();
    const t0 = await open(engine, 'goroutine_t0.debug2.txt');
    const t1 = await open(engine, 'goroutine_t1.debug2.txt');
    const g = engine.goroutineGrowth(t0, t1);
    const audit = manifest.byFunction.get('main.(*server).publishAudit')!;
    expect(g.strings[g.func[0]!]).toBe('main.(*server).publishAudit');
    expect(g.strings[g.state[0]!]).toBe('chan send');
    expect([g.before[0], g.after[0], g.delta[0]]).toEqual([audit.t0, audit.t1, audit.t1 - audit.t0]);
    expect(g.isNew[0]).toBe(0);
    expect(g.totalBefore).toBe(manifest.total.t0);
    expect(g.totalAfter).toBe(manifest.total.t1);
  });

  it('growth works on the protobuf goroutine profiles too, and between a dump and a profile', async () => {
    const engine = createEngine();
    const t0 = await open(engine, 'goroutine_t0.pb.gz');
    const t1 = await open(engine, 'goroutine_t1.pb.gz');
    const audit = manifest.byFunction.get('main.(*server).publishAudit')!;
    const g = engine.goroutineGrowth(t0, t1);
    expect(g.byState).toBe(false);
    expect(g.strings[g.func[0]!]).toBe('main.(*server).publishAudit');
    expect(g.delta[0]).toBe(audit.t1 - audit.t0);
    const d1 = await open(engine, 'goroutine_t1.debug2.txt');
    const mixed = engine.goroutineGrowth(t0, d1);
    expect(mixed.strings[mixed.func[0]!]).toBe('main.(*server).publishAudit');
    expect(mixed.delta[0]).toBe(audit.t1 - audit.t0);
  });

  it('opens a gzip-compressed dump the same way', async () => {
    const engine = createEngine();
    const gz = gzipSync(readFileSync(`${LEAKY}goroutine_t0.debug2.txt`));
    const r = await engine.open(gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.byteLength) as ArrayBuffer, 'goroutine_t0.debug2.txt.gz');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.summary.goroutineSource).toBe('dump');
    expect(engine.goroutines(r.summary.id, ALL).total).toBe(manifest.total.t0);
  });

  it('rejects goroutine requests for a profile without goroutines', async () => {
    const engine = createEngine();
    const id = await open(engine, 'heap_t3.pb.gz');
    expect(() => engine.goroutines(id, ALL)).toThrow(/no goroutines/);
  });
});
