// Refining a report as pprof does: sample filters, granularity, noinlines, relative percentages, nodecount.

import { buildNodeMap, DEFAULT_NODE_MAP_OPTIONS, type Granularity, type NodeMap } from '../graph/nodes';
import { filterProfile, isEmptyFilters, PPROF_FILTER_NAMES, type SampleFilters, type SampleStacks } from '../profile/filter';
import { computeFunctionNames } from '../profile/function-names';
import type { Profile } from '../profile/model';
import { computePrunedView } from '../profile/prune';
import { computeTotal } from './total';

/**
 * Every refine option of pprof, flat, with pprof's names camel-cased. Patterns are '' when off;
 * `nodeCount` 0 shows every node. `relativePercentages` divides by the total after filtering.
 */
export interface RefineOptions extends SampleFilters {
  granularity: Granularity;
  noInlines: boolean;
  relativePercentages: boolean;
  nodeCount: number;
}

export const DEFAULT_REFINE_OPTIONS: Readonly<RefineOptions> = {
  focus: '',
  ignore: '',
  hide: '',
  show: '',
  showFrom: '',
  pruneFrom: '',
  tagFocus: '',
  tagIgnore: '',
  tagShow: '',
  tagHide: '',
  granularity: 'functions',
  noInlines: false,
  relativePercentages: false,
  nodeCount: 0,
};

/** Fills the missing fields of partial options with pprof's defaults. */
export function completeRefineOptions(partial: Partial<RefineOptions>): RefineOptions {
  const out = { ...DEFAULT_REFINE_OPTIONS };
  for (const key of Object.keys(DEFAULT_REFINE_OPTIONS) as (keyof RefineOptions)[]) {
    const v = partial[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

/** The filters pprof lists under "Active filters:", in its order (prune_from is not listed). */
export function listActiveFilters(options: Partial<SampleFilters>): string[] {
  const order: (keyof SampleFilters)[] = ['focus', 'ignore', 'hide', 'show', 'showFrom', 'tagFocus', 'tagIgnore', 'tagShow', 'tagHide'];
  return order.filter((k) => (options[k] ?? '') !== '').map((k) => `${PPROF_FILTER_NAMES[k]}=${options[k]}`);
}

/** True when the options need a filtering pass over the samples (any filter, or relative percentages). */
export function needsFiltering(options: Partial<RefineOptions>): boolean {
  return !isEmptyFilters(options) || options.relativePercentages === true;
}

/** A profile as a report sees it after refining: the samples kept, its nodes, and filters that matched nothing. */
export interface RefinedProfile {
  profile: Profile;
  nodes: NodeMap;
  unmatched: string[];
  /** The kept samples' stacks when they are ranges of the original ones (see FilteredProfile). */
  stacks: SampleStacks | null;
}

/**
 * Filters (when any filter or relative percentages is set) and builds the nodes at the options' granularity.
 * Without filters the profile is used as is: no pass over the samples. Throws FilterError for a bad pattern.
 */
export function buildRefinedProfile(profile: Profile, options: Partial<RefineOptions>): RefinedProfile {
  const nodeOptions = { ...DEFAULT_NODE_MAP_OPTIONS, granularity: options.granularity ?? 'functions', noInlines: options.noInlines ?? false };
  if (!needsFiltering(options)) return { profile, nodes: buildNodeMap(profile, nodeOptions), unmatched: [], stacks: null };
  const names = computeFunctionNames(profile);
  const { profile: filtered, unmatched, stacks } = filterProfile(profile, names, computePrunedView(profile, names), options);
  return { profile: filtered, nodes: buildNodeMap(filtered, { ...nodeOptions, stacks }), unmatched, stacks };
}

/**
 * The percentage denominator of a refined report: pprof computes it before filtering (`original`), or after
 * with -relative_percentages (`refined`, whose samples without frames are already gone).
 */
export function computeRefinedTotal(original: Profile, refined: Profile, options: Partial<RefineOptions>, sampleIndex: number): number {
  return computeTotal(options.relativePercentages ? refined : original, sampleIndex);
}
