// @vitest-environment happy-dom
// Refining from the UI: the Refine bar (regex fields, granularity, chips) and the row actions of the top table.

import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TopRequest } from '../../src/engine-client/client';
import RefineBar from '../../src/views/top-table/RefineBar.svelte';
import TopTable from '../../src/views/top-table/TopTable.svelte';
import { applyRowAction, escapeRegExp } from '../../src/views/shared/refine-actions';
import { buildFakeTopView, HEAP } from './fake-engine';

const REQUEST: TopRequest = { sampleIndex: 1, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '' };

describe('RefineBar', () => {
  it('applies the regex fields on Enter', async () => {
    const onApply = vi.fn();
    render(RefineBar, { options: {}, onApply });
    await userEvent.type(screen.getByRole('textbox', { name: 'Focus' }), 'leakyMiddleware{Enter}');
    expect(onApply).toHaveBeenCalledWith({ focus: 'leakyMiddleware', ignore: '', hide: '', show: '', showFrom: '' });
  });

  it('shows an invalid regex as an error on its field and sends nothing', async () => {
    const onApply = vi.fn();
    render(RefineBar, { options: {}, onApply });
    const ignore = screen.getByRole('textbox', { name: 'Ignore' });
    await userEvent.type(ignore, 'runtime.({Enter}');
    expect(onApply).not.toHaveBeenCalled();
    expect(ignore).toHaveAttribute('aria-invalid', 'true');
    expect(ignore).toHaveAccessibleDescription(screen.getByRole('alert').textContent!);
    await userEvent.type(ignore, '){Enter}');
    expect(ignore).not.toHaveAttribute('aria-invalid');
    expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ ignore: 'runtime.()' }));
  });

  it('lists each active filter as a removable chip', async () => {
    const onApply = vi.fn();
    render(RefineBar, { options: { focus: '^main\\.f$', hide: 'runtime', tagFocus: 'handler=/api' }, onApply });
    const chips = within(screen.getByRole('list', { name: 'Active filters' })).getAllByRole('listitem');
    expect(chips.map((c) => c.textContent?.replace('×', '').trim())).toEqual(['focus=^main\\.f$', 'hide=runtime', 'tagfocus=handler=/api']);
    await userEvent.click(screen.getByRole('button', { name: 'Remove hide=runtime' }));
    expect(onApply).toHaveBeenCalledWith({ hide: '' });
  });

  it('switches granularity and noinlines at once', async () => {
    const onApply = vi.fn();
    render(RefineBar, { options: {}, onApply });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Granularity' }), 'lines');
    expect(onApply).toHaveBeenCalledWith({ granularity: 'lines' });
    await userEvent.click(screen.getByRole('checkbox', { name: 'No inlines' }));
    expect(onApply).toHaveBeenLastCalledWith({ noInlines: true });
  });
});

describe('row actions', () => {
  it('OR Ignore and Hide into the pattern, and replace Focus and Show from, with the exact escaped name', () => {
    const name = 'main.(*server).handle';
    const exact = '^main\\.\\(\\*server\\)\\.handle$';
    expect(escapeRegExp(name)).toBe('main\\.\\(\\*server\\)\\.handle');
    expect(applyRowAction({ ignore: 'runtime' }, 'ignore', name)).toEqual({ ignore: `runtime|${exact}` });
    expect(applyRowAction({}, 'hide', name)).toEqual({ hide: exact });
    expect(applyRowAction({ focus: 'old' }, 'focus', name)).toEqual({ focus: exact });
    expect(applyRowAction({ showFrom: 'old' }, 'showFrom', name)).toEqual({ showFrom: exact });
    expect(new RegExp(exact).test(name)).toBe(true);
  });

  it('opens a context menu on a row and reports the chosen action', async () => {
    const onRowAction = vi.fn();
    const view = buildFakeTopView('heap.pb.gz', HEAP, REQUEST);
    render(TopTable, { view, sort: 'flat', onSort: () => {}, onRowAction });
    const row = screen.getAllByRole('row').find((r) => r.textContent?.includes('main.handler'))!;
    await fireEvent.contextMenu(row, { clientX: 10, clientY: 10 });
    const menu = screen.getByRole('menu', { name: 'Refine by main.handler' });
    expect(within(menu).getAllByRole('menuitem').map((i) => i.textContent)).toEqual(['Focus onf', 'Ignorei', 'Hideh', 'Show froms']);
    await userEvent.click(within(menu).getByRole('menuitem', { name: /Ignore/ }));
    expect(onRowAction).toHaveBeenCalledWith('ignore', 'main.handler');
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('acts on the selected row with the keys f, i, h, s', async () => {
    const onRowAction = vi.fn();
    const view = buildFakeTopView('heap.pb.gz', HEAP, REQUEST);
    render(TopTable, { view, sort: 'flat', onSort: () => {}, onRowAction });
    const body = screen.getByRole('rowgroup', { name: 'Rows' });
    body.focus();
    await userEvent.keyboard('{ArrowDown}f');
    expect(onRowAction).toHaveBeenLastCalledWith('focus', view.name[0]);
    await userEvent.keyboard('{ArrowDown}h');
    expect(onRowAction).toHaveBeenLastCalledWith('hide', view.name[1]);
    await userEvent.keyboard('{Shift>}{F10}{/Shift}');
    expect(screen.getByRole('menu', { name: `Refine by ${view.name[1]}` })).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
  });
});
