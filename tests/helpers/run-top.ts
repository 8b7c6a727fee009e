// Runs our top report on a profile file the way the golden tests need it.

import { readFileSync } from 'node:fs';
import { buildNodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import type { Profile } from '../../src/profile/model';
import { buildTopReport, formatTopText } from '../../src/report/top';

const cache = new Map<string, Promise<Profile>>();

/** Decodes a file once per test run. */
export function loadProfile(path: string): Promise<Profile> {
  let p = cache.get(path);
  if (!p) {
    p = decodeProfile(new Uint8Array(readFileSync(path)));
    cache.set(path, p);
  }
  return p;
}

/** Our `-top` text for a file and sample type, line by line. */
export async function renderTopText(
  path: string,
  options: { sampleIndex: number; nodeFraction: number; edgeFraction: number },
): Promise<string[]> {
  const profile = await loadProfile(path);
  const report = buildTopReport(profile, buildNodeMap(profile), { ...options, sort: 'flat' });
  return formatTopText(report);
}

/** Oracle text as lines, without the final newline. */
export function readOracle(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text.replace(/\n$/, '').split('\n');
}
