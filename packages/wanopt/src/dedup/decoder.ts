import { chunkIdToHex, defaultSha256, type Sha256Provider } from '../hash/sha256';
import { ChunkStore, type ChunkStoreStatistics, chunkKey, DEFAULT_STORE_CAPACITY_BYTES } from './chunk-store';
import { decompressRecords } from './compression';
import {
  DedupFormatError,
  DedupIntegrityError,
  DedupMissingChunkError,
  DedupOptionsError,
  DedupProtocolError,
} from './errors';
import {
  DATA_HEADER_BYTES,
  DEDUP_WIRE_VERSION,
  FrameCompression,
  HELLO_PAYLOAD_BYTES,
  HelloFlags,
  LITERAL_HEADER_BYTES,
  MESSAGE_HEADER_BYTES,
  MessageReader,
  MessageType,
  readUint32,
  RecordType,
  REFERENCE_RECORD_BYTES,
  type WireMessage,
  writeMessageHeader,
  writeUint32,
} from './wire';

/** Options of {@link DedupDecoder}. */
export interface DedupDecoderOptions {
  /**
   * The largest chunk store the decoder agrees to keep, in bytes; it keeps the capacity the encoder announces, or this
   * if smaller (then the two stores differ and missing chunks are asked for). Default 1 GiB.
   */
  readonly maximumCapacityBytes?: number;
  /** The largest DATA frame accepted, in bytes of payload and of output. Default 64 MiB. */
  readonly maximumFrameBytes?: number;
  /**
   * True (default) when the control messages this decoder returns reach the encoder. False for one-way use: a missing
   * chunk is then a {@link DedupMissingChunkError} thrown at once.
   */
  readonly returnChannel?: boolean;
  /**
   * The most bytes of frames held while an earlier frame waits for chunks it asked for; past it the decoder throws
   * {@link DedupProtocolError} (the encoder is not answering). Default 256 MiB.
   */
  readonly maximumWaitingBytes?: number;
  /** Send ACKNOWLEDGE after this many decoded frames. Default 1. */
  readonly acknowledgeEveryFrames?: number;
  /** The SHA-256 implementation. Default {@link defaultSha256}. */
  readonly sha256?: Sha256Provider;
}

/** What one {@link DedupDecoder.receive} call produced. */
export interface DedupDecodeResult {
  /** Decoded application bytes, in order, one array per completed frame. */
  readonly output: Uint8Array[];
  /** Control messages to send back to the encoder (ACKNOWLEDGE, REQUEST, RESET). */
  readonly control: Uint8Array[];
  /**
   * Frames that can never be decoded (their encoder restarted before supplying a chunk they reference): the output
   * has a gap where each was. Empty in normal operation.
   */
  readonly lost: DedupMissingChunkError[];
}

/** Counters of a {@link DedupDecoder}. */
export interface DedupDecoderStatistics {
  /** Application bytes produced. */
  readonly outputBytes: number;
  /** Frames decoded. */
  readonly frames: number;
  /** Chunks asked for with REQUEST. */
  readonly requestedChunks: number;
  /** RESET messages sent. */
  readonly resets: number;
  /** Frames lost (see {@link DedupDecodeResult.lost}). */
  readonly lostFrames: number;
  /** The chunk store's counters. */
  readonly store: ChunkStoreStatistics;
}

/** A DATA frame being decoded; it stays here while it waits for chunks it asked for. */
interface FrameInProgress {
  readonly epoch: number;
  readonly sequence: number;
  /** The record section: a view of the caller's input until the frame has to wait, then a copy. */
  records: Uint8Array;
  /** True once `records` is a copy owned by the decoder. */
  ownsRecords: boolean;
  readonly recordCount: number;
  readonly output: Uint8Array;
  recordIndex: number;
  recordOffset: number;
  outputOffset: number;
}

function equalIds(a: Uint8Array, b: Uint8Array): boolean {
  for (let index = 0; index < 32; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * The receiving side of the dedup link: rebuilds the byte stream from DATA frames, keeping the same LRU store as its
 * {@link DedupEncoder}. It verifies the SHA-256 of every chunk it receives, so it emits only bytes whose hash is the
 * sender's; a chunk it lacks is asked for (REQUEST) and the frame waits, so output is never guessed.
 *
 * @example
 * const decoder = new DedupDecoder();
 * const { output, control } = decoder.receive(bytesFromTheLink);
 * for (const message of control) sendBackToEncoder(message);
 */
export class DedupDecoder {
  private readonly maximumCapacityBytes: number;
  private readonly maximumFrameBytes: number;
  private readonly hasReturnChannelOption: boolean;
  private readonly acknowledgeEveryFrames: number;
  private readonly maximumWaitingBytes: number;
  private queuedBytes = 0;
  private readonly sha256: Sha256Provider;
  private readonly reader: MessageReader;
  private readonly store: ChunkStore;
  private readonly queue: WireMessage[] = [];
  private readonly supplied: Map<string, Uint8Array> = new Map();
  private readonly requested: Set<string> = new Set();
  private current: FrameInProgress | undefined = undefined;
  private epoch = -1;
  private encoderAnswers = true;
  private resetRequested = false;
  /** A RESET to send with the next control messages. */
  private pendingReset = false;
  private framesSinceAcknowledge = 0;
  private outputBytes = 0;
  private frames = 0;
  private requestedChunks = 0;
  private resets = 0;
  private lostFrames = 0;

  constructor(options: DedupDecoderOptions = {}) {
    this.maximumCapacityBytes = options.maximumCapacityBytes ?? 1024 * 1024 * 1024;
    if (!Number.isSafeInteger(this.maximumCapacityBytes) || this.maximumCapacityBytes < 0) {
      throw new DedupOptionsError('maximumCapacityBytes', `must be a non-negative safe integer`);
    }
    this.maximumFrameBytes = options.maximumFrameBytes ?? 64 * 1024 * 1024;
    if (
      !Number.isInteger(this.maximumFrameBytes) ||
      this.maximumFrameBytes < 1024 ||
      this.maximumFrameBytes > 2 ** 31
    ) {
      throw new DedupOptionsError('maximumFrameBytes', `must be an integer from 1024 to 2^31`);
    }
    this.hasReturnChannelOption = options.returnChannel ?? true;
    this.acknowledgeEveryFrames = options.acknowledgeEveryFrames ?? 1;
    if (!Number.isInteger(this.acknowledgeEveryFrames) || this.acknowledgeEveryFrames < 1) {
      throw new DedupOptionsError('acknowledgeEveryFrames', `must be a positive integer`);
    }
    this.maximumWaitingBytes = options.maximumWaitingBytes ?? 256 * 1024 * 1024;
    this.sha256 = options.sha256 ?? defaultSha256;
    this.reader = new MessageReader(this.maximumFrameBytes + DATA_HEADER_BYTES);
    // Until a HELLO says otherwise (a restarted decoder sees frames first), keep chunks as a default store would.
    this.store = new ChunkStore({
      capacityBytes: Math.min(DEFAULT_STORE_CAPACITY_BYTES, this.maximumCapacityBytes),
    });
  }

  /** True while a frame waits for chunks it asked the encoder for. */
  get isWaiting(): boolean {
    return this.current !== undefined;
  }

  /**
   * Feeds bytes from the encoder (in pieces of any size). Throws {@link DedupFormatError} for malformed input,
   * {@link DedupIntegrityError} for a chunk whose bytes do not match its id, and, without a return channel,
   * {@link DedupMissingChunkError}; nothing of the offending frame is emitted.
   */
  receive(bytes: Uint8Array): DedupDecodeResult {
    const result: DedupDecodeResult = { output: [], control: [], lost: [] };
    for (const message of this.reader.read(bytes)) {
      switch (message.type) {
        case MessageType.supply:
          this.acceptSupply(message.payload);
          break;
        case MessageType.unavailable:
          this.acceptUnavailable(message.payload, result);
          break;
        case MessageType.hello:
          if (message.payload.length >= 2 && (message.payload[1]! & HelloFlags.freshStart) !== 0) {
            // A restarted encoder cannot answer for frames sent before: whatever still waits is lost.
            this.loseWaitingFrames(result, 'the encoder restarted before supplying it');
          }
          this.queue.push(this.hold(message));
          break;
        case MessageType.data:
          this.queuedBytes += message.payload.length;
          if (this.queuedBytes > this.maximumWaitingBytes) {
            throw new DedupProtocolError(
              `${this.queuedBytes} bytes of frames wait behind frame ${this.current?.sequence ?? '?'}, over the ${this.maximumWaitingBytes}-byte limit: the encoder does not answer REQUEST`,
            );
          }
          this.queue.push(this.hold(message));
          break;
        default:
          throw new DedupFormatError('message type', 0, `unknown message type 0x${message.type.toString(16)}`);
      }
      this.drain(result);
    }
    return result;
  }

  /** Ends the stream: throws {@link DedupFormatError} if it stopped inside a message or a frame still waits. */
  end(): void {
    if (this.reader.isPartial) throw new DedupFormatError('message', 0, 'stream ended inside a message');
    if (this.current !== undefined || this.queue.length > 0) {
      throw new DedupFormatError('frame', 0, `stream ended while frame ${this.current?.sequence ?? '?'} waits`);
    }
  }

  /**
   * A message that may wait in the queue (behind a frame waiting for chunks) gets its own copy of the payload, since
   * the caller may reuse the buffer it passed once `receive` returns; one processed at once stays a view.
   */
  private hold(message: WireMessage): WireMessage {
    if (this.current === undefined && this.queue.length === 0) return message;
    return { type: message.type, payload: message.payload.slice() };
  }

  /** The counters now. */
  statistics(): DedupDecoderStatistics {
    return {
      outputBytes: this.outputBytes,
      frames: this.frames,
      requestedChunks: this.requestedChunks,
      resets: this.resets,
      lostFrames: this.lostFrames,
      store: this.store.statistics(),
    };
  }

  private get hasReturnChannel(): boolean {
    return this.hasReturnChannelOption && this.encoderAnswers;
  }

  /** Decodes queued messages in order until one must wait. */
  private drain(result: DedupDecodeResult): void {
    for (;;) {
      if (this.current !== undefined) {
        if (!this.resume(this.current, result)) return;
        this.complete(this.current, result);
        this.current = undefined;
      }
      const message = this.queue.shift();
      if (message === undefined) return;
      if (message.type === MessageType.data) this.queuedBytes -= message.payload.length;
      if (message.type === MessageType.hello) this.acceptHello(message.payload);
      else this.current = this.startFrame(message.payload);
    }
  }

  private acceptHello(payload: Uint8Array): void {
    if (payload.length !== HELLO_PAYLOAD_BYTES) {
      throw new DedupFormatError('HELLO', 0, `payload of ${payload.length} bytes, expected ${HELLO_PAYLOAD_BYTES}`);
    }
    if (payload[0] !== DEDUP_WIRE_VERSION) {
      throw new DedupFormatError('version', 0, `wire format version ${payload[0]} (this decoder reads 1)`);
    }
    const flags = payload[1]!;
    const capacity = readUint32(payload, 6) * 0x100000000 + readUint32(payload, 10);
    if (!Number.isSafeInteger(capacity)) throw new DedupFormatError('capacity', 6, `capacity ${capacity} too large`);
    // Both stores start empty here, at the same point of the frame sequence: mirroring is exact from now on.
    this.store.clear(Math.min(capacity, this.maximumCapacityBytes));
    this.epoch = readUint32(payload, 2);
    this.encoderAnswers = (flags & HelloFlags.returnChannel) !== 0;
    this.resetRequested = false;
  }

  private startFrame(payload: Uint8Array): FrameInProgress {
    if (payload.length < DATA_HEADER_BYTES) {
      throw new DedupFormatError('DATA', 0, `payload of ${payload.length} bytes is shorter than its header`);
    }
    const epoch = readUint32(payload, 0);
    const sequence = readUint32(payload, 4);
    const compression = payload[8]!;
    const recordCount = readUint32(payload, 9);
    const rawLength = readUint32(payload, 13);
    const outputLength = readUint32(payload, 17);
    if (
      rawLength > this.maximumFrameBytes + recordCount * LITERAL_HEADER_BYTES ||
      outputLength > this.maximumFrameBytes
    ) {
      throw new DedupFormatError(
        'DATA',
        13,
        `frame ${sequence} declares ${rawLength}/${outputLength} bytes, over the limit`,
      );
    }
    if (recordCount > rawLength / REFERENCE_RECORD_BYTES) {
      throw new DedupFormatError('record count', 9, `${recordCount} records cannot fit in ${rawLength} bytes`);
    }
    const body = payload.subarray(DATA_HEADER_BYTES);
    let records: Uint8Array;
    if (compression === FrameCompression.none) {
      if (body.length !== rawLength) {
        throw new DedupFormatError('raw length', 13, `declared ${rawLength} bytes, frame holds ${body.length}`);
      }
      records = body;
    } else if (compression === FrameCompression.deflate || compression === FrameCompression.brotli) {
      records = decompressRecords(body, compression, rawLength, DATA_HEADER_BYTES);
    } else {
      throw new DedupFormatError('compression', 8, `unknown compression method ${compression}`);
    }
    if (epoch !== this.epoch && !this.resetRequested && this.hasReturnChannelOption) {
      // Frames of an epoch we did not see start (we restarted): ask for a fresh epoch, and decode these meanwhile.
      this.resetRequested = true;
      this.pendingReset = true;
    }
    return {
      epoch,
      sequence,
      records,
      ownsRecords: records !== body,
      recordCount,
      output: new Uint8Array(outputLength),
      recordIndex: 0,
      recordOffset: 0,
      outputOffset: 0,
    };
  }

  /** Decodes records from where the frame stopped; false when it must wait for chunks (REQUEST sent). */
  private resume(frame: FrameInProgress, result: DedupDecodeResult): boolean {
    if (this.pendingReset) {
      this.pendingReset = false;
      this.resets++;
      const message = new Uint8Array(MESSAGE_HEADER_BYTES + 4);
      writeMessageHeader(message, 0, MessageType.reset, 4);
      writeUint32(message, 5, this.epoch >>> 0);
      result.control.push(message);
    }
    const records = frame.records;
    const output = frame.output;
    const store = this.store;
    const end = records.length;
    let offset = frame.recordOffset;
    let outputOffset = frame.outputOffset;
    for (let index = frame.recordIndex; index < frame.recordCount; index++) {
      if (offset + REFERENCE_RECORD_BYTES > end) {
        throw new DedupFormatError('record', offset, `frame ${frame.sequence}: record ${index} is truncated`);
      }
      const type = records[offset]!;
      const id = records.subarray(offset + 1, offset + 33);
      const length = readUint32(records, offset + 33);
      if (length > output.length - outputOffset) {
        throw new DedupFormatError('chunk length', offset + 33, `frame ${frame.sequence}: chunk overruns the output`);
      }
      if (type === RecordType.reference) {
        const key = chunkKey(id);
        let data = store.touchKey(key);
        if (data === undefined) {
          data = this.supplied.get(key);
          if (data !== undefined) store.putKey(key, data);
        }
        if (data === undefined) {
          frame.recordIndex = index;
          frame.recordOffset = offset;
          frame.outputOffset = outputOffset;
          if (!frame.ownsRecords) {
            // The frame outlives this call: stop viewing the caller's buffer, which the caller may reuse.
            frame.records = frame.records.slice();
            frame.ownsRecords = true;
          }
          this.requestMissing(frame, result);
          return false;
        }
        if (data.length !== length) {
          throw new DedupFormatError(
            'chunk length',
            offset + 33,
            `frame ${frame.sequence}: reference length ${length} ≠ chunk length ${data.length}`,
          );
        }
        output.set(data, outputOffset);
        offset += REFERENCE_RECORD_BYTES;
      } else if (type === RecordType.literal) {
        const start = offset + LITERAL_HEADER_BYTES;
        if (start + length > end) {
          throw new DedupFormatError(
            'literal',
            offset,
            `frame ${frame.sequence}: literal of ${length} bytes is truncated`,
          );
        }
        const data = records.slice(start, start + length);
        const actual = this.sha256.digest(data);
        if (!equalIds(actual, id)) {
          throw new DedupIntegrityError(frame.sequence, chunkIdToHex(id), chunkIdToHex(actual));
        }
        store.putKey(chunkKey(id), data);
        output.set(data, outputOffset);
        offset = start + length;
      } else {
        throw new DedupFormatError('record type', offset, `frame ${frame.sequence}: unknown record type ${type}`);
      }
      outputOffset += length;
    }
    if (offset !== end || outputOffset !== output.length) {
      throw new DedupFormatError('DATA', offset, `frame ${frame.sequence}: records and declared lengths disagree`);
    }
    frame.recordIndex = frame.recordCount;
    frame.recordOffset = offset;
    frame.outputOffset = outputOffset;
    return true;
  }

  private requestMissing(frame: FrameInProgress, result: DedupDecodeResult): void {
    const records = frame.records;
    const missing: Uint8Array[] = [];
    let offset = frame.recordOffset;
    for (
      let index = frame.recordIndex;
      index < frame.recordCount && offset + REFERENCE_RECORD_BYTES <= records.length;
      index++
    ) {
      const type = records[offset]!;
      const length = readUint32(records, offset + 33);
      if (type === RecordType.reference) {
        const id = records.subarray(offset + 1, offset + 33);
        const key = chunkKey(id);
        if (!this.store.hasKey(key) && !this.supplied.has(key) && !this.requested.has(key)) {
          this.requested.add(key);
          missing.push(id);
          if (missing.length === 65_535) break;
        }
        offset += REFERENCE_RECORD_BYTES;
      } else {
        offset += LITERAL_HEADER_BYTES + length;
      }
    }
    if (missing.length === 0) return; // already asked; the answer is on its way
    const first = missing[0]!;
    if (!this.hasReturnChannel) {
      throw new DedupMissingChunkError(frame.sequence, chunkIdToHex(first), 'there is no return channel to ask for it');
    }
    const payloadLength = 10 + missing.length * 32;
    const message = new Uint8Array(MESSAGE_HEADER_BYTES + payloadLength);
    writeMessageHeader(message, 0, MessageType.request, payloadLength);
    writeUint32(message, 5, frame.epoch);
    writeUint32(message, 9, frame.sequence);
    message[13] = missing.length >>> 8;
    message[14] = missing.length & 0xff;
    for (let index = 0; index < missing.length; index++) message.set(missing[index]!, 15 + index * 32);
    this.requestedChunks += missing.length;
    result.control.push(message);
  }

  private complete(frame: FrameInProgress, result: DedupDecodeResult): void {
    this.supplied.clear();
    this.requested.clear();
    this.frames++;
    this.outputBytes += frame.output.length;
    if (frame.output.length > 0) result.output.push(frame.output);
    if (++this.framesSinceAcknowledge >= this.acknowledgeEveryFrames && this.hasReturnChannelOption) {
      this.framesSinceAcknowledge = 0;
      const message = new Uint8Array(MESSAGE_HEADER_BYTES + 4);
      writeMessageHeader(message, 0, MessageType.acknowledge, 4);
      writeUint32(message, 5, frame.sequence);
      result.control.push(message);
    }
  }

  private acceptSupply(payload: Uint8Array): void {
    if (payload.length < 44) throw new DedupFormatError('SUPPLY', 0, `payload of ${payload.length} bytes`);
    const sequence = readUint32(payload, 4);
    const id = payload.subarray(8, 40);
    const length = readUint32(payload, 40);
    if (payload.length !== 44 + length) {
      throw new DedupFormatError('SUPPLY', 40, `declares ${length} bytes, carries ${payload.length - 44}`);
    }
    const data = payload.slice(44);
    const actual = this.sha256.digest(data);
    if (!equalIds(actual, id)) throw new DedupIntegrityError(sequence, chunkIdToHex(id), chunkIdToHex(actual));
    // Only chunks the waiting frame asked for are kept (a late answer for a finished frame is dropped).
    const key = chunkKey(id);
    if (this.current !== undefined && this.requested.has(key)) this.supplied.set(key, data);
  }

  private acceptUnavailable(payload: Uint8Array, result: DedupDecodeResult): void {
    if (payload.length !== 40) throw new DedupFormatError('UNAVAILABLE', 0, `payload of ${payload.length} bytes`);
    const sequence = readUint32(payload, 4);
    const frame = this.current;
    if (frame === undefined || frame.sequence !== sequence) return; // about a frame no longer waiting
    this.lostFrames++;
    result.lost.push(
      new DedupMissingChunkError(sequence, chunkIdToHex(payload.subarray(8, 40)), 'the encoder no longer has it'),
    );
    this.current = undefined;
    this.supplied.clear();
    this.requested.clear();
  }

  private loseWaitingFrames(result: DedupDecodeResult, reason: string): void {
    const frame = this.current;
    if (frame === undefined) return;
    const waiting = [frame.sequence];
    for (const message of this.queue)
      if (message.type === MessageType.data) waiting.push(readUint32(message.payload, 4));
    const firstMissing = this.requested.values().next().value;
    for (const sequence of waiting) {
      this.lostFrames++;
      result.lost.push(
        new DedupMissingChunkError(
          sequence,
          firstMissing === undefined ? '?' : chunkIdToHex(Uint8Array.from(firstMissing, (c) => c.charCodeAt(0))),
          reason,
        ),
      );
    }
    this.current = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.supplied.clear();
    this.requested.clear();
  }
}
