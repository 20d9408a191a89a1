import { familyKey } from '../wire/constants';
import { decodePathAttributes } from '../wire/attributes';
import type { DecodeAttributesOptions, PathAttributes } from '../wire/types';
import { MrtRecordDecoder, type MrtAttributeContext, type MrtAttributeDecoder } from './decode';
import type { MrtWarning, MrtWarningKind } from './errors';
import { MrtFramer, type MrtFramerOptions } from './framer';
import { concatenate, decompressedChunks, sourceChunks, type MrtCompression, type MrtSource } from './source';
import type { MrtRecord } from './types';

/** Options of {@link readMrt} and {@link decodeMrt}. */
export interface MrtReaderOptions<A = PathAttributes> extends MrtFramerOptions {
  /**
   * Decodes one RIB entry's attribute bytes. Default: the wire codec's `decodePathAttributes` (RFC 7606 aware, with
   * the RFC 6396 abbreviated MP_REACH_NLRI of TABLE_DUMP_V2).
   */
  readonly decodeAttributes?: MrtAttributeDecoder<A>;
  /** Most distinct attribute byte strings kept decoded for sharing (default 65536). */
  readonly attributeCacheSize?: number;
  /** Called for each damaged or repaired stretch of input, as it is met. */
  readonly onWarning?: (warning: MrtWarning) => void;
  /** Input compression (default `auto`: by magic bytes). */
  readonly compression?: MrtCompression;
}

/** The default attribute decoder: the wire codec, with the MRT options each RIB entry's context calls for. */
export const decodeMrtAttributes: MrtAttributeDecoder<PathAttributes> = (bytes, context) =>
  decodePathAttributes(bytes, attributeOptions(context));

const optionsByContext = new WeakMap<MrtAttributeContext, DecodeAttributesOptions>();

function attributeOptions(context: MrtAttributeContext): DecodeAttributesOptions {
  let options = optionsByContext.get(context);
  if (options === undefined) {
    options = {
      fourOctetAsn: context.fourOctetAsn,
      addPath: context.addPath ? new Set([familyKey(context.afi, context.safi)]) : new Set<number>(),
      mrtAbbreviatedMpReach: context.abbreviatedMpReach,
      mrtAfi: context.afi,
      mrtSafi: context.safi,
    };
    optionsByContext.set(context, options);
  }
  return options;
}

const DEFAULT_CACHE_SIZE = 65536;

/**
 * Reads MRT records (RFC 6396, RFC 8050) from a file, buffer or stream, gzip or bzip2 compressed or not, as an
 * async iterator of typed records. Damaged records are skipped (or repaired) with counted warnings carrying their
 * byte offset; the reader never stops on them. Attribute objects are shared between RIB entries whose attribute
 * bytes are identical.
 *
 * @example
 * const reader = readMrt('bview.20000111.0032.gz');
 * for await (const record of reader) {
 *   if (record.kind === 'rib') console.log(record.prefix, record.entries.length);
 * }
 * console.log(reader.warningCount, 'damaged records skipped');
 */
export function readMrt<A = PathAttributes>(source: MrtSource, options: MrtReaderOptions<A> = {}): MrtReader<A> {
  return new MrtReader<A>(source, options);
}

/**
 * A running MRT read: iterate it for records (once), and read its counters during or after the iteration.
 * Create with {@link readMrt}.
 */
export class MrtReader<A = PathAttributes> implements AsyncIterable<MrtRecord<A>> {
  /** The first 1000 warnings (all are counted in {@link MrtReader.warningCounts}). */
  readonly warnings: MrtWarning[] = [];
  /** Compressed (source) bytes read so far, for progress displays. */
  get sourceBytes(): number {
    return this.counter.sourceBytes;
  }
  /** Decompressed MRT bytes framed so far. */
  bytesRead = 0;
  private readonly source: MrtSource;
  private readonly options: MrtReaderOptions<A>;
  private readonly framer: MrtFramer<A>;
  private readonly counter = { sourceBytes: 0 };
  private started = false;

  constructor(source: MrtSource, options: MrtReaderOptions<A> = {}) {
    this.source = source;
    this.options = options;
    this.framer = createFramer(options, (warning) => {
      this.warn(warning);
    });
  }

  /** Warnings counted by kind. */
  get warningCounts(): ReadonlyMap<MrtWarningKind, number> {
    return this.framer.warningCounts;
  }

  /** Total warnings. */
  get warningCount(): number {
    return this.framer.warningCount;
  }

  /** MRT records framed so far (a multi-route TABLE_DUMP record counts once). */
  get recordCount(): number {
    return this.framer.recordCount;
  }

  private warn(warning: MrtWarning): void {
    if (this.warnings.length < 1000) this.warnings.push(warning);
    this.options.onWarning?.(warning);
  }

  [Symbol.asyncIterator](): AsyncIterator<MrtRecord<A>> {
    return this.records();
  }

  /** The records, in file order. A reader is iterated once. */
  async *records(): AsyncGenerator<MrtRecord<A>> {
    if (this.started) throw new TypeError('an MrtReader is iterated only once');
    this.started = true;
    let truncated: string | undefined;
    const chunks = decompressedChunks(
      sourceChunks(this.source, this.counter),
      this.options.compression ?? 'auto',
      (message) => {
        truncated = message;
      },
    );
    let pending: Uint8Array[] = [];
    let pendingLength = 0;
    // A record larger than what is buffered makes the framer consume nothing; wait until the buffer has doubled
    // before framing again, so a large record costs O(size) copying, not O(size^2).
    let needed = 0;
    let base = 0;
    const out: MrtRecord<A>[] = [];
    for await (const chunk of chunks) {
      pending.push(chunk);
      pendingLength += chunk.length;
      if (pendingLength < needed) continue;
      const buffer = concatenate(pending);
      const used = this.framer.frame(buffer, base, false, out);
      base += used;
      this.bytesRead = base;
      pending = used < buffer.length ? [buffer.subarray(used)] : [];
      pendingLength = buffer.length - used;
      needed = pendingLength * 2;
      for (const record of out) yield record;
      out.length = 0;
    }
    const buffer = concatenate(pending);
    if (truncated !== undefined && buffer.length === 0) {
      this.warn({ kind: 'truncated-record', offset: base, skippedBytes: 0, type: -1, subtype: -1, message: truncated });
    }
    this.framer.frame(buffer, base, true, out);
    this.bytesRead = base + buffer.length;
    for (const record of out) yield record;
    out.length = 0;
  }
}

/**
 * Decodes a whole, already decompressed MRT buffer synchronously and calls `onRecord` for each record, without
 * holding them all (the fastest way through a file in memory). Returns the warnings.
 *
 * @example
 * let routes = 0;
 * forEachMrtRecord(bytes, (record) => {
 *   if (record.kind === 'rib') routes += record.entries.length;
 * });
 */
export function forEachMrtRecord<A = PathAttributes>(
  bytes: Uint8Array,
  onRecord: (record: MrtRecord<A>) => void,
  options: MrtReaderOptions<A> = {},
): MrtWarning[] {
  const warnings: MrtWarning[] = [];
  const framer = wholeBufferFramer(options, warnings);
  const flush = (records: MrtRecord<A>[]): void => {
    for (const record of records) onRecord(record);
  };
  const out: MrtRecord<A>[] = [];
  framer.frame(bytes, 0, true, out, flush);
  flush(out);
  return warnings;
}

/** A framer with the record decoder the options ask for, reporting warnings to `onWarning`. */
function createFramer<A>(options: MrtReaderOptions<A>, onWarning: (warning: MrtWarning) => void): MrtFramer<A> {
  const decode = (options.decodeAttributes ?? decodeMrtAttributes) as MrtAttributeDecoder<A>;
  const decoder = new MrtRecordDecoder<A>(decode, options.attributeCacheSize ?? DEFAULT_CACHE_SIZE);
  return new MrtFramer<A>(decoder, onWarning, options);
}

/** A framer for one whole buffer whose warnings go into `warnings` and to `options.onWarning`. */
function wholeBufferFramer<A>(options: MrtReaderOptions<A>, warnings: MrtWarning[]): MrtFramer<A> {
  return createFramer(options, (warning) => {
    warnings.push(warning);
    options.onWarning?.(warning);
  });
}

/** Result of {@link decodeMrt}: the records and what was skipped. */
export interface DecodedMrt<A = PathAttributes> {
  readonly records: MrtRecord<A>[];
  readonly warnings: MrtWarning[];
}

/**
 * Decodes a whole, already decompressed MRT buffer synchronously (the fast path for data in memory: no chunk
 * handling). Records hold views into `bytes`.
 *
 * @example
 * const { records, warnings } = decodeMrt(readFileSync('updates.mrt'));
 */
export function decodeMrt<A = PathAttributes>(bytes: Uint8Array, options: MrtReaderOptions<A> = {}): DecodedMrt<A> {
  const warnings: MrtWarning[] = [];
  const framer = wholeBufferFramer(options, warnings);
  const records: MrtRecord<A>[] = [];
  framer.frame(bytes, 0, true, records);
  return { records, warnings };
}
