// The messages between the UI and the engine worker: summaries, requests and replies (all structured-cloneable).

import type { ProfileErrorCode } from '../src/profile/errors';
import type { ValueType } from '../src/profile/model';
import type { RefineOptions } from '../src/report/refine';
import type { TopReport } from '../src/report/top';
import type { FlameFrames } from '../src/report/flame';
import type { PeekReport } from '../src/report/peek';
import type { FormattedTagKey } from '../src/report/tags';
import type { GoroutineGrouping } from '../src/report/goroutine-buckets';
import type { GoroutineGrowth } from '../src/report/goroutine-growth';
import type { GoroutineBucketStack, GoroutineFilter, GoroutinesReport } from '../src/report/goroutine-view';
import type { GraphEdgeInfo, GraphNodeInfo } from '../src/report/dot';

export type { GoroutineGrouping, GoroutineGrowth, GoroutineBucketStack, GoroutineFilter, GoroutinesReport };
export type { GraphEdgeInfo, GraphNodeInfo };

/** What the UI knows of an open profile: everything but its tables. */
export interface ProfileSummary {
  id: string;
  fileName: string;
  /** Size of the file as given, and after gunzip (equal when it was not compressed). */
  fileBytes: number;
  inflatedBytes: number;
  sampleTypes: ValueType[];
  defaultSampleIndex: number;
  periodType: ValueType | null;
  period: number;
  timeNanos: number;
  durationNanos: number;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  sampleCount: number;
  locationCount: number;
  functionCount: number;
  mappingCount: number;
  warnings: string[];
  /** Milliseconds spent in the worker inflating and decoding. */
  decodeMs: number;
  /** Set when the engine can answer goroutine reports: a `?debug=2` dump, or a goroutine protobuf profile. */
  goroutineSource?: 'dump' | 'profile';
}

/** A goroutine bucket table request: the grouping and the filters. */
export interface GoroutinesRequest extends GoroutineFilter {
  grouping: GoroutineGrouping;
}

export interface OpenError {
  code: ProfileErrorCode | 'internal';
  message: string;
}

export type OpenResult = { ok: true; summary: ProfileSummary } | { ok: false; error: OpenError };

export interface OpenProgress {
  fraction: number;
  step: 'inflate' | 'decode' | 'report';
}

/** Top table sort: pprof's flat or cum order, or by name. */
export type TopSort = 'flat' | 'cum' | 'name';

/**
 * A top table request. The refine options (pprof's focus, ignore, hide, show, showFrom, pruneFrom, tag
 * filters, granularity, noInlines, relativePercentages, nodeCount) are optional: absent means pprof's default.
 */
export interface TopRequest extends Partial<RefineOptions> {
  sampleIndex: number;
  nodeFraction: number;
  edgeFraction: number;
  sort: TopSort;
  /** Case-insensitive substring filter on the name; '' shows every row. */
  filter: string;
}

/**
 * A top table as shown: the report's rows in the requested order, filtered. `sumFlat` is the running sum
 * in the sorted order before filtering, so a row keeps its sum% whatever the filter. `totalRows` counts
 * rows before filtering.
 */
export interface TopView extends TopReport {
  totalRows: number;
  /** Milliseconds the worker spent building this view. */
  computeMs: number;
  /** 2 when the pass worker summed and marked half of the samples (a large profile's first top), else 1. */
  threads: number;
  /** pprof's warnings for filters that matched no sample ("Focus expression matched no samples"). */
  notices?: string[];
}

/**
 * A TopView on the wire: names travel as one string plus offsets, because structured-cloning 100 000
 * separate strings costs the main thread tens of milliseconds while one long string is a single copy.
 */
export interface PackedTopView extends Omit<TopView, 'name'> {
  nameText: string;
  nameStart: Uint32Array;
}

/** Joins names into one string with their start offsets (name i is text[start[i] .. start[i + 1])). */
export function packNames(names: string[]): { nameText: string; nameStart: Uint32Array } {
  const nameStart = new Uint32Array(names.length + 1);
  let at = 0;
  names.forEach((n, i) => {
    nameStart[i] = at;
    at += n.length;
  });
  nameStart[names.length] = at;
  return { nameText: names.join(''), nameStart };
}

/** The inverse of packNames. */
export function unpackNames(nameText: string, nameStart: Uint32Array): string[] {
  const out = new Array<string>(nameStart.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = nameText.substring(nameStart[i]!, nameStart[i + 1]!);
  return out;
}

/**
 * A call graph request: pprof's `-dot` for one sample type. The refine options apply as to the top table;
 * `nodeCount` 0 (or absent) means pprof's graph default, 80. `diffBaseId` (an open profile) makes the graph
 * of `-diff_base`: that profile's samples negated and labelled pprof::base, merged in.
 */
export interface GraphRequest extends Partial<RefineOptions> {
  sampleIndex: number;
  nodeFraction: number;
  edgeFraction: number;
  diffBaseId?: string;
}

/**
 * A call graph: `dot` is exactly what `go tool pprof -dot` prints (Graphviz lays it out as is); `nodes` and
 * `edges` are the same graph as data, by DOT id (tag nodes included, `isTag`). `isDiff` when the graph is a
 * -diff_base comparison or its sample type has negative values; `sampleUnit` the unit values are in.
 */
export interface GraphView {
  dot: string;
  nodes: GraphNodeInfo[];
  edges: GraphEdgeInfo[];
  isDiff: boolean;
  sampleUnit: string;
  /** pprof's warnings for filters that matched no sample. */
  notices?: string[];
  computeMs: number;
}

/** The engine's API as seen by the UI (the client unpacks names). */
export interface EngineApi extends FlameEngineApi {
  /**
   * Opens a profile from its bytes (transferred: the caller's buffer is emptied) or from a Blob (a File), which
   * the engine reads itself, gzip streaming into the inflater as it is read.
   */
  open(bytes: ArrayBuffer | Blob, fileName: string, onProgress?: (p: OpenProgress) => void): Promise<OpenResult>;
  top(id: string, request: TopRequest): Promise<TopView>;
  topTsv(id: string, request: TopRequest): Promise<string>;
  close(id: string): Promise<void>;
  /** Goroutine states and buckets of a profile with `goroutineSource` (rejects for other profiles). */
  goroutines(id: string, request: GoroutinesRequest): Promise<GoroutinesReport>;
  /** The full stack of bucket `bucket` (its index in the unfiltered order, `rows.bucket`). */
  goroutineStack(id: string, grouping: GoroutineGrouping, bucket: number): Promise<GoroutineBucketStack>;
  /** Growth from profile `beforeId` to `afterId`, buckets matched by stack. */
  goroutineGrowth(beforeId: string, afterId: string): Promise<GoroutineGrowth>;
  /** pprof's `-tags` report of one sample type after the refine options (rejects for a bad pattern). */
  tags(id: string, request: TagsRequest): Promise<TagsView>;
  /** The call graph (rejects for a refine filter that does not compile, as `top` does). */
  graph(id: string, request: GraphRequest): Promise<GraphView>;
}

/** What the worker itself exposes over comlink: `top` answers packed. */
export interface EngineWireApi extends Omit<EngineApi, 'top'> {
  top(id: string, request: TopRequest): Promise<PackedTopView>;
}

/**
 * A flame graph request (pprof's flame graph: call tree, no trimming, `filefunctions` nodes). `path` zooms
 * into the call-tree frame reached by those node ids from the root; `pivot` + `direction` give a sandwich
 * half (callees 1, callers -1) of that node. Children under minFraction of the start frame merge into "other".
 * The refine options (focus, ignore, hide, show, showFrom, tag filters …) apply as to the top table; the
 * granularity stays pprof's flame-graph one.
 */
export interface FlameRequest extends Partial<RefineOptions> {
  sampleIndex: number;
  path?: number[];
  pivot?: number;
  direction?: 1 | -1;
  minFraction: number;
  maxDepth?: number;
}

/**
 * Flame frames (columns, see src/report/flame.ts) plus what the tooltips need: the sample unit, pprof's
 * output unit and total, and per node the frames name (`nodeIds` ascending; `nodeName[i]` is node
 * `nodeIds[i]`'s printable name, then its function, file, start line and whole-profile flat/cum).
 */
export interface FlameView extends FlameFrames {
  sampleType: string;
  sampleUnit: string;
  outputUnit: string;
  total: number;
  nodeIds: Int32Array;
  nodeName: string[];
  nodeFunction: string[];
  nodeFile: string[];
  nodeLine: Uint32Array;
  nodeFlat: Float64Array;
  nodeCum: Float64Array;
  computeMs: number;
  /** 2 when the frames were walked in two parts (the engine and the pass worker), else 1. */
  threads: number;
}

/** A flame search: the matching node ids and Σ|w| of the samples with a match (of `total`). */
export type FlameMatches = { ok: true; nodes: Int32Array; value: number; total: number } | { ok: false; error: string };

/** A peek request: pprof's `-peek=pattern` for one sample type (functions granularity, no trimming). */
export interface PeekRequest extends Partial<RefineOptions> {
  sampleIndex: number;
  pattern: string;
}

export type PeekResult = { ok: true; report: PeekReport } | { ok: false; error: string };

/** The flame graph and peek part of the engine's API (same shape on both sides of the worker). */
export interface FlameEngineApi {
  flame(id: string, request: FlameRequest): Promise<FlameView>;
  flameMatches(id: string, sampleIndex: number, pattern: string, refine?: Partial<RefineOptions>): Promise<FlameMatches>;
  peek(id: string, request: PeekRequest): Promise<PeekResult>;
}

/** A `-tags` request: the sample type, and the refine options pprof's -tags applies (absent: its defaults). */
export type TagsRequest = { sampleIndex: number } & Partial<RefineOptions>;

/**
 * pprof's `-tags` report: every label key (by name) with its values (|value| descending, then name), their
 * amounts and percentages of the key's total as pprof prints them, and the whole report as pprof's text.
 * Numeric label values carry the raw range they print for (`numMin`/`numMax`) and their key its `unit`.
 */
export interface TagsView {
  sampleType: string;
  sampleUnit: string;
  keys: FormattedTagKey[];
  text: string[];
  /** pprof's warnings for filters that matched no sample. */
  notices?: string[];
  computeMs: number;
}
