// The snapshot library: every profile opened is kept (IndexedDB via src/storage); list, search, edit, delete, open.

import { tick } from 'svelte';
import type { EngineClient, ProfileSummary } from '../engine-client/client';
import { detectProfileKind, PROFILE_KINDS, type ProfileKind } from '../report/profile-kind';
import type { LibraryDbEvents } from '../storage/db';
import { computeSnapshotId, parseTags, RECORD_FORMAT, type SnapshotMeta, type SnapshotPatch } from '../storage/snapshot';
import { StorageError, type RemovedSnapshot, type SnapshotStore } from '../storage/store';
import { ProfilesState, type OpenedProfile, type ProfilesStateDeps } from './profiles.svelte';
import { saveFile } from './save-file';
import type { ViewOptions } from './view-options';

/** The BroadcastChannel on which tabs tell each other that the library changed. */
export const LIBRARY_CHANNEL = 'pprof-lens-library';
/** How long view-option changes wait before they are written (the search box changes on every key). */
export const OPTIONS_SAVE_DEBOUNCE_MS = 400;

/** Where the library stands: being opened, usable, never usable this session, or closed by another tab. */
export type LibraryStatus = 'opening' | 'blocked' | 'ready' | 'unavailable' | 'closed';

/** The parts of navigator.storage the library uses. */
export interface StorageManagerLike {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
}

/** The parts of a BroadcastChannel the library uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** What the library needs from the outside world and from the viewer; tests replace all of it. */
export interface LibraryDeps {
  openStore: (events: LibraryDbEvents) => Promise<SnapshotStore>;
  /** Opens kept bytes in the viewer with the saved options; the profile id, or null when it did not open. */
  openInViewer: (bytes: Blob, meta: SnapshotMeta) => Promise<string | null>;
  /** Closes these open profiles (their snapshot was deleted). */
  closeInViewer: (profileIds: string[]) => void;
  /** Shows a profile already open; false when it is not open (any more). */
  activateInViewer?: (profileId: string) => boolean;
  /** A file just opened is a kept snapshot: start it from the options saved with it. */
  restoreInViewer?: (profileId: string, options: ViewOptions) => void;
  storageManager?: StorageManagerLike | null;
  channel?: (() => ChannelLike | null) | null;
  saveFile?: (blob: Blob, fileName: string) => void;
  now?: () => number;
  /** A snapshot's id from its bytes (SHA-256 hex); the app passes a worker-backed one. */
  computeId?: (bytes: Blob) => Promise<string>;
}

/** Snapshots of one kind, in profile-time order. */
export interface SnapshotGroup {
  kind: ProfileKind;
  snapshots: SnapshotMeta[];
}

/** The last deletion, kept in memory (bytes included) until undone or replaced. */
export interface UndoableRemoval {
  removed: RemovedSnapshot[];
  label: string;
}

/** A snapshot's profile time in ms: time_nanos when the profile has one, else when it was added. */
export function snapshotTimeMs(meta: SnapshotMeta): number {
  return meta.timeNanos > 0 ? meta.timeNanos / 1e6 : meta.addedAt;
}

/** Snapshots matching a search (name, file name, note, tags, kind; case-insensitive), grouped by kind. */
export function groupSnapshots(snapshots: readonly SnapshotMeta[], query: string): SnapshotGroup[] {
  const q = query.trim().toLowerCase();
  const matches = (m: SnapshotMeta) =>
    q === '' || [m.name, m.fileName, m.note, m.kind, ...m.tags].some((text) => text.toLowerCase().includes(q));
  const groups: SnapshotGroup[] = [];
  for (const kind of PROFILE_KINDS) {
    const list = snapshots.filter((m) => m.kind === kind && matches(m));
    if (list.length === 0) continue;
    list.sort((a, b) => snapshotTimeMs(a) - snapshotTimeMs(b) || a.name.localeCompare(b.name));
    groups.push({ kind, snapshots: list });
  }
  return groups;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const NOTICES: Partial<Record<LibraryStatus, string>> = {
  blocked: 'The snapshot library is held open by another tab running an older version of pprof-lens; close or reload that tab to continue.',
  unavailable:
    'This browser does not let pprof-lens store data here (private browsing or blocked site data): profiles open as usual, but nothing will be kept after this tab closes.',
  closed: 'The snapshot library was upgraded or closed in another tab: reload this tab to keep saving profiles. Profiles open here stay open.',
};

/** The app's snapshot library; one per app, shared with the views by context. */
export class LibraryState {
  #deps: LibraryDeps;
  #store: SnapshotStore | null = null;
  #channel: ChannelLike | null = null;
  #status = $state<LibraryStatus>('opening');
  #snapshots = $state.raw<SnapshotMeta[]>([]);
  #query = $state('');
  #selected = $state.raw<ReadonlySet<string>>(new Set());
  #error = $state<string | null>(null);
  #info = $state<string | null>(null);
  #undo = $state.raw<UndoableRemoval | null>(null);
  #estimate = $state.raw<{ usage: number; quota: number } | null>(null);
  #persisted = $state<boolean | null>(null);
  /** null until the person toggles the panel: the app then decides (shown on the empty page). */
  #panelOpen = $state<boolean | null>(null);
  /** Open profile id → the snapshot it was opened from or kept as. */
  #profileSnapshot = new Map<string, string>();
  #pendingOptions = new Map<string, ViewOptions>();
  /** Options changed on a profile whose snapshot is still being kept (hashed, written): saved once it is. */
  #optionsBeforeKept = new Map<string, ViewOptions>();
  #optionsTimer: ReturnType<typeof setTimeout> | null = null;
  /** Writes run one after another, so two opens of the same bytes cannot both create a record. */
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;
  /** Settles when start() has opened the store or given up: files opened before that wait for it. */
  #started: Promise<void>;
  #markStarted: () => void = () => {};

  readonly groups = $derived(groupSnapshots(this.#snapshots, this.#query));
  readonly visibleCount = $derived(this.groups.reduce((n, g) => n + g.snapshots.length, 0));
  readonly notice = $derived(NOTICES[this.#status] ?? null);

  constructor(deps: LibraryDeps) {
    this.#deps = deps;
    this.#started = new Promise((resolve) => (this.#markStarted = resolve));
  }

  get status(): LibraryStatus {
    return this.#status;
  }
  get snapshots(): readonly SnapshotMeta[] {
    return this.#snapshots;
  }
  get query(): string {
    return this.#query;
  }
  get selected(): ReadonlySet<string> {
    return this.#selected;
  }
  get error(): string | null {
    return this.#error;
  }
  /** A passing message (e.g. what "Compare…" chose). */
  get info(): string | null {
    return this.#info;
  }
  get undo(): UndoableRemoval | null {
    return this.#undo;
  }
  get estimate(): { usage: number; quota: number } | null {
    return this.#estimate;
  }
  /** Whether the browser promised not to evict the library (null: unknown or unsupported). */
  get persisted(): boolean | null {
    return this.#persisted;
  }
  get panelOpen(): boolean | null {
    return this.#panelOpen;
  }

  /** Opens the database and loads the list; without IndexedDB the app goes on and says nothing is kept. */
  async start(): Promise<void> {
    try {
      await this.#start();
    } finally {
      this.#markStarted();
    }
  }

  async #start(): Promise<void> {
    performance.mark('pprof:library-open');
    try {
      const store = await this.#deps.openStore({
        onVersionChange: () => this.#closed(),
        onTerminated: () => this.#closed(),
        onBlocked: () => {
          if (this.#status === 'opening') this.#status = 'blocked';
        },
      });
      if (this.#disposed) {
        store.close();
        return;
      }
      this.#store = store;
      this.#status = 'ready';
    } catch {
      this.#status = 'unavailable';
      return;
    }
    this.#channel = this.#deps.channel ? this.#deps.channel() : null;
    if (this.#channel) this.#channel.onmessage = () => void this.reload();
    await this.reload();
    performance.mark('pprof:library-read');
    // The list is in the DOM after tick(); the next frame is when it is painted.
    void tick().then(() => requestAnimationFrame(() => performance.mark('pprof:library-listed')));
    void this.refreshEstimate();
    void this.#deps.storageManager?.persisted?.().then((p) => (this.#persisted = p), () => {});
  }

  /** Reads the list again (another tab changed it); open profiles whose snapshot is gone are closed. */
  async reload(): Promise<void> {
    const store = this.#store;
    if (!store) return;
    try {
      this.#setSnapshots(await store.list());
    } catch (e) {
      this.#fail(e);
      return;
    }
    const gone = [...this.#profileSnapshot].filter(([, sid]) => !this.#snapshots.some((m) => m.id === sid)).map(([pid]) => pid);
    if (gone.length > 0) this.#closeProfiles(gone);
  }

  /** ProfilesState's onOpened: keeps a newly opened file, or notes that a snapshot was opened again. */
  keep(opened: OpenedProfile): Promise<void> {
    return this.#enqueue(() => this.#keep(opened));
  }

  /** ProfilesState's onOptionsChanged: the options are written after OPTIONS_SAVE_DEBOUNCE_MS of quiet. */
  recordOptions(profileId: string, options: ViewOptions): void {
    const snapshotId = this.#profileSnapshot.get(profileId);
    if (!this.#store) return;
    if (!snapshotId) {
      this.#optionsBeforeKept.set(profileId, { ...options });
      return;
    }
    this.#pendingOptions.set(snapshotId, { ...options });
    if (this.#optionsTimer !== null) clearTimeout(this.#optionsTimer);
    this.#optionsTimer = setTimeout(() => void this.flushOptions(), OPTIONS_SAVE_DEBOUNCE_MS);
  }

  /** Links an open profile to its snapshot, saving options changed while the file was being kept. */
  #mapProfile(profileId: string, snapshotId: string): void {
    this.#profileSnapshot.set(profileId, snapshotId);
    const early = this.#optionsBeforeKept.get(profileId);
    if (early) {
      this.#optionsBeforeKept.delete(profileId);
      this.recordOptions(profileId, early);
    }
  }

  /** Writes pending view options now (also on dispose and when the page is hidden). */
  flushOptions(): Promise<void> {
    if (this.#optionsTimer !== null) clearTimeout(this.#optionsTimer);
    this.#optionsTimer = null;
    const pending = [...this.#pendingOptions];
    this.#pendingOptions.clear();
    if (pending.length === 0) return Promise.resolve();
    return this.#enqueue(async () => {
      for (const [id, viewOptions] of pending) await this.#update(id, { viewOptions }, false);
      this.#broadcast();
    });
  }

  togglePanel(open: boolean): void {
    this.#panelOpen = open;
    if (open) void this.refreshEstimate();
  }
  setQuery(query: string): void {
    this.#query = query;
  }
  toggleSelected(id: string, selected = !this.#selected.has(id)): void {
    const next = new Set(this.#selected);
    if (selected) next.add(id);
    else next.delete(id);
    this.#selected = next;
  }
  /** Selects every snapshot the search shows, or clears the selection when they all are selected. */
  toggleSelectAll(): void {
    const visible = this.groups.flatMap((g) => g.snapshots.map((m) => m.id));
    const all = visible.length > 0 && visible.every((id) => this.#selected.has(id));
    this.#selected = all ? new Set() : new Set(visible);
  }
  dismissError(): void {
    this.#error = null;
  }
  dismissInfo(): void {
    this.#info = null;
  }

  rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed === '') return Promise.resolve();
    return this.#enqueue(() => this.#update(id, { name: trimmed }));
  }
  setNote(id: string, note: string): Promise<void> {
    return this.#enqueue(() => this.#update(id, { note }));
  }
  /** Tags as typed, comma-separated. */
  setTags(id: string, text: string): Promise<void> {
    return this.#enqueue(() => this.#update(id, { tags: parseTags(text) }));
  }

  /**
   * Opens snapshots in the viewer, in profile-time order, each with its last view options; a snapshot
   * already open there is shown instead of opened twice.
   */
  open(ids: readonly string[]): Promise<void> {
    return this.#enqueue(async () => {
      const store = this.#store;
      if (!store) return;
      for (const meta of this.#inTimeOrder(ids)) {
        const openAs = [...this.#profileSnapshot].filter(([, sid]) => sid === meta.id).map(([pid]) => pid);
        if (openAs.some((pid) => this.#deps.activateInViewer?.(pid))) continue;
        let bytes: Blob | null;
        try {
          // The Blob goes to the engine, which reads it (gzip inflating as it is read), off the main thread.
          bytes = (await store.readBytes(meta.id)) ?? null;
        } catch (e) {
          this.#fail(e);
          return;
        }
        performance.mark('pprof:snapshot-read', { detail: { bytes: bytes?.size ?? 0 } });
        if (!bytes) {
          this.#error = `${meta.name} is no longer in the library.`;
          await this.reload();
          continue;
        }
        await this.#deps.openInViewer(bytes, meta);
      }
    });
  }

  /**
   * "Compare…": the chosen snapshots in profile-time order. Comparing is wired by a later version; for now
   * the choice is returned and a notice says so.
   */
  compare(): SnapshotMeta[] {
    const chosen = this.#inTimeOrder([...this.#selected]);
    this.#info =
      chosen.length < 2
        ? 'Choose two or more snapshots to compare.'
        : `Comparing snapshots comes in a later version of pprof-lens. Chosen: ${chosen.map((m) => m.name).join(', ')}.`;
    return chosen;
  }

  /** Deletes snapshots (undo puts them back); their open views close. */
  remove(ids: readonly string[]): Promise<void> {
    return this.#enqueue(async () => {
      const store = this.#store;
      if (!store || ids.length === 0) return;
      let removed: RemovedSnapshot[];
      try {
        removed = await store.remove([...ids]);
      } catch (e) {
        this.#fail(e);
        return;
      }
      const gone = new Set(removed.map((r) => r.meta.id));
      this.#snapshots = this.#snapshots.filter((m) => !gone.has(m.id));
      this.#selected = new Set([...this.#selected].filter((id) => !gone.has(id)));
      for (const id of gone) this.#pendingOptions.delete(id);
      this.#closeProfiles([...this.#profileSnapshot].filter(([, sid]) => gone.has(sid)).map(([pid]) => pid));
      if (removed.length > 0) {
        this.#undo = { removed, label: removed.length === 1 ? `Deleted ${removed[0]!.meta.name}` : `Deleted ${removed.length} snapshots` };
      }
      this.#broadcast();
      void this.refreshEstimate();
    });
  }

  /** Puts the last deleted snapshots back. */
  undoRemove(): Promise<void> {
    return this.#enqueue(async () => {
      const store = this.#store;
      const undo = this.#undo;
      if (!store || !undo) return;
      try {
        await store.restore(undo.removed);
      } catch (e) {
        this.#fail(e);
        return;
      }
      this.#undo = null;
      await this.reload();
      this.#broadcast();
    });
  }
  dismissUndo(): void {
    this.#undo = null;
  }

  /** Downloads the original bytes of each snapshot, under its original file name. */
  exportSnapshots(ids: readonly string[]): Promise<void> {
    return this.#enqueue(async () => {
      const store = this.#store;
      if (!store) return;
      const save = this.#deps.saveFile ?? saveFile;
      for (const meta of this.#inTimeOrder(ids)) {
        try {
          const bytes = await store.readBytes(meta.id);
          if (bytes) save(new Blob([bytes], { type: 'application/octet-stream' }), meta.fileName);
          else this.#error = `${meta.name} is no longer in the library.`;
        } catch (e) {
          this.#fail(e);
          return;
        }
      }
    });
  }

  /** Storage used and available to this site (navigator.storage.estimate). */
  async refreshEstimate(): Promise<void> {
    const manager = this.#deps.storageManager;
    if (!manager) return;
    try {
      const { usage, quota } = await manager.estimate();
      if (typeof usage === 'number' && typeof quota === 'number') this.#estimate = { usage, quota };
    } catch {
      // Not offered here: nothing is shown.
    }
  }

  /** Asks the browser to keep the library when disk space runs low (navigator.storage.persist). */
  async requestPersist(): Promise<void> {
    const manager = this.#deps.storageManager;
    if (!manager?.persist) {
      this.#info = 'This browser does not offer persistent storage; snapshots may be evicted when the disk runs low.';
      return;
    }
    try {
      this.#persisted = await manager.persist();
      this.#info = this.#persisted
        ? 'The browser will keep the library even when the disk runs low.'
        : 'The browser declined for now (it decides from how the site is used, e.g. bookmarked or installed); snapshots may be evicted when the disk runs low.';
    } catch (e) {
      this.#info = `Could not ask for persistent storage: ${messageOf(e)}`;
    }
  }

  /** Resolves when every queued write so far has finished. */
  async settled(): Promise<void> {
    await this.#queue;
  }

  /** Settles once start() has opened the store or given up. */
  whenStarted(): Promise<void> {
    return this.#started;
  }

  /** The snapshot an open profile belongs to, if any. */
  snapshotOf(profileId: string): string | null {
    return this.#profileSnapshot.get(profileId) ?? null;
  }

  dispose(): void {
    void this.flushOptions().finally(() => {
      this.#store?.close();
      this.#store = null;
    });
    this.#disposed = true;
    this.#channel?.close();
    this.#channel = null;
  }

  async #keep({ fileName, bytes, snapshotId, summary, error }: OpenedProfile): Promise<void> {
    await this.#started;
    const store = this.#store;
    if (!store) return;
    const now = (this.#deps.now ?? Date.now)();
    const decoded: SnapshotPatch = summary ? describeSummary(summary) : {};
    if (snapshotId !== null) {
      if (summary) this.#mapProfile(summary.id, snapshotId);
      await this.#update(snapshotId, { ...decoded, lastOpenedAt: now, decodeError: error });
      return;
    }
    if (!bytes) return;
    let id: string;
    try {
      id = await (this.#deps.computeId ?? (async (b: Blob) => computeSnapshotId(await b.arrayBuffer())))(bytes);
    } catch (e) {
      this.#error = `Could not keep ${fileName} in the library: ${messageOf(e)}`;
      return;
    }
    const meta: SnapshotMeta = {
      format: RECORD_FORMAT,
      id,
      name: fileName,
      fileName,
      kind: 'other',
      sampleTypes: [],
      periodType: null,
      timeNanos: 0,
      durationNanos: 0,
      ...decoded,
      addedAt: now,
      lastOpenedAt: now,
      size: bytes.size,
      note: '',
      tags: [],
      viewOptions: null,
      decodeError: error,
    };
    try {
      const result = await store.add(meta, bytes);
      if (summary) this.#mapProfile(summary.id, id);
      if (result.created) {
        this.#snapshots = [...this.#snapshots, result.meta];
        this.#broadcast();
        void this.refreshEstimate();
      } else {
        // The same bytes again: the record is kept as named, opens as it was last seen, and decodes now if
        // it did not before.
        if (summary && result.meta.viewOptions) this.#deps.restoreInViewer?.(summary.id, result.meta.viewOptions);
        await this.#update(id, { ...decoded, lastOpenedAt: now, ...(summary ? { decodeError: null } : {}) });
      }
    } catch (e) {
      this.#error = `Could not keep ${fileName} in the library. ${messageOf(e)} The profile is open for this session.`;
      if (e instanceof StorageError && e.code === 'closed') this.#closed();
    }
  }

  async #update(id: string, patch: SnapshotPatch, broadcast = true): Promise<void> {
    const store = this.#store;
    if (!store) return;
    try {
      const next = await store.update(id, patch);
      if (next) this.#snapshots = this.#snapshots.map((m) => (m.id === id ? next : m));
      if (broadcast) this.#broadcast();
    } catch (e) {
      this.#fail(e);
    }
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  #inTimeOrder(ids: readonly string[]): SnapshotMeta[] {
    const wanted = new Set(ids);
    return this.#snapshots.filter((m) => wanted.has(m.id)).sort((a, b) => snapshotTimeMs(a) - snapshotTimeMs(b));
  }

  #setSnapshots(list: SnapshotMeta[]): void {
    this.#snapshots = list;
    const ids = new Set(list.map((m) => m.id));
    if ([...this.#selected].some((id) => !ids.has(id))) this.#selected = new Set([...this.#selected].filter((id) => ids.has(id)));
  }

  #closeProfiles(profileIds: string[]): void {
    for (const pid of profileIds) this.#profileSnapshot.delete(pid);
    if (profileIds.length > 0) this.#deps.closeInViewer(profileIds);
  }

  #broadcast(): void {
    try {
      this.#channel?.postMessage({ type: 'changed' });
    } catch {
      // A closed channel: the other tabs reload on their next change.
    }
  }

  #fail(e: unknown): void {
    this.#error = messageOf(e);
    if (e instanceof StorageError && e.code === 'closed') this.#closed();
  }

  #closed(): void {
    this.#store?.close();
    this.#store = null;
    this.#status = 'closed';
  }
}

/** The metadata a decoded profile gives a snapshot. */
function describeSummary(summary: ProfileSummary): SnapshotPatch {
  return {
    kind: detectProfileKind(summary),
    sampleTypes: summary.sampleTypes,
    periodType: summary.periodType,
    timeNanos: summary.timeNanos,
    durationNanos: summary.durationNanos,
  };
}

/**
 * The viewer's ProfilesState and the LibraryState wired together: every file the viewer opens is kept,
 * option changes are saved back, snapshots open in the viewer with their options, deleted ones close.
 */
export function createLibraryWiring(
  client: EngineClient,
  deps: Omit<LibraryDeps, 'openInViewer' | 'closeInViewer' | 'activateInViewer' | 'restoreInViewer'>,
  profileDeps: ProfilesStateDeps = {},
): { profiles: ProfilesState; library: LibraryState } {
  const library: LibraryState = new LibraryState({
    ...deps,
    openInViewer: (bytes, meta) => profiles.openStored(bytes, meta.fileName, { snapshotId: meta.id, options: meta.viewOptions }),
    closeInViewer: (ids) => ids.forEach((id) => profiles.close(id)),
    activateInViewer: (id) => {
      if (!profiles.profiles.some((p) => p.id === id)) return false;
      profiles.activate(id);
      return true;
    },
    restoreInViewer: (id, options) => void profiles.applySavedOptions(id, options),
  });
  const profiles = new ProfilesState(client, {
    ...profileDeps,
    onOpened: (opened) => void library.keep(opened),
    onOptionsChanged: (id, options) => library.recordOptions(id, options),
  });
  return { profiles, library };
}
