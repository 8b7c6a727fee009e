// Decodes profile.proto bytes straight into the columnar model, validating as pprof does.

import { ProfileError } from './errors';
import { GrowableFloat64, GrowableUint32 } from './grow';
import { buildIdIndex, isPermutation, sequentialIndex, type IdIndex } from './id-index';
import type {
  FunctionTable,
  LineTable,
  LocationTable,
  MappingTable,
  Profile,
  ValueType,
} from './model';
import { ProtoReader } from './proto-reader';
import { SampleColumns } from './sample-columns';

export interface DecodeProtoOptions {
  /** Called now and then with the fraction of the bytes parsed (0..1), when the total is known. */
  onProgress?: (fraction: number) => void;
}

export function invalid(message: string): ProfileError {
  return new ProfileError('invalid-profile', `Invalid profile: ${message}.`);
}

/** Byte ranges (start/end pairs) of the top-level fields decoded at the end, once all have arrived. */
interface Ranges {
  mapping: GrowableUint32;
  location: GrowableUint32;
  function: GrowableUint32;
  string: GrowableUint32;
}

/** Decodes uncompressed profile.proto bytes held in one buffer. Throws ProfileError on bad input. */
export function decodeProfileProto(buf: Uint8Array, options: DecodeProtoOptions = {}): Profile {
  const decoder = new ProfileProtoDecoder({ adopt: buf, onProgress: options.onProgress });
  return decoder.finish();
}

export interface ProfileProtoDecoderOptions {
  /** The whole input at once (no copy), instead of push()ed chunks. */
  adopt?: Uint8Array;
  /** Keep every pushed byte in one buffer (as `adopt` does), so samples can be decoded again. */
  keepAll?: boolean;
  /** Expected total size (e.g. gzip's ISIZE), to size the buffers and report progress. */
  expectedBytes?: number;
  onProgress?: (fraction: number) => void;
}

const PROGRESS_STEP = 1 << 22;

/**
 * Thrown by finish() of a streaming decoder when a sample type came after samples already decoded with
 * fewer types: the samples must be decoded again, which needs the input held whole (`keepAll`).
 */
export class WholeInputNeeded extends Error {
  constructor() {
    super('Sample types come after samples: the profile must be decoded again from the whole input.');
  }
}

/**
 * A streaming decoder: push() chunks as they are inflated; samples (nearly all the bytes) are decoded as
 * soon as each message is complete, so decoding overlaps inflating when that runs in another thread.
 * Tables that samples refer to (locations, functions, strings) usually come last and are decoded in
 * finish(), which resolves references and validates as pprof does.
 *
 * Pushed chunks go through one reused window (decoded, then dropped but for a field cut off at the end),
 * and the tables' fields are copied aside for finish(): sample bytes are not held, so a 90 MB profile needs
 * no 90 MB buffer of fresh memory. With `adopt` or `keepAll` the input is held whole instead.
 */
export class ProfileProtoDecoder {
  /** The whole input (adopt/keepAll), else the copied table fields. */
  #buf: Uint8Array;
  /** Bytes of #buf in use. */
  #filled: number;
  /** Whole mode: the next unread byte of #buf. */
  #pos = 0;
  #whole: boolean;
  /**
   * Streaming: the bytes pushed but not yet decoded (a field cut off by the end of the last chunk), its first
   * `#windowLen` bytes, the first at stream offset #windowBase.
   */
  #window: Uint8Array = new Uint8Array(1 << 18);
  #windowLen = 0;
  #windowBase = 0;
  /** Bytes pushed so far. */
  #received = 0;
  /** Streaming: per copied run of table fields, its offset in #buf and in the stream (to name bytes in errors). */
  #origins: number[] = [];
  /** Streaming: the run of table fields read from the current buffer and not yet copied, [start, end). */
  #runStart = -1;
  #runEnd = 0;
  #expected: number;
  #onProgress?: (fraction: number) => void;
  #nextProgress = PROGRESS_STEP;
  #r = new ProtoReader(new Uint8Array(0));
  #ranges: Ranges = {
    mapping: new GrowableUint32(),
    location: new GrowableUint32(),
    function: new GrowableUint32(),
    string: new GrowableUint32(),
  };
  #samples: SampleColumns;
  #sampleTypeIdx: number[][] = [];
  #sampleTypesAfterSamples = false;
  #periodTypeIdx: number[] | null = null;
  #commentIdx: number[] = [];
  #dropFrames = 0;
  #keepFrames = 0;
  #timeNanos = 0;
  #timeCount = 0;
  #durationNanos = 0;
  #period = 0;
  #defaultSampleType = 0;

  constructor(options: ProfileProtoDecoderOptions = {}) {
    this.#whole = options.adopt !== undefined || options.keepAll === true;
    const expected = options.adopt ? options.adopt.length : (options.expectedBytes ?? 0);
    // Streaming, #buf holds the tables only: a small start, grown as they come.
    this.#buf = options.adopt ?? new Uint8Array(this.#whole ? Math.max(1 << 16, expected) : 1 << 16);
    this.#filled = options.adopt ? options.adopt.length : 0;
    this.#received = this.#filled;
    this.#expected = expected;
    this.#onProgress = options.onProgress;
    this.#samples = new SampleColumns(this.#expected);
    if (options.adopt) this.#pos = this.#scan(this.#buf, 0, this.#filled, true, 0);
  }

  /** Decodes every top-level field completed by these inflated bytes. */
  push(chunk: Uint8Array): void {
    this.#received += chunk.length;
    if (this.#whole) {
      this.#buf = this.#reserve(this.#buf, this.#filled, chunk.length);
      this.#buf.set(chunk, this.#filled);
      this.#filled += chunk.length;
      this.#pos = this.#scan(this.#buf, this.#pos, this.#filled, false, 0);
      return;
    }
    // The chunk goes after the unread tail of the window (one buffer, reused: its memory is warm), and every
    // field now complete is decoded; what remains moves to the front.
    this.#window = this.#reserve(this.#window, this.#windowLen, chunk.length);
    this.#window.set(chunk, this.#windowLen);
    this.#windowLen += chunk.length;
    const stop = this.#scan(this.#window, 0, this.#windowLen, false, this.#windowBase);
    if (stop > 0) {
      this.#window.copyWithin(0, stop, this.#windowLen);
      this.#windowLen -= stop;
      this.#windowBase += stop;
    }
  }

  /** `buf` with room for `extra` bytes after its first `used`, grown (doubling) when needed. */
  #reserve(buf: Uint8Array, used: number, extra: number): Uint8Array {
    if (used + extra <= buf.length) return buf;
    const next = new Uint8Array(Math.max(buf.length * 2, used + extra, 1 << 12));
    next.set(buf.subarray(0, used));
    return next;
  }

  /** The number of bytes received so far. */
  get byteLength(): number {
    return this.#received;
  }

  /**
   * Decodes the top-level fields in buf[pos .. filled) (`base`: the stream offset of buf[0]) and returns
   * where it stopped. Unless `final`, a field whose bytes have not all arrived is left (the stop); when
   * final, it is an error (the reader says which). Errors name stream offsets.
   */
  #scan(buf: Uint8Array, from: number, filled: number, final: boolean, base: number): number {
    try {
      return this.#scanFields(buf, from, filled, final, base);
    } catch (e) {
      throw renumberBytes(e, (pos) => pos + base);
    }
  }

  #scanFields(buf: Uint8Array, from: number, filled: number, final: boolean, base: number): number {
    const r = this.#r;
    r.buf = buf;
    let pos = from;
    const samples = this.#samples;
    const sampleTypes = this.#sampleTypeIdx;
    while (pos < filled) {
      // Fast path for Sample fields (tag 0x12) with a length under 2^14, nearly all of the bytes.
      if (buf[pos] === 0x12 && pos + 2 < filled) {
        let len = buf[pos + 1]!;
        let start = pos + 2;
        if (len >= 0x80) {
          const b = buf[pos + 2]!;
          if (b < 0x80) {
            len = (len & 0x7f) | (b << 7);
            start = pos + 3;
          } else len = -1;
        }
        if (len >= 0) {
          if (start + len > filled) {
            if (!final) break;
          } else {
            if (this.#runStart >= 0) this.#flushRun(buf, base);
            samples.decode(buf, start, start + len, sampleTypes.length);
            pos = start + len;
            if (base + pos >= this.#nextProgress) this.#reportProgress(base + pos);
            continue;
          }
        }
      }
      const end = final ? filled : fieldEnd(buf, pos, filled);
      if (end < 0) break;
      r.pos = pos;
      r.end = end;
      this.#field(r);
      pos = r.pos;
      if (base + pos >= this.#nextProgress) this.#reportProgress(base + pos);
    }
    this.#flushRun(buf, base);
    return pos;
  }

  #reportProgress(pos: number): void {
    this.#nextProgress = pos + PROGRESS_STEP;
    if (this.#onProgress && this.#expected > 0) this.#onProgress(Math.min(1, pos / this.#expected));
  }

  /**
   * Copies the run of table fields read from `buf` (and not yet copied) to #buf; `base` is the stream offset
   * of buf[0].
   */
  #flushRun(buf: Uint8Array, base: number): void {
    if (this.#runStart < 0) return;
    const n = this.#runEnd - this.#runStart;
    this.#buf = this.#reserve(this.#buf, this.#filled, n);
    this.#buf.set(buf.subarray(this.#runStart, this.#runEnd), this.#filled);
    this.#origins.push(this.#filled, base + this.#runStart);
    this.#filled += n;
    this.#runStart = -1;
  }

  /** Decodes one top-level field at r.pos (r.end bounds it); `base` is the stream offset of r.buf[0]. */
  #field(r: ProtoReader): void {
    const fieldStart = r.pos;
    const tag = r.uint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field >= 2 && field <= 6 && wire === 2) {
      const n = r.length();
      let start = r.pos;
      r.pos += n;
      if (field === 2) {
        this.#samples.decode(r.buf, start, start + n, this.#sampleTypeIdx.length);
        return;
      }
      if (!this.#whole) {
        // Kept for finish(): table fields come in runs (after the samples), copied aside a run at a time
        // by #flushRun, as the chunk will not stay; the range is where the payload will be.
        if (this.#runStart < 0) this.#runStart = fieldStart;
        start = this.#filled + (start - this.#runStart);
        this.#runEnd = r.pos;
      }
      const range = field === 3 ? this.#ranges.mapping : field === 4 ? this.#ranges.location : field === 5 ? this.#ranges.function : this.#ranges.string;
      range.push(start);
      range.push(start + n);
      return;
    }
    switch (field) {
      case 1:
        this.#sampleTypeIdx.push(readValueType(r, wire));
        if (this.#samples.count > 0) this.#sampleTypesAfterSamples = true;
        break;
      case 7:
        this.#dropFrames = readInt(r, wire);
        break;
      case 8:
        this.#keepFrames = readInt(r, wire);
        break;
      case 9: {
        // Nanoseconds since 1970 are always past 2^53; rounding to a fraction of a microsecond is harmless.
        const unsafe = r.unsafeCount;
        this.#timeNanos = readInt(r, wire);
        r.unsafeCount = unsafe;
        this.#timeCount++;
        break;
      }
      case 10:
        this.#durationNanos = readInt(r, wire);
        break;
      case 11:
        this.#periodTypeIdx = readValueType(r, wire);
        break;
      case 12:
        this.#period = readInt(r, wire);
        break;
      case 13:
        r.repeated(wire, true, (v) => this.#commentIdx.push(v));
        break;
      case 14:
        this.#defaultSampleType = readInt(r, wire);
        break;
      default:
        if (field === 0) throw new ProfileError('corrupt-protobuf', `Corrupt protobuf: field number 0 at byte ${r.pos}.`);
        r.skip(wire);
    }
  }

  /** Decodes what remains, resolves references, validates, and returns the profile. */
  finish(): Profile {
    if (this.#whole) this.#pos = this.#scan(this.#buf, this.#pos, this.#filled, true, 0);
    else if (this.#windowLen > 0) {
      // A field cut off by the end of the input: the reader names what is missing.
      this.#scan(this.#window, 0, this.#windowLen, true, this.#windowBase);
      this.#windowLen = 0;
    }
    if (this.#sampleTypesAfterSamples && !this.#whole) throw new WholeInputNeeded();
    try {
      return this.#finishTables();
    } catch (e) {
      throw this.#whole ? e : renumberBytes(e, (pos) => this.#streamOffset(pos));
    }
  }

  /** The stream offset of byte `pos` of the copied table fields. */
  #streamOffset(pos: number): number {
    const o = this.#origins;
    let lo = 0;
    let hi = o.length / 2 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (o[2 * mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return o.length === 0 ? pos : o[2 * lo + 1]! + (pos - o[2 * lo]!);
  }

  #finishTables(): Profile {
    const buf = this.#buf.subarray(0, this.#filled);
    const ranges = this.#ranges;
    if (this.#timeCount > 1) throw invalid('it holds several profiles concatenated (time_nanos appears more than once)');

    const strings = decodeStrings(buf, ranges.string);
    if (strings.length === 0 || strings[0] !== '') throw invalid("the string table must start with ''");
    const str = (i: number, what: string): string => {
      if (i < 0 || i >= strings.length) throw stringOutOfRange(i, strings.length, what);
      return strings[i]!;
    };
    const sampleTypes: ValueType[] = this.#sampleTypeIdx.map(([t, u]) => ({
      type: str(t!, 'sample type'),
      unit: str(u!, 'sample type unit'),
    }));
    const periodType = this.#periodTypeIdx
      ? { type: str(this.#periodTypeIdx[0]!, 'period type'), unit: str(this.#periodTypeIdx[1]!, 'period type unit') }
      : null;
    const comments = this.#commentIdx.map((i) => str(i, 'comment'));

    const ctx: DecodeContext = { maxString: 0, warnings: [] };
    const mappings = decodeMappings(buf, ranges.mapping, ctx);
    const mappingIndex = buildIdIndex(mappings.id, (id) => {
      throw invalid(`two mappings have the same ID ${id}`);
    });
    const functions = decodeFunctions(buf, ranges.function, ctx);
    const functionIndex = buildIdIndex(functions.id, (id) => {
      throw invalid(`two functions have the same ID ${id}`);
    });
    // IDs 1..N in another order (read ahead from each message's first field): decoded straight into ID order,
    // so the samples' ID − 1 already is the row.
    const byId = orderRangesById(buf, ranges.location);
    const decoded = decodeLocations(buf, byId ?? ranges.location, mappingIndex, functionIndex, ctx);
    let locationIndex = buildIdIndex(decoded.locations.id, (id) => {
      throw invalid(`two locations have the same ID ${id}`);
    });
    // IDs 1..N in an order the read-ahead missed (an ID field that is not first): rows put in ID order.
    const { locations, lines } = locationIndex.sequentialCount === 0 && isPermutation(locationIndex, decoded.locations.length)
      ? orderLocationsById(decoded.locations, decoded.lines, locationIndex)
      : decoded;
    if (locations !== decoded.locations) locationIndex = sequentialIndex(locations.length);
    let columns = this.#samples;
    if (this.#sampleTypesAfterSamples) {
      // Rare field order: samples before (some) sample types. Decode them again with the final count.
      columns = new SampleColumns(this.#filled);
      forEachSampleMessage(buf, (start, end) => columns.decode(buf, start, end, sampleTypes.length));
    }
    const { samples, labels, unsafeCount, maxString } = columns.finish(sampleTypes.length, locationIndex);
    if (unsafeCount > 0) ctx.warnings.push(`${unsafeCount} sample value(s) are 2^53 or larger and were rounded.`);
    ctx.maxString = Math.max(ctx.maxString, maxString);
    this.#onProgress?.(1);

    if (ctx.maxString >= strings.length) throw stringOutOfRange(ctx.maxString, strings.length, 'a field');
    for (const i of [this.#dropFrames, this.#keepFrames, this.#defaultSampleType]) str(i, 'a profile field');

    const warnings: string[] = [];
    if (this.#r.unsafeCount > 0) warnings.push(`${this.#r.unsafeCount} header value(s) are 2^53 or larger and were rounded.`);
    return {
      strings,
      sampleTypes,
      samples,
      labels,
      locations,
      lines,
      functions,
      mappings,
      dropFrames: strings[this.#dropFrames]!,
      keepFrames: strings[this.#keepFrames]!,
      timeNanos: this.#timeNanos,
      durationNanos: this.#durationNanos,
      periodType,
      period: this.#period,
      comments,
      defaultSampleType: strings[this.#defaultSampleType]!,
      warnings: warnings.concat(ctx.warnings),
    };
  }
}

/** Rewrites "at byte N" in a ProfileError's message with `at(N)`; other errors pass unchanged. */
function renumberBytes(e: unknown, at: (pos: number) => number): unknown {
  if (!(e instanceof ProfileError)) return e;
  const message = e.message.replace(/at byte (\d+)/, (_, n: string) => `at byte ${at(Number(n))}`);
  return message === e.message ? e : new ProfileError(e.code, message);
}

/**
 * The end of the top-level field starting at `pos` if all its bytes are in buf[.. filled), else -1.
 * Malformed headers are left for the reader to report (returned as complete).
 */
function fieldEnd(buf: Uint8Array, pos: number, filled: number): number {
  let p = pos;
  let tag = 0;
  let shift = 0;
  for (;;) {
    if (p >= filled) return -1;
    const b = buf[p++]!;
    if (shift < 28) tag |= (b & 0x7f) << shift;
    shift += 7;
    if (b < 0x80) break;
    if (shift > 63) return filled;
  }
  switch (tag & 7) {
    case 0:
      for (let k = 0; k < 10; k++) {
        if (p >= filled) return -1;
        if (buf[p++]! < 0x80) return p;
      }
      return filled;
    case 1:
      return p + 8 <= filled ? p + 8 : -1;
    case 5:
      return p + 4 <= filled ? p + 4 : -1;
    case 2: {
      let len = 0;
      shift = 0;
      for (;;) {
        if (p >= filled) return -1;
        const b = buf[p++]!;
        len += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (b < 0x80) break;
        if (shift > 63) return filled;
      }
      return p + len <= filled ? p + len : -1;
    }
    default:
      return filled;
  }
}

/** Shared by the table decoders: the largest string index met, and warnings to report. */
export interface DecodeContext {
  maxString: number;
  warnings: string[];
}

// A rounded value is reported, never silent.
export function noteUnsafe(r: ProtoReader, what: string, ctx: DecodeContext): void {
  if (r.unsafeCount > 0) ctx.warnings.push(`${r.unsafeCount} ${what} value(s) are 2^53 or larger and were rounded.`);
}

function stringOutOfRange(i: number, n: number, what: string): ProfileError {
  return invalid(`string index ${i} in ${what} is out of range (the string table has ${n} strings)`);
}

export function readInt(r: ProtoReader, wire: number): number {
  if (wire !== 0) throw new ProfileError('corrupt-protobuf', `Corrupt protobuf: wire type ${wire} for an integer at byte ${r.pos}.`);
  return r.int();
}

/** A reader over the sub-message at `r` (reusing `into` when given, to spare allocations in hot loops). */
export function subReader(r: ProtoReader, wire: number, into?: ProtoReader): ProtoReader {
  if (wire !== 2) throw new ProfileError('corrupt-protobuf', `Corrupt protobuf: wire type ${wire} for a message at byte ${r.pos}.`);
  const n = r.length();
  const sub = into ?? new ProtoReader(r.buf);
  sub.pos = r.pos;
  sub.end = r.pos + n;
  r.pos += n;
  return sub;
}

function readValueType(r: ProtoReader, wire: number): number[] {
  const m = subReader(r, wire);
  const out = [0, 0];
  while (m.pos < m.end) {
    const tag = m.uint();
    if (tag >>> 3 === 1 || tag >>> 3 === 2) out[(tag >>> 3) - 1] = readInt(m, tag & 7);
    else m.skip(tag & 7);
  }
  return out;
}

function decodeStrings(buf: Uint8Array, ranges: GrowableUint32): string[] {
  const n = ranges.length / 2;
  const out = new Array<string>(n);
  if (n === 0) return out;
  const d = ranges.data;
  const first = d[0]!;
  const last = d[2 * n - 1]!;
  // Fast path: an all-ASCII string table is decoded in one call and cut by byte offsets (= char offsets).
  let ascii = last >= first;
  for (let i = first; ascii && i < last; i++) if (buf[i]! >= 0x80) ascii = false;
  const decoder = new TextDecoder('utf-8');
  if (ascii) {
    const all = decoder.decode(buf.subarray(first, last));
    for (let i = 0; i < n; i++) out[i] = all.substring(d[2 * i]! - first, d[2 * i + 1]! - first);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = decoder.decode(buf.subarray(d[2 * i]!, d[2 * i + 1]!));
  return out;
}

/**
 * Calls `visit(field, wire, row)` for every field of every message in `ranges` (start/end pairs), with the
 * reader positioned on the field's payload; `visit` must consume it. Returns the reader (for its counts).
 */
function forEachField(
  buf: Uint8Array,
  ranges: GrowableUint32,
  visit: (r: ProtoReader, field: number, wire: number, row: number) => void,
  afterRow: (row: number) => void,
): ProtoReader {
  const r = new ProtoReader(buf);
  for (let i = 0; i < ranges.length / 2; i++) {
    r.pos = ranges.data[2 * i]!;
    r.end = ranges.data[2 * i + 1]!;
    while (r.pos < r.end) {
      const tag = r.uint();
      visit(r, tag >>> 3, tag & 7, i);
    }
    afterRow(i);
  }
  return r;
}

function decodeMappings(buf: Uint8Array, ranges: GrowableUint32, ctx: DecodeContext): MappingTable {
  const n = ranges.length / 2;
  const t: MappingTable = {
    length: n,
    id: new Float64Array(n),
    memoryStart: new Float64Array(n),
    memoryLimit: new Float64Array(n),
    fileOffset: new Float64Array(n),
    filename: new Uint32Array(n),
    buildId: new Uint32Array(n),
    flags: new Uint8Array(n),
  };
  forEachField(
    buf,
    ranges,
    (r, field, wire, i) => {
      switch (field) {
        case 1: t.id[i] = readUint(r, wire); break;
        case 2: t.memoryStart[i] = readUint(r, wire); break;
        case 3: t.memoryLimit[i] = readUint(r, wire); break;
        case 4: t.fileOffset[i] = readUint(r, wire); break;
        case 5: t.filename[i] = readStringIndex(r, wire, ctx); break;
        case 6: t.buildId[i] = readStringIndex(r, wire, ctx); break;
        case 7: case 8: case 9: case 10:
          // has_functions, has_filenames, has_line_numbers, has_inline_frames → bits 1, 2, 4, 8.
          if (readUint(r, wire)) t.flags[i]! |= 1 << (field - 7);
          break;
        default: r.skip(wire);
      }
    },
    (i) => {
      if (t.id[i] === 0) throw invalid('found mapping with reserved ID=0');
    },
  );
  return t;
}

export function readUint(r: ProtoReader, wire: number): number {
  if (wire !== 0) throw new ProfileError('corrupt-protobuf', `Corrupt protobuf: wire type ${wire} for an integer at byte ${r.pos}.`);
  return r.uint();
}

export function readStringIndex(r: ProtoReader, wire: number, ctx: DecodeContext): number {
  const v = readInt(r, wire);
  if (v < 0) throw invalid(`negative string index ${v}`);
  if (v > ctx.maxString) ctx.maxString = v;
  return v;
}

function decodeFunctions(buf: Uint8Array, ranges: GrowableUint32, ctx: DecodeContext): FunctionTable {
  const n = ranges.length / 2;
  const t: FunctionTable = {
    length: n,
    id: new Float64Array(n),
    name: new Uint32Array(n),
    systemName: new Uint32Array(n),
    filename: new Uint32Array(n),
    startLine: new Float64Array(n),
  };
  const r = forEachField(
    buf,
    ranges,
    (r, field, wire, i) => {
      switch (field) {
        case 1: t.id[i] = readUint(r, wire); break;
        case 2: t.name[i] = readStringIndex(r, wire, ctx); break;
        case 3: t.systemName[i] = readStringIndex(r, wire, ctx); break;
        case 4: t.filename[i] = readStringIndex(r, wire, ctx); break;
        case 5: t.startLine[i] = readInt(r, wire); break;
        default: r.skip(wire);
      }
    },
    (i) => {
      if (t.id[i] === 0) throw invalid('found function with reserved ID=0');
    },
  );
  noteUnsafe(r, 'function', ctx);
  return t;
}

function decodeLocations(
  buf: Uint8Array,
  ranges: GrowableUint32,
  mappingIndex: IdIndex,
  functionIndex: IdIndex,
  ctx: DecodeContext,
): { locations: LocationTable; lines: LineTable } {
  const n = ranges.length / 2;
  const t: LocationTable = {
    length: n,
    id: new Float64Array(n),
    mapping: new Int32Array(n).fill(-1),
    address: new Float64Array(n),
    isFolded: new Uint8Array(n),
    lineStart: new Uint32Array(n + 1),
  };
  const lineFunction = new GrowableUint32(n * 2);
  const lineLine = new GrowableFloat64(n * 2);
  const lineColumn = new GrowableFloat64(n * 2);
  const r = new ProtoReader(buf);
  const lineReader = new ProtoReader(buf);
  for (let i = 0; i < n; i++) {
    r.pos = ranges.data[2 * i]!;
    r.end = ranges.data[2 * i + 1]!;
    t.lineStart[i] = lineFunction.length;
    while (r.pos < r.end) {
      const tag = r.uint();
      const wire = tag & 7;
      switch (tag >>> 3) {
        case 1: t.id[i] = readUint(r, wire); break;
        case 2: {
          const id = readUint(r, wire);
          if (id !== 0) {
            const m = mappingIndex.get(id);
            if (m < 0) throw invalid(`location refers to mapping ID ${id}, which does not exist`);
            t.mapping[i] = m;
          }
          break;
        }
        case 3: t.address[i] = readUint(r, wire); break;
        case 4: {
          const m = subReader(r, wire, lineReader);
          let fn = -1;
          let line = 0;
          let column = 0;
          while (m.pos < m.end) {
            const lt = m.uint();
            const lw = lt & 7;
            switch (lt >>> 3) {
              case 1: {
                const id = readUint(m, lw);
                if (id !== 0) {
                  fn = functionIndex.get(id);
                  if (fn < 0) throw invalid(`a location line refers to function ID ${id}, which does not exist`);
                } else fn = -1;
                break;
              }
              case 2: line = readInt(m, lw); break;
              case 3: column = readInt(m, lw); break;
              default: m.skip(lw);
            }
          }
          // -1 is stored as 0xffffffff; readers turn it back with `| 0`.
          lineFunction.push(fn >>> 0);
          lineLine.push(line);
          lineColumn.push(column);
          break;
        }
        case 5: t.isFolded[i] = readUint(r, wire) ? 1 : 0; break;
        default: r.skip(wire);
      }
    }
    if (t.id[i] === 0) throw invalid('found location with reserved ID=0');
  }
  t.lineStart[n] = lineFunction.length;
  const lines: LineTable = {
    length: lineFunction.length,
    function: new Int32Array(lineFunction.finish().buffer),
    line: lineLine.finish(),
    column: lineColumn.finish(),
  };
  return { locations: t, lines };
}

/** Calls `visit(start, end)` for the bytes of every top-level Sample message (field 2) of `buf`, in order. */
function forEachSampleMessage(buf: Uint8Array, visit: (start: number, end: number) => void): void {
  const r = new ProtoReader(buf);
  while (r.pos < r.end) {
    const tag = r.uint();
    if (tag === 0x12) {
      const n = r.length();
      visit(r.pos, r.pos + n);
      r.pos += n;
    } else r.skip(tag & 7);
  }
}

/**
 * The message ranges reordered so row i is the message whose ID is i + 1, when every message starts with
 * its ID field and the IDs are 1..N out of order; else null (already in order, or not such a set).
 */
function orderRangesById(buf: Uint8Array, ranges: GrowableUint32): GrowableUint32 | null {
  const n = ranges.length / 2;
  const d = ranges.data;
  const rowOf = new Int32Array(n + 1).fill(-1);
  const r = new ProtoReader(buf);
  let inOrder = true;
  for (let i = 0; i < n; i++) {
    r.pos = d[2 * i]!;
    r.end = d[2 * i + 1]!;
    if (r.pos >= r.end || buf[r.pos] !== 0x08) return null;
    r.pos++;
    const id = r.uint();
    if (id < 1 || id > n || rowOf[id] !== -1) return null;
    rowOf[id] = i;
    if (id !== i + 1) inOrder = false;
  }
  if (inOrder) return null;
  const out = new GrowableUint32(2 * n);
  for (let id = 1; id <= n; id++) {
    out.push(d[2 * rowOf[id]!]!);
    out.push(d[2 * rowOf[id]! + 1]!);
  }
  return out;
}

/** The locations (and their lines) with row i holding ID i + 1; `index` (dense) maps every ID 1..N to its row. */
function orderLocationsById(t: LocationTable, lines: LineTable, index: IdIndex): { locations: LocationTable; lines: LineTable } {
  const n = t.length;
  const out: LocationTable = {
    length: n,
    id: new Float64Array(n),
    mapping: new Int32Array(n),
    address: new Float64Array(n),
    isFolded: new Uint8Array(n),
    lineStart: new Uint32Array(n + 1),
  };
  const lineOut: LineTable = {
    length: lines.length,
    function: new Int32Array(lines.length),
    line: new Float64Array(lines.length),
    column: new Float64Array(lines.length),
  };
  const rowOf = index.dense!;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const from = rowOf[i + 1]!;
    out.id[i] = i + 1;
    out.mapping[i] = t.mapping[from]!;
    out.address[i] = t.address[from]!;
    out.isFolded[i] = t.isFolded[from]!;
    out.lineStart[i] = at;
    for (let k = t.lineStart[from]!; k < t.lineStart[from + 1]!; k++, at++) {
      lineOut.function[at] = lines.function[k]!;
      lineOut.line[at] = lines.line[k]!;
      lineOut.column[at] = lines.column[k]!;
    }
  }
  out.lineStart[n] = at;
  return { locations: out, lines: lineOut };
}
