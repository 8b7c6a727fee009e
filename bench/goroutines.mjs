// Benchmark of goroutine dumps: drop a ?debug=2 dump on the built app in headless Chromium, time parse + buckets.
// Run by bench/run.mjs after the profile bench, or alone: `vite build && node bench/goroutines.mjs`.
// Profiles: goroutine_t1.debug2.txt (1.5 MB, 5386 goroutines) and a generated 100 000-goroutine dump made by
// repeating the fixture's goroutine blocks with fresh ids (cached in bench/out/). Environment as run.mjs:
// CHROMIUM_PATH, BENCH_RUNS (default 5), BENCH_DIST (another build folder).

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { startBenchServer } from './serve.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = resolve(REPO, process.env.BENCH_DIST ?? 'dist');
const OUT = join(REPO, 'bench', 'out');
const T1 = join(REPO, 'tests', 'fixtures', 'go-leaky-server', 'goroutine_t1.debug2.txt');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const CHROMIUM = CHROMIUM_PATH;
const ARGS = [...CHROMIUM_ARGS];
const TIMEOUT_MS = 120_000;

/** A dump of `count` goroutines: the fixture's blocks in turn, renumbered, some with a wait in minutes. */
export function ensureGeneratedDump(count = 100_000) {
  const file = join(OUT, `generated_goroutines_${count / 1000}k.debug2.txt`);
  if (existsSync(file)) return file;
  const blocks = readFileSync(T1, 'utf8').split(/\n\n(?=goroutine \d+ )/);
  const out = [];
  for (let i = 0; i < count; i++) {
    const block = blocks[i % blocks.length].replace(/^goroutine \d+ \[([^\]]*)\]:/, (_, state) => {
      const wait = i % 7 === 0 && !state.includes('minutes') ? `${state.replace(/(, locked to thread)?$/, `, ${1 + (i % 90)} minutes$1`)}` : state;
      return `goroutine ${i + 1} [${wait}]:`;
    });
    out.push(block.trimEnd());
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(file, `${out.join('\n\n')}\n`);
  return file;
}

function startServer(files) {
  return startBenchServer(DIST, files);
}

/** Installed before the app loads: long tasks, and the engine's open/goroutines replies as they arrive. */
function installObservers() {
  window.__bench = { tasks: [], from: 0, decodeMs: null, goroutinesMs: null };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const v = e.data?.value;
        if (v?.summary && typeof v.summary.decodeMs === 'number') window.__bench.decodeMs = v.summary.decodeMs;
        if (v?.rows && typeof v.computeMs === 'number' && window.__bench.goroutinesMs === null) window.__bench.goroutinesMs = v.computeMs;
      });
    }
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

async function prepareFile({ url, name }) {
  const bytes = await (await fetch(url)).arrayBuffer();
  window.__bench.file = new File([bytes], name, { type: 'text/plain' });
  await new Promise((ok) => setTimeout(ok, 50));
  window.__bench.from = performance.now();
}

/** Drops the file and waits until the bucket table shows its first row. */
async function dropAndWaitForBuckets({ timeout }) {
  const file = window.__bench.file;
  const start = performance.now();
  window.__bench.from = start;
  const dt = new DataTransfer();
  dt.items.add(file);
  for (const kind of ['dragenter', 'dragover', 'drop']) {
    document.body.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }
  const firstRow = () => document.querySelector('[role="table"][aria-label="Goroutine buckets"] [role="rowgroup"][aria-label="Buckets"] [role="row"]');
  await new Promise((ok, fail) => {
    const deadline = start + timeout;
    const poll = () => {
      if (firstRow()) return requestAnimationFrame(() => ok());
      if (performance.now() > deadline) return fail(new Error(`no bucket row within ${timeout} ms`));
      setTimeout(poll, 5);
    };
    poll();
  });
  const tasks = window.__bench.tasks.filter((t) => t.start >= start);
  return {
    dropToBuckets: performance.now() - start,
    decodeMs: window.__bench.decodeMs,
    goroutinesMs: window.__bench.goroutinesMs,
    longest: Math.max(0, ...tasks.map((t) => t.duration)),
    rows: document.querySelector('[role="table"][aria-label="Goroutine buckets"]')?.getAttribute('aria-rowcount'),
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs the goroutine bench; prints a table and the goals; returns false when a run failed (as run.mjs does). */
export async function runGoroutineBench() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html is missing: run vite build first`);
  const files = [T1, ensureGeneratedDump(100_000)];
  const server = await startServer(files);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const results = [];
  let ok = true;
  try {
    for (const [i, file] of files.entries()) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      const runs = [];
      for (let r = 0; r < RUNS; r++) {
        const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
        await context.addInitScript(installObservers);
        const page = await context.newPage();
        try {
          await page.goto(base);
          await page.waitForSelector('input[aria-label="Open profile file"]', { state: 'attached' });
          await page.evaluate(prepareFile, { url: `${base}__bench/${i}`, name });
          runs.push(await page.evaluate(dropAndWaitForBuckets, { timeout: TIMEOUT_MS }));
        } catch (e) {
          ok = false;
          console.log(`  ${name} run ${r + 1}: FAILED ${e instanceof Error ? e.message.split('\n')[0] : e}`);
        } finally {
          await context.close();
        }
      }
      if (runs.length === 0) continue;
      results.push({
        name,
        mb: statSync(file).size / 1024 / 1024,
        goroutines: readFileSync(file, 'utf8').match(/^goroutine \d+ /gm)?.length ?? 0,
        buckets: Number(runs[0].rows) - 1,
        decodeMs: median(runs.map((x) => x.decodeMs)),
        goroutinesMs: median(runs.map((x) => x.goroutinesMs)),
        dropToBuckets: median(runs.map((x) => x.dropToBuckets)),
        longest: Math.max(...runs.map((x) => x.longest)),
      });
    }
  } finally {
    await browser.close();
    server.close();
  }
  const f = (v) => (v === null || v === undefined ? '—' : v.toFixed(0));
  console.log(`\nGoroutine dumps (Chromium ${CHROMIUM}), ${RUNS} runs each, medians:`);
  console.log('| dump | MB | goroutines | buckets | parse+profile (worker) | first buckets (worker) | parse+buckets | drop→buckets drawn | longest main-thread task |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.mb.toFixed(1)} | ${r.goroutines} | ${r.buckets} | ${f(r.decodeMs)} ms | ${f(r.goroutinesMs)} ms | ${f(r.decodeMs + r.goroutinesMs)} ms | ${f(r.dropToBuckets)} ms | ${r.longest < 50 ? '<50' : f(r.longest)} ms |`,
    );
  }
  console.log('parse+profile = the engine decoding the dump and converting it to a goroutine Profile (ProfileSummary.decodeMs);');
  console.log('first buckets = the first goroutines() reply (buckets built, state counts, rows); drop→buckets = drop → first bucket row painted.');
  const goal = (label, value, limit) => {
    const met = value !== undefined && value <= limit;
    console.log(`  ${label.padEnd(40)} ${value === undefined ? 'not measured' : `${f(value)} ms`}  goal ≤ ${limit} ms  ${met ? 'MET' : 'MISSED'}`);
  };
  const t1 = results.find((r) => r.name === 'goroutine_t1.debug2.txt');
  const big = results.find((r) => r.name.startsWith('generated_goroutines_100k'));
  console.log('Goals:');
  goal('100k-goroutine dump parsed + bucketed', big ? big.decodeMs + big.goroutinesMs : undefined, 1000);
  goal('goroutine_t1.debug2.txt parsed + bucketed', t1 ? t1.decodeMs + t1.goroutinesMs : undefined, 100);
  goal('longest main-thread task', results.length ? Math.max(...results.map((r) => r.longest)) : undefined, 50);
  return ok;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runGoroutineBench()
    .then((ok) => {
      if (!ok) process.exitCode = 1;
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
