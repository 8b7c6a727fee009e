// Which /debug/pprof endpoint a profile came from, told from its sample types, period type and default type.

import type { ValueType } from '../profile/model';

/** The profile kinds the snapshot library groups by, in the order it shows them. */
export const PROFILE_KINDS = ['heap', 'allocs', 'goroutine', 'cpu', 'mutex', 'block', 'threadcreate', 'other'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/** What the detection reads: a ProfileSummary has all of it. `fileName` only breaks ties. */
export interface ProfileKindInput {
  sampleTypes: readonly ValueType[];
  periodType: ValueType | null;
  defaultSampleIndex: number;
  fileName?: string;
}

const HEAP_TYPES = ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'];

/**
 * The kind of a Go runtime profile. Go writes:
 * - heap and allocs: the same four sample types (alloc_objects, alloc_space, inuse_objects, inuse_space);
 *   only allocs sets `default_sample_type` = alloc_space, so a default on an alloc_* type means allocs;
 * - cpu: samples/count + cpu/nanoseconds (period type cpu);
 * - goroutine and threadcreate: one count sample type of that name;
 * - mutex and block: both contentions/count + delay/nanoseconds with period 1 — nothing in the profile tells
 *   them apart, so the file name decides (`mutex` in it → mutex), else block (Go's block profile is the one
 *   with more users; the library lets a person see the name either way).
 */
export function detectProfileKind(input: ProfileKindInput): ProfileKind {
  const types = input.sampleTypes.map((t) => t.type);
  const has = (name: string) => types.includes(name);
  if (types.length === 1 && has('goroutine')) return 'goroutine';
  if (types.length === 1 && has('threadcreate')) return 'threadcreate';
  if (types.length > 0 && types.every((t) => HEAP_TYPES.includes(t))) {
    const defaultType = types[input.defaultSampleIndex] ?? '';
    return defaultType.startsWith('alloc_') ? 'allocs' : 'heap';
  }
  if (has('cpu') || input.periodType?.type === 'cpu') return 'cpu';
  if (has('contentions') && has('delay')) {
    return /mutex/i.test(input.fileName ?? '') ? 'mutex' : 'block';
  }
  return 'other';
}

/** The heading of a kind's group, as a person reads it. */
export function formatProfileKind(kind: ProfileKind): string {
  return kind === 'cpu' ? 'CPU' : kind === 'threadcreate' ? 'Thread creation' : kind === 'other' ? 'Other' : kind[0]!.toUpperCase() + kind.slice(1);
}
