// Every way a file can fail to be a profile gives a ProfileError whose code and message name the problem.

import { readFileSync } from 'node:fs';
import { gzipSync, createGzip } from 'node:zlib';
import { Profile as PprofProfile, StringTable } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../src/profile/decode';
import { ProfileError, type ProfileErrorCode } from '../../src/profile/errors';
import { encodeFolded } from '../helpers/folded';
import { LEAKY } from '../helpers/fixtures';

async function failure(bytes: Uint8Array | Blob, options = {}): Promise<ProfileError> {
  try {
    await decodeProfile(bytes, options);
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
  throw new Error('decoded without error');
}

/** A minimal valid profile, then broken one field at a time. */
function encodeWith(edit: (p: PprofProfile, st: StringTable) => void): Uint8Array {
  const st = new StringTable();
  const p = new PprofProfile({
    sampleType: [{ type: st.dedup('samples'), unit: st.dedup('count') }, { type: st.dedup('cpu'), unit: st.dedup('nanoseconds') }],
    sample: [{ locationId: [1], value: [1, 10] }],
    location: [{ id: 1, line: [{ functionId: 1, line: 3 }] }],
    function: [{ id: 1, name: st.dedup('main.main'), systemName: st.dedup('main.main'), filename: st.dedup('main.go') }],
    stringTable: st,
  });
  edit(p, st);
  return p.encode();
}

const heapT3 = new Uint8Array(readFileSync(`${LEAKY}heap_t3.pb.gz`));

describe('decodeProfile errors', () => {
  it('accepts the unbroken base profile', async () => {
    const p = await decodeProfile(encodeWith(() => {}));
    expect(p.samples.length).toBe(1);
  });

  const cases: [string, () => Uint8Array, ProfileErrorCode, RegExp][] = [
    ['empty file', () => new Uint8Array(0), 'empty', /empty/],
    ['gzip of nothing', () => gzipSync(Buffer.alloc(0)), 'empty', /inflates to nothing/],
    ['a text file', () => new TextEncoder().encode('hello, this is not a profile\nsecond line\n'), 'not-a-profile', /text file.*hello, this is not a profile/],
    ['a truncated gzip', () => heapT3.subarray(0, heapT3.length >> 1), 'truncated-gzip', /truncated or damaged/],
    ['a bad varint', () => new Uint8Array([0x48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 'corrupt-protobuf', /varint/],
    ['a length past the end', () => new Uint8Array([0x12, 0x7f, 0x01, 0x02]), 'corrupt-protobuf', /length 127 runs past the end/],
    ['a string index out of range', () => encodeWith((p) => { p.function[0]!.name = 999; }), 'invalid-profile', /string index 999 .*out of range/],
    ['reserved function ID 0', () => encodeWith((p) => { p.function[0]!.id = 0; p.location[0]!.line[0]!.functionId = 0; }), 'invalid-profile', /function with reserved ID=0/],
    ['reserved location ID 0', () => encodeWith((p) => { p.location[0]!.id = 0; }), 'invalid-profile', /location with reserved ID=0/],
    ['value count ≠ sample type count', () => encodeWith((p) => { p.sample[0]!.value = [1]; }), 'invalid-profile', /sample 0 has 1 values but the profile has 2 sample types/],
    ['a location ID that does not exist', () => encodeWith((p) => { p.sample[0]!.locationId = [99]; }), 'invalid-profile', /location ID 99, which does not exist/],
    ['a function ID that does not exist', () => encodeWith((p) => { p.location[0]!.line[0]!.functionId = 77; }), 'invalid-profile', /function ID 77, which does not exist/],
    ['two profiles concatenated', () => { const one = encodeWith((p) => { p.timeNanos = 5; }); const two = new Uint8Array(one.length * 2); two.set(one); two.set(one, one.length); return two; }, 'invalid-profile', /concatenated/],
  ];
  it.each(cases)('%s', async (_name, make, code, message) => {
    const e = await failure(make());
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    // The same from a File (which the engine reads itself, gzip streaming as it is read).
    const fromFile = await failure(new Blob([make() as Uint8Array<ArrayBuffer>]));
    expect([fromFile.code, fromFile.message]).toEqual([e.code, e.message]);
  });

  it('refuses a truncated gzip with the pako fallback too', async () => {
    const e = await failure(heapT3.subarray(0, 1000), { usePako: true });
    expect(e.code).toBe('truncated-gzip');
  });

  it('refuses a gzip bomb under a small cap (both inflaters, bytes or a file)', async () => {
    const bomb = gzipSync(Buffer.alloc(4 << 20));
    for (const usePako of [false, true]) {
      for (const input of [bomb, new Blob([bomb])]) {
        const e = await failure(input, { maxInflatedBytes: 1 << 20, usePako });
        expect(e.code).toBe('gzip-bomb');
        expect(e.message).toMatch(/more than 1 MB/);
      }
    }
  });

  it('says a file that cannot be read (moved or changed while read) could not be read, without hanging', async () => {
    const gz = gzipSync(Buffer.alloc(1 << 20, 0x68));
    // A Blob whose bytes stop coming halfway, as a File changed on disk does.
    class BrokenFile extends Blob {
      override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
        const reader = super.stream().getReader();
        let sent = 0;
        return new ReadableStream({
          async pull(controller) {
            if (sent++ > 0) return controller.error(new Error('NotReadableError: the file changed'));
            const { value } = await reader.read();
            controller.enqueue(value!);
          },
        });
      }
    }
    const e = await failure(new BrokenFile([gz]));
    expect(e.code).toBe('unreadable');
    expect(e.message).toMatch(/could not be read \(.*the file changed\)/);
  });

  it('refuses a real 1.1 GB gzip bomb with the default cap, without holding it', async () => {
    const chunks: Buffer[] = [];
    const gz = createGzip({ level: 1 });
    gz.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((r) => gz.on('end', r));
    const zeros = Buffer.alloc(64 << 20);
    for (let i = 0; i < 18; i++) gz.write(zeros);
    gz.end();
    await done;
    const bomb = Buffer.concat(chunks);
    expect(bomb.length).toBeLessThan(8 << 20);
    const e = await failure(bomb);
    expect(e.code).toBe('gzip-bomb');
    expect(e.message).toMatch(/more than 1024 MB/);
  }, 120_000);

  it('stops a bomb that is valid protobuf all the way with the cap, while streaming (both inflaters)', async () => {
    // Comment fields pointing at string 0: nothing to object to but the size.
    const comments = Buffer.alloc(4 << 20);
    for (let i = 0; i < comments.length; i += 2) comments[i] = 0x68;
    const bomb = gzipSync(comments);
    for (const usePako of [false, true]) {
      const e = await failure(bomb, { maxInflatedBytes: 1 << 20, usePako });
      expect(e.code).toBe('gzip-bomb');
    }
  });

  it('names a truncated legacy binary CPU profile', async () => {
    // Header 0, 3, 0, 10000, 0 in 64-bit words, then a sample claiming 5 frames with only 1 present.
    const words = new Uint8Array(8 * 8);
    const view = new DataView(words.buffer);
    view.setUint32(8, 3, true);
    view.setUint32(24, 10000, true);
    view.setUint32(40, 1, true);
    view.setUint32(48, 5, true);
    const e = await failure(words);
    expect(e.code).toBe('invalid-profile');
    expect(e.message).toMatch(/legacy CPU profile.*truncated/);
  });

  it('decodes folded test profiles (sanity of the helper)', async () => {
    const p = await decodeProfile(encodeFolded('main;a 3\nmain;b 4'));
    expect(p.samples.length).toBe(2);
  });
});
