// The snapshot library in Chromium: dropped profiles survive reloads with their names and view options;
// a full disk gives a clear message and writes nothing; another tab's library follows.

import { expect, test, type Page } from '@playwright/test';
import { dropFile, expectRowsToMatch, openApp, readFixture, reportHeader } from './support/app';
import { readOracle } from './support/oracle';

const t0 = readOracle('heap_t0.inuse_space.top.txt');
const t3 = readOracle('heap_t3.inuse_space.top.txt');
const t3alloc = readOracle('heap_t3.alloc_space.top.txt');

interface StoredMeta {
  name: string;
  fileName: string;
  kind: string;
  viewOptions: { sampleIndex: number } | null;
  decodeError: string | null;
}

/** Every metadata record in the app's IndexedDB library, read with the raw IndexedDB API. */
function readLibrary(page: Page): Promise<StoredMeta[]> {
  return page.evaluate(
    () =>
      new Promise<StoredMeta[]>((ok, fail) => {
        const open = indexedDB.open('pprof-lens');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('meta')) {
            db.close();
            ok([]);
            return;
          }
          const get = db.transaction('meta').objectStore('meta').getAll();
          get.onsuccess = () => {
            db.close();
            ok(get.result as StoredMeta[]);
          };
          get.onerror = () => fail(get.error);
        };
      }),
  );
}

const library = (page: Page) => page.getByRole('region', { name: 'Snapshot library' });
const heapNames = (page: Page) => library(page).getByRole('list', { name: /^Heap/ }).locator(':scope > li .name').allTextContents();

async function dropAndWait(page: Page, file: string, oracle: ReturnType<typeof readOracle>): Promise<void> {
  await dropFile(page, file, readFixture(file), 'application/gzip');
  await expect(page.getByRole('tab', { name: file })).toHaveAttribute('aria-selected', 'true');
  await expectRowsToMatch(page, oracle, 5);
}

test('dropped profiles are kept across reloads, with a new name and their last view options', async ({ page }) => {
  await openApp(page);
  await dropAndWait(page, 'heap_t0.pb.gz', t0);
  await dropAndWait(page, 'heap_t3.pb.gz', t3);

  // alloc_space on heap_t3, saved with it.
  const sample = page.getByLabel('Sample');
  const allocLabel = (await sample.locator('option').allTextContents()).find((l) => l.trim().startsWith('alloc_space'))!;
  await sample.selectOption({ label: allocLabel.trim() });
  await expect(reportHeader(page)).toContainText('Type: alloc_space');
  await expect
    .poll(async () => (await readLibrary(page)).map((m) => [m.fileName, m.kind, m.viewOptions?.sampleIndex ?? null]).sort())
    .toEqual([
      ['heap_t0.pb.gz', 'heap', null],
      ['heap_t3.pb.gz', 'heap', 1],
    ]);

  // A fresh visit of the app (a reload of this page would reopen heap_t3 from the view in its URL).
  await openApp(page);
  await expect(library(page)).toBeVisible();
  await expect.poll(() => heapNames(page)).toEqual(['heap_t0.pb.gz', 'heap_t3.pb.gz']);

  await library(page).getByRole('button', { name: 'Rename heap_t0.pb.gz' }).click();
  const box = library(page).getByRole('textbox', { name: 'New name for heap_t0.pb.gz' });
  await box.fill('morning baseline');
  await box.press('Enter');
  await expect(library(page).getByRole('button', { name: 'Open morning baseline' })).toBeVisible();
  await expect.poll(async () => (await readLibrary(page)).map((m) => m.name).sort()).toEqual(['heap_t3.pb.gz', 'morning baseline']);

  await page.reload();
  await expect.poll(() => heapNames(page)).toEqual(['morning baseline', 'heap_t3.pb.gz']);

  // Opening heap_t3 brings alloc_space back, with pprof's numbers.
  await library(page).getByRole('button', { name: 'Open heap_t3.pb.gz' }).click();
  await expect(reportHeader(page)).toContainText('Type: alloc_space');
  await expectRowsToMatch(page, t3alloc, Math.min(10, t3alloc.rows.length));
  await expect(page.getByLabel('Sample').locator('option:checked')).toHaveText(allocLabel);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a full disk: a clear message, nothing half-written, and the app keeps working', async ({ page }) => {
  // Every put of more than 1000 bytes of profile data fails as a full disk does.
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value: unknown, key?: IDBValidKey) {
      const bytes = (value as { bytes?: unknown } | null)?.bytes;
      if ((bytes instanceof Blob && bytes.size > 1000) || (bytes instanceof ArrayBuffer && bytes.byteLength > 1000)) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.call(this, value, key);
    };
  });
  await openApp(page);
  await dropAndWait(page, 'heap_t3.pb.gz', t3);

  const alert = page.getByRole('alert');
  await expect(alert).toContainText("The browser's storage for this site is full");
  await expect(alert).toContainText('nothing was written');
  await expect(alert).toContainText('The profile is open for this session.');
  expect(await readLibrary(page)).toEqual([]);

  // The app still works: dismiss, switch the sample type, open the library.
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  const sample = page.getByLabel('Sample');
  const allocLabel = (await sample.locator('option').allTextContents()).find((l) => l.trim().startsWith('alloc_space'))!;
  await sample.selectOption({ label: allocLabel.trim() });
  await expectRowsToMatch(page, t3alloc, 5);
  await page.getByRole('button', { name: 'Library' }).click();
  await expect(library(page)).toContainText('0 kept');
});

test('another tab sees new snapshots; a file that does not decode is kept with its error and can be deleted', async ({ page, context }) => {
  await openApp(page);
  const other = await context.newPage();
  await openApp(other);

  await dropAndWait(page, 'heap_t3.pb.gz', t3);
  await expect(library(other).getByRole('button', { name: 'Open heap_t3.pb.gz' })).toBeVisible();

  await dropFile(page, 'notes.txt', new TextEncoder().encode('not a profile at all\n'), 'text/plain');
  await expect(page.getByRole('alert')).toBeVisible();
  const otherLibrary = library(other);
  await expect(otherLibrary.getByRole('list', { name: /^Other/ })).toContainText('Does not open:');
  await otherLibrary.getByRole('button', { name: 'Delete notes.txt' }).click();
  await expect(otherLibrary.getByRole('status')).toContainText('Deleted notes.txt');
  await expect.poll(async () => (await readLibrary(page)).map((m) => m.fileName)).toEqual(['heap_t3.pb.gz']);
  await other.close();
});

test('another tab upgrading the library: this tab lets go, says to reload, and keeps its profile', async ({ page, context }) => {
  await openApp(page);
  await dropAndWait(page, 'heap_t3.pb.gz', t3);
  await expect.poll(async () => (await readLibrary(page)).length).toBe(1);

  // A newer version of the app in another tab opens the database at a higher version.
  const other = await context.newPage();
  await openApp(other);
  const upgraded = await other.evaluate(
    () =>
      new Promise<number>((ok, fail) => {
        const r = indexedDB.open('pprof-lens', 99);
        r.onsuccess = () => {
          ok(r.result.version);
          r.result.close();
        };
        r.onerror = () => fail(r.error);
        r.onblocked = () => fail(new Error('blocked: a connection did not close on versionchange'));
      }),
  );
  expect(upgraded).toBe(99);

  await expect(page.getByRole('status').filter({ hasText: 'upgraded or closed in another tab' })).toContainText('reload this tab');
  await expectRowsToMatch(page, t3, 5);
  await dropAndWait(page, 'heap_t0.pb.gz', t0);
  await other.close();
});

test('without IndexedDB (private browsing, blocked site data) the app works and says nothing will be kept', async ({ page }) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = function () {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  });
  await openApp(page);
  await expect(page.getByRole('status').filter({ hasText: 'nothing will be kept' })).toBeVisible();
  await dropAndWait(page, 'heap_t3.pb.gz', t3);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Library' }).click();
  await expect(library(page)).toContainText('Nothing is kept in this session.');
});
