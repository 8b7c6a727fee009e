// The engine the worker exposes: keeps decoded profiles by id and answers report requests.

import { buildNodeSums, type NodeSums } from '../src/graph/build-graph';
import { buildNodeMap, type NodeMap } from '../src/graph/nodes';
import { decodeProfileFile, type DecodeOptions } from '../src/profile/decode';
import { isProfileError } from '../src/profile/errors';
import type { GzipInflater } from '../src/profile/inflate';
import { findDefaultSampleIndex, type Profile } from '../src/profile/model';
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

interface OpenProfile {
  profile: Profile;
  nodes: NodeMap;
  /** Untrimmed flat/cum per sample type (pass 1 of every report), built on demand or while idle. */
  sums: (NodeSums | undefined)[];
  warming: boolean;
  reports: Map<string, TopReport>;
  goroutines: GoroutineReports | null;
}

export interface EngineOptions {
  maxInflatedBytes?: number;
  now?: () => number;
  /** Sum the other sample types in idle turns after a reply, so switching is instant (default true). */
  warm?: boolean;
  /** Inflates gzip input; default in the engine's own thread. */
  inflate?: GzipInflater;
}

/** Creates an engine. Methods return plain data; the worker entry adds transfer lists. */
export function createEngine(options: EngineOptions = {}) {
  const profiles = new Map<string, OpenProfile>();
  const now = options.now ?? (() => performance.now());
  let nextId = 1;

  function get(id: string): OpenProfile {
    const p = profiles.get(id);
    if (!p) throw new Error(`No open profile ${id}`);
    return p;
  }

  function sumsFor(p: OpenProfile, sampleIndex: number): NodeSums {
    let sums = p.sums[sampleIndex];
    if (!sums) sums = p.sums[sampleIndex] = buildNodeSums(p.profile, p.nodes, sampleIndex);
    return sums;
  }

  // One sample type per idle turn, so a request that comes meanwhile waits for one pass at most.
  function warmUp(p: OpenProfile): void {
    if (p.warming || options.warm === false) return;
    p.warming = true;
    const step = () => {
      const t = p.profile.sampleTypes.findIndex((_, i) => !p.sums[i]);
      if (t < 0 || ![...profiles.values()].includes(p)) return;
      sumsFor(p, t);
      setTimeout(step, 0);
    };
    setTimeout(step, 0);
  }

  function goroutineReports(id: string): GoroutineReports {
    const g = get(id).goroutines;
    if (!g) throw new Error(`Profile ${id} holds no goroutines`);
    return g;
  }

  function report(p: OpenProfile, r: TopRequest): TopReport {
    const base = r.sort === 'cum' ? 'cum' : 'flat';
    const key = `${r.sampleIndex}|${r.nodeFraction}|${r.edgeFraction}|${base}`;
    let rep = p.reports.get(key);
    if (!rep) {
      rep = buildTopReport(p.profile, p.nodes, { ...r, sort: base }, sumsFor(p, r.sampleIndex));
      p.reports.set(key, rep);
    }
    return rep;
  }

  return {
    async open(bytes: ArrayBuffer, fileName: string, onProgress?: (p: OpenProgress) => void): Promise<OpenResult> {
      const start = now();
      const decodeOptions: DecodeOptions = {
        maxInflatedBytes: options.maxInflatedBytes,
        inflate: options.inflate,
        onProgress: onProgress ? (fraction, step) => onProgress({ fraction, step }) : undefined,
      };
      let profile: Profile;
      let goroutines: GoroutineReports | null;
      let inflatedBytes = bytes.byteLength;
      try {
        const decoded = await decodeProfileFile(new Uint8Array(bytes), {
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
      profiles.set(id, { profile, nodes: buildNodeMap(profile), sums: [], warming: false, reports: new Map(), goroutines });
      const summary: ProfileSummary = {
        id,
        fileName,
        fileBytes: bytes.byteLength,
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

    top(id: string, request: TopRequest): TopView {
      const start = now();
      const p = get(id);
      const sorted = request.sort === 'name' ? sortTopReportByName(report(p, request)) : report(p, request);
      const view = filterTopReport(sorted, request.filter);
      warmUp(p);
      return { ...view, totalRows: sorted.name.length, computeMs: now() - start };
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

    close(id: string): void {
      profiles.delete(id);
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
