// View options ⇄ URL query: pprof's parameter names, round trip, versioning, and what is ignored with a notice.

import { describe, expect, it } from 'vitest';
import { formatViewQuery, isNavigationStep, parseViewQuery } from '../../src/state/url-options';
import { createViewOptions, setRefineOptions, type ViewOptions } from '../../src/state/view-options';

const TYPES = [
  { type: 'alloc_objects', unit: 'count' },
  { type: 'alloc_space', unit: 'bytes' },
  { type: 'inuse_objects', unit: 'count' },
  { type: 'inuse_space', unit: 'bytes' },
];

describe('view options in the URL', () => {
  it('writes pprof parameter names and reads the same view back', () => {
    const options: ViewOptions = setRefineOptions(createViewOptions(3), {
      sampleIndex: 1,
      focus: 'main\\.leakyMiddleware',
      ignore: '^runtime\\.|^sync\\.',
      hide: 'a',
      show: 'b',
      showFrom: 'c',
      pruneFrom: 'd',
      tagFocus: 'bytes=1kb:4kb',
      tagIgnore: 'handler=/api/search',
      tagShow: 'x',
      tagHide: 'y',
      granularity: 'lines',
      noInlines: true,
      relativePercentages: true,
      nodeCount: 20,
      trim: false,
      edgeFraction: 0,
      sort: 'cum',
      filter: 'json',
    });
    const query = formatViewQuery(options, TYPES, 'abc123');
    const q = new URLSearchParams(query);
    expect(q.get('v')).toBe('1');
    expect(q.get('snapshot')).toBe('abc123');
    expect(q.get('si')).toBe('alloc_space');
    expect(q.get('f')).toBe('main\\.leakyMiddleware');
    expect(q.get('i')).toBe('^runtime\\.|^sync\\.');
    expect(q.get('sf')).toBe('c');
    expect(q.get('tf')).toBe('bytes=1kb:4kb');
    expect(q.get('g')).toBe('lines');
    expect(q.get('n')).toBe('20');
    expect(q.get('nf')).toBe('0');
    expect(q.get('ef')).toBe('0');
    const parsed = parseViewQuery(`?${query}`);
    expect(parsed.notices).toEqual([]);
    expect(parsed.snapshotId).toBe('abc123');
    const { options: back, notices } = parsed.resolve(TYPES);
    expect(notices).toEqual([]);
    expect(setRefineOptions(createViewOptions(3), back)).toEqual(options);
  });

  it('leaves pprof defaults out', () => {
    expect(formatViewQuery(createViewOptions(3), TYPES, null)).toBe('v=1&si=inuse_space');
  });

  it('reads nothing without v=1, and refuses other versions with a notice', () => {
    expect(parseViewQuery('?f=main').present).toBe(false);
    const other = parseViewQuery('?v=2&f=main');
    expect(other.present).toBe(false);
    expect(other.notices).toHaveLength(1);
  });

  it('ignores unknown and malformed parameters, each with a notice', () => {
    const parsed = parseViewQuery('?v=1&f=(&i=ok&g=words&n=many&sort=up&noinlines=maybe&zz=1&nf=0.2&ef=x');
    const { options, notices } = parsed.resolve(TYPES);
    expect(options).toEqual({ ignore: 'ok' });
    expect(parsed.notices).toHaveLength(8);
    expect(parsed.notices.some((n) => n.includes('“zz”'))).toBe(true);
    expect(notices).toEqual([]);
    expect(parsed.resolve([{ type: 'cpu', unit: 'nanoseconds' }]).options).toEqual({ ignore: 'ok' });
    expect(parseViewQuery('?v=1&si=nope').resolve(TYPES).notices).toHaveLength(1);
  });
});

describe('isNavigationStep', () => {
  it.each([
    // A filter applied or removed, the granularity, the sample type, nodecount: a step of its own.
    ['v=1&snapshot=a&si=inuse_space', 'v=1&snapshot=a&si=inuse_space&tf=handler%3D%5Ex%24', true],
    ['v=1&snapshot=a&si=inuse_space&f=main', 'v=1&snapshot=a&si=inuse_space', true],
    ['v=1&si=inuse_space', 'v=1&si=inuse_space&g=lines', true],
    ['v=1&si=inuse_space', 'v=1&si=alloc_space', true],
    ['v=1&si=inuse_space', 'v=1&si=inuse_space&n=20', true],
    ['v=1&si=inuse_space', 'v=1&si=inuse_space&relative_percentages=true', true],
    // The search text, sort, trim, edgefraction and layout replace the entry.
    ['v=1&si=inuse_space', 'v=1&si=inuse_space&search=json', false],
    ['v=1&si=inuse_space', 'v=1&si=inuse_space&sort=cum&nf=0&ef=0', false],
    ['v=1&si=inuse_space&layout=flame', 'v=1&si=inuse_space', false],
    // Another profile, the snapshot id arriving, or no view before: not a step.
    ['v=1&snapshot=a&si=inuse_space', 'v=1&snapshot=b&si=alloc_space', false],
    ['v=1&si=inuse_space', 'v=1&snapshot=a&si=inuse_space&f=x', false],
    ['', 'v=1&si=inuse_space&f=x', false],
  ])('%s → %s: %s', (before, after, expected) => {
    expect(isNavigationStep(before, after)).toBe(expected);
  });
});
