// Shared by the legacy readers: samples of raw addresses (+ a memory map, + Java symbols) into a Profile,
// with pprof's mapping heuristics (ParseMemoryMap, massageMappings, remapMappingIDs) and frame rules.

import { ProfileError } from './errors';
import { createFunctionTable, type MappingTable, type Profile, type ValueType } from './model';
import { createStringTable } from './string-table';

/** One mapping read from a memory map section: addresses as numbers (≥ 2^53 rounded, as in the model). */
export interface LegacyMapping {
  start: number;
  limit: number;
  offset: number;
  file: string;
}

/** A symbol for one address (Java profiles carry them): function, file, line (0 when unknown). */
export interface LegacySymbol {
  name: string;
  file: string;
  line: number;
}

/** The legacy reader's failure: a ProfileError naming the format and what was wrong. */
export function legacyError(format: string, what: string): ProfileError {
  return new ProfileError('invalid-profile', `This ${format} cannot be read: ${what}.`);
}

/** pprof's drop_frames for legacy profiles, by sample types (addLegacyFrameInfo). Regular expressions, as data. */
const ALLOC_FRAMES = [
  'calloc', 'cfree', 'malloc', 'free', 'memalign', 'do_memalign', '(__)?posix_memalign', 'pvalloc', 'valloc',
  'realloc', 'tcmalloc::.*', 'tc_calloc', 'tc_cfree', 'tc_malloc', 'tc_free', 'tc_memalign', 'tc_posix_memalign',
  'tc_pvalloc', 'tc_valloc', 'tc_realloc', 'tc_new', 'tc_delete', 'tc_newarray', 'tc_deletearray', 'tc_new_nothrow',
  'tc_newarray_nothrow', 'malloc_zone_malloc', 'malloc_zone_calloc', 'malloc_zone_valloc', 'malloc_zone_realloc',
  'malloc_zone_memalign', 'malloc_zone_free', 'runtime\\..*', 'BaseArena::.*', '(::)?do_malloc_no_errno',
  '(::)?do_malloc_pages', '(::)?do_malloc', 'DoSampledAllocation', 'MallocedMemBlock::MallocedMemBlock', '_M_allocate',
  '__builtin_(vec_)?delete', '__builtin_(vec_)?new', '__gnu_cxx::new_allocator::allocate', '__libc_malloc',
  '__malloc_alloc_template::allocate', 'allocate', 'cpp_alloc', 'operator new(\\[\\])?', 'simple_alloc::allocate',
].join('|');
const ALLOC_KEEP_FRAMES = 'runtime\\.panic';
const CPU_PROFILER_FRAMES = ['ProfileData::Add', 'ProfileData::prof_handler', 'CpuProfiler::prof_handler', '__pthread_sighandler', '__restore'].join('|');
const LOCK_FRAMES = [
  'RecordLockProfileData', '(base::)?RecordLockProfileData.*', '(base::)?SubmitMutexProfileData.*',
  '(base::)?SubmitSpinLockProfileData.*', '(Mutex::)?AwaitCommon.*', '(Mutex::)?Unlock.*', '(Mutex::)?UnlockSlow.*',
  '(Mutex::)?ReaderUnlock.*', '(MutexLock::)?~MutexLock.*', '(SpinLock::)?Unlock.*', '(SpinLock::)?SlowUnlock.*',
  '(SpinLockHolder::)?~SpinLockHolder.*',
].join('|');
const HEAP_TYPES = [['allocations', 'size'], ['objects', 'space'], ['inuse_objects', 'inuse_space'], ['alloc_objects', 'alloc_space']];

function legacyFrames(types: ValueType[]): [string, string] {
  const names = types.map((t) => t.type).join('\0');
  if (HEAP_TYPES.some((h) => h.join('\0') === names)) return [ALLOC_FRAMES, ALLOC_KEEP_FRAMES];
  if (names === 'contentions\0delay') return [LOCK_FRAMES, ''];
  return [CPU_PROFILER_FRAMES, ''];
}

/**
 * Collects samples as address stacks (leaf first) and builds the columnar Profile. Locations are one per
 * distinct address, numbered in order of first use (pprof's remapLocationIDs); `adjust` moves every
 * caller address back by one so it lands on the call instruction, as pprof's readers do.
 */
export class LegacyProfileBuilder {
  readonly #types: ValueType[];
  readonly #values: number[][];
  readonly #stackStart: number[] = [0];
  readonly #stack: number[] = [];
  readonly #blockSize: number[] | null;
  readonly #locIndex = new Map<number, number>();
  readonly #locAddress: number[] = [];
  #count = 0;

  constructor(sampleTypes: ValueType[], options: { blockSizeLabel?: boolean } = {}) {
    this.#types = sampleTypes;
    this.#values = sampleTypes.map(() => []);
    this.#blockSize = options.blockSizeLabel ? [] : null;
  }

  get sampleCount(): number {
    return this.#count;
  }

  /** Adds a sample; `values` has one entry per sample type. */
  addSample(values: readonly number[], addresses: readonly number[], adjust: boolean, blockSize = 0): void {
    for (let t = 0; t < this.#values.length; t++) this.#values[t]!.push(values[t]!);
    for (let i = 0; i < addresses.length; i++) {
      const a = adjust && i > 0 ? addresses[i]! - 1 : addresses[i]!;
      let l = this.#locIndex.get(a);
      if (l === undefined) {
        l = this.#locAddress.length;
        this.#locIndex.set(a, l);
        this.#locAddress.push(a);
      }
      this.#stack.push(l);
    }
    this.#stackStart.push(this.#stack.length);
    this.#blockSize?.push(blockSize);
    this.#count++;
  }

  /** Adds one to the first value of the last sample (threadz's "same as previous thread"). */
  bumpLast(): void {
    const v = this.#values[0]!;
    if (v.length > 0) v[v.length - 1]!++;
  }

  /**
   * The Profile. `mappings` come from a memory map section (null: the format has none, as Java's; pprof then
   * only adds its catch-all mapping); `symbols` name addresses (Java), whose locations then lose their address.
   */
  build(options: {
    periodType: ValueType;
    period: number;
    durationNanos?: number;
    mappings: LegacyMapping[];
    symbols?: Map<number, LegacySymbol>;
    comments?: string[];
  }): Profile {
    const { strings, intern } = createStringTable();
    const symbols = options.symbols;
    const locCount = this.#locAddress.length;
    const address = Float64Array.from(this.#locAddress);
    // Symbolized Java locations: one line each, function by name (pprof keys Java functions by name alone).
    const fnIndex = new Map<string, number>();
    const fnName: number[] = [];
    const fnFile: number[] = [];
    const lineFunction: number[] = [];
    const lineNumber: number[] = [];
    const lineStart = new Uint32Array(locCount + 1);
    for (let l = 0; l < locCount; l++) {
      lineStart[l] = lineFunction.length;
      const sym = symbols?.get(address[l]!);
      if (!sym) continue;
      let f = fnIndex.get(sym.name);
      if (f === undefined) {
        f = fnName.length;
        fnIndex.set(sym.name, f);
        fnName.push(intern(sym.name));
        fnFile.push(intern(sym.file));
      }
      lineFunction.push(f);
      lineNumber.push(sym.line);
      address[l] = 0;
    }
    lineStart[locCount] = lineFunction.length;
    const mappings = massageMappings(options.mappings);
    const locMapping = assignMappings(mappings, address);
    if (symbols) address.fill(0); // pprof's Aggregate(address=false) after reading Java symbols.
    const [dropFrames, keepFrames] = legacyFrames(this.#types);
    const n = this.#count;
    const labelCount = this.#blockSize ? n : 0;
    const bytesKey = this.#blockSize ? intern('bytes') : 0;
    return {
      strings,
      sampleTypes: this.#types.map((t) => ({ ...t })),
      samples: {
        length: n,
        values: this.#values.map((v) => Float64Array.from(v)),
        stackStart: Uint32Array.from(this.#stackStart),
        stack: Uint32Array.from(this.#stack),
        labelStart: this.#blockSize ? Uint32Array.from({ length: n + 1 }, (_, i) => i) : new Uint32Array(n + 1),
      },
      labels: {
        length: labelCount,
        key: new Uint32Array(labelCount).fill(bytesKey),
        str: new Uint32Array(labelCount),
        num: Float64Array.from(this.#blockSize ?? []),
        numUnit: new Uint32Array(labelCount),
      },
      locations: {
        length: locCount,
        id: Float64Array.from({ length: locCount }, (_, i) => i + 1),
        mapping: locMapping,
        address,
        isFolded: new Uint8Array(locCount),
        lineStart,
      },
      lines: {
        length: lineFunction.length,
        function: Int32Array.from(lineFunction),
        line: Float64Array.from(lineNumber),
        column: new Float64Array(lineFunction.length),
      },
      functions: createFunctionTable(fnName, fnFile),
      mappings: toMappingTable(mappings, intern),
      dropFrames,
      keepFrames,
      timeNanos: 0,
      durationNanos: options.durationNanos ?? 0,
      periodType: { ...options.periodType },
      period: options.period,
      comments: options.comments ?? [],
      defaultSampleType: '',
      warnings: [],
    };
  }
}

const LIBRARY = /([.]so$|[.]so[._][0-9]+)/;

/** pprof's massageMappings: join adjacent pieces of one mapping, then move the guessed main binary first. */
function massageMappings(input: LegacyMapping[]): LegacyMapping[] {
  const out: LegacyMapping[] = [];
  for (const m of input) {
    const last = out[out.length - 1];
    if (last && adjacent(last, m)) {
      last.limit = m.limit;
      if (m.file !== '') last.file = m.file;
      continue;
    }
    out.push({ ...m });
  }
  const main = out.findIndex((m) => {
    const file = m.file.replaceAll('(deleted)', '').trim();
    return file !== '' && !LIBRARY.test(file) && file[0] !== '[';
  });
  if (main > 0) [out[0], out[main]] = [out[main]!, out[0]!];
  return out;
}

function adjacent(a: LegacyMapping, b: LegacyMapping): boolean {
  if (a.file !== '' && b.file !== '' && a.file !== b.file) return false;
  if (a.limit !== b.start) return false;
  if (a.offset !== 0 && b.offset !== 0 && a.offset + (a.limit - a.start) !== b.offset) return false;
  return true;
}

/**
 * pprof's remapMappingIDs: drops a leading /anon_hugepage piece, puts a main binary remapped above 0x400000
 * back at 0x400000, gives each location with an address the first mapping holding it (stretching a mapping
 * down by its offset when that is what holds it), and adds one catch-all mapping (no file) for the rest.
 * Mutates `mappings`; returns each location's mapping index (-1 for address 0).
 */
function assignMappings(mappings: LegacyMapping[], address: Float64Array): Int32Array {
  if (mappings.length > 1 && mappings[0]!.file.startsWith('/anon_hugepage') && mappings[0]!.limit === mappings[1]!.start) {
    mappings.shift();
  }
  const main = mappings[0];
  if (main && main.start - main.offset === 0x400000) {
    main.start = 0x400000;
    main.offset = 0;
  }
  const out = new Int32Array(address.length).fill(-1);
  let fake = -1;
  next: for (let l = 0; l < address.length; l++) {
    const a = address[l]!;
    if (a === 0) continue;
    for (let m = 0; m < mappings.length; m++) {
      if (mappings[m]!.start <= a && a < mappings[m]!.limit) {
        out[l] = m;
        continue next;
      }
    }
    for (let m = 0; m < mappings.length; m++) {
      const mp = mappings[m]!;
      if (mp.offset !== 0 && mp.start - mp.offset <= a && a < mp.start) {
        mp.start -= mp.offset;
        mp.offset = 0;
        out[l] = m;
        continue next;
      }
    }
    if (fake < 0) {
      fake = mappings.length;
      mappings.push({ start: 0, limit: 2 ** 64, offset: 0, file: '' });
    }
    out[l] = fake;
  }
  return out;
}

function toMappingTable(mappings: LegacyMapping[], intern: (s: string) => number): MappingTable {
  const n = mappings.length;
  return {
    length: n,
    id: Float64Array.from({ length: n }, (_, i) => i + 1),
    memoryStart: Float64Array.from(mappings, (m) => m.start),
    memoryLimit: Float64Array.from(mappings, (m) => m.limit),
    fileOffset: Float64Array.from(mappings, (m) => m.offset),
    filename: Uint32Array.from(mappings, (m) => intern(m.file)),
    buildId: new Uint32Array(n),
    flags: new Uint8Array(n),
  };
}

/** Splits text into lines (without their `\n` or `\r\n`). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i]!;
    if (s.endsWith('\r')) lines[i] = s.slice(0, -1);
  }
  return lines;
}

/**
 * Every `0x…` number in `s` (pprof's hexNumberRE, lower-case digits), as numbers. A scan by character codes,
 * without substrings: this runs once per sample line of files of tens of MB.
 */
export function parseHexAddresses(s: string): number[] {
  const out: number[] = [];
  const n = s.length;
  for (let i = s.indexOf('0x'); i >= 0 && i < n; i = s.indexOf('0x', i)) {
    let j = i + 2;
    let v = 0;
    for (; j < n; j++) {
      const c = s.charCodeAt(j);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (d < 0) break;
      v = v * 16 + d;
    }
    if (j > i + 2) out.push(v);
    i = j > i + 2 ? j : i + 2;
  }
  return out;
}
