// The memory map that may follow a legacy profile (`--- Memory map: ---` or `MAPPED_LIBRARIES:`), read as pprof
// does: /proc/self/maps lines (executable ones only) or the brief `start-limit: file [… @offset]` form.

import type { LegacyMapping } from './legacy-build';

const TRIGGERS = ['--- Memory map: ---', 'MAPPED_LIBRARIES:'];

/** True when a line starts the memory map section (pprof looks for the marker anywhere in the line). */
export function isMemoryMapTrigger(line: string): boolean {
  return TRIGGERS.some((t) => line.includes(t));
}

const PROC_MAPS = /([0-9a-fA-F]+)-([0-9a-fA-F]+)\s+([-rwxp]+)\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]+):([0-9a-fA-F]+)\s+([0-9]+)\s*(\S+)?/;
const BRIEF_MAPS = /\s*([0-9a-fA-F]+)-([0-9a-fA-F]+):\s*(\S+)(\s.*@)?([0-9a-fA-F]+)?/;

const hex = (s: string) => Number.parseInt(s, 16);

/** One map line as a mapping; null for a non-executable /proc line; undefined when the line is no mapping. */
function parseMappingLine(line: string): LegacyMapping | null | undefined {
  const p = PROC_MAPS.exec(line);
  if (p) {
    if (!p[3]!.includes('x')) return null;
    return { start: hex(p[1]!), limit: hex(p[2]!), offset: hex(p[4]!), file: p[8] ?? '' };
  }
  const b = BRIEF_MAPS.exec(line);
  if (b) return { start: hex(b[1]!), limit: hex(b[2]!), offset: b[5] ? hex(b[5]) : 0, file: b[3]! };
  return undefined;
}

/**
 * Mappings from `lines[from..]`. As pprof's ParseProcMaps: blank and unknown lines are skipped; an unknown
 * `attr = value` line makes `$attr` stand for `value` in the lines after it.
 */
export function parseMemoryMap(lines: readonly string[], from: number): LegacyMapping[] {
  const out: LegacyMapping[] = [];
  const attrs: [string, string][] = [];
  let replace: RegExp | null = null;
  for (let i = from; i < lines.length; i++) {
    let line = lines[i]!.trim();
    if (line === '') continue;
    if (replace) {
      const table = new Map(attrs);
      line = line.replace(replace, (k) => table.get(k) ?? k);
    }
    const m = parseMappingLine(line);
    if (m === undefined) {
      const eq = line.indexOf('=');
      if (eq >= 0) {
        const key = `$${line.slice(0, eq).trim()}`;
        if (!attrs.some(([k]) => k === key)) attrs.push([key, line.slice(eq + 1).trim()]);
        replace = new RegExp(attrs.map(([k]) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
      }
      continue;
    }
    if (m) out.push(m);
  }
  return out;
}

/** pprof's parseAdditionalSections: skips to the memory map marker (if any) and reads the map after it. */
export function parseAdditionalSections(lines: readonly string[], from: number): LegacyMapping[] {
  for (let i = from; i < lines.length; i++) {
    if (isMemoryMapTrigger(lines[i]!)) return parseMemoryMap(lines, i + 1);
  }
  return [];
}
