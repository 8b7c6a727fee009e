// A large profile's first top is summed in two halves (the engine and the pass worker): its rows are
// pprof's numbers all the same, computed here in one pass by the same report code.

import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { buildProfile } from '../../bench/generate-profile.mjs';
import { buildNodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import { findDefaultSampleIndex } from '../../src/profile/model';
import { buildTopReport, formatTopRow } from '../../src/report/top';
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
