/**
 * The dedup link wire format, version 1 (documented in docs/dedup-wire-format.md). Every message, in either
 * direction, is `type (u8) | payload length (u32) | payload`; multi-byte integers are big-endian.
 */
import { DedupFormatError } from './errors';

/** Wire format version carried in HELLO. */
export const DEDUP_WIRE_VERSION = 1;
/** Bytes of the message header (type and payload length). */
export const MESSAGE_HEADER_BYTES = 5;

/** Message types, encoder to decoder (0x0_) and decoder to encoder (0x8_). */
export const MessageType = {
  /** Starts an epoch: the decoder empties its store and sizes it as announced. */
  hello: 0x01,
  /** A frame of chunk records. */
  data: 0x02,
  /** A chunk the decoder asked for, answering REQUEST. */
  supply: 0x03,
  /** The encoder cannot answer a REQUEST (it no longer has the frame): the frame is lost. */
  unavailable: 0x04,
  /** Every frame up to this sequence number has been decoded. */
  acknowledge: 0x81,
  /** The decoder misses these chunks of a frame. */
  request: 0x82,
  /** The decoder lost its state (restart): start a new epoch. */
  reset: 0x83,
} as const;

/** Record types inside a DATA frame. */
export const RecordType = {
  /** A chunk the decoder holds: id (32 bytes) and length (u32). */
  reference: 0x00,
  /** A chunk's bytes: id, length, bytes. */
  literal: 0x01,
} as const;

/** Compression of a DATA frame's record section. */
export const FrameCompression = { none: 0, deflate: 1, brotli: 2 } as const;

/** HELLO flags. */
export const HelloFlags = {
  /** The encoder answers REQUEST/RESET (a return channel exists). */
  returnChannel: 0x01,
  /** The encoder (re)started: frames before this HELLO that still wait for chunks can never get them. */
  freshStart: 0x02,
} as const;

/** Payload bytes of HELLO: version u8, flags u8, epoch u32, capacity u64. */
export const HELLO_PAYLOAD_BYTES = 14;
/** Bytes of a DATA frame's fixed header: epoch, sequence, compression, record count, raw length, output length. */
export const DATA_HEADER_BYTES = 21;
/** Bytes of a REFERENCE record. */
export const REFERENCE_RECORD_BYTES = 37;
/** Bytes of a LITERAL record before its data. */
export const LITERAL_HEADER_BYTES = 37;

/** Writes a message header at `offset` of `target`. */
export function writeMessageHeader(target: Uint8Array, offset: number, type: number, payloadLength: number): void {
  target[offset] = type;
  target[offset + 1] = payloadLength >>> 24;
  target[offset + 2] = (payloadLength >>> 16) & 0xff;
  target[offset + 3] = (payloadLength >>> 8) & 0xff;
  target[offset + 4] = payloadLength & 0xff;
}

/** Writes a u32 big-endian at `offset`. */
export function writeUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}

/** Reads a u32 big-endian at `offset` (the caller has checked the bounds). */
export function readUint32(source: Uint8Array, offset: number): number {
  return (
    ((source[offset]! << 24) | (source[offset + 1]! << 16) | (source[offset + 2]! << 8) | source[offset + 3]!) >>> 0
  );
}

/** A parsed message: its type and payload (a view into the input when it lay in one piece). */
export interface WireMessage {
  readonly type: number;
  readonly payload: Uint8Array;
}

/**
 * Splits a byte stream into messages. Input arrives in pieces of any size; a message lying in one piece is returned as
 * a view (no copy), one spanning pieces is copied once into a buffer of its declared size, after checking that size
 * against the cap.
 */
export class MessageReader {
  /** Largest payload accepted, in bytes. */
  readonly maximumPayloadBytes: number;
  private readonly header: Uint8Array = new Uint8Array(MESSAGE_HEADER_BYTES);
  private headerLength = 0;
  private payload: Uint8Array | undefined = undefined;
  private payloadFilled = 0;
  private type = 0;
  private consumed = 0;

  constructor(maximumPayloadBytes: number) {
    this.maximumPayloadBytes = maximumPayloadBytes;
  }

  /** True when a message has started but not finished. */
  get isPartial(): boolean {
    return this.headerLength > 0 || this.payload !== undefined;
  }

  /** Feeds bytes and returns the messages they complete, in order. */
  read(data: Uint8Array): WireMessage[] {
    const messages: WireMessage[] = [];
    let offset = 0;
    const length = data.length;
    while (offset < length) {
      if (this.payload !== undefined) {
        const take = Math.min(this.payload.length - this.payloadFilled, length - offset);
        this.payload.set(data.subarray(offset, offset + take), this.payloadFilled);
        this.payloadFilled += take;
        offset += take;
        this.consumed += take;
        if (this.payloadFilled === this.payload.length) {
          messages.push({ type: this.type, payload: this.payload });
          this.payload = undefined;
        }
        continue;
      }
      if (this.headerLength === 0 && length - offset >= MESSAGE_HEADER_BYTES) {
        const payloadLength = readUint32(data, offset + 1);
        this.checkLength(payloadLength);
        if (length - offset - MESSAGE_HEADER_BYTES >= payloadLength) {
          const start = offset + MESSAGE_HEADER_BYTES;
          messages.push({ type: data[offset]!, payload: data.subarray(start, start + payloadLength) });
          offset = start + payloadLength;
          this.consumed += MESSAGE_HEADER_BYTES + payloadLength;
          continue;
        }
      }
      // The header or payload spans pieces: gather it.
      while (this.headerLength < MESSAGE_HEADER_BYTES && offset < length) {
        this.header[this.headerLength++] = data[offset++]!;
        this.consumed++;
      }
      if (this.headerLength < MESSAGE_HEADER_BYTES) break;
      this.headerLength = 0;
      const payloadLength = readUint32(this.header, 1);
      this.checkLength(payloadLength);
      this.type = this.header[0]!;
      if (payloadLength === 0) {
        messages.push({ type: this.type, payload: new Uint8Array(0) });
      } else {
        this.payload = new Uint8Array(payloadLength);
        this.payloadFilled = 0;
      }
    }
    return messages;
  }

  private checkLength(payloadLength: number): void {
    if (payloadLength > this.maximumPayloadBytes) {
      throw new DedupFormatError(
        'message length',
        this.consumed + 1,
        `payload of ${payloadLength} bytes exceeds the ${this.maximumPayloadBytes}-byte limit`,
      );
    }
  }
}
