// What the goroutine view shows: filtered bucket rows, one bucket's full stack, in compact wire-friendly form.

import { createStringTable } from '../profile/string-table';
import type { FrameKind } from '../profile/go-packages';
import type { GoroutineDump } from '../profile/goroutine-dump';
import { formatState, type GoroutineBuckets, type GoroutineGrouping, type StateCount } from './goroutine-buckets';

/**
 * Filters of the bucket table. `state` is a printed state (`chan receive, locked to thread`) or '' for all;
 * `funcRegex` is matched against every frame's function name ('' for all); `createdBy` is a case-insensitive
 * substring of the creator's function; `minWaitMinutes` keeps buckets with a goroutine waiting that long.
 */
export interface GoroutineFilter {
  state: string;
  funcRegex: string;
  createdBy: string;
  minWaitMinutes: number;
}

export const NO_GOROUTINE_FILTER: GoroutineFilter = { state: '', funcRegex: '', createdBy: '', minWaitMinutes: 0 };

/**
 * The bucket table as sent to the UI: row `r` is bucket `bucket[r]` (its index in the unfiltered order,
 * used to ask for its stack). String columns are indexes into `strings` (0 = ''). `func`/`file`/`line`
 * describe the bucket's focus frame; `isApp[r]` is 1 when that frame is application code.
 */
export interface GoroutineBucketRows {
  length: number;
  strings: string[];
  bucket: Uint32Array;
  count: Uint32Array;
  state: Uint32Array;
  waitMin: Int32Array;
  waitMax: Int32Array;
  func: Uint32Array;
  file: Uint32Array;
  line: Float64Array;
  isApp: Uint8Array;
  createdBy: Uint32Array;
  labels: Uint32Array;
}

/** The goroutine report of one profile. `source` tells whether states and waits are known (dumps only). */
export interface GoroutinesReport {
  source: 'dump' | 'profile';
  grouping: GoroutineGrouping;
  total: number;
  states: StateCount[];
  unparsedLines: number;
  header: string[];
  totalBuckets: number;
  /** Goroutines in the rows shown. */
  shownGoroutines: number;
  rows: GoroutineBucketRows;
  /** Set when `funcRegex` is not a valid regular expression (no filtering by it was done). */
  filterError: string | null;
  /** Milliseconds the worker spent on this report (the first one includes building the buckets). */
  computeMs: number;
}

/** One frame of a bucket's stack. `offset` is -1 when the dump printed none. */
export interface GoroutineFrame {
  func: string;
  args: string;
  file: string;
  line: number;
  offset: number;
  kind: FrameKind;
}

/** A bucket's full stack, leaf first, as its first goroutine printed it. */
export interface GoroutineBucketStack {
  /** Goroutines in the bucket. */
  count: number;
  frames: GoroutineFrame[];
  createdBy: GoroutineFrame | null;
  /** The `in goroutine N` of the first goroutine, or -1. */
  createdByGoroutine: number;
  elided: boolean;
  /** Ids of up to `MAX_IDS` goroutines of the bucket, in dump order. */
  goroutineIds: number[];
  state: string;
  labels: string;
}

const MAX_IDS = 50;

/** Compiles the function filter; an invalid pattern gives its error message instead of throwing. */
export function compileFunctionFilter(pattern: string): { regex: RegExp | null; error: string | null } {
  if (pattern === '') return { regex: null, error: null };
  try {
    return { regex: new RegExp(pattern), error: null };
  } catch (e) {
    return { regex: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Builds the filtered bucket rows of a dump; one pass over the buckets (and their frames for a regex). */
export function buildGoroutineBucketRows(
  dump: GoroutineDump,
  buckets: GoroutineBuckets,
  frameKinds: Uint8Array,
  filter: GoroutineFilter,
): { rows: GoroutineBucketRows; shownGoroutines: number; filterError: string | null } {
  const { regex, error } = compileFunctionFilter(filter.funcRegex);
  const createdBy = filter.createdBy.trim().toLowerCase();
  const s = dump.strings;
  const funcMatches = new Map<number, boolean>();
  const matchFunc = (fn: number): boolean => {
    let m = funcMatches.get(fn);
    if (m === undefined) {
      m = regex!.test(s[fn]!);
      funcMatches.set(fn, m);
    }
    return m;
  };
  const keep: number[] = [];
  let shown = 0;
  for (let b = 0; b < buckets.length; b++) {
    if (filter.state !== '' && formatState(s[buckets.state[b]!]!, buckets.locked[b] === 1) !== filter.state) continue;
    if (filter.minWaitMinutes > 0 && buckets.waitMax[b]! < filter.minWaitMinutes) continue;
    if (createdBy !== '') {
      const cb = buckets.createdBy[b]!;
      if (cb < 0 || !s[dump.frames.func[cb]!]!.toLowerCase().includes(createdBy)) continue;
    }
    if (regex) {
      const st = buckets.stack[b]!;
      let any = false;
      for (let k = dump.stacks.frameStart[st]!; k < dump.stacks.frameStart[st + 1]! && !any; k++) {
        any = matchFunc(dump.frames.func[dump.stacks.frames[k]!]!);
      }
      if (!any) continue;
    }
    keep.push(b);
    shown += buckets.count[b]!;
  }
  const n = keep.length;
  const { strings, intern: str } = createStringTable();
  const rows: GoroutineBucketRows = {
    length: n,
    strings,
    bucket: Uint32Array.from(keep),
    count: new Uint32Array(n),
    state: new Uint32Array(n),
    waitMin: new Int32Array(n),
    waitMax: new Int32Array(n),
    func: new Uint32Array(n),
    file: new Uint32Array(n),
    line: new Float64Array(n),
    isApp: new Uint8Array(n),
    createdBy: new Uint32Array(n),
    labels: new Uint32Array(n),
  };
  keep.forEach((b, r) => {
    rows.count[r] = buckets.count[b]!;
    rows.state[r] = str(formatState(s[buckets.state[b]!]!, buckets.locked[b] === 1));
    rows.waitMin[r] = buckets.waitMin[b]!;
    rows.waitMax[r] = buckets.waitMax[b]!;
    const f = buckets.focusFrame[b]!;
    if (f >= 0) {
      rows.func[r] = str(s[dump.frames.func[f]!]!);
      rows.file[r] = str(s[dump.frames.file[f]!]!);
      rows.line[r] = dump.frames.line[f]!;
      rows.isApp[r] = frameKinds[f] === 0 ? 1 : 0;
    }
    const cb = buckets.createdBy[b]!;
    rows.createdBy[r] = cb >= 0 ? str(s[dump.frames.func[cb]!]!) : 0;
    rows.labels[r] = str(buckets.mixedLabels[b] ? `${s[buckets.labels[b]!]!} (mixed)` : s[buckets.labels[b]!]!);
  });
  return { rows, shownGoroutines: shown, filterError: error };
}

/** The full stack of bucket `b` (an index into `buckets`). */
export function buildGoroutineBucketStack(dump: GoroutineDump, buckets: GoroutineBuckets, frameKinds: Uint8Array, b: number): GoroutineBucketStack {
  if (!(b >= 0 && b < buckets.length)) throw new RangeError(`No bucket ${b}`);
  const s = dump.strings;
  const frame = (f: number): GoroutineFrame => ({
    func: s[dump.frames.func[f]!]!,
    args: s[dump.frames.args[f]!]!,
    file: s[dump.frames.file[f]!]!,
    line: dump.frames.line[f]!,
    offset: dump.frames.offset[f]!,
    kind: frameKinds[f] as FrameKind,
  });
  const st = buckets.stack[b]!;
  const frames: GoroutineFrame[] = [];
  for (let k = dump.stacks.frameStart[st]!; k < dump.stacks.frameStart[st + 1]!; k++) frames.push(frame(dump.stacks.frames[k]!));
  const first = buckets.first[b]!;
  const g = dump.goroutines;
  // The bucket's goroutines: those with its stack family, state and creator (a scan from its first one).
  const ids: number[] = [];
  const sim = dump.stacks.similar[st]!;
  for (let i = first; i < g.length && ids.length < MAX_IDS; i++) {
    const same =
      (buckets.grouping === 'similar' ? dump.stacks.similar[g.stack[i]!] === sim : g.stack[i] === st) &&
      g.state[i] === g.state[first] &&
      g.locked[i] === g.locked[first] &&
      sameCreator(dump, buckets.grouping, g.createdBy[i]!, g.createdBy[first]!);
    if (same) ids.push(g.id[i]!);
  }
  const cb = g.createdBy[first]!;
  return {
    count: buckets.count[b]!,
    frames,
    createdBy: cb >= 0 ? frame(cb) : null,
    createdByGoroutine: g.createdByGoroutine[first]!,
    elided: g.elided[first] === 1,
    goroutineIds: ids,
    state: formatState(s[g.state[first]!]!, g.locked[first] === 1),
    labels: s[g.labels[first]!]!,
  };
}

function sameCreator(dump: GoroutineDump, grouping: GoroutineGrouping, a: number, b: number): boolean {
  if (a < 0 || b < 0) return a === b;
  return grouping === 'similar' ? dump.frames.site[a] === dump.frames.site[b] : a === b;
}
