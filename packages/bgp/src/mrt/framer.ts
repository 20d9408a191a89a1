import { MRT_HEADER_LENGTH, MrtType } from './constants';
import { isCodecError, type MrtAttributeDecoder, type MrtRecordDecoder } from './decode';
import { MrtRecordError, type MrtWarning, type MrtWarningKind } from './errors';
import type { MrtRecord } from './types';

/** Options of the MRT record framer. */
export interface MrtFramerOptions {
  /**
   * Largest record body accepted, in bytes (default 16 MiB). A header that declares more is treated as damage and
   * the reader resynchronises, so a corrupt length never makes the reader buffer or allocate that much.
   */
  readonly maxRecordLength?: number;
  /**
   * How far a damaged header's successor is searched for, in bytes (default 1 MiB). Beyond it, the bytes are
   * skipped as garbage and the search goes on from there.
   */
  readonly resyncWindow?: number;
  /** Largest timestamp step between neighbouring records that still looks like the same file, in seconds. */
  readonly maxTimestampStep?: number;
}

/** The decoded type of a record decoder, re-exported here for the framer's callers. */
export type { MrtAttributeDecoder };

const DEFAULT_MAX_RECORD_LENGTH = 16 * 1024 * 1024;
const DEFAULT_RESYNC_WINDOW = 1024 * 1024;
const DEFAULT_MAX_TIMESTAMP_STEP = 7 * 24 * 3600;

/** What one call to {@link MrtFramer.frame} did. */
const NEED_MORE = -1;
/** `previous` timestamp meaning "do not compare timestamps". */
const ANY_TIME = -1;
const NOT_FOUND = -2;

/**
 * Splits a byte stream into MRT records (RFC 6396 section 2) and hands each body to the record decoder, while
 * checking every record boundary: the next header must look like an MRT header (a known type and subtype, a length
 * under the cap). When it does not, the framer finds where records resume (the first position holding two plausible
 * headers in a row, whose timestamps are also near the last good record's, so that garbage rarely passes) and
 * classifies the damage:
 * - resume inside the current record: the current record was cut short (a truncated write) and is skipped;
 * - resume exactly 4 bytes after a TABLE_DUMP record: the record under-declared its length (early RIPE RIS dumps)
 *   and is decoded with the corrected length;
 * - resume further on: the current record is fine and the bytes in between are skipped as garbage.
 * Each case is a counted {@link MrtWarning} with the byte offset. Every step advances, so the framer always ends.
 */
export class MrtFramer<A> {
  /** Warnings so far, counted by kind. */
  readonly warningCounts: Map<MrtWarningKind, number> = new Map();
  /** Records whose bodies were decoded (including ones that yielded several routes). */
  recordCount = 0;
  private readonly decoder: MrtRecordDecoder<A>;
  private readonly onWarning: (warning: MrtWarning) => void;
  private readonly maxRecordLength: number;
  private readonly resyncWindow: number;
  private readonly maxTimestampStep: number;
  private previousTimestamp = -1;

  constructor(decoder: MrtRecordDecoder<A>, onWarning: (warning: MrtWarning) => void, options: MrtFramerOptions = {}) {
    this.decoder = decoder;
    this.onWarning = onWarning;
    this.maxRecordLength = options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
    this.resyncWindow = options.resyncWindow ?? DEFAULT_RESYNC_WINDOW;
    this.maxTimestampStep = options.maxTimestampStep ?? DEFAULT_MAX_TIMESTAMP_STEP;
  }

  /** Total warnings so far. */
  get warningCount(): number {
    let total = 0;
    for (const count of this.warningCounts.values()) total += count;
    return total;
  }

  /**
   * Frames and decodes the records in `bytes` (which starts at stream offset `baseOffset`), appending them to
   * `out`. Returns how many bytes were consumed; the caller keeps the rest and calls again with more data appended.
   * With `isFinal` the input is the end of the stream and everything is consumed. With `flush`, records are handed
   * over every few dozen and `out` emptied, so they need not all be held at once.
   */
  frame(
    bytes: Uint8Array,
    baseOffset: number,
    isFinal: boolean,
    out: MrtRecord<A>[],
    flush?: (records: MrtRecord<A>[]) => void,
  ): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = bytes.length;
    let position = 0;
    while (position < length) {
      if (position + MRT_HEADER_LENGTH > length) {
        if (!isFinal) break;
        this.warn('truncated-record', baseOffset + position, length - position, -1, -1, 'stream ends inside a header');
        position = length;
        break;
      }
      const timestamp = view.getUint32(position);
      const type = view.getUint16(position + 4);
      const subtype = view.getUint16(position + 6);
      const declared = view.getUint32(position + 8);
      if (!this.isPlausible(view, position, length, ANY_TIME)) {
        // Not a record header: find where records resume and skip what lies between.
        const resume = this.findResync(view, position + 1, length, isFinal);
        if (resume === NEED_MORE) break;
        const next = resume === NOT_FOUND ? Math.min(length, position + this.resyncWindow) : resume;
        if (resume === NOT_FOUND && !isFinal && next === length) break;
        const isOversized =
          declared > this.maxRecordLength && this.isPlausible(view, position, length, ANY_TIME, false);
        if (isOversized) {
          this.warn(
            'oversized-record',
            baseOffset + position,
            next - position,
            type,
            subtype,
            `record declares ${declared} bytes, over the ${this.maxRecordLength}-byte cap`,
          );
        } else {
          this.warn(
            'garbage-skipped',
            baseOffset + position,
            next - position,
            type,
            subtype,
            'bytes that are not an MRT record',
          );
        }
        position = next;
        continue;
      }
      const end = position + MRT_HEADER_LENGTH + declared;
      if (end > length && !isFinal) break;
      let boundaryOk: boolean;
      if (end === length) boundaryOk = true;
      else if (end > length) boundaryOk = false;
      else if (end + MRT_HEADER_LENGTH > length) {
        if (!isFinal) break;
        boundaryOk = false;
      } else boundaryOk = this.isPlausible(view, end, length, ANY_TIME);
      let recordEnd = end;
      if (!boundaryOk) {
        // RIPE RIS TABLE_DUMP records of 1999-2000 declare 4 bytes less than they hold.
        const corrected = end + 4;
        if (
          type === MrtType.TABLE_DUMP &&
          (corrected === length || (corrected < length && this.isPlausible(view, corrected, length, ANY_TIME)))
        ) {
          if (corrected + MRT_HEADER_LENGTH > length && corrected !== length && !isFinal) break;
          this.warn(
            'length-corrected',
            baseOffset + position,
            0,
            type,
            subtype,
            `TABLE_DUMP record declares ${declared} bytes but holds ${declared + 4}`,
          );
          recordEnd = corrected;
        } else {
          const resume = this.findResync(view, position + 1, length, isFinal);
          if (resume === NEED_MORE) break;
          if (resume === NOT_FOUND && end > length) {
            this.warn(
              'truncated-record',
              baseOffset + position,
              length - position,
              type,
              subtype,
              `record declares ${declared} bytes but the stream ends after ${length - position - MRT_HEADER_LENGTH}`,
            );
            position = length;
            break;
          }
          if (resume !== NOT_FOUND && resume < end) {
            this.warn(
              'damaged-record',
              baseOffset + position,
              resume - position,
              type,
              subtype,
              `record declares ${declared} bytes but the next record starts ${resume - position} bytes after it`,
            );
            position = resume;
            continue;
          }
          // The record itself is whole; what follows it is garbage (skipped by the next round).
        }
      }
      this.decodeRecord(bytes, view, baseOffset, position, recordEnd, type, subtype, timestamp, out);
      this.previousTimestamp = timestamp;
      position = recordEnd;
      if (flush !== undefined && out.length >= 64) {
        flush(out);
        out.length = 0;
      }
    }
    return position;
  }

  private decodeRecord(
    bytes: Uint8Array,
    view: DataView,
    baseOffset: number,
    position: number,
    end: number,
    type: number,
    subtype: number,
    timestamp: number,
    out: MrtRecord<A>[],
  ): void {
    let bodyStart = position + MRT_HEADER_LENGTH;
    let microseconds = 0;
    const isExtended = type === MrtType.BGP4MP_ET || type === MrtType.ISIS_ET || type === MrtType.OSPFV3_ET;
    if (isExtended) {
      if (bodyStart + 4 > end) {
        this.warn('malformed-record', baseOffset + position, end - position, type, subtype, 'no microsecond field');
        return;
      }
      microseconds = view.getUint32(bodyStart);
      bodyStart += 4;
    }
    this.recordCount++;
    try {
      this.decoder.decode(
        bytes,
        view,
        type,
        subtype,
        timestamp,
        microseconds,
        baseOffset + position,
        bodyStart,
        end,
        out,
      );
    } catch (error) {
      if (!(error instanceof MrtRecordError) && !isCodecError(error)) throw error;
      const field = error instanceof MrtRecordError ? ` (${error.field})` : '';
      const message = error instanceof Error ? error.message : String(error);
      this.warn('malformed-record', baseOffset + position, end - position, type, subtype, `${message}${field}`);
    }
    const problems = this.decoder.entryProblems;
    if (problems.length > 0) {
      for (const problem of problems) {
        this.warn(problem.kind, baseOffset + problem.position, 0, type, subtype, problem.message);
      }
      problems.length = 0;
    }
  }

  private warn(
    kind: MrtWarningKind,
    offset: number,
    skippedBytes: number,
    type: number,
    subtype: number,
    message: string,
  ): void {
    this.warningCounts.set(kind, (this.warningCounts.get(kind) ?? 0) + 1);
    this.onWarning({ kind, offset, skippedBytes, type, subtype, message });
  }

  /** True when the 12 bytes at `position` look like an MRT header following a record stamped `previous`. */
  private isPlausible(view: DataView, position: number, length: number, previous: number, checkLength = true): boolean {
    if (position + MRT_HEADER_LENGTH > length) return false;
    const timestamp = view.getUint32(position);
    const type = view.getUint16(position + 4);
    const subtype = view.getUint16(position + 6);
    const declared = view.getUint32(position + 8);
    if (checkLength && declared > this.maxRecordLength) return false;
    if (previous >= 0 && Math.abs(timestamp - previous) > this.maxTimestampStep) return false;
    switch (type) {
      case MrtType.TABLE_DUMP:
        return subtype >= 1 && subtype <= 4 && declared >= 22;
      case MrtType.TABLE_DUMP_V2:
        return subtype >= 1 && subtype <= 12 && subtype !== 7 && declared >= 4;
      case MrtType.BGP4MP:
        return subtype <= 11 && declared >= 8;
      case MrtType.BGP4MP_ET:
        return subtype <= 11 && declared >= 12;
      case MrtType.BGP:
      case MrtType.BGP4PLUS:
      case MrtType.BGP4PLUS_01:
        return subtype <= 7;
      case MrtType.OSPFV2:
      case MrtType.ISIS:
      case MrtType.OSPFV3:
        return subtype <= 255;
      case MrtType.ISIS_ET:
      case MrtType.OSPFV3_ET:
        return subtype <= 255 && declared >= 4;
      case MrtType.NULL:
      case MrtType.START:
      case MrtType.DIE:
      case MrtType.I_AM_DEAD:
      case MrtType.PEER_DOWN:
      case MrtType.RIP:
      case MrtType.IDRP:
      case MrtType.RIPNG:
        return subtype <= 255 && declared <= 65535;
      default:
        return false;
    }
  }

  /**
   * The first position in `[from, from + resyncWindow)` where two plausible headers follow each other (or one ends
   * exactly at the end of a final stream); {@link NEED_MORE} when more data is needed to tell.
   */
  private findResync(view: DataView, from: number, length: number, isFinal: boolean): number {
    const limit = Math.min(length, from + this.resyncWindow);
    for (let position = from; position < limit; position++) {
      if (position + MRT_HEADER_LENGTH > length) return isFinal ? NOT_FOUND : NEED_MORE;
      if (!this.isPlausible(view, position, length, this.previousTimestamp)) continue;
      const next = position + MRT_HEADER_LENGTH + view.getUint32(position + 8);
      if (next === length) {
        if (isFinal) return position;
        return NEED_MORE;
      }
      if (next + MRT_HEADER_LENGTH > length) {
        if (!isFinal) return NEED_MORE;
        continue;
      }
      if (this.isPlausible(view, next, length, view.getUint32(position))) return position;
    }
    if (!isFinal && limit === length) return NEED_MORE;
    return NOT_FOUND;
  }
}
