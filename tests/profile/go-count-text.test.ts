// Go's `?debug=1` count texts (goroutine, threadcreate) open as profiles with real function names.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildNodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import { isGoCountText, parseGoCountText } from '../../src/profile/go-count-text';
import { buildTopReport } from '../../src/report/top';
import { CORPUS, LEAKY } from '../helpers/fixtures';

const topNames = (p: Awaited<ReturnType<typeof decodeProfile>>) =>
  buildTopReport(p, buildNodeMap(p), { sampleIndex: 0, nodeFraction: 0, edgeFraction: 0, sort: 'flat' });

describe('Go count text (debug=1)', () => {
  it('recognises the header, and only the header', () => {
    expect(isGoCountText('goroutine profile: total 5386\n3000 @ 0x1')).toBe(true);
    expect(isGoCountText('threadcreate profile: total 5\n')).toBe(true);
    expect(isGoCountText('goroutine 1 [running]:\n')).toBe(false);
    expect(isGoCountText('heap profile: 1: 2 [3: 4] @ heap/8192')).toBe(false);
  });

  it('goroutine_t1.debug1.txt: the total of its header, and names where pprof prints addresses', async () => {
    const text = readFileSync(`${LEAKY}goroutine_t1.debug1.txt`, 'utf8');
    const total = Number(/total (\d+)/.exec(text)![1]);
    const p = await decodeProfile(new TextEncoder().encode(text));
    expect(p.sampleTypes).toEqual([{ type: 'goroutine', unit: 'count' }]);
    const report = topNames(p);
    expect(report.total).toBe(total);
    // The record of the chan-send pile: its count and function, read from the text itself.
    const pile = /^(\d+) @[^\n]*\n# labels: [^\n]*\n#\t0x[0-9a-f]+\t(main\.\(\*server\)\.publishAudit)\+/m.exec(text)!;
    const row = report.name.indexOf(pile[2]!);
    expect(row).toBeGreaterThanOrEqual(0);
    expect(report.cum[row]).toBe(Number(pile[1]));
    expect(report.name.some((n) => /^[0-9a-f]{16}$/.test(n) || n === '<unknown>')).toBe(false);
  });

  it('keeps `# labels:` as labels', () => {
    const p = parseGoCountText('goroutine profile: total 3\n3 @ 0x10 0x20\n# labels: {"handler":"/api/orders"}\n#\t0xf\tmain.a+0x1\t/x/a.go:7\n');
    expect(p.labels.length).toBe(1);
    expect(p.strings[p.labels.key[0]!]).toBe('handler');
    expect(p.strings[p.labels.str[0]!]).toBe('/api/orders');
    expect(p.strings[p.functions.name[0]!]).toBe('main.a');
    expect(p.lines.line[0]).toBe(7);
  });

  it('accepts a record with an empty stack, which pprof refuses (threadcreate.debug1.txt)', async () => {
    const text = readFileSync(`${CORPUS}generated-go1.19/threadcreate.debug1.txt`, 'utf8');
    const p = await decodeProfile(new TextEncoder().encode(text));
    expect(p.sampleTypes[0]!.type).toBe('threadcreate');
    expect(p.samples.length).toBe(1);
    expect(p.samples.stackStart[1]! - p.samples.stackStart[0]!).toBe(0);
    expect(topNames(p).total).toBe(Number(/total (\d+)/.exec(text)![1]));
  });

  it('names the frames of the generated goroutine.debug1.txt, where pprof prints <unknown>', async () => {
    const text = readFileSync(`${CORPUS}generated-go1.19/goroutine.debug1.txt`, 'utf8');
    const p = await decodeProfile(new TextEncoder().encode(text));
    const names = topNames(p).name;
    const symbolLines = [...text.matchAll(/^#\t0x[0-9a-f]+\t(\S+)\+0x/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set(symbolLines));
  });
});
