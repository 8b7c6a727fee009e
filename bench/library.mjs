// Benchmark of the snapshot library in headless Chromium (run by `npm run bench` after bench/run.mjs):
//  1. listing a library of 200 snapshots (metadata only; each also holds 256 kB of bytes) after a reload;
//  2. re-opening a saved large profile from the library vs dropping it (drop → top table).
// Environment: CHROMIUM_PATH, BENCH_RUNS (default 5), BENCH_NO_SHARED=1 (generated profile instead of ../shared).

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { ensureGeneratedProfile } from './generate-profile.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { startBenchServer } from './serve.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(REPO, 'dist');
const LARGE = resolve(REPO, '..', 'shared', 'fixtures', 'large');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const CHROMIUM = CHROMIUM_PATH;
const ARGS = [...CHROMIUM_ARGS];
const SNAPSHOTS = 200;
const TIMEOUT_MS = 120_000;

function listProfiles() {
  const shared = ['heap_large.pb.gz', 'synthetic_2m.pb.gz'].map((f) => join(LARGE, f)).filter((f) => !process.env.BENCH_NO_SHARED && existsSync(f));
  return shared.length > 0 ? shared : [ensureGeneratedProfile({ kind: 'heap', samples: 1_000_000 })];
}

function startServer(profiles) {
  return startBenchServer(DIST, profiles);
}

// ---------------------------------------------------------------------------------------------------------
// In the page

/** Writes `count` snapshot records (format 2) with `bytesEach` bytes each into the app's database. */
async function seedLibrary({ count, bytesEach }) {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open('pprof-lens');
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  const kinds = ['heap', 'allocs', 'goroutine', 'cpu', 'mutex', 'block'];
  const chunk = new Uint8Array(bytesEach);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
  for (let i = 0; i < count; i++) {
    const tx = db.transaction(['meta', 'bytes'], 'readwrite');
    const id = `bench-${String(i).padStart(4, '0')}`;
    const bytes = chunk.slice(0).buffer;
    new Uint8Array(bytes)[0] = i & 0xff;
    tx.objectStore('bytes').put({ id, bytes });
    tx.objectStore('meta').put({
      format: 2, id, name: `${kinds[i % kinds.length]}_${i}.pb.gz`, fileName: `${kinds[i % kinds.length]}_${i}.pb.gz`, kind: kinds[i % kinds.length],
      sampleTypes: [{ type: 'alloc_objects', unit: 'count' }, { type: 'alloc_space', unit: 'bytes' }, { type: 'inuse_objects', unit: 'count' }, { type: 'inuse_space', unit: 'bytes' }],
      periodType: { type: 'space', unit: 'bytes' }, timeNanos: (1_795_000_000_000 + i * 60_000) * 1e6, durationNanos: 0,
      addedAt: Date.now(), lastOpenedAt: null, size: bytesEach, note: i % 7 === 0 ? 'a note about this snapshot' : '', tags: i % 5 === 0 ? ['leak', 'prod'] : [],
      viewOptions: null, decodeError: null,
    });
    await new Promise((ok, fail) => {
      tx.oncomplete = ok;
      tx.onerror = () => fail(tx.error);
    });
  }
  db.close();
}

/** Waits for a performance mark (the first one after `after`). */
function waitForMark({ mark, after, timeout }) {
  return new Promise((ok, fail) => {
    const find = () => performance.getEntriesByName(mark).find((e) => e.startTime >= after);
    const found = find();
    if (found) return ok(found.startTime);
    const timer = setTimeout(() => fail(new Error(`no ${mark} within ${timeout} ms`)), timeout);
    const observer = new PerformanceObserver(() => {
      const e = find();
      if (e) {
        observer.disconnect();
        clearTimeout(timer);
        ok(e.startTime);
      }
    });
    observer.observe({ type: 'mark' });
  });
}

/** The library marks of this page load: open → read (IndexedDB) → listed (painted), and the rows shown. */
async function readLibraryMarks({ timeout }) {
  const listed = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('no pprof:library-listed')), timeout);
    const poll = setInterval(() => {
      const e = performance.getEntriesByName('pprof:library-listed')[0];
      if (e) {
        clearInterval(poll);
        clearTimeout(timer);
        ok(e.startTime);
      }
    }, 10);
  });
  const open = performance.getEntriesByName('pprof:library-open')[0].startTime;
  const read = performance.getEntriesByName('pprof:library-read')[0].startTime;
  const rows = document.querySelectorAll('[aria-label="Snapshot library"] li.row').length;
  return { read: read - open, listed: listed - open, fromNavigation: listed, rows };
}

async function dropProfile({ url, name, timeout }) {
  const bytes = await (await fetch(url)).arrayBuffer();
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name, { type: 'application/gzip' }));
  await new Promise((ok) => setTimeout(ok, 50));
  const start = performance.now();
  for (const kind of ['dragenter', 'dragover', 'drop']) {
    document.body.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt }));
  }
  const drawn = await window.__waitForMark({ mark: 'pprof:top-drawn', after: start, timeout });
  const decoded = performance.getEntriesByName('pprof:decoded').find((e) => e.startTime >= start);
  return { drop: drawn - start, decoded: decoded ? decoded.startTime - start : null, decodeMs: decoded?.detail?.decodeMs ?? null };
}

async function reopenFromLibrary({ name, timeout }) {
  const button = [...document.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === `Open ${name}`);
  if (!button) throw new Error(`no Open ${name} button`);
  await new Promise((ok) => setTimeout(ok, 50));
  const start = performance.now();
  button.click();
  const drawn = await window.__waitForMark({ mark: 'pprof:top-drawn', after: start, timeout });
  const read = performance.getEntriesByName('pprof:snapshot-read').find((e) => e.startTime >= start);
  const decoded = performance.getEntriesByName('pprof:decoded').find((e) => e.startTime >= start);
  return { reopen: drawn - start, read: read ? read.startTime - start : null, decoded: decoded ? decoded.startTime - start : null, decodeMs: decoded?.detail?.decodeMs ?? null };
}

function countKept() {
  return new Promise((ok, fail) => {
    const r = indexedDB.open('pprof-lens');
    r.onerror = () => fail(r.error);
    r.onsuccess = () => {
      const db = r.result;
      const q = db.transaction('meta').objectStore('meta').count();
      q.onsuccess = () => {
        db.close();
        ok(q.result);
      };
    };
  });
}

// ---------------------------------------------------------------------------------------------------------

const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmt = (x) => (x === null || x === undefined ? '–' : x.toFixed(0));

async function newPage(browser) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
  await context.addInitScript(`window.__waitForMark = ${waitForMark.toString()};`);
  const page = await context.newPage();
  return { context, page };
}

async function benchListing(browser, base) {
  const { context, page } = await newPage(browser);
  try {
    await page.goto(base);
    await page.evaluate(() => new Promise((ok) => setTimeout(ok, 200))); // the app created the database
    await page.evaluate(seedLibrary, { count: SNAPSHOTS, bytesEach: 256 * 1024 });
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      await page.reload();
      runs.push(await page.evaluate(readLibraryMarks, { timeout: TIMEOUT_MS }));
    }
    return runs;
  } finally {
    await context.close();
  }
}

async function benchReopen(browser, base, index, file) {
  const name = basename(file);
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const { context, page } = await newPage(browser);
    try {
      await page.goto(base);
      await page.getByLabel('Open profile file').waitFor({ state: 'attached' });
      const dropped = await page.evaluate(dropProfile, { url: `${base}__bench/${index}`, name, timeout: TIMEOUT_MS });
      const saveStart = Date.now();
      while ((await page.evaluate(countKept)) < 1) {
        if (Date.now() - saveStart > TIMEOUT_MS) throw new Error('the profile was not kept');
        await page.waitForTimeout(100);
      }
      // A fresh visit of the app (a reload would reopen the profile from the view kept in its URL).
      await page.goto(base);
      await page.getByRole('button', { name: `Open ${name}` }).waitFor();
      // Let the previous page's teardown (its worker held the decoded profile) finish, as a fresh page has none.
      await page.waitForTimeout(1500);
      const reopened = await page.evaluate(reopenFromLibrary, { name, timeout: TIMEOUT_MS });
      console.log(
        `    ${name} run ${r + 1}: drop→top ${fmt(dropped.drop)} ms (worker decode ${fmt(dropped.decodeMs)}), ` +
          `re-open→top ${fmt(reopened.reopen)} ms (IndexedDB lookup ${fmt(reopened.read)}, worker read + decode ${fmt(reopened.decodeMs)})`,
      );
      runs.push({ drop: dropped.drop, reopen: reopened.reopen, read: reopened.read });
    } finally {
      await context.close();
    }
  }
  return runs;
}

async function main() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run bench` (it builds first).');
  const profiles = listProfiles();
  const server = await startServer(profiles);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const goals = [];
  try {
    console.log(`\nSnapshot library, Chromium ${browser.version()}, ${RUNS} runs, medians.`);
    const listing = await benchListing(browser, base);
    const listed = median(listing.map((x) => x.listed));
    console.log(
      `  ${SNAPSHOTS} snapshots (256 kB of bytes each, not read): IndexedDB read ${fmt(median(listing.map((x) => x.read)))} ms, ` +
        `listed and painted ${fmt(listed)} ms after the library opened (${listing[0]?.rows ?? 0} rows in the DOM; ` +
        `${fmt(median(listing.map((x) => x.fromNavigation)))} ms from navigation)`,
    );
    goals.push([`library of ${SNAPSHOTS} listed`, listed, 200]);
    for (const [i, file] of profiles.entries()) {
      const runs = await benchReopen(browser, base, i, file);
      const drop = median(runs.map((x) => x.drop));
      const reopen = median(runs.map((x) => x.reopen));
      const read = median(runs.map((x) => x.read));
      const mb = (statSync(file).size / 2 ** 20).toFixed(1);
      console.log(`  ${basename(file)} (${mb} MB): drop→top ${fmt(drop)} ms, re-open from the library→top ${fmt(reopen)} ms (of which the IndexedDB lookup ${fmt(read)} ms)`);
      goals.push([`re-open ${basename(file)} ≤ drop→top + 100`, reopen, drop === null ? null : drop + 100]);
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log('listed = pprof:library-open → pprof:library-listed (list read, in the DOM, one frame painted).');
  console.log('re-open = click "Open <name>" in the library on a fresh visit → pprof:top-drawn (the snapshot Blob looked up in IndexedDB, read and decoded by the engine, top table drawn).');
  console.log('Goals:');
  for (const [what, value, limit] of goals) {
    const ok = value !== null && limit !== null && value <= limit;
    console.log(`  ${what.padEnd(44)} ${fmt(value).padStart(6)} ms  goal ≤ ${fmt(limit)} ms  ${value === null ? 'n/a' : ok ? 'MET' : 'MISSED'}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
