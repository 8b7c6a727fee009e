// A protobuf goroutine profile as a dump without states, so buckets and growth work on it as on a dump.

import { GoroutineDumpParser, type GoroutineDump } from '../profile/goroutine-dump';
import type { Profile } from '../profile/model';

/** True for a goroutine profile (a `goroutine` sample type), in protobuf form or converted from a dump. */
export function isGoroutineProfile(profile: Profile): boolean {
  return profile.sampleTypes.some((t) => t.type === 'goroutine');
}

/**
 * One goroutine per unit of each sample's goroutine count (non-positive values skipped), stack from the
 * location lines (innermost first, function name, file, line), state '' (the protobuf form has none), and the
 * sample's string labels as `{"k":"v"}` like debug=1 prints them.
 */
export function buildDumpFromProfile(profile: Profile): GoroutineDump {
  const t = Math.max(0, profile.sampleTypes.findIndex((st) => st.type === 'goroutine'));
  const { samples, locations, lines, functions, labels, strings } = profile;
  const values = samples.values[t];
  const parser = new GoroutineDumpParser();
  for (let s = 0; s < samples.length; s++) {
    const count = Math.round(values?.[s] ?? 0);
    if (count <= 0) continue;
    const frames: { func: string; file: string; line: number }[] = [];
    for (let k = samples.stackStart[s]!; k < samples.stackStart[s + 1]!; k++) {
      const loc = samples.stack[k]!;
      for (let l = locations.lineStart[loc]!; l < locations.lineStart[loc + 1]!; l++) {
        const fn = lines.function[l]!;
        frames.push({
          func: fn >= 0 ? strings[functions.name[fn]!]! : `0x${locations.address[loc]!.toString(16)}`,
          file: fn >= 0 ? strings[functions.filename[fn]!]! : '',
          line: lines.line[l]!,
        });
      }
      if (locations.lineStart[loc] === locations.lineStart[loc + 1]) {
        frames.push({ func: `0x${locations.address[loc]!.toString(16)}`, file: '', line: 0 });
      }
    }
    const pairs: [string, string][] = [];
    for (let l = samples.labelStart[s]!; l < samples.labelStart[s + 1]!; l++) {
      if (labels.str[l] !== 0) pairs.push([strings[labels.key[l]!]!, strings[labels.str[l]!]!]);
    }
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const labelText = pairs.length === 0 ? '' : `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`;
    parser.appendGoroutines(frames, count, labelText);
  }
  return parser.finish();
}
