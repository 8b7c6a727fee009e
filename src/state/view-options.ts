// Per-profile view options of the top table, and their translation into an engine TopRequest.

import type { TopRequest, TopSort } from '../engine-client/client';
import { DEFAULT_EDGE_FRACTION, DEFAULT_NODE_FRACTION } from '../report/top';

/**
 * What the user chose for one open profile. `trim` is pprof's default nodefraction (0.005) when true and 0
 * (every node) when false; edgefraction is always pprof's 0.001. `filter` is the raw search text.
 */
export interface ViewOptions {
  sampleIndex: number;
  trim: boolean;
  sort: TopSort;
  filter: string;
}

/** The options a freshly opened profile starts with. */
export function createViewOptions(defaultSampleIndex: number): ViewOptions {
  return { sampleIndex: defaultSampleIndex, trim: true, sort: 'flat', filter: '' };
}

/** The engine request for a set of view options. */
export function buildTopRequest(options: ViewOptions): TopRequest {
  return {
    sampleIndex: options.sampleIndex,
    nodeFraction: options.trim ? DEFAULT_NODE_FRACTION : 0,
    edgeFraction: DEFAULT_EDGE_FRACTION,
    sort: options.sort,
    filter: options.filter,
  };
}

const PROFILE_EXTENSIONS = /\.(pb\.gz|pprof\.gz|pb|pprof|prof|gz)$/i;

/** `heap_t3.pb.gz` + `inuse_space` → `heap_t3-inuse_space.top.tsv` (known profile extensions dropped). */
export function formatTsvFileName(fileName: string, sampleType: string): string {
  const base = fileName.replace(PROFILE_EXTENSIONS, '') || 'profile';
  return `${base}-${sampleType || 'samples'}.top.tsv`;
}
