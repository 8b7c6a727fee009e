// What the pass worker does with a request, apart from messaging (so an in-thread stand-in runs the same code).

import { addInEdges, sumSamples, type FrameNodes } from '../src/graph/build-graph';
import { createEdgeTable, listEdges } from '../src/graph/edge-table';
import { FlameWalk } from '../src/report/flame';
import { LevelGroups } from '../src/report/flame-columns';
import type { PassReply, PassRequest, StackPart } from './pass-protocol';

/**
 * What a pass worker holds: the sample parts by key, with the value columns sent so far by sample type, and
 * the flame graph walks under way by id.
 */
export interface PassState {
  parts: Map<string, { part: StackPart; nodes: FrameNodes; values: Map<number, Float64Array> }>;
  walks: Map<number, { walk: FlameWalk; groups: LevelGroups }>;
}

export function createPassState(): PassState {
  return { parts: new Map(), walks: new Map() };
}

type Handled = { reply: PassReply; transfer: ArrayBuffer[] } | null;

/** Runs one request against the state; returns the reply (null for load/forget/flameEnd) and its transfer list. */
export function handlePassRequest(state: PassState, m: PassRequest): Handled {
  switch (m.type) {
    case 'load':
      state.parts.set(m.key, { part: m.part, nodes: m.nodes, values: new Map() });
      return null;
    case 'forget':
      state.parts.delete(m.key);
      return null;
    case 'flameEnd':
      state.walks.delete(m.walk);
      return null;
    case 'flameStep':
      return stepWalk(state, m);
  }
  const h = state.parts.get(m.key);
  if (m.values) h?.values.set(m.sampleIndex, m.values);
  const values = h?.values.get(m.sampleIndex);
  if (!h || !values) return { reply: { type: 'error', id: m.id, message: `No samples held for ${m.key} (type ${m.sampleIndex})` }, transfer: [] };
  const columns = { ...h.part, values };
  switch (m.type) {
    case 'sums': {
      const flat = new Float64Array(m.nodeCount);
      const cum = new Float64Array(m.nodeCount);
      sumSamples(columns, h.nodes, 0, values.length, flat, cum, new Int32Array(m.nodeCount).fill(-1));
      return { reply: { type: 'sums', id: m.id, flat, cum }, transfer: [flat.buffer, cum.buffer] };
    }
    case 'inEdges': {
      const edges = createEdgeTable(m.frames.nodeOf);
      addInEdges(columns, m.frames, m.frames.isEdgeNode, edges, 0, values.length);
      const list = listEdges(edges);
      return { reply: { type: 'inEdges', id: m.id, edges: list }, transfer: [list.parent, list.child, list.weight, list.flags].map((a) => a.buffer as ArrayBuffer) };
    }
    case 'flameStart': {
      const walk = new FlameWalk(columns, h.nodes, m.start);
      state.walks.set(m.id, { walk, groups: new LevelGroups(m.nodeCount) });
      const { value, net } = walk.sumRoot();
      return { reply: { type: 'flameStart', id: m.id, value, net, alive: walk.alive }, transfer: [] };
    }
  }
}

/** One depth of a flame walk: its groups (copies of the reused columns) and the self of the depth above. */
function stepWalk(state: PassState, m: Extract<PassRequest, { type: 'flameStep' }>): Handled {
  const w = state.walks.get(m.walk);
  if (!w) return { reply: { type: 'error', id: m.id, message: `No flame walk ${m.walk}` }, transfer: [] };
  const { walk, groups } = w;
  walk.setFrames(m.frameOf);
  groups.reset();
  const self = new Float64Array(m.levelEnd - m.levelStart);
  walk.step(groups, self, m.levelStart);
  const n = groups.length;
  const reply = {
    type: 'flameStep' as const,
    id: m.id,
    alive: walk.alive,
    length: n,
    parent: groups.parent.slice(0, n),
    node: groups.node.slice(0, n),
    value: groups.value.slice(0, n),
    net: groups.net.slice(0, n),
    self,
  };
  return { reply, transfer: [reply.parent, reply.node, reply.value, reply.net, self].map((a) => a.buffer as ArrayBuffer) };
}
