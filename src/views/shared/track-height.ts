// A Svelte action that reports an element's clientHeight from a ResizeObserver, after layout.
//
// `bind:clientHeight` reads the height synchronously when the element mounts, forcing a layout in the middle
// of the script that rendered it (10–15 ms on a page showing a large table, inside the task that draws the
// first table). The observer's first callback comes after the browser's own layout, before paint.

/** `use:trackHeight={(h) => (height = h)}`: calls back with the element's clientHeight whenever it changes. */
export function trackHeight(node: HTMLElement, report: (height: number) => void) {
  let current = report;
  if (typeof ResizeObserver === 'undefined') return { update: (next: typeof report) => (current = next) };
  const observer = new ResizeObserver(() => current(node.clientHeight));
  observer.observe(node);
  return {
    update(next: typeof report) {
      current = next;
    },
    destroy() {
      observer.disconnect();
    },
  };
}
