// The hot loop of decoding: samples (location IDs, values, labels) into columns, with inlined varint reads.

import { ProfileError } from './errors';
import { GrowableFloat64, GrowableUint32 } from './grow';
import type { IdIndex } from './id-index';
import type { LabelTable, SampleTable } from './model';
import { ProtoReader } from './proto-reader';
import { invalid, noteUnsafe, readInt, readStringIndex, readUint, subReader, type DecodeContext } from './decode-proto';

const PROGRESS_EVERY = 1 << 16;
// Tags of the packed repeated fields 1 (location_id) and 2 (value) of Sample.
const TAG_PACKED_LOCATIONS = 0x0a;
const TAG_PACKED_VALUES = 0x12;

function corruptAt(pos: number, what: string): ProfileError {
  return new ProfileError('corrupt-protobuf', `Corrupt protobuf: ${what} at byte ${pos}.`);
}

/**
 * Decodes every Sample message (byte ranges in `ranges`, start/end pairs). Packed location IDs and values
 * take an inlined fast path for varints under 2^28; anything else goes through ProtoReader.
 */
export function decodeSamples(
  buf: Uint8Array,
  ranges: GrowableUint32,
  typeCount: number,
  locationIndex: IdIndex,
  ctx: DecodeContext,
  onProgress?: (fraction: number) => void,
): { samples: SampleTable; labels: LabelTable } {
  const n = ranges.length / 2;
  const rd = ranges.data;
  const values: Float64Array[] = [];
  for (let t = 0; t < typeCount; t++) values.push(new Float64Array(n));
  const stackStart = new Uint32Array(n + 1);
  const labelStart = new Uint32Array(n + 1);
  const sampleBytes = n > 0 ? rd[2 * n - 1]! - rd[0]! : 0;
  let stack: Uint32Array = new Uint32Array(Math.max(1024, Math.ceil(sampleBytes / 2)));
  let sl = 0;
  const dense = locationIndex.dense;
  const denseLength = dense ? dense.length : 0;
  // Go writes location IDs 1..N in order: then the index is the ID − 1, with no table lookup.
  const sequential = locationIndex.sequentialCount;
  const labelKey = new GrowableUint32(16);
  const labelStr = new GrowableUint32(16);
  const labelNum = new GrowableFloat64(16);
  const labelNumUnit = new GrowableUint32(16);
  const r = new ProtoReader(buf);
  const label = new ProtoReader(buf);

  const lookup = (id: number, sample: number): number => {
    const l = id < denseLength ? dense![id]! : locationIndex.get(id);
    if (l < 0) throw invalid(`sample ${sample} refers to location ID ${id}, which does not exist`);
    return l;
  };

  for (let i = 0; i < n; i++) {
    if (onProgress && (i & (PROGRESS_EVERY - 1)) === 0) onProgress(i / n);
    let pos = rd[2 * i]!;
    const end = rd[2 * i + 1]!;
    stackStart[i] = sl;
    labelStart[i] = labelKey.length;
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
            stack = next;
          }
          while (pos < e) {
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
                  id = r.uint();
                  pos = r.pos;
                }
              }
            }
            if (id - 1 < sequential && id > 0) stack[sl++] = id - 1;
            else {
              const l = id < denseLength ? dense![id]! : -1;
              stack[sl++] = l >= 0 ? l : lookup(id, i);
            }
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
            if (valueCount < typeCount) values[valueCount]![i] = v;
            valueCount++;
          }
        }
        if (pos !== e) throw corruptAt(pos, 'a varint runs past the end of its packed field');
        continue;
      }
      // Anything else (unpacked repeated fields, labels, unknown fields): the general reader.
      r.pos = pos;
      r.end = end;
      const t = r.uint();
      const wire = t & 7;
      const field = t >>> 3;
      if (field === 1) stack = pushOne(stack, sl++, lookup(readUint(r, wire), i));
      else if (field === 2) {
        const v = readInt(r, wire);
        if (valueCount < typeCount) values[valueCount]![i] = v;
        valueCount++;
      } else if (field === 3) {
        const m = subReader(r, wire, label);
        let key = 0;
        let s = 0;
        let num = 0;
        let unit = 0;
        while (m.pos < m.end) {
          const lt = m.uint();
          const lw = lt & 7;
          switch (lt >>> 3) {
            case 1: key = readStringIndex(m, lw, ctx); break;
            case 2: s = readStringIndex(m, lw, ctx); break;
            case 3: num = readInt(m, lw); break;
            case 4: unit = readStringIndex(m, lw, ctx); break;
            default: m.skip(lw);
          }
        }
        labelKey.push(key);
        labelStr.push(s);
        labelNum.push(num);
        labelNumUnit.push(unit);
      } else r.skip(wire);
      pos = r.pos;
    }
    if (valueCount !== typeCount) {
      throw invalid(`sample ${i} has ${valueCount} values but the profile has ${typeCount} sample types`);
    }
  }
  stackStart[n] = sl;
  labelStart[n] = labelKey.length;
  onProgress?.(1);
  r.unsafeCount += label.unsafeCount;
  noteUnsafe(r, 'sample', ctx);
  return {
    samples: { length: n, values, stackStart, stack: stack.slice(0, sl) as Uint32Array<ArrayBuffer>, labelStart },
    labels: {
      length: labelKey.length,
      key: labelKey.finish(),
      str: labelStr.finish(),
      num: labelNum.finish(),
      numUnit: labelNumUnit.finish(),
    },
  };
}

function pushOne(stack: Uint32Array, at: number, v: number): Uint32Array {
  let s = stack;
  if (at >= s.length) {
    s = new Uint32Array(s.length * 2);
    s.set(stack);
  }
  s[at] = v;
  return s;
}
