// @vitest-environment happy-dom
// The virtualised top table: ARIA roles and names, pprof's cell texts, sort headers, virtualisation, keyboard.

import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TopRequest } from '../../src/engine-client/client';
import TopTable from '../../src/views/top-table/TopTable.svelte';
import { buildFakeTopView, HEAP, makeManyRows } from './fake-engine';

const REQUEST: TopRequest = { sampleIndex: 1, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '' };
const ROW_HEIGHT = 24;

function dataRows(): HTMLElement[] {
  return screen.getAllByRole('row').filter((r) => within(r).queryAllByRole('cell').length > 0);
}

function cellTexts(row: HTMLElement): string[] {
  return within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent ?? '');
}

describe('TopTable', () => {
  it('has the six column headers and pprof texts in the first row', () => {
    const view = buildFakeTopView('heap.pb.gz', HEAP, REQUEST);
    render(TopTable, { view, sort: 'flat', onSort: () => {} });

    const table = screen.getByRole('table', { name: 'Top functions' });
    expect(table).toHaveAttribute('aria-rowcount', '5');
    const headers = within(table).getAllByRole('columnheader');
    expect(headers.map((h) => h.textContent?.trim())).toEqual(['Flat', 'Flat%', 'Sum%', 'Cum', 'Cum%', 'Name']);

    const [first, second, third] = dataRows();
    expect(cellTexts(first!)).toEqual(['3072kB', '66.67%', '66.67%', '3072kB', '66.67%', 'encoding/json.Marshal']);
    expect(first).toHaveAttribute('aria-rowindex', '2');
    // pprof's marker follows the name; 100% is printed without padding.
    expect(cellTexts(second!)[5]).toBe('bytes.growSlice (inline)');
    expect(cellTexts(third!)).toEqual(['512kB', '11.11%', '100%', '4608kB', '100%', 'main.handler']);
  });

  it('shows the sort on its header and reports header clicks', async () => {
    const onSort = vi.fn();
    const view = buildFakeTopView('heap.pb.gz', HEAP, REQUEST);
    render(TopTable, { view, sort: 'flat', onSort });

    expect(screen.getByRole('columnheader', { name: 'Flat' })).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByRole('columnheader', { name: 'Cum' })).not.toHaveAttribute('aria-sort');

    await userEvent.click(screen.getByRole('button', { name: 'Cum' }));
    expect(onSort).toHaveBeenLastCalledWith('cum');
    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    expect(onSort).toHaveBeenLastCalledWith('name');
    // Percent columns are not sort keys.
    expect(within(screen.getByRole('columnheader', { name: 'Sum%' })).queryByRole('button')).toBeNull();
  });

  it('marks a name sort as ascending', () => {
    const view = buildFakeTopView('heap.pb.gz', HEAP, { ...REQUEST, sort: 'name' });
    render(TopTable, { view, sort: 'name', onSort: () => {} });
    expect(screen.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByRole('columnheader', { name: 'Flat' })).not.toHaveAttribute('aria-sort');
    expect(cellTexts(dataRows()[0]!)[5]).toBe('bytes.growSlice (inline)');
  });

  it('keeps only a window of rows in the DOM for 100 000 rows', async () => {
    const view = buildFakeTopView('big.pb.gz', { sampleTypes: [{ type: 'samples', unit: 'count' }], rows: [makeManyRows(100_000)] }, { ...REQUEST, sampleIndex: 0 });
    render(TopTable, { view, sort: 'flat', onSort: () => {} });

    const table = screen.getByRole('table', { name: 'Top functions' });
    expect(table).toHaveAttribute('aria-rowcount', '100001');
    let rows = dataRows();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(200);
    expect(cellTexts(rows[0]!)[5]).toBe('pkg.fn0');

    // Scrolling half-way brings row 50 000 in, with its aria-rowindex, and still a small window.
    const body = screen.getByRole('rowgroup', { name: 'Rows' });
    body.scrollTop = 50_000 * ROW_HEIGHT;
    await fireEvent.scroll(body);
    rows = dataRows();
    expect(rows.length).toBeLessThan(200);
    const middle = rows.find((r) => cellTexts(r)[5] === 'pkg.fn50000');
    expect(middle).toBeDefined();
    expect(middle).toHaveAttribute('aria-rowindex', '50002');
    expect(screen.queryByText('pkg.fn0')).toBeNull();
  });

  it('moves a selected row with the keyboard and scrolls it into view', async () => {
    const view = buildFakeTopView('big.pb.gz', { sampleTypes: [{ type: 'samples', unit: 'count' }], rows: [makeManyRows(1000)] }, { ...REQUEST, sampleIndex: 0 });
    render(TopTable, { view, sort: 'flat', onSort: () => {} });
    const body = screen.getByRole('rowgroup', { name: 'Rows' });
    body.focus();
    const user = userEvent.setup();

    await user.keyboard('{ArrowDown}{ArrowDown}');
    let current = screen.getAllByRole('row').find((r) => r.getAttribute('aria-current') === 'true');
    expect(current).toHaveAttribute('aria-rowindex', '3');

    await user.keyboard('{End}');
    current = screen.getAllByRole('row').find((r) => r.getAttribute('aria-current') === 'true');
    expect(current).toHaveAttribute('aria-rowindex', '1001');
    expect(cellTexts(current!)[5]).toBe('pkg.fn999');

    await user.keyboard('{Home}{PageDown}');
    current = screen.getAllByRole('row').find((r) => r.getAttribute('aria-current') === 'true');
    expect(Number(current?.getAttribute('aria-rowindex'))).toBeGreaterThan(10);
  });
});
