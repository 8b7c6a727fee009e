// The open profiles, the active one, its view options and top view, loading progress and the last error.

import { createContext, tick } from 'svelte';
import type { EngineClient, OpenProgress, ProfileSummary, TopRequest, TopSort, TopView } from '../engine-client/client';
import { saveFile } from './save-file';
import { buildTopRequest, createViewOptions, formatTsvFileName, pickRefineOptions, setRefineOptions, type ViewOptions } from './view-options';

/** How long the search box waits after the last keystroke before asking the engine. */
export const FILTER_DEBOUNCE_MS = 120;

/** The demo profiles under public/demo/, opened in this order; the last heap one becomes active. */
export const DEMO_FILES = ['heap_t0.pb.gz', 'heap_t1.pb.gz', 'heap_t2.pb.gz', 'heap_t3.pb.gz', 'goroutine_t1.pb.gz'];
const DEMO_ACTIVE = 'heap_t3.pb.gz';

/** Loading progress of the file being opened. `step` 'read' is the page fetching it (the demo). */
export interface LoadingState {
  fileName: string;
  fraction: number;
  step: OpenProgress['step'] | 'read';
}

/**
 * One open profile. `view` is the last top view the engine answered, for the options in `viewRequest`
 * (which may lag behind `options` while a request is in flight). Entries are replaced, never mutated.
 */
export interface ProfileEntry {
  summary: ProfileSummary;
  options: ViewOptions;
  view: TopView | null;
  viewRequest: TopRequest | null;
}

/**
 * A file that was read for opening, decoded or not (the snapshot library keeps every one). `bytes` is the
 * File itself when it came from one, else a copy taken before the buffer went to the worker; null when the
 * bytes came from `openStored` (already kept). Exactly one of `summary` and `error` is set.
 */
export interface OpenedProfile {
  fileName: string;
  bytes: Blob | null;
  snapshotId: string | null;
  summary: ProfileSummary | null;
  error: string | null;
}

/** What the state needs from the outside world besides the engine; tests replace these. */
export interface ProfilesStateDeps {
  fetch?: (url: URL) => Promise<Response>;
  saveFile?: (blob: Blob, fileName: string) => void;
  baseUri?: () => string;
  /** Told of every file opened (see OpenedProfile); when absent no copy of the bytes is made. */
  onOpened?: (opened: OpenedProfile) => void;
  /** Told when a profile's view options change (the search text on every keystroke). */
  onOptionsChanged?: (profileId: string, options: ViewOptions) => void;
  /**
   * Whether a profile's layout shows the top table (default: always). When it does not, the views that are
   * shown (the flame graph) ask the engine first: the table's request, which would hold the one engine
   * worker for its report, is sent after them.
   */
  isTableShown?: (profileId: string) => boolean;
}

interface OpenOptions {
  activate: boolean;
  /** Set by openStored: the options to start with, and the snapshot the bytes came from. */
  options?: Partial<ViewOptions> | null;
  snapshotId?: string;
  /** The file the buffer was read from (kept as is, no copy). */
  source?: Blob;
}

/** The app's profile state; one per app, shared with the views by context. */
export class ProfilesState {
  #client: EngineClient;
  #deps: Required<Omit<ProfilesStateDeps, 'onOpened' | 'onOptionsChanged'>>;
  #onOpened: ProfilesStateDeps['onOpened'];
  #onOptionsChanged: ProfilesStateDeps['onOptionsChanged'];
  #entries = $state.raw<ProfileEntry[]>([]);
  #activeId = $state<string | null>(null);
  #loading = $state.raw<LoadingState | null>(null);
  #error = $state<string | null>(null);
  /** Request counter: a reply is applied only when it answers its profile's latest request. */
  #seq = 0;
  #latest = new Map<string, number>();
  #filterTimer: ReturnType<typeof setTimeout> | null = null;
  /** Profiles whose first top view, once drawn, ends an open (performance.mark('pprof:top-drawn')). */
  #awaitingFirstDraw = new Set<string>();

  readonly profiles = $derived(this.#entries.map((e) => e.summary));
  readonly active = $derived(this.#entries.find((e) => e.summary.id === this.#activeId) ?? null);
  readonly summary = $derived(this.active?.summary ?? null);
  readonly options = $derived(this.active?.options ?? null);
  readonly view = $derived(this.active?.view ?? null);
  readonly viewRequest = $derived(this.active?.viewRequest ?? null);

  constructor(client: EngineClient, deps: ProfilesStateDeps = {}) {
    this.#client = client;
    this.#deps = {
      fetch: deps.fetch ?? ((url) => fetch(url)),
      saveFile: deps.saveFile ?? saveFile,
      baseUri: deps.baseUri ?? (() => document.baseURI),
      isTableShown: deps.isTableShown ?? (() => true),
    };
    this.#onOpened = deps.onOpened;
    this.#onOptionsChanged = deps.onOptionsChanged;
  }

  get activeId(): string | null {
    return this.#activeId;
  }
  get loading(): LoadingState | null {
    return this.#loading;
  }
  get error(): string | null {
    return this.#error;
  }

  /**
   * Opens each file in turn; each one that decodes becomes the active profile. The engine reads the file
   * itself: a gzip file inflates and decodes while it is read, not after.
   */
  async openFiles(files: File[]): Promise<void> {
    for (const file of files) await this.#open(file, file.name, { activate: true, source: file });
    this.#loading = null;
  }

  /** Fetches and opens the bundled demo profiles, then shows heap_t3. */
  async openDemo(): Promise<void> {
    this.#loading = { fileName: DEMO_FILES[0]!, fraction: 0, step: 'read' };
    let buffers: ArrayBuffer[];
    try {
      buffers = await Promise.all(
        DEMO_FILES.map(async (name) => {
          const response = await this.#deps.fetch(new URL(`demo/${name}`, this.#deps.baseUri()));
          if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
          return response.arrayBuffer();
        }),
      );
    } catch (e) {
      this.#loading = null;
      this.#error = `Could not fetch the demo profiles: ${messageOf(e)}`;
      return;
    }
    let activeId: string | null = null;
    for (const [i, name] of DEMO_FILES.entries()) {
      const id = await this.#open(buffers[i]!, name, { activate: false });
      if (name === DEMO_ACTIVE) activeId = id;
      activeId ??= id;
    }
    this.#loading = null;
    if (activeId !== null) {
      this.#awaitingFirstDraw.add(activeId);
      this.activate(activeId);
    }
  }

  /**
   * Opens bytes kept earlier (a library snapshot) and makes them the active profile, starting from the
   * view options saved with them (a sample index the profile does not have falls back to its default).
   */
  async openStored(bytes: ArrayBuffer | Blob, fileName: string, stored: { snapshotId: string; options: Partial<ViewOptions> | null }): Promise<string | null> {
    const id = await this.#open(bytes, fileName, { activate: true, options: stored.options, snapshotId: stored.snapshotId });
    this.#loading = null;
    return id;
  }

  /**
   * Starts an open profile from saved view options (the same bytes were kept before), unless the person
   * already changed its options since it opened. True when applied.
   */
  applySavedOptions(id: string, saved: Partial<ViewOptions>): boolean {
    const entry = this.#find(id);
    if (!entry) return false;
    const untouched = createViewOptions(entry.summary.defaultSampleIndex);
    const same =
      (Object.keys(untouched) as (keyof ViewOptions)[]).every((k) => untouched[k] === entry.options[k]) &&
      Object.keys(pickRefineOptions(entry.options)).length === 0;
    if (!same) return false;
    const options = restoreViewOptions(entry.summary, saved);
    this.#updateEntry(id, (e) => ({ ...e, options }));
    void this.#refresh(id);
    return true;
  }

  /** Makes an open profile the active one, fetching its top view if it has none yet. */
  activate(id: string): void {
    const entry = this.#find(id);
    if (!entry) return;
    this.#activeId = id;
    if (!entry.view) void this.#refresh(id);
  }

  /** Closes a profile; closing the active one activates its neighbour, or returns to the empty state. */
  close(id: string): void {
    const index = this.#entries.findIndex((e) => e.summary.id === id);
    if (index < 0) return;
    const rest = this.#entries.filter((e) => e.summary.id !== id);
    this.#entries = rest;
    this.#latest.delete(id);
    this.#awaitingFirstDraw.delete(id);
    if (this.#activeId === id) {
      const next = rest[Math.min(index, rest.length - 1)];
      this.#activeId = null;
      if (next) this.activate(next.summary.id);
    }
    this.#client.close(id).catch(() => {
      // The worker forgetting a profile it no longer has is harmless.
    });
  }

  setSampleIndex(sampleIndex: number): void {
    this.#changeOptions({ sampleIndex });
  }
  setTrim(trim: boolean): void {
    this.#changeOptions({ trim });
  }
  setSort(sort: TopSort): void {
    this.#changeOptions({ sort });
  }
  /** Changes several view options at once: pprof's refine options, or a whole view restored from a link. */
  setOptions(change: Partial<ViewOptions>): void {
    const id = this.#activeId;
    if (id === null) return;
    this.#clearFilterTimer();
    this.#updateEntry(id, (e) => ({ ...e, options: setRefineOptions(e.options, change) }));
    this.#notifyOptionsChanged(id);
    void this.#refresh(id);
  }
  /** Updates the search text at once; the engine is asked after FILTER_DEBOUNCE_MS without typing. */
  setFilter(filter: string): void {
    const id = this.#activeId;
    if (id === null) return;
    this.#updateEntry(id, (e) => ({ ...e, options: { ...e.options, filter } }));
    this.#notifyOptionsChanged(id);
    this.#clearFilterTimer();
    this.#filterTimer = setTimeout(() => {
      this.#filterTimer = null;
      void this.#refresh(id);
    }, FILTER_DEBOUNCE_MS);
  }

  dismissError(): void {
    this.#error = null;
  }

  /** Downloads the active table (as currently requested) as TSV. */
  async downloadTsv(): Promise<void> {
    const entry = this.active;
    if (!entry) return;
    const request = buildTopRequest(entry.options);
    try {
      const tsv = await this.#client.topTsv(entry.summary.id, request);
      const type = entry.summary.sampleTypes[request.sampleIndex]?.type ?? '';
      this.#deps.saveFile(new Blob([tsv], { type: 'text/tab-separated-values' }), formatTsvFileName(entry.summary.fileName, type));
    } catch (e) {
      this.#error = `Could not export the table: ${messageOf(e)}`;
    }
  }

  /** Stops timers and the engine worker. */
  dispose(): void {
    this.#clearFilterTimer();
    this.#client.dispose();
  }

  async #open(buffer: ArrayBuffer | Blob, fileName: string, { activate, options, snapshotId, source }: OpenOptions): Promise<string | null> {
    this.#loading = { fileName, fraction: 0, step: 'inflate' };
    // The engine takes a buffer (a transfer empties it): without a file, copy first what the library keeps.
    const kept = this.#onOpened && snapshotId === undefined ? (source ?? (buffer instanceof Blob ? buffer : new Blob([buffer]))) : null;
    const opened = (summary: ProfileSummary | null, error: string | null) =>
      this.#onOpened?.({ fileName, bytes: kept, snapshotId: snapshotId ?? null, summary, error });
    // Progress calls come on their own channel and may arrive after the reply: drop those.
    let done = false;
    let result;
    try {
      result = await this.#client.open(buffer, fileName, (p) => {
        if (!done) this.#loading = { fileName, fraction: p.fraction, step: p.step };
      });
    } catch (e) {
      this.#error = `Could not open ${fileName}: ${messageOf(e)}`;
      opened(null, messageOf(e));
      return null;
    } finally {
      done = true;
    }
    if (!result.ok) {
      // The previous profile and its table stay exactly as they were.
      this.#error = `Could not open ${fileName}: ${result.error.message}`;
      opened(null, result.error.message);
      return null;
    }
    const { summary } = result;
    this.#entries = [
      ...this.#entries,
      { summary, options: restoreViewOptions(summary, options ?? null), view: null, viewRequest: null },
    ];
    performance.mark('pprof:decoded', { detail: { decodeMs: summary.decodeMs, fileName: summary.fileName } });
    if (activate) {
      this.#awaitingFirstDraw.add(summary.id);
      this.#activeId = summary.id;
      // Table hidden: the shown views' effects run (and send their requests) before the table's request.
      if (!this.#deps.isTableShown(summary.id)) await tick();
      await this.#refresh(summary.id);
    }
    // Keeping the file (hashing, storing) waits until its table is on its way: the cores are busy before.
    opened(summary, null);
    return summary.id;
  }

  #changeOptions(change: Partial<ViewOptions>): void {
    const id = this.#activeId;
    if (id === null) return;
    this.#clearFilterTimer();
    this.#updateEntry(id, (e) => ({ ...e, options: { ...e.options, ...change } }));
    this.#notifyOptionsChanged(id);
    void this.#refresh(id);
  }

  #notifyOptionsChanged(id: string): void {
    const entry = this.#onOptionsChanged ? this.#find(id) : undefined;
    if (entry) this.#onOptionsChanged?.(id, entry.options);
  }

  async #refresh(id: string): Promise<void> {
    const entry = this.#find(id);
    if (!entry) return;
    const seq = ++this.#seq;
    this.#latest.set(id, seq);
    const request = buildTopRequest(entry.options);
    const asked = performance.now();
    let view: TopView;
    try {
      view = await this.#client.top(id, request);
      // Request → reply, with the worker's own share and its threads, for outside harnesses (bench/refine.mjs).
      performance.measure('pprof:top-reply', { start: asked, detail: { computeMs: view.computeMs, threads: view.threads } });
    } catch (e) {
      if (this.#latest.get(id) === seq) this.#error = `Could not build the top table: ${messageOf(e)}`;
      return;
    }
    if (this.#latest.get(id) !== seq) return; // A newer request for this profile is on its way.
    this.#updateEntry(id, (e) => ({ ...e, view, viewRequest: request }));
    if (this.#activeId !== id) return;
    const first = this.#awaitingFirstDraw.delete(id);
    // The view is in the DOM after tick(); the next frame is when it is painted.
    await tick();
    requestAnimationFrame(() => performance.mark(first ? 'pprof:top-drawn' : 'pprof:top-updated'));
  }

  #find(id: string): ProfileEntry | undefined {
    return this.#entries.find((e) => e.summary.id === id);
  }

  #updateEntry(id: string, update: (e: ProfileEntry) => ProfileEntry): void {
    this.#entries = this.#entries.map((e) => (e.summary.id === id ? update(e) : e));
  }

  #clearFilterTimer(): void {
    if (this.#filterTimer !== null) clearTimeout(this.#filterTimer);
    this.#filterTimer = null;
  }
}

/** Saved options over the defaults; a sample index the profile does not have is dropped. */
function restoreViewOptions(summary: ProfileSummary, saved: Partial<ViewOptions> | null): ViewOptions {
  const options = { ...createViewOptions(summary.defaultSampleIndex), ...saved };
  if (!Number.isInteger(options.sampleIndex) || options.sampleIndex < 0 || options.sampleIndex >= summary.sampleTypes.length) {
    options.sampleIndex = summary.defaultSampleIndex;
  }
  return options;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Shares the app's ProfilesState with the views. */
export const [getProfilesState, setProfilesState] = createContext<ProfilesState>();
