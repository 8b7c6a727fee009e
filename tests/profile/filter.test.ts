// pprof's sample filters on small folded profiles, and the Go-regexp / tag-range helpers.

import { describe, expect, it } from 'vitest';
import { checkRegExp, compileGoRegExp, FilterError, parseTagRange } from '../../src/profile/filter';
import { decodeProfile } from '../../src/profile/decode';
import { buildRefinedProfile, computeRefinedTotal } from '../../src/report/refine';
import { buildTopReport } from '../../src/report/top';
import type { RefineOptions } from '../../src/report/refine';
import { encodeFolded } from '../helpers/folded';

const FOLDED = ['main;a;b 10', 'main;a;c 20', 'main;d+e 40', 'main;b 5'].join('\n');

async function rows(options: Partial<RefineOptions>) {
  const profile = await decodeProfile(encodeFolded(FOLDED));
  const refined = buildRefinedProfile(profile, options);
  const report = buildTopReport(refined.profile, refined.nodes, {
    sampleIndex: 0,
    nodeFraction: 0,
    edgeFraction: 0,
    sort: 'flat',
    total: computeRefinedTotal(profile, refined.profile, options, 0),
  });
  return {
    total: report.total,
    unmatched: refined.unmatched,
    rows: Object.fromEntries(report.name.map((n, i) => [n, [report.flat[i], report.cum[i]]])),
  };
}

describe('filterProfile', () => {
  it.each([
    // focus keeps samples with a matching frame; ignore drops them and wins over focus.
    [{ focus: '^a$' }, { main: [0, 30], a: [0, 30], b: [10, 10], c: [20, 20] }],
    [{ focus: '^main$', ignore: '^c$' }, { main: [0, 55], a: [0, 10], b: [15, 15], d: [0, 40], e: [40, 40] }],
    // hide removes the frames (an inlined line alone); show keeps only matching ones.
    [{ hide: '^e$' }, { main: [0, 75], a: [0, 30], b: [15, 15], c: [20, 20], d: [40, 40] }],
    [{ show: '^(a|b)$' }, { a: [20, 30], b: [15, 15] }],
    // A hidden frame in the middle of a stack is skipped; a sample left without frames (main;b) is dropped.
    [{ hide: '^(main|b)$' }, { a: [10, 30], c: [20, 20], d: [0, 40], e: [40, 40] }],
    // show_from cuts the callers above the root-most match; prune_from the callees below the leaf-most match.
    [{ showFrom: '^a$' }, { a: [0, 30], b: [10, 10], c: [20, 20] }],
    [{ pruneFrom: '^a$' }, { main: [0, 75], a: [30, 30], b: [5, 5], d: [0, 40], e: [40, 40] }],
  ] as const)('%j', async (options, expected) => {
    const got = await rows(options);
    expect(got.rows).toEqual(expected);
    // Percentages stay relative to the whole profile unless relative_percentages.
    expect(got.total).toBe(75);
  });

  it('divides by the filtered total with relative_percentages', async () => {
    expect((await rows({ focus: '^a$', relativePercentages: true })).total).toBe(30);
  });

  it('names the filters that matched nothing, as pprof warns', async () => {
    expect((await rows({ focus: 'nothing', hide: 'nope' })).unmatched).toEqual(['Focus', 'Hide']);
  });

  it('throws a FilterError naming the field for a bad pattern', async () => {
    await expect(rows({ ignore: '(' })).rejects.toBeInstanceOf(FilterError);
  });
});

describe('Go regular expressions', () => {
  it('turns a leading (?i) into a flag and expands POSIX classes', () => {
    expect(compileGoRegExp('(?i)^MAIN').test('main.x')).toBe(true);
    expect(compileGoRegExp('^[[:digit:]]+$').test('123')).toBe(true);
    expect(checkRegExp('a(')).not.toBeNull();
    expect(checkRegExp('')).toBeNull();
  });
});

describe('parseTagRange', () => {
  it.each([
    ['1kb', 1024, 'bytes', true],
    ['1kb', 1000, 'bytes', false],
    ['1kb:4kb', 4096, 'bytes', true],
    ['1kb:4kb', 4097, 'bytes', false],
    [':2kb', 100, 'bytes', true],
    ['2kb:', 100, 'bytes', false],
    ['10', 10, '', true],
  ] as const)('%s on %d %s → %s', (filter, value, unit, inside) => {
    expect(parseTagRange(filter)!(value, unit)).toBe(inside);
  });
  it('is not a range for regular expressions', () => {
    expect(parseTagRange('/api/.*')).toBeNull();
  });
});
