// int64 → number in one place: negative values stay negative, values beyond 2^53 are reported.

import { Profile as PprofProfile, StringTable } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../src/profile/decode';
import { ProtoReader } from '../../src/profile/proto-reader';

/** Encodes a varint the way protobuf does for int64 (two's complement, 10 bytes when negative). */
function varint(v: bigint): number[] {
  let u = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    let b = Number(u & 0x7fn);
    u >>= 7n;
    if (u > 0n) b |= 0x80;
    out.push(b);
  } while (u > 0n);
  return out;
}

describe('ProtoReader integers', () => {
  const cases: [bigint, number][] = [
    [0n, 0],
    [1n, 1],
    [127n, 127],
    [128n, 128],
    [300n, 300],
    [(1n << 28n) - 1n, 2 ** 28 - 1],
    [1n << 35n, 2 ** 35],
    [(1n << 53n) - 1n, Number.MAX_SAFE_INTEGER],
    [-1n, -1],
    [-5n, -5],
    [-(1n << 40n), -(2 ** 40)],
    [-(1n << 53n) + 1n, -Number.MAX_SAFE_INTEGER],
  ];
  it.each(cases)('int64 %s', (v, expected) => {
    const r = new ProtoReader(new Uint8Array(varint(v)));
    expect(r.int()).toBe(expected);
    expect(r.unsafeCount).toBe(0);
    expect(r.pos).toBe(r.end);
  });
  it('counts values of 2^53 and more as unsafe (rounded, not silent)', () => {
    for (const v of [1n << 53n, 1n << 60n, -(1n << 60n)]) {
      const r = new ProtoReader(new Uint8Array(varint(v)));
      expect(r.int()).toBe(Number(v));
      expect(r.unsafeCount).toBe(1);
    }
  });
  it('reads uint64 above 2^63 as unsigned', () => {
    const r = new ProtoReader(new Uint8Array(varint(0xffffffffff600000n)));
    expect(r.uint()).toBe(Number(0xffffffffff600000n));
  });
});

/** A saved diff profile: values negative as pprof writes them for the base. */
function encodeDiffProfile(values: bigint[]): Uint8Array {
  const st = new StringTable();
  return new PprofProfile({
    sampleType: [{ type: st.dedup('inuse_space'), unit: st.dedup('bytes') }],
    sample: values.map((v, i) => ({ locationId: [i + 1], value: [v] })),
    location: values.map((_, i) => ({ id: i + 1, line: [{ functionId: i + 1 }] })),
    function: values.map((_, i) => ({ id: i + 1, name: st.dedup(`main.f${i}`) })),
    stringTable: st,
  }).encode();
}

describe('decodeProfile int64 values', () => {
  it('decodes negative sample values of a diff profile written by pprof-format', async () => {
    const p = await decodeProfile(encodeDiffProfile([-5n, 7n, -(1n << 40n), -1n]));
    expect(Array.from(p.samples.values[0]!)).toEqual([-5, 7, -(2 ** 40), -1]);
    expect(p.warnings).toEqual([]);
  });
  it('reports sample values of 2^53 and more in the warnings', async () => {
    const p = await decodeProfile(encodeDiffProfile([1n << 60n, 3n]));
    expect(p.samples.values[0]![0]).toBe(2 ** 60);
    expect(p.warnings.join(' ')).toMatch(/1 sample value\(s\) are 2\^53 or larger and were rounded/);
  });
});

describe('time_nanos', () => {
  it('is read without a rounding warning (it is always past 2^53)', async () => {
    const st = new StringTable();
    const bytes = new PprofProfile({
      sampleType: [{ type: st.dedup('samples'), unit: st.dedup('count') }],
      stringTable: st,
      timeNanos: 1795000000123456789n,
    }).encode();
    const p = await decodeProfile(bytes);
    expect(p.timeNanos).toBe(Number(1795000000123456789n));
    expect(p.warnings).toEqual([]);
  });
});

describe('ProtoReader.skip', () => {
  it('skips a length-delimited field whole, past its length prefix and payload', () => {
    // field 15 (wire 2) with 3 payload bytes, then field 1 = 7 (wire 0)
    const r = new ProtoReader(new Uint8Array([0x7a, 3, 0xaa, 0xbb, 0xcc, 0x08, 7]));
    const tag = r.uint();
    r.skip(tag & 7);
    expect(r.pos).toBe(5);
    expect(r.uint()).toBe(0x08);
    expect(r.uint()).toBe(7);
  });

  it('decodes a location that carries an unknown length-delimited field', async () => {
    const st = new StringTable();
    const p = new PprofProfile({
      sampleType: [{ type: st.dedup('samples'), unit: st.dedup('count') }],
      sample: [{ locationId: [1], value: [5] }],
      location: [{ id: 1, line: [{ functionId: 1, line: 3 }] }],
      function: [{ id: 1, name: st.dedup('main.f') }],
      stringTable: st,
    });
    const bytes = p.encode();
    // Rewrite the Location message (top-level field 4) with an unknown field 9 (bytes) before its fields.
    const out: number[] = [];
    let i = 0;
    while (i < bytes.length) {
      const tag = bytes[i]!;
      const len = bytes[i + 1]!;
      const body = Array.from(bytes.subarray(i + 2, i + 2 + len));
      if (tag === 0x22) out.push(0x22, len + 4, 0x4a, 2, 0x01, 0x02, ...body);
      else out.push(tag, len, ...body);
      i += 2 + len;
    }
    const profile = await decodeProfile(new Uint8Array(out));
    expect(profile.locations.length).toBe(1);
    expect(profile.lines.line[0]).toBe(3);
    expect(profile.strings[profile.functions.name[profile.lines.function[0]!]!]).toBe('main.f');
  });
});
