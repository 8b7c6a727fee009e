// The engine the worker exposes: keeps decoded profiles by id and answers report requests.

import { buildNodeSumsByType, type NodeSumsByType } from '../src/graph/build-graph';
import { buildNodeMap, type NodeMap } from '../src/graph/nodes';
import { decodeProfile, type DecodeOptions } from '../src/profile/decode';
import { isProfileError } from '../src/profile/errors';
import { findDefaultSampleIndex, type Profile } from '../src/profile/model';
import { buildTopReport, type TopReport } from '../src/report/top';
import { filterTopReport, formatTopTsv, sortTopReportByName } from '../src/report/top-view';
import type { OpenProgress, OpenResult, ProfileSummary, TopRequest, TopView } from './protocol';

interface OpenProfile {
  profile: Profile;
  nodes: NodeMap;
  /** Flat and cum of every sample type, from one pass; built with the first report. */
  sumsByType: NodeSumsByType | null;
  reports: Map<string, TopReport>;
}

export interface EngineOptions {
  maxInflatedBytes?: number;
  now?: () => number;
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

  function report(p: OpenProfile, r: TopRequest): TopReport {
    const base = r.sort === 'cum' ? 'cum' : 'flat';
    const key = `${r.sampleIndex}|${r.nodeFraction}|${r.edgeFraction}|${base}`;
    let rep = p.reports.get(key);
    if (!rep) {
      p.sumsByType ??= buildNodeSumsByType(p.profile, p.nodes);
      rep = buildTopReport(p.profile, p.nodes, { ...r, sort: base }, p.sumsByType);
      p.reports.set(key, rep);
    }
    return rep;
  }

  return {
    async open(bytes: ArrayBuffer, fileName: string, onProgress?: (p: OpenProgress) => void): Promise<OpenResult> {
      const start = now();
      const decodeOptions: DecodeOptions = {
        maxInflatedBytes: options.maxInflatedBytes,
        onProgress: onProgress ? (fraction, step) => onProgress({ fraction, step }) : undefined,
      };
      let profile: Profile;
      let inflatedBytes = bytes.byteLength;
      try {
        profile = await decodeProfile(new Uint8Array(bytes), {
          ...decodeOptions,
          onInflated: (n) => (inflatedBytes = n),
        });
      } catch (e) {
        if (isProfileError(e)) return { ok: false, error: { code: e.code, message: e.message } };
        return { ok: false, error: { code: 'internal', message: `Could not read the file: ${String(e)}` } };
      }
      onProgress?.({ fraction: 1, step: 'report' });
      const id = `p${nextId++}`;
      profiles.set(id, { profile, nodes: buildNodeMap(profile), sumsByType: null, reports: new Map() });
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
      return { ok: true, summary };
    },

    top(id: string, request: TopRequest): TopView {
      const start = now();
      const p = get(id);
      const sorted = request.sort === 'name' ? sortTopReportByName(report(p, request)) : report(p, request);
      const view = filterTopReport(sorted, request.filter);
      return { ...view, totalRows: sorted.name.length, computeMs: now() - start };
    },

    topTsv(id: string, request: TopRequest): string {
      return formatTopTsv(this.top(id, request));
    },

    close(id: string): void {
      profiles.delete(id);
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
