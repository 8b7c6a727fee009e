// The hot loop of decoding: one Sample message at a time (as bytes arrive) into growable columns.

import { ProfileError } from './errors';
import { GrowableFloat64, GrowableUint32 } from './grow';
import type { IdIndex } from './id-index';
import type { LabelTable, SampleTable } from './model';
import { ProtoReader } from './proto-reader';

// Tags of the packed repeated fields 1 (location_id) and 2 (value) of Sample.
const TAG_PACKED_LOCATIONS = 0x0a;
const TAG_PACKED_VALUES = 0x12;
/** Stack entries hold location ID − 1 until finish(); IDs that do not fit are kept aside under this mark. */
const BIG_ID = 0xffffffff;

function corrupt(pos: number, what: string): ProfileError {
  return new ProfileError('corrupt-protobuf', `Corrupt protobuf: ${what} at byte ${pos}.`);
}

function invalid(message: string): ProfileError {
  return new ProfileError('invalid-profile', `Invalid profile: ${message}.`);
}

/** A decoded sample table before location IDs are resolved (locations usually come after samples). */
export interface SampleColumnsResult {
  samples: SampleTable;
  labels: LabelTable;
  /** Values of 2^53 or more met (rounded). */
  unsafeCount: number;
  /** The largest label string index met, to check against the string table. */
  maxString: number;
}

/**
 * Sample columns filled one message at a time. `typeCount` is the number of sample types known when a
 * sample is decoded; `finish` needs the final count and the location index.
 */
export class SampleColumns {
  count = 0;
  /** One column per sample type (sample i's type t at #columns[t][i]), all of #capacity rows. */
  #columns: Float64Array[] = [];
  #capacity: number;
  #stackStart: GrowableUint32;
  #stack: Uint32Array;
  #sl = 0;
  #bigIds = new Map<number, number>();
  #maxId = 0;
  #labelStart: GrowableUint32;
  #labelKey = new GrowableUint32(16);
  #labelStr = new GrowableUint32(16);
  #labelNum = new GrowableFloat64(16);
  #labelNumUnit = new GrowableUint32(16);
  #maxString = 0;
  #firstBad = -1;
  #firstBadCount = 0;
  #r = new ProtoReader(new Uint8Array(0));
  #label = new ProtoReader(new Uint8Array(0));

  constructor(expectedBytes = 0) {
    // Sized from the input (a location ID takes 1 byte or more; a sample ~40 bytes or more) to spare regrowth.
    this.#stack = new Uint32Array(Math.max(1024, Math.ceil(expectedBytes / 2)));
    const samples = Math.max(1024, Math.ceil(expectedBytes / 40));
    this.#stackStart = new GrowableUint32(samples);
    this.#labelStart = new GrowableUint32(samples);
    this.#capacity = samples;
  }

  /** Decodes the Sample message at `buf[pos .. end)`. */
  decode(buf: Uint8Array, pos: number, end: number, typeCount: number): void {
    const i = this.count++;
    if (i === this.#capacity || this.#columns.length < typeCount) this.#growColumns(i, typeCount);
    const columns = this.#columns;
    const r = this.#r;
    r.buf = buf;
    this.#stackStart.push(this.#sl);
    this.#labelStart.push(this.#labelKey.length);
    let stack = this.#stack;
    let sl = this.#sl;
    let maxId = this.#maxId;
    let valueCount = 0;
    while (pos < end) {
      const tag = buf[pos]!;
      if (tag === TAG_PACKED_LOCATIONS || tag === TAG_PACKED_VALUES) {
        r.pos = pos + 1;
        r.end = end;
        const len = r.length();
        pos = r.pos;
        const e = pos + len;
        if (tag === TAG_PACKED_LOCATIONS) {
          if (sl + len > stack.length) {
            const next = new Uint32Array(Math.max(stack.length * 2, sl + len));
            next.set(stack.subarray(0, sl));
            stack = this.#stack = next;
          }
          while (pos < e) {
            // IDs under 2^21 (three bytes) stay small integers all the way: the hot path.
            let b = buf[pos++]!;
            let id = b & 0x7f;
            if (b >= 0x80) {
              b = buf[pos++]!;
              id |= (b & 0x7f) << 7;
              if (b >= 0x80) {
                b = buf[pos++]!;
                id |= (b & 0x7f) << 14;
                if (b >= 0x80) {
                  r.pos = pos - 3;
                  r.end = e;
                  const big = r.uint();
                  pos = r.pos;
                  sl = this.#pushBigId(stack, sl, big);
                  continue;
                }
              }
            }
            if (id === 0) {
              sl = this.#pushBigId(stack, sl, 0);
              continue;
            }
            if (id > maxId) maxId = id;
            stack[sl++] = id - 1;
          }
        } else {
          while (pos < e) {
            let b = buf[pos++]!;
            let v = b & 0x7f;
            if (b >= 0x80) {
              b = buf[pos++]!;
              v |= (b & 0x7f) << 7;
              if (b >= 0x80) {
                b = buf[pos++]!;
                v |= (b & 0x7f) << 14;
                if (b >= 0x80) {
                  b = buf[pos++]!;
                  v |= (b & 0x7f) << 21;
                  if (b >= 0x80) {
                    r.pos = pos - 4;
                    r.end = e;
                    v = r.int();
                    pos = r.pos;
                  }
                }
              }
            }
            if (valueCount < typeCount) columns[valueCount]![i] = v;
            valueCount++;
          }
        }
        if (pos !== e) throw corrupt(pos, 'a varint runs past the end of its packed field');
        continue;
      }
      // Anything else (unpacked repeated fields, labels, unknown fields): the general reader.
      r.pos = pos;
      r.end = end;
      const t = r.uint();
      const wire = t & 7;
      const field = t >>> 3;
      if (field === 1 || field === 2) {
        if (wire !== 0) throw corrupt(r.pos, `wire type ${wire} for an integer`);
        if (field === 1) {
          const id = r.uint();
          if (sl === stack.length) {
            const next = new Uint32Array(stack.length * 2);
            next.set(stack);
            stack = this.#stack = next;
          }
          sl = this.#pushBigId(stack, sl, id);
        } else {
          const v = r.int();
          if (valueCount < typeCount) columns[valueCount]![i] = v;
          valueCount++;
        }
      } else if (field === 3) this.#decodeLabel(r, wire);
      else r.skip(wire);
      pos = r.pos;
    }
    if (valueCount !== typeCount && this.#firstBad < 0) {
      this.#firstBad = i;
      this.#firstBadCount = valueCount;
    }
    this.#sl = sl;
    if (maxId > this.#maxId) this.#maxId = maxId;
  }

  /** Room for sample `i` in every column, and a column for each of `typeCount` sample types. */
  #growColumns(i: number, typeCount: number): void {
    if (i === this.#capacity) {
      this.#capacity *= 2;
      this.#columns = this.#columns.map((c) => {
        const next = new Float64Array(this.#capacity);
        next.set(c);
        return next;
      });
    }
    while (this.#columns.length < typeCount) this.#columns.push(new Float64Array(this.#capacity));
  }

  /** Stores a location ID at stack[sl]; IDs that do not fit ID − 1 in a Uint32 are kept aside. */
  #pushBigId(stack: Uint32Array, sl: number, id: number): number {
    if (id > this.#maxId) this.#maxId = id;
    if (id >= 1 && id < BIG_ID) stack[sl] = id - 1;
    else {
      this.#bigIds.set(sl, id);
      stack[sl] = BIG_ID;
    }
    return sl + 1;
  }

  #decodeLabel(r: ProtoReader, wire: number): void {
    if (wire !== 2) throw corrupt(r.pos, `wire type ${wire} for a message`);
    const m = this.#label;
    m.buf = r.buf;
    const n = r.length();
    m.pos = r.pos;
    m.end = r.pos + n;
    r.pos += n;
    let key = 0;
    let s = 0;
    let num = 0;
    let unit = 0;
    while (m.pos < m.end) {
      const lt = m.uint();
      const lw = lt & 7;
      const f = lt >>> 3;
      if (f >= 1 && f <= 4) {
        if (lw !== 0) throw corrupt(m.pos, `wire type ${lw} for an integer`);
        const v = m.int();
        if (f !== 3 && v < 0) throw invalid(`negative string index ${v}`);
        if (f === 1) key = v;
        else if (f === 2) s = v;
        else if (f === 3) num = v;
        else unit = v;
        if (f !== 3 && v > this.#maxString) this.#maxString = v;
      } else m.skip(lw);
    }
    this.#labelKey.push(key);
    this.#labelStr.push(s);
    this.#labelNum.push(num);
    this.#labelNumUnit.push(unit);
  }

  /** Resolves location IDs to rows and checks value counts; returns the tables. */
  finish(typeCount: number, locationIndex: IdIndex): SampleColumnsResult {
    const n = this.count;
    if (this.#firstBad >= 0) {
      throw invalid(`sample ${this.#firstBad} has ${this.#firstBadCount} values but the profile has ${typeCount} sample types`);
    }
    this.#stackStart.push(this.#sl);
    const stackStart = keepFilled(this.#stackStart.data, n + 1);
    this.#labelStart.push(this.#labelKey.length);
    const labelStart = keepFilled(this.#labelStart.data, n + 1);
    // Go writes location IDs 1..N in order: then every entry (ID − 1) already is the row.
    const sequential = locationIndex.sequentialCount > 0 && this.#maxId <= locationIndex.sequentialCount;
    let stack: Uint32Array;
    if (!sequential || this.#bigIds.size > 0) stack = this.#resolveIds(stackStart, locationIndex);
    // A view, not a copy, unless most of it is spare: copying ~90 MB into fresh pages costs ~100 ms, while the
    // spare part of the buffer (at most half) stays allocated with the profile.
    else if (this.#sl >= this.#stack.length * 0.5) stack = this.#stack.subarray(0, this.#sl);
    else stack = this.#stack.slice(0, this.#sl);
    const values: Float64Array[] = [];
    for (let t = 0; t < typeCount; t++) values.push(this.#columns[t] ? keepFilled(this.#columns[t]!, n) : new Float64Array(n));
    const unsafeCount = this.#r.unsafeCount + this.#label.unsafeCount;
    return {
      samples: { length: n, values, stackStart, stack, labelStart },
      labels: {
        length: this.#labelKey.length,
        key: keepFilled(this.#labelKey.data, this.#labelKey.length),
        str: keepFilled(this.#labelStr.data, this.#labelKey.length),
        num: keepFilled(this.#labelNum.data, this.#labelKey.length),
        numUnit: keepFilled(this.#labelNumUnit.data, this.#labelKey.length),
      },
      unsafeCount,
      maxString: this.#maxString,
    };
  }

  /** A right-sized copy of the stack with every entry turned from ID − 1 into its location row. */
  #resolveIds(stackStart: Uint32Array, index: IdIndex): Uint32Array {
    const raw = this.#stack;
    const out = new Uint32Array(this.#sl);
    const dense = this.#bigIds.size === 0 ? index.dense : null;
    for (let j = 0; j < out.length; j++) {
      let l = -1;
      if (dense !== null) {
        const id = raw[j]! + 1;
        if (id < dense.length) l = dense[id]!;
      } else l = index.get(raw[j] === BIG_ID ? this.#bigIds.get(j)! : raw[j]! + 1);
      if (l < 0) {
        const id = raw[j] === BIG_ID ? this.#bigIds.get(j)! : raw[j]! + 1;
        let s = 0;
        while (stackStart[s + 1]! <= j) s++;
        throw invalid(`sample ${s} refers to location ID ${id}, which does not exist`);
      }
      out[j] = l;
    }
    return out;
  }

}

/**
 * The first `n` entries of a buffer filled while decoding: a view when at least half of it is used (fresh
 * memory for a copy costs more than the spare part it would free), else a right-sized copy.
 */
function keepFilled<T extends Uint32Array | Float64Array>(buf: T, n: number): T {
  return (n * 2 >= buf.length ? buf.subarray(0, n) : buf.slice(0, n)) as T;
}
