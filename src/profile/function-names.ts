// Function names as pprof shows them: its demangler heuristics for already-demangled C++/Rust names.

import type { Profile } from './model';

/**
 * True when a name looks like demangled C++ (pprof's heuristic): it has `<>[]` or `::`, but is not a Java
 * `class.<init>` nor a Go generic `pkg.(*T[...]).M`.
 */
export function isDemangledCppLike(name: string): boolean {
  if (name.includes('.<')) return false;
  if (name.includes(']).')) return false;
  return /[<>[\]]/.test(name) || name.includes('::');
}

/** Removes every outermost `start … end` group (nesting aware); gives up on a mismatch, as pprof does. */
export function removeMatching(name: string, start: string, end: string): string {
  let nesting = 0;
  let first = 0;
  let out = name;
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (c === start) {
      nesting++;
      if (nesting === 1) first = i;
    } else if (c === end) {
      nesting--;
      if (nesting < 0) return out;
      if (nesting === 0) {
        out = out.slice(0, first) + out.slice(i + 1);
        i = first - 1;
      }
    }
  }
  return out;
}

/** The displayed name of a function from its name and system name, following pprof's demangle step. */
export function simplifyFunctionName(name: string, systemName: string): string {
  if (name !== '' && systemName !== name) return name;
  let s = systemName;
  if (isDemangledCppLike(s)) s = removeMatching(removeMatching(s, '(', ')'), '<', '>');
  return s;
}

/** Displayed name of every function of a profile, by function index. */
export function computeFunctionNames(profile: Profile): string[] {
  const { functions, strings } = profile;
  const out = new Array<string>(functions.length);
  for (let f = 0; f < functions.length; f++) {
    out[f] = simplifyFunctionName(strings[functions.name[f]!]!, strings[functions.systemName[f]!]!);
  }
  return out;
}
