// A ?debug=1 goroutine text opens as a profile whose rows carry function names (pprof can only print addresses).

import { expect, test } from '@playwright/test';
import { dropFile, openApp, readFixture, readRows } from './support/app';

test('a dropped goroutine ?debug=1 text shows function names, the largest pile first', async ({ page }) => {
  const bytes = readFixture('goroutine_t1.debug1.txt');
  const text = bytes.toString('utf8');
  // The text's own first record: its count and its innermost named frame.
  const first = /^(\d+) @[^\n]*\n(?:# labels: [^\n]*\n)?#\t+0x[0-9a-f]+\t+(\S+?)\+0x/m.exec(text)!;
  await openApp(page);
  await dropFile(page, 'goroutine_t1.debug1.txt', bytes, 'text/plain');
  await expect.poll(async () => (await readRows(page))[0]?.[5], { timeout: 15_000 }).toBe(first[2]);
  const rows = await readRows(page);
  expect(rows[0]![0]).toBe(first[1]);
  for (const row of rows) expect(row[5]).not.toMatch(/^[0-9a-f]{16}$|^<unknown>$/);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
