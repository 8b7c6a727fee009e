// Bad files give an alert naming the problem and leave the open profile on screen.

import { expect, test, type Page } from '@playwright/test';
import { dropFile, dropHeapT3, openApp, readFixture, readRows } from './support/app';
import { readOracle, rowCells } from './support/oracle';

const inuse = readOracle('heap_t3.inuse_space.top.txt');

/** Gzip magic and header, then deterministic garbage (a small LCG). */
function corruptGzip(): Uint8Array {
  const bytes = new Uint8Array(4096);
  bytes.set([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff]);
  let x = 12345;
  for (let i = 10; i < bytes.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

async function expectAlertThenDismiss(page: Page, message: RegExp): Promise<void> {
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(message);
  // The profile that was open stays open.
  await expect.poll(async () => (await readRows(page))[0]).toEqual(rowCells(inuse.rows[0]!));
  await alert.getByRole('button', { name: 'Dismiss' }).or(page.getByRole('button', { name: 'Dismiss' })).first().click();
  await expect(page.getByRole('alert')).toHaveCount(0);
}

test('corrupt, truncated, empty and text files are refused with a clear message', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, inuse);

  await dropFile(page, 'corrupt.pb.gz', corruptGzip(), 'application/gzip');
  await expectAlertThenDismiss(page, /gzip/i);

  const whole = readFixture('heap_t3.pb.gz');
  await dropFile(page, 'heap_t3_half.pb.gz', whole.subarray(0, Math.floor(whole.length / 2)), 'application/gzip');
  await expectAlertThenDismiss(page, /truncated|damaged/i);

  await dropFile(page, 'empty.pb.gz', new Uint8Array(0));
  await expectAlertThenDismiss(page, /empty/i);

  await dropFile(page, 'notes.txt', new TextEncoder().encode('These are my notes, not a profile.\nSecond line.\n'), 'text/plain');
  await expectAlertThenDismiss(page, /not a pprof profile|text file/i);

  // Still exactly the one good profile, shown as before.
  const tabs = page.getByRole('tablist', { name: 'Open profiles' }).getByRole('tab');
  await expect(tabs).toHaveCount(1);
  expect((await readRows(page))[0]).toEqual(rowCells(inuse.rows[0]!));
});
