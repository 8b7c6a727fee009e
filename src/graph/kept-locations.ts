// Per location, the frames a pass keeps: what the hot loops over millions of frames read instead of the node map.

import type { NodeMap } from './nodes';

/** A location with frames, none of them kept: the walk marks the next kept frame residual. */
export const LOCATION_DROPPED = -1;
/** A location without frames (hidden by hide/show): the walk goes on as if it were not there. */
export const LOCATION_EMPTY = -2;

/**
 * The kept nodes as dense slots (0..count−1) and each location's kept frames. `code[l]` is a slot when the
 * location's only kept frame is its outermost line (not inlined, no dropped line after it), LOCATION_DROPPED,
 * LOCATION_EMPTY, or −3 − i for list i: entries `listEntry[listStart[i] .. listStart[i + 1])` in root-to-leaf
 * order, each `slot << 2`, | 2 when dropped lines of the location come before it, | 1 when it is an inlined
 * line; `listTrailing[i]` is 1 when dropped lines come after the last kept one.
 */
export interface KeptLocations {
  count: number;
  slotOf: Int32Array;
  nodeOf: Int32Array;
  code: Int32Array;
  listStart: Uint32Array;
  listEntry: Int32Array;
  listTrailing: Uint8Array;
}

/** The nodes with `kept[n]` 1 (every one of `count` when null) numbered 0..k−1 in node order: slots. */
export function numberKeptNodes(kept: Uint8Array | null, count: number): { slotOf: Int32Array; nodeOf: Int32Array } {
  const slotOf = new Int32Array(count).fill(-1);
  const nodeOf: number[] = [];
  for (let n = 0; n < count; n++) {
    if (kept !== null && kept[n] !== 1) continue;
    slotOf[n] = nodeOf.length;
    nodeOf.push(n);
  }
  return { slotOf, nodeOf: Int32Array.from(nodeOf) };
}

/** The kept locations of `nodes` for the nodes with `kept[n]` 1 (every node when null). */
export function buildKeptLocations(nodes: NodeMap, kept: Uint8Array | null): KeptLocations {
  const { slotOf, nodeOf } = numberKeptNodes(kept, nodes.length);
  const { locNodeStart, locNodes } = nodes;
  const locations = locNodeStart.length - 1;
  const code = new Int32Array(locations);
  const listStart: number[] = [0];
  const listEntry: number[] = [];
  const listTrailing: number[] = [];
  for (let l = 0; l < locations; l++) {
    const first = locNodeStart[l]!;
    const last = locNodeStart[l + 1]! - 1;
    if (last < first) {
      code[l] = LOCATION_EMPTY;
      continue;
    }
    if (last === first) {
      const slot = slotOf[locNodes[first]!]!;
      code[l] = slot >= 0 ? slot : LOCATION_DROPPED;
      continue;
    }
    // Several lines, outermost (last) first in the walk.
    const entries: number[] = [];
    let dropped = false;
    for (let k = last; k >= first; k--) {
      const slot = slotOf[locNodes[k]!]!;
      if (slot < 0) {
        dropped = true;
        continue;
      }
      entries.push((slot << 2) | (dropped ? 2 : 0) | (k !== last ? 1 : 0));
      dropped = false;
    }
    if (entries.length === 0) code[l] = LOCATION_DROPPED;
    else if (entries.length === 1 && (entries[0]! & 3) === 0 && !dropped) code[l] = entries[0]! >> 2;
    else {
      code[l] = -3 - listTrailing.length;
      listEntry.push(...entries);
      listStart.push(listEntry.length);
      listTrailing.push(dropped ? 1 : 0);
    }
  }
  return {
    count: nodeOf.length,
    slotOf,
    nodeOf,
    code,
    listStart: Uint32Array.from(listStart),
    listEntry: Int32Array.from(listEntry),
    listTrailing: Uint8Array.from(listTrailing),
  };
}
