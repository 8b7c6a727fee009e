// Pure helpers of the goroutine view: state colours (colour-blind-safe), wait ranges, short file names.

/**
 * Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), by what a state means.
 * The bar is never the only carrier: the legend lists every state with its count in text.
 */
const STATE_COLORS: [RegExp, string][] = [
  [/^chan send/, '#D55E00'],
  [/^chan receive/, '#0072B2'],
  [/^select/, '#E69F00'],
  [/^(semacquire|sync\.|sync |Mutex|RWMutex)/i, '#CC79A7'],
  [/^IO wait/, '#56B4E9'],
  [/^(running|runnable)/, '#009E73'],
  [/^syscall/, '#F0E442'],
  [/^sleep/, '#999999'],
];
const OTHER_COLOR = '#6b6b6b';

/** The colour of a printed state (`chan receive, locked to thread` shares `chan receive`'s). */
export function stateColor(state: string): string {
  for (const [rx, color] of STATE_COLORS) if (rx.test(state)) return color;
  return OTHER_COLOR;
}

/** True for states printed with `locked to thread` (drawn hatched). */
export function isLockedState(state: string): boolean {
  return state.endsWith(', locked to thread');
}

/** `-1, -1` → '' ; `5, 5` → `5 min`; `3, 12` → `3–12 min`. */
export function formatWaitRange(min: number, max: number): string {
  if (max < 0) return '';
  return min === max ? `${max} min` : `${min}–${max} min`;
}

/** `fixturegen/cmd/leakyserver/server.go`, 224 → `server.go:224`; no file → ''. */
export function formatShortLocation(file: string, line: number): string {
  if (file === '') return '';
  return `${file.slice(file.lastIndexOf('/') + 1)}:${line}`;
}

/** A signed count: `+2750`, `-3`, `0`. */
export function formatDelta(delta: number): string {
  return delta > 0 ? `+${delta}` : String(delta);
}

/** Percent of a total with one decimal, for the state bar's widths and titles. */
export function formatShare(count: number, total: number): string {
  return total > 0 ? `${((count / total) * 100).toFixed(1)}%` : '0%';
}
