// Benchmark of refining: on a dropped profile, apply and remove a focus, an ignore and a hide through the
// Refine bar, and switch granularity, as a person does; each timed from the action to the next table drawn
// (`pprof:top-updated`). Headless Chromium on the built app; run by bench/run.mjs or alone after a build:
// `node bench/refine.mjs`. Profile: ../shared/fixtures/large/heap_large.pb.gz when present, else the generated
// 1 M-sample heap profile. Environment as run.mjs (BENCH_RUNS, BENCH_DIST, BENCH_NO_SHARED).

import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { dropAndWaitFor, fetchFile, fmt, longestTaskSinceMark, median, openBenchPage, repeatRuns, runWhenMain } from './common.mjs';
import { ensureGeneratedProfile } from './generate-profile.mjs';
import { startBenchServer } from './serve.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = resolve(REPO, process.env.BENCH_DIST ?? 'dist');
const LARGE_HEAP = resolve(REPO, '..', 'shared', 'fixtures', 'large', 'heap_large.pb.gz');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const TIMEOUT_MS = 60_000;
const SETTLE_MS = 1500;

/**
 * One refine action in the page, timed from the action to the next `pprof:top-updated`: `field` set to
 * `value` and the Refine form submitted, or the Granularity select changed, or an active filter chip removed.
 */
async function refineOnce({ kind, field, value, timeout }) {
  const bar = document.querySelector('section[aria-label="Refine"]');
  const byLabel = (text) => [...bar.querySelectorAll('label')].find((l) => l.querySelector('span')?.textContent.trim() === text);
  const start = performance.now();
  window.__bench.from = start;
  if (kind === 'field') {
    const input = byLabel(field).querySelector('input');
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.closest('form').requestSubmit();
  } else if (kind === 'granularity') {
    const select = byLabel('Granularity').querySelector('select');
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  } else {
    bar.querySelector(`button[aria-label^="Remove ${field}="]`).click();
  }
  return new Promise((ok, fail) => {
    const poll = () => {
      const e = performance.getEntriesByName('pprof:top-updated').find((m) => m.startTime >= start);
      if (e) {
        const reply = performance.getEntriesByName('pprof:top-reply').find((m) => m.startTime >= start);
        return ok({ total: e.startTime - start, reply: reply?.duration ?? null, worker: reply?.detail?.computeMs ?? null });
      }
      if (performance.now() > start + timeout) return fail(new Error(`${kind} ${field ?? ''}=${value ?? ''}: no pprof:top-updated`));
      setTimeout(poll, 2);
    };
    poll();
  });
}

/** The name of the n-th row of the top table (a function that exists, to focus on or ignore). */
function rowName(n) {
  const rows = [...document.querySelectorAll('[role="table"][aria-label="Top functions"] [role="row"]')].filter((r) => r.querySelector('[role="cell"]'));
  const cells = rows[n].querySelectorAll('[role="cell"]');
  return cells[cells.length - 1].textContent.trim().replace(/ \((partial-)?inline\)$/, '');
}

const escape = (s) => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

async function runOnce(browser, base, name) {
  const page = await openBenchPage(browser, base);
  try {
    await page.evaluate(fetchFile, { url: `${base}__bench/0`, name });
    await page.evaluate(dropAndWaitFor, { mark: 'pprof:top-drawn', timeout: 120_000 });
    // A person reads the table before refining: the engine's idle warm-up (the other sample types' sums) is over.
    await page.waitForTimeout(SETTLE_MS);
    const fn = escape(await page.evaluate(rowName, 3));
    const steps = [
      ['focus', { kind: 'field', field: 'Focus', value: fn }, 'focus'],
      ['focus removed', { kind: 'chip', field: 'focus' }],
      ['ignore', { kind: 'field', field: 'Ignore', value: fn }],
      ['ignore removed', { kind: 'chip', field: 'ignore' }],
      ['hide', { kind: 'field', field: 'Hide', value: 'runtime' }],
      ['hide removed', { kind: 'chip', field: 'hide' }],
      ['granularity lines', { kind: 'granularity', value: 'lines' }],
      ['granularity functions', { kind: 'granularity', value: 'functions' }],
    ];
    const out = {};
    let longest = 0;
    for (const [label, step] of steps) {
      out[label] = await page.evaluate(refineOnce, { ...step, timeout: TIMEOUT_MS });
      longest = Math.max(longest, await page.evaluate(longestTaskSinceMark));
    }
    return { ...out, longest };
  } finally {
    await page.context().close();
  }
}

export async function runRefineBench() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html is missing: build first.`);
  const file = !process.env.BENCH_NO_SHARED && existsSync(LARGE_HEAP) ? LARGE_HEAP : ensureGeneratedProfile({ kind: 'heap', samples: 1_000_000 });
  const name = basename(file);
  const server = await startBenchServer(DIST, [file]);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  let result;
  try {
    result = await repeatRuns(RUNS, name, () => runOnce(browser, base, name));
  } finally {
    await browser.close();
    server.close();
  }
  const { runs, ok } = result;
  console.log(`\nRefine (bench/refine.mjs) on ${name}, ${runs.length} runs, medians (action → next table drawn):`);
  if (runs.length === 0) return false;
  for (const key of Object.keys(runs[0])) {
    if (key === 'longest') continue;
    const m = median(runs.map((x) => x[key].total));
    const reply = median(runs.map((x) => x[key].reply));
    const worker = median(runs.map((x) => x[key].worker));
    const limit = key.startsWith('granularity') ? 250 : 150;
    console.log(`  ${key.padEnd(22)} ${fmt(m).padStart(5)} ms  (reply ${fmt(reply)} ms, in the worker ${fmt(worker)} ms; goal ≤ ${limit} ms) ${m !== null && m <= limit ? 'MET' : 'MISSED'}`);
  }
  const longest = Math.max(...runs.map((x) => x.longest));
  console.log(`  longest main-thread task during the steps: ${fmt(longest)} ms (goal ≤ 50 ms) ${longest <= 50 ? 'MET' : 'MISSED'}`);
  return ok;
}

runWhenMain(import.meta.url, runRefineBench);
