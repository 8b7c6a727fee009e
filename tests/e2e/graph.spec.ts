// The call graph on heap_t3: the biggest node is the leaking middleware; hover shows it, Focus shrinks the
// graph to its subtree, the layout and the focus survive a reload.

import { expect, test, type Page } from '@playwright/test';
import { dropHeapT3, openApp } from './support/app';
import { readOracle } from './support/oracle';

const trimmed = readOracle('heap_t3.inuse_space.top.txt');

/** The laid-out nodes: per `g.node`, its label lines, the largest font size of its text, and its box centre. */
async function readNodes(page: Page) {
  return page.locator('.paper svg').evaluate((svg) =>
    [...svg.querySelectorAll('g.node')].map((g) => {
      const texts = [...g.querySelectorAll('text')];
      const r = g.getBoundingClientRect();
      return {
        id: g.querySelector('title')?.textContent ?? '',
        lines: texts.map((t) => t.textContent ?? ''),
        size: Math.max(0, ...texts.map((t) => Number(t.getAttribute('font-size')))),
        x: r.left + r.width / 2,
        y: r.top + r.height / 2,
      };
    }),
  );
}

async function waitForGraph(page: Page, after = 0) {
  await page.waitForFunction((n) => performance.getEntriesByName('pprof:graph-drawn').length > n, after, { timeout: 20_000 });
}

test('call graph: biggest node, hover, Focus from the node menu, reload', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, trimmed);
  await page.getByRole('radiogroup', { name: 'Layout' }).getByRole('radio', { name: 'Call graph' }).click();
  await waitForGraph(page);
  await expect(page).toHaveURL(/[?&]layout=graph(&|$)/);

  const before = await readNodes(page);
  expect(before.length).toBeGreaterThan(10);
  const biggest = before.reduce((a, b) => (b.size > a.size ? b : a));
  expect(biggest.lines.slice(0, 3)).toEqual(['main', 'leakyMiddleware', 'func1']);
  // Its flat is the top table's first row, as pprof prints it in kB here.
  expect(trimmed.rows[0]!.name).toBe('main.leakyMiddleware.func1');

  await page.mouse.move(biggest.x, biggest.y);
  await expect(page.getByRole('tooltip')).toContainText('main.leakyMiddleware.func1');
  await expect(page.getByRole('tooltip')).toContainText('cum');

  await page.mouse.click(biggest.x, biggest.y);
  const menu = page.getByRole('menu', { name: 'Node actions' });
  await expect(menu).toBeVisible();
  const listed = () => page.getByRole('list', { name: 'Graph nodes' }).getByRole('button').allTextContents();
  // runtime.malg (goroutine stacks) allocates outside the middleware's subtree.
  expect((await listed()).some((n) => n.startsWith('runtime.malg:'))).toBe(true);
  const drawn = await page.evaluate(() => performance.getEntriesByName('pprof:graph-drawn').length);
  await menu.getByRole('menuitem', { name: 'Focus on' }).click();
  await waitForGraph(page, drawn);
  await expect(page).toHaveURL(/[?&]f=%5Emain%5C.leakyMiddleware%5C.func1%24/);

  const after = await readNodes(page);
  expect(after.length).toBeLessThan(before.length);
  // What is left is on paths through the focused function.
  const names = await listed();
  expect(names.some((n) => n.startsWith('main.leakyMiddleware.func1:'))).toBe(true);
  expect(names.some((n) => n.startsWith('runtime.malg:'))).toBe(false);

  await page.reload();
  await waitForGraph(page);
  await expect(page.getByRole('radio', { name: 'Call graph' })).toHaveAttribute('aria-checked', 'true');
  expect((await readNodes(page)).length).toBe(after.length);
});

test('call graph: zoom buttons and keys change the scale; Export DOT saves pprof\'s DOT text', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, trimmed);
  await page.getByRole('radio', { name: 'Call graph' }).click();
  await waitForGraph(page);
  const scale = () => page.locator('.paper').evaluate((el) => Number(/scale\(([\d.]+)\)/.exec(el.style.transform)?.[1]));
  const fitted = await scale();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  expect(await scale()).toBeCloseTo(fitted * 1.25, 5);
  await page.getByRole('application', { name: 'Call graph' }).focus();
  await page.keyboard.press('-');
  expect(await scale()).toBeCloseTo(fitted, 5);
  await page.keyboard.press('0');
  expect(await scale()).toBeCloseTo(fitted, 5);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export DOT' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('heap_t3.graph.dot');
  const text = await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8');
  expect(text).toMatch(/^digraph "/);
  expect(text).toContain('leakyMiddleware');
});

test('call graph: the Nodes slider redraws with fewer nodes, and the count stays in the link across a reload', async ({ page }) => {
  await openApp(page);
  await dropHeapT3(page, trimmed);
  await page.getByRole('radio', { name: 'Call graph' }).click();
  await waitForGraph(page);
  const before = (await readNodes(page)).length;
  const drawn = await page.evaluate(() => performance.getEntriesByName('pprof:graph-drawn').length);
  await page.getByRole('slider', { name: 'Nodes' }).fill('20');
  await waitForGraph(page, drawn);
  await expect(page).toHaveURL(/[?&]gn=20(&|$)/);
  const fewer = (await readNodes(page)).length;
  expect(fewer).toBeLessThan(before);

  await page.reload();
  await waitForGraph(page);
  await expect(page.getByRole('slider', { name: 'Nodes' })).toHaveValue('20');
  expect((await readNodes(page)).length).toBe(fewer);
  await page.getByRole('button', { name: 'Default (80)' }).click();
  await expect(page).not.toHaveURL(/[?&]gn=/);
});
