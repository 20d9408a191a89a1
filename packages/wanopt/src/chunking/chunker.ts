/**
 * What every content-defined chunker offers: feed bytes in pieces of any size, get chunk boundaries that depend only
 * on the content (identical to feeding the same bytes in one buffer).
 */
export interface ContentDefinedChunker {
  /** Which algorithm: `fastcdc` or `rabin`. */
  readonly algorithm: 'fastcdc' | 'rabin';
  /** No chunk but the last of a stream is shorter than this, in bytes. */
  readonly minimumSize: number;
  /** The target average chunk size, in bytes. */
  readonly averageSize: number;
  /** No chunk is longer than this, in bytes. */
  readonly maximumSize: number;
  /** Bytes of the current, unfinished chunk held over from earlier `push` calls (only its length; no copy is kept). */
  readonly pendingLength: number;
  /**
   * Feeds the next bytes of the stream and returns the offsets in `data` where chunks end (exclusive ends, ascending).
   * A chunk may have started in an earlier push; bytes after the last offset belong to the next chunk.
   */
  push(data: Uint8Array): number[];
  /** Ends the stream: returns the length of the last, shorter chunk (0 when the stream ended on a boundary) and resets. */
  finish(): number;
  /** Forgets the stream so far (the next push starts a new stream). */
  reset(): void;
  /**
   * Chunks one whole buffer as a stream of its own (resets first) and returns the exclusive end offset of every chunk;
   * the last is `data.length` (none for empty data).
   */
  split(data: Uint8Array): Uint32Array;
  /** The parameters of the scan loop, to run the same chunking elsewhere (worker threads). */
  scanParameters(): ScanParameters;
}

/** Everything `scanFastCdc` needs besides data and state. */
export interface FastCdcScanParameters {
  readonly algorithm: 'fastcdc';
  readonly gear: Int32Array;
  readonly hashStart: number;
  readonly minimum: number;
  readonly normal: number;
  readonly maximum: number;
  readonly maskSmall: number;
  readonly maskLarge: number;
}

/** Everything `scanRabin` needs besides data, tail and state. */
export interface RabinScanParameters {
  readonly algorithm: 'rabin';
  readonly window: number;
  readonly pushHigh: Int32Array;
  readonly pushLow: Int32Array;
  readonly popHigh: Int32Array;
  readonly popLow: Int32Array;
  readonly highMask: number;
  readonly topShift: number;
  readonly hashStart: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly cutAbove: number;
}

/** The scan parameters of either chunker (plain data: can be posted to a worker). */
export type ScanParameters = FastCdcScanParameters | RabinScanParameters;

/** Appends `value` to a growable list, returning the (possibly reallocated) list. */
export function appendOffset(list: Uint32Array, count: number, value: number): Uint32Array {
  let target = list;
  if (count === target.length) {
    target = new Uint32Array(Math.max(16, target.length * 2));
    target.set(list);
  }
  target[count] = value;
  return target;
}
