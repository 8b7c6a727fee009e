// The flame graph's layout in the URL: read back, written beside the view query, the table left out.

import { describe, expect, it } from 'vitest';
import { formatLayoutQuery, readLayoutParam } from '../../src/state/flame-url';
import { parseViewQuery } from '../../src/state/url-options';

describe('flame layout in the URL', () => {
  it('round-trips flame and both; the table (default) is not written', () => {
    const q = formatLayoutQuery('v=1&si=inuse_space', 'flame');
    expect(readLayoutParam(q)).toBe('flame');
    expect(readLayoutParam(`?${formatLayoutQuery(q, 'both')}`)).toBe('both');
    expect(formatLayoutQuery(q, 'table')).toBe('v=1&si=inuse_space');
    expect(readLayoutParam('v=1&layout=sideways')).toBeNull();
  });

  it('is a known parameter of the view query (no "unknown parameter" notice)', () => {
    expect(parseViewQuery('?v=1&layout=flame').notices).toEqual([]);
  });
});
