// pprof's sample filters (driver applyFocus): focus/ignore/hide/show, show_from, tag filters, tagshow/taghide, prune_from.

import type { LabelTable, LineTable, LocationTable, Profile, SampleTable } from './model';
import type { PrunedView } from './prune';
import { simplifyFuncForPrune } from './prune';
import { scaleValue } from './units';

/**
 * The filters, with pprof's option names (camel-cased). Every field is a pattern as typed on pprof's command
 * line; '' means the filter is off. Regular expressions use Go's syntax as far as JavaScript shares it.
 */
export interface SampleFilters {
  focus: string;
  ignore: string;
  hide: string;
  show: string;
  showFrom: string;
  pruneFrom: string;
  tagFocus: string;
  tagIgnore: string;
  tagShow: string;
  tagHide: string;
}

export const SAMPLE_FILTER_KEYS: readonly (keyof SampleFilters)[] = [
  'focus',
  'ignore',
  'hide',
  'show',
  'showFrom',
  'pruneFrom',
  'tagFocus',
  'tagIgnore',
  'tagShow',
  'tagHide',
];

/** pprof's option name of each filter (as in its flags and error messages). */
export const PPROF_FILTER_NAMES: Record<keyof SampleFilters, string> = {
  focus: 'focus',
  ignore: 'ignore',
  hide: 'hide',
  show: 'show',
  showFrom: 'show_from',
  pruneFrom: 'prune_from',
  tagFocus: 'tagfocus',
  tagIgnore: 'tagignore',
  tagShow: 'tagshow',
  tagHide: 'taghide',
};

/** A filter the engine could not use: its field and pprof's message. */
export class FilterError extends Error {
  constructor(
    readonly field: keyof SampleFilters,
    message: string,
  ) {
    super(message);
    this.name = 'FilterError';
  }
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\t\\n\\v\\f\\r ',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@[-`{-~',
};

/**
 * Compiles a Go (RE2) regular expression as a JavaScript one: leading `(?i)`/`(?s)` flags become flags and
 * POSIX classes (`[[:alpha:]]`) are expanded. Throws a SyntaxError when JavaScript cannot compile it.
 */
export function compileGoRegExp(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  const lead = /^\(\?([ims]+)\)/.exec(source);
  if (lead) {
    source = source.slice(lead[0].length);
    for (const f of lead[1]!) if (!flags.includes(f)) flags += f;
  }
  source = source.replace(/\[:(\^?)([a-z]+):\]/g, (whole, neg: string, name: string) => {
    const c = POSIX_CLASSES[name];
    return c && neg === '' ? c : whole;
  });
  return new RegExp(source, flags);
}

/** null when `pattern` is '' or compiles, else why it does not (for showing on a field). */
export function checkRegExp(pattern: string): string | null {
  if (pattern === '') return null;
  try {
    compileGoRegExp(pattern);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Checks every filter of `filters`; the fields whose pattern does not compile, with the reason. */
export function checkSampleFilters(filters: Partial<SampleFilters>): Partial<Record<keyof SampleFilters, string>> {
  const out: Partial<Record<keyof SampleFilters, string>> = {};
  for (const key of SAMPLE_FILTER_KEYS) {
    const value = filters[key] ?? '';
    if (value === '') continue;
    if (key === 'tagFocus' || key === 'tagIgnore') {
      const err = checkTagFilter(value);
      if (err) out[key] = err;
    } else {
      const err = checkRegExp(value);
      if (err) out[key] = err;
    }
  }
  return out;
}

function checkTagFilter(value: string): string | null {
  const eq = value.indexOf('=');
  const rest = eq >= 0 ? value.slice(eq + 1) : value;
  if (parseTagRange(rest)) return null;
  for (const part of rest.split(',')) {
    const err = checkRegExp(part);
    if (err) return err;
  }
  return null;
}

function compileOption(field: keyof SampleFilters, value: string): RegExp | null {
  if (value === '') return null;
  try {
    return compileGoRegExp(value);
  } catch (e) {
    throw new FilterError(field, `parsing ${PPROF_FILTER_NAMES[field]} regexp: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A numeric range predicate of a tag filter: value (in the label's unit) → inside. */
type RangeTest = (value: number, unit: string) => boolean;

const TAG_RANGE = /([+-]?\d+)([A-Za-z]+)?/g;

/**
 * pprof's parseTagFilterRange: `32kb` (equal), `:64kb` (at most), `4mb:` (at least), `12kb:64mb` (both
 * included); the unit is optional and values are compared after scaling to the first bound's unit.
 */
export function parseTagRange(filter: string): RangeTest | null {
  const ranges = [...filter.matchAll(TAG_RANGE)].slice(0, 2);
  if (ranges.length === 0) return null;
  const first = ranges[0]!;
  const [scaled, unit] = scaleValue(Number(first[1]), first[2] ?? '', first[2] ?? '');
  const inUnit = (v: number, u: string): number | null => {
    const [sv, su] = scaleValue(v, u, unit);
    return su === unit ? sv : null;
  };
  if (ranges.length === 1) {
    const match = first[0];
    if (filter === match) return (v, u) => inUnit(v, u) === scaled;
    if (filter === `${match}:`) return (v, u) => (inUnit(v, u) ?? -Infinity) >= scaled;
    if (filter === `:${match}`) return (v, u) => (inUnit(v, u) ?? Infinity) <= scaled;
    return null;
  }
  const second = ranges[1]!;
  if (filter !== `${first[0]}:${second[0]}`) return null;
  const [scaled2, unit2] = scaleValue(Number(second[1]), second[2] ?? '', unit);
  if (unit2 !== unit) return null;
  return (v, u) => {
    const sv = inUnit(v, u);
    return sv !== null && sv >= scaled && sv <= scaled2;
  };
}

/** pprof's Profile.NumLabelUnits: the first unit seen per numeric label key, else inferred from the key. */
export function computeNumLabelUnits(profile: Profile): Map<string, string> {
  const { labels, strings } = profile;
  const units = new Map<string, string>();
  const keys = new Set<string>();
  for (let r = 0; r < labels.length; r++) {
    if (labels.str[r] !== 0) continue;
    const key = strings[labels.key[r]!]!;
    keys.add(key);
    const unit = strings[labels.numUnit[r]!]!;
    if (unit !== '' && !units.has(key)) units.set(key, unit);
  }
  for (const key of keys) {
    if (!units.has(key)) units.set(key, key === 'alignment' || key === 'request' ? 'bytes' : key);
  }
  return units;
}

/** A sample predicate over its label rows. */
type TagMatch = (profile: Profile, sample: number) => boolean;

function compileTagFilter(field: 'tagFocus' | 'tagIgnore', value: string, numUnits: Map<string, string>): TagMatch | null {
  if (value === '') return null;
  let wantKey = '';
  let rest = value;
  const eq = value.indexOf('=');
  if (eq >= 0) {
    wantKey = value.slice(0, eq);
    rest = value.slice(eq + 1);
  }
  const range = parseTagRange(rest);
  if (range) {
    return (p, s) => {
      const { labels, strings } = p;
      for (let r = p.samples.labelStart[s]!; r < p.samples.labelStart[s + 1]!; r++) {
        if (labels.str[r] !== 0) continue;
        const key = strings[labels.key[r]!]!;
        if (wantKey !== '' && key !== wantKey) continue;
        if (range(labels.num[r]!, numUnits.get(key) ?? '')) return true;
      }
      return false;
    };
  }
  const rxs = rest.split(',').map((part) => {
    try {
      return compileGoRegExp(part);
    } catch (e) {
      throw new FilterError(field, `parsing ${PPROF_FILTER_NAMES[field]} regexp: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  if (wantKey === '') {
    // Every expression must match some `key:value` of the sample's string labels.
    return (p, s) => {
      const { labels, strings } = p;
      return rxs.every((rx) => {
        for (let r = p.samples.labelStart[s]!; r < p.samples.labelStart[s + 1]!; r++) {
          if (labels.str[r] === 0) continue;
          if (rx.test(`${strings[labels.key[r]!]}:${strings[labels.str[r]!]}`)) return true;
        }
        return false;
      });
    };
  }
  return (p, s) => {
    const { labels, strings } = p;
    for (let r = p.samples.labelStart[s]!; r < p.samples.labelStart[s + 1]!; r++) {
      if (labels.str[r] === 0 || strings[labels.key[r]!] !== wantKey) continue;
      const v = strings[labels.str[r]!]!;
      if (rxs.some((rx) => rx.test(v))) return true;
    }
    return false;
  };
}

/** True when no filter is set. */
export function isEmptyFilters(filters: Partial<SampleFilters>): boolean {
  return SAMPLE_FILTER_KEYS.every((k) => (filters[k] ?? '') === '');
}

/**
 * The filtered profile and the names of filters (pprof's "Focus", "Ignore" …) that matched nothing. Sample
 * i's frames are `profile.samples.stack[stackStart[i] .. stackEnd[i])` of `stacks` instead of its own range
 * (without the locations in `stacks.hidden`), and a dropped sample has an empty range and value 0: no stack
 * is copied.
 */
export interface FilteredProfile {
  profile: Profile;
  unmatched: string[];
  stacks: SampleStacks;
}

/** Per-sample stack ranges into the profile's stack column (pprof-filtered stacks without a copy). */
export interface SampleStacks {
  stackStart: Uint32Array;
  stackEnd: Uint32Array;
  /**
   * Locations that hide or show removed whole (1): they stay in the ranges but have no frames (pprof drops
   * them from the sample's locations). Absent when none is.
   */
  hidden?: Uint8Array;
}

/**
 * Applies pprof's applyFocus to a profile (after its drop_frames pruning, `pruned`), in pprof's order:
 * FilterSamplesByName (focus, ignore, hide, show; samples left without frames are dropped, as pprof does even
 * with no filter), ShowFrom, FilterSamplesByTag, FilterTagsByName, PruneFrom. Returns a new profile sharing
 * the string, function and mapping tables (drop_frames already applied and cleared). Throws FilterError.
 */
export function filterProfile(
  profile: Profile,
  functionNames: string[],
  pruned: PrunedView | null,
  filters: Partial<SampleFilters>,
): FilteredProfile {
  const get = (k: keyof SampleFilters) => filters[k] ?? '';
  const focus = compileOption('focus', get('focus'));
  const ignore = compileOption('ignore', get('ignore'));
  const hide = compileOption('hide', get('hide'));
  const show = compileOption('show', get('show'));
  const showFrom = compileOption('showFrom', get('showFrom'));
  const pruneFrom = compileOption('pruneFrom', get('pruneFrom'));
  const tagShow = compileOption('tagShow', get('tagShow'));
  const tagHide = compileOption('tagHide', get('tagHide'));
  // The label units cost a pass over every label row: only tag filters need them.
  const numUnits = get('tagFocus') !== '' || get('tagIgnore') !== '' ? computeNumLabelUnits(profile) : new Map<string, string>();
  const tagFocus = compileTagFilter('tagFocus', get('tagFocus'), numUnits);
  const tagIgnore = compileTagFilter('tagIgnore', get('tagIgnore'), numUnits);

  const { locations, lines, functions, mappings, strings, samples } = profile;
  const fileName = (f: number) => strings[functions.filename[f]!]!;
  const mappingFile = (l: number) => {
    const m = locations.mapping[l]!;
    return m >= 0 ? strings[mappings.filename[m]!]! : null;
  };
  const lineMatches = (rx: RegExp, i: number) => {
    const f = lines.function[i]!;
    return f >= 0 && (rx.test(functionNames[f]!) || rx.test(fileName(f)));
  };
  const mappingMatches = (rx: RegExp, l: number) => {
    const file = mappingFile(l);
    return file !== null && rx.test(file);
  };

  // Per location: its lines (indexes into `lines`) after every step, and the flags the samples need.
  const nLoc = locations.length;
  const locLines: number[][] = new Array(nLoc);
  const focusState = new Int8Array(nLoc); // 1 focused, -1 ignored, 0 neither
  const hidden = new Uint8Array(nLoc);
  const showFromLoc = new Uint8Array(nLoc);
  const pruneBeneath = new Uint8Array(nLoc);
  let fm = false;
  let im = false;
  let hm = false;
  let hnm = false;
  let sfm = false;
  let anyHidden = false;
  for (let l = 0; l < nLoc; l++) {
    const start = pruned ? pruned.lineStart[l]! : locations.lineStart[l]!;
    let ls: number[] = [];
    for (let i = start; i < locations.lineStart[l + 1]!; i++) ls.push(i);
    const matchesName = (rx: RegExp) => ls.some((i) => lineMatches(rx, i)) || mappingMatches(rx, l);
    if (ignore && matchesName(ignore)) {
      im = true;
      focusState[l] = -1;
    } else if (!focus || matchesName(focus)) {
      fm = true;
      focusState[l] = 1;
    }
    if (hide && matchesName(hide)) {
      hm = true;
      ls = mappingMatches(hide, l) ? [] : ls.filter((i) => !lineMatches(hide, i));
      if (ls.length === 0) hidden[l] = 1;
    }
    if (show) {
      if (!mappingMatches(show, l)) ls = ls.filter((i) => lines.function[i]! < 0 || lineMatches(show, i));
      if (ls.length === 0) hidden[l] = 1;
      else hnm = true;
    }
    if (hidden[l]) anyHidden = true;
    if (showFrom) {
      if (mappingMatches(showFrom, l)) {
        showFromLoc[l] = 1;
        sfm = true;
      } else {
        for (let k = ls.length - 1; k >= 0; k--) {
          if (lineMatches(showFrom, ls[k]!)) {
            ls = ls.slice(0, k + 1);
            showFromLoc[l] = 1;
            sfm = true;
            break;
          }
        }
      }
    }
    if (pruneFrom) {
      for (let k = 0; k < ls.length; k++) {
        const f = lines.function[ls[k]!]!;
        if (f < 0 || functionNames[f] === '') continue;
        if (pruneFrom.test(simplifyFuncForPrune(functionNames[f]!))) {
          pruneBeneath[l] = 1;
          ls = ls.slice(k);
          break;
        }
      }
    }
    locLines[l] = ls;
    // A location removed whole is gone from the stacks: it can neither start show_from nor prune_from.
    if (hidden[l]) {
      showFromLoc[l] = 0;
      pruneBeneath[l] = 0;
    }
  }

  // Samples, in one pass: every step of pprof's order decided per sample. A kept stack is a range of the
  // original one (show_from and prune_from only cut its ends; locations removed whole by hide/show stay in
  // it with no frames): no stack is copied, dropped samples get an empty range and value 0.
  const starts = pruned ? pruned.stackStart : samples.stackStart;
  const ends = pruned ? pruned.stackEnd : samples.stackStart.subarray(1);
  const srcStack = samples.stack;
  const n = samples.length;
  const kept = new Uint32Array(n);
  let keptCount = 0;
  const rangeStart = new Uint32Array(n);
  const rangeEnd = new Uint32Array(n);
  let tfm = false;
  let tim = false;
  const byName = focus !== null || ignore !== null;
  for (let s = 0; s < n; s++) {
    const st = starts[s]!;
    const en = ends[s]!;
    if (en <= st) continue;
    if (byName) {
      let focused = false;
      let ignored = false;
      for (let j = st; j < en; j++) {
        const f = focusState[srcStack[j]!]!;
        if (f < 0) {
          ignored = true;
          break;
        }
        if (f > 0) {
          focused = true;
          // Without an ignore pattern nothing further down the stack can drop the sample.
          if (ignore === null) break;
        }
      }
      if (ignored || !focused) continue;
    }
    if (anyHidden) {
      // A sample whose every location was removed is dropped.
      let j = st;
      while (j < en && hidden[srcStack[j]!] === 1) j++;
      if (j === en) continue;
    }
    let from = st;
    let to = en;
    if (showFrom) {
      let k = to - 1;
      while (k >= from && showFromLoc[srcStack[k]!] === 0) k--;
      if (k < from) continue;
      to = k + 1;
    }
    if (tagFocus !== null || tagIgnore !== null) {
      const f = tagFocus ? tagFocus(profile, s) : true;
      const i = tagIgnore ? tagIgnore(profile, s) : false;
      tfm ||= f;
      tim ||= i;
      if (!f || i) continue;
    }
    if (pruneFrom) {
      for (let k = from; k < to; k++) {
        if (pruneBeneath[srcStack[k]!]) {
          from = k;
          break;
        }
      }
    }
    kept[keptCount++] = s;
    rangeStart[s] = from;
    rangeEnd[s] = to;
  }

  const unmatched: string[] = [];
  const warn = (on: boolean, matched: boolean, name: string) => {
    if (on && !matched) unmatched.push(name);
  };
  warn(focus !== null, fm, 'Focus');
  warn(ignore !== null, im, 'Ignore');
  warn(hide !== null, hm, 'Hide');
  warn(show !== null, hnm, 'Show');
  warn(showFrom !== null, sfm, 'ShowFrom');
  warn(tagFocus !== null, tfm, 'TagFocus');
  warn(tagIgnore !== null, tim, 'TagIgnore');

  const { locations: newLocations, lines: newLines } = rebuildLocations(locations, lines, locLines);
  const base = { ...profile, locations: newLocations, lines: newLines, dropFrames: '', keepFrames: '', warnings: [] };
  // Every sample stays (dropped ones with value 0 and an empty range), so labels keep their rows.
  // A view asks for one sample type: each column of kept values is made on first read.
  const values = lazyColumns(samples.values.length, (c) => {
    const column = samples.values[c]!;
    const out = new Float64Array(n);
    for (let i = 0; i < keptCount; i++) out[kept[i]!] = column[kept[i]!]!;
    return out;
  });
  let labels = profile.labels;
  let labelStart = samples.labelStart;
  if (tagShow || tagHide) ({ labels, labelStart } = selectLabels(profile, Uint32Array.from({ length: n }, (_, i) => i), tagShow, tagHide, unmatched));
  return {
    profile: { ...base, samples: { ...samples, values, labelStart }, labels },
    unmatched,
    stacks: { stackStart: rangeStart, stackEnd: rangeEnd, ...(anyHidden ? { hidden } : {}) },
  };
}

/** An array of `count` columns whose column c is `make(c)`, made on first read and kept. */
function lazyColumns(count: number, make: (c: number) => Float64Array): Float64Array[] {
  const out: Float64Array[] = [];
  for (let c = 0; c < count; c++) {
    let made: Float64Array | null = null;
    Object.defineProperty(out, c, { enumerable: true, get: () => (made ??= make(c)) });
  }
  return out;
}

/** The kept samples' label rows, without the keys tagshow/taghide remove (pprof's FilterTagsByName). */
function selectLabels(
  profile: Profile,
  kept: Uint32Array,
  tagShow: RegExp | null,
  tagHide: RegExp | null,
  unmatched: string[],
): { labels: LabelTable; labelStart: Uint32Array } {
  const { labels, strings, samples } = profile;
  // Per label key: bit 1 kept, bit 2 matched tagshow (or no tagshow), bit 4 matched taghide.
  const keyState = new Map<number, number>();
  const stateOf = (key: number) => {
    let k = keyState.get(key);
    if (k === undefined) {
      const name = strings[key]!;
      const matchShow = !tagShow || tagShow.test(name);
      const matchHide = tagHide !== null && tagHide.test(name);
      k = (matchShow && !matchHide ? 1 : 0) | (matchShow ? 2 : 0) | (matchHide ? 4 : 0);
      keyState.set(key, k);
    }
    return k;
  };
  const filtering = tagShow !== null || tagHide !== null;
  let total = 0;
  for (let i = 0; i < kept.length; i++) total += samples.labelStart[kept[i]! + 1]! - samples.labelStart[kept[i]!]!;
  const key = new Uint32Array(total);
  const str = new Uint32Array(total);
  const num = new Float64Array(total);
  const numUnit = new Uint32Array(total);
  const labelStart = new Uint32Array(kept.length + 1);
  let at = 0;
  let seen = 0;
  for (let i = 0; i < kept.length; i++) {
    labelStart[i] = at;
    const s = kept[i]!;
    for (let r = samples.labelStart[s]!; r < samples.labelStart[s + 1]!; r++) {
      if (filtering) {
        const st = stateOf(labels.key[r]!);
        seen |= st;
        if ((st & 1) === 0) continue;
      }
      key[at] = labels.key[r]!;
      str[at] = labels.str[r]!;
      num[at] = labels.num[r]!;
      numUnit[at] = labels.numUnit[r]!;
      at++;
    }
  }
  labelStart[kept.length] = at;
  if (tagShow && (seen & 2) === 0) unmatched.push('TagShow');
  if (tagHide && (seen & 4) === 0) unmatched.push('TagHide');
  return {
    labels: { length: at, key: key.subarray(0, at), str: str.subarray(0, at), num: num.subarray(0, at), numUnit: numUnit.subarray(0, at) },
    labelStart,
  };
}

/** Locations with their filtered lines, and the lines table those refer to. */
function rebuildLocations(locations: LocationTable, lines: LineTable, locLines: number[][]): { locations: LocationTable; lines: LineTable } {
  let total = 0;
  for (const ls of locLines) total += ls.length;
  const fn = new Int32Array(total);
  const line = new Float64Array(total);
  const column = new Float64Array(total);
  const lineStart = new Uint32Array(locations.length + 1);
  let at = 0;
  locLines.forEach((ls, l) => {
    lineStart[l] = at;
    for (const i of ls) {
      fn[at] = lines.function[i]!;
      line[at] = lines.line[i]!;
      column[at] = lines.column[i]!;
      at++;
    }
  });
  lineStart[locations.length] = at;
  return {
    locations: { ...locations, lineStart },
    lines: { length: total, function: fn, line, column },
  };
}
