// Page helpers for the e2e specs: open the app, drop a file the way a person does, read the top table.

import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { LEAKY_DIR, rowCells, type Oracle } from './oracle';

/** Loads the app and waits until it can take a file. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByLabel('Open profile file')).toBeAttached();
}

/** The bytes of tests/fixtures/go-leaky-server/<file>. */
export function readFixture(file: string): Buffer {
  return readFileSync(`${LEAKY_DIR}${file}`);
}

/**
 * Drops a file on the page: dragenter, dragover and drop events carrying a DataTransfer that holds a File
 * built from `bytes`, dispatched on <body> so they bubble to the window as a real drop does.
 */
export async function dropFile(page: Page, name: string, bytes: Uint8Array, type = ''): Promise<void> {
  await page.evaluate(
    ({ name, base64, type }) => {
      const raw = atob(base64);
      const data = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type }));
      const target = document.body;
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt }));
      }
    },
    { name, base64: Buffer.from(bytes).toString('base64'), type },
  );
}

/** The top table. */
export function topTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Top functions' });
}

/** The report header box. */
export function reportHeader(page: Page): Locator {
  return page.getByLabel('Report header');
}

/**
 * The data rows now in the DOM (the table is virtualised), in row order (aria-rowindex when given), each as
 * its cell texts with white space collapsed and the name's marker written `name (inline)` as pprof does.
 */
export async function readRows(page: Page): Promise<string[][]> {
  const table = topTable(page);
  if ((await table.count()) === 0) return [];
  return table.evaluate((el) => {
    const rows = [...el.querySelectorAll('[role="row"]')].filter((r) => r.querySelector('[role="cell"]'));
    const indexed = rows.map((r, i) => ({ r, i: Number(r.getAttribute('aria-rowindex') ?? i) }));
    indexed.sort((a, b) => a.i - b.i);
    return indexed.map(({ r }) =>
      [...r.querySelectorAll('[role="cell"]')].map((c) =>
        ((c as HTMLElement).innerText ?? c.textContent ?? '')
          .replace(/\s+/g, ' ')
          .trim()
          .replace(/\s*\((inline|partial-inline)\)$/, ' ($1)'),
      ),
    );
  });
}

/** The table's aria-rowcount as a number (rows + 1 for the header row). */
export async function rowCount(page: Page): Promise<number> {
  return Number(await topTable(page).getAttribute('aria-rowcount'));
}

/** Waits until the first `n` rows in the DOM equal the oracle's first `n` rows, cell by cell. */
export async function expectRowsToMatch(page: Page, oracle: Oracle, n: number): Promise<void> {
  const want = oracle.rows.slice(0, n).map(rowCells);
  await expect.poll(async () => (await readRows(page)).slice(0, want.length), { timeout: 15_000 }).toEqual(want);
}

/** Drops heap_t3.pb.gz and waits for its first row. */
export async function dropHeapT3(page: Page, oracle: Oracle): Promise<void> {
  await dropFile(page, 'heap_t3.pb.gz', readFixture('heap_t3.pb.gz'), 'application/gzip');
  await expectRowsToMatch(page, oracle, 1);
}
