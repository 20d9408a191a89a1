import { BgpError } from '../errors';

/**
 * An MRT input that cannot be read at all (unreadable file, unknown compression, missing decompressor, a record
 * too damaged to resynchronise after). Damaged records inside a readable file are not thrown: they become
 * {@link MrtWarning}s and the reader goes on.
 *
 * @example
 * try {
 *   for await (const record of readMrt('missing.mrt')) console.log(record.type);
 * } catch (error) {
 *   if (error instanceof MrtError) console.error(error.code, error.offset);
 * }
 */
export class MrtError extends BgpError {
  /** Byte offset in the decompressed MRT stream where the problem lies, or -1 when it is not about a position. */
  readonly offset: number;

  constructor(code: string, message: string, offset = -1, options?: ErrorOptions) {
    super(code, message, options);
    this.offset = offset;
  }
}

/** A bzip2 input was given but no `bzip2` executable is available to decompress it. */
export class MrtDecompressorMissingError extends MrtError {
  constructor(message: string) {
    super('ERR_BGP_MRT_DECOMPRESSOR_MISSING', message);
  }
}

/** A record body that does not decode as its type says (thrown by the per-record decoders, caught by the reader). */
export class MrtRecordError extends MrtError {
  /** The field at fault, in RFC 6396 terms (`Attribute Length`, `Peer Index`, ...). */
  readonly field: string;

  constructor(message: string, offset: number, field: string) {
    super('ERR_BGP_MRT_MALFORMED_RECORD', message, offset);
    this.field = field;
  }
}

/**
 * What went wrong with one stretch of an MRT stream that the reader skipped or repaired:
 * - `malformed-record`: the record's header framed it correctly but its body does not decode; the record is skipped.
 * - `damaged-record`: the record's declared length overlaps the next record (a truncated write); skipped.
 * - `length-corrected`: a TABLE_DUMP record declared 4 bytes less than it holds (early RIPE RIS dumps); decoded
 *   with the corrected length.
 * - `garbage-skipped`: bytes between two records that belong to no record; skipped.
 * - `truncated-record`: the stream ended inside a record; the partial record is skipped.
 * - `oversized-record`: a declared length above the reader's cap; treated as damage and resynchronised.
 * - `unknown-peer-index`: a RIB entry names a peer the PEER_INDEX_TABLE does not hold (or there was no table);
 *   the entry is kept with a placeholder peer.
 * - `malformed-attributes`: one RIB entry's path attributes do not decode (the wire codec threw); that entry is
 *   skipped, the rest of its record is kept.
 */
export type MrtWarningKind =
  | 'malformed-record'
  | 'damaged-record'
  | 'length-corrected'
  | 'garbage-skipped'
  | 'truncated-record'
  | 'oversized-record'
  | 'unknown-peer-index'
  | 'malformed-attributes';

/**
 * A counted, non-fatal problem the reader met and stepped over. `offset` is the byte offset of the record (or of the
 * skipped bytes) in the decompressed MRT stream.
 */
export interface MrtWarning {
  /** What happened. */
  readonly kind: MrtWarningKind;
  /** Byte offset in the decompressed stream of the record or bytes concerned. */
  readonly offset: number;
  /** How many bytes were skipped (0 when the record was repaired rather than dropped). */
  readonly skippedBytes: number;
  /** The record's MRT type, or -1 when unknown. */
  readonly type: number;
  /** The record's MRT subtype, or -1 when unknown. */
  readonly subtype: number;
  /** A one-line human description. */
  readonly message: string;
}
