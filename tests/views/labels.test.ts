// @vitest-environment happy-dom
// The Labels panel: pprof's -tags report per key, a value clicked as tagfocus, Shift+click / Ignore as tagignore.

import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import App from '../../src/App.svelte';
import type { TagsView } from '../../src/engine-client/client';
import { formatTagKeys, formatTagsText, type TagsReport } from '../../src/report/tags';
import LabelsReport from '../../src/views/labels/LabelsReport.svelte';
import { createFakeEngine, HEAP, makeFile } from './fake-engine';

const REPORT: TagsReport = {
  sampleUnit: 'count',
  keys: [
    {
      key: 'bytes',
      total: 30,
      unit: 'bytes',
      values: [
        { name: '2kB', value: 20, numMin: 2048, numMax: 2048 },
        { name: '1.50kB', value: 10, numMin: 1536, numMax: 1537 },
      ],
    },
    {
      key: 'handler',
      total: 5376,
      values: [
        { name: '/api/orders', value: 3000 },
        { name: '/api/notify', value: 2376 },
      ],
    },
  ],
};

function tagsView(report: TagsReport): TagsView {
  return { sampleType: 'goroutine', sampleUnit: report.sampleUnit, keys: formatTagKeys(report), text: formatTagsText(report), computeMs: 0 };
}

describe('LabelsReport', () => {
  it('lists every key as a table with its total, and each value with its amount and percentage as pprof prints them', () => {
    render(LabelsReport, { view: tagsView(REPORT), onAction: () => {} });
    const tables = screen.getAllByRole('table');
    expect(tables.map((t) => t.querySelector('caption')?.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['bytes Total 30.0', 'handler Total 5376.0']);
    const rows = within(tables[1]!).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent!.trim()).slice(0, 2))).toEqual([
      ['3000.0', '55.80%'],
      ['2376.0', '44.20%'],
    ]);
    expect(within(tables[1]!).getByRole('rowheader', { name: /\/api\/orders/ })).toBeInTheDocument();
  });

  it('focuses on a clicked value, ignores it on Shift+click, Alt+click or its Ignore button', async () => {
    const onAction = vi.fn();
    // One user session keeps the modifier keys pressed between keyboard() and click().
    const user = userEvent.setup();
    render(LabelsReport, { view: tagsView(REPORT), onAction });
    const orders = screen.getByRole('button', { name: 'Focus on handler=/api/orders' });
    await user.click(orders);
    expect(onAction).toHaveBeenLastCalledWith('tagFocus', 'handler=^/api/orders$');
    await user.keyboard('{Shift>}');
    await user.click(orders);
    await user.keyboard('{/Shift}');
    expect(onAction).toHaveBeenLastCalledWith('tagIgnore', 'handler=^/api/orders$');
    await user.keyboard('{Alt>}');
    await user.click(screen.getByRole('button', { name: 'Focus on bytes=2kB' }));
    await user.keyboard('{/Alt}');
    expect(onAction).toHaveBeenLastCalledWith('tagIgnore', 'bytes=2048bytes');
    // Keyboard: Tab to a value's Ignore button and press Enter; numeric values give pprof's range form.
    screen.getByRole('button', { name: 'Focus on bytes=1.50kB' }).focus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Ignore bytes=1.50kB' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onAction).toHaveBeenLastCalledWith('tagIgnore', 'bytes=1536bytes:1537bytes');
  });

  it('marks the focused value as pressed', () => {
    render(LabelsReport, { view: tagsView(REPORT), tagFocus: 'handler=^/api/notify$', onAction: () => {} });
    expect(screen.getByRole('button', { name: 'Focus on handler=/api/notify' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Focus on handler=/api/orders' })).toHaveAttribute('aria-pressed', 'false');
  });

  it('says when the profile has no labels, and when the filters left none', () => {
    const { unmount } = render(LabelsReport, { view: tagsView({ sampleUnit: 'count', keys: [] }), onAction: () => {} });
    expect(screen.getByRole('status')).toHaveTextContent('This profile has no labels');
    expect(screen.queryByRole('table')).toBeNull();
    unmount();
    render(LabelsReport, { view: tagsView({ sampleUnit: 'count', keys: [] }), filtered: true, onAction: () => {} });
    expect(screen.getByRole('status')).toHaveTextContent('No labels on the samples the refine options keep');
  });

  it('lists 50 values of a key until "Show all"', async () => {
    const values = Array.from({ length: 120 }, (_, i) => ({ name: `req-${i}`, value: 200 - i }));
    const report: TagsReport = { sampleUnit: 'count', keys: [{ key: 'request', total: values.reduce((s, v) => s + v.value, 0), values }] };
    render(LabelsReport, { view: tagsView(report), onAction: () => {} });
    expect(screen.getAllByRole('rowheader')).toHaveLength(50);
    await userEvent.click(screen.getByRole('button', { name: 'Show all 120 values of request' }));
    expect(screen.getAllByRole('rowheader')).toHaveLength(120);
  });
});

describe('Labels panel in the app', () => {
  it('opens from the top bar, narrows the view to a clicked value, and shows the report after the filters', async () => {
    window.history.replaceState(null, '', '/');
    const engine = createFakeEngine({ 'goroutine.pb.gz': { ...HEAP, tags: REPORT } });
    render(App, { client: engine, themeDeps: { storage: null, prefersDark: () => false } });
    await userEvent.upload(screen.getByLabelText('Open profile file'), [makeFile('goroutine.pb.gz')]);
    await screen.findByRole('table', { name: 'Top functions' });

    const toggle = screen.getByRole('button', { name: 'Labels' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const panel = screen.getByRole('region', { name: 'Labels' });
    await userEvent.click(await within(panel).findByRole('button', { name: 'Focus on handler=/api/orders' }));

    await waitFor(() => expect(engine.topRequests().at(-1)).toMatchObject({ tagFocus: 'handler=^/api/orders$' }));
    expect(screen.getByRole('list', { name: 'Active filters' })).toHaveTextContent('tagfocus=handler=^/api/orders$');
    expect(new URLSearchParams(window.location.search).get('tf')).toBe('handler=^/api/orders$');
    // The report is asked again with the filter (only the sample filters: granularity does not change it).
    await waitFor(() => expect(engine.calls.filter((c) => c.method === 'tags').at(-1)).toMatchObject({ request: { sampleIndex: 1, tagFocus: 'handler=^/api/orders$' } }));
    expect(within(panel).getByRole('button', { name: 'Focus on handler=/api/orders' })).toHaveAttribute('aria-pressed', 'true');

    // Ignore another value: tagignore joins the chips; Close hides the panel.
    await userEvent.click(within(panel).getByRole('button', { name: 'Ignore handler=/api/notify' }));
    await waitFor(() => expect(engine.topRequests().at(-1)).toMatchObject({ tagIgnore: 'handler=^/api/notify$' }));
    await userEvent.click(within(panel).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('region', { name: 'Labels' })).toBeNull();
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
  });
});
