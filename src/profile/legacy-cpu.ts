// The legacy binary CPU profile (gperftools' profilez; Go before 1.9): words of 32 or 64 bits in either byte
// order — header 0, 3, 0|1 (C++|Java), period µs, 0; samples `count, depth, pc…`; end `0, 1, 0`; then text
// (a memory map, or Java's symbols) — into a Profile with pprof's frame clean-ups.

import { LegacyProfileBuilder, legacyError, splitLines } from './legacy-build';
import { parseJavaSymbols } from './legacy-java';
import { parseMemoryMap } from './legacy-memory-map';
import type { Profile } from './model';

interface WordReader {
  size: 4 | 8;
  read(view: DataView, at: number): number;
}

// pprof's order of trial: 32-bit little, 32-bit big, 64-bit little, 64-bit big. 64-bit words above 2^53
// (kernel addresses) are rounded to the nearest double, as addresses are everywhere in the model.
const READERS: WordReader[] = [
  { size: 4, read: (v, at) => v.getUint32(at, true) },
  { size: 4, read: (v, at) => v.getUint32(at, false) },
  { size: 8, read: (v, at) => v.getUint32(at + 4, true) * 2 ** 32 + v.getUint32(at, true) },
  { size: 8, read: (v, at) => v.getUint32(at, false) * 2 ** 32 + v.getUint32(at + 4, false) },
];

/** The word format and kind when the bytes start with a legacy CPU header, else null. */
function readHeader(bytes: Uint8Array): { reader: WordReader; java: boolean; periodMicros: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const reader of READERS) {
    if (bytes.length < reader.size * 5) continue;
    const w = (i: number) => reader.read(view, i * reader.size);
    if (w(0) === 0 && w(1) === 3 && (w(2) === 0 || w(2) === 1) && w(3) > 0 && w(4) === 0) {
      return { reader, java: w(2) === 1, periodMicros: w(3) };
    }
  }
  return null;
}

/** True when the bytes start with a legacy CPU profile header (in any of the four word formats). */
export function isLegacyCpu(bytes: Uint8Array): boolean {
  return readHeader(bytes) !== null;
}

/**
 * Parses the profile. C++ samples get pprof's clean-ups: caller addresses −1; a second frame shared by
 * nearly all samples (the signal handler's) removed, up to twice; a leaf duplicated as `leaf − 1` removed.
 * A sample running past the end of the bytes is refused as truncated.
 */
export function parseLegacyCpu(bytes: Uint8Array): Profile {
  const header = readHeader(bytes);
  if (!header) throw legacyError('legacy CPU profile', 'its header is not 0, 3, 0|1, period, 0');
  const { reader, java } = header;
  const size = reader.size;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const period = header.periodMicros * 1000;
  const counts: number[] = [];
  const stacks: number[][] = [];
  let at = size * 5;
  while (at < bytes.length) {
    if (at + 2 * size > bytes.length) throw truncated(stacks.length);
    const count = reader.read(view, at);
    const depth = reader.read(view, at + size);
    at += 2 * size;
    if (depth * size > bytes.length - at) throw truncated(stacks.length);
    const stack: number[] = new Array(depth);
    for (let i = 0; i < depth; i++, at += size) {
      const a = reader.read(view, at);
      stack[i] = !java && i > 0 ? a - 1 : a;
    }
    if (count === 0 && depth === 1 && stack[0] === 0) break; // the end-of-data record
    counts.push(count);
    stacks.push(stack);
  }
  if (!java) removeHandlerFrames(stacks);
  const b = new LegacyProfileBuilder([
    { type: 'samples', unit: 'count' },
    { type: 'cpu', unit: 'nanoseconds' },
  ]);
  for (let s = 0; s < stacks.length; s++) b.addSample([counts[s]!, counts[s]! * period], stacks[s]!, false);
  const lines = splitLines(new TextDecoder().decode(bytes.subarray(at)));
  return b.build({
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period,
    mappings: java ? [] : parseMemoryMap(lines, 0),
    symbols: java ? parseJavaSymbols(lines, 0) : undefined,
  });
}

function truncated(sample: number) {
  return legacyError('legacy CPU profile', `it is truncated or corrupt (sample ${sample + 1} runs past the end of the file)`);
}

/** pprof's cpuProfile clean-ups, in place (see parseLegacyCpu). */
function removeHandlerFrames(stacks: number[][]): void {
  const margin = Math.floor(stacks.length / 32);
  for (let iter = 0; iter < 2; iter++) {
    const seen = new Map<number, number>();
    for (const s of stacks) if (s.length > 1) seen.set(s[1]!, (seen.get(s[1]!) ?? 0) + 1);
    for (const [address, n] of seen) {
      if (n >= stacks.length - margin) {
        for (const s of stacks) if (s.length > 1 && s[1] === address) s.splice(1, 1);
        break;
      }
    }
  }
  for (const s of stacks) if (s.length > 1 && s[0] === s[1]! + 1) s.splice(1, 1);
}
