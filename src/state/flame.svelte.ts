// The flame graph's state: layout choice, zoom path, search, selection, sandwich and peek, per profile.

import { createContext } from 'svelte';
import type { EngineClient, FlameMatches, FlameView, PeekResult } from '../engine-client/client';
import type { RefineOptions } from '../report/refine';
import { FLAME_MIN_FRACTION } from '../report/flame';

/** The refine options a flame request carries (only those that differ from pprof's defaults). */
export type FlameRefine = Partial<RefineOptions>;

/** How the top view is laid out: the table, the flame graph, both side by side, or the call graph. */
export type FlameLayoutChoice = 'table' | 'flame' | 'both' | 'graph';

export type FlamePaletteChoice = 'warm' | 'okabe-ito';

/** What the flame view needs from the engine. */
export type FlameEngine = Pick<EngineClient, 'flame' | 'flameMatches' | 'peek'>;

/** Per-profile flame options (all plain, serialisable). `path`: the zoom, graph node ids from the root. */
export interface FlameOptions {
  layout: FlameLayoutChoice;
  path: number[];
  /** Names of the zoom path's frames, for the breadcrumb. */
  pathNames: string[];
  search: string;
  flipped: boolean;
  palette: FlamePaletteChoice;
  /** The selected function (functions-granularity name, as the top table shows it), or ''. */
  selected: string;
  /** The sandwich's pivot node and its names, or null. */
  sandwich: { node: number; name: string; fn: string } | null;
}

export const DEFAULT_FLAME_OPTIONS: FlameOptions = {
  layout: 'table',
  path: [],
  pathNames: [],
  search: '',
  flipped: false,
  palette: 'warm',
  selected: '',
  sandwich: null,
};

/** A zoom's preview (its frames cut from those shown) appears when the engine takes longer than this. */
export const PREVIEW_DELAY_MS = 120;

export const FLAME_SEARCH_DEBOUNCE_MS = 50;

interface Reply<T> {
  key: string;
  value: T;
}

/** Flame state for all open profiles; one per app, shared by context. */
export class FlameState {
  #engine: FlameEngine;
  #options = $state.raw<Record<string, FlameOptions>>({});
  #view = $state.raw<Reply<FlameView> | null>(null);
  /** A zoom's frames cut from the frames shown (the view's extractFrames) until the engine's arrive. */
  #preview = $state.raw<Reply<FlameView> | null>(null);
  #previewTimer: ReturnType<typeof setTimeout> | undefined;
  /** The frames being fetched, so a second ask for them waits for the same reply. */
  #loading: { key: string; done: Promise<void> } | null = null;
  #callers = $state.raw<Reply<FlameView> | null>(null);
  #callees = $state.raw<Reply<FlameView> | null>(null);
  #peek = $state.raw<Reply<PeekResult> | null>(null);
  #matches = $state.raw<Reply<FlameMatches> | null>(null);
  #error = $state<string | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** The search to ask for when the current window ends (not reactive). */
  #pendingSearch: { id: string; sampleIndex: number; refine: FlameRefine } | null = null;
  /** Per profile, the sample type and refine options of the last load (not reactive). */
  #loadedBase: Record<string, string> = {};
  /** The layout last chosen (or the URL's at start): a profile opened next starts with it. */
  #defaultLayout = $state<FlameLayoutChoice>('table');

  /** `layout`: the layout profiles start with (e.g. read from the URL). */
  constructor(engine: FlameEngine, layout: FlameLayoutChoice | null = null) {
    this.#engine = engine;
    if (layout) this.#defaultLayout = layout;
  }

  optionsOf(id: string): FlameOptions {
    return this.#options[id] ?? (this.#defaultLayout === 'table' ? DEFAULT_FLAME_OPTIONS : { ...DEFAULT_FLAME_OPTIONS, layout: this.#defaultLayout });
  }

  get error(): string | null {
    return this.#error;
  }

  #set(id: string, patch: Partial<FlameOptions>): FlameOptions {
    const next = { ...this.optionsOf(id), ...patch };
    this.#options = { ...this.#options, [id]: next };
    return next;
  }

  static #base(id: string, sampleIndex: number, refine: FlameRefine): string {
    return `${id}|${sampleIndex}|${JSON.stringify(refine)}|`;
  }

  static #viewKey(id: string, sampleIndex: number, refine: FlameRefine, path: number[]): string {
    return `${FlameState.#base(id, sampleIndex, refine)}${path.join(',')}`;
  }

  /** The frames for the profile's current zoom, when they have arrived. */
  viewOf(id: string, sampleIndex: number, refine: FlameRefine = {}): FlameView | null {
    const v = this.#view;
    return v && v.key === FlameState.#viewKey(id, sampleIndex, refine, this.optionsOf(id).path) ? v.value : null;
  }

  /** The current zoom's frames cut from the previous ones, while the engine computes them (null otherwise). */
  previewOf(id: string, sampleIndex: number, refine: FlameRefine = {}): FlameView | null {
    const p = this.#preview;
    return p && p.key === FlameState.#viewKey(id, sampleIndex, refine, this.optionsOf(id).path) ? p.value : null;
  }

  /** The last frames of this profile, sample type and refine options, whatever the zoom (shown while a zoom loads). */
  lastViewOf(id: string, sampleIndex: number, refine: FlameRefine = {}): FlameView | null {
    const v = this.#view;
    return v && v.key.startsWith(FlameState.#base(id, sampleIndex, refine)) ? v.value : null;
  }

  matchesOf(id: string, sampleIndex: number, refine: FlameRefine = {}): FlameMatches | null {
    const m = this.#matches;
    return m && m.key === `${FlameState.#base(id, sampleIndex, refine)}${this.optionsOf(id).search}` ? m.value : null;
  }

  sandwichOf(id: string, sampleIndex: number, refine: FlameRefine = {}): { callers: FlameView | null; callees: FlameView | null; peek: PeekResult | null } | null {
    const s = this.optionsOf(id).sandwich;
    if (!s) return null;
    const key = `${FlameState.#base(id, sampleIndex, refine)}${s.node}`;
    return {
      callers: this.#callers?.key === key ? this.#callers.value : null,
      callees: this.#callees?.key === key ? this.#callees.value : null,
      peek: this.#peek?.key === key ? this.#peek.value : null,
    };
  }

  setLayout(id: string, layout: FlameLayoutChoice): void {
    this.#set(id, { layout });
    this.#defaultLayout = layout;
  }

  /** Asks for the frames of the current zoom (no-op when they are already here). */
  async load(id: string, sampleIndex: number, refine: FlameRefine = {}): Promise<void> {
    // Other filters make another call tree: the zoom starts again from the root.
    const base = FlameState.#base(id, sampleIndex, refine);
    if (this.#loadedBase[id] !== undefined && this.#loadedBase[id] !== base && this.optionsOf(id).path.length > 0) {
      this.#set(id, { path: [], pathNames: [] });
    }
    this.#loadedBase[id] = base;
    const { path } = this.optionsOf(id);
    const key = FlameState.#viewKey(id, sampleIndex, refine, path);
    if (this.#view?.key === key) return;
    // Asked twice (the zoom itself, then the effect that follows the path): one request.
    if (this.#loading?.key === key) return this.#loading.done;
    const done = this.#fetchView(id, sampleIndex, refine, path, key);
    this.#loading = { key, done };
    try {
      await done;
    } finally {
      if (this.#loading?.key === key) this.#loading = null;
    }
  }

  async #fetchView(id: string, sampleIndex: number, refine: FlameRefine, path: number[], key: string): Promise<void> {
    try {
      const asked = performance.now();
      const value = await this.#engine.flame(id, { ...refine, sampleIndex, path, minFraction: FLAME_MIN_FRACTION });
      // Request → reply, with the worker's share, its threads and the frames' count, for outside harnesses.
      performance.measure('pprof:flame-reply', { start: asked, detail: { computeMs: value.computeMs, threads: value.threads, frames: value.length } });
      // Only the latest zoom of the latest profile is kept.
      if (key === FlameState.#viewKey(id, sampleIndex, refine, this.optionsOf(id).path)) this.#view = { key, value };
      this.#error = null;
    } catch (e) {
      this.#error = `Could not build the flame graph: ${String(e)}`;
    }
  }

  /**
   * Zooms to a call-tree path (graph node ids from the root) with its frame names for the breadcrumb.
   * `preview` makes that frame's subtree from the frames shown, drawn until the engine's frames arrive; it
   * is called only when they are slow to come.
   */
  zoomTo(id: string, sampleIndex: number, path: number[], pathNames: string[], refine: FlameRefine = {}, preview?: () => FlameView): Promise<void> {
    this.#set(id, { path, pathNames });
    this.#preview = null;
    clearTimeout(this.#previewTimer);
    if (preview) {
      // Shown only when the engine is slow: a quick reply would redraw (and rebuild the frames list) twice.
      const key = FlameState.#viewKey(id, sampleIndex, refine, path);
      this.#previewTimer = setTimeout(() => {
        if (this.#view?.key !== key && key === FlameState.#viewKey(id, sampleIndex, refine, this.optionsOf(id).path)) this.#preview = { key, value: preview() };
      }, PREVIEW_DELAY_MS);
    }
    return this.load(id, sampleIndex, refine);
  }

  /** One level out (Esc / Backspace); false when already at the root. */
  zoomOut(id: string, sampleIndex: number, refine: FlameRefine = {}): boolean {
    const { path, pathNames } = this.optionsOf(id);
    if (path.length === 0) return false;
    void this.zoomTo(id, sampleIndex, path.slice(0, -1), pathNames.slice(0, -1), refine);
    return true;
  }

  setFlipped(id: string, flipped: boolean): void {
    this.#set(id, { flipped });
  }

  setPalette(id: string, palette: FlamePaletteChoice): void {
    this.#set(id, { palette });
  }

  select(id: string, name: string): void {
    this.#set(id, { selected: name });
  }

  /**
   * Sets the search text. The engine is asked at once when the search was quiet, then at most once per
   * FLAME_SEARCH_DEBOUNCE_MS: changes within that window are asked for together at its end (the latest
   * text), so a first keystroke or a paste is highlighted without waiting and fast typing is coalesced.
   */
  setSearch(id: string, sampleIndex: number, search: string, refine: FlameRefine = {}): void {
    this.#set(id, { search });
    this.#pendingSearch = { id, sampleIndex, refine };
    if (this.#timer) return;
    this.#flushSearch();
  }

  /** Runs the pending search, if any, and opens a window in which the next ones wait. */
  #flushSearch(): void {
    const pending = this.#pendingSearch;
    this.#pendingSearch = null;
    this.#timer = null;
    if (!pending) return;
    void this.runSearch(pending.id, pending.sampleIndex, pending.refine);
    this.#timer = setTimeout(() => this.#flushSearch(), FLAME_SEARCH_DEBOUNCE_MS);
  }

  async runSearch(id: string, sampleIndex: number, refine: FlameRefine = {}): Promise<void> {
    const { search } = this.optionsOf(id);
    const key = `${FlameState.#base(id, sampleIndex, refine)}${search}`;
    if (search.trim() === '') {
      this.#matches = null;
      return;
    }
    if (this.#matches?.key === key) return;
    const value = await this.#engine.flameMatches(id, sampleIndex, search, refine);
    if (this.optionsOf(id).search === search) this.#matches = { key, value };
  }

  /** Opens the sandwich of a node: callers, callees and pprof's peek of its function. */
  async openSandwich(id: string, sampleIndex: number, node: number, name: string, fn: string, refine: FlameRefine = {}): Promise<void> {
    this.#set(id, { sandwich: { node, name, fn } });
    const key = `${FlameState.#base(id, sampleIndex, refine)}${node}`;
    const base = { ...refine, sampleIndex, pivot: node, minFraction: FLAME_MIN_FRACTION };
    const [callers, callees, peek] = await Promise.all([
      this.#engine.flame(id, { ...base, direction: -1 }),
      this.#engine.flame(id, { ...base, direction: 1 }),
      this.#engine.peek(id, { ...refine, sampleIndex, pattern: `^${escapeRegExp(fn || name)}$` }),
    ]);
    if (this.optionsOf(id).sandwich?.node !== node) return;
    this.#callers = { key, value: callers };
    this.#callees = { key, value: callees };
    this.#peek = { key, value: peek };
  }

  closeSandwich(id: string): void {
    this.#set(id, { sandwich: null });
  }

  forget(id: string): void {
    const { [id]: _gone, ...rest } = this.#options;
    this.#options = rest;
  }
}

/** pprof's QuoteMeta for a name: every regular-expression character escaped. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const [getFlameState, setFlameState] = createContext<FlameState>();
