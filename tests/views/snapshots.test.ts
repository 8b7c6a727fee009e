// @vitest-environment happy-dom
// The snapshot library panel by role, over LibraryState with an in-memory store; and the app keeping files.

import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import App from '../../src/App.svelte';
import { LibraryState, type LibraryDeps } from '../../src/state/library.svelte';
import { StorageError } from '../../src/storage/store';
import SnapshotsPanel from '../../src/views/snapshots/SnapshotsPanel.svelte';
import { createMemoryStore, makeSnapshot, type MemoryStore } from '../helpers/memory-store';
import { createFakeEngine, HEAP } from './fake-engine';

const bytes = (text: string) => new TextEncoder().encode(text).buffer;

function seededStore(): MemoryStore {
  return createMemoryStore([
    { meta: makeSnapshot('h3', { name: 'heap_t3.pb.gz', timeNanos: Date.UTC(2026, 10, 23, 13) * 1e6, tags: ['leak'] }), bytes: bytes('t3') },
    { meta: makeSnapshot('h0', { name: 'heap_t0.pb.gz', timeNanos: Date.UTC(2026, 10, 23, 9) * 1e6 }), bytes: bytes('t0') },
    { meta: makeSnapshot('c', { name: 'cpu.pb.gz', kind: 'cpu', sampleTypes: [{ type: 'cpu', unit: 'nanoseconds' }], durationNanos: 5_140_220_940 }), bytes: bytes('cpu') },
    {
      meta: makeSnapshot('bad', { name: 'goroutines.txt', fileName: 'goroutines.txt', kind: 'other', sampleTypes: [], decodeError: 'Not a pprof profile' }),
      bytes: bytes('goroutine 1 [running]:'),
    },
  ]);
}

async function renderPanel(store = seededStore(), extra: Partial<LibraryDeps> = {}) {
  const deps: LibraryDeps = {
    openStore: async () => store,
    openInViewer: vi.fn(async () => 'p1'),
    closeInViewer: vi.fn(),
    storageManager: { estimate: async () => ({ usage: 3 * 1024 * 1024, quota: 2 * 1024 ** 3 }), persisted: async () => false, persist: async () => true },
    saveFile: vi.fn(),
    ...extra,
  };
  const library = new LibraryState(deps);
  await library.start();
  const onImport = vi.fn();
  const onCompare = vi.fn();
  render(SnapshotsPanel, { library, onImport, onCompare });
  return { library, deps, store, onImport, onCompare, user: userEvent.setup() };
}

const panel = () => screen.getByRole('region', { name: 'Snapshot library' });
const listNames = (kind: string) =>
  within(screen.getByRole('list', { name: new RegExp(`^${kind}`) }))
    .getAllByRole('listitem')
    .filter((li) => li.classList.contains('row'))
    .map((li) => li.querySelector('.name')?.textContent);

describe('SnapshotsPanel', () => {
  it('lists snapshots grouped by kind, each group in profile-time order', async () => {
    await renderPanel();
    expect(within(panel()).getAllByRole('heading', { level: 3 }).map((h) => h.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Heap (2)',
      'CPU (1)',
      'Other (1)',
    ]);
    expect(listNames('Heap')).toEqual(['heap_t0.pb.gz', 'heap_t3.pb.gz']);
    expect(screen.getByText('4 kept')).toBeInTheDocument();
    expect(screen.getByText('5.14s')).toBeInTheDocument();
    expect(screen.getByText('Does not open: Not a pprof profile')).toBeInTheDocument();
  });

  it('searches names, tags and notes', async () => {
    const { user } = await renderPanel();
    await user.type(screen.getByRole('searchbox', { name: 'Search snapshots' }), 'leak');
    expect(screen.getAllByRole('button', { name: /^Open (?!selected$)/ }).map((b) => b.getAttribute('aria-label'))).toEqual(['Open heap_t3.pb.gz']);
    await user.clear(screen.getByRole('searchbox', { name: 'Search snapshots' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search snapshots' }), 'zzz');
    expect(screen.getByText('No snapshot matches “zzz”.')).toBeInTheDocument();
  });

  it('renames a snapshot with Enter, and Escape cancels', async () => {
    const { user, store } = await renderPanel();
    await user.click(screen.getByRole('button', { name: 'Rename heap_t3.pb.gz' }));
    const box = screen.getByRole('textbox', { name: 'New name for heap_t3.pb.gz' });
    expect(box).toHaveValue('heap_t3.pb.gz');
    await user.clear(box);
    await user.type(box, 'after lunch{Enter}');
    await waitFor(() => expect(store.meta.get('h3')!.name).toBe('after lunch'));
    expect(screen.getByRole('button', { name: 'Open after lunch' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Rename after lunch' }));
    await user.type(screen.getByRole('textbox', { name: 'New name for after lunch' }), 'xx{Escape}');
    expect(screen.queryByRole('textbox', { name: /New name/ })).toBeNull();
    expect(store.meta.get('h3')!.name).toBe('after lunch');
  });

  it('edits the note and the tags', async () => {
    const { user, store } = await renderPanel();
    await user.click(screen.getByRole('button', { name: 'Note and tags of heap_t0.pb.gz' }));
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'before the deploy');
    await user.tab();
    await user.type(screen.getByRole('textbox', { name: 'Tags (comma-separated)' }), 'baseline, prod');
    await user.tab();
    await waitFor(() => expect(store.meta.get('h0')).toMatchObject({ note: 'before the deploy', tags: ['baseline', 'prod'] }));
    const item = screen.getByRole('button', { name: 'Open heap_t0.pb.gz' }).closest('li')!;
    expect(within(within(item).getByRole('list', { name: 'Tags' })).getAllByRole('listitem').map((t) => t.textContent)).toEqual(['baseline', 'prod']);
  });

  it('deletes with undo', async () => {
    const { user, store } = await renderPanel();
    await user.click(screen.getByRole('button', { name: 'Delete heap_t0.pb.gz' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Open heap_t0.pb.gz' })).toBeNull());
    expect(store.meta.has('h0')).toBe(false);
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('Deleted heap_t0.pb.gz');
    await user.click(within(status).getByRole('button', { name: 'Undo' }));
    await screen.findByRole('button', { name: 'Open heap_t0.pb.gz' });
    expect(store.meta.has('h0')).toBe(true);
  });

  it('selects several snapshots: Compare… returns them in time order; Delete selected removes them', async () => {
    const { user, onCompare, store } = await renderPanel();
    const compare = screen.getByRole('button', { name: 'Compare…' });
    expect(compare).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: 'Select heap_t3.pb.gz' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select heap_t0.pb.gz' }));
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    await user.click(compare);
    expect(onCompare).toHaveBeenCalledOnce();
    expect(onCompare.mock.calls[0]![0].map((m: { id: string }) => m.id)).toEqual(['h0', 'h3']);
    expect(screen.getByRole('status')).toHaveTextContent('Comparing snapshots comes in a later version of pprof-lens. Chosen: heap_t0.pb.gz, heap_t3.pb.gz.');

    await user.click(screen.getByRole('button', { name: 'Delete selected' }));
    await waitFor(() => expect([...store.meta.keys()].sort()).toEqual(['bad', 'c']));
    expect(screen.getByText('0 selected')).toBeInTheDocument();
  });

  it('selects every shown snapshot with All', async () => {
    const { user } = await renderPanel();
    await user.click(screen.getByRole('checkbox', { name: 'All' }));
    expect(screen.getByText('4 selected')).toBeInTheDocument();
    expect(screen.getAllByRole('checkbox', { name: /^Select / }).every((c) => (c as HTMLInputElement).checked)).toBe(true);
  });

  it('opens a snapshot from its stored bytes', async () => {
    const { user, deps } = await renderPanel();
    await user.click(screen.getByRole('button', { name: 'Open heap_t3.pb.gz' }));
    await waitFor(() => expect(deps.openInViewer).toHaveBeenCalledOnce());
    const [opened, meta] = (deps.openInViewer as ReturnType<typeof vi.fn>).mock.calls[0]!;
    expect(await (opened as Blob).text()).toBe('t3');
    expect(meta.id).toBe('h3');
  });

  it('exports a snapshot that does not decode, with its original bytes and name', async () => {
    const { user, deps } = await renderPanel();
    await user.click(screen.getByRole('button', { name: 'Export goroutines.txt' }));
    await waitFor(() => expect(deps.saveFile).toHaveBeenCalledOnce());
    const [blob, name] = (deps.saveFile as ReturnType<typeof vi.fn>).mock.calls[0]!;
    expect(name).toBe('goroutines.txt');
    expect(await (blob as Blob).text()).toBe('goroutine 1 [running]:');
  });

  it('shows storage use and asks to keep the library, explaining why', async () => {
    const { user } = await renderPanel();
    expect(await within(panel()).findByText('3.0 MB of 2.0 GB used (0.1%)')).toBeInTheDocument();
    expect(within(panel()).getByText(/Browsers may delete this site's data when the disk runs low/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Keep snapshots on this device' }));
    expect(await screen.findByText('Kept even when the disk runs low.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Keep snapshots on this device' })).toBeNull();
  });

  it('imports several files at once', async () => {
    const { user, onImport } = await renderPanel();
    const files = [new File(['a'], 'a.pb.gz'), new File(['b'], 'b.pb.gz')];
    await user.upload(screen.getByLabelText('Import profile files'), files);
    expect(onImport).toHaveBeenCalledWith(files);
  });
});

describe('App with the library', () => {
  const fileOf = (name: string) => new File([new TextEncoder().encode(name)], name);
  function renderApp(store: MemoryStore | Error) {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP, 'heap2.pb.gz': HEAP });
    render(App, {
      client: engine,
      themeDeps: { storage: null, prefersDark: () => false },
      libraryDeps: {
        openStore: async () => {
          if (store instanceof Error) throw store;
          return store;
        },
      },
    });
    return engine;
  }

  it('keeps every file opened and lists it in the library', async () => {
    const store = createMemoryStore();
    renderApp(store);
    await userEvent.upload(screen.getByLabelText('Open profile file'), [fileOf('heap.pb.gz'), fileOf('heap2.pb.gz')]);
    await screen.findByRole('table', { name: 'Top functions' });
    await waitFor(() => expect(store.meta.size).toBe(2));
    await userEvent.click(screen.getByRole('button', { name: 'Library' }));
    expect(listNames('Heap')).toEqual(['heap.pb.gz', 'heap2.pb.gz']);
  });

  it('shows the library on the empty page when snapshots exist, and opens one', async () => {
    const store = createMemoryStore([{ meta: makeSnapshot('h', { name: 'kept heap', fileName: 'heap.pb.gz', viewOptions: { sampleIndex: 0, trim: false, sort: 'name', filter: '' } }), bytes: bytes('heap') }]);
    const engine = renderApp(store);
    await userEvent.click(await screen.findByRole('button', { name: 'Open kept heap' }));
    await screen.findByRole('table', { name: 'Top functions' });
    expect(screen.getByRole('tab', { name: 'heap.pb.gz' })).toHaveAttribute('aria-selected', 'true');
    expect(engine.topRequests().at(-1)).toEqual({ sampleIndex: 0, nodeFraction: 0, edgeFraction: 0.001, sort: 'name', filter: '' });
    expect(screen.getByRole('combobox', { name: 'Sample' })).toHaveValue('0');
  });

  it('the Library button hides and shows the panel, on the empty page too', async () => {
    const store = createMemoryStore([{ meta: makeSnapshot('h', { name: 'kept heap' }), bytes: bytes('heap') }]);
    renderApp(store);
    const toggle = screen.getByRole('button', { name: 'Library' });
    await screen.findByRole('region', { name: 'Snapshot library' });
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(toggle);
    expect(screen.queryByRole('region', { name: 'Snapshot library' })).toBeNull();
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(toggle);
    await userEvent.click(within(screen.getByRole('region', { name: 'Snapshot library' })).getByRole('button', { name: 'Close the library' }));
    expect(screen.queryByRole('region', { name: 'Snapshot library' })).toBeNull();
  });

  it('closes the view of a snapshot deleted from the library', async () => {
    const store = createMemoryStore();
    renderApp(store);
    await userEvent.upload(screen.getByLabelText('Open profile file'), [fileOf('heap.pb.gz')]);
    await screen.findByRole('table', { name: 'Top functions' });
    await waitFor(() => expect(store.meta.size).toBe(1));
    await userEvent.click(screen.getByRole('button', { name: 'Library' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete heap.pb.gz' }));
    await waitFor(() => expect(screen.queryByRole('table', { name: 'Top functions' })).toBeNull());
    expect(screen.queryByRole('tab')).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('Deleted heap.pb.gz');
  });

  it('says nothing will be kept when IndexedDB is unavailable, and still opens files', async () => {
    renderApp(new StorageError('unavailable', 'no IndexedDB'));
    expect(await screen.findByText(/nothing will be kept after this tab closes/)).toHaveAttribute('role', 'status');
    await userEvent.upload(screen.getByLabelText('Open profile file'), [fileOf('heap.pb.gz')]);
    await screen.findByRole('table', { name: 'Top functions' });
  });

  it('reports a full disk as an alert and keeps the profile open', async () => {
    const store = createMemoryStore();
    store.failAdd = new StorageError('quota', "The browser's storage for this site is full: keeping heap.pb.gz failed and nothing was written.");
    renderApp(store);
    await userEvent.upload(screen.getByLabelText('Open profile file'), [fileOf('heap.pb.gz')]);
    expect(await screen.findByRole('alert')).toHaveTextContent(/storage for this site is full/);
    expect(screen.getByRole('table', { name: 'Top functions' })).toBeInTheDocument();
    expect(store.meta.size).toBe(0);
  });
});
