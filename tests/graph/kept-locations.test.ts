// What the dense graph passes read per stack entry: each location's kept frames, as buildKeptLocations codes them.

import { describe, expect, it } from 'vitest';
import { buildKeptLocations, LOCATION_DROPPED } from '../../src/graph/kept-locations';
import { buildNodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import { encodeFolded } from '../helpers/folded';

async function setup(folded: string, keep: string[]) {
  const profile = await decodeProfile(encodeFolded(folded));
  const nodes = buildNodeMap(profile);
  const kept = new Uint8Array(nodes.length);
  for (const name of keep) kept[nodes.name.indexOf(name)] = 1;
  const locations = buildKeptLocations(nodes, kept);
  // The location whose frames are exactly these node names, innermost first.
  const locationOf = (names: string[]) => {
    for (let l = 0; l < profile.locations.length; l++) {
      const frames = Array.from(nodes.locNodes.subarray(nodes.locNodeStart[l], nodes.locNodeStart[l + 1]), (n) => nodes.name[n]);
      if (frames.join(',') === names.join(',')) return l;
    }
    throw new Error(`no location ${names}`);
  };
  const slotName = (slot: number) => nodes.name[locations.nodeOf[slot]!];
  /** A location's kept frames in walk order as `name`, `name(inline)`, with `…` for dropped lines before. */
  const describeLocation = (l: number): string => {
    const c = locations.code[l]!;
    if (c === LOCATION_DROPPED) return 'dropped';
    if (c >= 0) return slotName(c)!;
    const i = -3 - c;
    const parts = Array.from(locations.listEntry.subarray(locations.listStart[i], locations.listStart[i + 1]), (e) =>
      `${e & 2 ? '…' : ''}${slotName(e >> 2)}${e & 1 ? '(inline)' : ''}`,
    );
    return parts.join(' ') + (locations.listTrailing[i] ? ' …' : '');
  };
  return { nodes, locations, locationOf, describeLocation };
}

describe('buildKeptLocations', () => {
  it('numbers the kept nodes densely, in node order', async () => {
    const { nodes, locations } = await setup('main;a;b 1\nmain;c 1', ['main', 'b']);
    expect(locations.count).toBe(2);
    expect(Array.from(locations.nodeOf, (n) => nodes.name[n])).toEqual(['main', 'b']);
    expect(locations.slotOf[nodes.name.indexOf('a')]).toBe(-1);
  });

  it('codes a one-line location as its slot or as dropped', async () => {
    const { locationOf, describeLocation } = await setup('main;a;b 1', ['main', 'b']);
    expect(describeLocation(locationOf(['main']))).toBe('main');
    expect(describeLocation(locationOf(['a']))).toBe('dropped');
  });

  it('lists inlined lines outermost first, with the inline and dropped marks', async () => {
    // outer+mid+inner: one location whose lines are inner, mid (both inlined), then outer.
    const folded = 'main;outer+mid+inner 5';
    const all = await setup(folded, ['outer', 'mid', 'inner']);
    expect(all.describeLocation(all.locationOf(['inner', 'mid', 'outer']))).toBe('outer mid(inline) inner(inline)');
    const dropMid = await setup(folded, ['outer', 'inner']);
    expect(dropMid.describeLocation(dropMid.locationOf(['inner', 'mid', 'outer']))).toBe('outer …inner(inline)');
    const dropInner = await setup(folded, ['outer']);
    expect(dropInner.describeLocation(dropInner.locationOf(['inner', 'mid', 'outer']))).toBe('outer …');
    const onlyInner = await setup(folded, ['inner']);
    expect(onlyInner.describeLocation(onlyInner.locationOf(['inner', 'mid', 'outer']))).toBe('…inner(inline)');
    const none = await setup(folded, ['main']);
    expect(none.describeLocation(none.locationOf(['inner', 'mid', 'outer']))).toBe('dropped');
  });
});
