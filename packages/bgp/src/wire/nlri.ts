import { BgpDecodeError, type ErrorAction } from '../errors';
import type { Prefix } from './types';
import type { ByteWriter } from './writer';

/**
 * A decoded prefix. A class rather than an object literal: V8 pretenures literal allocation sites whose objects tend to
 * survive (a RIB, a cache), which made every later decode allocate in old space and run 2-3x slower; constructor
 * calls are not pretenured that way. The shape is the {@link Prefix} interface, nothing more.
 */
export class DecodedPrefix implements Prefix {
  readonly afi: number;
  readonly length: number;
  readonly address0: number;
  readonly address1: number;
  readonly address2: number;
  readonly address3: number;
  readonly pathId: number | undefined;

  constructor(
    afi: number,
    length: number,
    address0: number,
    address1: number,
    address2: number,
    address3: number,
    pathId: number | undefined,
  ) {
    this.afi = afi;
    this.length = length;
    this.address0 = address0;
    this.address1 = address1;
    this.address2 = address2;
    this.address3 = address3;
    this.pathId = pathId;
  }
}

/** Where NLRI decoding reports problems; `trailingBits` counts prefixes whose bits beyond the length were not zero. */
export interface NlriDecodeState {
  /** Count of prefixes with non-zero bits beyond the prefix length (RFC 4271 section 4.3: ignored). */
  trailingBits: number;
  /** Offset of the first such prefix, or -1. */
  firstTrailingBitsOffset: number;
}

/** How an NLRI syntax error is reported: the action and NOTIFICATION it maps to. */
export interface NlriErrorMapping {
  readonly action: ErrorAction;
  readonly notificationSubcode: number;
  readonly field: string;
  readonly afi: number;
  readonly safi: number;
  /** NOTIFICATION data (the attribute, for MP_REACH/MP_UNREACH), or undefined. */
  readonly data: Uint8Array | undefined;
  /** Alternative to `data`: the data is `bytes[dataStart, dataEnd)`, copied only if an error is raised. */
  readonly dataStart?: number;
  /** End of the lazily copied data (see `dataStart`). */
  readonly dataEnd?: number;
}

function nlriError(mapping: NlriErrorMapping, message: string, offset: number, bytes: Uint8Array): BgpDecodeError {
  const data =
    mapping.data ??
    (mapping.dataStart === undefined ? undefined : bytes.slice(mapping.dataStart, mapping.dataEnd ?? bytes.length));
  return new BgpDecodeError('ERR_BGP_MALFORMED_NLRI', message, {
    action: mapping.action,
    notificationCode: 3,
    notificationSubcode: mapping.notificationSubcode,
    ...(data === undefined ? {} : { notificationData: data }),
    offset,
    field: mapping.field,
    afi: mapping.afi,
    safi: mapping.safi,
  });
}

/**
 * Decodes a run of IPv4 or IPv6 prefixes (RFC 4271 section 4.3 / RFC 4760 section 5, with RFC 7911 Path Identifiers
 * when `hasPathId`) from `bytes[start, end)` into `out`. Throws a {@link BgpDecodeError} built from `mapping` when
 * the field is syntactically incorrect (RFC 7606 section 5.3): a length beyond the address size or an overrun.
 * Bits beyond a prefix length are cleared and counted in `state` (RFC 4271 section 4.3: their value is irrelevant).
 */
export function decodePrefixes(
  bytes: Uint8Array,
  start: number,
  end: number,
  afi: number,
  hasPathId: boolean,
  out: Prefix[],
  state: NlriDecodeState,
  mapping: NlriErrorMapping,
): void {
  const maximumLength = afi === 1 ? 32 : 128;
  let position = start;
  while (position < end) {
    let pathId: number | undefined;
    if (hasPathId) {
      if (position + 4 > end) throw nlriError(mapping, 'Path Identifier overruns the field', position, bytes);
      pathId =
        ((bytes[position]! << 24) |
          (bytes[position + 1]! << 16) |
          (bytes[position + 2]! << 8) |
          bytes[position + 3]!) >>>
        0;
      position += 4;
    }
    if (position >= end) throw nlriError(mapping, 'missing prefix length after Path Identifier', position, bytes);
    const length = bytes[position]!;
    if (length > maximumLength) {
      throw nlriError(mapping, `prefix length ${length} exceeds ${maximumLength}`, position, bytes);
    }
    const byteCount = (length + 7) >>> 3;
    const addressStart = position + 1;
    if (addressStart + byteCount > end) throw nlriError(mapping, 'prefix overruns the field', position, bytes);
    let word0 = 0;
    let word1 = 0;
    let word2 = 0;
    let word3 = 0;
    if (byteCount <= 4) {
      // IPv4 and short IPv6 prefixes: straight-line reads of up to four bytes.
      if (byteCount > 0) word0 = bytes[addressStart]! << 24;
      if (byteCount > 1) word0 |= bytes[addressStart + 1]! << 16;
      if (byteCount > 2) word0 |= bytes[addressStart + 2]! << 8;
      if (byteCount > 3) word0 |= bytes[addressStart + 3]!;
    } else {
      for (let index = 0; index < byteCount; index++) {
        const byte = bytes[addressStart + index]!;
        const shift = 24 - ((index & 3) << 3);
        if (index < 4) word0 |= byte << shift;
        else if (index < 8) word1 |= byte << shift;
        else if (index < 12) word2 |= byte << shift;
        else word3 |= byte << shift;
      }
    }
    const masked0 = maskTo(word0, length);
    const masked1 = maskTo(word1, length - 32);
    const masked2 = maskTo(word2, length - 64);
    const masked3 = maskTo(word3, length - 96);
    if (masked0 !== word0 >>> 0 || masked1 !== word1 >>> 0 || masked2 !== word2 >>> 0 || masked3 !== word3 >>> 0) {
      if (state.trailingBits === 0) state.firstTrailingBitsOffset = position;
      state.trailingBits++;
    }
    out.push(new DecodedPrefix(afi, length, masked0, masked1, masked2, masked3, pathId));
    position = addressStart + byteCount;
  }
}

function maskTo(word: number, bits: number): number {
  if (bits >= 32) return word >>> 0;
  if (bits <= 0) return 0;
  return (word & (0xffffffff << (32 - bits))) >>> 0;
}

/** Encoded size in bytes of one prefix (with its Path Identifier when `hasPathId`). */
export function encodedPrefixSize(prefix: Prefix, hasPathId: boolean): number {
  return 1 + ((prefix.length + 7) >>> 3) + (hasPathId ? 4 : 0);
}

/**
 * Writes prefixes in NLRI encoding (RFC 4271 section 4.3, RFC 7911 section 3 when `hasPathId`; a missing Path
 * Identifier is written as 0).
 */
export function writePrefixes(writer: ByteWriter, prefixes: readonly Prefix[], hasPathId: boolean): void {
  for (const prefix of prefixes) writePrefix(writer, prefix, hasPathId);
}

/** Writes one prefix in NLRI encoding. */
export function writePrefix(writer: ByteWriter, prefix: Prefix, hasPathId: boolean): void {
  const byteCount = (prefix.length + 7) >>> 3;
  writer.ensure(byteCount + 5);
  const bytes = writer.bytes;
  let position = writer.offset;
  if (hasPathId) {
    writer.view.setUint32(position, prefix.pathId ?? 0);
    position += 4;
  }
  bytes[position++] = prefix.length;
  if (byteCount <= 4) {
    const word = prefix.address0;
    if (byteCount > 0) bytes[position++] = word >>> 24;
    if (byteCount > 1) bytes[position++] = (word >>> 16) & 0xff;
    if (byteCount > 2) bytes[position++] = (word >>> 8) & 0xff;
    if (byteCount > 3) bytes[position++] = word & 0xff;
    writer.offset = position;
    return;
  }
  for (let index = 0; index < byteCount; index++) {
    const word =
      index < 4 ? prefix.address0 : index < 8 ? prefix.address1 : index < 12 ? prefix.address2 : prefix.address3;
    bytes[position++] = (word >>> (24 - ((index & 3) << 3))) & 0xff;
  }
  writer.offset = position;
}
