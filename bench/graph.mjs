// Benchmark of the call graph: open a profile in the table, switch to "Call graph", time the switch → the
// graph drawn (engine graph build + Graphviz layout in its worker, with its cold start + SVG shown), then
// pan and zoom frames. Headless Chromium on the built app; run by bench/run.mjs or alone:
// `vite build && node bench/graph.mjs`. Profiles: ../shared/fixtures/large/{heap_large,synthetic_2m}.pb.gz
// when present (else the generated 1 M-sample heap profile), and the go-leaky-server heap_t3, cpu and goroutine_t1. Environment as run.mjs.

import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { dropAndWaitFor, fetchFile, fmt, longestTaskSinceMark, median, openBenchPage, printTable, repeatRuns, runWhenMain } from './common.mjs';
import { ensureGeneratedProfile } from './generate-profile.mjs';
import { startBenchServer } from './serve.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = resolve(REPO, process.env.BENCH_DIST ?? 'dist');
const LARGE = resolve(REPO, '..', 'shared', 'fixtures', 'large');
const LEAKY = join(REPO, 'tests', 'fixtures', 'go-leaky-server');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const TIMEOUT_MS = 120_000;
const SETTLE_MS = 1500;

function listProfiles() {
  const only = process.env.BENCH_ONLY;
  let large = process.env.BENCH_NO_SHARED ? [] : ['heap_large.pb.gz', 'synthetic_2m.pb.gz'].map((f) => join(LARGE, f)).filter((f) => existsSync(f));
  // Without ../shared, the generated 1 M-sample heap profile stands in for the large ones.
  if (large.length === 0) large = [ensureGeneratedProfile({ kind: 'heap', samples: 1_000_000 })];
  const small = ['heap_t3.pb.gz', 'cpu.pb.gz', 'goroutine_t1.pb.gz'].map((f) => join(LEAKY, f));
  return [...large, ...small].filter((f) => !only || basename(f).includes(only));
}

/** Clicks the "Call graph" layout and resolves with the ms until pprof:graph-drawn (or fails on an alert). */
async function switchToGraph({ timeout }) {
  const radio = [...document.querySelectorAll('[role="radio"]')].find((r) => r.textContent.trim() === 'Call graph');
  const start = performance.now();
  window.__bench.from = start;
  radio.click();
  return new Promise((ok, fail) => {
    const poll = () => {
      const e = performance.getEntriesByName('pprof:graph-drawn').find((m) => m.startTime >= start);
      if (e) {
        const after = (name) => performance.getEntriesByName(name).find((m) => m.startTime >= start) ?? null;
        const svg = after('pprof:graph-svg');
        const built = after('pprof:graph-built');
        const laid = after('pprof:graph-laid-out');
        return ok({
          ms: e.startTime - start,
          svgMs: svg ? svg.duration : null,
          buildMs: built ? built.detail.computeMs : null,
          layoutMs: laid ? laid.duration : null,
          nodes: document.querySelectorAll('.paper g.node').length,
        });
      }
      const alert = document.querySelector('[role="alert"]')?.textContent?.trim();
      if (alert) return fail(new Error(`alert: ${alert}`));
      if (performance.now() > start + timeout) return fail(new Error('no pprof:graph-drawn'));
      setTimeout(poll, 5);
    };
    poll();
  });
}

/**
 * Wheel zooms, then a drag: one event per animation frame; the frame interval (rAF timestamp deltas, median
 * and worst) says whether the page kept 60 fps while the graph moved.
 */
async function panZoomFrames({ steps }) {
  const surface = document.querySelector('[role="application"][aria-label="Call graph"]');
  const r = surface.getBoundingClientRect();
  const at = (i) => ({ clientX: r.left + r.width / 2 + (i % 7) * 5, clientY: r.top + r.height / 2 + (i % 5) * 4, bubbles: true, cancelable: true });
  const events = [];
  for (let i = 0; i < steps; i++) events.push(() => surface.dispatchEvent(new WheelEvent('wheel', { ...at(i), deltaY: i % 2 ? 60 : -80 })));
  events.push(() => surface.dispatchEvent(new PointerEvent('pointerdown', { ...at(0), pointerId: 7, button: 0 })));
  for (let i = 1; i <= steps; i++) events.push(() => surface.dispatchEvent(new PointerEvent('pointermove', { ...at(i), clientY: r.top + r.height / 2 + i * 3, pointerId: 7 })));
  events.push(() => surface.dispatchEvent(new PointerEvent('pointerup', { ...at(steps), pointerId: 7 })));
  const stamps = await new Promise((ok) => {
    const out = [];
    let i = 0;
    const step = (t) => {
      out.push(t);
      if (i === events.length) return ok(out);
      events[i++]();
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  const deltas = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  return { median: deltas[Math.floor(deltas.length / 2)], worst: deltas[deltas.length - 1] };
}

async function runOnce(browser, base, index, name) {
  const page = await openBenchPage(browser, base);
  try {
    await page.evaluate(fetchFile, { url: `${base}__bench/${index}`, name });
    await page.evaluate(dropAndWaitFor, { mark: 'pprof:top-drawn', timeout: TIMEOUT_MS });
    // A person reads the table before switching: by then the app has started Graphviz in its worker.
    await page.waitForTimeout(SETTLE_MS);
    const drawn = await page.evaluate(switchToGraph, { timeout: TIMEOUT_MS });
    const frames = await page.evaluate(panZoomFrames, { steps: 30 });
    const longest = await page.evaluate(longestTaskSinceMark);
    return { ...drawn, frames, longest };
  } finally {
    await page.context().close();
  }
}

export async function runGraphBench() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html is missing: build first.`);
  const files = listProfiles();
  const server = await startBenchServer(DIST, files);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  let ok = true;
  console.log(`\nCall graph (bench/graph.mjs), ${RUNS} runs per profile, medians:`);
  const rows = [['profile', 'switch→graph drawn ms', 'engine graph ms', 'layout ms', 'SVG build ms', 'nodes', 'pan/zoom frame interval ms (median / worst)', 'longest task ms']];
  const goals = [];
  try {
    for (const [index, file] of files.entries()) {
      const name = basename(file);
      const { runs, ok: allRan } = await repeatRuns(RUNS, name, () => runOnce(browser, base, index, name));
      ok &&= allRan;
      const m = {
        drawn: median(runs.map((x) => x.ms)),
        svg: median(runs.map((x) => x.svgMs)),
        build: median(runs.map((x) => x.buildMs)),
        layout: median(runs.map((x) => x.layoutMs)),
        frame: median(runs.map((x) => x.frames.median)),
        worst: median(runs.map((x) => x.frames.worst)),
        longest: median(runs.map((x) => x.longest)),
      };
      rows.push([name, fmt(m.drawn), fmt(m.build), fmt(m.layout), fmt(m.svg, 1), String(runs[0]?.nodes ?? '–'), `${fmt(m.frame, 1)} / ${fmt(m.worst, 1)}`, fmt(m.longest)]);
      const limit = file.startsWith(LEAKY) ? 400 : 1500;
      goals.push(`  ${name} graph drawn after the switch: ${m.drawn === null ? 'not measured' : `${fmt(m.drawn)} ms`} (goal ≤ ${limit} ms) ${m.drawn !== null && m.drawn <= limit ? 'MET' : 'MISSED'}`);
      goals.push(`  ${name} pan/zoom frame interval (median): ${m.frame === null ? 'not measured' : `${fmt(m.frame, 1)} ms`} (goal ≤ 17 ms, 60 fps) ${m.frame !== null && m.frame <= 17 ? 'MET' : 'MISSED'}`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  printTable(rows);
  console.log('switch→graph drawn: 1.5 s after the table is drawn, click "Call graph" → pprof:graph-drawn (graph build in the engine, layout in the Graphviz worker the app started meanwhile, SVG shown); SVG build = the pprof:graph-svg measure.');
  console.log('pan/zoom frame interval: 30 wheel zooms then a 30-step drag, one event per animation frame; rAF timestamp deltas.');
  for (const g of goals) console.log(g);
  return ok;
}

runWhenMain(import.meta.url, runGraphBench);
