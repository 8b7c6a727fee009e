// The streaming decoder: any chunking of the bytes gives the same profile as decoding them at once.

import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../src/profile/decode';
import { inflateGzipChunks, type GzipInflater } from '../../src/profile/inflate';
import { decodeProfileProto, ProfileProtoDecoder, WholeInputNeeded } from '../../src/profile/decode-proto';
import { ProfileError } from '../../src/profile/errors';
import { LEAKY } from '../helpers/fixtures';

const heap = new Uint8Array(gunzipSync(readFileSync(`${LEAKY}heap_t3.pb.gz`)));
const cpu = new Uint8Array(gunzipSync(readFileSync(`${LEAKY}cpu.pb.gz`)));

function pushInChunks(bytes: Uint8Array, sizes: number[], expectedBytes?: number) {
  const d = new ProfileProtoDecoder({ expectedBytes });
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    d.push(bytes.slice(at, at + n));
    at += n;
  }
  return d.finish();
}

/** cpu.pb.gz with every sample_type field (tag 0x0a at top level) moved after the samples: a legal field order. */
function reordered(): Uint8Array {
  const fields: Uint8Array[] = [];
  const types: Uint8Array[] = [];
  let p = 0;
  while (p < cpu.length) {
    const start = p;
    const tag = cpu[p++]!;
    let len = 0;
    let shift = 0;
    let b: number;
    if ((tag & 7) === 2) {
      do {
        b = cpu[p++]!;
        len += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b >= 0x80);
      p += len;
    } else {
      do b = cpu[p++]!;
      while (b >= 0x80);
    }
    (tag === 0x0a ? types : fields).push(cpu.subarray(start, p));
  }
  expect(types.length).toBe(2);
  const out = new Uint8Array(cpu.length);
  let at = 0;
  for (const f of [...fields, ...types]) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

describe('ProfileProtoDecoder', () => {
  it.each([
    ['1-byte chunks', [1]],
    ['odd chunk sizes', [7, 13, 1, 300]],
    ['64 KiB chunks', [65536]],
  ])('%s decode heap_t3 and cpu exactly as one buffer', (_name, sizes) => {
    for (const bytes of [heap, cpu]) {
      const whole = decodeProfileProto(bytes);
      expect(pushInChunks(bytes, sizes)).toEqual(whole);
      expect(pushInChunks(bytes, sizes, bytes.length)).toEqual(whole);
    }
  });

  it('reports progress up to 1 when the size is known', () => {
    const seen: number[] = [];
    const d = new ProfileProtoDecoder({ expectedBytes: heap.length, onProgress: (f) => seen.push(f) });
    d.push(heap);
    d.finish();
    expect(seen.at(-1)).toBe(1);
  });

  it('calls a field cut off by the end of the input an error, not a wait', () => {
    const d = new ProfileProtoDecoder();
    d.push(heap.subarray(0, heap.length - 3));
    expect(() => d.finish()).toThrow(ProfileError);
  });

  it('handles samples that come before their sample types (a legal field order)', () => {
    const reorderedBytes = reordered();
    expect(decodeProfileProto(reorderedBytes)).toEqual(decodeProfileProto(cpu));
    // Streamed, the samples are not held: finish() asks for the whole input, and decodeProfile (gzip) retries.
    expect(() => pushInChunks(reorderedBytes, [4096])).toThrow(WholeInputNeeded);
    return decodeProfile(new Uint8Array(gzipSync(reorderedBytes))).then((p) => expect(p).toEqual(decodeProfileProto(cpu)));
  });

  it('retries from the bytes an inflater gave back when it moved them away (as the worker inflater does)', async () => {
    const gz = new Uint8Array(gzipSync(reordered()));
    let calls = 0;
    // Moves the bytes (the input is emptied, as by a transfer), inflates, and gives a copy back.
    const moving: GzipInflater = async (bytes, sink, options) => {
      calls++;
      if (bytes instanceof Blob) throw new Error('bytes expected');
      const moved = structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
      expect(bytes.length).toBe(0);
      await inflateGzipChunks(new Uint8Array(moved), sink, options);
      return new Uint8Array(moved);
    };
    expect(await decodeProfile(gz, { inflate: moving })).toEqual(decodeProfileProto(cpu));
    expect(calls).toBe(2);
  });

  it('decodes a file (a Blob) as its bytes: gzip read as it inflates, retried from the file, progress to the end', async () => {
    const fromBytes = await decodeProfile(new Uint8Array(gzipSync(heap)));
    for (const usePako of [false, true]) {
      const fractions: number[] = [];
      const p = await decodeProfile(new Blob([gzipSync(heap)]), { usePako, onProgress: (f) => fractions.push(f) });
      expect(p).toEqual(fromBytes);
      expect(fractions.at(-1)).toBe(1);
      expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    }
    expect(await decodeProfile(new Blob([heap]))).toEqual(decodeProfileProto(heap));
    // The rare field order that needs a second pass reads the file again.
    const given: string[] = [];
    const recording: GzipInflater = (input, sink, options) => {
      given.push(input instanceof Blob ? 'file' : 'bytes');
      return inflateGzipChunks(input, sink, options);
    };
    expect(await decodeProfile(new Blob([gzipSync(reordered())]), { inflate: recording })).toEqual(decodeProfileProto(cpu));
    expect(given).toEqual(['file', 'file']);
  });

  it('names the byte of the whole stream in errors, whatever the chunking', () => {
    // The first sample's first field tag gets wire type 3 (tag 0x0b), which no integer field can have.
    const bad = heap.slice();
    let p = 0;
    while (bad[p] !== 0x12) {
      const wire = bad[p++]! & 7;
      let len = 0;
      let shift = 0;
      let b: number;
      do {
        b = bad[p++]!;
        len += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b >= 0x80);
      if (wire === 2) p += len;
    }
    p++;
    while (bad[p]! >= 0x80) p++;
    bad[p + 1] = 0x0b;
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    const whole = message(() => decodeProfileProto(bad));
    expect(whole).toMatch(/wire type 3 .*at byte \d+/);
    for (const sizes of [[1], [7, 13], [p], [65536]]) expect(message(() => pushInChunks(bad, sizes))).toBe(whole);
  });
});
