// The Labels panel in the browser: pprof's -tags numbers, a value clicked narrows the top table to pprof's
// -tagfocus table, the view survives a reload, and Back/Forward step through the refine history.

import { expect, test } from '@playwright/test';
import { dropFile, expectRowsToMatch, openApp, readFixture, readRows, reportHeader } from './support/app';
import { readOracle, rowCells } from './support/oracle';

const cpuTop = readOracle('cpu.cpu.top.txt');
// go tool pprof -top -nodefraction=0 -edgefraction=0 -tagfocus=handler=/api/search cpu.pb.gz
const focused = readOracle('options/cpu.tagfocus.top.txt');

test('Labels: click a value → tagfocus in the table and the URL; reload keeps it; Back removes it', async ({ page }) => {
  await openApp(page);
  await dropFile(page, 'cpu.pb.gz', readFixture('cpu.pb.gz'), 'application/gzip');
  await expectRowsToMatch(page, cpuTop, 3);

  await page.getByRole('button', { name: 'Labels' }).click();
  const panel = page.getByRole('region', { name: 'Labels' });
  // pprof -tags: "5.7s (61.08%): /api/search" under "handler: Total 9.2s".
  const handler = panel.getByRole('table').filter({ has: page.locator('caption', { hasText: 'handler' }) });
  await expect(handler.locator('caption')).toContainText('Total 9.2s');
  const search = handler.getByRole('row').filter({ has: page.getByRole('button', { name: 'Focus on handler=/api/search' }) });
  await expect(search.getByRole('cell')).toHaveText(['5.7s', '61.08%', 'Ignore']);

  // Once the library has kept the file, the URL names it (a reload needs it).
  await expect(page).toHaveURL(/[?&]snapshot=[0-9a-f]{64}/);
  await panel.getByRole('button', { name: 'Focus on handler=/api/search' }).click();
  await expectRowsToMatch(page, focused, 6);
  await expect(reportHeader(page)).toContainText('tagfocus=handler=^/api/search$');
  await expect(page).toHaveURL(/[?&]tf=handler%3D%5E%2Fapi%2Fsearch%24/);
  await expect(panel.getByRole('button', { name: 'Focus on handler=/api/search' })).toHaveAttribute('aria-pressed', 'true');
  const narrowed = await readRows(page);

  // Ignore a tenant: a second step; Back (popstate, same page) takes only that one back.
  await panel.getByRole('button', { name: 'Ignore tenant=acme' }).click();
  await expect(page).toHaveURL(/[?&]ti=tenant%3D%5Eacme%24/);
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('tagignore=tenant=^acme$');
  await page.goBack();
  await expect(page).not.toHaveURL(/[?&]ti=/);
  await expect(page.getByRole('list', { name: 'Active filters' })).not.toContainText('tagignore');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('tagfocus=handler=^/api/search$');
  await expect.poll(() => readRows(page)).toEqual(narrowed);

  // A reload keeps the view.
  await page.reload();
  await expect(reportHeader(page)).toContainText('tagfocus=handler=^/api/search$', { timeout: 15_000 });
  await expect.poll(() => readRows(page), { timeout: 15_000 }).toEqual(narrowed);

  // Back removes the tagfocus: the whole profile's table again.
  await page.goBack();
  await expect(page).not.toHaveURL(/[?&]tf=/);
  await expectRowsToMatch(page, cpuTop, 3);
  await expect(reportHeader(page)).not.toContainText('tagfocus');
  // Forward brings it back.
  await page.goForward();
  await expect(page).toHaveURL(/[?&]tf=handler%3D%5E%2Fapi%2Fsearch%24/);
  await expect.poll(() => readRows(page), { timeout: 15_000 }).toEqual(narrowed);
});

test('Labels: a profile without labels says so', async ({ page }) => {
  await openApp(page);
  await dropFile(page, 'block.pb.gz', readFixture('block.pb.gz'), 'application/gzip');
  await expect(page.getByRole('table', { name: 'Top functions' })).toBeVisible();
  await page.getByRole('button', { name: 'Labels' }).click();
  await expect(page.getByRole('region', { name: 'Labels' }).getByRole('status')).toHaveText('This profile has no labels');
});

test('More filters: Tag focus typed in the Refine bar gives pprof\'s -tagfocus table; a bad one is an error on its field', async ({ page }) => {
  await openApp(page);
  await dropFile(page, 'cpu.pb.gz', readFixture('cpu.pb.gz'), 'application/gzip');
  await expectRowsToMatch(page, cpuTop, 3);
  await page.getByRole('button', { name: 'More filters' }).click();
  const tagFocus = page.getByRole('textbox', { name: 'Tag focus' });

  await tagFocus.fill('handler=(');
  await tagFocus.press('Enter');
  await expect(tagFocus).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toBeVisible();
  await expectRowsToMatch(page, cpuTop, 3);

  // The oracle's own expression.
  await tagFocus.fill('handler=/api/search');
  const nodeCount = page.getByRole('textbox', { name: 'Node count' });
  await nodeCount.fill('4');
  await nodeCount.press('Enter');
  await expect(tagFocus).not.toHaveAttribute('aria-invalid');
  // pprof picks the output unit from the nodes shown (nodecount 4: ms), so the names are compared here.
  await expect.poll(async () => (await readRows(page)).map((r) => r[5])).toEqual(focused.rows.slice(0, 4).map((r) => rowCells(r)[5]));
  await expect(reportHeader(page)).toContainText('Showing top 4 nodes out of');
  const chips = page.getByRole('list', { name: 'Active filters' });
  await expect(chips).toContainText('tagfocus=handler=/api/search');
  await expect(chips).toContainText('nodecount=4');
  await expect(page).toHaveURL(/[?&]n=4/);

  // Back undoes the whole step (one history entry for the one Apply).
  await page.goBack();
  await expect(page).not.toHaveURL(/[?&](n|tf)=/);
  await expectRowsToMatch(page, cpuTop, 3);
});
