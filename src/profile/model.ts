// The decoded pprof profile as columnar tables (one typed array per column) plus one string table.

/** Index into `Profile.strings`. 0 is always the empty string. */
export type StringIndex = number;
/** Row index into a table (not a pprof ID; IDs are kept in each table's `id` column). */
export type SampleIndex = number;
export type LocationIndex = number;
export type FunctionIndex = number;
export type MappingIndex = number;

/** A sample type or period type: `type` and `unit` as strings (e.g. inuse_space / bytes). */
export interface ValueType {
  type: string;
  unit: string;
}

/**
 * Samples. Sample `i` has `values[t][i]` for every sample type `t` and its stack in
 * `stack[stackStart[i] .. stackStart[i + 1])` as location indexes, leaf first (as in the proto).
 * Its labels are rows `labelStart[i] .. labelStart[i + 1]` of `labels`.
 */
export interface SampleTable {
  length: number;
  values: Float64Array[];
  stackStart: Uint32Array;
  stack: Uint32Array;
  labelStart: Uint32Array;
}

/** Labels of all samples, one row each. `str` is 0 for numeric labels; `num`/`numUnit` then hold the value. */
export interface LabelTable {
  length: number;
  key: Uint32Array;
  str: Uint32Array;
  num: Float64Array;
  numUnit: Uint32Array;
}

/**
 * Locations. Lines of location `l` are rows `lineStart[l] .. lineStart[l + 1]` of `lines`, innermost
 * (inlined callee) first, as in the proto. `mapping` is a mapping index or -1.
 */
export interface LocationTable {
  length: number;
  id: Float64Array;
  mapping: Int32Array;
  address: Float64Array;
  isFolded: Uint8Array;
  lineStart: Uint32Array;
}

/** Inline lines: `function` is a function index or -1 (function_id 0 in the proto). */
export interface LineTable {
  length: number;
  function: Int32Array;
  line: Float64Array;
  column: Float64Array;
}

export interface FunctionTable {
  length: number;
  id: Float64Array;
  name: Uint32Array;
  systemName: Uint32Array;
  filename: Uint32Array;
  startLine: Float64Array;
}

/**
 * Mappings. Addresses are uint64 held as numbers: those at 2^53 or above (e.g. the [vsyscall] mapping at
 * 0xffffffffff600000) are rounded to the nearest double without a warning, as they only label frames.
 */
export interface MappingTable {
  length: number;
  id: Float64Array;
  memoryStart: Float64Array;
  memoryLimit: Float64Array;
  fileOffset: Float64Array;
  filename: Uint32Array;
  buildId: Uint32Array;
  /** Bit flags: 1 functions, 2 filenames, 4 line numbers, 8 inline frames. */
  flags: Uint8Array;
}

/** A whole profile. Every field of profile.proto is kept. */
export interface Profile {
  strings: string[];
  sampleTypes: ValueType[];
  samples: SampleTable;
  labels: LabelTable;
  locations: LocationTable;
  lines: LineTable;
  functions: FunctionTable;
  mappings: MappingTable;
  dropFrames: string;
  keepFrames: string;
  timeNanos: number;
  durationNanos: number;
  periodType: ValueType | null;
  period: number;
  comments: string[];
  /** The `default_sample_type` string, '' when unset. */
  defaultSampleType: string;
  /** Things that did not stop decoding but a person should know (e.g. values beyond 2^53). */
  warnings: string[];
}

export const MAPPING_HAS_FUNCTIONS = 1;
export const MAPPING_HAS_FILENAMES = 2;
export const MAPPING_HAS_LINE_NUMBERS = 4;
export const MAPPING_HAS_INLINE_FRAMES = 8;

/** pprof's rule: `default_sample_type` when set and known, else the last sample type. */
export function findDefaultSampleIndex(profile: Pick<Profile, 'sampleTypes' | 'defaultSampleType'>): number {
  if (profile.defaultSampleType !== '') {
    const i = profile.sampleTypes.findIndex((t) => t.type === profile.defaultSampleType);
    if (i >= 0) return i;
  }
  return profile.sampleTypes.length - 1;
}

/** A functions table for profiles built from text: IDs 1..n, system name = name, no start lines. */
export function createFunctionTable(name: number[], filename: number[]): FunctionTable {
  return {
    length: name.length,
    id: Float64Array.from({ length: name.length }, (_, i) => i + 1),
    name: Uint32Array.from(name),
    systemName: Uint32Array.from(name),
    filename: Uint32Array.from(filename),
    startLine: new Float64Array(name.length),
  };
}

/** The mapping table of a profile without mappings (text forms carry none). */
export function createEmptyMappingTable(): MappingTable {
  return {
    length: 0,
    id: new Float64Array(0),
    memoryStart: new Float64Array(0),
    memoryLimit: new Float64Array(0),
    fileOffset: new Float64Array(0),
    filename: new Uint32Array(0),
    buildId: new Uint32Array(0),
    flags: new Uint8Array(0),
  };
}
