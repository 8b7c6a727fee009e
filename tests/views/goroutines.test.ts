// @vitest-environment happy-dom
// The goroutine view in the whole app over the real engine (run in-process): summary, buckets, stack, filters, tabs.

import { readFileSync } from 'node:fs';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from '../../src/App.svelte';
import { LEAKY_FIXTURES as LEAKY, readManifestGoroutines } from '../helpers/goroutine-manifest';
import { createInProcessClient } from '../helpers/in-process-client';

const manifest = readManifestGoroutines();

const inProcessClient = () => createInProcessClient(true);

function fixtureFile(name: string): File {
  return new File([readFileSync(`${LEAKY}${name}`)], name);
}

async function renderWith(...names: string[]) {
  render(App, { client: inProcessClient(), themeDeps: { storage: null, prefersDark: () => false } });
  await userEvent.upload(screen.getByLabelText('Open profile file'), names.map(fixtureFile));
}

describe('goroutine view', () => {
  it('shows a dump\'s states, its buckets largest first, and a bucket\'s stack on Enter', async () => {
    await renderWith('goroutine_t1.debug2.txt');
    const bar = await screen.findByRole('img', { name: /Goroutine states/ }, { timeout: 10_000 });
    expect(bar.getAttribute('aria-label')).toContain(`${manifest.total.t1} in all`);
    const legend = within(screen.getByRole('list', { name: 'Goroutine states' })).getAllByRole('listitem');
    const counts = legend.map((li) => Number(li.querySelector('.count')?.textContent));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(manifest.total.t1);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const table = screen.getByRole('table', { name: 'Goroutine buckets' });
    const rows = within(table).getAllByRole('row').slice(1);
    const audit = manifest.byFunction.get('main.(*server).publishAudit')!;
    expect(within(rows[0]!).getAllByRole('cell')[0]!.textContent).toBe(String(audit.t1));

    const body = within(table).getByRole('rowgroup', { name: 'Buckets' });
    body.focus();
    await userEvent.keyboard('{ArrowDown}{Enter}');
    const stack = await screen.findByRole('region', { name: /Stack of/ });
    expect(stack.textContent).toContain('main.(*server).publishAudit(');
    expect(stack.textContent).toMatch(/fixturegen\/cmd\/leakyserver\/server\.go:\d+ \+0x/);
    await userEvent.click(within(stack).getByRole('button', { name: 'Close stack' }));
    expect(screen.queryByRole('region', { name: /Stack of/ })).toBeNull();
  });

  it('filters by state from the legend, and shows an invalid regex on its field without a request', async () => {
    await renderWith('goroutine_t1.debug2.txt');
    await screen.findByRole('table', { name: 'Goroutine buckets' }, { timeout: 10_000 });
    await userEvent.click(screen.getByRole('button', { name: /^chan receive, locked to thread/ }));
    const legacy = manifest.byFunction.get('main.(*server).legacyDeviceWorker')!;
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain(`${legacy.t1} of ${manifest.total.t1} goroutines`));

    const regex = screen.getByLabelText('Function regex');
    await userEvent.type(regex, '(');
    expect(regex.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(/Invalid function regex/);
  });

  it('offers Top and Goroutines for goroutine profiles only, and compares two open dumps', async () => {
    await renderWith('heap_t3.pb.gz', 'goroutine_t0.debug2.txt', 'goroutine_t1.debug2.txt');
    const views = await screen.findByRole('tablist', { name: 'Views' }, { timeout: 10_000 });
    await userEvent.click(within(views).getByRole('tab', { name: 'Top' }));
    expect(await screen.findByRole('table', { name: 'Top functions' })).toBeInTheDocument();
    await userEvent.click(within(views).getByRole('tab', { name: 'Goroutines' }));
    await screen.findByRole('table', { name: 'Goroutine buckets' });

    await userEvent.selectOptions(screen.getByLabelText('Compare with…'), 'goroutine_t0.debug2.txt');
    const growth = await screen.findByRole('table', { name: 'Goroutine growth' });
    const first = within(growth).getAllByRole('row')[1]!;
    expect(first.textContent).toContain('main.(*server).publishAudit');

    await userEvent.click(screen.getByRole('tab', { name: 'heap_t3.pb.gz' }));
    await screen.findByRole('table', { name: 'Top functions' });
    expect(screen.queryByRole('tablist', { name: 'Views' })).toBeNull();
  });
});
