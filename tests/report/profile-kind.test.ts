// detectProfileKind on every Go runtime profile in the fixtures, and on hand-made edge cases.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../src/profile/decode';
import { findDefaultSampleIndex } from '../../src/profile/model';
import { detectProfileKind, formatProfileKind, type ProfileKind } from '../../src/report/profile-kind';
import { createEngine } from '../../workers/engine';
import { CORPUS, LEAKY } from '../helpers/fixtures';

const FIXTURES: [string, ProfileKind][] = [
  [`${LEAKY}heap_t0.pb.gz`, 'heap'],
  [`${LEAKY}heap_fixed.pb.gz`, 'heap'],
  [`${LEAKY}allocs.pb.gz`, 'allocs'],
  [`${LEAKY}goroutine_t1.pb.gz`, 'goroutine'],
  [`${LEAKY}cpu.pb.gz`, 'cpu'],
  [`${LEAKY}mutex.pb.gz`, 'mutex'],
  [`${LEAKY}block.pb.gz`, 'block'],
  [`${LEAKY}threadcreate.pb.gz`, 'threadcreate'],
  [`${CORPUS}generated-go1.19/heap.debug0.pb.gz`, 'heap'],
  [`${CORPUS}generated-go1.19/allocs.debug0.pb.gz`, 'allocs'],
  [`${CORPUS}generated-go1.19/cpu.pb.gz`, 'cpu'],
  [`${CORPUS}generated-go1.19/goroutine.debug0.pb.gz`, 'goroutine'],
  [`${CORPUS}generated-go1.19/mutex.debug0.pb.gz`, 'mutex'],
  [`${CORPUS}generated-go1.19/block.debug0.pb.gz`, 'block'],
  [`${CORPUS}generated-go1.19/threadcreate.debug0.pb.gz`, 'threadcreate'],
];

describe('detectProfileKind', () => {
  it.each(FIXTURES)('%s is %s', async (path, kind) => {
    const p = await decodeProfile(new Uint8Array(readFileSync(path)));
    const fileName = path.split('/').at(-1)!;
    expect(detectProfileKind({ ...p, defaultSampleIndex: findDefaultSampleIndex(p), fileName })).toBe(kind);
  });

  it.each(['goroutine_t1.debug2.txt', 'goroutine_fixed.debug2.txt'])('%s (a text dump, as the engine opens it) is goroutine', async (name) => {
    const bytes = readFileSync(`${LEAKY}${name}`);
    const result = await createEngine().open(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), name);
    expect(result.ok && detectProfileKind(result.summary)).toBe('goroutine');
  });

  const t = (type: string, unit = 'count') => ({ type, unit });
  it.each<[string, Parameters<typeof detectProfileKind>[0], ProfileKind]>([
    ['contentions without a name hint', { sampleTypes: [t('contentions'), t('delay', 'nanoseconds')], periodType: t('contentions'), defaultSampleIndex: 1 }, 'block'],
    ['contentions named mutex', { sampleTypes: [t('contentions'), t('delay', 'nanoseconds')], periodType: null, defaultSampleIndex: 1, fileName: 'prod-MUTEX.pb' }, 'mutex'],
    ['heap types, default inuse_space', { sampleTypes: [t('alloc_space', 'bytes'), t('inuse_space', 'bytes')], periodType: null, defaultSampleIndex: 1 }, 'heap'],
    ['heap types, default alloc_objects', { sampleTypes: [t('alloc_objects'), t('inuse_space', 'bytes')], periodType: null, defaultSampleIndex: 0 }, 'allocs'],
    ['cpu by period type only', { sampleTypes: [t('samples')], periodType: t('cpu', 'nanoseconds'), defaultSampleIndex: 0 }, 'cpu'],
    ['goroutine among other types', { sampleTypes: [t('goroutine'), t('wall', 'nanoseconds')], periodType: null, defaultSampleIndex: 0 }, 'other'],
    ['no sample types', { sampleTypes: [], periodType: null, defaultSampleIndex: -1 }, 'other'],
    ['fgprof-like wall time', { sampleTypes: [t('samples'), t('time', 'nanoseconds')], periodType: t('wallclock', 'nanoseconds'), defaultSampleIndex: 1 }, 'other'],
  ])('%s', (_, input, kind) => {
    expect(detectProfileKind(input)).toBe(kind);
  });

  it('names kinds for headings', () => {
    expect(['heap', 'cpu', 'threadcreate', 'other'].map((k) => formatProfileKind(k as ProfileKind))).toEqual(['Heap', 'CPU', 'Thread creation', 'Other']);
  });
});
