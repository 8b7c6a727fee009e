// Keyboard in the virtualised table: End shows the last of several hundred rows.

import { expect, test } from '@playwright/test';
import { dropHeapT3, openApp, readRows, rowCount, topTable } from './support/app';
import { readOracle, rowCells } from './support/oracle';

const inuse = readOracle('heap_t3.inuse_space.top.txt');
const inuseAll = readOracle('heap_t3.inuse_space.top-all.txt');

test('End scrolls the virtualised table to its last row', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, inuse);
  await page.getByLabel('Trim').uncheck();
  await expect.poll(() => rowCount(page)).toBe(inuseAll.rows.length + 1);
  await expect.poll(async () => (await readRows(page))[0]).toEqual(rowCells(inuseAll.rows[0]!));

  // Virtualised: far fewer rows in the DOM than in the table.
  const inDom = (await readRows(page)).length;
  expect(inDom).toBeGreaterThan(0);
  expect(inDom).toBeLessThan(inuseAll.rows.length);

  // The table's keyboard focus target is its focusable body (the role=table element itself is not).
  const table = topTable(page);
  await table.locator('[tabindex="0"]').first().focus();
  await expect
    .poll(() => table.evaluate((el) => el === document.activeElement || el.contains(document.activeElement)))
    .toBe(true);
  await page.keyboard.press('End');

  const last = rowCells(inuseAll.rows.at(-1)!);
  await expect.poll(async () => (await readRows(page)).at(-1), { timeout: 10_000 }).toEqual(last);
  const lastRow = table.getByRole('row').filter({ hasText: last[5]!.replace(/ \((inline|partial-inline)\)$/, '') }).last();
  await expect(lastRow).toBeInViewport();
  // The first row has left the DOM.
  expect((await readRows(page))[0]).not.toEqual(rowCells(inuseAll.rows[0]!));
});
