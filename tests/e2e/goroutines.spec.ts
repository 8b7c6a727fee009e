// Goroutine dumps: drop goroutine_t1.debug2.txt → state summary, buckets, a bucket's stack; growth from t0.

import { expect, test, type Page } from '@playwright/test';
import { readManifestGoroutines } from '../helpers/goroutine-manifest';
import { dropFile, openApp, readFixture } from './support/app';

const manifest = readManifestGoroutines();
const audit = manifest.byFunction.get('main.(*server).publishAudit')!;

/**
 * goroutine_t1.debug2.txt's states as issue 7 lists them (counted from the dump's headers; their sum is the
 * MANIFEST total, checked below).
 */
const T1_STATES: [string, number][] = [
  ['chan send', 3000],
  ['chan receive', 1202],
  ['select', 915],
  ['semacquire', 120],
  ['IO wait', 100],
  ['chan receive, locked to thread', 48],
  ['running', 1],
];

async function dropDump(page: Page, name: string): Promise<void> {
  await dropFile(page, name, readFixture(name), 'text/plain');
}

/** Cell texts of the bucket table's data rows now in the DOM, in row order. */
async function bucketRows(page: Page): Promise<string[][]> {
  const table = page.getByRole('table', { name: 'Goroutine buckets' });
  return table.evaluate((el) =>
    [...el.querySelectorAll('[role="row"]')]
      .filter((r) => r.querySelector('[role="cell"]'))
      .map((r) => [...r.querySelectorAll('[role="cell"]')].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())),
  );
}

test('a dropped ?debug=2 dump shows its goroutine states and the chan-send pile under publishAudit first', async ({ page }) => {
  expect(T1_STATES.reduce((a, [, n]) => a + n, 0)).toBe(manifest.total.t1);
  expect(T1_STATES[0]![1]).toBe(audit.t1);
  await openApp(page);
  await dropDump(page, 'goroutine_t1.debug2.txt');

  const views = page.getByRole('tablist', { name: 'Views' });
  await expect(views.getByRole('tab', { name: 'Goroutines' })).toHaveAttribute('aria-selected', 'true');

  const bar = page.getByRole('img', { name: /Goroutine states/ });
  await expect(bar).toHaveAttribute('aria-label', new RegExp(`${manifest.total.t1} in all`));
  const legend = page.getByRole('list', { name: 'Goroutine states' }).getByRole('listitem');
  await expect(legend).toHaveCount(T1_STATES.length);
  for (const [i, [state, count]] of T1_STATES.entries()) {
    await expect(legend.nth(i)).toHaveText(new RegExp(`^\\s*${state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*${count}\\s*$`));
  }

  await expect.poll(async () => (await bucketRows(page))[0]?.slice(0, 2)).toEqual([String(audit.t1), 'chan send']);
  const first = (await bucketRows(page))[0]!;
  expect(first[3]).toContain('main.(*server).publishAudit');
  expect(first[4]).toBe('main.(*server).handleOrders');

  // Open its stack: file:line of every frame, and the creator.
  await page.getByRole('table', { name: 'Goroutine buckets' }).getByRole('row').nth(1).click();
  const stack = page.getByRole('region', { name: /Stack of/ });
  await expect(stack).toContainText(`Stack of ${audit.t1} goroutines · chan send`);
  await expect(stack.getByRole('list', { name: 'Frames, innermost first' }).getByRole('listitem').first()).toContainText(
    /main\.\(\*server\)\.publishAudit\(.*\)\s*fixturegen\/cmd\/leakyserver\/server\.go:\d+ \+0x[0-9a-f]+/,
  );
  await expect(stack).toContainText('created by main.(*server).handleOrders');

  // Filters: an invalid regex is an error on the field; a valid one narrows the table.
  const regex = page.getByLabel('Function regex');
  await regex.fill('(publish');
  await expect(regex).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/Invalid function regex/)).toBeVisible();
  await regex.fill('awaitDeliveryAck');
  await expect(regex).toHaveAttribute('aria-invalid', 'false');
  const ack = manifest.byFunction.get('main.(*server).awaitDeliveryAck')!;
  await expect.poll(async () => (await bucketRows(page)).map((r) => r[0])).toEqual([String(ack.t1)]);

  // The Top view works on the same dump.
  await views.getByRole('tab', { name: 'Top' }).click();
  await expect(page.getByRole('table', { name: 'Top functions' })).toBeVisible();
  await expect(page.getByLabel('Report header')).toContainText('Type: goroutine');
});

test('growth t0 → t1 is one pick away and puts publishAudit first', async ({ page }) => {
  await openApp(page);
  await dropDump(page, 'goroutine_t0.debug2.txt');
  await expect(page.getByRole('img', { name: new RegExp(`${manifest.total.t0} in all`) })).toBeVisible();
  await dropDump(page, 'goroutine_t1.debug2.txt');
  await expect(page.getByRole('img', { name: new RegExp(`${manifest.total.t1} in all`) })).toBeVisible();

  await page.getByLabel('Compare with…').selectOption({ label: 'goroutine_t0.debug2.txt' });
  const growth = page.getByRole('table', { name: 'Goroutine growth' });
  const first = growth.getByRole('row').nth(1);
  await expect(first).toContainText('main.(*server).publishAudit');
  await expect(first.getByRole('cell')).toHaveText([`+${audit.t1 - audit.t0}`, String(audit.t0), String(audit.t1), 'chan send', 'main.(*server).publishAudit', 'main.(*server).handleOrders']);
});
