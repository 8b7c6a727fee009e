// Per-profile view options of the top table, and their translation into an engine TopRequest.

import type { TopRequest, TopSort } from '../engine-client/client';
import { DEFAULT_REFINE_OPTIONS, type RefineOptions } from '../report/refine';
import { DEFAULT_EDGE_FRACTION, DEFAULT_NODE_FRACTION } from '../report/top';

/**
 * What the user chose for one open profile. `trim` is pprof's default nodefraction (0.005) when true and 0
 * (every node) when false; edgefraction is always pprof's 0.001. `filter` is the raw search text.
 * The refine options (pprof's focus, ignore, hide, show, showFrom, pruneFrom, tagFocus, tagIgnore, tagShow,
 * tagHide, granularity, noInlines, relativePercentages, nodeCount) are present only when they differ from
 * pprof's defaults (`setRefineOptions` keeps it so), so two equal views have equal objects.
 */
export interface ViewOptions extends Partial<RefineOptions> {
  sampleIndex: number;
  trim: boolean;
  sort: TopSort;
  filter: string;
  /** pprof's -edgefraction when not its 0.001 (only a link sets it; it decides the `(inline)` markers). */
  edgeFraction?: number;
}

/** The options a freshly opened profile starts with. */
export function createViewOptions(defaultSampleIndex: number): ViewOptions {
  return { sampleIndex: defaultSampleIndex, trim: true, sort: 'flat', filter: '' };
}

export const REFINE_KEYS = Object.keys(DEFAULT_REFINE_OPTIONS) as (keyof RefineOptions)[];

/** The refine options that differ from pprof's defaults. */
export function pickRefineOptions(options: Partial<RefineOptions>): Partial<RefineOptions> {
  const out: Partial<RefineOptions> = {};
  for (const key of REFINE_KEYS) {
    const v = options[key];
    if (v !== undefined && v !== DEFAULT_REFINE_OPTIONS[key]) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

/** Options with `change` applied; refine options equal to pprof's defaults are left out. */
export function setRefineOptions(options: ViewOptions, change: Partial<ViewOptions>): ViewOptions {
  const merged = { ...options, ...change };
  const out: ViewOptions = { sampleIndex: merged.sampleIndex, trim: merged.trim, sort: merged.sort, filter: merged.filter };
  if (merged.edgeFraction !== undefined && merged.edgeFraction !== DEFAULT_EDGE_FRACTION) out.edgeFraction = merged.edgeFraction;
  return { ...out, ...pickRefineOptions(merged) };
}

/** The engine request for a set of view options. */
export function buildTopRequest(options: ViewOptions): TopRequest {
  return {
    sampleIndex: options.sampleIndex,
    nodeFraction: options.trim ? DEFAULT_NODE_FRACTION : 0,
    edgeFraction: options.edgeFraction ?? DEFAULT_EDGE_FRACTION,
    sort: options.sort,
    filter: options.filter,
    ...pickRefineOptions(options),
  };
}

const PROFILE_EXTENSIONS = /\.(pb\.gz|pprof\.gz|pb|pprof|prof|gz)$/i;

/** A file name without its known profile extension (`heap_t3.pb.gz` → `heap_t3`); 'profile' when nothing is left. */
function stripProfileExtension(fileName: string): string {
  return fileName.replace(PROFILE_EXTENSIONS, '') || 'profile';
}

/** `heap_t3.pb.gz` + `flame.svg` → `heap_t3.flame.svg`: the name of a view's export. */
export function formatExportFileName(fileName: string, suffix: string): string {
  return `${stripProfileExtension(fileName)}.${suffix}`;
}

/** `heap_t3.pb.gz` + `inuse_space` → `heap_t3-inuse_space.top.tsv`. */
export function formatTsvFileName(fileName: string, sampleType: string): string {
  return `${stripProfileExtension(fileName)}-${sampleType || 'samples'}.top.tsv`;
}
