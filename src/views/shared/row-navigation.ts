// Keyboard movement of the selected table row, and the scroll position that keeps a row in view.

/** Keys that move the selection. */
export const NAVIGATION_KEYS = ['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'] as const;
export type NavigationKey = (typeof NAVIGATION_KEYS)[number];

export function isNavigationKey(key: string): key is NavigationKey {
  return (NAVIGATION_KEYS as readonly string[]).includes(key);
}

/**
 * The row selected after `key`, from `current` (-1 = none) in a list of `count` rows where a page is
 * `pageRows` rows. Returns -1 only when the list is empty.
 */
export function moveSelection(key: NavigationKey, current: number, count: number, pageRows: number): number {
  if (count <= 0) return -1;
  const page = Math.max(1, pageRows);
  const last = count - 1;
  let next: number;
  switch (key) {
    case 'ArrowDown':
      next = current < 0 ? 0 : current + 1;
      break;
    case 'ArrowUp':
      next = current < 0 ? 0 : current - 1;
      break;
    case 'PageDown':
      next = current < 0 ? Math.min(page - 1, last) : current + page;
      break;
    case 'PageUp':
      next = current - page;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = last;
      break;
  }
  return Math.min(last, Math.max(0, next));
}

/** The scrollTop that shows row `index` entirely, moving as little as possible from `scrollTop`. */
export function computeScrollTopFor(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}
