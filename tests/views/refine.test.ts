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

describe('RefineBar: More filters', () => {
  it('opens with a disclosure and applies the tag filters, prune_from and nodecount with the others', async () => {
    const onApply = vi.fn();
    render(RefineBar, { options: {}, onApply });
    const more = screen.getByRole('button', { name: 'More filters' });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('textbox', { name: 'Tag focus' })).toBeNull();
    await userEvent.click(more);
    expect(more).toHaveAttribute('aria-expanded', 'true');
    const group = screen.getByRole('group', { name: 'More filters' });
    await userEvent.type(within(group).getByRole('textbox', { name: 'Tag focus' }), 'handler=/api/search');
    await userEvent.type(within(group).getByRole('textbox', { name: 'Tag ignore' }), 'bytes=1kb:4kb');
    await userEvent.type(within(group).getByRole('textbox', { name: 'Tag show' }), 'handler');
    await userEvent.type(within(group).getByRole('textbox', { name: 'Tag hide' }), 'tenant');
    await userEvent.type(within(group).getByRole('textbox', { name: 'Prune from' }), '^runtime\\.');
    await userEvent.type(within(group).getByRole('textbox', { name: 'Node count' }), '20');
    // Typing sends nothing; Enter applies every field at once.
    expect(onApply).not.toHaveBeenCalled();
    await userEvent.keyboard('{Enter}');
    expect(onApply).toHaveBeenCalledTimes(1);
    expect(onApply).toHaveBeenCalledWith({
      focus: '',
      ignore: '',
      hide: '',
      show: '',
      showFrom: '',
      tagFocus: 'handler=/api/search',
      tagIgnore: 'bytes=1kb:4kb',
      tagShow: 'handler',
      tagHide: 'tenant',
      pruneFrom: '^runtime\\.',
      nodeCount: 20,
    });
  });

  it('shows bad tag syntax, a bad regexp and a bad node count on their fields and sends nothing', async () => {
    const onApply = vi.fn();
    render(RefineBar, { options: {}, onApply });
    await userEvent.click(screen.getByRole('button', { name: 'More filters' }));
    const tagFocus = screen.getByRole('textbox', { name: 'Tag focus' });
    const tagHide = screen.getByRole('textbox', { name: 'Tag hide' });
    const nodeCount = screen.getByRole('textbox', { name: 'Node count' });
    await userEvent.type(tagFocus, 'handler=(');
    await userEvent.type(tagHide, '[[');
    await userEvent.type(nodeCount, '-3{Enter}');
    expect(onApply).not.toHaveBeenCalled();
    for (const field of [tagFocus, tagHide, nodeCount]) expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getAllByRole('alert')).toHaveLength(3);
    expect(nodeCount).toHaveAccessibleDescription('Node count is a whole number (empty or 0: every node).');
    // A fixed field loses its error; the others keep theirs.
    await userEvent.clear(nodeCount);
    await userEvent.type(nodeCount, '5');
    expect(nodeCount).not.toHaveAttribute('aria-invalid');
    expect(tagFocus).toHaveAttribute('aria-invalid', 'true');
  });

  it('starts open when one of its options is set, and sets relative percentages at once', async () => {
    const onApply = vi.fn();
    render(RefineBar, { options: { tagFocus: 'handler=^/api/orders$' }, onApply });
    expect(screen.getByRole('textbox', { name: 'Tag focus' })).toHaveValue('handler=^/api/orders$');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Relative percentages' }));
    expect(onApply).toHaveBeenCalledWith({ relativePercentages: true });
  });

  it('leaves the options behind a closed disclosure untouched', async () => {
    const onApply = vi.fn();
    render(RefineBar, { options: { tagFocus: 'a=^b$' }, onApply });
    await userEvent.click(screen.getByRole('button', { name: 'More filters' }));
    expect(screen.queryByRole('group', { name: 'More filters' })).toBeNull();
    await userEvent.type(screen.getByRole('textbox', { name: 'Focus' }), 'x{Enter}');
    expect(onApply).toHaveBeenCalledWith({ focus: 'x', ignore: '', hide: '', show: '', showFrom: '' });
  });

  it('lists nodecount and relative percentages as removable chips too', async () => {
    const onApply = vi.fn();
    render(RefineBar, { options: { tagIgnore: 'handler=^/x$', nodeCount: 20, relativePercentages: true }, onApply });
    const chips = within(screen.getByRole('list', { name: 'Active filters' })).getAllByRole('listitem');
    expect(chips.map((c) => c.textContent?.replace('×', '').trim())).toEqual(['tagignore=handler=^/x$', 'nodecount=20', 'relative_percentages']);
    await userEvent.click(screen.getByRole('button', { name: 'Remove nodecount=20' }));
    expect(onApply).toHaveBeenLastCalledWith({ nodeCount: 0 });
    await userEvent.click(screen.getByRole('button', { name: 'Remove relative_percentages' }));
    expect(onApply).toHaveBeenLastCalledWith({ relativePercentages: false });
    await userEvent.click(screen.getByRole('button', { name: 'Remove tagignore=handler=^/x$' }));
    expect(onApply).toHaveBeenLastCalledWith({ tagIgnore: '' });
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
