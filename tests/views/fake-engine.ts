// Test helper: a fake EngineClient over small hand-written tables, building real TopReport-shaped views.

import type {
  EngineClient,
  OpenProgress,
  OpenResult,
  ProfileSummary,
  TagsRequest,
  TagsView,
  TopRequest,
  TopView,
} from '../../src/engine-client/client';
import { formatTagKeys, formatTagsText, type TagsReport } from '../../src/report/tags';
import type { TopReport } from '../../src/report/top';
import { filterTopReport, formatTopTsv, sortTopReportByName } from '../../src/report/top-view';
import { formatPercent, formatScaled, selectOutputUnit } from '../../src/report/units';

/** One function's values in sample units; `inline` is pprof's marker (1 inline, 2 partial-inline). */
export interface FakeRow {
  name: string;
  flat: number;
  cum: number;
  inline?: 0 | 1 | 2;
}

/** A profile the fake can open: its sample types and, per sample type, its rows (any order). */
export interface FakeProfile {
  sampleTypes: { type: string; unit: string }[];
  defaultSampleIndex?: number;
  rows: FakeRow[][];
  warnings?: string[];
  /** The -tags report of the default sample type (the fake ignores filters); none: no labels. */
  tags?: TagsReport;
}

/**
 * Builds a top view the way the engine does: rows in pprof's flat (or cum) order, running sum, pprof's
 * output unit and header lines, then the real name sort and filter from src/report.
 */
export function buildFakeTopView(fileName: string, profile: FakeProfile, request: TopRequest): TopView {
  const type = profile.sampleTypes[request.sampleIndex];
  if (!type) throw new RangeError(`No sample type ${request.sampleIndex}`);
  const rows = [...(profile.rows[request.sampleIndex] ?? [])];
  const key = request.sort === 'cum' ? 'cum' : 'flat';
  const other = key === 'cum' ? 'flat' : 'cum';
  rows.sort((a, b) => Math.abs(b[key]) - Math.abs(a[key]) || Math.abs(b[other]) - Math.abs(a[other]) || (a.name < b.name ? -1 : 1));
  const n = rows.length;
  const report: TopReport = {
    sampleIndex: request.sampleIndex,
    sampleType: type.type,
    sampleUnit: type.unit,
    outputUnit: 'minimum',
    total: 0,
    header: [],
    droppedNodes: 0,
    name: rows.map((r) => r.name),
    inline: Uint8Array.from(rows, (r) => r.inline ?? 0),
    flat: Float64Array.from(rows, (r) => r.flat),
    cum: Float64Array.from(rows, (r) => r.cum),
    sumFlat: new Float64Array(n),
  };
  let running = 0;
  let minValue = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    running += report.flat[i]!;
    report.sumFlat[i] = running;
    total += Math.abs(report.flat[i]!);
    const v = Math.abs(report.flat[i]!) || Math.abs(report.cum[i]!);
    if (v > 0 && (minValue === 0 || v < minValue)) minValue = v;
  }
  report.total = total;
  report.outputUnit = n > 0 ? selectOutputUnit(minValue, total, type.unit) : 'minimum';
  const fmt = (v: number) => formatScaled(v, type.unit, report.outputUnit);
  report.header = [
    `File: ${fileName}`,
    `Type: ${type.type}`,
    `Showing nodes accounting for ${fmt(running)}, ${formatPercent(running, total).trim()} of ${fmt(total)} total`,
  ];
  const sorted = request.sort === 'name' ? sortTopReportByName(report) : report;
  const view = filterTopReport(sorted, request.filter);
  return { ...view, totalRows: sorted.name.length, computeMs: 0, threads: 1 };
}

/** A call the fake received, for assertions. */
export type FakeCall =
  | { method: 'open'; fileName: string }
  | { method: 'top' | 'topTsv'; id: string; request: TopRequest }
  | { method: 'close'; id: string }
  | { method: 'tags'; id: string; request: TagsRequest };

export interface FakeEngine extends EngineClient {
  calls: FakeCall[];
  topRequests(): TopRequest[];
  /** While set, top() replies wait until `releaseNewestFirst()` (to test stale replies). */
  holdTop: boolean;
  /** Lets the held replies go, the newest request's first: older replies then arrive late. */
  releaseNewestFirst(): void;
}

/**
 * A fake engine: `profiles` maps file names to data; `failures` maps file names to the error message the
 * worker would send. Unknown names fail with code 'not-pprof'.
 */
export function createFakeEngine(profiles: Record<string, FakeProfile>, failures: Record<string, string> = {}): FakeEngine {
  const open = new Map<string, { fileName: string; profile: FakeProfile }>();
  const held: (() => void)[] = [];
  let nextId = 1;

  const engine: FakeEngine = {
    calls: [],
    holdTop: false,
    topRequests: () => engine.calls.flatMap((c) => (c.method === 'top' ? [c.request] : [])),
    releaseNewestFirst() {
      for (const resume of held.splice(0).reverse()) resume();
    },
    async open(bytes: ArrayBuffer | Blob, fileName: string, onProgress?: (p: OpenProgress) => void): Promise<OpenResult> {
      engine.calls.push({ method: 'open', fileName });
      onProgress?.({ fraction: 0.5, step: 'decode' });
      const failure = failures[fileName];
      const profile = profiles[fileName];
      if (failure !== undefined || !profile) {
        return { ok: false, error: { code: 'internal', message: failure ?? `Not a pprof profile: ${fileName}` } };
      }
      const id = `p${nextId++}`;
      open.set(id, { fileName, profile });
      const summary: ProfileSummary = {
        id,
        fileName,
        fileBytes: bytes instanceof Blob ? bytes.size : bytes.byteLength,
        inflatedBytes: bytes instanceof Blob ? bytes.size : bytes.byteLength,
        sampleTypes: profile.sampleTypes,
        defaultSampleIndex: profile.defaultSampleIndex ?? 0,
        periodType: null,
        period: 0,
        timeNanos: 0,
        durationNanos: 0,
        comments: [],
        dropFrames: '',
        keepFrames: '',
        sampleCount: 0,
        locationCount: 0,
        functionCount: 0,
        mappingCount: 0,
        warnings: profile.warnings ?? [],
        decodeMs: 0,
      };
      return { ok: true, summary };
    },
    async top(id: string, request: TopRequest): Promise<TopView> {
      engine.calls.push({ method: 'top', id, request });
      const p = open.get(id);
      if (!p) throw new Error(`No open profile ${id}`);
      if (engine.holdTop) await new Promise<void>((resume) => held.push(resume));
      return buildFakeTopView(p.fileName, p.profile, request);
    },
    async topTsv(id: string, request: TopRequest): Promise<string> {
      engine.calls.push({ method: 'topTsv', id, request });
      const p = open.get(id);
      if (!p) throw new Error(`No open profile ${id}`);
      return formatTopTsv(buildFakeTopView(p.fileName, p.profile, request));
    },
    async close(id: string): Promise<void> {
      engine.calls.push({ method: 'close', id });
      open.delete(id);
    },
    // The fake's profiles hold no goroutines (goroutine views are tested over the real engine).
    goroutines: async (id) => Promise.reject(new Error(`Profile ${id} holds no goroutines`)),
    goroutineStack: async (id) => Promise.reject(new Error(`Profile ${id} holds no goroutines`)),
    goroutineGrowth: async (_before, after) => Promise.reject(new Error(`Profile ${after} holds no goroutines`)),
    async tags(id: string, request: TagsRequest): Promise<TagsView> {
      engine.calls.push({ method: 'tags', id, request });
      const p = open.get(id);
      if (!p) throw new Error(`No open profile ${id}`);
      const report = p.profile.tags ?? { sampleUnit: p.profile.sampleTypes[request.sampleIndex]?.unit ?? '', keys: [] };
      return {
        sampleType: p.profile.sampleTypes[request.sampleIndex]?.type ?? '',
        sampleUnit: report.sampleUnit,
        keys: formatTagKeys(report),
        text: formatTagsText(report),
        computeMs: 0,
      };
    },
    // Flame graphs and peeks are tested against the real engine (tests/views/flame-graph.test.ts).
    flame: () => Promise.reject(new Error('The fake engine draws no flame graph')),
    flameMatches: () => Promise.reject(new Error('The fake engine draws no flame graph')),
    peek: () => Promise.reject(new Error('The fake engine has no peek')),
    graph: () => Promise.reject(new Error('The fake engine has no call graph')),
    dispose: () => {},
  };
  return engine;
}

/** A heap-like profile with two sample types and a few rows, one of them inlined. */
export const HEAP: FakeProfile = {
  sampleTypes: [
    { type: 'alloc_space', unit: 'bytes' },
    { type: 'inuse_space', unit: 'bytes' },
  ],
  defaultSampleIndex: 1,
  rows: [
    [
      { name: 'main.alloc', flat: 4_000_000, cum: 4_000_000 },
      { name: 'main.main', flat: 0, cum: 4_000_000 },
    ],
    [
      { name: 'encoding/json.Marshal', flat: 3_145_728, cum: 3_145_728 },
      { name: 'bytes.growSlice', flat: 1_048_576, cum: 1_048_576, inline: 1 },
      { name: 'main.handler', flat: 524_288, cum: 4_718_592 },
      { name: 'main.main', flat: 0, cum: 4_718_592 },
    ],
  ],
};

/** A profile whose only sample type has no samples. */
export const EMPTY: FakeProfile = { sampleTypes: [{ type: 'contentions', unit: 'count' }], rows: [[]] };

/** `count` synthetic rows with distinct names and decreasing flat values. */
export function makeManyRows(count: number): FakeRow[] {
  return Array.from({ length: count }, (_, i) => ({ name: `pkg.fn${i}`, flat: count - i, cum: count - i }));
}

/** A File with a few bytes (the fake engine only looks at the name). */
export function makeFile(name: string): File {
  return new File([new Uint8Array([0x1f, 0x8b, 0, 0])], name, { type: 'application/octet-stream' });
}
