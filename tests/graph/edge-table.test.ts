// The two edge tables behind createEdgeTable (a matrix for few kept nodes, hashing for many) agree.

import { describe, expect, it } from 'vitest';
import { addEdgeList, createEdgeTable, DENSE_EDGE_NODES, listEdges } from '../../src/graph/edge-table';

/** The same adds (slots 0..3, several samples, repeats within a sample) on a table of `k` kept nodes. */
function fill(k: number) {
  const nodeOf = Int32Array.from({ length: k }, (_, slot) => 10 + slot * 2);
  const edges = createEdgeTable(nodeOf);
  edges.add(0, 1, 5, 0, false, true);
  edges.add(0, 1, 5, 0, true, false); // same sample: counted once, flags unchanged
  edges.add(1, 2, 3, 0, true, true);
  edges.add(0, 1, 2, 1, false, true); // stays inline: every visit was inline
  edges.add(1, 2, 4, 1, false, false); // no longer inline; residual stays
  edges.add(3, 0, 1, 2, false, false);
  const seen: [number, number, number, boolean, boolean][] = [];
  edges.forEach((p, c, w, residual, inline) => seen.push([p, c, w, residual, inline]));
  const inEdges = new Uint8Array(20);
  edges.markInEdges(inEdges, 2);
  return { seen, inEdges: Array.from(inEdges) };
}

describe('createEdgeTable', () => {
  it('gives the same edges, in first-added order, as nodes, from the matrix and from the hash table', () => {
    const dense = fill(4);
    const hashed = fill(DENSE_EDGE_NODES + 1);
    expect(dense.seen).toEqual([
      [10, 12, 7, false, true],
      [12, 14, 7, true, false],
      [16, 10, 1, false, false],
    ]);
    expect(hashed).toEqual(dense);
    // Node 12 keeps an inline in-edge (bit 1), node 14 a non-inline one (bit 2); 10's edge is under the cutoff.
    expect(dense.inEdges[12]).toBe(1);
    expect(dense.inEdges[14]).toBe(2);
    expect(dense.inEdges[10]).toBe(0);
  });
});

describe('addEdgeList', () => {
  it.each([4, DENSE_EDGE_NODES + 1])('merges another part\'s edges as one pass over both parts would count them (%i kept)', (k) => {
    const nodeOf = Int32Array.from({ length: k }, (_, slot) => 10 + slot * 2);
    const slotOf = new Int32Array(10 + 2 * k).fill(-1);
    nodeOf.forEach((node, slot) => (slotOf[node] = slot));
    // Part one: samples 0..1. Part two (another worker, its samples numbered from 0 again).
    const one = createEdgeTable(nodeOf);
    one.add(0, 1, 5, 0, false, true);
    one.add(1, 2, 3, 1, false, true);
    const two = createEdgeTable(nodeOf);
    two.add(0, 1, 2, 0, true, true);
    two.add(1, 2, 4, 0, false, false);
    two.add(2, 3, 6, 1, false, true);
    addEdgeList(one, listEdges(two), slotOf);
    const all = createEdgeTable(nodeOf);
    all.add(0, 1, 5, 0, false, true);
    all.add(1, 2, 3, 1, false, true);
    all.add(0, 1, 2, 2, true, true);
    all.add(1, 2, 4, 2, false, false);
    all.add(2, 3, 6, 3, false, true);
    expect(listEdges(one)).toEqual(listEdges(all));
  });
});
