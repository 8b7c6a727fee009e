// A large profile's first top is summed in two halves (the engine and the pass worker), and its flame graph
// walked in two parts: the rows and frames are the same, computed here in one pass by the same code.

import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { buildProfile } from '../../bench/generate-profile.mjs';
import { buildNodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import { findDefaultSampleIndex } from '../../src/profile/model';
import { FLAME_MIN_FRACTION } from '../../src/report/flame';
import { buildTopReport, formatTopRow } from '../../src/report/top';
import { describeFrame } from '../../src/views/flame-graph/flame-format';
import { createEngine } from '../../workers/engine';
import { openApp, readRows } from './support/app';

test('a large profile: the top built on two threads equals the one-pass top', async ({ page }) => {
  test.setTimeout(60_000);
  // 200 000 samples, ~4.6 M stack entries over 40 000 locations: over the sizes worth splitting.
  const bytes = buildProfile({ samples: 200_000, locations: 40_000, functions: 8000, seed: 7 });
  const profile = await decodeProfile(bytes);
  expect(profile.samples.stack.length).toBeGreaterThan(4_000_000);
  const sampleIndex = findDefaultSampleIndex(profile);
  const report = buildTopReport(profile, buildNodeMap(profile), { sampleIndex, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat' });
  const want = report.name.slice(0, 12).map((_, i) => {
    const r = formatTopRow(report, i);
    return [r.flat, r.flatPercent.trim(), r.sumPercent.trim(), r.cum, r.cumPercent.trim(), r.marker ? `${r.name} ${r.marker}` : r.name];
  });
  expect(want.some((r) => r[5]!.endsWith('inline)'))).toBe(true);

  await openApp(page);
  await page.getByLabel('Open profile file').setInputFiles({ name: 'large.pb.gz', mimeType: 'application/octet-stream', buffer: gzipSync(bytes, { level: 1 }) });
  await expect.poll(async () => (await readRows(page)).slice(0, want.length), { timeout: 30_000 }).toEqual(want);
  const threads = await page.evaluate(() => (performance.getEntriesByName('pprof:top-reply').at(-1) as PerformanceMeasure).detail.threads);
  expect(threads).toBe(2);
});

test('a large profile: the flame graph walked on two threads equals the one-thread walk', async ({ page }) => {
  test.setTimeout(60_000);
  const bytes = buildProfile({ samples: 200_000, locations: 40_000, functions: 8000, seed: 11 });
  const engine = createEngine({ warm: false });
  const opened = await engine.open(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, 'large.pb');
  if (!opened.ok) throw new Error(opened.error.message);
  const view = engine.flame(opened.summary.id, { sampleIndex: opened.summary.defaultSampleIndex, minFraction: FLAME_MIN_FRACTION });
  expect(view.threads).toBe(1);
  const texts = new Set(Array.from({ length: view.length }, (_, f) => describeFrame(view, f)).map((d) => `${d.name}: ${d.cum} (${d.cumPercent})`));

  await page.goto('./?layout=flame');
  await expect(page.getByLabel('Open profile file')).toBeAttached();
  await page.getByLabel('Open profile file').setInputFiles({ name: 'large.pb.gz', mimeType: 'application/octet-stream', buffer: gzipSync(bytes, { level: 1 }) });
  const frames = page.getByRole('list', { name: 'Flame graph frames' }).getByRole('listitem');
  await expect(frames.first()).toBeAttached({ timeout: 30_000 });
  const reply = await page.evaluate(() => (performance.getEntriesByName('pprof:flame-reply').at(-1) as PerformanceMeasure).detail);
  expect(reply).toMatchObject({ threads: 2, frames: view.length });
  // The labelled frames (the widest, with their values as the tooltip gives them) are the one-thread walk's.
  const shown = await frames.allTextContents();
  expect(shown.length).toBeGreaterThan(20);
  for (const text of shown) expect(texts.has(text), text).toBe(true);
});
