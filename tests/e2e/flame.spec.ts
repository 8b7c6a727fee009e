// The flame graph on heap_t3: click the leaking middleware, read pprof's cum, search "json".

import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { dropHeapT3, openApp } from './support/app';
import { readOracle } from './support/oracle';

const trimmed = readOracle('heap_t3.inuse_space.top.txt');
const all = readOracle('heap_t3.inuse_space.top-all.txt');
const percent = (t: string) => Number(t.replace('%', ''));

/** Clicks (or hovers) the middle of the labelled frame whose text starts with `name` + ' ' (or ':'). */
async function frameCenter(page: Page, name: string): Promise<{ x: number; y: number }> {
  const item = page
    .getByRole('list', { name: 'Flame graph frames' })
    .getByRole('listitem')
    .filter({ hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ :]`) })
    .first();
  await expect(item).toBeAttached({ timeout: 15_000 });
  const [x, y, w] = await Promise.all(['data-x', 'data-y', 'data-w'].map(async (a) => Number(await item.getAttribute(a))));
  const box = (await page.getByRole('application', { name: 'Flame graph' }).boundingBox())!;
  return { x: box.x + x! + w! / 2, y: box.y + y! + 10 };
}

test('flame graph: the leaking middleware shows pprof\'s cum; "json" highlights its frames and share', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, trimmed);
  await page.getByRole('radiogroup', { name: 'Layout' }).getByRole('radio', { name: 'Flame graph' }).click();
  await page.waitForFunction(() => performance.getEntriesByName('pprof:flame-drawn').length > 0);
  await expect(page).toHaveURL(/[?&]layout=flame(&|$)/);

  const func1 = all.rows.find((r) => r.name === 'main.leakyMiddleware.func1')!;
  const at = await frameCenter(page, 'main.leakyMiddleware.func1');
  await page.mouse.move(at.x, at.y);
  await expect(page.getByRole('tooltip')).toContainText('main.leakyMiddleware.func1');
  await expect(page.getByRole('tooltip')).toContainText(`cum ${func1.cum} (${func1.cumPercent.trim()})`);

  await page.mouse.click(at.x, at.y);
  const details = page.getByRole('region', { name: 'Frame details' });
  await expect(details).toContainText(`Function total: flat ${func1.flat}, cum ${func1.cum} (${func1.cumPercent.trim()})`);
  await expect(details).toContainText('server.go');
  // Zoomed: the breadcrumb ends at the clicked function; Escape goes back to the root.
  const crumbs = page.getByRole('navigation', { name: 'Zoom path' });
  await expect(crumbs.getByRole('button').last()).toHaveText('main.leakyMiddleware.func1');
  await page.getByRole('application', { name: 'Flame graph' }).focus();
  await page.keyboard.press('Escape');
  await expect(crumbs.getByRole('button').last()).not.toHaveText('main.leakyMiddleware.func1');

  // Keyboard: the first arrow focuses the root, the next goes to its widest child, Enter zooms into it.
  await page.getByRole('button', { name: 'root', exact: true }).click();
  await expect(crumbs.getByRole('button')).toHaveCount(1);
  await page.getByRole('application', { name: 'Flame graph' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(crumbs.getByRole('button')).toHaveCount(2);
  await page.keyboard.press('Backspace');
  await expect(crumbs.getByRole('button')).toHaveCount(1);

  // Search: the share lies between the largest json function's cum% and the sum of them (a sample counts once).
  await page.getByLabel('Search frames').fill('json');
  const share = page.getByRole('status', { name: 'Matched share' });
  await expect(share).toContainText('Matched');
  const shown = percent(/\(([\d.e-]+%)\)/.exec((await share.textContent())!)![1]!);
  const jsonRows = all.rows.filter((r) => /json/i.test(r.name));
  expect(jsonRows.length).toBeGreaterThan(0);
  expect(shown).toBeGreaterThanOrEqual(Math.max(...jsonRows.map((r) => percent(r.cumPercent))) - 0.01);
  expect(shown).toBeLessThanOrEqual(jsonRows.reduce((s, r) => s + percent(r.cumPercent), 0) + 0.01);
  const list = page.getByRole('list', { name: 'Flame graph frames' });
  await expect(list.locator('[data-matched="true"]').first()).toBeAttached();
  for (const text of await list.locator('[data-matched="true"]').allTextContents()) expect(text.toLowerCase()).toContain('json');
});

test('the layout choice is in the URL: a reload shows the flame graph again', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, trimmed);
  await page.getByRole('radiogroup', { name: 'Layout' }).getByRole('radio', { name: 'Both' }).click();
  await expect(page).toHaveURL(/[?&]layout=both(&|$)/);
  await expect(page).toHaveURL(/[?&]snapshot=/);
  await page.reload();
  await expect(page.getByRole('radio', { name: 'Both' })).toHaveAttribute('aria-checked', 'true', { timeout: 15_000 });
  await expect(page.getByRole('table', { name: 'Top functions' })).toBeVisible();
  await expect(page.getByRole('application', { name: 'Flame graph' })).toBeVisible();
});

test('Export SVG and PNG download the flame graph', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, trimmed);
  await page.getByRole('radio', { name: 'Flame graph' }).click();
  await page.waitForFunction(() => performance.getEntriesByName('pprof:flame-drawn').length > 0);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
  expect(svg.suggestedFilename()).toBe('heap_t3.flame.svg');
  const text = readFileSync((await svg.path())!, 'utf8');
  expect(text.startsWith('<svg')).toBe(true);
  expect(text).toContain('main.leakyMiddleware.func1');
  expect(text).not.toMatch(/<script/i);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
  expect(png.suggestedFilename()).toBe('heap_t3.flame.png');
  const bytes = readFileSync((await png.path())!);
  expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
});
