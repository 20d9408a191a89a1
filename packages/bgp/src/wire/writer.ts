import { BgpEncodeError } from '../errors';

/** Size of the slabs encoded messages are carved from, in bytes. */
const slabSize = 256 * 1024;

/**
 * A growable byte buffer for encoders, used as a slab allocator: each encoding is written after the previous one
 * and returned as a `subarray` view, so encoding a message allocates no backing store of its own (V8 allocates a
 * typed array above 64 bytes off-heap, which costs more than encoding a small UPDATE). Like Node's Buffer pool, a
 * retained message keeps its slab (256 KiB) alive; copy it (`slice()`) to keep it long on its own.
 */
export class ByteWriter {
  /** The backing bytes; `[start, offset)` is the encoding in progress. */
  bytes: Uint8Array;
  /** A DataView over `bytes`. */
  view: DataView;
  /** Next write position, in bytes. */
  offset: number;
  /** Where the encoding in progress began. */
  start: number;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
    this.offset = 0;
    this.start = 0;
  }

  /**
   * Starts a new encoding with at least `reserve` bytes of room (a fresh slab when the current one is short), and
   * returns its start offset. Bytes already handed out are never written again.
   */
  begin(reserve: number): number {
    if (this.bytes.length - this.offset < reserve) {
      this.bytes = new Uint8Array(Math.max(slabSize, reserve));
      this.view = new DataView(this.bytes.buffer);
      this.offset = 0;
    }
    this.start = this.offset;
    return this.start;
  }

  /** Ends the encoding begun by {@link ByteWriter.begin}: a view of its bytes. */
  finish(): Uint8Array {
    return this.bytes.subarray(this.start, this.offset);
  }

  /** Makes room for `count` more bytes (positions already taken stay valid). */
  ensure(count: number): void {
    const needed = this.offset + count;
    if (needed <= this.bytes.length) return;
    if (needed - this.start > 0x10000000) throw new BgpEncodeError('message', `encoding needs ${needed} bytes`);
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const bytes = new Uint8Array(capacity);
    // Only the encoding in progress is copied; earlier views keep the old buffer.
    bytes.set(this.bytes.subarray(this.start, this.offset), this.start);
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
}

/** The writer shared by every top-level encoder in this module (encoding is synchronous and not re-entrant). */
export const sharedWriter: ByteWriter = new ByteWriter(slabSize);
