// @vitest-environment happy-dom
// The app and its URL: a link's view applies to the profile opened next; what it cannot use is a notice.

import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from '../../src/App.svelte';
import { createFakeEngine, HEAP, makeFile } from './fake-engine';

describe('App and the URL', () => {
  it('applies a link to the profile opened, shows the Active filters chip, and lists ignored parameters', async () => {
    window.history.replaceState(null, '', '?v=1&f=main%5C.handler&unknown=1');
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP });
    render(App, { client: engine, themeDeps: { storage: null, prefersDark: () => false } });

    const notice = await screen.findByText('Ignored the unknown link parameter “unknown”.');
    await userEvent.upload(screen.getByLabelText('Open profile file'), [makeFile('heap.pb.gz')]);
    await waitFor(() => expect(engine.topRequests().at(-1)).toMatchObject({ focus: 'main\\.handler' }));
    expect(screen.getByRole('list', { name: 'Active filters' })).toHaveTextContent('focus=main\\.handler');
    expect(new URLSearchParams(window.location.search).get('f')).toBe('main\\.handler');

    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(notice).not.toBeInTheDocument();

    // Removing the chip removes the filter from the request and from the URL.
    await userEvent.click(screen.getByRole('button', { name: 'Remove focus=main\\.handler' }));
    await waitFor(() => expect(engine.topRequests().at(-1)!.focus).toBeUndefined());
    expect(new URLSearchParams(window.location.search).get('f')).toBeNull();
  });
});
