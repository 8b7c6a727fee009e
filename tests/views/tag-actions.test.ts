// The Labels panel's tag filters: the expression for a label value selects exactly that value's samples.

import { describe, expect, it } from 'vitest';
import { checkSampleFilters } from '../../src/profile/filter';
import { applyTagAction, formatTagFilter } from '../../src/views/labels/tag-actions';
import { openInEngine } from '../helpers/open-engine';

describe('formatTagFilter', () => {
  it.each([
    [{ key: 'handler', name: '/api/orders' }, 'handler=^/api/orders$'],
    [{ key: 'q', name: 'a.b(c)|d*' }, 'q=^a\\.b\\(c\\)\\|d\\*$'],
    // pprof splits the expression on commas: a comma in the value is written \x2c.
    [{ key: 'q', name: 'a,b' }, 'q=^a\\x2cb$'],
    // A value that looks like a number stays a regexp for a string label (anchored, so never a range).
    [{ key: 'id', name: '42' }, 'id=^42$'],
    [{ key: 'bytes', name: '2kB', numMin: 2048, numMax: 2048, unit: 'bytes' }, 'bytes=2048bytes'],
    [{ key: 'bytes', name: '1.50kB', numMin: 1536, numMax: 1537, unit: 'bytes' }, 'bytes=1536bytes:1537bytes'],
    [{ key: 'wait_minutes', name: '5', numMin: 5, numMax: 5, unit: 'wait_minutes' }, 'wait_minutes=5'],
    [{ key: 'delta', name: '-3', numMin: -3, numMax: -3, unit: 'count' }, 'delta=-3count'],
    [{ key: '', name: 'x' }, null],
    [{ key: 'a=b', name: 'x' }, null],
  ])('%j → %s', (target, expected) => {
    const filter = formatTagFilter(target);
    expect(filter).toBe(expected);
    if (filter !== null) expect(checkSampleFilters({ tagFocus: filter, tagIgnore: filter })).toEqual({});
  });
});

describe('applyTagAction', () => {
  it('replaces tagfocus, and clicking the focused value again removes it', () => {
    expect(applyTagAction({ tagFocus: 'a=^x$' }, 'tagFocus', 'b=^y$')).toEqual({ tagFocus: 'b=^y$' });
    expect(applyTagAction({ tagFocus: 'b=^y$' }, 'tagFocus', 'b=^y$')).toEqual({ tagFocus: '' });
  });

  it('adds to a tagignore of the same key, else replaces it', () => {
    expect(applyTagAction({}, 'tagIgnore', 'h=^/a$')).toEqual({ tagIgnore: 'h=^/a$' });
    expect(applyTagAction({ tagIgnore: 'h=^/a$' }, 'tagIgnore', 'h=^/b$')).toEqual({ tagIgnore: 'h=^/a$,^/b$' });
    expect(applyTagAction({ tagIgnore: 'h=^/a$,^/b$' }, 'tagIgnore', 'h=^/a$')).toEqual({ tagIgnore: 'h=^/a$,^/b$' });
    expect(applyTagAction({ tagIgnore: 'h=^/a$' }, 'tagIgnore', 't=^x$')).toEqual({ tagIgnore: 't=^x$' });
    // Numeric ranges cannot be joined with commas.
    expect(applyTagAction({ tagIgnore: 'bytes=2048bytes' }, 'tagIgnore', 'bytes=4096bytes')).toEqual({ tagIgnore: 'bytes=4096bytes' });
  });
});

const open = (name: string) => openInEngine(name);

describe('a value\'s filter, applied by the engine', () => {
  it.each(['cpu.pb.gz', 'goroutine_t1.pb.gz', 'heap_t3.pb.gz', 'goroutine_t1.debug2.txt'])('%s: tagfocus keeps exactly that value, tagignore every other', async (name) => {
    const { engine, id, sampleIndex } = await open(name);
    const all = engine.tags(id, { sampleIndex });
    expect(all.keys.length).toBeGreaterThan(0);
    for (const key of all.keys) {
      // The largest few values of each key (heap_t3 has 95 sizes).
      for (const value of key.values.slice(0, 6)) {
        const filter = formatTagFilter({ ...value, key: key.key, unit: key.unit })!;
        const focused = engine.tags(id, { sampleIndex, tagFocus: filter }).keys.find((k) => k.key === key.key)!;
        expect(focused.values.map((v) => [v.name, v.value]), filter).toEqual([[value.name, value.value]]);
        const ignored = engine.tags(id, { sampleIndex, tagIgnore: filter }).keys.find((k) => k.key === key.key);
        expect(ignored?.values.map((v) => v.name).sort() ?? [], filter).toEqual(key.values.filter((v) => v !== value).map((v) => v.name).sort());
      }
    }
  });
});
