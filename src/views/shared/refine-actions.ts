// The row actions of the top table (pprof's web UI refine menu): the patterns they set, and their keys.

import type { RefineOptions } from '../../report/refine';

/** A row action: Focus on, Ignore, Hide, Show from. */
export type RowAction = 'focus' | 'ignore' | 'hide' | 'showFrom';

export const ROW_ACTIONS: readonly { action: RowAction; label: string; key: string }[] = [
  { action: 'focus', label: 'Focus on', key: 'f' },
  { action: 'ignore', label: 'Ignore', key: 'i' },
  { action: 'hide', label: 'Hide', key: 'h' },
  { action: 'showFrom', label: 'Show from', key: 's' },
];

/** The row action a key press asks for, or null. */
export function findRowActionByKey(key: string): RowAction | null {
  return ROW_ACTIONS.find((a) => a.key === key.toLowerCase())?.action ?? null;
}

/** Escapes every character with a meaning in a Go (RE2) regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * The refine change for an action on a node name, as pprof's web UI does it: the exact `^name$`; Ignore and
 * Hide OR it into the pattern already there (`old|^name$`), Focus and Show from replace it.
 */
export function applyRowAction(options: Partial<RefineOptions>, action: RowAction, name: string): Partial<RefineOptions> {
  const exact = `^${escapeRegExp(name)}$`;
  if (action === 'focus' || action === 'showFrom') return { [action]: exact };
  const old = options[action] ?? '';
  if (old === '') return { [action]: exact };
  if (old.split('|').includes(exact)) return { [action]: old };
  return { [action]: `${old}|${exact}` };
}
