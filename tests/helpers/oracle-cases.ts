// Finds golden cases: every protobuf profile with `go tool pprof -top` oracle files beside it (or in an oracle tree).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { decodeProfile, looksLikeText } from '../../src/profile/decode';
import { isGoCountText } from '../../src/profile/go-count-text';
import { detectLegacyFormat, type LegacyFormat } from '../../src/profile/legacy';
import type { Profile } from '../../src/profile/model';

export interface OracleCase {
  /** Profile file, relative to the set's root. */
  file: string;
  profilePath: string;
  sampleIndex: number;
  typeName: string;
  /** The -nodefraction / -edgefraction the oracle was made with. */
  nodeFraction: number;
  edgeFraction: number;
  oraclePath: string;
  /** The legacy (non-protobuf) format the profile is in, read by content; null for protobuf. */
  legacy: LegacyFormat | 'go-count' | null;
}

/** The legacy format of a file's bytes, by content (what decode sniffs), or null. */
export function legacyFormatOf(bytes: Uint8Array): LegacyFormat | 'go-count' | null {
  const head = looksLikeText(bytes) ? new TextDecoder().decode(bytes.subarray(0, 64 * 1024)) : null;
  return detectLegacyFormat(bytes, head) ?? (head !== null && isGoCountText(head) ? 'go-count' : null);
}

/** pprof's oracle naming: the sample type's name, or `sampleindexN` when empty or repeated. */
export function oracleTypeNames(profile: Profile): string[] {
  const names = profile.sampleTypes.map((t) => t.type);
  return names.map((n, i) => (n === '' || names.indexOf(n) !== names.lastIndexOf(n) ? `sampleindex${i}` : n));
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/**
 * Cases of one set. `profileRoot` holds the profiles; `oracleRoot` the oracle files under the same relative
 * paths (the same folder for fixture sets). Trimmed oracles end in `.top.txt`; untrimmed in
 * `.top-all.txt` or `.top.untrimmed.txt`. Protobuf and legacy profiles are cases; `.txt` files only when they
 * hold a legacy format (Go's debug=1 heap/mutex/block texts): a goroutine debug=1 text or dump is named from
 * its symbol lines, which pprof ignores, so its oracle is not comparable.
 */
export async function collectOracleCases(profileRoot: string, oracleRoot = profileRoot): Promise<OracleCase[]> {
  const cases: OracleCase[] = [];
  for (const path of walk(profileRoot).sort()) {
    const file = relative(profileRoot, path);
    if (/\.(md|tsv|string|log)$/.test(file) || file.includes('-vs-')) continue;
    const bytes = new Uint8Array(readFileSync(path));
    const legacy = legacyFormatOf(bytes);
    if (file.endsWith('.txt') && (legacy === null || legacy === 'go-count')) continue;
    let profile: Profile;
    try {
      profile = await decodeProfile(bytes);
    } catch {
      continue;
    }
    const base = join(oracleRoot, file).replace(/\.pb\.gz$/, profileRoot === oracleRoot ? '' : '.pb.gz');
    oracleTypeNames(profile).forEach((typeName, sampleIndex) => {
      // top-all (fixtures) was made with -nodefraction=0 only; top.untrimmed (corpus) with both at 0.
      for (const [suffix, nodeFraction, edgeFraction] of [
        ['top.txt', 0.005, 0.001],
        ['top-all.txt', 0, 0.001],
        ['top.untrimmed.txt', 0, 0],
      ] as const) {
        const oraclePath = `${base}.${typeName}.${suffix}`;
        if (existsSync(oraclePath)) {
          cases.push({ file, profilePath: path, sampleIndex, typeName, nodeFraction, edgeFraction, oraclePath, legacy });
        }
      }
    });
  }
  return cases;
}
