// The Labels panel's actions: pprof's tagfocus/tagignore expression for one label value, and the refine change.

import { parseTagRange } from '../../profile/filter';
import type { RefineOptions } from '../../report/refine';
import { escapeRegExp } from '../shared/refine-actions';

/** What a click on a label value does: focus on its samples, or ignore them. */
export type TagAction = 'tagFocus' | 'tagIgnore';

/** One value of a label key as the tags report gives it (numeric values: the raw range and the key's unit). */
export interface TagTarget {
  key: string;
  name: string;
  numMin?: number;
  numMax?: number;
  unit?: string;
}

/**
 * pprof's tag filter matching exactly this value of this key, or null when pprof's syntax cannot name it
 * (an empty key, or one holding `=`, which pprof splits on). String labels: `key=^value$`, a Go regexp with
 * the value escaped and commas written `\x2c` (pprof splits the expression on commas). Numeric labels: the
 * value or the range of values printed alike, `key=1536bytes` or `key=1536bytes:1537bytes`, in the key's unit;
 * a unit that is not one word of letters cannot be written there, and is left out (the bounds are then
 * compared with the label's value unscaled, which is what it is in its own unit).
 */
export function formatTagFilter(target: TagTarget): string | null {
  const { key, numMin, numMax } = target;
  if (key === '' || key.includes('=')) return null;
  if (numMin !== undefined && numMax !== undefined) {
    const unit = /^[A-Za-z]+$/.test(target.unit ?? '') ? target.unit! : '';
    const bound = (n: number) => `${Math.trunc(n)}${unit}`;
    return numMin === numMax ? `${key}=${bound(numMin)}` : `${key}=${bound(numMin)}:${bound(numMax)}`;
  }
  return `${key}=^${escapeRegExp(target.name).replace(/,/g, '\\x2c')}$`;
}

/** The `key` and expression of a `key=expression` tag filter ('' key when there is none). */
function splitTagFilter(filter: string): { key: string; expr: string } {
  const eq = filter.indexOf('=');
  return eq < 0 ? { key: '', expr: filter } : { key: filter.slice(0, eq), expr: filter.slice(eq + 1) };
}

/**
 * The refine change for an action on a label value's filter. Focus replaces tagfocus (pprof takes one), and
 * clicking the value focused already removes it. Ignore adds the value to a tagignore of the same key made
 * of regexps (`key=^a$,^b$` ignores either), else replaces it.
 */
export function applyTagAction(options: Partial<RefineOptions>, action: TagAction, filter: string): Partial<RefineOptions> {
  if (action === 'tagFocus') return { tagFocus: options.tagFocus === filter ? '' : filter };
  const old = options.tagIgnore ?? '';
  const a = splitTagFilter(old);
  const b = splitTagFilter(filter);
  const isRegexps = (expr: string) => parseTagRange(expr) === null;
  if (old === '' || a.key !== b.key || !isRegexps(a.expr) || !isRegexps(b.expr)) return { tagIgnore: filter };
  if (a.expr.split(',').includes(b.expr)) return { tagIgnore: old };
  return { tagIgnore: `${old},${b.expr}` };
}
