// @vitest-environment happy-dom
// ThemeState: follows the system until toggled, then remembers the choice.

import { describe, expect, it } from 'vitest';
import { THEME_STORAGE_KEY, ThemeState } from '../../src/state/theme.svelte';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('ThemeState', () => {
  it('follows prefers-color-scheme when nothing is stored', () => {
    const root = document.createElement('div');
    expect(new ThemeState({ storage: memoryStorage(), prefersDark: () => true, root }).scheme).toBe('dark');
    expect(root.dataset.theme).toBe('dark');
    expect(new ThemeState({ storage: memoryStorage(), prefersDark: () => false, root }).scheme).toBe('light');
  });

  it('prefers the stored choice and stores a toggle', () => {
    const storage = memoryStorage({ [THEME_STORAGE_KEY]: 'dark' });
    const root = document.createElement('div');
    const theme = new ThemeState({ storage, prefersDark: () => false, root });
    expect(theme.isDark).toBe(true);
    theme.toggle();
    expect(theme.scheme).toBe('light');
    expect(storage.data.get(THEME_STORAGE_KEY)).toBe('light');
    expect(root.dataset.theme).toBe('light');
  });
});
