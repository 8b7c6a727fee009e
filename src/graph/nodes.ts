// Graph nodes at a granularity: which node each frame (location line) of a profile falls into.

import { computeFunctionNames } from '../profile/function-names';
import type { Profile } from '../profile/model';
import { computePrunedView, type PrunedView } from '../profile/prune';

/** Node granularity. Only pprof's default for reports, `functions`, exists so far. */
export type Granularity = 'functions';

/**
 * Nodes of a profile at one granularity. Location `l`'s frames are nodes
 * `locNodes[locNodeStart[l] .. locNodeStart[l + 1])`, innermost (inlined) first, as its lines; a location
 * without lines has one frame. `inlinable[n]` is 1 when node n occurs as an inlined (not outermost) frame.
 */
export interface NodeMap {
  length: number;
  name: string[];
  locNodeStart: Uint32Array;
  locNodes: Uint32Array;
  inlinable: Uint8Array;
  /** For a location with exactly one frame, its node; -1 otherwise (a shortcut for the hot loops). */
  locSingle: Int32Array;
  /** The pruned stacks (drop_frames), or null when no pruning applies. */
  pruned: PrunedView | null;
}

/** Go's filepath.Base. */
export function baseName(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Builds the node map for pprof's `functions` granularity: one node per function name. */
export function buildNodeMap(profile: Profile, _granularity: Granularity = 'functions'): NodeMap {
  const { locations, lines, functions, mappings, strings } = profile;
  const fnNames = computeFunctionNames(profile);
  const pruned = computePrunedView(profile, fnNames);
  const byKey = new Map<string, number>();
  const name: string[] = [];
  const nodeFor = (key: string, printable: string): number => {
    let n = byKey.get(key);
    if (n === undefined) {
      n = name.length;
      byKey.set(key, n);
      name.push(printable);
    }
    return n;
  };
  // Frames without a function name are told apart by binary (pprof's Objfile) and start line.
  const anonymous = (loc: number, startLine: number): number => {
    const m = locations.mapping[loc]!;
    const file = m >= 0 ? strings[mappings.filename[m]!]! : '';
    return nodeFor(`\0${file}\0${startLine}`, file !== '' ? `[${baseName(file)}]` : '<unknown>');
  };
  const fnNode = new Int32Array(functions.length).fill(-1);
  const locNodeStart = new Uint32Array(locations.length + 1);
  const out: number[] = [];
  const inlinableList: number[] = [];
  for (let l = 0; l < locations.length; l++) {
    locNodeStart[l] = out.length;
    const start = pruned ? pruned.lineStart[l]! : locations.lineStart[l]!;
    const end = locations.lineStart[l + 1]!;
    if (start === end) {
      out.push(anonymous(l, 0));
      continue;
    }
    for (let i = start; i < end; i++) {
      const f = lines.function[i]!;
      let n: number;
      if (f < 0) n = anonymous(l, 0);
      else if (fnNames[f] === '') n = anonymous(l, functions.startLine[f]!);
      else {
        n = fnNode[f]!;
        if (n < 0) n = fnNode[f] = nodeFor(`f${fnNames[f]}`, fnNames[f]!);
      }
      out.push(n);
      if (i < end - 1) inlinableList.push(n);
    }
  }
  locNodeStart[locations.length] = out.length;
  const inlinable = new Uint8Array(name.length);
  for (const n of inlinableList) inlinable[n] = 1;
  const locSingle = new Int32Array(locations.length);
  for (let l = 0; l < locations.length; l++) {
    locSingle[l] = locNodeStart[l + 1]! - locNodeStart[l]! === 1 ? out[locNodeStart[l]!]! : -1;
  }
  return { length: name.length, name, locNodeStart, locNodes: Uint32Array.from(out), inlinable, locSingle, pruned };
}
