// The active profile's view in the page URL: written on every change (refine steps as history entries), read at
// start (reload, a copied link) and on Back/Forward.

import type { LibraryState } from './library.svelte';
import type { ProfilesState } from './profiles.svelte';
import { DEFAULT_REFINE_OPTIONS } from '../report/refine';
import { formatViewQuery, isNavigationStep, parseViewQuery, type ParsedViewQuery } from './url-options';
import { createViewOptions } from './view-options';

/** The browser pieces the URL state uses; tests pass fakes. */
export interface ViewUrlDeps {
  /** The current query string (with or without '?'). */
  search: () => string;
  /** Replaces the query string of the current history entry. */
  replaceQuery: (query: string) => void;
  /** Adds a history entry with this query string (history.pushState); without it, the entry is replaced. */
  pushQuery?: (query: string) => void;
}

/**
 * Keeps `?v=1&snapshot=…&si=…&f=…` in step with the active profile's view options. A refine step of the same
 * profile (a filter applied or removed, the granularity, the sample type: `isNavigationStep`) adds a history
 * entry, so Back restores the previous view; anything else (search text, sort, trim, a profile opened or
 * switched to, the snapshot id arriving) replaces the current entry. At start and on Back/Forward
 * (`restore` again, from popstate), a query naming a library snapshot reopens or shows it and applies the
 * options; without one, the options go to the active profile, or wait for the next one opened. Parameters it
 * cannot use are ignored and listed in `notices`.
 */
export class ViewUrlState {
  #profiles: ProfilesState;
  #library: LibraryState | null;
  #deps: ViewUrlDeps;
  #pending: ParsedViewQuery | null = null;
  #restoring = $state(false);
  #notices = $state.raw<string[]>([]);
  /** The profile whose view the URL was last written for: only its own refine steps are pushed. */
  #writtenFor: string | null = null;

  constructor(profiles: ProfilesState, library: LibraryState | null, deps: ViewUrlDeps) {
    this.#profiles = profiles;
    this.#library = library;
    this.#deps = deps;
  }

  get notices(): string[] {
    return this.#notices;
  }

  dismissNotices(): void {
    this.#notices = [];
  }

  /** Reads the URL (at start, and on popstate): reopens its snapshot (when the library has it) and applies its options. */
  async restore(): Promise<void> {
    const parsed = parseViewQuery(this.#deps.search());
    this.#notices = parsed.notices;
    if (!parsed.present) return;
    this.#pending = parsed;
    if (parsed.snapshotId && this.#library) {
      this.#restoring = true;
      try {
        await this.#library.whenStarted();
        if (this.#library.snapshots.some((m) => m.id === parsed.snapshotId)) await this.#library.open([parsed.snapshotId]);
        else this.#notices = [...this.#notices, 'The profile this link names is not in this browser’s library; open it to see the view.'];
      } finally {
        this.#restoring = false;
      }
    }
    this.#applyPending();
  }

  /** Writes the active view into the URL; call from an effect (it reads the state it depends on). */
  write(): void {
    if (this.#restoring) return;
    const entry = this.#profiles.active;
    // Snapshot ids arrive once the file is kept: the list changing re-runs the effect.
    void this.#library?.snapshots;
    if (!entry) return;
    if (this.#pending) {
      this.#applyPending();
      return;
    }
    const snapshotId = this.#library?.snapshotOf(entry.summary.id) ?? null;
    const query = formatViewQuery(entry.options, entry.summary.sampleTypes, snapshotId);
    const current = this.#deps.search().replace(/^\?/, '');
    const sameProfile = this.#writtenFor === entry.summary.id;
    this.#writtenFor = entry.summary.id;
    if (current === query) return;
    if (sameProfile && this.#deps.pushQuery && isNavigationStep(current, query)) this.#deps.pushQuery(query);
    else this.#deps.replaceQuery(query);
  }

  #applyPending(): void {
    const pending = this.#pending;
    const summary = this.#profiles.summary;
    if (!pending || !summary) return;
    this.#pending = null;
    const { options, notices } = pending.resolve(summary.sampleTypes);
    if (notices.length > 0) this.#notices = [...this.#notices, ...notices];
    // The link is the whole view: what it does not set is pprof's default, whatever was saved before.
    this.#profiles.setOptions({ ...createViewOptions(summary.defaultSampleIndex), ...DEFAULT_REFINE_OPTIONS, edgeFraction: undefined, ...options });
  }
}
