// The goroutine view's state: which view each profile shows, bucket filters, the report, a bucket's stack, growth.

import { createContext } from 'svelte';
import type {
  EngineClient,
  GoroutineBucketStack,
  GoroutineGrouping,
  GoroutineGrowth,
  GoroutinesReport,
  GoroutinesRequest,
  ProfileSummary,
} from '../engine-client/client';
import { compileFunctionFilter } from '../report/goroutine-view';

/** The views a profile can show; `goroutines` only for profiles with `goroutineSource`. */
export type ProfileViewKind = 'top' | 'goroutines';

/** How long the text filters wait after the last keystroke before asking the engine. */
export const GOROUTINE_FILTER_DEBOUNCE_MS = 150;

/** What the goroutine view needs from the engine. */
export type GoroutineEngine = Pick<EngineClient, 'goroutines' | 'goroutineStack' | 'goroutineGrowth'>;

/** The bucket filters and grouping as typed (`funcRegex` may be an invalid pattern: then `filterError`). */
export type GoroutineOptions = GoroutinesRequest;

export const DEFAULT_GOROUTINE_OPTIONS: GoroutineOptions = {
  grouping: 'similar',
  state: '',
  funcRegex: '',
  createdBy: '',
  minWaitMinutes: 0,
};

interface Reply<T> {
  id: string;
  value: T;
}

/** Goroutine view state for all open profiles; one per app, shared by context. */
export class GoroutinesState {
  #engine: GoroutineEngine;
  #views = $state.raw<Record<string, ProfileViewKind>>({});
  #options = $state.raw<Record<string, GoroutineOptions>>({});
  #report = $state.raw<Reply<GoroutinesReport> | null>(null);
  #stack = $state.raw<(Reply<GoroutineBucketStack> & { bucket: number; grouping: GoroutineGrouping }) | null>(null);
  #growth = $state.raw<{ beforeId: string; afterId: string; growth: GoroutineGrowth } | null>(null);
  #compareWith = $state.raw<Record<string, string | null>>({});
  #error = $state<string | null>(null);
  #seq = 0;
  #stackSeq = 0;
  #growthSeq = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(engine: GoroutineEngine) {
    this.#engine = engine;
  }

  /** The view a profile shows: what was picked, else goroutines for a dump and top for everything else. */
  viewOf(summary: ProfileSummary): ProfileViewKind {
    const picked = this.#views[summary.id];
    if (picked && (picked === 'top' || summary.goroutineSource)) return picked;
    return summary.goroutineSource === 'dump' ? 'goroutines' : 'top';
  }

  optionsOf(id: string): GoroutineOptions {
    return this.#options[id] ?? DEFAULT_GOROUTINE_OPTIONS;
  }

  /** The report for `id` when it is the last one answered for it. */
  reportOf(id: string): GoroutinesReport | null {
    return this.#report?.id === id ? this.#report.value : null;
  }

  /** The stack shown for `id`, with the bucket it belongs to. */
  stackOf(id: string): { bucket: number; stack: GoroutineBucketStack } | null {
    const s = this.#stack;
    return s && s.id === id && s.grouping === this.optionsOf(id).grouping ? { bucket: s.bucket, stack: s.value } : null;
  }

  /** The profile `id` is compared with (the "before"), or null. */
  compareWithOf(id: string): string | null {
    return this.#compareWith[id] ?? null;
  }

  growthOf(id: string): GoroutineGrowth | null {
    const g = this.#growth;
    return g && g.afterId === id && g.beforeId === this.compareWithOf(id) ? g.growth : null;
  }

  /** The function-regex error of `id`'s options, checked here so an invalid pattern is never sent. */
  regexErrorOf(id: string): string | null {
    return compileFunctionFilter(this.optionsOf(id).funcRegex).error;
  }

  get error(): string | null {
    return this.#error;
  }

  setView(id: string, view: ProfileViewKind): void {
    this.#views = { ...this.#views, [id]: view };
  }

  /** Asks the engine for `id`'s bucket table unless the one shown already answers its options. */
  load(id: string): void {
    if (this.#report?.id === id && this.#loadedOptions === this.optionsOf(id)) return;
    void this.#refresh(id);
  }

  setGrouping(id: string, grouping: GoroutineGrouping): void {
    this.#change(id, { grouping }, false);
  }
  setStateFilter(id: string, state: string): void {
    this.#change(id, { state }, false);
  }
  setMinWait(id: string, minutes: number): void {
    this.#change(id, { minWaitMinutes: Number.isFinite(minutes) && minutes > 0 ? minutes : 0 }, false);
  }
  setFuncRegex(id: string, funcRegex: string): void {
    this.#change(id, { funcRegex }, true);
  }
  setCreatedBy(id: string, createdBy: string): void {
    this.#change(id, { createdBy }, true);
  }

  /** Shows the full stack of a bucket (its unfiltered index). */
  async selectBucket(id: string, bucket: number): Promise<void> {
    const grouping = this.optionsOf(id).grouping;
    const seq = ++this.#stackSeq;
    try {
      const value = await this.#engine.goroutineStack(id, grouping, bucket);
      if (seq === this.#stackSeq) this.#stack = { id, bucket, grouping, value };
    } catch (e) {
      if (seq === this.#stackSeq) this.#error = `Could not read the bucket's stack: ${messageOf(e)}`;
    }
  }

  closeStack(): void {
    this.#stackSeq++;
    this.#stack = null;
  }

  /** Compares `afterId` with `beforeId` (null ends the comparison). */
  async compareWith(afterId: string, beforeId: string | null): Promise<void> {
    this.#compareWith = { ...this.#compareWith, [afterId]: beforeId };
    const seq = ++this.#growthSeq;
    if (beforeId === null) return;
    try {
      const growth = await this.#engine.goroutineGrowth(beforeId, afterId);
      if (seq === this.#growthSeq) this.#growth = { beforeId, afterId, growth };
    } catch (e) {
      if (seq === this.#growthSeq) this.#error = `Could not compare the goroutines: ${messageOf(e)}`;
    }
  }

  dismissError(): void {
    this.#error = null;
  }

  dispose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #loadedOptions: GoroutineOptions | null = null;

  #change(id: string, change: Partial<GoroutineOptions>, debounce: boolean): void {
    this.#options = { ...this.#options, [id]: { ...this.optionsOf(id), ...change } };
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.regexErrorOf(id) !== null) return;
    if (!debounce) {
      void this.#refresh(id);
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#refresh(id);
    }, GOROUTINE_FILTER_DEBOUNCE_MS);
  }

  async #refresh(id: string): Promise<void> {
    const options = this.optionsOf(id);
    if (this.regexErrorOf(id) !== null) return;
    const seq = ++this.#seq;
    try {
      const value = await this.#engine.goroutines(id, options);
      if (seq !== this.#seq) return; // A newer request is on its way.
      this.#loadedOptions = options;
      this.#report = { id, value };
    } catch (e) {
      if (seq === this.#seq) this.#error = `Could not build the goroutine table: ${messageOf(e)}`;
    }
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Shares the app's GoroutinesState with the views. */
export const [getGoroutinesState, setGoroutinesState] = createContext<GoroutinesState>();
