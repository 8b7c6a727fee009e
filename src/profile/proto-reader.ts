// A minimal protobuf wire-format reader over a Uint8Array: varints, lengths and skipping, bounds-checked.

import { ProfileError } from './errors';

const TWO_32 = 4294967296;

function corrupt(what: string, pos: number): ProfileError {
  return new ProfileError('corrupt-protobuf', `Corrupt protobuf: ${what} at byte ${pos}.`);
}

/**
 * Reads protobuf wire data from `buf[pos .. end)`. Integer fields are returned as JS numbers: the one
 * place where int64 becomes number. Values whose magnitude is 2^53 or more cannot be held exactly; they
 * are rounded and counted in `unsafeCount` so the caller can report them.
 */
export class ProtoReader {
  buf: Uint8Array;
  pos: number;
  end: number;
  unsafeCount = 0;

  constructor(buf: Uint8Array, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /** Reads an unsigned varint (uint32/uint64 fields). */
  uint(): number {
    const buf = this.buf;
    let pos = this.pos;
    // Fast path: up to 4 bytes (values < 2^28) with no bounds trouble.
    if (pos + 4 <= this.end) {
      let b = buf[pos++]!;
      if (b < 0x80) {
        this.pos = pos;
        return b;
      }
      let v = b & 0x7f;
      b = buf[pos++]!;
      v |= (b & 0x7f) << 7;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
      b = buf[pos++]!;
      v |= (b & 0x7f) << 14;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
      b = buf[pos++]!;
      v |= (b & 0x7f) << 21;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
    }
    return this.#slowVarint(false);
  }

  /** Reads an int64 varint: two's complement, so negative values (10 bytes) come back negative. */
  int(): number {
    const buf = this.buf;
    const pos = this.pos;
    if (pos + 4 <= this.end && buf[pos]! < 0x80) {
      this.pos = pos + 1;
      return buf[pos]!;
    }
    if (pos + 4 <= this.end && buf[pos + 1]! < 0x80) {
      this.pos = pos + 2;
      return (buf[pos]! & 0x7f) | (buf[pos + 1]! << 7);
    }
    return this.#slowVarint(true);
  }

  #slowVarint(signed: boolean): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let b = 0;
    // Low 28 bits.
    for (; shift < 28; shift += 7) {
      if (pos >= end) throw corrupt('truncated varint', pos);
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return lo >>> 0;
      }
    }
    // Byte 5 carries bits 28..34: 4 bits to lo, 3 to hi.
    if (pos >= end) throw corrupt('truncated varint', pos);
    b = buf[pos++]!;
    lo = (lo | ((b & 0x0f) << 28)) >>> 0;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (shift = 3; ; shift += 7) {
        if (pos >= end) throw corrupt('truncated varint', pos);
        if (shift > 31) throw corrupt('varint longer than 10 bytes', pos);
        b = buf[pos++]!;
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
    }
    hi >>>= 0;
    this.pos = pos;
    if (signed && hi >= 0x80000000) {
      // Negative: negate the 64-bit two's complement value.
      const nlo = (~lo + 1) >>> 0;
      const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
      if (nhi >= 0x200000) this.unsafeCount++;
      return -(nhi * TWO_32 + nlo);
    }
    if (hi >= 0x200000) this.unsafeCount++;
    return hi * TWO_32 + lo;
  }

  /** Reads a length prefix and checks it stays inside the current message. */
  length(): number {
    const start = this.pos;
    const n = this.uint();
    if (n > this.end - this.pos) throw corrupt(`length ${n} runs past the end of its message`, start);
    return n;
  }

  /** Skips one field's payload of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.uint();
        return;
      case 1:
        this.#advance(8);
        return;
      case 2: {
        // Not `this.pos += this.length()`: that would add to the position read before the length prefix.
        const n = this.length();
        this.pos += n;
        return;
      }
      case 5:
        this.#advance(4);
        return;
      default:
        throw corrupt(`unsupported wire type ${wireType}`, this.pos);
    }
  }

  #advance(n: number): void {
    if (this.end - this.pos < n) throw corrupt('field runs past the end of its message', this.pos);
    this.pos += n;
  }

  /**
   * Reads a repeated integer field, packed (wire type 2) or not (wire type 0), calling `push` per value.
   * `signed` selects int64 over uint64 reading.
   */
  repeated(wireType: number, signed: boolean, push: (v: number) => void): void {
    if (wireType === 0) {
      push(signed ? this.int() : this.uint());
      return;
    }
    if (wireType !== 2) throw corrupt(`wire type ${wireType} for a repeated integer`, this.pos);
    const n = this.length();
    const end = this.pos + n;
    const outer = this.end;
    this.end = end;
    while (this.pos < end) push(signed ? this.int() : this.uint());
    this.end = outer;
  }
}
