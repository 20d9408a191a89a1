import { WanoptError } from '../errors';

/** A dedup message is malformed: truncated, an unknown type or version, or a field out of range. */
export class DedupFormatError extends WanoptError {
  /** Byte offset of the problem within the message (or the input given), when known. */
  readonly offset: number;
  /** The field that was wrong. */
  readonly field: string;

  constructor(field: string, offset: number, message: string) {
    super('ERR_WANOPT_DEDUP_FORMAT', `${field} at byte ${offset}: ${message}`);
    this.field = field;
    this.offset = offset;
  }
}

/** A chunk's bytes do not hash to the id the sender gave: the bytes were corrupted; nothing of it was emitted. */
export class DedupIntegrityError extends WanoptError {
  /** The expected chunk id, hexadecimal. */
  readonly expectedId: string;
  /** The SHA-256 of the bytes received, hexadecimal. */
  readonly actualId: string;
  /** Sequence number of the frame holding the chunk. */
  readonly sequence: number;

  constructor(sequence: number, expectedId: string, actualId: string) {
    super(
      'ERR_WANOPT_DEDUP_INTEGRITY',
      `frame ${sequence}: chunk ${expectedId} has SHA-256 ${actualId}; corrupted in transit`,
    );
    this.sequence = sequence;
    this.expectedId = expectedId;
    this.actualId = actualId;
  }
}

/**
 * A frame references a chunk the decoder does not hold and cannot get: there is no return channel to ask for it, or
 * the encoder that sent it restarted before answering. The frame's data is lost (reported, never replaced by guesses).
 */
export class DedupMissingChunkError extends WanoptError {
  /** The missing chunk id, hexadecimal. */
  readonly chunkId: string;
  /** Sequence number of the frame that referenced it. */
  readonly sequence: number;

  constructor(sequence: number, chunkId: string, reason: string) {
    super(
      'ERR_WANOPT_DEDUP_MISSING_CHUNK',
      `frame ${sequence}: chunk ${chunkId} is not held by the decoder; ${reason}`,
    );
    this.sequence = sequence;
    this.chunkId = chunkId;
  }
}

/** A control message asks for something the encoder cannot give (an unknown frame or chunk). */
export class DedupProtocolError extends WanoptError {
  constructor(message: string) {
    super('ERR_WANOPT_DEDUP_PROTOCOL', message);
  }
}

/** A dedup option is out of range. */
export class DedupOptionsError extends WanoptError {
  /** The option that was rejected. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('ERR_WANOPT_DEDUP_OPTIONS', `${option}: ${message}`);
    this.option = option;
  }
}
