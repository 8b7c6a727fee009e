// @vitest-environment happy-dom
// The flame graph view in the whole app over the real engine (in-process), by role: layout choice, frames,
// click to zoom with details, breadcrumb, search share, and the sandwich with pprof's peek numbers.

import { readFileSync } from 'node:fs';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from '../../src/App.svelte';
import { LEAKY_FIXTURES as LEAKY } from '../helpers/goroutine-manifest';
import type { EngineClient, FlameRequest, FlameView } from '../../src/engine-client/client';
import { createInProcessClient } from '../helpers/in-process-client';

/** Oracle text as lines (helpers/run-top reads fixture paths through import.meta.url, a file URL only in node). */
const readOracle = (path: string) => readFileSync(path, 'utf8').replace(/\n$/, '').split('\n');

const inProcessClient = () => createInProcessClient(false);

/** Row `name` of the top-all oracle: [flat, flat%, sum%, cum, cum%]. */
function oracleRow(name: string): string[] {
  return readOracle(`${LEAKY}heap_t3.inuse_space.top-all.txt`).find((l) => l.endsWith(`  ${name}`))!.trim().split(/\s+/).slice(0, 5);
}

async function openFlame(client = inProcessClient()) {
  render(App, { client, themeDeps: { storage: null, prefersDark: () => false } });
  await userEvent.upload(screen.getByLabelText('Open profile file'), [new File([readFileSync(`${LEAKY}heap_t3.pb.gz`)], 'heap_t3.pb.gz')]);
  const layout = await screen.findByRole('radiogroup', { name: 'Layout' }, { timeout: 10_000 });
  await userEvent.click(within(layout).getByRole('radio', { name: 'Flame graph' }));
  const list = await screen.findByRole('list', { name: 'Flame graph frames' }, { timeout: 10_000 });
  await waitFor(() => expect(within(list).getAllByRole('listitem').length).toBeGreaterThan(3));
  return list;
}

/** Clicks the frame whose hidden list item starts with `name` (happy-dom has no layout: offsets are 0). */
async function clickFrame(list: HTMLElement, name: string) {
  const item = within(list).getAllByRole('listitem').find((li) => li.textContent!.startsWith(`${name} `))!;
  expect(item).toBeDefined();
  const x = Number(item.dataset['x']) + Number(item.dataset['w']) / 2;
  const y = Number(item.dataset['y']) + 10;
  await fireEvent.click(screen.getByRole('application', { name: 'Flame graph' }), { clientX: x, clientY: y });
}

describe('flame graph view', () => {
  it('shows the layout choice, frames with an accessible name, and zooms on click with pprof\'s numbers', async () => {
    const list = await openFlame();
    expect(screen.getByRole('radio', { name: 'Flame graph' })).toHaveAttribute('aria-checked', 'true');
    expect(screen.queryByRole('table', { name: 'Top functions' })).toBeNull();
    // Without the table, the flame graph has its own Sample selector: another type, another root.
    const sample = screen.getByLabelText('Sample') as HTMLSelectElement;
    const allocSpace = [...sample.options].findIndex((o) => o.textContent!.startsWith('alloc_space'));
    const allocTotal = readOracle(`${LEAKY}heap_t3.alloc_space.top-all.txt`)[3]!.match(/of (\S+) total/)![1]!;
    await userEvent.selectOptions(sample, String(allocSpace));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Flame graph frames' })).getAllByRole('listitem')[0]!.textContent).toBe(`root: ${allocTotal} (100%)`));
    await userEvent.selectOptions(sample, [...sample.options].find((o) => o.textContent!.startsWith('inuse_space'))!.value);
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Flame graph frames' })).getAllByRole('listitem')[0]!.textContent).toMatch(/^root: /));
    const root = within(list).getAllByRole('listitem')[0]!;
    const total = readOracle(`${LEAKY}heap_t3.inuse_space.top-all.txt`)[3]!.match(/of (\S+) total/)![1]!;
    expect(root.textContent).toBe(`root: ${total} (100%)`);

    await clickFrame(list, 'main.leakyMiddleware.func1');
    const [flat, , , cum, cumPercent] = oracleRow('main.leakyMiddleware.func1');
    const details = await screen.findByRole('region', { name: 'Frame details' });
    expect(details).toHaveTextContent(`Function total: flat ${flat}, cum ${cum} (${cumPercent})`);
    const crumbs = screen.getByRole('navigation', { name: 'Zoom path' });
    await waitFor(() => expect(within(crumbs).getAllByRole('button').at(-1)).toHaveTextContent('main.leakyMiddleware.func1'));
    // Zoomed: the first frame is the clicked one.
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Flame graph frames' })).getAllByRole('listitem')[0]!.textContent).toMatch(/^main\.leakyMiddleware\.func1 /));

    // Backspace zooms out one level.
    screen.getByRole('application', { name: 'Flame graph' }).focus();
    await userEvent.keyboard('{Backspace}');
    await waitFor(() => expect(within(crumbs).getAllByRole('button').at(-1)).not.toHaveTextContent('main.leakyMiddleware.func1'));
  });

  it('a slow zoom shows the clicked frame\'s subtree, cut from the frames shown, until the engine\'s frames arrive', async () => {
    // Zoomed frames are held back until released: what shows meanwhile is the preview.
    const client = inProcessClient();
    const held: (() => void)[] = [];
    const slow = {
      ...client,
      flame: (id: string, r: FlameRequest) =>
        r.path && r.path.length > 0 ? new Promise<FlameView>((resolve) => held.push(() => resolve(client.flame(id, r)))) : client.flame(id, r),
    };
    const list = await openFlame(slow);
    const before = within(list).getAllByRole('listitem').map((li) => li.textContent!);
    const at = before.findIndex((t) => t.startsWith('main.leakyMiddleware.func1 '));
    await clickFrame(list, 'main.leakyMiddleware.func1');
    const items = () => within(screen.getByRole('list', { name: 'Flame graph frames' })).getAllByRole('listitem').map((li) => li.textContent!);
    await waitFor(() => expect(items()[0]).toBe(before[at]));
    expect(held).toHaveLength(1);
    expect(screen.getByText('Splitting the narrow frames of this zoom…')).toHaveAttribute('role', 'status');
    const preview = items();
    expect(preview.length).toBeGreaterThan(1);
    expect(preview.length).toBeLessThan(before.length);
    // The engine's frames replace it: the same frames (heap_t3 has none too narrow at either zoom).
    held[0]!();
    await waitFor(() => expect(screen.queryByText('Splitting the narrow frames of this zoom…')).toBeNull());
    expect(items()).toEqual(preview);
  });

  it('searches by regexp and shows the matched share; a bad regexp is an error', async () => {
    await openFlame();
    await userEvent.type(screen.getByLabelText('Search frames'), 'Marshal');
    const share = await screen.findByRole('status', { name: 'Matched share' }, { timeout: 5_000 });
    // encoding/json.Marshal is the only match: its cum is the share.
    const [, , , cum, cumPercent] = oracleRow('encoding/json.Marshal');
    expect(share).toHaveTextContent(`Matched ${cum} of`);
    expect(share).toHaveTextContent(`(${cumPercent})`);
    await userEvent.clear(screen.getByLabelText('Search frames'));
    await userEvent.type(screen.getByLabelText('Search frames'), '[[(');
    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid search');
  });

  it('opens the sandwich of a frame with pprof\'s peek numbers', async () => {
    const list = await openFlame();
    await clickFrame(list, 'main.buildUserProfile');
    await userEvent.click(await screen.findByRole('button', { name: 'Open in sandwich' }));
    const sandwich = await screen.findByRole('region', { name: /^Sandwich of main\.buildUserProfile/ });
    const peek = await within(sandwich).findByRole('table', { name: 'Peek of main.buildUserProfile' }, { timeout: 5_000 });
    // The oracle's peek block of main.buildUserProfile: caller and callee weights as pprof prints them.
    const lines = readOracle(`${LEAKY}options/heap_t3.inuse_space.peek.txt`);
    const at = lines.findIndex((l) => l.endsWith('| main.buildUserProfile'));
    const caller = lines[at - 1]!.trim().split(/\s+/);
    const callee = lines[at + 1]!.trim().split(/\s+/);
    const rows = within(peek).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows[0]).toEqual(['caller', caller[3], '', '', '', '', caller[0], caller[1]]);
    expect(rows[2]).toEqual(['callee', callee[3], '', '', '', '', callee[0], callee[1]]);
    const callersName = 'Callers of main.buildUserProfile fixturegen/cmd/leakyserver/server.go';
    const callers = within(sandwich).getByRole('application', { name: callersName });
    // A caller clicked becomes the sandwich's function (the oracle's caller of main.buildUserProfile).
    const item = within(within(sandwich).getByRole('list', { name: `${callersName} frames` }))
      .getAllByRole('listitem')
      .find((li) => li.textContent!.startsWith(`${caller[3]} `))!;
    await fireEvent.click(callers, { clientX: Number(item.dataset['x']) + 2, clientY: Number(item.dataset['y']) + 10 });
    expect(await screen.findByRole('region', { name: new RegExp(`^Sandwich of ${caller[3]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `) })).toBeInTheDocument();
  });

  it('Both: a frame clicked selects its row in the table, a row picked in the table outlines its frames', async () => {
    render(App, { client: inProcessClient(), themeDeps: { storage: null, prefersDark: () => false } });
    await userEvent.upload(screen.getByLabelText('Open profile file'), [new File([readFileSync(`${LEAKY}heap_t3.pb.gz`)], 'heap_t3.pb.gz')]);
    await userEvent.click(await screen.findByRole('radio', { name: 'Both' }, { timeout: 10_000 }));
    const list = await screen.findByRole('list', { name: 'Flame graph frames' }, { timeout: 10_000 });
    const table = await screen.findByRole('table', { name: 'Top functions' });
    await waitFor(() => expect(within(list).getAllByRole('listitem').length).toBeGreaterThan(3));

    await clickFrame(list, 'main.buildUserProfile');
    await waitFor(() => {
      const current = within(table).getAllByRole('row').find((r) => r.getAttribute('aria-current') === 'true');
      expect(current?.textContent).toContain('main.buildUserProfile');
    });

    // Back at the root, pick encoding/json.Marshal's row in the table: its frames are the selected ones.
    screen.getByRole('application', { name: 'Flame graph' }).focus();
    await userEvent.keyboard('{Escape}{Escape}{Escape}{Escape}{Escape}{Escape}{Escape}{Escape}');
    const row = within(table).getAllByRole('row').find((r) => within(r).queryAllByRole('cell').at(-1)?.textContent?.trim() === 'encoding/json.Marshal')!;
    await userEvent.click(row);
    const frames = screen.getByRole('list', { name: 'Flame graph frames' });
    await waitFor(() => expect(frames.querySelector('[data-selected="true"]')?.textContent).toMatch(/^encoding\/json\.Marshal /));
    for (const li of frames.querySelectorAll('[data-selected="true"]')) expect(li.textContent).toMatch(/^encoding\/json\.Marshal /);
  });

  it('a frame\'s context menu refines the profile like the table\'s: Focus on keeps the stacks through it', async () => {
    const list = await openFlame();
    const item = within(list).getAllByRole('listitem').find((li) => li.textContent!.startsWith('main.buildUserProfile '))!;
    await fireEvent.contextMenu(screen.getByRole('application', { name: 'Flame graph' }), {
      clientX: Number(item.dataset['x']) + 2,
      clientY: Number(item.dataset['y']) + 10,
    });
    const menu = await screen.findByRole('menu', { name: 'Frame actions' });
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Focus on' }));
    // The root is now the function's cum (pprof's focus keeps the samples through it).
    const [, , , cum] = oracleRow('main.buildUserProfile');
    const units: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
    const bytes = (t: string) => {
      const m = /^([\d.]+)([a-zA-Z]+)$/.exec(t)!;
      return Number(m[1]) * units[m[2]!]!;
    };
    await waitFor(() => {
      const root = within(screen.getByRole('list', { name: 'Flame graph frames' })).getAllByRole('listitem')[0]!.textContent!;
      const shown = /^root: (\S+) /.exec(root)![1]!;
      expect(Math.abs(bytes(shown) - bytes(cum!))).toBeLessThan(0.01 * 1024);
    });
  });

  it('Flip puts the root at the bottom; the colour-blind-safe palette colours the legend with Okabe–Ito', async () => {
    await openFlame();
    const rootY = () => Number(within(screen.getByRole('list', { name: 'Flame graph frames' })).getAllByRole('listitem')[0]!.dataset['y']);
    expect(rootY()).toBe(0);
    const flip = screen.getByRole('button', { name: 'Flip' });
    expect(flip).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(flip);
    expect(flip).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(rootY()).toBeGreaterThan(0));

    await userEvent.selectOptions(screen.getByLabelText('Colours'), 'okabe-ito');
    const legend = within(screen.getByRole('list', { name: 'Package colours' })).getAllByRole('listitem');
    const main = legend.find((li) => li.textContent === 'main')!;
    const okabeIto = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'];
    const swatch = (main.querySelector('.swatch') as HTMLElement).getAttribute('style') ?? '';
    const hex = /#[0-9a-f]{6}/i.exec(swatch)?.[0] ?? (() => {
      const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(swatch)!;
      return `#${[m[1], m[2], m[3]].map((x) => Number(x).toString(16).padStart(2, '0')).join('')}`;
    })();
    expect(okabeIto).toContain(hex.toUpperCase());
    // Standard-library packages are marked and muted.
    expect(legend.some((li) => li.textContent!.endsWith('(std)'))).toBe(true);
  });
});

describe('the engine requests of a profile opened in a layout', () => {
  /** Opens heap_t3, picks `layout`, opens heap_t0: the engine methods called for heap_t0, in order. */
  async function requestsAfterOpen(layout: string): Promise<string[]> {
    const client = inProcessClient();
    const calls: string[] = [];
    const logged: EngineClient = { ...client, top: (id, r) => (calls.push(`top ${id}`), client.top(id, r)), flame: (id, r) => (calls.push(`flame ${id}`), client.flame(id, r)) };
    render(App, { client: logged, themeDeps: { storage: null, prefersDark: () => false } });
    await userEvent.upload(screen.getByLabelText('Open profile file'), [new File([readFileSync(`${LEAKY}heap_t3.pb.gz`)], 'heap_t3.pb.gz')]);
    const choices = await screen.findByRole('radiogroup', { name: 'Layout' }, { timeout: 10_000 });
    await userEvent.click(within(choices).getByRole('radio', { name: layout }));
    await waitFor(() => expect(calls.length).toBeGreaterThan(0));
    calls.length = 0;
    await userEvent.upload(screen.getByLabelText('Open profile file'), [new File([readFileSync(`${LEAKY}heap_t0.pb.gz`)], 'heap_t0.pb.gz')]);
    await waitFor(() => expect(calls.filter((c) => c.endsWith('p2'))).toHaveLength(layout === 'Table' ? 1 : 2));
    return calls.filter((c) => c.endsWith('p2'));
  }

  it('Flame graph: the frames are asked for before the hidden table', async () => {
    expect(await requestsAfterOpen('Flame graph')).toEqual(['flame p2', 'top p2']);
  });

  it('Both: the table is asked for first', async () => {
    expect(await requestsAfterOpen('Both')).toEqual(['top p2', 'flame p2']);
  });
});
