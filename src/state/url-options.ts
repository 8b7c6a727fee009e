// View options ⇄ URL query, with pprof's web UI parameter names, versioned (`v=1`).

import { GRANULARITIES, type Granularity } from '../graph/nodes';
import { checkSampleFilters, type SampleFilters } from '../profile/filter';
import type { ValueType } from '../profile/model';
import type { TopSort } from '../engine-client/client';
import { pickRefineOptions, type ViewOptions } from './view-options';

/** The URL format written by this code. */
export const URL_VERSION = 1;

/** pprof's web UI names for the string options (prune_from has none there; its flag name is used). */
const STRING_PARAMS: [string, keyof SampleFilters][] = [
  ['f', 'focus'],
  ['i', 'ignore'],
  ['h', 'hide'],
  ['s', 'show'],
  ['sf', 'showFrom'],
  ['prune_from', 'pruneFrom'],
  ['tf', 'tagFocus'],
  ['ti', 'tagIgnore'],
  ['ts', 'tagShow'],
  ['th', 'tagHide'],
];

/** Every parameter this version reads. `snapshot` names the library snapshot the view belongs to. */
// `layout` belongs to the flame graph's state (flame-url.ts), `gn` to the call graph's (graph-url.ts).
const KNOWN = new Set(['v', 'snapshot', 'layout', 'gn', 'si', 'g', 'n', 'nf', 'ef', 'sort', 'noinlines', 'relative_percentages', 'search', ...STRING_PARAMS.map(([p]) => p)]);

/** The view of one profile as a URL query (no leading '?'); defaults are left out. */
export function formatViewQuery(options: ViewOptions, sampleTypes: ValueType[], snapshotId: string | null): string {
  const q = new URLSearchParams();
  q.set('v', String(URL_VERSION));
  if (snapshotId) q.set('snapshot', snapshotId);
  const type = sampleTypes[options.sampleIndex];
  if (type) q.set('si', type.type !== '' ? type.type : String(options.sampleIndex));
  const refine = pickRefineOptions(options);
  for (const [param, key] of STRING_PARAMS) {
    const v = refine[key];
    if (v) q.set(param, v);
  }
  if (refine.granularity) q.set('g', refine.granularity);
  if (refine.nodeCount) q.set('n', String(refine.nodeCount));
  if (!options.trim) q.set('nf', '0');
  if (options.edgeFraction !== undefined) q.set('ef', String(options.edgeFraction));
  if (options.sort !== 'flat') q.set('sort', options.sort);
  if (refine.noInlines) q.set('noinlines', 'true');
  if (refine.relativePercentages) q.set('relative_percentages', 'true');
  if (options.filter !== '') q.set('search', options.filter);
  return q.toString();
}

/**
 * The parameters whose change is a step a person may want to go back from (pprof's refine options and the
 * sample type): such a change gets its own history entry. The search text, sort, trim, edgefraction and the
 * layout only replace the current entry.
 */
const NAVIGATION_PARAMS = ['si', 'g', 'n', 'noinlines', 'relative_percentages', ...STRING_PARAMS.map(([p]) => p)];

/**
 * True when going from query `before` to `after` is a refine step of the same view (same `v` and
 * `snapshot`, a navigation parameter changed): it is pushed as a history entry rather than replaced.
 */
export function isNavigationStep(before: string, after: string): boolean {
  const a = new URLSearchParams(before);
  const b = new URLSearchParams(after);
  if (a.get('v') === null || a.get('v') !== b.get('v') || a.get('snapshot') !== b.get('snapshot')) return false;
  return NAVIGATION_PARAMS.some((p) => a.get(p) !== b.get(p));
}

/** A URL query read back: the snapshot it names, the options it sets, and notices for what was ignored. */
export interface ParsedViewQuery {
  /** False when the query holds no view at all (no `v`). */
  present: boolean;
  snapshotId: string | null;
  /** Resolves the options against the profile they are applied to (the sample type is named). */
  resolve: (sampleTypes: ValueType[]) => { options: Partial<ViewOptions>; notices: string[] };
  notices: string[];
}

const SORTS: TopSort[] = ['flat', 'cum', 'name'];
const TRUE = new Set(['', '1', 'true', 't']);
const FALSE = new Set(['0', 'false', 'f']);

/** Reads a URL query. Unknown or malformed parameters are ignored, each with a notice; nothing throws. */
export function parseViewQuery(search: string): ParsedViewQuery {
  const q = new URLSearchParams(search);
  const notices: string[] = [];
  const version = q.get('v');
  if (version === null) {
    return { present: false, snapshotId: null, resolve: () => ({ options: {}, notices: [] }), notices };
  }
  if (version !== String(URL_VERSION)) {
    notices.push(`The link's view is in format v=${version}, which this version cannot read; it was ignored.`);
    return { present: false, snapshotId: null, resolve: () => ({ options: {}, notices: [] }), notices };
  }
  const options: Partial<ViewOptions> = {};
  const bad = (param: string, value: string, why: string) => notices.push(`Ignored the link's ${param}=${value}: ${why}.`);
  for (const key of new Set(q.keys())) {
    if (!KNOWN.has(key)) notices.push(`Ignored the unknown link parameter “${key}”.`);
  }
  const filters: Partial<SampleFilters> = {};
  for (const [param, key] of STRING_PARAMS) {
    const v = q.get(param);
    if (v !== null && v !== '') filters[key] = v;
  }
  const errors = checkSampleFilters(filters);
  for (const [param, key] of STRING_PARAMS) {
    const v = filters[key];
    if (v === undefined) continue;
    if (errors[key]) bad(param, v, errors[key]!);
    else options[key] = v;
  }
  const g = q.get('g');
  if (g !== null) {
    if ((GRANULARITIES as string[]).includes(g)) options.granularity = g as Granularity;
    else bad('g', g, `granularity is one of ${GRANULARITIES.join(', ')}`);
  }
  const n = q.get('n');
  if (n !== null) {
    if (/^\d+$/.test(n)) options.nodeCount = Number(n);
    else bad('n', n, 'nodecount is a whole number');
  }
  const nf = q.get('nf');
  if (nf !== null) {
    if (Number(nf) === 0 && nf.trim() !== '') options.trim = false;
    else if (Number(nf) === 0.005) options.trim = true;
    else bad('nf', nf, 'only 0 (every node) and pprof\'s 0.005 are offered');
  }
  const ef = q.get('ef');
  if (ef !== null) {
    const v = Number(ef);
    if (ef.trim() !== '' && Number.isFinite(v) && v >= 0 && v <= 1) options.edgeFraction = v;
    else bad('ef', ef, 'edgefraction is a number from 0 to 1');
  }
  const sort = q.get('sort');
  if (sort !== null) {
    if ((SORTS as string[]).includes(sort)) options.sort = sort as TopSort;
    else bad('sort', sort, 'sort is flat, cum or name');
  }
  for (const [param, key] of [['noinlines', 'noInlines'], ['relative_percentages', 'relativePercentages']] as const) {
    const v = q.get(param);
    if (v === null) continue;
    if (TRUE.has(v)) options[key] = true;
    else if (FALSE.has(v)) options[key] = false;
    else bad(param, v, 'it is true or false');
  }
  const searchText = q.get('search');
  if (searchText !== null) options.filter = searchText;
  const si = q.get('si');
  return {
    present: true,
    snapshotId: q.get('snapshot'),
    notices,
    resolve: (sampleTypes) => {
      if (si === null) return { options, notices: [] };
      let index = sampleTypes.findIndex((t) => t.type === si);
      if (index < 0 && /^\d+$/.test(si) && Number(si) < sampleTypes.length) index = Number(si);
      if (index < 0) return { options, notices: [`Ignored the link's si=${si}: this profile has no such sample type.`] };
      return { options: { ...options, sampleIndex: index }, notices: [] };
    },
  };
}
