// Sorting by cum, searching names and downloading the table as TSV.

import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { dropHeapT3, openApp, readRows, rowCount } from './support/app';
import { readOracle, type OracleRow } from './support/oracle';

const inuse = readOracle('heap_t3.inuse_space.top.txt');

const BYTE_UNITS: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** A pprof byte text ("17100.09kB") as [number as printed, bytes per unit]. */
function parseBytes(text: string): [number, number] {
  const m = /^(-?[\d.]+)([A-Za-z]+)$/.exec(text);
  if (!m || !(m[2]! in BYTE_UNITS)) throw new Error(`Not a byte value: ${text}`);
  return [Number(m[1]), BYTE_UNITS[m[2]!]!];
}

const percent = (t: string) => Number(t.replace('%', ''));

test('sort by cum, search "json", download TSV', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, inuse);

  // Sort by cum: the first row is the oracle's row with the largest cum, and cum% never increases.
  await page.getByLabel('Sort').selectOption('cum');
  const byCum: OracleRow = [...inuse.rows].sort((a, b) => percent(b.cumPercent) - percent(a.cumPercent))[0]!;
  await expect
    .poll(async () => (await readRows(page))[0]?.slice(0, 5).filter((_, i) => i !== 2), { timeout: 15_000 })
    .toEqual([byCum.flat, byCum.flatPercent, byCum.cum, byCum.cumPercent]);
  expect((await readRows(page))[0]![5]).toBe(byCum.marker ? `${byCum.name} ${byCum.marker}` : byCum.name);
  const cumPercents = (await readRows(page)).map((r) => percent(r[4]!));
  expect(cumPercents.length).toBeGreaterThan(1);
  for (let i = 1; i < cumPercents.length; i++) expect(cumPercents[i]!).toBeLessThanOrEqual(cumPercents[i - 1]!);
  expect(await rowCount(page)).toBe(inuse.rows.length + 1);

  // Search: only names containing "json", as many as the oracle has.
  const jsonRows = inuse.rows.filter((r) => r.name.toLowerCase().includes('json'));
  expect(jsonRows.length).toBeGreaterThan(0);
  await page.getByLabel('Search functions').fill('json');
  await expect.poll(() => rowCount(page)).toBe(jsonRows.length + 1);
  const shown = await readRows(page);
  expect(shown.length).toBe(jsonRows.length);
  for (const r of shown) expect(r[5]!.toLowerCase()).toContain('json');
  for (const [i, r] of shown.entries()) {
    const o = jsonRows.find((j) => r[5] === (j.marker ? `${j.name} ${j.marker}` : j.name));
    expect(o, `row ${i}: ${r.join(' | ')}`).toBeDefined();
    expect([r[0], r[1], r[3], r[4]]).toEqual([o!.flat, o!.flatPercent, o!.cum, o!.cumPercent]);
  }

  // Download TSV: a header line, then the first shown function with its raw value and pprof's text.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download TSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.tsv$/);
  const tsv = await readFile((await download.path())!, 'utf8');
  const lines = tsv.split('\n').filter((l) => l !== '');
  const head = lines[0]!.split('\t');
  expect(head).toEqual(expect.arrayContaining(['flat', 'cum', 'name']));
  const firstName = shown[0]![5]!.replace(/ \((inline|partial-inline)\)$/, '');
  const oracleRow = jsonRows.find((j) => j.name === firstName)!;
  const line = lines.slice(1).map((l) => l.split('\t')).find((cells) => cells[head.indexOf('name')] === firstName);
  expect(line, `no TSV line for ${firstName} in:\n${tsv}`).toBeDefined();
  // pprof's texts are in the line…
  expect(line).toEqual(expect.arrayContaining([oracleRow.flat, oracleRow.cum]));
  // …and the raw byte values print as pprof's texts when scaled to the oracle's unit.
  for (const [col, text] of [['flat', oracleRow.flat], ['cum', oracleRow.cum]] as const) {
    const raw = Number(line![head.indexOf(col)]);
    const [shownValue, perUnit] = parseBytes(text);
    expect(Number.isFinite(raw)).toBe(true);
    expect(Math.abs(raw / perUnit - shownValue)).toBeLessThanOrEqual(0.005 + 1e-9);
  }
});
