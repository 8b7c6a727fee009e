// @vitest-environment happy-dom
// The whole app with a fake engine: opening files, the toolbar, errors, filtering, tabs and empty states.

import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../src/App.svelte';
import { createFakeEngine, EMPTY, HEAP, makeFile, type FakeEngine } from './fake-engine';

function renderApp(engine: FakeEngine) {
  return render(App, { client: engine, themeDeps: { storage: null, prefersDark: () => false } });
}

async function openFiles(...names: string[]) {
  await userEvent.upload(screen.getByLabelText('Open profile file'), names.map(makeFile));
}

function firstRowCells(): string[] {
  const table = screen.getByRole('table', { name: 'Top functions' });
  const row = within(table)
    .getAllByRole('row')
    .find((r) => r.getAttribute('aria-rowindex') === '2');
  return within(row!)
    .getAllByRole('cell')
    .map((c) => c.textContent ?? '');
}

afterEach(() => {
  document.documentElement.removeAttribute('data-theme');
});

describe('App', () => {
  it('starts on the empty state with open and demo actions', () => {
    renderApp(createFakeEngine({}));
    expect(screen.getByRole('heading', { name: 'Drop a pprof file anywhere' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Open file…' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try the demo' })).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('opens a file and shows its header, toolbar and table with pprof texts', async () => {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP });
    renderApp(engine);
    await openFiles('heap.pb.gz');

    await screen.findByRole('table', { name: 'Top functions' });
    const header = screen.getByRole('region', { name: 'Report header' });
    expect(header).toHaveTextContent('File: heap.pb.gz');
    expect(header).toHaveTextContent('Type: inuse_space');
    expect(header).toHaveTextContent('Showing nodes accounting for 4608kB, 100% of 4608kB total');
    expect(firstRowCells()).toEqual(['3072kB', '66.67%', '66.67%', '3072kB', '66.67%', 'encoding/json.Marshal']);
    expect(screen.getByText('4 of 4 rows')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'heap.pb.gz' })).toHaveAttribute('aria-selected', 'true');
    // The first request uses pprof's defaults and the profile's default sample type.
    expect(engine.topRequests()[0]).toEqual({ sampleIndex: 1, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '' });
  });

  it('lists every sample type in the Sample select and re-requests on change', async () => {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP });
    renderApp(engine);
    await openFiles('heap.pb.gz');
    await screen.findByRole('table', { name: 'Top functions' });

    const select = screen.getByRole('combobox', { name: 'Sample' });
    const options = within(select).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['alloc_space (bytes)', 'inuse_space (bytes)']);
    expect(select).toHaveValue('1');

    await userEvent.selectOptions(select, 'alloc_space (bytes)');
    await waitFor(() => expect(firstRowCells()[5]).toBe('main.alloc'));
    expect(engine.topRequests().at(-1)?.sampleIndex).toBe(0);
    expect(screen.getByRole('region', { name: 'Report header' })).toHaveTextContent('Type: alloc_space');
  });

  it('sorts from a column header through the state', async () => {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP });
    renderApp(engine);
    await openFiles('heap.pb.gz');
    await screen.findByRole('table', { name: 'Top functions' });

    await userEvent.click(screen.getByRole('button', { name: 'Cum' }));
    await waitFor(() => expect(firstRowCells()[5]).toBe('main.handler'));
    expect(engine.topRequests().at(-1)?.sort).toBe('cum');
    expect(screen.getByRole('columnheader', { name: 'Cum' })).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByRole('combobox', { name: 'Sort' })).toHaveValue('cum');

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Sort' }), 'name');
    await waitFor(() => expect(firstRowCells()[5]).toBe('bytes.growSlice (inline)'));
    expect(screen.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');
  });

  it('asks for untrimmed rows when Trim is unchecked', async () => {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP });
    renderApp(engine);
    await openFiles('heap.pb.gz');
    const trim = await screen.findByRole('checkbox', { name: 'Trim' });
    expect(trim).toBeChecked();
    expect(trim).toHaveAccessibleDescription("hide nodes under 0.5 % (pprof's nodefraction)");

    await userEvent.click(trim);
    await waitFor(() => expect(engine.topRequests().at(-1)?.nodeFraction).toBe(0));
    expect(engine.topRequests().at(-1)?.edgeFraction).toBe(0.001);
  });

  it('shows an open error as an alert and keeps the previous table', async () => {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP }, { 'notes.txt': 'Not a pprof profile: this is a text file' });
    renderApp(engine);
    await openFiles('heap.pb.gz');
    await screen.findByRole('table', { name: 'Top functions' });
    const before = firstRowCells();

    await openFiles('notes.txt');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('notes.txt');
    expect(alert).toHaveTextContent('Not a pprof profile: this is a text file');
    expect(firstRowCells()).toEqual(before);
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['heap.pb.gz']);
    expect(screen.getByRole('tab', { name: 'heap.pb.gz' })).toHaveAttribute('aria-selected', 'true');

    await userEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('table', { name: 'Top functions' })).toBeInTheDocument();
  });

  it('filters by the search box and says when nothing matches', async () => {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP });
    renderApp(engine);
    await openFiles('heap.pb.gz');
    await screen.findByRole('table', { name: 'Top functions' });
    const search = screen.getByRole('searchbox', { name: 'Search functions' });

    await userEvent.type(search, 'main.');
    await waitFor(() => expect(screen.getByText('2 of 4 rows')).toBeInTheDocument());
    // Debounced: one request for the whole word, not one per keystroke.
    expect(engine.topRequests().map((r) => r.filter)).toEqual(['', 'main.']);

    await userEvent.clear(search);
    await userEvent.type(search, 'zzz');
    expect(await screen.findByText('No rows match “zzz”')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('0 of 4 rows')).toBeInTheDocument();
  });

  it('says when the profile has no samples for the sample type', async () => {
    renderApp(createFakeEngine({ 'mutex.pb.gz': EMPTY }));
    await openFiles('mutex.pb.gz');
    expect(await screen.findByText('This profile has no samples for contentions')).toBeInTheDocument();
  });

  it('opens several files at once, switches tabs and closes them back to the empty state', async () => {
    const engine = createFakeEngine({ 'a.pb.gz': HEAP, 'b.pb.gz': { ...HEAP, warnings: ['2 samples had no locations'] } });
    renderApp(engine);
    await openFiles('a.pb.gz', 'b.pb.gz');

    const list = await screen.findByRole('tablist', { name: 'Open profiles' });
    await waitFor(() => expect(within(list).getAllByRole('tab')).toHaveLength(2));
    expect(screen.getByRole('tab', { name: 'b.pb.gz' })).toHaveAttribute('aria-selected', 'true');
    await waitFor(() => expect(screen.getByRole('region', { name: 'Report header' })).toHaveTextContent('File: b.pb.gz'));
    expect(screen.getByRole('complementary', { name: 'Profile warnings' })).toHaveTextContent('2 samples had no locations');

    await userEvent.click(screen.getByRole('tab', { name: 'a.pb.gz' }));
    expect(screen.getByRole('region', { name: 'Report header' })).toHaveTextContent('File: a.pb.gz');
    expect(screen.queryByRole('complementary', { name: 'Profile warnings' })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Close a.pb.gz' }));
    expect(screen.getByRole('tab', { name: 'b.pb.gz' })).toHaveAttribute('aria-selected', 'true');
    expect(engine.calls).toContainEqual({ method: 'close', id: 'p1' });

    await userEvent.click(screen.getByRole('button', { name: 'Close b.pb.gz' }));
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(screen.getByRole('heading', { name: 'Drop a pprof file anywhere' })).toBeInTheDocument();
  });

  it('opens files dropped anywhere on the window', async () => {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP, 'b.pb.gz': HEAP });
    renderApp(engine);
    const files = [makeFile('heap.pb.gz'), makeFile('b.pb.gz')];
    const dataTransfer = { types: ['Files'], files, dropEffect: 'none' };
    const drop = (type: string) => {
      const event = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'dataTransfer', { value: dataTransfer });
      window.dispatchEvent(event);
      return event;
    };
    expect(drop('dragover').defaultPrevented).toBe(true);
    expect(drop('drop').defaultPrevented).toBe(true);

    await waitFor(() => expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['heap.pb.gz', 'b.pb.gz']));
    expect(engine.calls.filter((c) => c.method === 'open')).toHaveLength(2);
  });

  it('toggles dark mode', async () => {
    renderApp(createFakeEngine({}));
    const toggle = screen.getByRole('button', { name: 'Dark mode' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(document.documentElement.dataset.theme).toBe('dark');
  });
});
