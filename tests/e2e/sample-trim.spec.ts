// Switching the sample type and the Trim toggle gives pprof's -sample_index=alloc_space and -nodefraction=0 tables.

import { expect, test } from '@playwright/test';
import { dropHeapT3, expectRowsToMatch, openApp, readRows, reportHeader, rowCount } from './support/app';
import { headerLine, readOracle, rowCells } from './support/oracle';

const inuse = readOracle('heap_t3.inuse_space.top.txt');
const alloc = readOracle('heap_t3.alloc_space.top.txt');
const allocAll = readOracle('heap_t3.alloc_space.top-all.txt');

test('alloc_space, then every node with Trim off, match pprof', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, inuse);

  const sample = page.getByLabel('Sample');
  const labels = await sample.locator('option').allTextContents();
  const allocLabel = labels.find((l) => l.trim().startsWith('alloc_space'));
  expect(allocLabel, `Sample options: ${labels.join(', ')}`).toBeDefined();
  await sample.selectOption({ label: allocLabel!.trim() });

  const header = reportHeader(page);
  await expect(header).toContainText('Type: alloc_space');
  await expect(header).toContainText(headerLine(alloc, 'Showing nodes')!);
  await expect(header).toContainText(headerLine(alloc, 'Dropped')!);
  await expectRowsToMatch(page, alloc, Math.min(20, alloc.rows.length));
  expect(await rowCount(page)).toBe(alloc.rows.length + 1);

  const trim = page.getByLabel('Trim');
  await expect(trim).toBeChecked();
  await trim.uncheck();

  expect(headerLine(allocAll, 'Dropped')).toBeUndefined();
  await expect(header).toContainText(headerLine(allocAll, 'Showing nodes')!);
  await expect(header).not.toContainText('Dropped');
  await expectRowsToMatch(page, allocAll, 20);
  await expect.poll(() => rowCount(page)).toBe(allocAll.rows.length + 1);
  expect((await readRows(page))[0]).toEqual(rowCells(allocAll.rows[0]!));
});
