// @vitest-environment happy-dom
// The call graph view in the whole app over the real engine and the real Graphviz (both in-process): the
// graph drawn, its legend, a node's menu refining the profile, the node count, and the layout's errors.

import { readFileSync } from 'node:fs';
import { instance } from '@viz-js/viz';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from '../../src/App.svelte';
import type { EngineClient, GraphRequest } from '../../src/engine-client/client';
import type { GraphLayout } from '../../src/state/graph.svelte';
import { createLayoutEngine } from '../../workers/layout';
import { LEAKY_FIXTURES as LEAKY } from '../helpers/goroutine-manifest';
import { createInProcessClient } from '../helpers/in-process-client';

/** The in-process engine, recording the graph requests. */
function inProcessClient(graphRequests: GraphRequest[]): EngineClient {
  const client = createInProcessClient(false);
  const graph = client.graph;
  return { ...client, graph: (id, r) => (graphRequests.push(r), graph(id, r)) };
}

async function openGraph(layout: GraphLayout = createLayoutEngine(instance)) {
  const requests: GraphRequest[] = [];
  render(App, { client: inProcessClient(requests), graphLayout: layout, themeDeps: { storage: null, prefersDark: () => false } });
  await userEvent.upload(screen.getByLabelText('Open profile file'), [new File([readFileSync(`${LEAKY}heap_t3.pb.gz`)], 'heap_t3.pb.gz')]);
  const choices = await screen.findByRole('radiogroup', { name: 'Layout' }, { timeout: 10_000 });
  await userEvent.click(within(choices).getByRole('radio', { name: 'Call graph' }));
  return requests;
}

const nodeButtons = () => within(screen.getByRole('list', { name: 'Graph nodes' })).getAllByRole('button');

describe('call graph view', () => {
  it('draws the graph with a legend, and a node menu focuses on the node', async () => {
    const requests = await openGraph();
    await waitFor(() => expect(screen.getByRole('list', { name: 'Graph nodes' })).toBeInTheDocument(), { timeout: 15_000 });
    expect(requests[0]).toMatchObject({ nodeCount: 80, nodeFraction: 0.005, edgeFraction: 0.001 });
    // Every node is drawn, and so is pprof's legend box ("File: …"), a node of its own in the DOT.
    const titles = [...screen.getByRole('application', { name: 'Call graph' }).querySelectorAll('g.node > title')].map((t) => t.textContent);
    expect(titles).toHaveLength(nodeButtons().length + 1);
    expect(titles.filter((t) => t!.startsWith('File: '))).toEqual(['File: leakyserver']);
    // The legend explains size, colour and the edge kinds.
    const legend = screen.getByText('How to read the graph').closest('details')!;
    expect(legend).toHaveTextContent('flat');
    expect(legend).toHaveTextContent('dotted');
    expect(legend).toHaveTextContent('(inline)');

    const func1 = nodeButtons().find((b) => b.textContent!.startsWith('main.leakyMiddleware.func1:'))!;
    expect(func1).toBeDefined();
    await userEvent.click(func1);
    const menu = await screen.findByRole('menu', { name: 'Node actions' });
    expect(within(menu).getAllByRole('menuitem').map((m) => m.textContent)).toEqual(['Focus on', 'Ignore', 'Hide', 'Show from', 'Show in flame graph']);
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Focus on' }));
    await waitFor(() => expect(requests.at(-1)).toMatchObject({ focus: '^main\\.leakyMiddleware\\.func1$' }), { timeout: 10_000 });
    await waitFor(() => expect(nodeButtons().some((b) => b.textContent!.startsWith('runtime.malg:'))).toBe(false), { timeout: 15_000 });
  });

  it('asks for the node count set on the slider', async () => {
    const requests = await openGraph();
    await screen.findByRole('list', { name: 'Graph nodes' }, { timeout: 15_000 });
    const before = nodeButtons().length;
    const slider = screen.getByRole('slider', { name: /Nodes/ });
    await userEvent.click(slider);
    slider.setAttribute('value', '10');
    (slider as HTMLInputElement).value = '10';
    slider.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => expect(requests.at(-1)).toMatchObject({ nodeCount: 10 }));
    await waitFor(() => expect(nodeButtons().length).toBeLessThan(before), { timeout: 15_000 });
    expect(screen.getByRole('button', { name: 'Default (80)' })).toBeInTheDocument();
  });

  it('shows a Graphviz failure as an alert instead of a graph', async () => {
    await openGraph({ layout: async () => ({ ok: false, error: 'Graphviz could not lay out the graph: syntax error' }) });
    expect(await screen.findByRole('alert', {}, { timeout: 15_000 })).toHaveTextContent('Graphviz could not lay out the graph: syntax error');
    expect(screen.queryByRole('application', { name: 'Call graph' })).toBeNull();
  });
});
