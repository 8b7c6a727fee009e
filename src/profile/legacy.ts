// Which legacy format some bytes hold, by content alone (never the file name), and the reader for it.

import { isLegacyContentionText, parseLegacyContentionText } from './legacy-contention';
import { isLegacyCpu, parseLegacyCpu } from './legacy-cpu';
import { isLegacyHeapText, parseLegacyHeapText } from './legacy-heap';
import { isLegacyJavaText, parseLegacyJavaText } from './legacy-java';
import { isLegacyThreadzText, parseLegacyThreadzText } from './legacy-threadz';
import type { Profile } from './model';

/** The legacy formats read here (Go's debug=1 goroutine/threadcreate counts are go-count-text's). */
export type LegacyFormat = 'cpu' | 'heap' | 'threadz' | 'contention' | 'java';

/**
 * The format of `bytes`, or null. `textHead` is the decoded start of the file when it looks like text (null
 * otherwise). Order as pprof tries its parsers: binary CPU, heap, threadz, contention, then Java (a
 * `--- contentionz 1 ---` with Java's `format`/`resolution` attributes is Java's).
 */
export function detectLegacyFormat(bytes: Uint8Array, textHead: string | null): LegacyFormat | null {
  if (isLegacyCpu(bytes)) return 'cpu';
  if (textHead === null) return null;
  const head = textHead.replace(/^\uFEFF/, '');
  if (isLegacyHeapText(head)) return 'heap';
  if (isLegacyThreadzText(head)) return 'threadz';
  if (isLegacyJavaText(head)) return 'java';
  if (isLegacyContentionText(head)) return 'contention';
  return null;
}

/** Reads a legacy profile of the given format. Throws ProfileError on malformed or truncated input. */
export function decodeLegacyProfile(bytes: Uint8Array, format: LegacyFormat): Profile {
  if (format === 'cpu') return parseLegacyCpu(bytes);
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  switch (format) {
    case 'heap':
      return parseLegacyHeapText(text);
    case 'threadz':
      return parseLegacyThreadzText(text);
    case 'contention':
      return parseLegacyContentionText(text);
    case 'java':
      return parseLegacyJavaText(text);
  }
}
