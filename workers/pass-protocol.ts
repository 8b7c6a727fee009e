// Messages between the engine and the pass worker, which runs graph passes over a part of the samples.

import type { FrameNodes } from '../src/graph/build-graph';
import type { EdgeList } from '../src/graph/edge-table';
import type { KeptLocations } from '../src/graph/kept-locations';
import type { FlameStart, LevelPart } from '../src/report/flame';

/** A part of a profile's samples: sample s's frames are `stack[starts[s] .. ends[s])` of this part's own stack. */
export interface StackPart {
  stack: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
}

/** The kept frames and edge nodes of one in-edge pass (prepareInEdgePass's, without the table). */
export interface InEdgeFrames extends Pick<KeptLocations, 'code' | 'listStart' | 'listEntry' | 'nodeOf'> {
  isEdgeNode: Uint8Array;
}

export type PassRequest =
  | { type: 'load'; key: string; part: StackPart; nodes: FrameNodes }
  | { type: 'forget'; key: string }
  /** `values` (this part's column of sample type `sampleIndex`) is sent the first time that type is asked for. */
  | { type: 'sums'; id: number; key: string; sampleIndex: number; values?: Float64Array; nodeCount: number }
  | { type: 'inEdges'; id: number; key: string; sampleIndex: number; values?: Float64Array; frames: InEdgeFrames }
  /** A flame graph walk over this part (report/flame's FlameWalk), known by its request id until `flameEnd`. */
  | { type: 'flameStart'; id: number; key: string; sampleIndex: number; values?: Float64Array; start: FlameStart; nodeCount: number }
  /** The walk's next depth: `frameOf` gives its groups of the last depth their frames; the depth above is frames [levelStart, levelEnd). */
  | { type: 'flameStep'; id: number; walk: number; frameOf: Int32Array; levelStart: number; levelEnd: number }
  | { type: 'flameEnd'; walk: number };

export type PassReply =
  | { type: 'sums'; id: number; flat: Float64Array; cum: Float64Array }
  | { type: 'inEdges'; id: number; edges: EdgeList }
  | { type: 'flameStart'; id: number; value: number; net: number; alive: number }
  | ({ type: 'flameStep'; id: number; alive: number } & LevelPart)
  | { type: 'error'; id: number; message: string };
