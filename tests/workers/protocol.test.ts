// Names cross the worker boundary packed into one string; unpacking gives them back exactly.

import { describe, expect, it } from 'vitest';
import { packNames, unpackNames } from '../../workers/protocol';

describe('packNames / unpackNames', () => {
  it.each([
    [[]],
    [['main.main']],
    [['', 'a', '', 'encoding/json.Marshal', 'π.ƒ(…)', '<script>alert(1)</script>', '\u{1F600}x']],
  ])('round-trips %j', (names) => {
    const { nameText, nameStart } = packNames(names);
    expect(nameStart.length).toBe(names.length + 1);
    expect(unpackNames(nameText, nameStart)).toEqual(names);
  });
});
