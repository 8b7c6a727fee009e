// pprof's RemoveUninteresting: cut stacks at frames matching the profile's drop_frames/keep_frames.

import type { Profile } from './model';

/**
 * Stacks and location lines after pruning. Sample `i` uses `stack[stackStart[i] .. stackEnd[i])`;
 * location `l` uses lines `lineStart[l] .. profile.locations.lineStart[l + 1])`.
 */
export interface PrunedView {
  stackStart: Uint32Array;
  stackEnd: Uint32Array;
  lineStart: Uint32Array;
}

const RESERVED = ['(anonymous namespace)', 'operator()'];

/** pprof's simplifyFunc: drop a leading '.', and an argument list from the first '(' not in a reserved name. */
export function simplifyFuncForPrune(f: string): string {
  const name = f.startsWith('.') ? f.slice(1) : f;
  const rx = /\(anonymous namespace\)|operator\(\)|\(/g;
  for (let m = rx.exec(name); m; m = rx.exec(name)) {
    if (!RESERVED.includes(m[0])) return name.slice(0, m.index);
  }
  return name;
}

/** Builds the pruned view, or returns null when the profile has no drop_frames (nothing to prune). */
export function computePrunedView(profile: Profile, functionNames: string[]): PrunedView | null {
  if (profile.dropFrames === '') return null;
  let drop: RegExp;
  let keep: RegExp | null = null;
  try {
    drop = new RegExp(`^(${profile.dropFrames})$`);
    if (profile.keepFrames !== '') keep = new RegExp(`^(${profile.keepFrames})$`);
  } catch {
    profile.warnings.push(`drop_frames/keep_frames is not a valid regular expression; no frames were dropped.`);
    return null;
  }
  const cache = new Map<string, boolean>();
  const pruneFrom = (s: string): boolean => {
    let r = cache.get(s);
    if (r === undefined) {
      const f = simplifyFuncForPrune(s);
      r = drop.test(f) && !(keep && keep.test(f));
      cache.set(s, r);
    }
    return r;
  };
  const { locations, lines, samples } = profile;
  const lineStart = locations.lineStart.slice(0, locations.length);
  // 0 keep, 1 prune beneath (lines trimmed), 2 prune the whole location.
  const mark = new Uint8Array(locations.length);
  for (let l = 0; l < locations.length; l++) {
    const start = locations.lineStart[l]!;
    const end = locations.lineStart[l + 1]!;
    let i = end - 1;
    for (; i >= start; i--) {
      const fn = lines.function[i]!;
      if (fn >= 0 && functionNames[fn] !== '' && pruneFrom(functionNames[fn]!)) break;
    }
    if (i >= start) {
      mark[l] = i === end - 1 ? 2 : 1;
      if (mark[l] === 1) lineStart[l] = i + 1;
    }
  }
  const stackStart = samples.stackStart.slice(0, samples.length);
  const stackEnd = samples.stackStart.slice(1);
  for (let s = 0; s < samples.length; s++) {
    let foundUser = false;
    for (let j = stackEnd[s]! - 1; j >= stackStart[s]!; j--) {
      const m = mark[samples.stack[j]!]!;
      if (m === 0) {
        foundUser = true;
        continue;
      }
      if (!foundUser) continue;
      // Cut the callees (leaf side) off: keep frame j's callers, and frame j itself when only beneath is pruned.
      stackStart[s] = m === 2 ? j + 1 : j;
      break;
    }
  }
  return { stackStart, stackEnd, lineStart };
}
