// Buckets: exact vs similar grouping, per-bucket fields, and the hashing pass against a naive pairwise grouping.

import { describe, expect, it } from 'vitest';
import { parseGoroutineDump, type GoroutineDump } from '../../src/profile/goroutine-dump';
import { buildGoroutineBuckets, computeFrameKinds, computeStateCounts } from '../../src/report/goroutine-buckets';
import { buildGoroutineBucketRows, NO_GOROUTINE_FILTER } from '../../src/report/goroutine-view';

function block(id: number, state: string, frames: [string, string, string][], createdBy?: string): string {
  const lines = [`goroutine ${id} [${state}]:`];
  for (const [fn, args, loc] of frames) lines.push(`${fn}(${args})`, `\t${loc} +0x1f`);
  if (createdBy) lines.push(`created by ${createdBy}`, '\t/src/app/main.go:99 +0x2a');
  return `${lines.join('\n')}\n`;
}

const LEAK: [string, string, string][] = [
  ['runtime.gopark', '0x0?', '/go/src/runtime/proc.go:398'],
  ['main.leak', '0xc000010000', '/src/app/main.go:10'],
];

describe('buildGoroutineBuckets', () => {
  const text = [
    block(1, 'chan send, 3 minutes', LEAK, 'main.start'),
    block(2, 'chan send, 9 minutes', [LEAK[0]!, ['main.leak', '0xc000020000', '/src/app/main.go:10']], 'main.start'),
    block(3, 'chan send', LEAK, 'main.start'),
    block(4, 'chan send', LEAK, 'main.other'),
    block(5, 'select', LEAK, 'main.start'),
    block(6, 'chan send, locked to thread', LEAK, 'main.start'),
  ].join('\n');
  const dump = parseGoroutineDump(text);

  it('similar: argument values ignored; state, locked and creator still split', () => {
    const b = buildGoroutineBuckets(dump, 'similar');
    expect(Array.from(b.count)).toEqual([3, 1, 1, 1]);
    expect([b.waitMin[0], b.waitMax[0]]).toEqual([3, 9]);
    expect(dump.strings[dump.frames.func[b.focusFrame[0]!]!]).toBe('main.leak');
  });

  it('exact: a different argument word is another bucket', () => {
    const b = buildGoroutineBuckets(dump, 'exact');
    expect(Array.from(b.count)).toEqual([2, 1, 1, 1, 1]);
    expect([b.waitMin[0], b.waitMax[0]]).toEqual([3, 3]);
  });

  it('state counts keep locked to thread apart', () => {
    expect(computeStateCounts(dump)).toEqual([
      { state: 'chan send', count: 4 },
      { state: 'chan send, locked to thread', count: 1 },
      { state: 'select', count: 1 },
    ]);
  });

  it('rows: app frame flagged, filters by state, regex, creator and wait', () => {
    const b = buildGoroutineBuckets(dump, 'similar');
    const kinds = computeFrameKinds(dump);
    const all = buildGoroutineBucketRows(dump, b, kinds, NO_GOROUTINE_FILTER);
    expect(all.rows.isApp[0]).toBe(1);
    expect(all.shownGoroutines).toBe(dump.goroutines.length);
    const rows = (f: Partial<typeof NO_GOROUTINE_FILTER>) => buildGoroutineBucketRows(dump, b, kinds, { ...NO_GOROUTINE_FILTER, ...f });
    expect(rows({ state: 'select' }).shownGoroutines).toBe(1);
    expect(rows({ createdBy: 'OTHER' }).shownGoroutines).toBe(1);
    expect(rows({ minWaitMinutes: 5 }).shownGoroutines).toBe(3);
    expect(rows({ funcRegex: '^runtime\\.gopark$' }).shownGoroutines).toBe(6);
    expect(rows({ funcRegex: '^nothing' }).rows.length).toBe(0);
    const bad = rows({ funcRegex: '[' });
    expect(bad.filterError).not.toBeNull();
    expect(bad.rows.length).toBe(all.rows.length);
  });
});

/** A random dump: few functions, lines and arguments, so stacks collide often. */
function randomDump(seed: number, n: number): GoroutineDump {
  let x = seed;
  const rand = (k: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % k;
  };
  const states = ['chan send', 'chan receive', 'select', 'IO wait', 'sync.Mutex.Lock'];
  const blocks = [];
  for (let i = 0; i < n; i++) {
    const depth = 1 + rand(4);
    const frames: [string, string, string][] = [];
    for (let d = 0; d < depth; d++) frames.push([`main.f${rand(3)}`, `0x${rand(2)}`, `/src/a.go:${rand(2) + 1}`]);
    const wait = rand(3) === 0 ? `, ${rand(20)} minutes` : '';
    const locked = rand(10) === 0 ? ', locked to thread' : '';
    blocks.push(block(i + 1, `${states[rand(states.length)]}${wait}${locked}`, frames, rand(2) ? 'main.spawn' : undefined));
  }
  return parseGoroutineDump(blocks.join('\n'));
}

/** Naive grouping: compare each goroutine with the first of every bucket so far (O(n²)). */
function naiveCounts(d: GoroutineDump, grouping: 'exact' | 'similar'): number[] {
  const g = d.goroutines;
  const frameKey = (f: number) =>
    grouping === 'exact'
      ? `${d.strings[d.frames.func[f]!]}(${d.strings[d.frames.args[f]!]})@${d.strings[d.frames.file[f]!]}:${d.frames.line[f]}+${d.frames.offset[f]}`
      : `${d.strings[d.frames.func[f]!]}@${d.strings[d.frames.file[f]!]}:${d.frames.line[f]}`;
  const describe = (i: number) => {
    const st = g.stack[i]!;
    const frames = Array.from(d.stacks.frames.subarray(d.stacks.frameStart[st]!, d.stacks.frameStart[st + 1]!), frameKey);
    const cb = g.createdBy[i]!;
    return JSON.stringify([frames, d.strings[g.state[i]!], g.locked[i], cb < 0 ? null : frameKey(cb)]);
  };
  const firsts: string[] = [];
  const counts: number[] = [];
  for (let i = 0; i < g.length; i++) {
    const key = describe(i);
    let b = 0;
    while (b < firsts.length && firsts[b] !== key) b++;
    if (b === firsts.length) {
      firsts.push(key);
      counts.push(0);
    }
    counts[b]!++;
  }
  return counts.sort((a, b) => b - a);
}

describe('buildGoroutineBuckets against a naive grouping', () => {
  it.each([1, 2, 3, 4, 5])('random dump %i', (seed) => {
    const d = randomDump(seed, 400);
    for (const grouping of ['exact', 'similar'] as const) {
      const b = buildGoroutineBuckets(d, grouping);
      expect(Array.from(b.count), grouping).toEqual(naiveCounts(d, grouping));
      expect(b.count.reduce((a, c) => a + c, 0)).toBe(d.goroutines.length);
    }
  });
});
