// Refining like pprof in the browser: Focus on from a row's context menu, reload, a link with pprof's options,
// removing a filter chip and switching granularity — header and rows equal go tool pprof's.

import { expect, test, type Page } from '@playwright/test';
import { dropHeapT3, expectRowsToMatch, openApp, readRows, reportHeader, rowCount, topTable } from './support/app';
import { readOracle } from './support/oracle';

const inuse = readOracle('heap_t3.inuse_space.top.txt');
// Both made with -nodecount=1000000 -nodefraction=0 -edgefraction=0 (options/COMMANDS.tsv).
const focused = readOracle('options/heap_t3.inuse_space.focus.top.txt');
const lines = readOracle('options/heap_t3.inuse_space.lines.top.txt');

/** The report header's lines, trimmed as the oracle reader trims them. */
async function headerLines(page: Page): Promise<string[]> {
  const text = await reportHeader(page).innerText();
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

test('focus from the context menu survives a reload; pprof options from a link; chips and granularity', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, inuse);

  // Right-click the row of main.leakyMiddleware.func1 and choose Focus on.
  await topTable(page).getByRole('cell', { name: 'main.leakyMiddleware.func1', exact: true }).click({ button: 'right' });
  await page.getByRole('menu', { name: 'Refine by main.leakyMiddleware.func1' }).getByRole('menuitem', { name: /Focus on/ }).click();

  const header = reportHeader(page);
  await expect(header).toContainText('Active filters:');
  await expect(header).toContainText('focus=^main\\.leakyMiddleware\\.func1$');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('focus=^main\\.leakyMiddleware\\.func1$');
  await expect.poll(async () => (await readRows(page))[0]?.[5]).toBe('main.leakyMiddleware.func1');
  const before = await readRows(page);
  const headerBefore = await headerLines(page);

  // Once the library has kept the file, the URL names it: a reload brings the same view back.
  await expect(page).toHaveURL(/[?&]snapshot=[0-9a-f]{64}/);
  await expect(page).toHaveURL(/[?&]f=%5Emain%5C.leakyMiddleware%5C.func1%24/);
  await page.reload();
  await expect.poll(() => headerLines(page), { timeout: 15_000 }).toEqual(headerBefore);
  await expect.poll(() => readRows(page)).toEqual(before);

  // A link with pprof's own options (-focus=leakyMiddleware -nodefraction=0 -edgefraction=0) shows pprof's table.
  const link = new URL(page.url());
  link.searchParams.set('f', 'leakyMiddleware');
  link.searchParams.set('nf', '0');
  link.searchParams.set('ef', '0');
  await page.goto(link.toString());
  await expect.poll(() => headerLines(page), { timeout: 15_000 }).toEqual(focused.header);
  await expectRowsToMatch(page, focused, 20);
  expect(await rowCount(page)).toBe(focused.rows.length + 1);

  // Remove the focus chip, switch to lines: pprof's -lines table.
  await page.getByRole('button', { name: 'Remove focus=leakyMiddleware' }).click();
  await page.getByRole('combobox', { name: 'Granularity' }).selectOption('lines');
  await expect.poll(() => headerLines(page)).toEqual(lines.header);
  await expectRowsToMatch(page, lines, 20);
  await expect.poll(() => rowCount(page)).toBe(lines.rows.length + 1);
});
