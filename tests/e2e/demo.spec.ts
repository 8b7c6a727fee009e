// The empty state offers the demo; the demo opens five profiles and shows heap_t3.

import { expect, test } from '@playwright/test';
import { expectRowsToMatch, openApp, topTable } from './support/app';
import { readOracle } from './support/oracle';

const inuse = readOracle('heap_t3.inuse_space.top.txt');

test('Try the demo opens heap_t0..t3 and goroutine_t1 and shows heap_t3', async ({ page }) => {
  await openApp(page);
  await expect(page.getByRole('button', { name: 'Open file…' })).toBeVisible();
  const demo = page.getByRole('button', { name: 'Try the demo' });
  await expect(demo).toBeVisible();
  await expect(topTable(page)).toHaveCount(0);

  await demo.click();
  const tabs = page.getByRole('tablist', { name: 'Open profiles' }).getByRole('tab');
  await expect(tabs).toHaveCount(5);
  await expect(page.getByRole('tab', { selected: true })).toHaveAccessibleName(/heap_t3/);
  expect(inuse.rows[0]!.name).toBe('main.leakyMiddleware.func1');
  await expectRowsToMatch(page, inuse, Math.min(20, inuse.rows.length));
});
