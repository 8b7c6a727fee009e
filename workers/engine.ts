// The engine the worker exposes: keeps decoded profiles by id and answers report requests.

import { buildNodeSums, createNodeSumsBuilder, type NodeSums } from '../src/graph/build-graph';
import { buildNodeMap, type NodeMap } from '../src/graph/nodes';
import { decodeProfileFile, type DecodeOptions } from '../src/profile/decode';
import { isProfileError } from '../src/profile/errors';
import type { GzipInflater } from '../src/profile/inflate';
import { findDefaultSampleIndex, type Profile } from '../src/profile/model';
import { buildRefinedProfile, completeRefineOptions, computeRefinedTotal, listActiveFilters, type RefinedProfile, type RefineOptions } from '../src/report/refine';
import { buildTopReport, type TopReport } from '../src/report/top';
import { filterTopReport, formatTopTsv, sortTopReportByName } from '../src/report/top-view';
import type {
  GoroutineBucketStack,
  GoroutineGrouping,
  GoroutineGrowth,
  GoroutinesReport,
  GoroutinesRequest,
  OpenProgress,
  OpenResult,
  ProfileSummary,
  TopRequest,
  TopView,
} from './protocol';
import { GoroutineReports } from './goroutine-reports';
import { FlameReports } from './flame-reports';
import { GraphReports } from './graph-reports';
import { buildPeekReport } from '../src/report/peek';
import type { FlameMatches, FlameRequest, FlameView, GraphRequest, GraphView, PeekRequest, PeekResult } from './protocol';
import { buildTagsReport, formatTagKeys, formatTagsText } from '../src/report/tags';
import type { TagsRequest, TagsView } from './protocol';
import { remember } from './remember';
import type { SplitPasses } from './split-passes';

interface OpenProfile {
  profile: Profile;
  nodes: NodeMap;
  /** Untrimmed flat/cum per sample type (pass 1 of every report), built on demand or while idle. */
  sums: (NodeSums | undefined)[];
  /** Sums being built in two parts (sumInParts), by sample type. */
  summing: Map<number, Promise<NodeSums>>;
  warming: boolean;
  /** The sample type the idle warm-up is summing, part done. */
  warmingSums?: { sampleIndex: number; builder: ReturnType<typeof createNodeSumsBuilder> } | null;
  reports: Map<string, TopReport>;
  /** Refined profiles (filters, granularity) by their options, most recent last; a few are kept. */
  refined: Map<string, RefinedEntry>;
  goroutines: GoroutineReports | null;
  graphs: GraphReports | null;
}

interface RefinedEntry extends RefinedProfile {
  sums: (NodeSums | undefined)[];
}

/** How many refined profiles and reports an open profile keeps (older ones are rebuilt when asked again). */
const REFINED_CACHE = 4;
const REPORT_CACHE = 32;

/**
 * The idle warm-up runs a step only after this long without a request: one the page sent along with the
 * reply that started it (the flame graph's frames beside the table) goes first. Its steps are short, so a
 * later request (a search typed once a zoom is drawn) waits a few milliseconds at most.
 */
const WARM_UP_IDLE_MS = 10;
/** Samples summed per idle turn (~5 ms on 2M-sample profiles). */
const WARM_UP_SAMPLES = 50_000;

/** Progress reports reach the page at most this often (each is a message from this busy worker). */
const PROGRESS_INTERVAL_MS = 50;

/**
 * `tell`, at most every PROGRESS_INTERVAL_MS, but always a new step and the end of one: each report costs
 * this worker ~0.4 ms (a message to the page), and a gzip file streamed in 64 KB pieces made hundreds.
 */
export function throttleProgress(tell: (p: OpenProgress) => void, now: () => number): (fraction: number, step: OpenProgress['step']) => void {
  let last = -Infinity;
  let lastStep = '';
  return (fraction, step) => {
    const t = now();
    if (fraction < 1 && step === lastStep && t - last < PROGRESS_INTERVAL_MS) return;
    last = t;
    lastStep = step;
    tell({ fraction, step });
  };
}

/** The refine options that change the profile or its nodes, as a cache key; '' for pprof's defaults. */
function refineKey(r: Partial<RefineOptions>): string {
  const { nodeCount: _nodeCount, ...rest } = completeRefineOptions(r);
  const defaults = completeRefineOptions({});
  const changed = (Object.keys(rest) as (keyof typeof rest)[]).filter((k) => rest[k] !== defaults[k]);
  return changed.length === 0 ? '' : JSON.stringify(changed.map((k) => [k, rest[k]]));
}

export interface EngineOptions {
  maxInflatedBytes?: number;
  now?: () => number;
  /** Sum the other sample types in idle turns after a reply, so switching is instant (default true). */
  warm?: boolean;
  /** Inflates gzip input; default in the engine's own thread. */
  inflate?: GzipInflater;
  /**
   * Splits the passes of a large profile with the pass worker (prepareTop: the first top's sums and markers;
   * prepareFlame: the sums and the flame frames); default: no split.
   */
  passes?: SplitPasses;
}

/** Creates an engine. Methods return plain data; the worker entry adds transfer lists. */
export function createEngine(options: EngineOptions = {}) {
  const profiles = new Map<string, OpenProfile>();
  const now = options.now ?? (() => performance.now());
  let nextId = 1;
  /** Top reports built in two parts with the pass worker. */
  const builtInParts = new WeakSet<TopReport>();
  /** When the last report request was answered (the warm-up waits for WARM_UP_IDLE_MS of quiet). */
  let lastReply = -Infinity;
  const replied = <T>(value: T): T => {
    lastReply = now();
    return value;
  };

  function get(id: string): OpenProfile {
    const p = profiles.get(id);
    if (!p) throw new Error(`No open profile ${id}`);
    return p;
  }

  function sumsFor(p: OpenProfile, sampleIndex: number): NodeSums {
    let sums = p.sums[sampleIndex];
    if (!sums) {
      // The idle warm-up may have summed part of it already.
      const partial = p.warmingSums?.sampleIndex === sampleIndex ? p.warmingSums.builder : null;
      if (partial) p.warmingSums = null;
      sums = p.sums[sampleIndex] = partial ? partial.finish() : buildNodeSums(p.profile, p.nodes, sampleIndex);
    }
    return sums;
  }

  // The other sample types are summed in idle turns of WARM_UP_SAMPLES samples each (a few ms), so a
  // request that comes meanwhile waits for one short step at most; a reply just sent gets WARM_UP_IDLE_MS first.
  function warmUp(p: OpenProfile): void {
    if (p.warming || options.warm === false) return;
    p.warming = true;
    const step = () => {
      if (![...profiles.values()].includes(p)) return;
      const quiet = now() - lastReply;
      if (quiet < WARM_UP_IDLE_MS) {
        setTimeout(step, WARM_UP_IDLE_MS - quiet);
        return;
      }
      if (!p.warmingSums) {
        const t = p.profile.sampleTypes.findIndex((_, i) => !p.sums[i]);
        if (t < 0) return;
        p.warmingSums = { sampleIndex: t, builder: createNodeSumsBuilder(p.profile, p.nodes, t) };
      }
      const w = p.warmingSums;
      if (w.builder.step(WARM_UP_SAMPLES)) {
        p.warmingSums = null;
        p.sums[w.sampleIndex] ??= w.builder.finish();
      }
      setTimeout(step, 0);
    };
    setTimeout(step, WARM_UP_IDLE_MS);
  }

  // Flame graph data per open profile, and per refined profile (filters), built on first use.
  const flames = new WeakMap<OpenProfile | RefinedEntry, FlameReports>();
  function flameReports(id: string, refine: Partial<RefineOptions> = {}): FlameReports {
    const p = get(id);
    const key = refineKey(refine);
    const owner = key === '' ? p : refinedFor(p, key, refine);
    let f = flames.get(owner);
    if (!f) {
      const functionSums =
        owner === p
          ? (si: number) => ({ nodes: p.nodes, sums: sumsFor(p, si) })
          : (si: number) => {
              const r = owner as RefinedEntry;
              return { nodes: r.nodes, sums: (r.sums[si] ??= buildNodeSums(r.profile, r.nodes, si)) };
            };
      flames.set(owner, (f = new FlameReports(owner.profile, owner.nodes, functionSums)));
    }
    return f;
  }

  function goroutineReports(id: string): GoroutineReports {
    const g = get(id).goroutines;
    if (!g) throw new Error(`Profile ${id} holds no goroutines`);
    return g;
  }

  // Call graphs per open profile, built on first use.
  function graphReports(p: OpenProfile): GraphReports {
    return (p.graphs ??= new GraphReports({
      profile: p.profile,
      nodes: () => p.nodes,
      sums: (si) => sumsFor(p, si),
      refined: (key, refine) => refinedFor(p, key, refine),
    }));
  }

  function refinedFor(p: OpenProfile, key: string, r: Partial<RefineOptions>): RefinedEntry {
    const hit = p.refined.get(key);
    if (hit) return remember(p.refined, key, hit, REFINED_CACHE);
    return remember(p.refined, key, { ...buildRefinedProfile(p.profile, r), sums: [] }, REFINED_CACHE);
  }

  /** A top request's cache key, the sort its report is built in, and its refine key. */
  function reportKey(r: TopRequest) {
    const base: 'flat' | 'cum' = r.sort === 'cum' ? 'cum' : 'flat';
    const refine = refineKey(r);
    const nodeCount = r.nodeCount ?? 0;
    return { key: `${r.sampleIndex}|${r.nodeFraction}|${r.edgeFraction}|${base}|${nodeCount}|${refine}`, base, refine, nodeCount };
  }

  /** The pass worker, when a request on `p` is worth splitting with it: a large profile, pprof's defaults. */
  function passesFor(p: OpenProfile, request: Partial<RefineOptions>): SplitPasses | null {
    const passes = options.passes;
    return passes && refineKey(request) === '' && passes.worthSplitting(p.profile) ? passes : null;
  }

  /**
   * The untrimmed sums of a large profile's sample type, summed in two parts with the pass worker (once:
   * a flame graph and a table asking together wait for the same sums).
   */
  async function sumInParts(id: string, p: OpenProfile, passes: SplitPasses, sampleIndex: number): Promise<NodeSums> {
    const done = p.sums[sampleIndex];
    if (done) return done;
    let pending = p.summing.get(sampleIndex);
    if (!pending) {
      pending = passes.buildNodeSums(id, p.profile, p.nodes, sampleIndex);
      p.summing.set(sampleIndex, pending);
    }
    try {
      return (p.sums[sampleIndex] ??= await pending);
    } finally {
      p.summing.delete(sampleIndex);
    }
  }

  async function prepareTop(id: string, request: TopRequest): Promise<number> {
    const start = now();
    const p = get(id);
    const passes = passesFor(p, request);
    const { key, base, nodeCount } = reportKey(request);
    if (!passes || p.reports.has(key)) return 0;
    const sums = await sumInParts(id, p, passes, request.sampleIndex);
    const report = await passes.buildTopReport(id, p.profile, p.nodes, { ...request, sort: base, nodeCount }, sums);
    remember(p.reports, key, report, REPORT_CACHE);
    builtInParts.add(report);
    return now() - start;
  }

  function report(p: OpenProfile, r: TopRequest): { report: TopReport; notices: string[] } {
    const { key, base, refine, nodeCount } = reportKey(r);
    let rep = p.reports.get(key);
    if (refine === '') {
      // pprof's defaults: the open profile's own nodes and cached sums, no pass over the samples.
      rep ??= buildTopReport(p.profile, p.nodes, { ...r, sort: base, nodeCount }, sumsFor(p, r.sampleIndex));
      remember(p.reports, key, rep, REPORT_CACHE);
      return { report: rep, notices: [] };
    }
    const refined = refinedFor(p, refine, r);
    if (!rep) {
      let sums = refined.sums[r.sampleIndex];
      if (!sums) sums = refined.sums[r.sampleIndex] = buildNodeSums(refined.profile, refined.nodes, r.sampleIndex);
      rep = buildTopReport(refined.profile, refined.nodes, {
        sampleIndex: r.sampleIndex,
        nodeFraction: r.nodeFraction,
        edgeFraction: r.edgeFraction,
        sort: base,
        nodeCount,
        total: computeRefinedTotal(p.profile, refined.profile, r, r.sampleIndex),
        activeFilters: listActiveFilters(r),
      }, sums);
    }
    remember(p.reports, key, rep, REPORT_CACHE);
    return { report: rep, notices: refined.unmatched.map((name) => `${name} expression matched no samples`) };
  }

  // Requests that may await the pass worker run in the order they came: a flame graph asked before the hidden
  // table is not held up by the table's passes resuming first.
  let turn: Promise<unknown> = Promise.resolve();

  return {
    /** Runs `f` after the earlier requests given to inTurn have finished (the worker entry wraps top and flame). */
    inTurn<T>(f: () => Promise<T> | T): Promise<T> {
      const run = turn.then(f);
      turn = run.catch(() => undefined);
      return run;
    },

    async open(bytes: ArrayBuffer | Blob, fileName: string, onProgress?: (p: OpenProgress) => void): Promise<OpenResult> {
      const start = now();
      const decodeOptions: DecodeOptions = {
        maxInflatedBytes: options.maxInflatedBytes,
        inflate: options.inflate,
        onProgress: onProgress ? throttleProgress(onProgress, now) : undefined,
      };
      let profile: Profile;
      let goroutines: GoroutineReports | null;
      // The inflater may move the bytes to its worker: their size is read first.
      const fileBytes = bytes instanceof Blob ? bytes.size : bytes.byteLength;
      let inflatedBytes = fileBytes;
      try {
        const decoded = await decodeProfileFile(bytes instanceof Blob ? bytes : new Uint8Array(bytes), {
          ...decodeOptions,
          onInflated: (n) => (inflatedBytes = n),
        });
        profile = decoded.profile;
        goroutines = GoroutineReports.create(decoded);
      } catch (e) {
        if (isProfileError(e)) return { ok: false, error: { code: e.code, message: e.message } };
        return { ok: false, error: { code: 'internal', message: `Could not read the file: ${String(e)}` } };
      }
      onProgress?.({ fraction: 1, step: 'report' });
      const id = `p${nextId++}`;
      profiles.set(id, { profile, nodes: buildNodeMap(profile), sums: [], summing: new Map(), warming: false, reports: new Map(), refined: new Map(), goroutines, graphs: null });
      const summary: ProfileSummary = {
        id,
        fileName,
        fileBytes,
        inflatedBytes,
        sampleTypes: profile.sampleTypes,
        defaultSampleIndex: findDefaultSampleIndex(profile),
        periodType: profile.periodType,
        period: profile.period,
        timeNanos: profile.timeNanos,
        durationNanos: profile.durationNanos,
        comments: profile.comments,
        dropFrames: profile.dropFrames,
        keepFrames: profile.keepFrames,
        sampleCount: profile.samples.length,
        locationCount: profile.locations.length,
        functionCount: profile.functions.length,
        mappingCount: profile.mappings.length,
        warnings: profile.warnings,
        decodeMs: now() - start,
      };
      if (goroutines) summary.goroutineSource = goroutines.source;
      return { ok: true, summary };
    },

    /**
     * Builds ahead what `top` will answer when its passes are worth splitting with the pass worker (a large
     * profile, pprof's default refine options, not built yet); otherwise does nothing. Returns the
     * milliseconds it took (part of the view's computeMs).
     */
    prepareTop,

    top(id: string, request: TopRequest): TopView {
      const start = now();
      const p = get(id);
      const { report: rep, notices } = report(p, request);
      const sorted = request.sort === 'name' ? sortTopReportByName(rep) : rep;
      const view = filterTopReport(sorted, request.filter);
      warmUp(p);
      const threads = builtInParts.has(rep) ? 2 : 1;
      return replied({ ...view, totalRows: sorted.name.length, computeMs: now() - start, threads, ...(notices.length > 0 ? { notices } : {}) });
    },

    topTsv(id: string, request: TopRequest): string {
      return formatTopTsv(this.top(id, request));
    },

    goroutines(id: string, request: GoroutinesRequest): GoroutinesReport {
      return goroutineReports(id).report(request);
    },

    goroutineStack(id: string, grouping: GoroutineGrouping, bucket: number): GoroutineBucketStack {
      return goroutineReports(id).stack(grouping, bucket);
    },

    goroutineGrowth(beforeId: string, afterId: string): GoroutineGrowth {
      return goroutineReports(afterId).growthSince(goroutineReports(beforeId));
    },

    /**
     * For a large profile, computes ahead in two parts with the pass worker what a flame graph needs: the top
     * table's sums (its nodes' flat and cum) when the table has not summed them yet, and the frames; otherwise
     * does nothing. Returns the time it took (ms).
     */
    async prepareFlame(id: string, request: FlameRequest): Promise<number> {
      const start = now();
      const p = get(id);
      const passes = passesFor(p, request);
      if (!passes) return 0;
      await sumInParts(id, p, passes, request.sampleIndex);
      // The frames too, walked in two parts, when the flame graph's nodes are the ones the worker holds.
      const flame = flameReports(id, request);
      if (flame.nodes === p.nodes) await flame.prepare(request, now, (r) => passes.computeFlameFrames(id, p.profile, p.nodes, r));
      return now() - start;
    },

    flame(id: string, request: FlameRequest): FlameView {
      return replied(flameReports(id, request).frames(request, now));
    },

    flameMatches(id: string, sampleIndex: number, pattern: string, refine: Partial<RefineOptions> = {}): FlameMatches {
      return replied(flameReports(id, refine).matches(sampleIndex, pattern));
    },

    peek(id: string, request: PeekRequest): PeekResult {
      const p = get(id);
      let pattern: RegExp;
      try {
        pattern = new RegExp(request.pattern);
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      const key = refineKey(request);
      if (key === '') return { ok: true, report: buildPeekReport(p.profile, p.nodes, { sampleIndex: request.sampleIndex, pattern }, sumsFor(p, request.sampleIndex)) };
      const r = refinedFor(p, key, request);
      return { ok: true, report: buildPeekReport(r.profile, r.nodes, { sampleIndex: request.sampleIndex, pattern }) };
    },

    tags(id: string, request: TagsRequest): TagsView {
      const start = now();
      const p = get(id);
      const key = refineKey(request);
      const source = key === '' ? { profile: p.profile, stacks: null, unmatched: [] } : refinedFor(p, key, request);
      const report = buildTagsReport(source.profile, request.sampleIndex, source.stacks);
      const notices = source.unmatched.map((name) => `${name} expression matched no samples`);
      return {
        sampleType: p.profile.sampleTypes[request.sampleIndex]?.type ?? '',
        sampleUnit: report.sampleUnit,
        keys: formatTagKeys(report),
        text: formatTagsText(report),
        computeMs: now() - start,
        ...(notices.length > 0 ? { notices } : {}),
      };
    },

    graph(id: string, request: GraphRequest): GraphView {
      const p = get(id);
      return graphReports(p).graph(request, refineKey(request), () => get(request.diffBaseId!).profile, now);
    },

    close(id: string): void {
      profiles.delete(id);
      options.passes?.forget(id);
      for (const p of profiles.values()) p.graphs?.forgetBase(id);
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
