// What the pass worker does with a request, apart from messaging (so an in-thread stand-in runs the same code).

import { addInEdges, sumSamples, type FrameNodes } from '../src/graph/build-graph';
import { createEdgeTable, listEdges } from '../src/graph/edge-table';
import type { PassReply, PassRequest, StackPart } from './pass-protocol';

/** The sample parts a pass worker holds, by key, with the value columns sent so far by sample type. */
export type HeldParts = Map<string, { part: StackPart; nodes: FrameNodes; values: Map<number, Float64Array> }>;

/** Runs one request against the held parts; returns the reply (null for load/forget) and its transfer list. */
export function handlePassRequest(held: HeldParts, m: PassRequest): { reply: PassReply; transfer: ArrayBuffer[] } | null {
  if (m.type === 'load') {
    held.set(m.key, { part: m.part, nodes: m.nodes, values: new Map() });
    return null;
  }
  if (m.type === 'forget') {
    held.delete(m.key);
    return null;
  }
  const h = held.get(m.key);
  if (m.values) h?.values.set(m.sampleIndex, m.values);
  const values = h?.values.get(m.sampleIndex);
  if (!h || !values) return { reply: { type: 'error', id: m.id, message: `No samples held for ${m.key} (type ${m.sampleIndex})` }, transfer: [] };
  const columns = { ...h.part, values };
  if (m.type === 'sums') {
    const flat = new Float64Array(m.nodeCount);
    const cum = new Float64Array(m.nodeCount);
    sumSamples(columns, h.nodes, 0, values.length, flat, cum, new Int32Array(m.nodeCount).fill(-1));
    return { reply: { type: 'sums', id: m.id, flat, cum }, transfer: [flat.buffer, cum.buffer] };
  }
  const edges = createEdgeTable(m.frames.nodeOf);
  addInEdges(columns, m.frames, m.frames.isEdgeNode, edges, 0, values.length);
  const list = listEdges(edges);
  return { reply: { type: 'inEdges', id: m.id, edges: list }, transfer: [list.parent, list.child, list.weight, list.flags].map((a) => a.buffer as ArrayBuffer) };
}
