// Keyboard handling shared by the refine menus (table rows, flame frames, graph nodes).

/** An attachment: focuses the menu's first item when it opens. */
export function focusFirstItem(node: HTMLElement): void {
  node.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
}

/**
 * A menu's keys: ArrowDown/ArrowUp move between its items (wrapping); Escape (and Tab, when `closeOnTab`)
 * calls `close`. Returns true when the key was the menu's.
 */
export function handleMenuKey(event: KeyboardEvent, close: () => void, closeOnTab = false): boolean {
  const items = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role="menuitem"]')];
  const at = items.indexOf(document.activeElement as HTMLElement);
  if (event.key === 'Escape' || (closeOnTab && event.key === 'Tab')) {
    event.preventDefault();
    close();
    return true;
  }
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    return true;
  }
  return false;
}
