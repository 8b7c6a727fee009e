// What the page benches (flame, graph, refine) share: a fresh page with long-task observers, the in-page file
// drop, repeated runs with failures reported, medians and the table printout.

import { pathToFileURL } from 'node:url';

/** In the page, before any script: records long tasks in `window.__bench.tasks`. */
export function installObservers() {
  window.__bench = { tasks: [], from: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** In the page: fetches a served profile into `window.__bench.file`. */
export async function fetchFile({ url, name }) {
  const bytes = await (await fetch(url)).arrayBuffer();
  window.__bench.file = new File([bytes], name, { type: 'application/gzip' });
}

/** Drops the fetched file and resolves when `mark` is set after the drop (or an alert shows). */
export async function dropAndWaitFor({ mark, timeout }) {
  const file = window.__bench.file;
  const dt = new DataTransfer();
  dt.items.add(file);
  const start = performance.now();
  window.__bench.from = start;
  const found = () => performance.getEntriesByName(mark).find((e) => e.startTime >= start);
  for (const kind of ['dragenter', 'dragover', 'drop']) {
    document.body.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt }));
  }
  return new Promise((ok, fail) => {
    const end = start + timeout;
    const poll = () => {
      const e = found();
      if (e) return ok(e.startTime - start);
      const alert = document.querySelector('[role="alert"]')?.textContent?.trim();
      if (alert) return fail(new Error(`alert: ${alert}`));
      if (performance.now() > end) return fail(new Error(`no ${mark} within ${timeout} ms`));
      setTimeout(poll, 5);
    };
    poll();
  });
}

/**
 * A fresh context (service workers blocked, 1280×900, long tasks observed) on the app at `base`, once it can
 * take a file. Close `page.context()` when done.
 */
export async function openBenchPage(browser, base) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
  await context.addInitScript(installObservers);
  const page = await context.newPage();
  await page.goto(base, { waitUntil: 'load' });
  await page.getByLabel('Open profile file').waitFor({ state: 'attached', timeout: 15_000 });
  return page;
}

/** Runs `bench()` (resolving to ok) when `moduleUrl` is the script node was started with. */
export function runWhenMain(moduleUrl, bench) {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  bench().then((ok) => process.exit(ok ? 0 : 1), (e) => {
    console.error(e);
    process.exit(1);
  });
}

/** The median of the finite values, or null. */
export const median = (xs) => {
  const v = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : null;
};
/** A figure with `d` decimals, or '–'. */
export const fmt = (x, d = 0) => (x === null || x === undefined ? '–' : x.toFixed(d));

/** Runs `once()` `runs` times; a failed run is printed and leaves `ok` false. */
export async function repeatRuns(runs, name, once) {
  const out = [];
  let ok = true;
  for (let r = 0; r < runs; r++) {
    try {
      out.push(await once());
    } catch (e) {
      ok = false;
      console.log(`  ${name} run ${r + 1}: FAILED ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
  }
  return { runs: out, ok };
}

/** Prints rows (the first is the header) as a Markdown table, names left-aligned, figures right-aligned. */
export function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(`| ${r.map((cell, c) => String(cell)[c === 0 ? 'padEnd' : 'padStart'](widths[c])).join(' | ')} |`);
}

/** In the page (after installObservers): the longest main-thread task since `window.__bench.from`, in ms. */
export function longestTaskSinceMark() {
  return Math.max(0, ...window.__bench.tasks.filter((t) => t.start >= window.__bench.from).map((t) => t.duration));
}
