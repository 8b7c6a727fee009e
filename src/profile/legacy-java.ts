// Java's legacy profiles as text (`--- heapz 1 ---`, `--- contentionz 1 ---` with `format = java`) into a
// Profile, and the `0x… function (file:line)` symbol section they (and Java's binary CPU profile) end with.

import { LegacyProfileBuilder, legacyError, parseHexAddresses, splitLines, type LegacySymbol } from './legacy-build';
import { scaleHeapSample } from './legacy-heap';
import type { Profile, ValueType } from './model';

const ATTRIBUTE = /([\w ]+)=([\w ]+)/;
const SAMPLE = / *(\d+) +(\d+) +@ +([ x0-9a-f]*)/;
const LOCATION = /^\s*0x([0-9a-fA-F]+)\s+(.*)\s*$/;
const FILE_LINE = /^(.*)\s+\((.+):(-?[0-9]+)\)$/;
const PATH = /^(.*)\s+\((.*)\)$/;
/** pprof's fixed sampling rate for Java heapz (512 KiB). */
const JAVA_HEAPZ_RATE = 524288;

/** True when the first line is Java's heapz header, or a contentionz header with a `format`/`resolution` attribute. */
export function isLegacyJavaText(head: string): boolean {
  const lines = splitLines(head);
  const first = lines[0]?.trim();
  if (first === '--- heapz 1 ---') return true;
  if (first !== '--- contentionz 1 ---') return false;
  for (let i = 1; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '') continue;
    const eq = t.indexOf('=');
    if (eq < 0) return false;
    const key = t.slice(0, eq).trim();
    if (key === 'format' || key === 'resolution') return true;
  }
  return false;
}

/**
 * Symbols of the lines from `from` on: `0xADDR function (file:line)`, `0xADDR function (lib.so path)` (file =
 * the path's base name), `… generated stub/JIT` (STUB), or `0xADDR name` (VM states such as GC). Lines of
 * another form are skipped. Line numbers ≤ 0 become 0.
 */
export function parseJavaSymbols(lines: readonly string[], from: number): Map<number, LegacySymbol> {
  const out = new Map<number, LegacySymbol>();
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const m = LOCATION.exec(line);
    if (!m) continue;
    const address = Number.parseInt(m[1]!, 16);
    const what = m[2]!;
    let sym: LegacySymbol;
    const fl = FILE_LINE.exec(what);
    const path = fl ? null : PATH.exec(what);
    if (fl) {
      const n = Number(fl[3]);
      sym = { name: fl[1]!, file: fl[2]!, line: n > 0 ? n : 0 };
    } else if (path) {
      sym = { name: path[1]!, file: path[2]!.split('/').pop() || '.', line: 0 };
    } else if (what.includes('generated stub/JIT')) {
      sym = { name: 'STUB', file: '', line: 0 };
    } else {
      sym = { name: what, file: '', line: 0 };
    }
    out.set(address, sym);
  }
  return out;
}

/**
 * Parses Java heapz / contentionz text. Samples are `<size or delay> <count> @ 0x…`; heapz values are
 * unsampled at pprof's fixed 512 KiB rate, contentionz values multiplied by the sampling period.
 */
export function parseLegacyJavaText(text: string): Profile {
  const lines = splitLines(text);
  const first = lines[0]?.trim();
  const kind = first === '--- heapz 1 ---' ? 'heap' : first === '--- contentionz 1 ---' ? 'contention' : null;
  if (kind === null) throw legacyError('Java profile', 'it does not start with "--- heapz 1 ---" or "--- contentionz 1 ---"');
  const what = `Java ${kind} profile`;
  let sampleTypes: ValueType[] = [];
  let periodType: ValueType = { type: '', unit: '' };
  let period = 0;
  let durationNanos = 0;
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const a = ATTRIBUTE.exec(line);
    if (!a) break;
    const key = a[1]!.trim();
    const value = a[2]!.trim();
    const int = () => {
      if (!/^[+-]?\d+$/.test(value)) throw legacyError(what, `the attribute "${line}" is not a number`);
      return Number(value);
    };
    switch (`${kind}/${key}`) {
      case 'heap/format':
      case 'contention/format':
        if (value !== 'java') throw legacyError(what, `format "${value}" is not java`);
        break;
      case 'heap/resolution':
        sampleTypes = [
          { type: 'inuse_objects', unit: 'count' },
          { type: 'inuse_space', unit: value },
        ];
        break;
      case 'contention/resolution':
        // Older pprof gave contentions the resolution's unit too; the pprof of the oracles counts them.
        sampleTypes = [
          { type: 'contentions', unit: 'count' },
          { type: 'delay', unit: value },
        ];
        break;
      case 'contention/sampling period':
        periodType = { type: 'contentions', unit: 'count' };
        period = int();
        break;
      case 'contention/ms since reset':
        durationNanos = int() * 1e6;
        break;
      default:
        throw legacyError(what, `the attribute "${key}" is not one pprof knows`);
    }
  }
  const samples: { values: [number, number]; addresses: number[]; blockSize: number }[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const m = SAMPLE.exec(line);
    if (!m) break;
    let count = Number(m[2]);
    let size = Number(m[1]);
    let blockSize = 0;
    if (kind === 'heap') {
      if (count === 0) throw legacyError(what, `line ${i + 1}: the count (second value) must be non-zero ("${line.slice(0, 80)}")`);
      blockSize = Math.trunc(size / count);
      [count, size] = scaleHeapSample(count, size, JAVA_HEAPZ_RATE);
    } else if (period !== 0) {
      count *= period;
      size *= period;
    }
    samples.push({ values: [count, size], addresses: parseHexAddresses(m[3]!), blockSize });
  }
  if (sampleTypes.length === 0 && samples.length > 0) throw legacyError(what, 'it has samples but no "resolution" attribute to name their types');
  const b = new LegacyProfileBuilder(sampleTypes, { blockSizeLabel: kind === 'heap' });
  for (const s of samples) b.addSample(s.values, s.addresses, false, s.blockSize);
  return b.build({ periodType, period, durationNanos, mappings: [], symbols: parseJavaSymbols(lines, i) });
}
