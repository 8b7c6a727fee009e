// The legacy readers one by one: what each takes from its text or words, pprof's rules, and clear errors.

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../src/profile/decode';
import { ProfileError } from '../../src/profile/errors';
import { detectLegacyFormat } from '../../src/profile/legacy';
import { isLegacyContentionText, parseLegacyContentionText } from '../../src/profile/legacy-contention';
import { isLegacyCpu, parseLegacyCpu } from '../../src/profile/legacy-cpu';
import { isLegacyHeapText, parseLegacyHeapText, scaleHeapSample } from '../../src/profile/legacy-heap';
import { isLegacyJavaText, parseLegacyJavaText } from '../../src/profile/legacy-java';
import { parseMemoryMap } from '../../src/profile/legacy-memory-map';
import { isLegacyThreadzText, parseLegacyThreadzText } from '../../src/profile/legacy-threadz';
import type { Profile } from '../../src/profile/model';
import { CORPUS } from '../helpers/fixtures';

const PPROF = `${CORPUS}pprof/profile/testdata/`;
const GENERATED = `${CORPUS}generated-go1.19/`;
const text = (path: string) => readFileSync(path, 'utf8');

/** Stack of sample `s` as location addresses, leaf first. */
function stackAddresses(p: Profile, s: number): number[] {
  const out: number[] = [];
  for (let k = p.samples.stackStart[s]!; k < p.samples.stackStart[s + 1]!; k++) out.push(p.locations.address[p.samples.stack[k]!]!);
  return out;
}

function mappingFileOf(p: Profile, loc: number): string {
  const m = p.locations.mapping[loc]!;
  return m < 0 ? '(none)' : p.strings[p.mappings.filename[m]!]!;
}

function expectProfileError(f: () => unknown, message: RegExp): void {
  let error: unknown = null;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ProfileError);
  expect((error as ProfileError).message).toMatch(message);
}

describe('legacy heap text', () => {
  it.each([
    ['heap profile: 1: 2 [3: 4] @ heap_v2/524288', true],
    ['heap profile:    144:  8498176 [   144:  8498176] @ heapz_v2/524288', true],
    ['heap profile: 673: 22903296 [680: 23025088] @ heap/8192', true],
    ['heap profile: 1: 2 [1: 2] @ heapprofile', true],
    ['heap profile: 85: 178257920 [ 85: 178257920] @ growthz', true],
    ['heap profile: 85: 178257920 [ 85: 178257920] @ fragmentationz', true],
    ['heap profile: 1: 2 [3: 4] @ heapish/2', false],
    ['goroutine profile: total 3', false],
  ])('recognises %j: %s', (header, ok) => {
    expect(isLegacyHeapText(`${header}\n`)).toBe(ok);
  });

  it('heapprofile: values as written, inuse only when alloc equals inuse, callers moved back by one', () => {
    const p = parseLegacyHeapText('heap profile: 3: 96 [3: 96] @ heapprofile\n3: 96 [3: 96] @ 0x1000 0x2000 0x3000\n');
    expect(p.sampleTypes.map((t) => t.type)).toEqual(['objects', 'space']);
    expect([p.samples.values[0]![0], p.samples.values[1]![0]]).toEqual([3, 96]);
    expect(stackAddresses(p, 0)).toEqual([0x1000, 0x2000 - 1, 0x3000 - 1]);
    expect(p.period).toBe(1);
    // The block size (96 / 3) is the `bytes` numeric label.
    expect(p.strings[p.labels.key[0]!]).toBe('bytes');
    expect(p.labels.num[0]).toBe(96 / 3);
  });

  it('heap_v2/N: alloc and inuse both unsampled at rate N', () => {
    const rate = 524288;
    const p = parseLegacyHeapText(`heap profile: 1: 1024 [5: 4096] @ heap_v2/${rate}\n1: 1024 [5: 4096] @ 0xa\n`);
    expect(p.sampleTypes.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(p.period).toBe(rate);
    const [ac, as] = scaleHeapSample(5, 4096, rate);
    const [ic, is] = scaleHeapSample(1, 1024, rate);
    expect([0, 1, 2, 3].map((t) => p.samples.values[t]![0])).toEqual([ac, as, ic, is]);
    // Unsampling divides by the chance of being sampled, 1 − e^(−size/rate): it only ever grows values.
    expect(is).toBeGreaterThan(1024);
    expect(Math.abs(is - 1024 / (1 - Math.exp(-1024 / rate)))).toBeLessThan(1); // Go truncates to int64
  });

  it('heap/N is Go\'s 2 × MemProfileRate: the period is N / 2', () => {
    const src = text(`${GENERATED}heap.debug1.txt`);
    const n = Number(/@ heap\/(\d+)/.exec(src)![1]);
    expect(parseLegacyHeapText(src).period).toBe(n / 2);
  });

  it('keeps the # runtime.MemStats trailer as comments (not printed: they start with #)', () => {
    const src = text(`${GENERATED}heap.debug1.txt`);
    const trailer = src.slice(src.indexOf('# runtime.MemStats')).split('\n').filter((l) => l.startsWith('#'));
    const p = parseLegacyHeapText(src);
    expect(trailer.length).toBeGreaterThan(5);
    expect(p.comments).toEqual(trailer);
  });

  it('reads the memory map: locations get their mapping, the main binary comes first, the rest a catch-all', () => {
    const p = parseLegacyHeapText(
      [
        'heap profile: 2: 64 [2: 64] @ heapprofile',
        '1: 32 [1: 32] @ 0x7f0000001000 0x500001',
        '1: 32 [1: 32] @ 0x900000',
        '--- Memory map: ---',
        '  7f0000000000-7f0000100000: /lib/libc.so.6',
        '  00400000-00800000: /srv/app',
      ].join('\n'),
    );
    expect(p.strings[p.mappings.filename[0]!]).toBe('/srv/app');
    const byAddress = new Map(Array.from(p.locations.address, (a, l) => [a, mappingFileOf(p, l)]));
    expect(byAddress.get(0x7f0000001000)).toBe('/lib/libc.so.6');
    expect(byAddress.get(0x500000)).toBe('/srv/app');
    expect(byAddress.get(0x900000)).toBe('');
  });

  it.each([
    ['a cut sample line', 'heap profile: 1: 2 [1: 2] @ heapprofile\n1: 2 [1', /line 2 is not a heap sample/],
    ['a count of 0 with bytes', 'heap profile: 1: 2 [1: 2] @ heapprofile\n0: 2 [0: 0] @ 0x1\n', /inuse count is 0 but inuse bytes is 2/],
    ['an unknown kind', 'heap profile: 1: 2 [1: 2] @ heapz/4\n', /"@ heapz" is not a heap profile kind/],
  ])('refuses %s', (_name, src, message) => {
    expectProfileError(() => parseLegacyHeapText(src), message);
  });
});

describe('legacy contention text', () => {
  it('recognises C++ and Go headers after comments', () => {
    expect(isLegacyContentionText('--- contentionz 1 ---\n')).toBe(true);
    expect(isLegacyContentionText('# comment\n--- mutex:\ncycles/second=1\n')).toBe(true);
    expect(isLegacyContentionText('--- contention:\n')).toBe(true);
    expect(isLegacyContentionText('--- threadz 1 ---\n')).toBe(false);
  });

  it('Go mutex: delay = cycles × period ÷ GHz (truncated), contentions = count × period', () => {
    const src = text(`${GENERATED}mutex.debug1.txt`);
    const hz = Number(/cycles\/second=(\d+)/.exec(src)![1]);
    const period = Number(/sampling period=(\d+)/.exec(src)![1]);
    const [, cycles, count] = /^(\d+) (\d+) @/m.exec(src)!.map(Number);
    const p = parseLegacyContentionText(src);
    expect(p.sampleTypes).toEqual([{ type: 'contentions', unit: 'count' }, { type: 'delay', unit: 'nanoseconds' }]);
    expect(p.samples.values[0]![0]).toBe(count! * period);
    expect(p.samples.values[1]![0]).toBe(Math.trunc((cycles! * period) / (hz / 1e9)));
  });

  it('C++ contentionz: sampling period and ms since reset', () => {
    const src = text(`${PPROF}cppbench.contention`);
    const period = Number(/sampling period = (\d+)/.exec(src)![1]);
    const ms = Number(/ms since reset = (\d+)/.exec(src)![1]);
    const first = /^\s*(\d+)\s+(\d+) @/m.exec(src)!;
    const p = parseLegacyContentionText(src);
    expect(p.period).toBe(period);
    expect(p.durationNanos).toBe(ms * 1e6);
    expect(p.samples.values[0]![0]).toBe(Number(first[2]) * period);
    expect(p.mappings.length).toBeGreaterThan(1);
  });

  it.each([
    ['an unknown attribute', '--- contentionz 1 ---\nfoo = 3\n', /attribute "foo"/],
    ['a bad number', '--- contention:\ncycles/second=fast\n', /"cycles\/second" is not a number/],
    ['a cut sample', '--- contention:\ncycles/second=1000\n12 0x1\n', /line 3 is not a contention sample/],
  ])('refuses %s', (_name, src, message) => {
    expectProfileError(() => parseLegacyContentionText(src), message);
  });
});

describe('legacy threadz text', () => {
  it('one sample per thread; "same as previous thread" adds to the one before', () => {
    const src = text(`${PPROF}cppbench.thread`);
    const threads = src.match(/^--- Thread /gm)!.length;
    const same = src.match(/same as previous thread/g)!.length;
    const p = parseLegacyThreadzText(src);
    expect(isLegacyThreadzText(src)).toBe(true);
    expect(p.samples.length).toBe(threads - same);
    expect(p.samples.values[0]!.reduce((a, b) => a + b, 0)).toBe(threads);
  });

  it('takes every 0x… of the block, creator lines included', () => {
    const p = parseLegacyThreadzText('--- threadz 1 ---\n--- Thread 1 (name: a/1) stack: ---\n  PC: 0x10 0x20\n  creator: 0x30\n');
    expect(stackAddresses(p, 0)).toEqual([0x10, 0x1f, 0x2f]);
  });

  it('refuses a block that is not a thread header', () => {
    expectProfileError(() => parseLegacyThreadzText('--- threadz 1 ---\n--- Thraed 1 ---\n  PC: 0x10\n'), /line 2 is not a thread header/);
  });
});

/** Legacy CPU words: header, samples (count, pcs leaf first), end marker, then text. */
function cpuBytes(size: 4 | 8, littleEndian: boolean, periodMicros: number, samples: [number, number[]][], tail = '', java = false): Uint8Array {
  const words = [0, 3, java ? 1 : 0, periodMicros, 0];
  for (const [count, pcs] of samples) words.push(count, pcs.length, ...pcs);
  words.push(0, 1, 0);
  const tailBytes = new TextEncoder().encode(tail);
  const out = new Uint8Array(words.length * size + tailBytes.length);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => {
    if (size === 4) view.setUint32(i * 4, w, littleEndian);
    else view.setBigUint64(i * 8, BigInt(w), littleEndian);
  });
  out.set(tailBytes, words.length * size);
  return out;
}

describe('legacy binary CPU profile', () => {
  it.each([
    [4, true],
    [4, false],
    [8, true],
    [8, false],
  ] as const)('reads %i-byte words, little-endian %s', (size, le) => {
    const bytes = cpuBytes(size, le, 10000, [
      [3, [0x400100, 0x400200]],
      [2, [0x400300, 0x400400]],
    ]);
    expect(isLegacyCpu(bytes)).toBe(true);
    const p = parseLegacyCpu(bytes);
    expect(p.period).toBe(10000 * 1000);
    expect(p.periodType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(Array.from(p.samples.values[0]!)).toEqual([3, 2]);
    expect(Array.from(p.samples.values[1]!)).toEqual([3 * 10000 * 1000, 2 * 10000 * 1000]);
    expect(stackAddresses(p, 0)).toEqual([0x400100, 0x400200 - 1]);
  });

  it('drops the second frame nearly every sample shares (the signal handler) and a duplicated leaf', () => {
    const handler = 0x7000;
    const samples: [number, number[]][] = Array.from({ length: 40 }, (_, i) => [1, [0x1000 + i * 16, handler, 0x9000 + i * 16]]);
    samples.push([1, [0x2001, 0x2000 + 1, 0x9000]]); // leaf, then leaf again as a return address
    const p = parseLegacyCpu(cpuBytes(8, true, 100, samples));
    for (let s = 0; s < 40; s++) expect(stackAddresses(p, s)).toEqual([0x1000 + s * 16, 0x9000 + s * 16 - 1]);
    expect(stackAddresses(p, 40)).toEqual([0x2001, 0x9000 - 1]);
  });

  it('reads the memory map after the end marker', () => {
    const p = parseLegacyCpu(cpuBytes(8, true, 100, [[1, [0x400100]]], '\n00400000-00500000: /bin/app\n'));
    expect(p.strings[p.mappings.filename[0]!]).toBe('/bin/app');
    expect(mappingFileOf(p, 0)).toBe('/bin/app');
  });

  it('Java CPU (third word 1): addresses are named from the symbol lines and not adjusted', () => {
    const p = parseLegacyCpu(cpuBytes(4, true, 10000, [[1, [0x1, 0x2]]], '\n0x00000001 com.a.B.run (B.java:12)\n0x00000002 GC\n', true));
    const names = Array.from(p.lines.function, (f) => p.strings[p.functions.name[f]!]);
    expect(names).toEqual(['com.a.B.run', 'GC']);
    expect(Array.from(p.lines.line)).toEqual([12, 0]);
    expect(Array.from(p.locations.address)).toEqual([0, 0]);
  });

  it('refuses a sample that runs past the end', () => {
    const bytes = cpuBytes(8, true, 100, [[1, [0x1, 0x2, 0x3]]]);
    expectProfileError(() => parseLegacyCpu(bytes.subarray(0, 8 * 8)), /truncated/);
  });

  it('corpus files: the sample count read from the words', () => {
    const bytes = new Uint8Array(readFileSync(`${PPROF}cppbench.cpu`));
    const p = parseLegacyCpu(bytes);
    expect(p.samples.length).toBeGreaterThan(0);
    expect(p.strings[p.mappings.filename[0]!]).toMatch(/cppbench_server_main/);
  });
});

describe('legacy Java heapz / contentionz text', () => {
  it('java.heap: types from `resolution`, functions named from the symbol section', () => {
    const src = text(`${PPROF}java.heap`);
    const p = parseLegacyJavaText(src);
    expect(isLegacyJavaText(src)).toBe(true);
    expect(p.sampleTypes).toEqual([{ type: 'inuse_objects', unit: 'count' }, { type: 'inuse_space', unit: /resolution = (\w+)/.exec(src)![1] }]);
    expect(p.samples.length).toBe(src.match(/^\s*\d+\s+\d+ @/gm)!.length);
    expect(p.functions.length).toBeGreaterThan(0);
  });

  it('java.contention is Java\'s (format = java), not C++ contentionz', () => {
    const src = text(`${PPROF}java.contention`);
    expect(detectLegacyFormat(new TextEncoder().encode(src), src)).toBe('java');
    const period = Number(/sampling period = (\d+)/.exec(src)![1]);
    const first = /^\s*(\d+)\s+(\d+) @/m.exec(src)!;
    const p = parseLegacyJavaText(src);
    expect(p.samples.values[0]![0]).toBe(Number(first[2]) * period);
    expect(p.samples.values[1]![0]).toBe(Number(first[1]) * period);
  });

  it('refuses a heapz sample with a zero count (the pprof fuzz crasher)', () => {
    const src = text(`${CORPUS}pprof/fuzz/testdata/7e3c92482f6f39fc502b822ded792c589849cca8`);
    expectProfileError(() => parseLegacyJavaText(src), /count \(second value\) must be non-zero/);
  });

  it('refuses another format', () => {
    expectProfileError(() => parseLegacyJavaText('--- heapz 1 ---\nformat = cpp\n'), /format "cpp" is not java/);
  });
});

describe('memory map lines', () => {
  it('reads /proc/self/maps (executable lines only) and the brief form with @offset (no space before the hex)', () => {
    const maps = parseMemoryMap(
      [
        '00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/dbus-daemon',
        '00651000-00652000 r--p 00051000 08:02 173521      /usr/bin/dbus-daemon',
        '7f00-8f00: /lib/x.so @1000',
      ],
      0,
    );
    expect(maps).toEqual([
      { start: 0x400000, limit: 0x452000, offset: 0, file: '/usr/bin/dbus-daemon' },
      { start: 0x7f00, limit: 0x8f00, offset: 0x1000, file: '/lib/x.so' },
    ]);
  });
});

describe('MAPPED_LIBRARIES sections', () => {
  it('after a contention profile: /proc lines with a $attr substitution, non-executable lines skipped', () => {
    const p = parseLegacyContentionText(
      [
        '--- contention:',
        'cycles/second=1000000000',
        '5 1 @ 0x401000 0x7f0000002001',
        'MAPPED_LIBRARIES:',
        'dir = /opt/app',
        '00400000-00500000 r-xp 00000000 08:01 1 $dir/server',
        '00500000-00600000 rw-p 00100000 08:01 1 $dir/server',
        '7f0000000000-7f0000100000 r-xp 00000000 08:01 2 /lib/libc.so.6',
      ].join('\n'),
    );
    expect(Array.from(p.mappings.filename, (f) => p.strings[f])).toEqual(['/opt/app/server', '/lib/libc.so.6']);
    expect([mappingFileOf(p, 0), mappingFileOf(p, 1)]).toEqual(['/opt/app/server', '/lib/libc.so.6']);
  });
});

describe('decode sniffs legacy formats by content', () => {
  it.each([
    ['heap', `${GENERATED}heap.debug1.txt`],
    ['contention', `${PPROF}cppbench.contention`],
    ['threadz', `${PPROF}cppbench.thread`],
    ['cpu', `${PPROF}gobench.cpu`],
    ['java', `${PPROF}java.heap`],
  ])('%s, also gzip-compressed', async (_format, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const plain = await decodeProfile(bytes);
    const gz = await decodeProfile(new Uint8Array(gzipSync(bytes)));
    expect(plain.samples.length).toBeGreaterThan(0);
    expect(Array.from(gz.samples.values.at(-1)!)).toEqual(Array.from(plain.samples.values.at(-1)!));
  });

  it('text that is none of them is still "not a profile"', async () => {
    await expect(decodeProfile(new TextEncoder().encode('--- something else ---\n1 @ 0x1\n'))).rejects.toThrow(/Not a pprof profile/);
  });
});

describe('cut or corrupted legacy files', () => {
  const files = [
    `${PPROF}cppbench.heap`,
    `${PPROF}gobench.heap`,
    `${PPROF}cppbench.growth`,
    `${PPROF}cppbench.contention`,
    `${PPROF}cppbench.thread`,
    `${PPROF}cppbench.thread.none`,
    `${PPROF}cppbench.cpu`,
    `${PPROF}java.cpu`,
    `${PPROF}java.heap`,
    `${PPROF}java.contention`,
    `${GENERATED}mutex.debug1.txt`,
    `${GENERATED}heap.debug1.txt`,
  ];
  it.each(files.map((f) => [f.slice(CORPUS.length), f]))('%s: every cut decodes or fails with a ProfileError', async (_n, f) => {
    const bytes = new Uint8Array(readFileSync(f));
    // 40 cut points spread over the file, plus flipped bytes at the same points.
    for (let k = 1; k <= 40; k++) {
      const at = Math.floor((bytes.length * k) / 41);
      const flipped = bytes.slice();
      flipped[at] = flipped[at]! ^ 0x5a;
      for (const input of [bytes.subarray(0, at), flipped]) {
        try {
          const p = await decodeProfile(input);
          expect(p.samples.stackStart.length).toBe(p.samples.length + 1);
        } catch (e) {
          expect(e, `${f} at ${at}: ${String(e)}`).toBeInstanceOf(ProfileError);
        }
      }
    }
  });
});

describe('legacy text that is not all UTF-8', () => {
  it('a Java heapz with Latin-1 bytes in a symbol line opens, plain and gzip-compressed', async () => {
    const src = new Uint8Array(readFileSync(`${PPROF}java.heap`));
    const at = new TextDecoder().decode(src).indexOf('com.example');
    const latin = src.slice();
    // Ten 0xe9 bytes ("é" in Latin-1): invalid UTF-8, more than the text test tolerates in the first KiB.
    latin.set(new Uint8Array(10).fill(0xe9), Math.min(at, 900));
    for (const input of [latin, new Uint8Array(gzipSync(latin))]) {
      const p = await decodeProfile(input);
      expect(p.sampleTypes.map((t) => t.type)).toEqual(['inuse_objects', 'inuse_space']);
    }
  });
});
