import { type ContentDefinedChunker } from '../chunking/chunker';
import { FastCdcChunker } from '../chunking/fastcdc';
import { RabinChunker } from '../chunking/rabin';
import { defaultSha256, type Sha256Provider } from '../hash/sha256';
import { ChunkStore, chunkKey, DEFAULT_STORE_CAPACITY_BYTES } from './chunk-store';
import { checkCompressionAvailable, compressionCode, compressRecords, type DedupCompression } from './compression';
import { DedupFormatError, DedupOptionsError, DedupProtocolError } from './errors';
import {
  DATA_HEADER_BYTES,
  DEDUP_WIRE_VERSION,
  HELLO_PAYLOAD_BYTES,
  HelloFlags,
  LITERAL_HEADER_BYTES,
  MESSAGE_HEADER_BYTES,
  MessageReader,
  MessageType,
  readUint32,
  RecordType,
  REFERENCE_RECORD_BYTES,
  writeMessageHeader,
  writeUint32,
} from './wire';

/** Options of {@link DedupEncoder}. */
export interface DedupEncoderOptions {
  /** The chunker, or the name of one with default options. Default `fastcdc`. */
  readonly chunker?: ContentDefinedChunker | 'fastcdc' | 'rabin';
  /**
   * Capacity of the decoder's chunk store, in bytes, announced in HELLO and mirrored here. Default 100 MB. The encoder
   * keeps a store of the same size, so each side holds up to this much chunk data.
   */
  readonly capacityBytes?: number;
  /** Compression of DATA frames. Default `none`. */
  readonly compression?: DedupCompression;
  /** zlib level for deflate (0-9, default 6) or brotli quality (0-11, default 5). */
  readonly compressionLevel?: number;
  /**
   * True (default) when the decoder's control messages come back through {@link DedupEncoder.receive}: the encoder
   * then keeps what frames in flight reference until they are acknowledged, to answer REQUEST after a decoder restart
   * or store mismatch. False for one-way use (files, {@link compress}): the mirror alone decides what to reference.
   */
  readonly returnChannel?: boolean;
  /**
   * With a return channel: the most bytes of referenced chunks in unacknowledged frames. Past it the encoder sends
   * literals until acknowledgements arrive (so a silent decoder cannot make it retain without bound). Default 64 MiB.
   */
  readonly maximumUnacknowledgedBytes?: number;
  /**
   * A DATA frame is closed once it yields this many bytes of output (so it yields less than this plus one maximum
   * chunk, which must stay within the decoder's 64 MiB default frame limit). Default 1 MiB.
   */
  readonly frameBytes?: number;
  /** The SHA-256 implementation. Default {@link defaultSha256}. */
  readonly sha256?: Sha256Provider;
}

/** Counters of a {@link DedupEncoder}. */
export interface DedupEncoderStatistics {
  /** Bytes given to `write`. */
  readonly inputBytes: number;
  /** Bytes of messages produced. */
  readonly outputBytes: number;
  /** Chunks sent as references. */
  readonly referencedChunks: number;
  /** Chunks sent as literals. */
  readonly literalChunks: number;
  /** DATA frames produced. */
  readonly frames: number;
  /** Chunks supplied in answer to REQUEST. */
  readonly suppliedChunks: number;
  /** Epochs started (HELLO messages sent). */
  readonly epochs: number;
  /** Bytes of referenced chunks kept for unacknowledged frames. */
  readonly unacknowledgedBytes: number;
}

interface PendingFrame {
  readonly sequence: number;
  readonly chunks: Map<string, Uint8Array>;
  bytes: number;
}

const MAXIMUM_CONTROL_PAYLOAD_BYTES = 2 + 65_535 * 32 + 8;

/** Builds a chunker from the option. */
export function resolveChunker(chunker: DedupEncoderOptions['chunker']): ContentDefinedChunker {
  if (chunker === undefined || chunker === 'fastcdc') return new FastCdcChunker();
  if (chunker === 'rabin') return new RabinChunker();
  return chunker;
}

function checkInteger(option: string, value: number, low: number, high: number): void {
  if (!Number.isSafeInteger(value) || value < low || value > high) {
    throw new DedupOptionsError(option, `must be an integer from ${low} to ${high}, got ${value}`);
  }
}

/**
 * The sending side of the dedup link: chunks the byte stream, sends each chunk the decoder is known to hold as a
 * 37-byte reference and the others as literals, in DATA frames (wire format version 1).
 *
 * It knows what the decoder holds by running the same LRU store (same capacity, same inserts and uses in the same
 * order). When that knowledge fails (decoder restart, a smaller decoder store), the decoder asks (REQUEST) and the
 * encoder answers from the chunks it keeps for unacknowledged frames, or starts a new epoch (RESET).
 *
 * @example
 * const encoder = new DedupEncoder();
 * const decoder = new DedupDecoder();
 * const received: Uint8Array[] = [];
 * for (const message of [...encoder.write(data), ...encoder.flush()]) {
 *   const { output, control } = decoder.receive(message);
 *   received.push(...output);
 *   // Control goes back; answers (after a decoder restart: SUPPLY, HELLO) go to the decoder in order with frames.
 *   for (const reply of control) pendingForDecoder.push(...encoder.receive(reply));
 * }
 */
export class DedupEncoder {
  /** The chunker in use. */
  readonly chunker: ContentDefinedChunker;
  /** What the decoder holds (same capacity, same operations). */
  readonly mirror: ChunkStore;
  /** Frame compression. */
  readonly compression: DedupCompression;
  /** Whether REQUEST/RESET answers are kept (see {@link DedupEncoderOptions.returnChannel}). */
  readonly hasReturnChannel: boolean;
  private readonly compressionLevel: number;
  private readonly maximumUnacknowledgedBytes: number;
  private readonly frameBytes: number;
  private readonly sha256: Sha256Provider;
  private readonly controlReader: MessageReader = new MessageReader(MAXIMUM_CONTROL_PAYLOAD_BYTES);
  /** The current chunk's bytes held over from earlier writes. */
  private partial: Uint8Array;
  private partialLength = 0;
  /** The open frame's record section. */
  private records: Uint8Array;
  private recordsLength = 0;
  private recordCount = 0;
  private frameOutputBytes = 0;
  private frameReferences: Map<string, Uint8Array> = new Map();
  private readonly idScratch: Uint8Array = new Uint8Array(32);
  private frameReferencedBytes = 0;
  private readonly pending: PendingFrame[] = [];
  private unacknowledgedBytes = 0;
  private epoch = 0;
  private nextSequence = 0;
  private helloSent = false;
  private inputBytes = 0;
  private outputBytes = 0;
  private referencedChunks = 0;
  private literalChunks = 0;
  private frames = 0;
  private suppliedChunks = 0;
  private epochs = 0;

  constructor(options: DedupEncoderOptions = {}) {
    this.chunker = resolveChunker(options.chunker);
    this.mirror = new ChunkStore({ capacityBytes: options.capacityBytes ?? DEFAULT_STORE_CAPACITY_BYTES });
    this.compression = options.compression ?? 'none';
    checkCompressionAvailable(this.compression);
    this.compressionLevel = options.compressionLevel ?? (this.compression === 'brotli' ? 5 : 6);
    checkInteger('compressionLevel', this.compressionLevel, 0, this.compression === 'brotli' ? 11 : 9);
    this.hasReturnChannel = options.returnChannel ?? true;
    this.maximumUnacknowledgedBytes = options.maximumUnacknowledgedBytes ?? 64 * 1024 * 1024;
    checkInteger('maximumUnacknowledgedBytes', this.maximumUnacknowledgedBytes, 0, Number.MAX_SAFE_INTEGER);
    this.frameBytes = options.frameBytes ?? 1024 * 1024;
    checkInteger('frameBytes', this.frameBytes, 1, 64 * 1024 * 1024 - this.chunker.maximumSize);
    this.sha256 = options.sha256 ?? defaultSha256;
    this.partial = new Uint8Array(this.chunker.maximumSize);
    this.records = new Uint8Array(Math.min(this.frameBytes, 1 << 20) + 64 * 1024);
  }

  /**
   * Feeds application bytes. Returns the messages to send now (possibly none: bytes wait for a chunk boundary and a
   * full frame; call {@link DedupEncoder.flush} to send everything).
   */
  write(data: Uint8Array): Uint8Array[] {
    const messages: Uint8Array[] = [];
    this.ensureHello(messages);
    this.inputBytes += data.length;
    const ends = this.chunker.push(data);
    let start = 0;
    for (const end of ends) {
      if (this.partialLength > 0) {
        this.partial.set(data.subarray(start, end), this.partialLength);
        this.addChunk(this.partial.subarray(0, this.partialLength + end - start), messages);
        this.partialLength = 0;
      } else {
        this.addChunk(data.subarray(start, end), messages);
      }
      start = end;
    }
    if (start < data.length) {
      this.partial.set(data.subarray(start), this.partialLength);
      this.partialLength += data.length - start;
    }
    return messages;
  }

  /**
   * Sends everything written so far: the unfinished chunk ends here (a forced boundary) and the open frame is closed.
   * Use at the end of a message or stream, or when the link must not wait.
   */
  flush(): Uint8Array[] {
    const messages: Uint8Array[] = [];
    this.ensureHello(messages);
    this.chunker.finish();
    if (this.partialLength > 0) {
      const length = this.partialLength;
      this.partialLength = 0;
      this.addChunk(this.partial.subarray(0, length), messages);
    }
    if (this.recordCount > 0) messages.push(this.closeFrame());
    return messages;
  }

  /**
   * Handles control bytes from the decoder (ACKNOWLEDGE, REQUEST, RESET; in pieces of any size) and returns the
   * messages to send in answer (SUPPLY, UNAVAILABLE, HELLO), ahead of further frames.
   */
  receive(control: Uint8Array): Uint8Array[] {
    const answers: Uint8Array[] = [];
    for (const message of this.controlReader.read(control)) {
      const payload = message.payload;
      switch (message.type) {
        case MessageType.acknowledge: {
          if (payload.length !== 4) throw new DedupFormatError('ACKNOWLEDGE', 0, `payload of ${payload.length} bytes`);
          this.acknowledge(readUint32(payload, 0));
          break;
        }
        case MessageType.request: {
          this.answerRequest(payload, answers);
          break;
        }
        case MessageType.reset: {
          // The decoder lost its store: start an epoch in which both stores begin empty at the same frame.
          this.startEpoch(answers, false);
          break;
        }
        default:
          throw new DedupFormatError('message type', 0, `unknown control message type 0x${message.type.toString(16)}`);
      }
    }
    return answers;
  }

  /** The counters now. */
  statistics(): DedupEncoderStatistics {
    return {
      inputBytes: this.inputBytes,
      outputBytes: this.outputBytes,
      referencedChunks: this.referencedChunks,
      literalChunks: this.literalChunks,
      frames: this.frames,
      suppliedChunks: this.suppliedChunks,
      epochs: this.epochs,
      unacknowledgedBytes: this.unacknowledgedBytes,
    };
  }

  private ensureHello(messages: Uint8Array[]): void {
    if (!this.helloSent) this.startEpoch(messages, true);
  }

  private startEpoch(messages: Uint8Array[], freshStart: boolean): void {
    // Frames already built belong to the old epoch; close the open one first so the order on the wire is kept.
    if (this.recordCount > 0) messages.push(this.closeFrame());
    if (this.helloSent) this.epoch = (this.epoch + 1) >>> 0;
    this.helloSent = true;
    this.epochs++;
    this.mirror.clear();
    const message = new Uint8Array(MESSAGE_HEADER_BYTES + HELLO_PAYLOAD_BYTES);
    writeMessageHeader(message, 0, MessageType.hello, HELLO_PAYLOAD_BYTES);
    message[5] = DEDUP_WIRE_VERSION;
    message[6] = (this.hasReturnChannel ? HelloFlags.returnChannel : 0) | (freshStart ? HelloFlags.freshStart : 0);
    writeUint32(message, 7, this.epoch);
    const capacity = this.mirror.capacityBytes;
    writeUint32(message, 11, Math.floor(capacity / 0x100000000));
    writeUint32(message, 15, capacity >>> 0);
    this.outputBytes += message.length;
    messages.push(message);
  }

  private addChunk(chunk: Uint8Array, messages: Uint8Array[]): void {
    // The id is only copied into the records below, so one scratch array serves every chunk.
    const id = this.idScratch;
    const key = this.sha256.digestInto(chunk, id, 0);
    const length = chunk.length;
    const mirror = this.mirror;
    let reference = mirror.hasKey(key);
    if (reference && this.hasReturnChannel && !this.frameReferences.has(key)) {
      reference = this.unacknowledgedBytes + this.frameReferencedBytes + length <= this.maximumUnacknowledgedBytes;
    }
    if (reference) {
      const data = mirror.touchKey(key)!;
      this.reserve(REFERENCE_RECORD_BYTES);
      const records = this.records;
      let offset = this.recordsLength;
      records[offset++] = RecordType.reference;
      records.set(id, offset);
      writeUint32(records, offset + 32, length);
      this.recordsLength = offset + 36;
      this.referencedChunks++;
      if (this.hasReturnChannel && !this.frameReferences.has(key)) {
        this.frameReferences.set(key, data);
        this.frameReferencedBytes += length;
      }
    } else {
      this.reserve(LITERAL_HEADER_BYTES + length);
      const records = this.records;
      let offset = this.recordsLength;
      records[offset++] = RecordType.literal;
      records.set(id, offset);
      writeUint32(records, offset + 32, length);
      offset += 36;
      records.set(chunk, offset);
      this.recordsLength = offset + length;
      this.literalChunks++;
      // The store keeps its own copy: `chunk` may be a view of the caller's buffer or of `partial`.
      mirror.putKey(key, chunk.slice());
    }
    this.recordCount++;
    this.frameOutputBytes += length;
    if (this.frameOutputBytes >= this.frameBytes) messages.push(this.closeFrame());
  }

  private reserve(bytes: number): void {
    const needed = this.recordsLength + bytes;
    if (needed <= this.records.length) return;
    const grown = new Uint8Array(Math.max(needed, this.records.length * 2));
    grown.set(this.records.subarray(0, this.recordsLength));
    this.records = grown;
  }

  private closeFrame(): Uint8Array {
    const sequence = this.nextSequence;
    if (sequence > 0xffffffff)
      throw new DedupProtocolError('sequence numbers exhausted (2^32 frames): start a new link');
    this.nextSequence++;
    const raw = this.records.subarray(0, this.recordsLength);
    const body = this.compression === 'none' ? raw : compressRecords(raw, this.compression, this.compressionLevel);
    const payloadLength = DATA_HEADER_BYTES + body.length;
    const message = new Uint8Array(MESSAGE_HEADER_BYTES + payloadLength);
    writeMessageHeader(message, 0, MessageType.data, payloadLength);
    writeUint32(message, 5, this.epoch);
    writeUint32(message, 9, sequence);
    message[13] = compressionCode(this.compression);
    writeUint32(message, 14, this.recordCount);
    writeUint32(message, 18, raw.length);
    writeUint32(message, 22, this.frameOutputBytes);
    message.set(body, MESSAGE_HEADER_BYTES + DATA_HEADER_BYTES);
    if (this.hasReturnChannel && this.frameReferences.size > 0) {
      this.pending.push({ sequence, chunks: this.frameReferences, bytes: this.frameReferencedBytes });
      this.unacknowledgedBytes += this.frameReferencedBytes;
      this.frameReferences = new Map();
    }
    this.frameReferencedBytes = 0;
    this.recordsLength = 0;
    this.recordCount = 0;
    this.frameOutputBytes = 0;
    this.frames++;
    this.outputBytes += message.length;
    return message;
  }

  private acknowledge(sequence: number): void {
    let released = 0;
    while (released < this.pending.length && this.pending[released]!.sequence <= sequence) {
      this.unacknowledgedBytes -= this.pending[released]!.bytes;
      released++;
    }
    if (released > 0) this.pending.splice(0, released);
  }

  private answerRequest(payload: Uint8Array, answers: Uint8Array[]): void {
    if (payload.length < 10) throw new DedupFormatError('REQUEST', 0, `payload of ${payload.length} bytes`);
    const epoch = readUint32(payload, 0);
    const sequence = readUint32(payload, 4);
    const count = (payload[8]! << 8) | payload[9]!;
    if (payload.length !== 10 + count * 32) {
      throw new DedupFormatError('REQUEST', 8, `${count} ids need ${10 + count * 32} bytes, got ${payload.length}`);
    }
    const frame = this.pending.find((candidate) => candidate.sequence === sequence);
    for (let index = 0; index < count; index++) {
      const id = payload.subarray(10 + index * 32, 42 + index * 32);
      const key = chunkKey(id);
      const data = frame?.chunks.get(key) ?? this.mirror.peek(id);
      if (data === undefined) {
        // Not ours to give (an encoder restarted since, or a frame already acknowledged): the frame is lost.
        const message = new Uint8Array(MESSAGE_HEADER_BYTES + 40);
        writeMessageHeader(message, 0, MessageType.unavailable, 40);
        writeUint32(message, 5, epoch);
        writeUint32(message, 9, sequence);
        message.set(id, 13);
        this.outputBytes += message.length;
        answers.push(message);
        continue;
      }
      const payloadLength = 44 + data.length;
      const message = new Uint8Array(MESSAGE_HEADER_BYTES + payloadLength);
      writeMessageHeader(message, 0, MessageType.supply, payloadLength);
      writeUint32(message, 5, epoch);
      writeUint32(message, 9, sequence);
      message.set(id, 13);
      writeUint32(message, 45, data.length);
      message.set(data, 49);
      this.outputBytes += message.length;
      this.suppliedChunks++;
      answers.push(message);
    }
  }
}
