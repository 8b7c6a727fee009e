// Light/dark colour scheme: follows prefers-color-scheme until the user picks one, which is kept in localStorage.

import { createContext } from 'svelte';

export type ColorScheme = 'light' | 'dark';

/** localStorage key of the user's choice ('light' | 'dark'); absent means "follow the system". */
export const THEME_STORAGE_KEY = 'pprof-lens:theme';

/** What the theme needs from the browser; tests replace it. */
export interface ThemeDeps {
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  prefersDark?: () => boolean;
  root?: HTMLElement | null;
}

/** The colour scheme in use; `toggle()` switches it and remembers the choice. */
export class ThemeState {
  #scheme = $state<ColorScheme>('light');
  #storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  #root: HTMLElement | null;

  constructor(deps: ThemeDeps = {}) {
    this.#storage = deps.storage !== undefined ? deps.storage : readStorage();
    this.#root = deps.root !== undefined ? deps.root : document.documentElement;
    const prefersDark = deps.prefersDark ?? (() => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false);
    const saved = this.#storage?.getItem(THEME_STORAGE_KEY);
    this.#scheme = saved === 'dark' || saved === 'light' ? saved : prefersDark() ? 'dark' : 'light';
    this.#apply();
  }

  get scheme(): ColorScheme {
    return this.#scheme;
  }

  get isDark(): boolean {
    return this.#scheme === 'dark';
  }

  toggle(): void {
    this.#scheme = this.#scheme === 'dark' ? 'light' : 'dark';
    try {
      this.#storage?.setItem(THEME_STORAGE_KEY, this.#scheme);
    } catch {
      // Storage may be full or denied (private mode); the choice then lasts for this page only.
    }
    this.#apply();
  }

  #apply(): void {
    if (this.#root) this.#root.dataset.theme = this.#scheme;
  }
}

function readStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Shares the app's ThemeState with the views. */
export const [getThemeState, setThemeState] = createContext<ThemeState>();
