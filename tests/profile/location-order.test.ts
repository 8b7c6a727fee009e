// Locations numbered 1..N but stored in another order decode to the same profile as stored in ID order.

import { Profile as PprofProfile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { decodeProfileProto } from '../../src/profile/decode-proto';
import { encodeFolded, randomFolded } from '../helpers/folded';

/** Reads a varint at `p`: [value, next position]. */
function varint(b: Uint8Array, p: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const x = b[p++]!;
    v += (x & 0x7f) * 2 ** shift;
    shift += 7;
    if (x < 0x80) return [v, p];
  }
}

/** The same bytes with each Location's first field (its ID) moved to the end of the message. */
function moveLocationIdsLast(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  let p = 0;
  while (p < bytes.length) {
    const [tag, afterTag] = varint(bytes, p);
    if ((tag & 7) !== 2) {
      p = varint(bytes, afterTag)[1];
      continue;
    }
    const [len, start] = varint(bytes, afterTag);
    if (tag >>> 3 === 4) {
      const body = bytes.subarray(start, start + len);
      expect(body[0]).toBe(0x08);
      const idEnd = varint(body, 1)[1];
      out.set(body.subarray(idEnd), start);
      out.set(body.subarray(0, idEnd), start + len - idEnd);
    }
    p = start + len;
  }
  return out;
}

describe('locations out of ID order', () => {
  const inOrder = encodeFolded(randomFolded(11, false), { sampleTypes: ['a/count', 'b/bytes'] });
  const shuffled = PprofProfile.decode(inOrder);
  // A fixed permutation: reversed, then halves swapped.
  const reversed = [...shuffled.location].reverse();
  const half = reversed.length >> 1;
  shuffled.location = [...reversed.slice(half), ...reversed.slice(0, half)];
  const outOfOrder = shuffled.encode();

  it('are put in ID order whether the ID comes first in each message or not', () => {
    const want = decodeProfileProto(inOrder);
    expect(want.locations.length).toBeGreaterThan(10);
    expect(Array.from(decodeProfileProto(outOfOrder).locations.id)).toEqual(Array.from(want.locations.id));
    expect(decodeProfileProto(outOfOrder)).toEqual(want);
    expect(decodeProfileProto(moveLocationIdsLast(outOfOrder))).toEqual(want);
  });
});
