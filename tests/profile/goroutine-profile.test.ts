// A dump converted to a goroutine-count Profile agrees with Go's own protobuf goroutine profile, stack by stack.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProfile, decodeProfileFile } from '../../src/profile/decode';
import { classifyGoFunction, FRAME_RUNTIME } from '../../src/profile/go-packages';
import { parseGoroutineDump } from '../../src/profile/goroutine-dump';
import { buildGoroutineProfile } from '../../src/profile/goroutine-profile';
import type { Profile } from '../../src/profile/model';
import { LEAKY } from '../helpers/fixtures';
import { readManifestGoroutines } from '../helpers/goroutine-manifest';

/**
 * Goroutines per stack, a stack written as its function names leaf first without the runtime's own frames:
 * `?debug=2` hides those (gopark, chansend1, goexit …) while the protobuf form keeps them.
 */
function countsByStack(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  const { samples, locations, lines, functions, strings } = p;
  for (let s = 0; s < samples.length; s++) {
    const names: string[] = [];
    for (let k = samples.stackStart[s]!; k < samples.stackStart[s + 1]!; k++) {
      const loc = samples.stack[k]!;
      for (let l = locations.lineStart[loc]!; l < locations.lineStart[loc + 1]!; l++) {
        const name = strings[functions.name[lines.function[l]!]!]!;
        if (classifyGoFunction(name) !== FRAME_RUNTIME) names.push(`${name}:${lines.line[l]}`);
      }
    }
    const key = names.join(';');
    out.set(key, (out.get(key) ?? 0) + samples.values[0]![s]!);
  }
  return out;
}

const manifest = readManifestGoroutines();

describe('buildGoroutineProfile', () => {
  it('goroutine_t1: the debug=2 dump and the protobuf give the same count for every stack but the capturing goroutine', async () => {
    const proto = countsByStack(await decodeProfile(readFileSync(`${LEAKY}goroutine_t1.pb.gz`)));
    const dump = countsByStack(buildGoroutineProfile(parseGoroutineDump(readFileSync(`${LEAKY}goroutine_t1.debug2.txt`, 'utf8'))));
    // debug=2 and the protobuf were two requests: the goroutines taking part in each capture differ (the handler
    // writing it, the harness fetching it, from another line, and that connection's background reader).
    const capture = (k: string) => /runtime\/pprof\.writeGoroutine|harness\.\(\*Capturer\)|connReader\)\.backgroundRead/.test(k);
    const strip = (m: Map<string, number>) => new Map([...m].filter(([k]) => !capture(k)));
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    expect(strip(dump)).toEqual(strip(proto));
    expect(sum(dump) - sum(strip(dump))).toBeLessThanOrEqual(3);
    expect(sum(proto)).toBe(manifest.total.t1);
    expect(sum(dump)).toBe(manifest.total.t1);
    // The leak sites carry the MANIFEST's counts in both forms.
    for (const fn of ['main.(*server).publishAudit', 'main.(*server).awaitDeliveryAck', 'main.(*server).watchJob']) {
      const inDump = sum(new Map([...dump].filter(([k]) => k.includes(`${fn}:`))));
      expect(inDump, fn).toBe(manifest.byFunction.get(fn)!.t1);
    }
  });

  it('goroutine_t1: the debug=1 text, opened as a profile, has the same stacks', async () => {
    // debug=1 hides the leading runtime frames: compare without runtime frames, as for debug=2.
    const debug1Profile = await decodeProfile(readFileSync(`${LEAKY}goroutine_t1.debug1.txt`));
    const debug1 = countsByStack(debug1Profile);
    const proto = countsByStack(await decodeProfile(readFileSync(`${LEAKY}goroutine_t1.pb.gz`)));
    // Both come from the same kind of capture (a goroutine profile write), so only the harness line differs.
    const harness = (k: string) => /harness\.\(\*Capturer\)|runtime\/pprof\.writeGoroutine|connReader\)\.backgroundRead/.test(k);
    const strip = (m: Map<string, number>) => new Map([...m].filter(([k]) => !harness(k)));
    expect(strip(debug1)).toEqual(strip(proto));
    expect([...debug1.values()].reduce((a, b) => a + b, 0)).toBe(manifest.total.t1);
  });

  it('has labels state and wait_minutes, one sample type goroutine/count, and opens through decodeProfileFile', async () => {
    const text = `goroutine 1 [chan receive, 7 minutes]:\nmain.a()\n\t/x/a.go:1 +0x1\n\ngoroutine 2 [chan receive, 7 minutes]:\nmain.a()\n\t/x/a.go:1 +0x1\n\ngoroutine 3 [select, locked to thread]:\nmain.b()\n\t/x/b.go:2 +0x1\n`;
    const decoded = await decodeProfileFile(new TextEncoder().encode(text));
    expect(decoded.goroutineDump?.goroutines.length).toBe(3);
    const p = decoded.profile;
    expect(p.sampleTypes).toEqual([{ type: 'goroutine', unit: 'count' }]);
    const samples = [];
    for (let s = 0; s < p.samples.length; s++) {
      const labels: Record<string, string | number> = {};
      for (let l = p.samples.labelStart[s]!; l < p.samples.labelStart[s + 1]!; l++) {
        labels[p.strings[p.labels.key[l]!]!] = p.labels.str[l] ? p.strings[p.labels.str[l]!]! : p.labels.num[l]!;
      }
      samples.push({ value: p.samples.values[0]![s], labels });
    }
    expect(samples).toEqual([
      { value: 2, labels: { state: 'chan receive', wait_minutes: 7 } },
      { value: 1, labels: { state: 'select, locked to thread' } },
    ]);
  });

  it('a text file that is not a dump is still refused', async () => {
    await expect(decodeProfile(new TextEncoder().encode('these are notes, not goroutines\n'))).rejects.toThrow(/text file/);
  });
});
