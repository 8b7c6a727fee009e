// Dropping heap_t3.pb.gz shows go tool pprof's -top rows and header lines (inuse_space is the default).

import { expect, test } from '@playwright/test';
import { dropFile, expectRowsToMatch, openApp, readFixture, readRows, reportHeader } from './support/app';
import { headerLine, readOracle, rowCells } from './support/oracle';

const inuse = readOracle('heap_t3.inuse_space.top.txt');

test('a dropped heap profile shows pprof\'s inuse_space top table and header', async ({ page }) => {
  await openApp(page);
  await dropFile(page, 'heap_t3.pb.gz', readFixture('heap_t3.pb.gz'), 'application/gzip');

  const first = inuse.rows[0]!;
  expect(first.name).toBe('main.leakyMiddleware.func1');
  await expect.poll(async () => (await readRows(page))[0], { timeout: 15_000 }).toEqual(rowCells(first));

  // The rows after the first match too (all that the oracle has, up to 20).
  await expectRowsToMatch(page, inuse, Math.min(20, inuse.rows.length));

  const header = reportHeader(page);
  await expect(header).toContainText('Type: inuse_space');
  await expect(header).toContainText(headerLine(inuse, 'Showing nodes')!);
  await expect(header).toContainText(headerLine(inuse, 'Dropped')!);

  await expect(page.getByRole('tablist', { name: 'Open profiles' }).getByRole('tab', { name: 'heap_t3.pb.gz' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});
