// The Labels panel: whether it is open, and pprof's -tags report of the active view, asked of the engine.

import { createContext } from 'svelte';
import type { EngineClient, TagsRequest, TagsView } from '../engine-client/client';

/** The part of the engine the labels need (tests pass a fake). */
export type LabelsEngine = Pick<EngineClient, 'tags'>;

/** The report of one request: its profile, the request as a key, and the engine's answer or error. */
interface LabelsEntry {
  id: string;
  key: string;
  view: TagsView | null;
  error: string | null;
}

/**
 * The panel's state. `load` asks for the -tags report of a profile after its refine options; only the
 * answer to the latest request is kept (a slow reply for older options never overwrites a newer one), and
 * the last answer stays shown while the next is on its way.
 */
export class LabelsState {
  #engine: LabelsEngine;
  #open = $state(false);
  #entry = $state.raw<LabelsEntry | null>(null);
  #seq = 0;

  constructor(engine: LabelsEngine) {
    this.#engine = engine;
  }

  get open(): boolean {
    return this.#open;
  }

  /** Opens or closes the panel (toggles without an argument). */
  toggle(open: boolean = !this.#open): void {
    this.#open = open;
  }

  /** The last report of profile `id` (possibly for older options while a newer one loads), or null. */
  viewOf(id: string): TagsView | null {
    return this.#entry?.id === id ? this.#entry.view : null;
  }

  /** The engine's error for the latest request of profile `id`, or null. */
  errorOf(id: string): string | null {
    return this.#entry?.id === id ? this.#entry.error : null;
  }

  /** True while the report of the latest request of `id` has not arrived. */
  isLoading(id: string, request: TagsRequest): boolean {
    return this.#entry?.id !== id || this.#entry.key !== requestKey(request);
  }

  /** Asks the engine for the report (nothing when the latest answer is for the same request). */
  async load(id: string, request: TagsRequest): Promise<void> {
    const key = requestKey(request);
    if (this.#entry?.id === id && this.#entry.key === key && this.#entry.error === null) return;
    const seq = ++this.#seq;
    let entry: LabelsEntry;
    try {
      entry = { id, key, view: await this.#engine.tags(id, request), error: null };
    } catch (e) {
      entry = { id, key, view: this.viewOf(id), error: e instanceof Error ? e.message : String(e) };
    }
    if (seq === this.#seq) this.#entry = entry;
  }
}

function requestKey(request: TagsRequest): string {
  return JSON.stringify(Object.entries(request).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Shares the app's LabelsState with the views. */
export const [getLabelsState, setLabelsState] = createContext<LabelsState>();
