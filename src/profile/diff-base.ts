// pprof's -diff_base: the base profile negated, labelled pprof::base, and merged after the profile.

import type { LabelTable, Profile } from './model';
import { createStringTable } from './string-table';

/** The label pprof puts on every sample of a -diff_base base (so they never merge with the new ones). */
export const DIFF_BASE_LABEL_KEY = 'pprof::base';

function concatF64(a: Float64Array, b: Float64Array, map: (v: number) => number = (v) => v): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  for (let i = 0; i < b.length; i++) out[a.length + i] = map(b[i]!);
  return out;
}

function concatU32(a: Uint32Array, b: Uint32Array, map: (v: number) => number): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  out.set(a);
  for (let i = 0; i < b.length; i++) out[a.length + i] = map(b[i]!);
  return out;
}

/** `start` columns (length + 1 entries): the second table's rows follow the first's. */
function concatStarts(a: Uint32Array, aRows: number, b: Uint32Array, bRows: number, extra: (row: number) => number = () => 0): Uint32Array {
  const out = new Uint32Array(aRows + bRows + 1);
  out.set(a.subarray(0, aRows + 1));
  const offset = a[aRows]!;
  for (let r = 1; r <= bRows; r++) out[aRows + r] = offset + b[r]! + extra(r);
  return out;
}

/**
 * Merges `base` into `profile` as `go tool pprof -diff_base=base profile` does: the base's values × −1, each
 * base sample labelled `pprof::base=true`; sample types, period type, drop/keep frames and the first mapping
 * from `profile`; the earliest time, the sum of durations, the largest period, comments without repeats.
 * Strings are re-interned; the base's tables follow the profile's rows. Throws when the sample types differ.
 */
export function mergeDiffBase(profile: Profile, base: Profile): Profile {
  const same = (a: { type: string; unit: string } | null, b: { type: string; unit: string } | null) => a?.type === b?.type && a?.unit === b?.unit;
  if (profile.sampleTypes.length !== base.sampleTypes.length || !profile.sampleTypes.every((t, i) => same(t, base.sampleTypes[i]!)) || !same(profile.periodType, base.periodType)) {
    throw new Error('The base profile has other sample types than the profile: they cannot be compared.');
  }
  const { strings, intern } = createStringTable(profile.strings);
  const baseString = base.strings.map((s) => intern(s));
  const str = (i: number) => baseString[i]!;
  const baseKey = intern(DIFF_BASE_LABEL_KEY);
  const baseValue = intern('true');
  const { samples: ps, locations: pl, functions: pf, mappings: pm } = profile;
  const { samples: bs, locations: bl, functions: bf, mappings: bm } = base;
  const sampleCount = ps.length + bs.length;
  const labels = mergeLabels(profile.labels, base.labels, str, bs.labelStart, bs.length, baseKey, baseValue);
  const maxId = (ids: Float64Array) => ids.reduce((m, v) => Math.max(m, v), 0);
  const locationIdOffset = maxId(pl.id);
  const functionIdOffset = maxId(pf.id);
  const mappingIdOffset = maxId(pm.id);
  const comments = [...new Set([...profile.comments, ...base.comments])];
  const time = [profile.timeNanos, base.timeNanos].reduce((t, v) => (t === 0 || v < t ? v : t), 0);
  return {
    strings,
    sampleTypes: profile.sampleTypes,
    samples: {
      length: sampleCount,
      values: profile.samples.values.map((v, t) => concatF64(v.subarray(0, ps.length), bs.values[t]!.subarray(0, bs.length), (x) => -x)),
      stackStart: concatStarts(ps.stackStart, ps.length, bs.stackStart, bs.length),
      stack: concatU32(ps.stack.subarray(0, ps.stackStart[ps.length]!), bs.stack.subarray(0, bs.stackStart[bs.length]!), (l) => l + pl.length),
      labelStart: concatStarts(ps.labelStart, ps.length, bs.labelStart, bs.length, (r) => r),
    },
    labels,
    locations: {
      length: pl.length + bl.length,
      id: concatF64(pl.id.subarray(0, pl.length), bl.id.subarray(0, bl.length), (id) => id + locationIdOffset),
      mapping: Int32Array.from([...pl.mapping.subarray(0, pl.length), ...[...bl.mapping.subarray(0, bl.length)].map((m) => (m >= 0 ? m + pm.length : -1))]),
      address: concatF64(pl.address.subarray(0, pl.length), bl.address.subarray(0, bl.length)),
      isFolded: Uint8Array.from([...pl.isFolded.subarray(0, pl.length), ...bl.isFolded.subarray(0, bl.length)]),
      lineStart: concatStarts(pl.lineStart, pl.length, bl.lineStart, bl.length),
    },
    lines: {
      length: profile.lines.length + base.lines.length,
      function: Int32Array.from([...profile.lines.function.subarray(0, profile.lines.length), ...[...base.lines.function.subarray(0, base.lines.length)].map((f) => (f >= 0 ? f + pf.length : -1))]),
      line: concatF64(profile.lines.line.subarray(0, profile.lines.length), base.lines.line.subarray(0, base.lines.length)),
      column: concatF64(profile.lines.column.subarray(0, profile.lines.length), base.lines.column.subarray(0, base.lines.length)),
    },
    functions: {
      length: pf.length + bf.length,
      id: concatF64(pf.id.subarray(0, pf.length), bf.id.subarray(0, bf.length), (id) => id + functionIdOffset),
      name: concatU32(pf.name.subarray(0, pf.length), bf.name.subarray(0, bf.length), str),
      systemName: concatU32(pf.systemName.subarray(0, pf.length), bf.systemName.subarray(0, bf.length), str),
      filename: concatU32(pf.filename.subarray(0, pf.length), bf.filename.subarray(0, bf.length), str),
      startLine: concatF64(pf.startLine.subarray(0, pf.length), bf.startLine.subarray(0, bf.length)),
    },
    mappings: {
      length: pm.length + bm.length,
      id: concatF64(pm.id.subarray(0, pm.length), bm.id.subarray(0, bm.length), (id) => id + mappingIdOffset),
      memoryStart: concatF64(pm.memoryStart.subarray(0, pm.length), bm.memoryStart.subarray(0, bm.length)),
      memoryLimit: concatF64(pm.memoryLimit.subarray(0, pm.length), bm.memoryLimit.subarray(0, bm.length)),
      fileOffset: concatF64(pm.fileOffset.subarray(0, pm.length), bm.fileOffset.subarray(0, bm.length)),
      filename: concatU32(pm.filename.subarray(0, pm.length), bm.filename.subarray(0, bm.length), str),
      buildId: concatU32(pm.buildId.subarray(0, pm.length), bm.buildId.subarray(0, bm.length), str),
      flags: Uint8Array.from([...pm.flags.subarray(0, pm.length), ...bm.flags.subarray(0, bm.length)]),
    },
    dropFrames: profile.dropFrames,
    keepFrames: profile.keepFrames,
    timeNanos: time,
    durationNanos: profile.durationNanos + base.durationNanos,
    periodType: profile.periodType,
    period: Math.max(profile.period, base.period),
    comments,
    defaultSampleType: profile.defaultSampleType !== '' ? profile.defaultSampleType : base.defaultSampleType,
    warnings: [...profile.warnings, ...base.warnings],
  };
}

/** The profile's labels, then per base sample its labels (strings re-interned) and pprof::base=true. */
function mergeLabels(a: LabelTable, b: LabelTable, str: (i: number) => number, bStart: Uint32Array, bSamples: number, key: number, value: number): LabelTable {
  const n = a.length + b.length + bSamples;
  const out: LabelTable = { length: n, key: new Uint32Array(n), str: new Uint32Array(n), num: new Float64Array(n), numUnit: new Uint32Array(n) };
  out.key.set(a.key.subarray(0, a.length));
  out.str.set(a.str.subarray(0, a.length));
  out.num.set(a.num.subarray(0, a.length));
  out.numUnit.set(a.numUnit.subarray(0, a.length));
  let at = a.length;
  for (let s = 0; s < bSamples; s++) {
    for (let l = bStart[s]!; l < bStart[s + 1]!; l++, at++) {
      out.key[at] = str(b.key[l]!);
      out.str[at] = b.str[l] === 0 ? 0 : str(b.str[l]!);
      out.num[at] = b.num[l]!;
      out.numUnit[at] = str(b.numUnit[l]!);
    }
    out.key[at] = key;
    out.str[at] = value;
    at++;
  }
  return out;
}
