// Thread profiles as text (`--- threadz 1 ---`, then `--- Thread … stack: ---` blocks) into a thread/count
// Profile: one sample per thread, every `0x…` of the block (PC and creator lines alike) in its stack, as pprof.

import { LegacyProfileBuilder, legacyError, parseHexAddresses, splitLines } from './legacy-build';
import { isMemoryMapTrigger, parseAdditionalSections } from './legacy-memory-map';
import type { Profile } from './model';

const THREADZ = /--- threadz \d+ ---/;
const THREAD = /--- Thread ([0-9a-fA-F]+) \(name: (.*)\/(\d+)\) stack: ---/;

const isBlankOrComment = (line: string) => {
  const t = line.trim();
  return t === '' || t[0] === '#';
};

function firstLine(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) if (!isBlankOrComment(lines[i]!)) return i;
  return -1;
}

/** True when the first real line is a threadz header or a thread's stack header. */
export function isLegacyThreadzText(head: string): boolean {
  const lines = splitLines(head);
  const h = firstLine(lines);
  return h >= 0 && (THREADZ.test(lines[h]!) || THREAD.test(lines[h]!));
}

/**
 * Parses the text. `[same as previous thread]` adds one to the previous sample. Unlike pprof, a file that
 * ends without a memory map or `---- no stack trace for` line is accepted (pprof refuses it).
 */
export function parseLegacyThreadzText(text: string): Profile {
  const lines = splitLines(text);
  let i = firstLine(lines);
  if (i < 0) throw legacyError('thread profile', 'it holds no threadz header');
  if (THREADZ.test(lines[i]!)) {
    // Skip comments up to the first thread (or section) header.
    for (i++; i < lines.length; i++) {
      const l = lines[i]!;
      if (isMemoryMapTrigger(l) || l[0] === '-') break;
    }
  } else if (!THREAD.test(lines[i]!)) {
    throw legacyError('thread profile', 'it holds no threadz header');
  }
  const b = new LegacyProfileBuilder([{ type: 'thread', unit: 'count' }]);
  while (i < lines.length && !isMemoryMapTrigger(lines[i]!)) {
    const header = lines[i]!.trim();
    if (header.startsWith('---- no stack trace for')) {
      i = lines.length;
      break;
    }
    if (!THREAD.test(header)) throw legacyError('thread profile', `line ${i + 1} is not a thread header ("${header.slice(0, 80)}")`);
    const addresses: number[] = [];
    let same = false;
    for (i++; i < lines.length; i++) {
      const l = lines[i]!.trim();
      if (l === '') continue;
      if (l.startsWith('---')) break;
      if (l.includes('same as previous thread')) {
        same = true;
        continue;
      }
      addresses.push(...parseHexAddresses(l));
    }
    if (same || addresses.length === 0) b.bumpLast();
    else b.addSample([1], addresses, true);
  }
  return b.build({
    periodType: { type: 'thread', unit: 'count' },
    period: 1,
    mappings: parseAdditionalSections(lines, i),
  });
}
