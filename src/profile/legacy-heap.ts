// Legacy heap profiles as text (`heap profile: N: B [N: B] @ heap_v2/524288`, Go's `?debug=1` heap and allocs,
// tcmalloc's heapz/growthz/fragmentationz) into a Profile, with pprof's period and unsampling rules.

import { LegacyProfileBuilder, legacyError, parseHexAddresses, splitLines } from './legacy-build';
import { isMemoryMapTrigger, parseAdditionalSections } from './legacy-memory-map';
import type { Profile } from './model';

const HEADER = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)\/?(\d*)/;
const GROWTH = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ growthz/;
const FRAGMENTATION = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ fragmentationz/;
const SAMPLE = /(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)/;

/** True when the first line is a heap profile header pprof accepts. */
export function isLegacyHeapText(head: string): boolean {
  const first = head.split('\n', 1)[0]!;
  if (GROWTH.test(first) || FRAGMENTATION.test(first)) return true;
  const h = HEADER.exec(first);
  return h !== null && ['heapz_v2', 'heap_v2', 'heapprofile', 'heap'].includes(h[5]!);
}

/**
 * pprof's scaleHeapSample: heap_v2 samples are taken by a Poisson process of mean `rate` bytes, so a sample of
 * average size S was seen with probability 1 − e^(−S/rate); dividing by it estimates the unsampled values.
 * Go truncates the float products to int64.
 */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const scale = 1 / (1 - Math.exp(-(size / count) / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

/**
 * Parses the text. Lines that are blank or start with `#` (Go's symbol lines and its `# runtime.MemStats`
 * trailer) are skipped as pprof skips them; the trailer's lines are kept as the profile's comments.
 */
export function parseLegacyHeapText(text: string): Profile {
  const lines = splitLines(text);
  const first = lines[0] ?? '';
  let period = 1;
  let v2 = false;
  let hasAlloc = false;
  const header = HEADER.exec(first);
  if (header) {
    const n = header[6] === '' ? 0 : Number(header[6]);
    hasAlloc = (header[3] !== header[1] && header[3] !== '0') || (header[4] !== header[2] && header[4] !== '0');
    switch (header[5]) {
      case 'heapz_v2':
      case 'heap_v2':
        v2 = true;
        period = n;
        break;
      case 'heapprofile':
        period = 1;
        break;
      case 'heap':
        // Go writes 2 × MemProfileRate after `heap/`; pprof halves it.
        v2 = true;
        period = Math.trunc(n / 2);
        break;
      default:
        throw legacyError('heap profile', `"@ ${header[5]}" is not a heap profile kind pprof knows`);
    }
  } else if (!GROWTH.test(first) && !FRAGMENTATION.test(first)) {
    throw legacyError('heap profile', 'the first line is not a heap profile header');
  }
  const b = new LegacyProfileBuilder(
    hasAlloc
      ? [
          { type: 'alloc_objects', unit: 'count' },
          { type: 'alloc_space', unit: 'bytes' },
          { type: 'inuse_objects', unit: 'count' },
          { type: 'inuse_space', unit: 'bytes' },
        ]
      : [
          { type: 'objects', unit: 'count' },
          { type: 'space', unit: 'bytes' },
        ],
    { blockSizeLabel: true },
  );
  const comments: string[] = [];
  const values: number[] = [];
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    // The first non-blank character decides: blank and `#` lines are skipped (no trim: this loop is the hot one).
    let k = 0;
    while (k < line.length && (line.charCodeAt(k) === 32 || line.charCodeAt(k) === 9)) k++;
    if (k === line.length) continue;
    if (line.charCodeAt(k) === 35) {
      if (comments.length > 0 || line.startsWith('# runtime.MemStats', k)) comments.push(line);
      continue;
    }
    if (isMemoryMapTrigger(line)) break;
    const m = SAMPLE.exec(line);
    if (!m) throw legacyError('heap profile', `line ${i + 1} is not a heap sample ("${line.trim().slice(0, 80)}")`);
    values.length = 0;
    let blockSize = 0;
    for (let part = hasAlloc ? 0 : 1; part < 2; part++) {
      // Alloc (bracketed) values first, then inuse, as pprof orders the sample types.
      let count = Number(m[part === 0 ? 3 : 1]);
      let size = Number(m[part === 0 ? 4 : 2]);
      if (count === 0 && size !== 0) {
        const label = part === 0 ? 'allocation' : 'inuse';
        throw legacyError('heap profile', `line ${i + 1}: ${label} count is 0 but ${label} bytes is ${size}`);
      }
      if (count !== 0) {
        blockSize = Math.trunc(size / count);
        if (v2) [count, size] = scaleHeapSample(count, size, period);
      }
      values.push(count, size);
    }
    b.addSample(values, parseHexAddresses(m[5]!), true, blockSize);
  }
  return b.build({
    periodType: { type: 'space', unit: 'bytes' },
    period,
    mappings: parseAdditionalSections(lines, i),
    comments,
  });
}
