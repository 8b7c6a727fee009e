// Graph nodes at a granularity: which node each frame (location line) of a profile falls into.

import { computeFunctionNames } from '../profile/function-names';
import type { Profile } from '../profile/model';
import { computePrunedView, type PrunedView } from '../profile/prune';

/** pprof's node granularities (`-functions`, `-filefunctions`, `-files`, `-lines`, `-addresses`). */
export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

export const GRANULARITIES: readonly Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

/** How frames become nodes: pprof's granularity and `-noinlines` (only a location's outermost line). */
export interface NodeMapOptions {
  granularity: Granularity;
  noInlines: boolean;
  /**
   * Sample stacks as ranges of the stack column (a filtered profile's, see profile/filter.ts), used instead
   * of the samples' own ranges; the profile's drop_frames is then already applied.
   */
  stacks?: { stackStart: Uint32Array; stackEnd: Uint32Array; hidden?: Uint8Array } | null;
}

export const DEFAULT_NODE_MAP_OPTIONS: NodeMapOptions = { granularity: 'functions', noInlines: false };

/**
 * Nodes of a profile at one granularity. Location `l`'s frames are nodes
 * `locNodes[locNodeStart[l] .. locNodeStart[l + 1])`, innermost (inlined) first, as its lines; a location
 * without lines has one frame, a location hidden by the filters (`stacks.hidden`) none. `inlinable[n]` is 1
 * when node n occurs as an inlined (not outermost) frame.
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
  /** Per node, what its printable name is made of (pprof's NodeInfo), for the call graph's labels. */
  info: NodeInfo[];
}

/**
 * pprof's NodeInfo at a granularity: the function name ('' for frames without one, or with `files`), the
 * cleaned file ('' unless kept), the line (0 unless kept), the address (0 unless `addresses`), and the
 * binary for frames without a function name. `startLine` only tells such frames apart. `sourceFile` is the
 * node's (first) function's file whatever the granularity keeps, for display only ('' when unknown).
 */
export interface NodeInfo {
  name: string;
  file: string;
  lineno: number;
  address: number;
  objfile: string;
  startLine: number;
  sourceFile: string;
}

/**
 * The sample stacks as ranges of the stack column: sample s's are `stack[starts[s] .. ends[s])`, cut at
 * drop_frames (or a filter's ranges) when the node map says so.
 */
export function readStackRanges(profile: Profile, nodes: NodeMap): { starts: Uint32Array; ends: Uint32Array } {
  const { samples } = profile;
  return nodes.pruned
    ? { starts: nodes.pruned.stackStart, ends: nodes.pruned.stackEnd }
    : { starts: samples.stackStart, ends: samples.stackStart.subarray(1) };
}

/**
 * What a pass over the samples reads for one sample type: sample s has value `values[s]` and frames
 * `stack[starts[s] .. ends[s])`, leaf first. A part of the samples (another worker's) is the same with
 * `starts`/`ends` counted from its own `stack`.
 */
export interface StackColumns {
  values: Float64Array;
  stack: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
}

/** The samples of one sample type as StackColumns (cut at drop_frames when the node map says so). */
export function readStackColumns(profile: Profile, nodes: NodeMap, sampleIndex: number): StackColumns {
  const { starts, ends } = readStackRanges(profile, nodes);
  return { values: profile.samples.values[sampleIndex]!, stack: profile.samples.stack, starts, ends };
}

/** Go's filepath.Base. */
export function baseName(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * Builds the node map at a granularity. `functions` with inline frames (pprof's default) takes a fast path:
 * one node per function name.
 */
export function buildNodeMap(profile: Profile, options: NodeMapOptions = DEFAULT_NODE_MAP_OPTIONS): NodeMap {
  const fnNames = computeFunctionNames(profile);
  const pruned = options.stacks
    ? { ...options.stacks, lineStart: profile.locations.lineStart.slice(0, profile.locations.length) }
    : computePrunedView(profile, fnNames);
  if (options.granularity !== 'functions' || options.noInlines) return buildAggregatedNodeMap(profile, fnNames, pruned, options);
  const { locations, lines, functions, mappings, strings } = profile;
  // Named frames by name, the others by binary and start line: two maps, so no key string is built per
  // function (`f${name}` for 50 000 functions cost ~15 ms in concatenation and hashing).
  const byName = new Map<string, number>();
  const byAnonymous = new Map<string, number>();
  const name: string[] = [];
  const info: NodeInfo[] = [];
  const nodeFor = (byKey: Map<string, number>, key: string, printable: string, fn: string, objfile: string, startLine: number, sourceFile = ''): number => {
    let n = byKey.get(key);
    if (n === undefined) {
      n = name.length;
      byKey.set(key, n);
      name.push(printable);
      info.push({ name: fn, file: '', lineno: 0, address: 0, objfile, startLine, sourceFile });
    }
    return n;
  };
  // Frames without a function name are told apart by binary (pprof's Objfile) and start line.
  const anonymous = (loc: number, startLine: number): number => {
    const m = locations.mapping[loc]!;
    const file = m >= 0 ? strings[mappings.filename[m]!]! : '';
    return nodeFor(byAnonymous, `${file}\0${startLine}`, file !== '' ? `[${baseName(file)}]` : '<unknown>', '', file, startLine);
  };
  const fnNode = new Int32Array(functions.length).fill(-1);
  const locNodeStart = new Uint32Array(locations.length + 1);
  const out: number[] = [];
  const inlinableList: number[] = [];
  const hidden = options.stacks?.hidden;
  for (let l = 0; l < locations.length; l++) {
    locNodeStart[l] = out.length;
    // A location hide/show removed whole has no frames.
    if (hidden?.[l] === 1) continue;
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
        if (n < 0) n = fnNode[f] = nodeFor(byName, fnNames[f]!, fnNames[f]!, fnNames[f]!, '', 0, strings[functions.filename[f]!]!);
      }
      out.push(n);
      if (i < end - 1) inlinableList.push(n);
    }
  }
  locNodeStart[locations.length] = out.length;
  return finishNodeMap(name, info, locNodeStart, out, inlinableList, pruned);
}

function finishNodeMap(name: string[], info: NodeInfo[], locNodeStart: Uint32Array, out: number[], inlinableList: number[], pruned: PrunedView | null): NodeMap {
  const inlinable = new Uint8Array(name.length);
  for (const n of inlinableList) inlinable[n] = 1;
  const count = locNodeStart.length - 1;
  const locSingle = new Int32Array(count);
  for (let l = 0; l < count; l++) {
    locSingle[l] = locNodeStart[l + 1]! - locNodeStart[l]! === 1 ? out[locNodeStart[l]!]! : -1;
  }
  return { length: name.length, name, locNodeStart, locNodes: Uint32Array.from(out), inlinable, locSingle, pruned, info };
}

/** Go's filepath.Clean (lexical, '/' separators). */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = (rooted ? '/' : '') + out.join('/');
  return joined === '' ? '.' : joined;
}

const TRIMMED_PREFIXES = ['/proc/self/cwd/./', '/proc/self/cwd/'];

/** pprof's trimPath with no -trim_path and no -source_path: the /proc/self/cwd prefixes go. */
export function trimSourcePath(path: string): string {
  for (const prefix of TRIMMED_PREFIXES) if (path.startsWith(prefix)) return path.slice(prefix.length);
  return path;
}

/**
 * pprof's Aggregate + graph nodeInfo at any granularity: a frame's node is keyed by (address, function
 * name, file, line number, and — for frames without a function name — binary and start line), keeping only
 * the attributes the granularity preserves; `addresses` keeps all of them. Names follow NodeInfo.PrintableName.
 */
function buildAggregatedNodeMap(profile: Profile, fnNames: string[], pruned: PrunedView | null, options: NodeMapOptions): NodeMap {
  const { locations, lines, functions, mappings, strings } = profile;
  const g = options.granularity;
  const keepFunction = g !== 'files';
  const keepFile = g !== 'functions';
  const keepLine = g === 'lines' || g === 'addresses';
  const keepAddress = g === 'addresses';
  const byKey = new Map<string, number>();
  const name: string[] = [];
  const info: NodeInfo[] = [];
  const fileOf = new Map<number, string>();
  const cleanFile = (f: number): string => {
    const s = functions.filename[f]!;
    let c = fileOf.get(s);
    if (c === undefined) {
      const raw = trimSourcePath(strings[s]!);
      c = raw === '' ? '' : cleanPath(raw);
      fileOf.set(s, c);
    }
    return c;
  };
  const nodeFor = (address: number, fn: string, file: string, lineno: number, objfile: string, startLine: number, sourceFile = ''): number => {
    const key = `${address}\0${fn}\0${file}\0${lineno}\0${objfile}\0${startLine}`;
    let n = byKey.get(key);
    if (n === undefined) {
      n = name.length;
      byKey.set(key, n);
      name.push(formatNodeName(address, fn, file, lineno, objfile));
      info.push({ name: fn, file, lineno, address, objfile, startLine, sourceFile });
    }
    return n;
  };
  const locNodeStart = new Uint32Array(locations.length + 1);
  const out: number[] = [];
  const inlinableList: number[] = [];
  const hidden = options.stacks?.hidden;
  for (let l = 0; l < locations.length; l++) {
    locNodeStart[l] = out.length;
    if (hidden?.[l] === 1) continue;
    const end = locations.lineStart[l + 1]!;
    let start = pruned ? pruned.lineStart[l]! : locations.lineStart[l]!;
    if (options.noInlines && end - start > 1) start = end - 1;
    const m = locations.mapping[l]!;
    const objfile = m >= 0 ? strings[mappings.filename[m]!]! : '';
    const address = keepAddress ? locations.address[l]! : 0;
    if (start === end) {
      out.push(nodeFor(address, '', '', 0, objfile, 0));
      continue;
    }
    for (let i = start; i < end; i++) {
      const f = lines.function[i]!;
      let n: number;
      if (f < 0) n = nodeFor(address, '', '', 0, objfile, 0);
      else {
        const fn = keepFunction ? fnNames[f]! : '';
        const file = keepFile ? cleanFile(f) : '';
        const lineno = keepLine ? lines.line[i]! : 0;
        const source = cleanFile(f);
        n = fn === '' ? nodeFor(address, fn, file, lineno, objfile, functions.startLine[f]!, source) : nodeFor(address, fn, file, lineno, '', 0, source);
      }
      out.push(n);
      if (i < end - 1) inlinableList.push(n);
    }
  }
  locNodeStart[locations.length] = out.length;
  return finishNodeMap(name, info, locNodeStart, out, inlinableList, pruned);
}

/** pprof's NodeInfo.PrintableName: `%016x` address, name, then file:line, file, [binary] or <unknown>. */
export function formatNodeName(address: number, fn: string, file: string, lineno: number, objfile: string): string {
  const parts: string[] = [];
  if (address !== 0) parts.push(address.toString(16).padStart(16, '0'));
  if (fn !== '') parts.push(fn);
  if (lineno !== 0) parts.push(`${file}:${lineno}`);
  else if (file !== '') parts.push(file);
  else if (fn !== '') {
    // The function name is the whole name.
  } else if (objfile !== '') parts.push(`[${baseName(objfile)}]`);
  else parts.push('<unknown>');
  return parts.join(' ');
}
