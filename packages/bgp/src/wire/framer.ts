import { BgpError, BgpFramingError } from '../errors';
import { headerLength, maximumExtendedMessageLength, maximumMessageLength } from './constants';

/** Options for {@link BgpFramer}. */
export interface BgpFramerOptions {
  /** Allow messages up to 65535 bytes (RFC 8654 extended messages negotiated). Default false (4096). */
  readonly extendedMessage?: boolean;
  /** Most bytes the framer holds before `push` refuses more (drain with `next()` first). Default 1 MiB. */
  readonly maximumBufferedBytes?: number;
}

/**
 * Cuts a TCP byte stream into BGP messages. `push` chunks as they arrive, then call `next()` until it returns
 * undefined. A message inside one chunk is returned as a zero-copy `subarray` of it (valid as long as the caller
 * keeps the chunk unchanged); only a message split across chunks is copied. Memory is bounded by
 * `maximumBufferedBytes`. A bad marker or length throws a {@link BgpFramingError} naming the stream offset.
 *
 * @example
 * const framer = new BgpFramer();
 * socket.on('data', (chunk) => {
 *   framer.push(chunk);
 *   for (let message = framer.next(); message !== undefined; message = framer.next()) handle(decodeMessage(message, context));
 * });
 */
export class BgpFramer {
  /** Bytes of the stream consumed as whole messages so far. */
  streamOffset: number;
  private readonly chunks: Uint8Array[];
  /** Read position in `chunks[0]`. */
  private position: number;
  private buffered: number;
  private maximumLength: number;
  private readonly maximumBufferedBytes: number;
  private failed: BgpFramingError | undefined;
  private readonly header: Uint8Array;

  constructor(options: BgpFramerOptions = {}) {
    this.streamOffset = 0;
    this.chunks = [];
    this.position = 0;
    this.buffered = 0;
    this.maximumLength = options.extendedMessage === true ? maximumExtendedMessageLength : maximumMessageLength;
    this.maximumBufferedBytes = options.maximumBufferedBytes ?? 1 << 20;
    this.failed = undefined;
    this.header = new Uint8Array(headerLength);
  }

  /** Switches to 65535-byte messages once RFC 8654 extended messages are negotiated (or back). */
  setExtendedMessage(extendedMessage: boolean): void {
    this.maximumLength = extendedMessage ? maximumExtendedMessageLength : maximumMessageLength;
  }

  /** Bytes held but not yet returned as messages. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk of the stream. Throws a {@link BgpError} (`ERR_BGP_FRAMER_FULL`) when the buffer bound is hit. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.buffered + chunk.length > this.maximumBufferedBytes) {
      throw new BgpError(
        'ERR_BGP_FRAMER_FULL',
        `framer holds ${this.buffered} bytes; ${chunk.length} more exceed the bound of ${this.maximumBufferedBytes}`,
      );
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /**
   * The next complete message (header included), or undefined until more bytes arrive. After a framing error every
   * call throws the same error: the stream cannot be resynchronised (RFC 4271 section 6.1).
   */
  next(): Uint8Array | undefined {
    if (this.failed !== undefined) throw this.failed;
    if (this.buffered < headerLength) return undefined;
    const first = this.chunks[0]!;
    let header: Uint8Array;
    let headerOffset: number;
    if (first.length - this.position >= headerLength) {
      header = first;
      headerOffset = this.position;
    } else {
      this.copyOut(this.header, headerLength);
      header = this.header;
      headerOffset = 0;
    }
    for (let index = 0; index < 16; index++) {
      if (header[headerOffset + index] !== 0xff) {
        this.failed = new BgpFramingError('message marker is not all ones', this.streamOffset, 1);
        throw this.failed;
      }
    }
    const length = (header[headerOffset + 16]! << 8) | header[headerOffset + 17]!;
    if (length < headerLength || length > this.maximumLength) {
      this.failed = new BgpFramingError(
        `message length ${length} outside ${headerLength}..${this.maximumLength}`,
        this.streamOffset,
        2,
        header.slice(headerOffset + 16, headerOffset + 18),
      );
      throw this.failed;
    }
    if (this.buffered < length) return undefined;
    let message: Uint8Array;
    if (first.length - this.position >= length) {
      // Zero-copy: the whole message lies in the first chunk.
      message = first.subarray(this.position, this.position + length);
      this.position += length;
      this.buffered -= length;
      if (this.position === first.length) {
        this.chunks.shift();
        this.position = 0;
      }
    } else {
      // The message spans chunks: copy it once into its own buffer.
      message = new Uint8Array(length);
      this.consumeInto(message, length);
    }
    this.streamOffset += length;
    return message;
  }

  /** Copies the first `count` buffered bytes into `target` without consuming them. */
  private copyOut(target: Uint8Array, count: number): void {
    let copied = 0;
    let position = this.position;
    for (const chunk of this.chunks) {
      const take = Math.min(count - copied, chunk.length - position);
      target.set(chunk.subarray(position, position + take), copied);
      copied += take;
      position = 0;
      if (copied === count) return;
    }
  }

  /** Moves the first `count` buffered bytes into `target`. */
  private consumeInto(target: Uint8Array, count: number): void {
    let copied = 0;
    while (copied < count) {
      const chunk = this.chunks[0]!;
      const take = Math.min(count - copied, chunk.length - this.position);
      target.set(chunk.subarray(this.position, this.position + take), copied);
      copied += take;
      this.position += take;
      if (this.position === chunk.length) {
        this.chunks.shift();
        this.position = 0;
      }
    }
    this.buffered -= count;
  }

  /**
   * Frames an async stream of chunks (a socket, a file stream) into messages. Each message is copied when the stream
   * may reuse its chunks; here chunks are kept as given, so messages are views into them.
   *
   * @example
   * for await (const message of BgpFramer.messages(socket)) console.log(decodeMessage(message, context).type);
   */
  static async *messages(
    source: AsyncIterable<Uint8Array>,
    options: BgpFramerOptions = {},
  ): AsyncGenerator<Uint8Array, void, undefined> {
    const framer = new BgpFramer(options);
    for await (const chunk of source) {
      framer.push(chunk);
      for (let message = framer.next(); message !== undefined; message = framer.next()) yield message;
    }
    if (framer.bufferedBytes > 0) {
      throw new BgpFramingError(
        `stream ended inside a message (${framer.bufferedBytes} bytes left)`,
        framer.streamOffset,
        2,
      );
    }
  }
}
