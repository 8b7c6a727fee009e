// Benchmark of the flame graph: drop a profile with the Flame graph layout chosen, time the first draw, a
// zoom, hover redraws and a search highlight, in headless Chromium on the built app.
// Run by bench/run.mjs after the profile bench, or alone: `vite build && node bench/flame.mjs`.
// Profiles: ../shared/fixtures/large/{heap_large,synthetic_2m}.pb.gz when present, and heap_t3. Environment as
// run.mjs: CHROMIUM_PATH, BENCH_RUNS (default 5), BENCH_DIST, BENCH_ONLY.

import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { dropAndWaitFor, fetchFile, fmt, longestTaskSinceMark, median, openBenchPage, printTable, repeatRuns, runWhenMain } from './common.mjs';
import { startBenchServer } from './serve.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = resolve(REPO, process.env.BENCH_DIST ?? 'dist');
const LARGE = resolve(REPO, '..', 'shared', 'fixtures', 'large');
const HEAP_T3 = join(REPO, 'tests', 'fixtures', 'go-leaky-server', 'heap_t3.pb.gz');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const CHROMIUM = CHROMIUM_PATH;
const ARGS = [...CHROMIUM_ARGS, '--enable-precise-memory-info'];
const TIMEOUT_MS = 120_000;

function listProfiles() {
  const only = process.env.BENCH_ONLY;
  const files = ['heap_large.pb.gz', 'synthetic_2m.pb.gz'].map((f) => join(LARGE, f)).filter((f) => existsSync(f));
  files.push(HEAP_T3);
  return files.filter((f) => !only || basename(f).includes(only));
}

function startServer(files) {
  return startBenchServer(DIST, files);
}

// ---------------------------------------------------------------------------------------------------------
// In-page steps (serialised into the page by page.evaluate)

/** Hovers across the graph: per move, the draw measure and dispatch → next animation frame. */
async function hoverRedraws({ moves }) {
  const surface = document.querySelector('[role="application"][aria-label="Flame graph"]');
  const rect = surface.getBoundingClientRect();
  const draws = [];
  const frames = [];
  for (let i = 0; i < moves; i++) {
    const x = rect.left + ((i * 37) % Math.max(1, rect.width - 2)) + 1;
    const y = rect.top + 10 + 20 * (i % Math.max(1, Math.floor(rect.height / 20)));
    performance.clearMeasures('pprof:flame-draw');
    const start = performance.now();
    surface.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: x, clientY: y }));
    await new Promise((ok) => requestAnimationFrame(() => ok()));
    frames.push(performance.now() - start);
    const m = performance.getEntriesByName('pprof:flame-draw');
    if (m.length) draws.push(m[m.length - 1].duration);
  }
  const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null);
  return { draw: median(draws), frame: median(frames), worstDraw: draws.length ? Math.max(...draws) : null };
}

/**
 * Clicks the widest frame below the root (zoom); times click → its frames drawn, the draw alone, and click →
 * the preview drawn (the frame's subtree cut from the frames shown, before the engine's reply).
 */
async function zoomOnce({ timeout }) {
  const surface = document.querySelector('[role="application"][aria-label="Flame graph"]');
  const rect = surface.getBoundingClientRect();
  const item = [...document.querySelectorAll('ul[aria-label="Flame graph frames"] li')].find((li) => Number(li.dataset.y) >= 40);
  if (!item) return null;
  const x = rect.left + Number(item.dataset.x) + Number(item.dataset.w) / 2;
  const y = rect.top + Number(item.dataset.y) + 10;
  const start = performance.now();
  surface.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }));
  return new Promise((ok, fail) => {
    const poll = () => {
      const e = performance.getEntriesByName('pprof:flame-drawn').find((m) => m.startTime >= start);
      if (e) {
        const draws = performance.getEntriesByName('pprof:flame-draw').filter((m) => m.startTime >= start);
        const preview = performance.getEntriesByName('pprof:flame-preview-drawn').find((m) => m.startTime >= start);
        return ok({ total: e.startTime - start, draw: draws.length ? draws[draws.length - 1].duration : null, preview: preview ? preview.startTime - start : null });
      }
      if (performance.now() > start + timeout) return fail(new Error('zoom: no pprof:flame-drawn'));
      setTimeout(poll, 2);
    };
    poll();
  });
}

/** Types "json" in the search field; times input → the matched share shown and the highlight drawn. */
async function searchOnce({ timeout }) {
  const input = [...document.querySelectorAll('input[type="search"]')].find((i) => i.labels?.[0]?.textContent?.includes('Search frames'));
  const start = performance.now();
  input.value = 'json';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return new Promise((ok, fail) => {
    const poll = () => {
      const status = document.querySelector('[role="status"][aria-label="Matched share"]');
      if (status) {
        requestAnimationFrame(() => ok({ total: performance.now() - start, text: status.textContent.trim() }));
        return;
      }
      if (performance.now() > start + timeout) return fail(new Error('search: no matched share'));
      setTimeout(poll, 2);
    };
    poll();
  });
}

// ---------------------------------------------------------------------------------------------------------

async function runOnce(browser, base, index, name, t3) {
  const page = await openBenchPage(browser, base);
  try {
    // Choose the Flame graph layout once (on heap_t3): the next profile opens with it.
    await page.evaluate(fetchFile, { url: `${base}__bench/${t3}`, name: 'heap_t3.pb.gz' });
    await page.evaluate(dropAndWaitFor, { mark: 'pprof:top-drawn', timeout: TIMEOUT_MS });
    await page.getByRole('radio', { name: 'Flame graph' }).click();
    await page.waitForFunction(() => performance.getEntriesByName('pprof:flame-drawn').length > 0, null, { timeout: TIMEOUT_MS });
    await page.evaluate(fetchFile, { url: `${base}__bench/${index}`, name });
    const heapBefore = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
    const firstDraw = await page.evaluate(dropAndWaitFor, { mark: 'pprof:flame-drawn', timeout: TIMEOUT_MS });
    const heapAfter = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
    const frames = await page.evaluate(() => document.querySelector('canvas[aria-label^="Flame graph"]')?.getAttribute('aria-label'));
    const hover = await page.evaluate(hoverRedraws, { moves: 40 });
    const zoom = await page.evaluate(zoomOnce, { timeout: TIMEOUT_MS });
    const search = await page.evaluate(searchOnce, { timeout: TIMEOUT_MS });
    const longest = await page.evaluate(longestTaskSinceMark);
    return { firstDraw, hover, zoom, search, frames, longest, heapMB: heapBefore !== null && heapAfter !== null ? (heapAfter - heapBefore) / 2 ** 20 : null };
  } finally {
    await page.context().close();
  }
}

export async function runFlameBench() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html is missing: build first.`);
  const files = listProfiles();
  if (!files.includes(HEAP_T3)) files.push(HEAP_T3);
  const server = await startServer(files);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  let ok = true;
  console.log(`\nFlame graph (bench/flame.mjs), ${RUNS} runs per profile, medians:`);
  const rows = [['profile', 'drop→flame drawn ms', 'hover draw ms', 'hover frame ms', 'zoom ms (draw)', 'zoom preview ms', 'search ms', 'page heap Δ MB', 'longest task ms', 'frames']];
  const goals = [];
  try {
    for (const [index, file] of files.entries()) {
      const name = basename(file);
      const { runs, ok: allRan } = await repeatRuns(RUNS, name, () => runOnce(browser, base, index, name, files.indexOf(HEAP_T3)));
      ok &&= allRan;
      const m = {
        first: median(runs.map((x) => x.firstDraw)),
        hoverDraw: median(runs.map((x) => x.hover.draw)),
        hoverFrame: median(runs.map((x) => x.hover.frame)),
        zoom: median(runs.map((x) => x.zoom?.total ?? null)),
        zoomDraw: median(runs.map((x) => x.zoom?.draw ?? null)),
        zoomPreview: median(runs.map((x) => x.zoom?.preview ?? null)),
        search: median(runs.map((x) => x.search.total)),
        heap: median(runs.map((x) => x.heapMB)),
        longest: median(runs.map((x) => x.longest)),
      };
      rows.push([name, fmt(m.first), fmt(m.hoverDraw, 1), fmt(m.hoverFrame, 1), `${fmt(m.zoom)} (${fmt(m.zoomDraw, 1)})`, fmt(m.zoomPreview), fmt(m.search), fmt(m.heap, 1), fmt(m.longest), runs[0]?.frames?.replace(/^.*: /, '') ?? '–']);
      if (name !== 'heap_t3.pb.gz') {
        const goal = (what, v, limit, unit) => goals.push(`  ${name} ${what}: ${v === null ? 'not measured' : `${fmt(v, 1)} ${unit}`} (goal ≤ ${limit} ${unit}) ${v !== null && v <= limit ? 'MET' : 'MISSED'}`);
        goal('first draw after drop', m.first, 1000, 'ms');
        goal('hover redraw (draw)', m.hoverDraw, 16, 'ms');
        goal('zoom redraw (draw, after the engine reply)', m.zoomDraw, 16, 'ms');
        goal('search highlight', m.search, 100, 'ms');
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  printTable(rows);
  console.log('drop→flame drawn: the drop → pprof:flame-drawn (decode, the engine\'s frames, layout, canvas draw), the Flame graph layout chosen before.');
  console.log('hover: 40 mousemoves; draw = the pprof:flame-draw measure, frame = dispatch → next animation frame. zoom: click a frame → its frames drawn');
  console.log('(engine round trip included), the draw alone in brackets; zoom preview: click → the clicked frame\'s subtree drawn from the frames\n' +
    'already shown, before that reply ("–" when the reply came first). search: "json" typed → matched share shown, one frame later (its 50 ms debounce included).');
  for (const g of goals) console.log(g);
  return ok;
}

runWhenMain(import.meta.url, runFlameBench);
