// Benchmark: drop profiles on the built app in headless Chromium and print medians against the goals.
// `npm run bench` builds dist/ first. Plain Node ESM (no build step). Environment:
//   CHROMIUM_PATH  Chromium binary (default /usr/bin/chromium)
//   BENCH_RUNS     runs per profile, each on a fresh page (default 5)
//   BENCH_ONLY     substring: bench only profiles whose name contains it
//   BENCH_NO_SHARED=1  ignore ../shared/fixtures/large and use the generated profile instead
//   BENCH_DIST     serve this built folder instead of dist/ (e.g. while e2e tests use dist/)

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { ensureGeneratedProfile } from './generate-profile.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { startBenchServer } from './serve.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.env.BENCH_DIST ? resolve(process.env.BENCH_DIST) : join(REPO, 'dist');
const LARGE = resolve(REPO, '..', 'shared', 'fixtures', 'large');
const HEAP_T3 = join(REPO, 'tests', 'fixtures', 'go-leaky-server', 'heap_t3.pb.gz');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const CHROMIUM = CHROMIUM_PATH;
const ARGS = [...CHROMIUM_ARGS, '--enable-precise-memory-info'];
const STEP_TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------------------------------------------------
// Profiles

function listProfiles() {
  const only = process.env.BENCH_ONLY;
  const wanted = (name) => !only || name.includes(only);
  const profiles = [];
  if (!process.env.BENCH_NO_SHARED && existsSync(LARGE)) {
    for (const f of readdirSync(LARGE).sort()) if (f.endsWith('.pb.gz')) profiles.push(join(LARGE, f));
  }
  if (profiles.length === 0 && wanted('generated_heap_1m')) {
    console.log('No ../shared/fixtures/large: using a generated 1 M-sample heap profile (cached in bench/out/).');
    profiles.push(ensureGeneratedProfile({ kind: 'heap', samples: 1_000_000 }));
  }
  profiles.push(HEAP_T3);
  return profiles.filter((p) => wanted(basename(p)));
}

/** Reads a varint at `pos` of `buf`: [value, next position]. Values beyond 2^53 lose precision (unused here). */
function readVarint(buf, pos) {
  let value = 0;
  let scale = 1;
  for (;;) {
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
}

/** Counts samples and names the sample types by scanning the top-level protobuf fields (Node side, not timed). */
function describeProfile(file) {
  let raw = readFileSync(file);
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw, { maxOutputLength: 2 ** 31 - 1 });
  let samples = 0;
  const typeRefs = [];
  const strings = [];
  for (let pos = 0; pos < raw.length; ) {
    let key;
    [key, pos] = readVarint(raw, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      [, pos] = readVarint(raw, pos);
    } else if (wire === 2) {
      let len;
      [len, pos] = readVarint(raw, pos);
      if (field === 2) samples++;
      else if (field === 6) strings.push(raw.toString('utf8', pos, pos + len));
      else if (field === 1) {
        const refs = {};
        for (let p = pos; p < pos + len; ) {
          let k;
          let v;
          [k, p] = readVarint(raw, p);
          [v, p] = readVarint(raw, p);
          refs[k >> 3] = v;
        }
        typeRefs.push(refs);
      }
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`${file}: unexpected wire type ${wire} at ${pos}`);
  }
  const sampleTypes = typeRefs.map((r) => `${strings[r[1] ?? 0]} (${strings[r[2] ?? 0]})`);
  return { file, name: basename(file).replace(/\.pb\.gz$/, ''), bytes: statSync(file).size, inflated: raw.length, samples, sampleTypes };
}

// ---------------------------------------------------------------------------------------------------------
// Static server: dist/ at /, bench profiles at /__bench/<index>

function startServer(profiles) {
  return startBenchServer(DIST, profiles.map((p) => p.file));
}

// ---------------------------------------------------------------------------------------------------------
// In-page measurements

/** Installed before the app loads: the longest main-thread task (long tasks are those over 50 ms). */
function installObservers() {
  window.__bench = { tasks: [], from: 0, decodeMs: [] };
  // Read ProfileSummary.decodeMs from the engine's open() reply as it arrives (comlink: { value: { ok, summary } }).
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const summary = e.data?.value?.summary;
        if (summary && typeof summary.decodeMs === 'number') window.__bench.decodeMs.push(summary.decodeMs);
      });
    }
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** The long tasks since the drop (the bench's own fetch and File building before it are left out). */
function readLongTasks() {
  const tasks = window.__bench.tasks.filter((t) => t.start >= window.__bench.from);
  return { longest: Math.max(0, ...tasks.map((t) => t.duration)), count: tasks.length };
}

/** Fetches the profile into a File held by the page (not timed; a task of its own, before the drop). */
async function prepareFile({ url, name }) {
  const bytes = await (await fetch(url)).arrayBuffer();
  window.__bench.file = new File([bytes], name, { type: 'application/gzip' });
  await new Promise((ok) => setTimeout(ok, 50));
  window.__bench.from = performance.now();
}

/** Drops the prepared file on the page and waits for the top table to be drawn. */
async function dropAndWaitForTop({ timeout }) {
  const file = window.__bench.file;
  window.__bench.file = null;
  const seen = (mark, after) => performance.getEntriesByName(mark).find((e) => e.startTime >= after);
  const waitForMark = (mark, after) =>
    new Promise((ok, fail) => {
      const found = seen(mark, after);
      if (found) return ok(found);
      const timer = setTimeout(() => fail(new Error(`no ${mark} within ${timeout} ms`)), timeout);
      const observer = new PerformanceObserver(() => {
        const e = seen(mark, after);
        if (e) {
          observer.disconnect();
          clearTimeout(timer);
          ok(e);
        }
      });
      observer.observe({ type: 'mark' });
    });
  const dt = new DataTransfer();
  dt.items.add(file);
  const start = performance.now();
  const drawn = waitForMark('pprof:top-drawn', start);
  const decoded = waitForMark('pprof:decoded', start);
  for (const kind of ['dragenter', 'dragover', 'drop']) {
    document.body.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt }));
  }
  const alert = () => document.querySelector('[role="alert"]')?.textContent?.trim();
  const [decodedMark, drawnMark] = await Promise.race([
    Promise.all([decoded, drawn]),
    new Promise((_, fail) => {
      const poll = setInterval(() => {
        if (alert()) {
          clearInterval(poll);
          fail(new Error(`alert: ${alert()}`));
        }
      }, 50);
    }),
  ]);
  const detail = decodedMark.detail ?? null;
  const fromMark = detail && typeof detail.decodeMs === 'number' ? detail.decodeMs : null;
  return {
    dropToTop: drawnMark.startTime - start,
    dropToDecoded: decodedMark.startTime - start,
    decodeMs: fromMark ?? window.__bench.decodeMs.at(-1) ?? null,
  };
}

/**
 * Selects another sample type (in the page, as a change event) and times until the next top table is in
 * the DOM with the new type in the report header, plus one frame (painted).
 */
async function switchSampleType({ timeout }) {
  const select = [...document.querySelectorAll('select')].find((s) => s.labels?.[0]?.textContent?.trim().startsWith('Sample')) ??
    document.querySelector('select[aria-label="Sample"]');
  if (!select || select.options.length < 2) return null;
  const next = [...select.options].find((o) => !o.selected);
  const typeName = next.textContent.trim().replace(/\s*\(.*\)$/, '');
  const header = () => document.querySelector('[aria-label="Report header"]');
  const table = () => document.querySelector('[role="table"][aria-label="Top functions"]');
  const done = () => header()?.textContent?.includes(`Type: ${typeName}`) && table()?.querySelector('[role="cell"]');
  const start = performance.now();
  const ended = new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`sample switch to ${typeName}: no table within ${timeout} ms`)), timeout);
    const observer = new MutationObserver(() => {
      if (done()) {
        observer.disconnect();
        clearTimeout(timer);
        const inDom = performance.now();
        requestAnimationFrame(() => ok({ inDom: inDom - start, painted: performance.now() - start }));
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  select.value = next.value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  return { type: typeName, ...(await ended) };
}

// ---------------------------------------------------------------------------------------------------------
// Worker memory

/**
 * The engine worker's V8 heap. `performance.memory` is undefined inside dedicated workers in this Chromium
 * (checked: 156, even with --enable-precise-memory-info), so the figure comes from the DevTools protocol:
 * Runtime.getHeapUsage in the worker target, once as it is (after decode and the first top table) and once
 * after HeapProfiler.collectGarbage, adding backingStorageSize (ArrayBuffer / typed-array memory, which the
 * JS heap figure leaves out and where a columnar profile lives). The pass worker (which holds half of a
 * large profile's stacks for the split passes) is measured the same way and reported apart.
 */
async function measureWorkerHeap(page, cdp) {
  const fromPage = await Promise.all(page.workers().map((w) => w.evaluate(() => performance.memory?.usedJSHeapSize ?? null).catch(() => null)));
  const { targetInfos } = await cdp.send('Target.getTargets');
  const workers = targetInfos.filter((t) => t.type === 'worker');
  const engine = workers.find((t) => /engine/i.test(t.url)) ?? workers[0];
  if (!engine) return null;
  const pass = workers.find((t) => /pass\.worker/i.test(t.url));
  const engineHeap = await measureTarget(cdp, engine);
  const passHeap = pass ? await measureTarget(cdp, pass).catch(() => null) : null;
  return {
    perfMemory: fromPage.find((x) => x !== null) ?? null,
    used: engineHeap.now.usedSize,
    retained: engineHeap.after.usedSize + (engineHeap.after.backingStorageSize ?? 0),
    passRetained: passHeap ? passHeap.after.usedSize + (passHeap.after.backingStorageSize ?? 0) : null,
  };
}

/** Runtime.getHeapUsage of one worker target, as it is (`now`) and after a forced GC (`after`). */
async function measureTarget(cdp, target) {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let nextId = 0;
  const pending = new Map();
  const onMessage = (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message);
    const done = pending.get(m.id);
    if (done) {
      pending.delete(m.id);
      done(m);
    }
  };
  cdp.on('Target.receivedMessageFromTarget', onMessage);
  const send = (method, params = {}) =>
    new Promise((ok, fail) => {
      const id = ++nextId;
      pending.set(id, (m) => (m.error ? fail(new Error(`${method}: ${m.error.message}`)) : ok(m.result)));
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(fail);
    });
  try {
    const now = await send('Runtime.getHeapUsage');
    await send('HeapProfiler.collectGarbage');
    const after = await send('Runtime.getHeapUsage');
    return { now, after };
  } finally {
    cdp.off('Target.receivedMessageFromTarget', onMessage);
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------------------
// Runner

const median = (xs) => {
  const v = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmt = (x, digits = 0) => (x === null || x === undefined ? '–' : x.toFixed(digits));
const mb = (bytes) => bytes / (1024 * 1024);

async function runOnce(browser, cdp, base, profile, index, withSwitch) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
  await context.addInitScript(installObservers);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(base, { waitUntil: 'load' });
    await page.getByLabel('Open profile file').waitFor({ state: 'attached', timeout: 15_000 });
    await page.evaluate(prepareFile, { url: `${base}__bench/${index}`, name: `${profile.name}.pb.gz` });
    const drop = await page.evaluate(dropAndWaitForTop, { timeout: STEP_TIMEOUT_MS });
    const heap = await measureWorkerHeap(page, cdp);
    const switched = withSwitch ? await page.evaluate(switchSampleType, { timeout: STEP_TIMEOUT_MS }) : null;
    await page.evaluate(() => new Promise((ok) => setTimeout(ok, 100))); // let the observer deliver the last entries
    const longTasks = await page.evaluate(readLongTasks);
    if (errors.length) throw new Error(`page error: ${errors[0]}`);
    return { ...drop, heap, switched, longest: longTasks.longest, longTasks: longTasks.count };
  } finally {
    await context.close();
  }
}

async function main() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run bench` (it builds first).');
  const profiles = listProfiles().map(describeProfile);
  const largest = profiles.reduce((a, b) => (b.samples > a.samples ? b : a));
  const server = await startServer(profiles);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const cdp = await browser.newBrowserCDPSession();
  console.log(`Chromium ${browser.version()}, ${RUNS} runs per profile (fresh page each), medians below.\n`);
  const results = [];
  try {
    for (const [index, profile] of profiles.entries()) {
      const runs = [];
      for (let r = 0; r < RUNS; r++) {
        try {
          runs.push(await runOnce(browser, cdp, base, profile, index, true));
        } catch (e) {
          console.log(`  ${profile.name} run ${r + 1}: FAILED ${e instanceof Error ? e.message.split('\n')[0] : e}`);
        }
      }
      const row = {
        profile,
        ok: runs.length,
        dropToTop: median(runs.map((x) => x.dropToTop)),
        dropToDecoded: median(runs.map((x) => x.dropToDecoded)),
        decodeMs: median(runs.map((x) => x.decodeMs)),
        heapMB: median(runs.map((x) => (x.heap ? mb(x.heap.perfMemory ?? x.heap.used) : null))),
        retainedMB: median(runs.map((x) => (x.heap ? mb(x.heap.retained) : null))),
        passRetainedMB: median(runs.map((x) => (x.heap?.passRetained != null ? mb(x.heap.passRetained) : null))),
        longest: median(runs.map((x) => x.longest)),
        worstLongest: runs.length ? Math.max(...runs.map((x) => x.longest)) : null,
        switchType: runs.find((x) => x.switched)?.switched.type ?? null,
        switchMs: median(runs.map((x) => x.switched?.painted ?? null)),
      };
      results.push(row);
      console.log(
        `  ${profile.name}: drop→top ${fmt(row.dropToTop)} ms, decoded ${fmt(row.dropToDecoded)} ms, ` +
          `heap ${fmt(row.heapMB, 1)} MB, switch ${fmt(row.switchMs)} ms (${row.ok}/${RUNS} runs)`,
      );
    }
  } finally {
    await browser.close();
    server.close();
  }

  const decodeFromSummary = results.some((r) => r.decodeMs !== null);
  const table = [
    ['profile', 'size MB', 'inflated MB', 'samples', 'sample types', 'runs', 'drop→top ms', 'drop→decoded ms', 'decode ms', 'worker heap MB', 'retained MB', 'longest task ms', 'switch ms'],
    ...results.map((r) => [
      r.profile.name,
      fmt(mb(r.profile.bytes), 1),
      fmt(mb(r.profile.inflated), 1),
      r.profile.samples.toLocaleString('en-US'),
      String(r.profile.sampleTypes.length),
      `${r.ok}/${RUNS}`,
      fmt(r.dropToTop),
      fmt(r.dropToDecoded),
      fmt(r.decodeMs),
      fmt(r.heapMB, 1),
      fmt(r.retainedMB, 1),
      r.ok === 0 ? '–' : r.worstLongest < 50 ? '<50' : `${r.longest < 50 ? '<50' : fmt(r.longest)} (max ${fmt(r.worstLongest)})`,
      r.switchMs === null ? '–' : `${fmt(r.switchMs)} → ${r.switchType}`,
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row) => `| ${row.map((cell, c) => (c === 0 || c === 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  console.log(`\n${line(table[0])}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of table.slice(1)) console.log(line(row));
  console.log('\ndrop→top = drop dispatch → pprof:top-drawn mark; drop→decoded = drop dispatch → pprof:decoded mark.');
  console.log(
    decodeFromSummary
      ? 'decode ms = ProfileSummary.decodeMs, inflate + decode in the worker (read from the engine\'s open() reply).'
      : 'decode ms: not available (no ProfileSummary.decodeMs seen in the worker replies).',
  );
  console.log(
    'worker heap = the engine worker\'s used JS heap once the top table is drawn, no forced GC (performance.memory is undefined in\n' +
      '  workers in this Chromium, so it is CDP Runtime.getHeapUsage.usedSize); retained = after a forced GC, plus ArrayBuffer backing stores.',
  );
  const passShare = results.filter((r) => r.passRetainedMB != null).map((r) => `${r.profile.name} ${fmt(r.passRetainedMB, 1)} MB`);
  if (passShare.length > 0) console.log(`pass worker retained (half the stacks of a split profile, not in the table): ${passShare.join(', ')}.`);
  console.log('longest task = longest main-thread "longtask" entry from the drop on (drop, top, switch); "<50" when there was none.');
  console.log('switch = select another sample type → the new top table in the DOM and one frame painted.\n');

  // Goals
  const byName = (n) => results.find((r) => r.profile.name === n);
  const goals = [];
  const goal = (what, value, limit, unit) =>
    goals.push([what, value === null || value === undefined ? 'not measured' : `${fmt(value)} ${unit}`, `≤ ${limit} ${unit}`, value === null || value === undefined ? 'n/a' : value <= limit ? 'MET' : 'MISSED']);
  goal('heap_large drop→top', byName('heap_large')?.dropToTop ?? null, 600, 'ms');
  {
    const s2m = byName('synthetic_2m');
    goal('synthetic_2m drop→top', s2m?.dropToTop ?? null, 1200, 'ms');
    goal('synthetic_2m worker heap', s2m?.heapMB ?? null, 400, 'MB');
    goal('synthetic_2m retained (heap + ArrayBuffers)', s2m?.retainedMB ?? null, 400, 'MB');
    if (s2m?.passRetainedMB != null) goal('synthetic_2m retained, engine + pass worker', s2m.retainedMB + s2m.passRetainedMB, 400, 'MB');
  }
  // The issue sets the switch goal on heap_large; without ../shared the largest profile stands in.
  const switchRow = byName('heap_large') ?? results.find((r) => r.profile === largest);
  goal(`sample-type switch (${byName('heap_large') ? 'heap_large' : largest.name})`, switchRow?.switchMs ?? null, 150, 'ms');
  const worst = Math.max(...results.filter((r) => r.ok).map((r) => r.worstLongest));
  goals.push(['longest main-thread task (all runs)', worst < 50 ? 'none over 50 ms' : `${fmt(worst)} ms`, '≤ 50 ms', worst <= 50 ? 'MET' : 'MISSED']);
  console.log('Goals ("not measured": that profile is absent, e.g. without ../shared/fixtures/large):');
  const gw = [0, 1, 2].map((c) => Math.max(...goals.map((g) => g[c].length)));
  for (const g of goals) console.log(`  ${g[0].padEnd(gw[0])}  ${g[1].padStart(gw[1])}  goal ${g[2].padEnd(gw[2])}  ${g[3]}`);
  if (results.some((r) => r.ok < RUNS)) process.exitCode = 1;

  // Flame graph (bench/flame.mjs): drop → first flame draw, hover and zoom redraws, search, memory.
  if (!process.env.BENCH_NO_FLAME) {
    const { runFlameBench } = await import('./flame.mjs');
    if (!(await runFlameBench())) process.exitCode = 1;
  }

  // Refine (bench/refine.mjs): focus / ignore / hide applied and removed, granularity switches.
  if (!process.env.BENCH_NO_REFINE) {
    const { runRefineBench } = await import('./refine.mjs');
    if (!(await runRefineBench())) process.exitCode = 1;
  }

  // Call graph (bench/graph.mjs): switch → graph drawn, pan/zoom frames.
  if (!process.env.BENCH_NO_GRAPH) {
    const { runGraphBench } = await import('./graph.mjs');
    if (!(await runGraphBench())) process.exitCode = 1;
  }

  // Goroutine dumps (bench/goroutines.mjs): goroutine_t1.debug2.txt and a generated 100 000-goroutine dump.
  if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY.includes('goroutine')) {
    const { runGoroutineBench } = await import('./goroutines.mjs');
    if (!(await runGoroutineBench())) process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
