// Our decoder against pprof-format (the reference): every field of every bundled protobuf profile is equal.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile as PprofProfile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../src/profile/decode';
import { isGzip } from '../../src/profile/inflate';
import type { Profile } from '../../src/profile/model';
import { CORPUS, LEAKY, SHARED } from '../helpers/fixtures';
import { legacyFormatOf } from '../helpers/oracle-cases';

// Rows are the decoder's to order (it puts locations numbered 1..N in ID order): locations compare by ID.
const byId = (a: { id: number | undefined }, b: { id: number | undefined }) => a.id! - b.id!;

/** pprof-format returns BigInt for long varints and unsigned BigInts for negative int64: normalise both. */
function num(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : v;
}
/** uint64 fields (IDs, addresses) stay unsigned. */
function unum(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(BigInt.asUintN(64, v)) : v;
}

/** Our profile in pprof-format's shape (IDs instead of row indexes, strings resolved). */
function ours(p: Profile) {
  const s = (i: number) => p.strings[i]!;
  return {
    sampleType: p.sampleTypes,
    sample: Array.from({ length: p.samples.length }, (_, i) => ({
      locationId: Array.from(p.samples.stack.subarray(p.samples.stackStart[i], p.samples.stackStart[i + 1]), (l) => p.locations.id[l]),
      value: p.samples.values.map((col) => col[i]),
      label: Array.from({ length: p.samples.labelStart[i + 1]! - p.samples.labelStart[i]! }, (_, k) => {
        const l = p.samples.labelStart[i]! + k;
        return { key: s(p.labels.key[l]!), str: s(p.labels.str[l]!), num: p.labels.num[l], numUnit: s(p.labels.numUnit[l]!) };
      }),
    })),
    mapping: Array.from({ length: p.mappings.length }, (_, m) => ({
      id: p.mappings.id[m],
      memoryStart: p.mappings.memoryStart[m],
      memoryLimit: p.mappings.memoryLimit[m],
      fileOffset: p.mappings.fileOffset[m],
      filename: s(p.mappings.filename[m]!),
      buildId: s(p.mappings.buildId[m]!),
      flags: p.mappings.flags[m],
    })),
    location: Array.from({ length: p.locations.length }, (_, l) => ({
      id: p.locations.id[l],
      mappingId: p.locations.mapping[l]! >= 0 ? p.mappings.id[p.locations.mapping[l]!] : 0,
      address: p.locations.address[l],
      isFolded: p.locations.isFolded[l] === 1,
      line: Array.from({ length: p.locations.lineStart[l + 1]! - p.locations.lineStart[l]! }, (_, k) => {
        const i = p.locations.lineStart[l]! + k;
        const f = p.lines.function[i]!;
        return { functionId: f >= 0 ? p.functions.id[f] : 0, line: p.lines.line[i], column: p.lines.column[i] };
      }),
    })).sort(byId),
    function: Array.from({ length: p.functions.length }, (_, f) => ({
      id: p.functions.id[f],
      name: s(p.functions.name[f]!),
      systemName: s(p.functions.systemName[f]!),
      filename: s(p.functions.filename[f]!),
      startLine: p.functions.startLine[f],
    })),
    dropFrames: p.dropFrames,
    keepFrames: p.keepFrames,
    timeNanos: p.timeNanos,
    durationNanos: p.durationNanos,
    periodType: p.periodType,
    period: p.period,
    comment: p.comments,
    defaultSampleType: p.defaultSampleType,
  };
}

/** pprof-format's profile in the same shape. */
function reference(r: PprofProfile) {
  const strings = r.stringTable.strings;
  const s = (i: number | bigint) => strings[num(i)]!;
  const vt = (v: { type: number | bigint; unit: number | bigint }) => ({ type: s(v.type), unit: s(v.unit) });
  return {
    sampleType: r.sampleType.map(vt),
    sample: r.sample.map((x) => ({
      locationId: x.locationId.map(num),
      value: x.value.map(num),
      label: x.label.map((l) => ({ key: s(l.key), str: s(l.str), num: num(l.num), numUnit: s(l.numUnit) })),
    })),
    mapping: r.mapping.map((m) => ({
      id: unum(m.id),
      memoryStart: unum(m.memoryStart),
      memoryLimit: unum(m.memoryLimit),
      fileOffset: unum(m.fileOffset),
      filename: s(m.filename),
      buildId: s(m.buildId),
      flags: (m.hasFunctions ? 1 : 0) | (m.hasFilenames ? 2 : 0) | (m.hasLineNumbers ? 4 : 0) | (m.hasInlineFrames ? 8 : 0),
    })),
    location: r.location.map((l) => ({
      id: unum(l.id),
      mappingId: num(l.mappingId),
      address: unum(l.address),
      isFolded: Boolean(l.isFolded),
      line: l.line.map((x) => ({ functionId: num(x.functionId), line: num(x.line), column: num(x.column) })),
    })).sort(byId),
    function: r.function.map((f) => ({
      id: unum(f.id),
      name: s(f.name),
      systemName: s(f.systemName),
      filename: s(f.filename),
      startLine: num(f.startLine),
    })),
    dropFrames: s(r.dropFrames),
    keepFrames: s(r.keepFrames),
    timeNanos: num(r.timeNanos),
    durationNanos: num(r.durationNanos),
    periodType: r.periodType ? vt(r.periodType) : null,
    period: num(r.period),
    comment: r.comment.map(s),
    defaultSampleType: s(r.defaultSampleType),
  };
}

function protobufFiles(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root)) {
    const p = join(root, e);
    if (statSync(p).isDirectory()) out.push(...protobufFiles(p));
    else if (/\.(pb\.gz|pprof|pb|cpu|crash|cpu_no_samples_type)$/.test(e) || !e.includes('.')) out.push(p);
  }
  return out;
}

async function compare(path: string): Promise<boolean> {
  const bytes = new Uint8Array(readFileSync(path));
  if (legacyFormatOf(isGzip(bytes) ? gunzipSync(bytes) : bytes) !== null) return false; // legacy: not protobuf
  let mine: Profile;
  try {
    mine = await decodeProfile(bytes);
  } catch {
    return false; // not a profile at all: nothing to compare
  }
  const raw = isGzip(bytes) ? gunzipSync(bytes) : bytes;
  expect(ours(mine), path).toEqual(reference(PprofProfile.decode(new Uint8Array(raw))));
  return true;
}

describe('decoder equals pprof-format', () => {
  const files = [...protobufFiles(LEAKY), ...protobufFiles(CORPUS)];
  it.each(files.map((f) => [relative(join(LEAKY, '..'), f), f]))('%s', async (_n, f) => {
    await compare(f);
  });
  it('compared every bundled protobuf profile', async () => {
    let compared = 0;
    for (const f of files) if (await compare(f)) compared++;
    expect(compared).toBe(53);
  });
  it.runIf(SHARED !== null)('equals pprof-format on the ../shared medium/large fixtures', async () => {
    for (const f of ['heap_medium', 'synthetic_200k']) expect(await compare(`${SHARED}fixtures/large/${f}.pb.gz`)).toBe(true);
  }, 120_000);
});
