// Contention profiles as text (C++ `--- contentionz 1 ---`, Go's `?debug=1` `--- mutex:` and `--- contention:`)
// into a Profile: `attr = value` lines, then `<delay cycles> <count> @ 0x…` samples, unsampled as pprof does.

import { LegacyProfileBuilder, legacyError, parseHexAddresses, splitLines } from './legacy-build';
import { isMemoryMapTrigger, parseAdditionalSections } from './legacy-memory-map';
import type { Profile } from './model';

const HEADERS = ['--- contentionz ', '--- mutex:', '--- contention:'];
const SAMPLE = /(\d+) *(\d+) @([ x0-9a-f]*)/;

const isBlankOrComment = (line: string) => {
  const t = line.trim();
  return t === '' || t[0] === '#';
};

/** Index of the header line (the first that is not blank or a `#` comment), or -1. */
function headerLine(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) if (!isBlankOrComment(lines[i]!)) return i;
  return -1;
}

/** True when the first real line starts a contention profile. */
export function isLegacyContentionText(head: string): boolean {
  const lines = splitLines(head);
  const h = headerLine(lines);
  return h >= 0 && HEADERS.some((p) => lines[h]!.startsWith(p));
}

/**
 * Parses the text. `cycles/second` converts delays from cycles to nanoseconds, `sampling period` multiplies
 * both values (pprof: delay = cycles × period / GHz truncated, contentions = count × period), `ms since reset`
 * is the duration. Any other attribute is refused, as pprof refuses it.
 */
export function parseLegacyContentionText(text: string): Profile {
  const lines = splitLines(text);
  const h = headerLine(lines);
  if (h < 0 || !HEADERS.some((p) => lines[h]!.startsWith(p))) {
    throw legacyError('contention profile', 'it does not start with a "--- contention" or "--- mutex:" header');
  }
  let period = 1;
  let cpuHz = 0;
  let durationNanos = 0;
  let i = h + 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlankOrComment(line)) continue;
    const t = line.trim();
    if (t.startsWith('---')) break;
    const eq = t.indexOf('=');
    if (eq < 0) break;
    const key = t.slice(0, eq).trim();
    const value = t.slice(eq + 1).trim();
    const int = () => {
      const n = parseGoInt(value);
      if (n === null) throw legacyError('contention profile', `"${key}" is not a number ("${value}")`);
      return n;
    };
    switch (key) {
      case 'cycles/second':
        cpuHz = int();
        break;
      case 'sampling period':
        period = int();
        break;
      case 'ms since reset':
        durationNanos = int() * 1e6;
        break;
      case 'discarded samples':
        break;
      default:
        throw legacyError('contention profile', `the attribute "${key}" is not one pprof knows`);
    }
  }
  const b = new LegacyProfileBuilder([
    { type: 'contentions', unit: 'count' },
    { type: 'delay', unit: 'nanoseconds' },
  ]);
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlankOrComment(line)) continue;
    const t = line.trim();
    // pprof stops only at `---` (so it refuses a MAPPED_LIBRARIES: section here); either marker ends the samples.
    if (t.startsWith('---') || isMemoryMapTrigger(t)) break;
    const m = SAMPLE.exec(t);
    if (!m) throw legacyError('contention profile', `line ${i + 1} is not a contention sample ("${t.slice(0, 80)}")`);
    let delay = Number(m[1]);
    let count = Number(m[2]);
    if (period > 0) {
      // Delays are cycles: × period ÷ (cycles per ns), truncated to int64 as Go does.
      if (cpuHz > 0) delay = Math.trunc((delay * period) / (cpuHz / 1e9));
      count *= period;
    }
    b.addSample([count, delay], parseHexAddresses(m[3]!), true);
  }
  return b.build({
    periodType: { type: 'contentions', unit: 'count' },
    period,
    durationNanos,
    mappings: parseAdditionalSections(lines, i),
  });
}

/** Go's strconv.ParseInt(s, 0, 64) for the forms these files use: decimal, 0x hex, 0 octal. Null if invalid. */
function parseGoInt(s: string): number | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const body = m[2]!;
  const v = /^0[xX]/.test(body) ? Number.parseInt(body.slice(2), 16) : body.length > 1 && body[0] === '0' ? Number.parseInt(body, 8) : Number(body);
  return m[1] === '-' ? -v : v;
}
