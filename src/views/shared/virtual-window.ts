// Which rows of a fixed-row-height list are in the DOM for a scroll position (the virtual window).

/** Rows `start` (inclusive) to `end` (exclusive) of a list; `start <= end`, both within [0, count]. */
export interface RowWindow {
  start: number;
  end: number;
}

export interface RowWindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  /** Extra rows kept above and below the viewport so fast scrolling does not show gaps. */
  overscan: number;
}

/** The visible rows plus overscan; O(1) whatever the row count. */
export function computeRowWindow({ scrollTop, viewportHeight, rowHeight, count, overscan }: RowWindowInput): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, Math.max(start, last + overscan));
  return { start, end };
}
