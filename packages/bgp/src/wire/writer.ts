import { BgpEncodeError } from '../errors';

/**
 * A growable byte buffer for encoders. Encoders write into one shared instance and copy the finished message out
 * once, so encoding allocates only the result.
 */
export class ByteWriter {
  /** The backing bytes; only `[0, offset)` is meaningful. */
  bytes: Uint8Array;
  /** A DataView over `bytes`. */
  view: DataView;
  /** Next write position, in bytes. */
  offset: number;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
    this.offset = 0;
  }

  /** Makes room for `count` more bytes. */
  ensure(count: number): void {
    const needed = this.offset + count;
    if (needed <= this.bytes.length) return;
    if (needed > 0x10000000) throw new BgpEncodeError('message', `encoding needs ${needed} bytes`);
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const bytes = new Uint8Array(capacity);
    bytes.set(this.bytes.subarray(0, this.offset));
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer);
  }

  /** Writes one byte. */
  u8(value: number): void {
    this.ensure(1);
    this.bytes[this.offset++] = value;
  }

  /** Writes a big-endian 16-bit value. */
  u16(value: number): void {
    this.ensure(2);
    this.view.setUint16(this.offset, value);
    this.offset += 2;
  }

  /** Writes a big-endian 32-bit value. */
  u32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.offset, value >>> 0);
    this.offset += 4;
  }

  /** Writes bytes. */
  write(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.bytes.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  /** A copy of `[start, offset)`. */
  copy(start: number): Uint8Array {
    const length = this.offset - start;
    const out = new Uint8Array(length);
    const bytes = this.bytes;
    // A plain loop beats slice()/set() for the small messages that dominate BGP traffic.
    if (length <= 256) for (let index = 0; index < length; index++) out[index] = bytes[start + index]!;
    else out.set(bytes.subarray(start, this.offset));
    return out;
  }
}

/** The writer shared by every top-level encoder in this module (encoding is synchronous and not re-entrant). */
export const sharedWriter: ByteWriter = new ByteWriter(70000);
