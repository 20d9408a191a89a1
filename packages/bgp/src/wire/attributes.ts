import { BgpDecodeError, BgpEncodeError, type ErrorAction, errorActionStrength } from '../errors';
import { AttributeFlag, AttributeType, familyKey } from './constants';
import { decodePrefixes, type NlriDecodeState, writePrefixes } from './nlri';
import type {
  Aggregator,
  AigpTlv,
  AsPathSegment,
  DecodeAttributesOptions,
  EncodeAttributesOptions,
  ExtendedCommunity,
  Ipv6ExtendedCommunity,
  LargeCommunity,
  MpReachNlri,
  MpUnreachNlri,
  PathAttributes,
  Prefix,
  UnknownAttribute,
} from './types';
import { sharedWriter, type ByteWriter } from './writer';

/** AS_TRANS, the 2-octet stand-in for a 4-octet ASN (RFC 6793 section 9). */
export const asTrans = 23456;

const emptyErrors: readonly BgpDecodeError[] = Object.freeze([]);
const emptyUnknown: readonly UnknownAttribute[] = Object.freeze([]);

/**
 * Expected Optional/Transitive flag bits per recognized attribute type (RFC 4271 section 5, and each attribute's
 * RFC); -1 for types this codec keeps as unknown.
 */
const expectedFlags: Int16Array = (() => {
  const table = new Int16Array(256).fill(-1);
  const wellKnown = AttributeFlag.Transitive;
  const optionalTransitive = AttributeFlag.Optional | AttributeFlag.Transitive;
  const optional = AttributeFlag.Optional;
  table[AttributeType.Origin] = wellKnown;
  table[AttributeType.AsPath] = wellKnown;
  table[AttributeType.NextHop] = wellKnown;
  table[AttributeType.MultiExitDisc] = optional;
  table[AttributeType.LocalPref] = wellKnown;
  table[AttributeType.AtomicAggregate] = wellKnown;
  table[AttributeType.Aggregator] = optionalTransitive;
  table[AttributeType.Communities] = optionalTransitive;
  table[AttributeType.OriginatorId] = optional;
  table[AttributeType.ClusterList] = optional;
  table[AttributeType.MpReachNlri] = optional;
  table[AttributeType.MpUnreachNlri] = optional;
  table[AttributeType.ExtendedCommunities] = optionalTransitive;
  table[AttributeType.As4Path] = optionalTransitive;
  table[AttributeType.As4Aggregator] = optionalTransitive;
  table[AttributeType.Ipv6ExtendedCommunities] = optionalTransitive;
  table[AttributeType.Aigp] = optional;
  table[AttributeType.LargeCommunities] = optionalTransitive;
  table[AttributeType.OnlyToCustomer] = optionalTransitive;
  return table;
})();

/** The canonical Attribute Flags (without Extended Length) this codec writes for a recognized attribute type. */
export function canonicalAttributeFlags(typeCode: number): number {
  const flags = expectedFlags[typeCode] ?? -1;
  return flags < 0 ? AttributeFlag.Optional | AttributeFlag.Transitive : flags;
}

/** True when this codec decodes the attribute type into a typed field (otherwise it lands in `unknown`). */
export function isRecognizedAttribute(typeCode: number): boolean {
  return (expectedFlags[typeCode] ?? -1) >= 0;
}

/** Mutable collector for one decode pass; reused so a decode allocates only what it returns. */
class AttributeDecodeState implements NlriDecodeState {
  errors: BgpDecodeError[] | undefined = undefined;
  strongest: ErrorAction = 'none';
  trailingBits = 0;
  firstTrailingBitsOffset = -1;
  seen: Uint32Array = new Uint32Array(8);

  reset(): void {
    this.errors = undefined;
    this.strongest = 'none';
    this.trailingBits = 0;
    this.firstTrailingBitsOffset = -1;
    // Eight stores beat a fill() call on this hot path.
    const seen = this.seen;
    seen[0] = 0;
    seen[1] = 0;
    seen[2] = 0;
    seen[3] = 0;
    seen[4] = 0;
    seen[5] = 0;
    seen[6] = 0;
    seen[7] = 0;
  }

  add(error: BgpDecodeError): void {
    (this.errors ??= []).push(error);
    if (errorActionStrength[error.action] > errorActionStrength[this.strongest]) this.strongest = error.action;
  }
}

const state = new AttributeDecodeState();

function attributeError(
  action: ErrorAction,
  subcode: number,
  message: string,
  bytes: Uint8Array,
  attributeStart: number,
  valueEnd: number,
  typeCode: number,
  field: string,
  withData: boolean,
  extra?: { afi: number; safi: number },
): BgpDecodeError {
  return new BgpDecodeError('ERR_BGP_MALFORMED_ATTRIBUTE', message, {
    action,
    notificationCode: 3,
    notificationSubcode: subcode,
    // RFC 4271 section 6.3: the Data field carries the erroneous attribute (type, length and value).
    ...(withData ? { notificationData: bytes.slice(attributeStart, valueEnd) } : {}),
    offset: attributeStart,
    field,
    attributeType: typeCode,
    ...(extra ?? {}),
  });
}

const attributeNames: readonly (string | undefined)[] = (() => {
  const names = new Array<string | undefined>(256).fill(undefined);
  names[1] = 'ORIGIN';
  names[2] = 'AS_PATH';
  names[3] = 'NEXT_HOP';
  names[4] = 'MULTI_EXIT_DISC';
  names[5] = 'LOCAL_PREF';
  names[6] = 'ATOMIC_AGGREGATE';
  names[7] = 'AGGREGATOR';
  names[8] = 'COMMUNITIES';
  names[9] = 'ORIGINATOR_ID';
  names[10] = 'CLUSTER_LIST';
  names[14] = 'MP_REACH_NLRI';
  names[15] = 'MP_UNREACH_NLRI';
  names[16] = 'EXTENDED_COMMUNITIES';
  names[17] = 'AS4_PATH';
  names[18] = 'AS4_AGGREGATOR';
  names[25] = 'IPv6_EXTENDED_COMMUNITIES';
  names[26] = 'AIGP';
  names[32] = 'LARGE_COMMUNITY';
  names[35] = 'OTC';
  return names;
})();

/**
 * The IANA name of a path attribute type (`AS_PATH`), or `attribute N`.
 *
 * @example
 * attributeName(2); // 'AS_PATH'
 */
export function attributeName(typeCode: number): string {
  return attributeNames[typeCode] ?? `attribute ${typeCode}`;
}

function readU32(bytes: Uint8Array, position: number): number {
  return (
    ((bytes[position]! << 24) | (bytes[position + 1]! << 16) | (bytes[position + 2]! << 8) | bytes[position + 3]!) >>> 0
  );
}

/** Returns the segments, or undefined when malformed (RFC 7606 section 7.2). */
function decodeAsPathSegments(
  bytes: Uint8Array,
  start: number,
  end: number,
  asnSize: number,
): AsPathSegment[] | undefined {
  const segments: AsPathSegment[] = [];
  let position = start;
  while (position < end) {
    // RFC 7606 section 7.2: fewer than 2 octets for a segment header, a zero segment length, an overrun or an
    // unrecognized segment type all make the AS_PATH malformed.
    if (position + 2 > end) return undefined;
    const type = bytes[position]!;
    const count = bytes[position + 1]!;
    if (type < 1 || type > 4 || count === 0) return undefined;
    position += 2;
    if (position + count * asnSize > end) return undefined;
    const asns = new Array<number>(count);
    if (asnSize === 4) {
      for (let index = 0; index < count; index++, position += 4) asns[index] = readU32(bytes, position);
    } else {
      for (let index = 0; index < count; index++, position += 2) {
        asns[index] = (bytes[position]! << 8) | bytes[position + 1]!;
      }
    }
    segments.push({ type, asns });
  }
  return segments;
}

/** Expected next hop lengths per family for the RFC 7606 section 7.11 check; undefined means any. */
function isNextHopLengthValid(afi: number, safi: number, length: number): boolean {
  if (safi !== 1 && safi !== 2) return length > 0 || safi === 133 || safi === 134;
  // RFC 4760 section 3 and RFC 2545 section 3 (IPv6 global [+ link-local]); RFC 8950 lets IPv4 NLRI use IPv6.
  if (afi === 1) return length === 4 || length === 16 || length === 32;
  // An IPv6 NLRI with a bare IPv4 next hop (4 bytes) is unambiguous and sent by real speakers (ExaBGP).
  if (afi === 2) return length === 4 || length === 16 || length === 32;
  return true;
}

function isPrefixFamily(afi: number, safi: number): boolean {
  return (afi === 1 || afi === 2) && (safi === 1 || safi === 2);
}

/**
 * Decodes a block of path attributes (the UPDATE's Path Attributes field, or an MRT RIB entry's attributes) and
 * applies RFC 7606 attribute by attribute. Non-fatal problems land in the result's `errors` (with the action each
 * requires) and `treatAsWithdraw`; a problem that requires a session reset throws a {@link BgpDecodeError}. The result
 * does not reference `bytes` (values are copied), so it can be cached by its bytes and shared.
 *
 * @example
 * const attributes = decodePathAttributes(bytes, { fourOctetAsn: true, addPath: new Set() });
 * if (attributes.treatAsWithdraw) console.log(attributes.errors.map((error) => error.message));
 */
export function decodePathAttributes(bytes: Uint8Array, options: DecodeAttributesOptions): PathAttributes {
  return decodeAttributeBlock(bytes, 0, bytes.length, options);
}

/** {@link decodePathAttributes} over `bytes[start, end)`; error offsets are relative to `bytes`. */
export function decodeAttributeBlock(
  bytes: Uint8Array,
  start: number,
  end: number,
  options: DecodeAttributesOptions,
): PathAttributes {
  state.reset();
  const seen = state.seen;
  const asnSize = options.fourOctetAsn ? 4 : 2;
  let origin: number | undefined;
  let asPath: AsPathSegment[] | undefined;
  let nextHop: number | undefined;
  let multiExitDisc: number | undefined;
  let localPref: number | undefined;
  let atomicAggregate = false;
  let aggregator: Aggregator | undefined;
  let communities: number[] | undefined;
  let originatorId: number | undefined;
  let clusterList: number[] | undefined;
  let mpReach: MpReachNlri | undefined;
  let mpUnreach: MpUnreachNlri | undefined;
  let extendedCommunities: ExtendedCommunity[] | undefined;
  let ipv6ExtendedCommunities: Ipv6ExtendedCommunity[] | undefined;
  let as4Path: AsPathSegment[] | undefined;
  let as4Aggregator: Aggregator | undefined;
  let aigp: AigpTlv[] | undefined;
  let largeCommunities: LargeCommunity[] | undefined;
  let onlyToCustomer: number | undefined;
  let unknown: UnknownAttribute[] | undefined;
  const layout: number[] = [];

  let position = start;
  while (position < end) {
    const attributeStart = position;
    // RFC 7606 section 4: fewer than 3 (or 4 with Extended Length) octets left cannot hold an attribute header.
    if (end - position < 3 || ((bytes[position]! & AttributeFlag.ExtendedLength) !== 0 && end - position < 4)) {
      state.add(
        attributeError(
          'treat-as-withdraw',
          1,
          'trailing bytes too short for a path attribute header',
          bytes,
          position,
          end,
          -1,
          'Path Attributes',
          false,
        ),
      );
      break;
    }
    const flags = bytes[position]!;
    const typeCode = bytes[position + 1]!;
    let length: number;
    if ((flags & AttributeFlag.ExtendedLength) !== 0) {
      length = (bytes[position + 2]! << 8) | bytes[position + 3]!;
      position += 4;
    } else {
      length = bytes[position + 2]!;
      position += 3;
    }
    const valueStart = position;
    const valueEnd = valueStart + length;
    if (valueEnd > end) {
      const name = attributeName(typeCode);
      if (typeCode === AttributeType.MpReachNlri || typeCode === AttributeType.MpUnreachNlri) {
        // RFC 7606 section 3 (f)/5.3: without a parsable MP attribute treat-as-withdraw cannot be applied.
        throw attributeError(
          'session-reset',
          5,
          `${name} length ${length} overruns the path attributes`,
          bytes,
          attributeStart,
          end,
          typeCode,
          name,
          true,
        );
      }
      // RFC 7606 section 4: an attribute overrunning the Total Path Attribute Length means treat-as-withdraw.
      state.add(
        attributeError(
          'treat-as-withdraw',
          5,
          `${name} length ${length} overruns the path attributes`,
          bytes,
          attributeStart,
          end,
          typeCode,
          name,
          true,
        ),
      );
      break;
    }
    position = valueEnd;
    const seenWord = typeCode >>> 5;
    const seenBit = 1 << (typeCode & 31);
    const name = attributeName(typeCode);
    if ((seen[seenWord]! & seenBit) !== 0) {
      if (typeCode === AttributeType.MpReachNlri || typeCode === AttributeType.MpUnreachNlri) {
        // RFC 7606 section 3 (g): a repeated MP_REACH_NLRI/MP_UNREACH_NLRI is a Malformed Attribute List.
        throw attributeError(
          'session-reset',
          1,
          `${name} appears more than once`,
          bytes,
          attributeStart,
          valueEnd,
          typeCode,
          name,
          false,
        );
      }
      // RFC 7606 section 3 (g): every occurrence after the first is discarded.
      state.add(
        attributeError(
          'attribute-discard',
          1,
          `${name} appears more than once`,
          bytes,
          attributeStart,
          valueEnd,
          typeCode,
          name,
          false,
        ),
      );
      continue;
    }
    seen[seenWord] = seen[seenWord]! | seenBit;
    const expected = expectedFlags[typeCode]!;
    if (expected < 0) {
      if ((flags & AttributeFlag.Optional) === 0) {
        // RFC 4271 section 6.3: an unrecognized well-known attribute resets the session (RFC 7606 keeps this).
        throw attributeError(
          'session-reset',
          2,
          `unrecognized well-known ${name}`,
          bytes,
          attributeStart,
          valueEnd,
          typeCode,
          name,
          true,
        );
      }
      layout.push(typeCode | (flags << 8));
      (unknown ??= []).push({ flags, typeCode, value: bytes.slice(valueStart, valueEnd) });
      continue;
    }
    if ((flags & (AttributeFlag.Optional | AttributeFlag.Transitive)) !== expected) {
      // RFC 7606 section 3 (c): conflicting Optional/Transitive bits make the attribute malformed: treat-as-withdraw.
      state.add(
        attributeError(
          'treat-as-withdraw',
          4,
          `${name} has Attribute Flags 0x${flags.toString(16)}`,
          bytes,
          attributeStart,
          valueEnd,
          typeCode,
          name,
          true,
        ),
      );
      if (typeCode !== AttributeType.MpReachNlri && typeCode !== AttributeType.MpUnreachNlri) continue;
    }
    layout.push(typeCode | (flags << 8));
    switch (typeCode) {
      case AttributeType.Origin: {
        // RFC 7606 section 7.1.
        if (length !== 1) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `ORIGIN length ${length}, expected 1`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else if (bytes[valueStart]! > 2) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              6,
              `undefined ORIGIN ${bytes[valueStart]!}`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else origin = bytes[valueStart]!;
        break;
      }
      case AttributeType.AsPath: {
        // RFC 7606 section 7.2.
        const segments = decodeAsPathSegments(bytes, valueStart, valueEnd, asnSize);
        if (segments === undefined) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              11,
              'malformed AS_PATH',
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              false,
            ),
          );
        } else if (options.isExternalPeer === true && segments.some((segment) => segment.type > 2)) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              11,
              'AS_CONFED segment in AS_PATH from an external peer',
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              false,
            ),
          );
        } else asPath = segments;
        break;
      }
      case AttributeType.NextHop:
        // RFC 7606 section 7.3.
        if (length !== 4) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `NEXT_HOP length ${length}, expected 4`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else nextHop = readU32(bytes, valueStart);
        break;
      case AttributeType.MultiExitDisc:
        // RFC 7606 section 7.4.
        if (length !== 4) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `MULTI_EXIT_DISC length ${length}, expected 4`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else multiExitDisc = readU32(bytes, valueStart);
        break;
      case AttributeType.LocalPref:
        // RFC 7606 section 7.5.
        if (options.isExternalPeer === true) {
          state.add(
            attributeError(
              'attribute-discard',
              0,
              'LOCAL_PREF from an external peer',
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              false,
            ),
          );
        } else if (length !== 4) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `LOCAL_PREF length ${length}, expected 4`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else localPref = readU32(bytes, valueStart);
        break;
      case AttributeType.AtomicAggregate:
        // RFC 7606 section 7.6.
        if (length !== 0) {
          state.add(
            attributeError(
              'attribute-discard',
              5,
              `ATOMIC_AGGREGATE length ${length}, expected 0`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else atomicAggregate = true;
        break;
      case AttributeType.Aggregator:
        // RFC 7606 section 7.7.
        if (length !== asnSize + 4) {
          state.add(
            attributeError(
              'attribute-discard',
              5,
              `AGGREGATOR length ${length}, expected ${asnSize + 4}`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else {
          aggregator =
            asnSize === 4
              ? { asn: readU32(bytes, valueStart), address: readU32(bytes, valueStart + 4) }
              : { asn: (bytes[valueStart]! << 8) | bytes[valueStart + 1]!, address: readU32(bytes, valueStart + 2) };
        }
        break;
      case AttributeType.Communities:
        // RFC 7606 section 7.8.
        if (length === 0 || length % 4 !== 0) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `COMMUNITIES length ${length} is not a non-zero multiple of 4`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else {
          communities = new Array<number>(length >>> 2);
          for (let index = 0, at = valueStart; at < valueEnd; index++, at += 4) communities[index] = readU32(bytes, at);
        }
        break;
      case AttributeType.OriginatorId:
        // RFC 7606 section 7.9.
        if (length !== 4) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `ORIGINATOR_ID length ${length}, expected 4`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else originatorId = readU32(bytes, valueStart);
        break;
      case AttributeType.ClusterList:
        // RFC 7606 section 7.10.
        if (length === 0 || length % 4 !== 0) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `CLUSTER_LIST length ${length} is not a non-zero multiple of 4`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else {
          clusterList = new Array<number>(length >>> 2);
          for (let index = 0, at = valueStart; at < valueEnd; index++, at += 4) clusterList[index] = readU32(bytes, at);
        }
        break;
      case AttributeType.MpReachNlri:
        mpReach = decodeMpReach(bytes, attributeStart, valueStart, valueEnd, options);
        break;
      case AttributeType.MpUnreachNlri:
        mpUnreach = decodeMpUnreach(bytes, attributeStart, valueStart, valueEnd, options);
        break;
      case AttributeType.ExtendedCommunities:
        // RFC 7606 section 7.14.
        if (length === 0 || length % 8 !== 0) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `EXTENDED_COMMUNITIES length ${length} is not a non-zero multiple of 8`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else {
          extendedCommunities = new Array<ExtendedCommunity>(length >>> 3);
          for (let index = 0, at = valueStart; at < valueEnd; index++, at += 8) {
            extendedCommunities[index] = { high: readU32(bytes, at), low: readU32(bytes, at + 4) };
          }
        }
        break;
      case AttributeType.Ipv6ExtendedCommunities:
        // RFC 7606 section 7.15.
        if (length === 0 || length % 20 !== 0) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `IPv6 Address Specific Extended Community length ${length} is not a non-zero multiple of 20`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else {
          ipv6ExtendedCommunities = [];
          for (let at = valueStart; at < valueEnd; at += 20) {
            ipv6ExtendedCommunities.push({
              type: bytes[at]!,
              subtype: bytes[at + 1]!,
              globalAdministrator: bytes.slice(at + 2, at + 18),
              localAdministrator: (bytes[at + 18]! << 8) | bytes[at + 19]!,
            });
          }
        }
        break;
      case AttributeType.As4Path: {
        // RFC 6793 section 6: a malformed AS4_PATH (including AS_CONFED segments) is discarded.
        const segments = decodeAsPathSegments(bytes, valueStart, valueEnd, 4);
        if (segments === undefined || segments.some((segment) => segment.type > 2)) {
          state.add(
            attributeError(
              'attribute-discard',
              9,
              'malformed AS4_PATH',
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else as4Path = segments;
        break;
      }
      case AttributeType.As4Aggregator:
        // RFC 6793 section 6.
        if (length !== 8) {
          state.add(
            attributeError(
              'attribute-discard',
              9,
              `AS4_AGGREGATOR length ${length}, expected 8`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else as4Aggregator = { asn: readU32(bytes, valueStart), address: readU32(bytes, valueStart + 4) };
        break;
      case AttributeType.Aigp: {
        // RFC 7311 section 3: a malformed AIGP attribute is discarded.
        const tlvs = decodeAigp(bytes, valueStart, valueEnd);
        if (tlvs === undefined) {
          state.add(
            attributeError(
              'attribute-discard',
              9,
              'malformed AIGP',
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else aigp = tlvs;
        break;
      }
      case AttributeType.LargeCommunities:
        // RFC 8092 section 6.
        if (length === 0 || length % 12 !== 0) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `LARGE_COMMUNITY length ${length} is not a non-zero multiple of 12`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else {
          largeCommunities = new Array<LargeCommunity>(length / 12);
          for (let index = 0, at = valueStart; at < valueEnd; index++, at += 12) {
            largeCommunities[index] = {
              globalAdministrator: readU32(bytes, at),
              localData1: readU32(bytes, at + 4),
              localData2: readU32(bytes, at + 8),
            };
          }
        }
        break;
      case AttributeType.OnlyToCustomer:
        // RFC 9234 section 5.
        if (length !== 4) {
          state.add(
            attributeError(
              'treat-as-withdraw',
              5,
              `OTC length ${length}, expected 4`,
              bytes,
              attributeStart,
              valueEnd,
              typeCode,
              name,
              true,
            ),
          );
        } else onlyToCustomer = readU32(bytes, valueStart);
        break;
      default:
        break;
    }
  }
  if (state.trailingBits > 0) {
    // RFC 4271 section 4.3: "the value of trailing bits is irrelevant"; they are cleared and reported.
    state.add(
      new BgpDecodeError(
        'ERR_BGP_NLRI_TRAILING_BITS',
        `${state.trailingBits} MP prefix(es) with non-zero bits beyond the prefix length`,
        {
          action: 'none',
          notificationCode: 0,
          notificationSubcode: 0,
          offset: state.firstTrailingBitsOffset,
          field: 'MP NLRI',
        },
      ),
    );
  }
  const errors = state.errors ?? emptyErrors;
  const strongest = state.strongest;
  return {
    origin,
    asPath,
    nextHop,
    multiExitDisc,
    localPref,
    atomicAggregate,
    aggregator,
    communities,
    originatorId,
    clusterList,
    mpReach,
    mpUnreach,
    extendedCommunities,
    ipv6ExtendedCommunities,
    as4Path,
    as4Aggregator,
    aigp,
    largeCommunities,
    onlyToCustomer,
    unknown: unknown ?? emptyUnknown,
    layout,
    errors,
    treatAsWithdraw: strongest === 'treat-as-withdraw' || strongest === 'afi-safi-disable',
  };
}

function decodeAigp(bytes: Uint8Array, start: number, end: number): AigpTlv[] | undefined {
  const tlvs: AigpTlv[] = [];
  let position = start;
  let hasMetric = false;
  while (position < end) {
    if (position + 3 > end) return undefined;
    const type = bytes[position]!;
    const length = (bytes[position + 1]! << 8) | bytes[position + 2]!;
    // The TLV Length counts the 3-byte header; the AIGP TLV (type 1) is exactly 11 and appears once.
    if (length < 3 || position + length > end) return undefined;
    if (type === 1) {
      if (length !== 11 || hasMetric) return undefined;
      hasMetric = true;
    }
    tlvs.push({ type, value: bytes.slice(position + 3, position + length) });
    position += length;
  }
  return tlvs;
}

function mpError(
  action: ErrorAction,
  message: string,
  bytes: Uint8Array,
  attributeStart: number,
  valueEnd: number,
  typeCode: number,
  afi: number,
  safi: number,
): BgpDecodeError {
  return attributeError(action, 9, message, bytes, attributeStart, valueEnd, typeCode, attributeName(typeCode), true, {
    afi,
    safi,
  });
}

function decodeMpReach(
  bytes: Uint8Array,
  attributeStart: number,
  start: number,
  end: number,
  options: DecodeAttributesOptions,
): MpReachNlri | undefined {
  const typeCode = AttributeType.MpReachNlri;
  const length = end - start;
  // RFC 6396 section 4.3.4: TABLE_DUMP_V2 keeps only the next hop length and the next hop.
  if (options.mrtAbbreviatedMpReach === true && length >= 1 && bytes[start]! + 1 === length) {
    const nextHopLength = bytes[start]!;
    const afi = options.mrtAfi ?? (nextHopLength === 4 ? 1 : 2);
    return { afi, safi: options.mrtSafi ?? 1, nextHop: bytes.slice(start + 1, end), nlri: [], nlriData: undefined };
  }
  if (length < 3) {
    // RFC 7606 section 7.11: the AFI/SAFI cannot even be read, so only a session reset remains.
    throw mpError(
      'session-reset',
      `MP_REACH_NLRI length ${length} is too short`,
      bytes,
      attributeStart,
      end,
      typeCode,
      0,
      0,
    );
  }
  const afi = (bytes[start]! << 8) | bytes[start + 1]!;
  const safi = bytes[start + 2]!;
  if (length < 5) {
    state.add(
      mpError(
        'afi-safi-disable',
        `MP_REACH_NLRI length ${length} is too short`,
        bytes,
        attributeStart,
        end,
        typeCode,
        afi,
        safi,
      ),
    );
    return undefined;
  }
  const nextHopLength = bytes[start + 3]!;
  const nextHopStart = start + 4;
  const nlriStart = nextHopStart + nextHopLength + 1;
  if (nlriStart > end || !isNextHopLengthValid(afi, safi, nextHopLength)) {
    // RFC 7606 section 7.11: an unexpected next hop length makes the attribute malformed.
    state.add(
      mpError(
        'afi-safi-disable',
        `MP_REACH_NLRI next hop length ${nextHopLength} is invalid`,
        bytes,
        attributeStart,
        end,
        typeCode,
        afi,
        safi,
      ),
    );
    return undefined;
  }
  const nextHop = bytes.slice(nextHopStart, nextHopStart + nextHopLength);
  const reserved = bytes[nlriStart - 1]!;
  if (!isPrefixFamily(afi, safi)) {
    const raw = { afi, safi, nextHop, nlri: [], nlriData: bytes.slice(nlriStart, end) };
    return reserved === 0 ? raw : { ...raw, reserved };
  }
  const nlri: Prefix[] = [];
  try {
    decodePrefixes(bytes, nlriStart, end, afi, options.addPath.has(familyKey(afi, safi)), nlri, state, {
      action: 'afi-safi-disable',
      notificationSubcode: 9,
      field: 'MP_REACH_NLRI',
      afi,
      safi,
      data: undefined,
      dataStart: attributeStart,
      dataEnd: end,
    });
  } catch (error) {
    // RFC 7606 section 5.3: a syntactically incorrect MP NLRI disables the AFI/SAFI.
    state.add(error as BgpDecodeError);
    return undefined;
  }
  return reserved === 0
    ? { afi, safi, nextHop, nlri, nlriData: undefined }
    : { afi, safi, nextHop, nlri, nlriData: undefined, reserved };
}

function decodeMpUnreach(
  bytes: Uint8Array,
  attributeStart: number,
  start: number,
  end: number,
  options: DecodeAttributesOptions,
): MpUnreachNlri | undefined {
  const typeCode = AttributeType.MpUnreachNlri;
  const length = end - start;
  if (length < 3) {
    // RFC 7606 section 7.12: without the AFI/SAFI, only a session reset remains.
    throw mpError(
      'session-reset',
      `MP_UNREACH_NLRI length ${length} is too short`,
      bytes,
      attributeStart,
      end,
      typeCode,
      0,
      0,
    );
  }
  const afi = (bytes[start]! << 8) | bytes[start + 1]!;
  const safi = bytes[start + 2]!;
  if (!isPrefixFamily(afi, safi)) {
    return { afi, safi, withdrawn: [], withdrawnData: bytes.slice(start + 3, end) };
  }
  const withdrawn: Prefix[] = [];
  try {
    decodePrefixes(bytes, start + 3, end, afi, options.addPath.has(familyKey(afi, safi)), withdrawn, state, {
      action: 'afi-safi-disable',
      notificationSubcode: 9,
      field: 'MP_UNREACH_NLRI',
      afi,
      safi,
      data: undefined,
      dataStart: attributeStart,
      dataEnd: end,
    });
  } catch (error) {
    state.add(error as BgpDecodeError);
    return undefined;
  }
  return { afi, safi, withdrawn, withdrawnData: undefined };
}

/** The fields of {@link PathAttributes} a caller may set when building attributes in code. */
export type PathAttributesInit = Partial<Omit<PathAttributes, 'errors' | 'treatAsWithdraw'>>;

/**
 * Builds a complete {@link PathAttributes} from the fields given (the rest absent), for encoding.
 *
 * @example
 * const attributes = createPathAttributes({ origin: 0, asPath: [{ type: 2, asns: [65001] }], nextHop: 0xc0000201 });
 */
export function createPathAttributes(init: PathAttributesInit): PathAttributes {
  return {
    origin: init.origin,
    asPath: init.asPath,
    nextHop: init.nextHop,
    multiExitDisc: init.multiExitDisc,
    localPref: init.localPref,
    atomicAggregate: init.atomicAggregate ?? false,
    aggregator: init.aggregator,
    communities: init.communities,
    originatorId: init.originatorId,
    clusterList: init.clusterList,
    mpReach: init.mpReach,
    mpUnreach: init.mpUnreach,
    extendedCommunities: init.extendedCommunities,
    ipv6ExtendedCommunities: init.ipv6ExtendedCommunities,
    as4Path: init.as4Path,
    as4Aggregator: init.as4Aggregator,
    aigp: init.aigp,
    largeCommunities: init.largeCommunities,
    onlyToCustomer: init.onlyToCustomer,
    unknown: init.unknown ?? emptyUnknown,
    layout: init.layout,
    errors: emptyErrors,
    treatAsWithdraw: false,
  };
}

/**
 * Encodes path attributes into the Path Attributes field bytes (RFC 4271 section 4.3). Attributes decoded from the
 * wire are re-encoded byte-exact (order and flags from `layout`); attributes built in code are written in ascending
 * type order with canonical flags. In a 2-octet session, ASNs above 65535 are written as AS_TRANS and AS4_PATH /
 * AS4_AGGREGATOR are added when absent (RFC 6793 section 4.2.2).
 *
 * @example
 * const bytes = encodePathAttributes(attributes, { fourOctetAsn: true, addPath: new Set() });
 */
export function encodePathAttributes(attributes: PathAttributes, options: EncodeAttributesOptions): Uint8Array {
  const writer = sharedWriter;
  writer.begin(4096);
  writePathAttributes(writer, attributes, options);
  return writer.finish();
}

const ascendingTypes: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 25, 26, 32, 35];

/** Index of a recognized type code in `ascendingTypes`, or -1. */
const ascendingIndex: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let index = 0; index < ascendingTypes.length; index++) table[ascendingTypes[index]!] = index;
  return table;
})();

function needsAs4(segments: readonly AsPathSegment[] | undefined): boolean {
  if (segments === undefined) return false;
  for (const segment of segments) for (const asn of segment.asns) if (asn > 0xffff) return true;
  return false;
}

/** Writes the Path Attributes field into `writer` (see {@link encodePathAttributes}). */
export function writePathAttributes(
  writer: ByteWriter,
  attributes: PathAttributes,
  options: EncodeAttributesOptions,
): void {
  const propagate = options.propagate === true;
  // RFC 6793 section 4.2.2: an OLD (2-octet) session carries the real path in AS4_PATH/AS4_AGGREGATOR.
  let as4Path = attributes.as4Path;
  let as4Aggregator = attributes.as4Aggregator;
  if (!options.fourOctetAsn) {
    if (as4Path === undefined && needsAs4(attributes.asPath)) {
      as4Path = attributes.asPath!.filter((segment) => segment.type <= 2);
    }
    if (as4Aggregator === undefined && attributes.aggregator !== undefined && attributes.aggregator.asn > 0xffff) {
      as4Aggregator = attributes.aggregator;
    }
  }
  const layout = attributes.layout;
  let unknownIndex = 0;
  const unknown = attributes.unknown;
  const present = presentAttributes(attributes, as4Path, as4Aggregator);
  if (layout !== undefined) {
    let listed = 0;
    for (const entry of layout) {
      const index = ascendingIndex[entry & 0xff]!;
      if (index >= 0) listed |= 1 << index;
    }
    for (const entry of layout) {
      const typeCode = entry & 0xff;
      if (ascendingIndex[typeCode]! >= 0) {
        writeRecognized(writer, typeCode, entry >>> 8, attributes, as4Path, as4Aggregator, options);
      } else {
        // Unknown attributes are matched in received order.
        const attribute = unknown[unknownIndex];
        if (attribute?.typeCode === typeCode) {
          unknownIndex++;
          writeUnknown(writer, attribute, propagate);
        }
      }
    }
    // Fields set after decoding that the layout does not list go last, in ascending order.
    let missing = present & ~listed;
    for (let index = 0; missing !== 0; index++, missing >>>= 1) {
      if ((missing & 1) !== 0) {
        writeRecognized(writer, ascendingTypes[index]!, -1, attributes, as4Path, as4Aggregator, options);
      }
    }
    for (; unknownIndex < unknown.length; unknownIndex++) writeUnknown(writer, unknown[unknownIndex]!, propagate);
    return;
  }
  for (let index = 0; index < ascendingTypes.length; index++) {
    const typeCode = ascendingTypes[index]!;
    while (unknownIndex < unknown.length && unknown[unknownIndex]!.typeCode < typeCode) {
      writeUnknown(writer, unknown[unknownIndex++]!, propagate);
    }
    if ((present & (1 << index)) !== 0) {
      writeRecognized(writer, typeCode, -1, attributes, as4Path, as4Aggregator, options);
    }
  }
  for (; unknownIndex < unknown.length; unknownIndex++) writeUnknown(writer, unknown[unknownIndex]!, propagate);
}

/** Bit i set when the attribute `ascendingTypes[i]` is present in `attributes`. */
function presentAttributes(
  attributes: PathAttributes,
  as4Path: readonly AsPathSegment[] | undefined,
  as4Aggregator: Aggregator | undefined,
): number {
  return (
    (attributes.origin !== undefined ? 1 : 0) |
    (attributes.asPath !== undefined ? 1 << 1 : 0) |
    (attributes.nextHop !== undefined ? 1 << 2 : 0) |
    (attributes.multiExitDisc !== undefined ? 1 << 3 : 0) |
    (attributes.localPref !== undefined ? 1 << 4 : 0) |
    (attributes.atomicAggregate ? 1 << 5 : 0) |
    (attributes.aggregator !== undefined ? 1 << 6 : 0) |
    (attributes.communities !== undefined ? 1 << 7 : 0) |
    (attributes.originatorId !== undefined ? 1 << 8 : 0) |
    (attributes.clusterList !== undefined ? 1 << 9 : 0) |
    (attributes.mpReach !== undefined ? 1 << 10 : 0) |
    (attributes.mpUnreach !== undefined ? 1 << 11 : 0) |
    (attributes.extendedCommunities !== undefined ? 1 << 12 : 0) |
    (as4Path !== undefined ? 1 << 13 : 0) |
    (as4Aggregator !== undefined ? 1 << 14 : 0) |
    (attributes.ipv6ExtendedCommunities !== undefined ? 1 << 15 : 0) |
    (attributes.aigp !== undefined ? 1 << 16 : 0) |
    (attributes.largeCommunities !== undefined ? 1 << 17 : 0) |
    (attributes.onlyToCustomer !== undefined ? 1 << 18 : 0)
  );
}

function writeUnknown(writer: ByteWriter, attribute: UnknownAttribute, propagate: boolean): void {
  let flags = attribute.flags;
  if (propagate) {
    // RFC 4271 section 5: unrecognized optional non-transitive attributes are not passed on; transitive ones are,
    // with the Partial bit set.
    if ((flags & AttributeFlag.Transitive) === 0) return;
    flags |= AttributeFlag.Partial;
  }
  const start = beginAttribute(writer);
  writer.write(attribute.value);
  endAttribute(writer, start, flags, attribute.typeCode);
}

/** Reserves a 4-byte attribute header; {@link endAttribute} fills it and drops the spare byte if not needed. */
function beginAttribute(writer: ByteWriter): number {
  writer.ensure(4);
  const start = writer.offset;
  writer.offset += 4;
  return start;
}

function endAttribute(writer: ByteWriter, start: number, flags: number, typeCode: number): void {
  const length = writer.offset - start - 4;
  if (length > 0xffff) throw new BgpEncodeError(attributeName(typeCode), `value of ${length} bytes exceeds 65535`);
  const bytes = writer.bytes;
  // The Extended Length bit is kept when the original encoding used it, and forced above 255 bytes.
  if (length > 255 || (flags & AttributeFlag.ExtendedLength) !== 0) {
    bytes[start] = flags | AttributeFlag.ExtendedLength;
    bytes[start + 1] = typeCode;
    bytes[start + 2] = length >>> 8;
    bytes[start + 3] = length & 0xff;
  } else {
    bytes[start] = flags;
    bytes[start + 1] = typeCode;
    bytes[start + 2] = length;
    // Shift the value left over the spare length byte; a loop beats copyWithin() for these short values.
    const end = writer.offset;
    for (let index = start + 4; index < end; index++) bytes[index - 1] = bytes[index]!;
    writer.offset--;
  }
}

function writeSegments(writer: ByteWriter, segments: readonly AsPathSegment[], asnSize: number): void {
  for (const segment of segments) {
    const asns = segment.asns;
    // RFC 4271 section 4.3: a segment holds at most 255 ASNs; longer runs continue in a new segment of the same type.
    for (let first = 0; first < asns.length || first === 0; first += 255) {
      const count = Math.min(255, asns.length - first);
      if (count <= 0) break;
      writer.u8(segment.type);
      writer.u8(count);
      for (let index = first; index < first + count; index++) {
        const asn = asns[index]!;
        if (asnSize === 4) writer.u32(asn);
        else writer.u16(asn > 0xffff ? asTrans : asn);
      }
    }
  }
}

function writeRecognized(
  writer: ByteWriter,
  typeCode: number,
  layoutFlags: number,
  attributes: PathAttributes,
  as4Path: readonly AsPathSegment[] | undefined,
  as4Aggregator: Aggregator | undefined,
  options: EncodeAttributesOptions,
): void {
  const flags = layoutFlags >= 0 ? layoutFlags & ~AttributeFlag.ExtendedLength : canonicalAttributeFlags(typeCode);
  const keepExtended = layoutFlags >= 0 ? layoutFlags & AttributeFlag.ExtendedLength : 0;
  const asnSize = options.fourOctetAsn ? 4 : 2;
  let start: number;
  switch (typeCode) {
    case AttributeType.Origin:
      if (attributes.origin === undefined) return;
      start = beginAttribute(writer);
      writer.u8(attributes.origin);
      break;
    case AttributeType.AsPath:
      if (attributes.asPath === undefined) return;
      start = beginAttribute(writer);
      writeSegments(writer, attributes.asPath, asnSize);
      break;
    case AttributeType.NextHop:
      if (attributes.nextHop === undefined) return;
      start = beginAttribute(writer);
      writer.u32(attributes.nextHop);
      break;
    case AttributeType.MultiExitDisc:
      if (attributes.multiExitDisc === undefined) return;
      start = beginAttribute(writer);
      writer.u32(attributes.multiExitDisc);
      break;
    case AttributeType.LocalPref:
      if (attributes.localPref === undefined) return;
      start = beginAttribute(writer);
      writer.u32(attributes.localPref);
      break;
    case AttributeType.AtomicAggregate:
      if (!attributes.atomicAggregate) return;
      start = beginAttribute(writer);
      break;
    case AttributeType.Aggregator: {
      const aggregator = attributes.aggregator;
      if (aggregator === undefined) return;
      start = beginAttribute(writer);
      if (asnSize === 4) writer.u32(aggregator.asn);
      else writer.u16(aggregator.asn > 0xffff ? asTrans : aggregator.asn);
      writer.u32(aggregator.address);
      break;
    }
    case AttributeType.Communities:
      if (attributes.communities === undefined) return;
      start = beginAttribute(writer);
      for (const community of attributes.communities) writer.u32(community);
      break;
    case AttributeType.OriginatorId:
      if (attributes.originatorId === undefined) return;
      start = beginAttribute(writer);
      writer.u32(attributes.originatorId);
      break;
    case AttributeType.ClusterList:
      if (attributes.clusterList === undefined) return;
      start = beginAttribute(writer);
      for (const id of attributes.clusterList) writer.u32(id);
      break;
    case AttributeType.MpReachNlri: {
      const mpReach = attributes.mpReach;
      if (mpReach === undefined) return;
      start = beginAttribute(writer);
      if (options.mrtAbbreviatedMpReach === true) {
        writer.u8(mpReach.nextHop.length);
        writer.write(mpReach.nextHop);
        break;
      }
      writer.u16(mpReach.afi);
      writer.u8(mpReach.safi);
      writer.u8(mpReach.nextHop.length);
      writer.write(mpReach.nextHop);
      writer.u8(mpReach.reserved ?? 0);
      if (mpReach.nlriData !== undefined) writer.write(mpReach.nlriData);
      else writePrefixes(writer, mpReach.nlri, options.addPath.has(familyKey(mpReach.afi, mpReach.safi)));
      break;
    }
    case AttributeType.MpUnreachNlri: {
      const mpUnreach = attributes.mpUnreach;
      if (mpUnreach === undefined) return;
      start = beginAttribute(writer);
      writer.u16(mpUnreach.afi);
      writer.u8(mpUnreach.safi);
      if (mpUnreach.withdrawnData !== undefined) writer.write(mpUnreach.withdrawnData);
      else {
        writePrefixes(writer, mpUnreach.withdrawn, options.addPath.has(familyKey(mpUnreach.afi, mpUnreach.safi)));
      }
      break;
    }
    case AttributeType.ExtendedCommunities:
      if (attributes.extendedCommunities === undefined) return;
      start = beginAttribute(writer);
      for (const community of attributes.extendedCommunities) {
        writer.u32(community.high);
        writer.u32(community.low);
      }
      break;
    case AttributeType.Ipv6ExtendedCommunities:
      if (attributes.ipv6ExtendedCommunities === undefined) return;
      start = beginAttribute(writer);
      for (const community of attributes.ipv6ExtendedCommunities) {
        writer.u8(community.type);
        writer.u8(community.subtype);
        if (community.globalAdministrator.length !== 16) {
          throw new BgpEncodeError('IPv6_EXTENDED_COMMUNITIES', 'Global Administrator must be 16 bytes');
        }
        writer.write(community.globalAdministrator);
        writer.u16(community.localAdministrator);
      }
      break;
    case AttributeType.As4Path:
      if (as4Path === undefined) return;
      start = beginAttribute(writer);
      writeSegments(writer, as4Path, 4);
      break;
    case AttributeType.As4Aggregator:
      if (as4Aggregator === undefined) return;
      start = beginAttribute(writer);
      writer.u32(as4Aggregator.asn);
      writer.u32(as4Aggregator.address);
      break;
    case AttributeType.Aigp:
      if (attributes.aigp === undefined) return;
      start = beginAttribute(writer);
      for (const tlv of attributes.aigp) {
        writer.u8(tlv.type);
        writer.u16(tlv.value.length + 3);
        writer.write(tlv.value);
      }
      break;
    case AttributeType.LargeCommunities:
      if (attributes.largeCommunities === undefined) return;
      start = beginAttribute(writer);
      for (const community of attributes.largeCommunities) {
        writer.u32(community.globalAdministrator);
        writer.u32(community.localData1);
        writer.u32(community.localData2);
      }
      break;
    case AttributeType.OnlyToCustomer:
      if (attributes.onlyToCustomer === undefined) return;
      start = beginAttribute(writer);
      writer.u32(attributes.onlyToCustomer);
      break;
    default:
      return;
  }
  endAttribute(writer, start, flags | keepExtended, typeCode);
}

function countAsns(segments: readonly AsPathSegment[]): number {
  let count = 0;
  // RFC 6793 section 4.2.3: an AS_SET counts as one; confederation segments do not count.
  for (const segment of segments) count += segment.type === 2 ? segment.asns.length : segment.type === 1 ? 1 : 0;
  return count;
}

/**
 * The AS path to use for route selection and display: AS_PATH merged with AS4_PATH per RFC 6793 section 4.2.3 when
 * the session uses 2-octet ASNs (AS4_PATH is ignored in a 4-octet session, or when AGGREGATOR shows an OLD speaker
 * aggregated, or when it is longer than AS_PATH).
 *
 * @example
 * effectiveAsPath(attributes, false); // [{ type: 2, asns: [65001, 4200000000] }]
 */
export function effectiveAsPath(
  attributes: PathAttributes,
  fourOctetAsn: boolean,
): readonly AsPathSegment[] | undefined {
  const asPath = attributes.asPath;
  const as4Path = attributes.as4Path;
  if (fourOctetAsn || asPath === undefined || as4Path === undefined) return asPath;
  const aggregator = attributes.aggregator;
  if (aggregator !== undefined && aggregator.asn !== asTrans && attributes.as4Aggregator !== undefined) return asPath;
  const pathCount = countAsns(asPath);
  const path4Count = countAsns(as4Path);
  if (pathCount < path4Count) return asPath;
  let keep = pathCount - path4Count;
  const merged: AsPathSegment[] = [];
  for (const segment of asPath) {
    if (keep === 0) break;
    if (segment.type === 2) {
      const take = Math.min(keep, segment.asns.length);
      merged.push({ type: 2, asns: segment.asns.slice(0, take) });
      keep -= take;
    } else {
      merged.push(segment);
      if (segment.type === 1) keep--;
    }
  }
  for (const segment of as4Path) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.type === 2 && segment.type === 2) {
      merged[merged.length - 1] = { type: 2, asns: [...last.asns, ...segment.asns] };
    } else merged.push(segment);
  }
  return merged;
}

/**
 * The aggregator to use: AS4_AGGREGATOR when AGGREGATOR holds AS_TRANS in a 2-octet session (RFC 6793 section
 * 4.2.3), else AGGREGATOR.
 *
 * @example
 * effectiveAggregator(attributes, false)?.asn;
 */
export function effectiveAggregator(attributes: PathAttributes, fourOctetAsn: boolean): Aggregator | undefined {
  const aggregator = attributes.aggregator;
  if (fourOctetAsn || aggregator === undefined || attributes.as4Aggregator === undefined) return aggregator;
  return aggregator.asn === asTrans ? attributes.as4Aggregator : aggregator;
}

/**
 * An AS path as text: sequences space-separated, `{a,b}` for AS_SET, `(a b)` for AS_CONFED_SEQUENCE and `[a,b]` for
 * AS_CONFED_SET.
 *
 * @example
 * formatAsPath([{ type: 2, asns: [65001, 65002] }, { type: 1, asns: [1, 2] }]); // '65001 65002 {1,2}'
 */
export function formatAsPath(segments: readonly AsPathSegment[]): string {
  return segments
    .map((segment) => {
      switch (segment.type) {
        case 1:
          return `{${segment.asns.join(',')}}`;
        case 3:
          return `(${segment.asns.join(' ')})`;
        case 4:
          return `[${segment.asns.join(',')}]`;
        default:
          return segment.asns.join(' ');
      }
    })
    .join(' ');
}

/**
 * Splits an MP_REACH_NLRI next hop field into the global address and the IPv6 link-local address (RFC 2545
 * section 3: 32 bytes hold both).
 *
 * @example
 * nextHopAddresses(mpReach.nextHop).global; // 16 bytes
 */
export function nextHopAddresses(nextHop: Uint8Array): { global: Uint8Array; linkLocal: Uint8Array | undefined } {
  if (nextHop.length === 32) return { global: nextHop.subarray(0, 16), linkLocal: nextHop.subarray(16, 32) };
  // RFC 4659 / RFC 4364: VPN next hops carry an 8-byte Route Distinguisher (zero) before the address.
  if (nextHop.length === 12 || nextHop.length === 24) return { global: nextHop.subarray(8), linkLocal: undefined };
  return { global: nextHop, linkLocal: undefined };
}

/**
 * The AIGP metric (RFC 7311 section 3.1, TLV type 1) as a bigint, or undefined.
 *
 * @example
 * aigpMetric(attributes.aigp ?? []); // 100n
 */
export function aigpMetric(tlvs: readonly AigpTlv[]): bigint | undefined {
  for (const tlv of tlvs) {
    if (tlv.type === 1 && tlv.value.length === 8) {
      return new DataView(tlv.value.buffer, tlv.value.byteOffset, 8).getBigUint64(0);
    }
  }
  return undefined;
}
