// Test helper: tiny profiles written as folded stacks (`main;foo;bar 10`) turned into real pprof bytes.

import { Profile as PprofProfile, StringTable } from 'pprof-format';

export interface FoldedOptions {
  /** Sample types as `type/unit`; each line then carries one value per type. Default: `samples/count`. */
  sampleTypes?: string[];
  defaultSampleType?: string;
  timeNanos?: number;
  durationNanos?: number;
  dropFrames?: string;
  mappingFile?: string;
}

/**
 * Encodes folded stacks, root first: `main;handler;json.Marshal 10`. A frame written `outer+inner` is one
 * location whose lines are inner (inlined) then outer. Values may be negative. Returns protobuf bytes.
 */
export function encodeFolded(text: string, options: FoldedOptions = {}): Uint8Array {
  const st = new StringTable();
  const types = (options.sampleTypes ?? ['samples/count']).map((t) => {
    const [type, unit] = t.split('/');
    return { type: st.dedup(type!), unit: st.dedup(unit!) };
  });
  const functionIds = new Map<string, number>();
  const functions: { id: number; name: number; systemName: number; filename: number }[] = [];
  const fn = (name: string): number => {
    let id = functionIds.get(name);
    if (id === undefined) {
      id = functions.length + 1;
      functionIds.set(name, id);
      const s = st.dedup(name);
      functions.push({ id, name: s, systemName: s, filename: st.dedup(`${name.split('.')[0]}.go`) });
    }
    return id;
  };
  const locationIds = new Map<string, number>();
  const locations: { id: number; mappingId: number; address: number; line: { functionId: number; line: number }[] }[] = [];
  const loc = (frame: string): number => {
    let id = locationIds.get(frame);
    if (id === undefined) {
      id = locations.length + 1;
      locationIds.set(frame, id);
      const names = frame.split('+').reverse();
      locations.push({ id, mappingId: 1, address: 0x1000 + id * 16, line: names.map((n, i) => ({ functionId: fn(n), line: 10 + i })) });
    }
    return id;
  };
  const samples = text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const parts = line.trim().split(/\s+/);
      const stack = parts[0]!;
      const values = parts.slice(1).map(Number);
      const frames = stack === '' || stack === '-' ? [] : stack.split(';');
      return { locationId: frames.map(loc).reverse(), value: values };
    });
  const profile = new PprofProfile({
    sampleType: types,
    sample: samples,
    mapping: [{ id: 1, memoryStart: 0x1000, memoryLimit: 0x100000, filename: st.dedup(options.mappingFile ?? 'app'), hasFunctions: true }],
    location: locations,
    function: functions,
    stringTable: st,
    timeNanos: options.timeNanos ?? 0,
    durationNanos: options.durationNanos ?? 0,
    dropFrames: options.dropFrames ? st.dedup(options.dropFrames) : 0,
    periodType: types[0],
    period: 1,
    defaultSampleType: options.defaultSampleType ? st.dedup(options.defaultSampleType) : 0,
  });
  return profile.encode();
}

/** A seeded random folded profile with recursion, inlined frames, zero and negative values. */
export function randomFolded(seed: number, negative: boolean): string {
  let x = seed;
  const rand = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  const names = ['main', 'a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) {
    const depth = 1 + rand(7);
    const frames: string[] = ['main'];
    for (let d = 0; d < depth; d++) {
      const f = names[1 + rand(names.length - 1)]!;
      frames.push(rand(4) === 0 ? `${f}+${names[1 + rand(names.length - 1)]}` : f);
    }
    const v = rand(30) - (negative ? 12 : 0) - (rand(10) === 0 ? 100 : 0) * (negative ? 1 : 0);
    lines.push(`${frames.join(';')} ${rand(8) === 0 ? 0 : v} ${rand(1000)}`);
  }
  return lines.join('\n');
}
