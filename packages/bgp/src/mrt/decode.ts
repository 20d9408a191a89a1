import type { Prefix } from '../wire/types';
import { AttributeCache } from './attribute-cache';
import { formatIpv4At, formatIpv6At } from './address';
import { Afi, Bgp4mpSubtype, BgpSubtype, MrtType, Safi, TableDumpSubtype, TableDumpV2Subtype } from './constants';
import { MrtRecordError } from './errors';
import type {
  Bgp4mpEntryRecord,
  Bgp4mpMessageRecord,
  Bgp4mpStateChangeRecord,
  BgpMessageRecord,
  BgpStateChangeRecord,
  MrtPeer,
  MrtRecord,
  MrtRibEntry,
  PeerIndexTableRecord,
  RibRecord,
  TableDumpRecord,
  UnknownMrtRecord,
} from './types';

/** How the attribute bytes of one MRT RIB entry are to be decoded. */
export interface MrtAttributeContext {
  /** AS_PATH and AGGREGATOR carry 4-octet ASNs (always in TABLE_DUMP_V2, RFC 6396 section 4.3.4). */
  readonly fourOctetAsn: boolean;
  /** NLRI inside MP_REACH/MP_UNREACH carry ADD-PATH Path Identifiers. */
  readonly addPath: boolean;
  /** True for TABLE_DUMP_V2 RIB entries, whose MP_REACH_NLRI is abbreviated to the next hop (RFC 6396 4.3.4). */
  readonly abbreviatedMpReach: boolean;
  /** AFI and SAFI of the RIB the entry belongs to. */
  readonly afi: number;
  readonly safi: number;
}

/** Decodes the path attribute bytes of one RIB entry into the value the reader attaches to it. */
export type MrtAttributeDecoder<A> = (bytes: Uint8Array, context: MrtAttributeContext) => A;

/** The per-stream state record decoding needs: the current PEER_INDEX_TABLE and the attribute cache. */
export class MrtRecordDecoder<A> {
  /** The peers of the last PEER_INDEX_TABLE seen (RFC 6396 section 4.3.1), empty before one. */
  peers: readonly MrtPeer[] = [];
  /**
   * Problems inside records that did not stop the record (an entry with an unknown peer index, an entry whose
   * attributes did not decode): drained by the framer into warnings after each record.
   */
  readonly entryProblems: EntryProblem[] = [];
  private readonly cache: AttributeCache<A>;
  private readonly decodeAttributes: MrtAttributeDecoder<A>;
  private readonly contexts = new Map<number, MrtAttributeContext>();
  private readonly internedPeers = new Map<number | string, PeerState<A>>();
  private peerStates: PeerState<A>[] = [];
  private lastIpv4Prefix: Prefix | undefined = undefined;

  constructor(decodeAttributes: MrtAttributeDecoder<A>, cacheCapacity: number) {
    this.decodeAttributes = decodeAttributes;
    this.cache = new AttributeCache<A>(cacheCapacity);
  }

  /** Attribute cache hits and misses so far. */
  get cacheStatistics(): { readonly hits: number; readonly misses: number } {
    return { hits: this.cache.hits, misses: this.cache.misses };
  }

  /**
   * Decodes the body `bytes[start, end)` of a record whose header is given, appending the records it yields to
   * `out` (usually one; several for multi-route TABLE_DUMP records). Throws {@link MrtRecordError} when the body
   * does not decode; records appended before the error stay in `out`.
   */
  decode(
    bytes: Uint8Array,
    view: DataView,
    type: number,
    subtype: number,
    timestamp: number,
    microseconds: number,
    offset: number,
    start: number,
    end: number,
    out: MrtRecord<A>[],
  ): void {
    switch (type) {
      case MrtType.TABLE_DUMP_V2:
        if (subtype === TableDumpV2Subtype.PEER_INDEX_TABLE) {
          out.push(this.decodePeerIndexTable(bytes, view, subtype, timestamp, offset, start, end));
        } else if (subtype >= 2 && subtype <= 12 && subtype !== 7) {
          out.push(this.decodeRib(bytes, view, subtype, timestamp, offset, start, end));
        } else out.push(unknownRecord(bytes, type, subtype, timestamp, microseconds, offset, start, end));
        return;
      case MrtType.TABLE_DUMP:
        this.decodeTableDump(bytes, view, subtype, timestamp, offset, start, end, out);
        return;
      case MrtType.BGP4MP:
      case MrtType.BGP4MP_ET:
        out.push(this.decodeBgp4mp(bytes, view, type, subtype, timestamp, microseconds, offset, start, end));
        return;
      case MrtType.BGP:
      case MrtType.BGP4PLUS:
      case MrtType.BGP4PLUS_01:
        out.push(decodeDeprecatedBgp(bytes, view, type, subtype, timestamp, offset, start, end));
        return;
      default:
        out.push(unknownRecord(bytes, type, subtype, timestamp, microseconds, offset, start, end));
    }
  }

  private attributes(
    bytes: Uint8Array,
    view: DataView,
    start: number,
    end: number,
    context: MrtAttributeContext,
    key: number,
  ): A {
    return this.cache.get(bytes, view, start, end, key, this.decodeAttributes, context);
  }

  private context(fourOctetAsn: boolean, addPath: boolean, abbreviated: boolean, afi: number, safi: number): number {
    const key = (fourOctetAsn ? 1 : 0) | (addPath ? 2 : 0) | (abbreviated ? 4 : 0) | (afi << 3) | (safi << 19);
    if (this.contexts.get(key) === undefined) {
      this.contexts.set(key, { fourOctetAsn, addPath, abbreviatedMpReach: abbreviated, afi, safi });
    }
    return key;
  }

  private contextOf(key: number): MrtAttributeContext {
    return this.contexts.get(key)!;
  }

  private decodePeerIndexTable(
    bytes: Uint8Array,
    view: DataView,
    subtype: number,
    timestamp: number,
    offset: number,
    start: number,
    end: number,
  ): PeerIndexTableRecord {
    need(start, 6, end, 'Collector BGP ID');
    const collectorBgpId = formatIpv4At(bytes, start);
    const viewNameLength = view.getUint16(start + 4);
    let position = start + 6;
    need(position, viewNameLength + 2, end, 'View Name');
    const viewName = new TextDecoder().decode(bytes.subarray(position, position + viewNameLength));
    position += viewNameLength;
    const peerCount = view.getUint16(position);
    position += 2;
    const peers: MrtPeer[] = [];
    for (let index = 0; index < peerCount; index++) {
      need(position, 1, end, 'Peer Type');
      const peerType = bytes[position]!;
      const isIpv6 = (peerType & 1) !== 0;
      const isAs4 = (peerType & 2) !== 0;
      const size = 1 + 4 + (isIpv6 ? 16 : 4) + (isAs4 ? 4 : 2);
      need(position, size, end, 'Peer Entry');
      const bgpId = formatIpv4At(bytes, position + 1);
      const addressStart = position + 5;
      const address = isIpv6 ? formatIpv6At(bytes, addressStart) : formatIpv4At(bytes, addressStart);
      const asStart = addressStart + (isIpv6 ? 16 : 4);
      const asn = isAs4 ? view.getUint32(asStart) : view.getUint16(asStart);
      peers.push({ afi: isIpv6 ? Afi.IPV6 : Afi.IPV4, address, asn, bgpId, asSize: isAs4 ? 4 : 2 });
      position += size;
    }
    this.peers = peers;
    this.peerStates = peers.map((peer) => new PeerState<A>(peer, -1));
    return {
      kind: 'peer-index-table',
      type: MrtType.TABLE_DUMP_V2,
      subtype,
      timestamp,
      microseconds: 0,
      offset,
      collectorBgpId,
      viewName,
      peers,
    };
  }

  private decodeRib(
    bytes: Uint8Array,
    view: DataView,
    subtype: number,
    timestamp: number,
    offset: number,
    start: number,
    end: number,
  ): RibRecord<A> {
    const isAddPath = subtype >= TableDumpV2Subtype.RIB_IPV4_UNICAST_ADDPATH;
    const base = isAddPath ? subtype - 6 : subtype;
    need(start, 4, end, 'Sequence Number');
    const sequenceNumber = view.getUint32(start);
    let position = start + 4;
    let afi: number;
    let safi: number;
    if (base === TableDumpV2Subtype.RIB_GENERIC) {
      need(position, 3, end, 'AFI/SAFI');
      afi = view.getUint16(position);
      safi = bytes[position + 2]!;
      position += 3;
    } else {
      afi = base <= TableDumpV2Subtype.RIB_IPV4_MULTICAST ? Afi.IPV4 : Afi.IPV6;
      safi = base === TableDumpV2Subtype.RIB_IPV4_MULTICAST || base === TableDumpV2Subtype.RIB_IPV6_MULTICAST ? 2 : 1;
    }
    let prefix: Prefix | undefined;
    let nlriData: Uint8Array | undefined;
    if ((afi === Afi.IPV4 || afi === Afi.IPV6) && (safi === Safi.UNICAST || safi === Safi.MULTICAST)) {
      need(position, 1, end, 'Prefix Length');
      const prefixLength = bytes[position]!;
      const size = (prefixLength + 7) >> 3;
      need(position + 1, size, end, 'Prefix');
      prefix = readPrefix(bytes, position + 1, prefixLength, afi, undefined, position);
      position += 1 + size;
    } else {
      // RFC 6396 section 4.3.3: a single NLRI entry of the family; without a decoder for the family, its extent is
      // the entry count's position, which is found from the end: the NLRI is kept raw up to the Entry Count.
      need(position, 1, end, 'NLRI');
      const size = (bytes[position]! + 7) >> 3;
      need(position + 1, size, end, 'NLRI');
      nlriData = bytes.subarray(position, position + 1 + size);
      position += 1 + size;
    }
    need(position, 2, end, 'Entry Count');
    const entryCount = view.getUint16(position);
    position += 2;
    const key = this.context(true, false, true, afi, safi);
    const context = this.contextOf(key);
    const peers = this.peers;
    const entries: MrtRibEntry<A>[] = [];
    for (let index = 0; index < entryCount; index++) {
      const fixed = isAddPath ? 12 : 8;
      need(position, fixed, end, 'RIB Entry');
      const peerIndex = view.getUint16(position);
      const originatedTime = view.getUint32(position + 2);
      const pathId = isAddPath ? view.getUint32(position + 6) : undefined;
      const attributeLength = view.getUint16(position + fixed - 2);
      const attributeStart = position + fixed;
      need(attributeStart, attributeLength, end, 'Attribute Length');
      position = attributeStart + attributeLength;
      const state = this.peerStates[peerIndex];
      let peer = peers[peerIndex];
      if (peer === undefined) {
        this.entryProblems.push({
          kind: 'unknown-peer-index',
          position: attributeStart - fixed,
          message: `peer index ${peerIndex} is not in the PEER_INDEX_TABLE (${peers.length} peers)`,
        });
        peer = placeholderPeer(peerIndex);
      }
      let attributes: A;
      try {
        attributes =
          state === undefined
            ? this.attributes(bytes, view, attributeStart, position, context, key)
            : this.peerAttributes(state, bytes, view, attributeStart, position, context, key);
      } catch (error) {
        if (!isCodecError(error)) throw error;
        this.entryProblems.push({
          kind: 'malformed-attributes',
          position: attributeStart - fixed,
          message: `RIB entry of peer ${peerIndex}: ${error.message}`,
        });
        continue;
      }
      entries.push(
        new RibEntry(peerIndex, peer, originatedTime, pathId, attributes, bytes, attributeStart, attributeLength),
      );
    }
    return {
      kind: 'rib',
      type: MrtType.TABLE_DUMP_V2,
      subtype,
      timestamp,
      microseconds: 0,
      offset,
      sequenceNumber,
      afi,
      safi,
      isAddPath,
      prefix,
      nlriData,
      entries,
    };
  }

  private decodeTableDump(
    bytes: Uint8Array,
    view: DataView,
    subtype: number,
    timestamp: number,
    offset: number,
    start: number,
    end: number,
    out: MrtRecord<A>[],
  ): void {
    if (subtype < TableDumpSubtype.AFI_IPV4 || subtype > TableDumpSubtype.AFI_IPV6_AS4) {
      throw new MrtRecordError(`TABLE_DUMP subtype ${subtype} is not an AFI`, start, 'Subtype');
    }
    const isIpv6 = subtype === TableDumpSubtype.AFI_IPV6 || subtype === TableDumpSubtype.AFI_IPV6_AS4;
    const isAs4 = subtype >= TableDumpSubtype.AFI_IPV4_AS4;
    const afi = isIpv6 ? Afi.IPV6 : Afi.IPV4;
    const addressLength = isIpv6 ? 16 : 4;
    const asLength = isAs4 ? 4 : 2;
    const entrySize = addressLength * 2 + 1 + 1 + 4 + asLength + 2;
    need(start, 4, end, 'View Number');
    const viewNumber = view.getUint16(start);
    const sequenceNumber = view.getUint16(start + 2);
    const key = this.context(isAs4, false, true, afi, Safi.UNICAST);
    const context = this.contextOf(key);
    let position = start + 4;
    // RFC 6396 section 4.2 has one route per record; early RIPE RIS dumps carry more routes after the first,
    // each without View and Sequence Number, so routes are read until the body is used up.
    do {
      need(position, entrySize, end, 'TABLE_DUMP entry');
      const prefixLength = bytes[position + addressLength]!;
      let prefix: Prefix;
      if (isIpv6) prefix = readPrefix(bytes, position, prefixLength, afi, undefined, position + addressLength);
      else {
        // TABLE_DUMP holds the whole IPv4 address: one read, masked to the prefix length.
        if (prefixLength > 32) {
          throw new MrtRecordError(`prefix length ${prefixLength} exceeds 32`, position + 4, 'Prefix Length');
        }
        const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
        const address = (view.getUint32(position) & mask) >>> 0;
        const last = this.lastIpv4Prefix;
        // A dump lists every peer's route to a prefix in a row: those routes share one prefix object.
        if (last !== undefined && last.length === prefixLength && last.address0 === address) prefix = last;
        else {
          prefix = {
            afi: Afi.IPV4,
            length: prefixLength,
            address0: address,
            address1: 0,
            address2: 0,
            address3: 0,
            pathId: undefined,
          };
          this.lastIpv4Prefix = prefix;
        }
      }
      const status = bytes[position + addressLength + 1]!;
      const originatedTime = view.getUint32(position + addressLength + 2);
      const peerStart = position + addressLength + 6;
      const asStart = peerStart + addressLength;
      const peerAs = isAs4 ? view.getUint32(asStart) : view.getUint16(asStart);
      const attributeLength = view.getUint16(asStart + asLength);
      const attributeStart = asStart + asLength + 2;
      need(attributeStart, attributeLength, end, 'Attribute Length');
      const state = this.peerState(bytes, peerStart, isIpv6, peerAs, asLength);
      const peer = state.peer;
      const attributes = this.peerAttributes(
        state,
        bytes,
        view,
        attributeStart,
        attributeStart + attributeLength,
        context,
        key,
      );
      out.push(
        new TableDumpRoute<A>(
          subtype,
          timestamp,
          offset,
          viewNumber,
          sequenceNumber,
          prefix,
          status,
          peer,
          originatedTime,
          attributes,
          bytes,
          attributeStart,
          attributeLength,
        ),
      );
      position = attributeStart + attributeLength;
    } while (position < end);
  }

  /** Interns peers of TABLE_DUMP routes so the many routes of one peer share one object (and one memo). */
  private peerState(bytes: Uint8Array, start: number, isIpv6: boolean, asn: number, asSize: number): PeerState<A> {
    let key: number | string;
    let ipv4 = -1;
    if (!isIpv6 && asSize === 2) {
      ipv4 = ((bytes[start]! << 24) | (bytes[start + 1]! << 16) | (bytes[start + 2]! << 8) | bytes[start + 3]!) >>> 0;
      // A small-integer key; a collision falls back to the text key below.
      key = (ipv4 ^ Math.imul(asn + 1, 0x9e3779b1)) & 0x3fffffff;
      const state = this.internedPeers.get(key);
      if (state !== undefined && state.ipv4 === ipv4 && state.peer.asn === asn && state.peer.asSize === 2) return state;
      if (state !== undefined) key = `${formatIpv4At(bytes, start)} ${asn} ${asSize}`;
    } else {
      key = `${isIpv6 ? formatIpv6At(bytes, start) : formatIpv4At(bytes, start)} ${asn} ${asSize}`;
    }
    let state = this.internedPeers.get(key);
    if (state === undefined) {
      state = new PeerState<A>(
        {
          afi: isIpv6 ? Afi.IPV6 : Afi.IPV4,
          address: isIpv6 ? formatIpv6At(bytes, start) : formatIpv4At(bytes, start),
          asn,
          bgpId: '0.0.0.0',
          asSize,
        },
        ipv4,
      );
      if (this.internedPeers.size > 65536) this.internedPeers.clear();
      this.internedPeers.set(key, state);
    }
    return state;
  }

  /**
   * The attributes of a route of `state`'s peer: the peer's previous route's attributes when the bytes are the same
   * (routes of adjacent prefixes from one peer often share a path), else from the shared cache.
   */
  private peerAttributes(
    state: PeerState<A>,
    bytes: Uint8Array,
    view: DataView,
    start: number,
    end: number,
    context: MrtAttributeContext,
    key: number,
  ): A {
    const length = end - start;
    let memo = state.memoBytes;
    if (state.memoLength === length && state.memoContext === key) {
      let position = 0;
      while (position < length && memo[position] === bytes[start + position]) position++;
      if (position === length) return state.memoValue!;
    }
    const value = this.cache.get(bytes, view, start, end, key, this.decodeAttributes, context);
    // The memo owns a copy of the bytes, so it never keeps an input chunk alive.
    if (memo.length < length) {
      memo = new Uint8Array(Math.max(length, memo.length * 2, 64));
      state.memoBytes = memo;
    }
    for (let position = 0; position < length; position++) memo[position] = bytes[start + position]!;
    state.memoLength = length;
    state.memoContext = key;
    state.memoValue = value;
    return value;
  }

  private decodeBgp4mp(
    bytes: Uint8Array,
    view: DataView,
    type: number,
    subtype: number,
    timestamp: number,
    microseconds: number,
    offset: number,
    start: number,
    end: number,
  ): MrtRecord<A> {
    switch (subtype) {
      case Bgp4mpSubtype.STATE_CHANGE:
      case Bgp4mpSubtype.STATE_CHANGE_AS4:
        return decodeStateChange(bytes, view, type, subtype, timestamp, microseconds, offset, start, end);
      case Bgp4mpSubtype.ENTRY:
        return this.decodeBgp4mpEntry(bytes, view, type, subtype, timestamp, microseconds, offset, start, end);
      case Bgp4mpSubtype.MESSAGE:
      case Bgp4mpSubtype.MESSAGE_AS4:
      case Bgp4mpSubtype.MESSAGE_LOCAL:
      case Bgp4mpSubtype.MESSAGE_AS4_LOCAL:
      case Bgp4mpSubtype.MESSAGE_ADDPATH:
      case Bgp4mpSubtype.MESSAGE_AS4_ADDPATH:
      case Bgp4mpSubtype.MESSAGE_LOCAL_ADDPATH:
      case Bgp4mpSubtype.MESSAGE_AS4_LOCAL_ADDPATH:
        return decodeMessage(bytes, view, type, subtype, timestamp, microseconds, offset, start, end);
      default:
        return unknownRecord(bytes, type, subtype, timestamp, microseconds, offset, start, end);
    }
  }

  private decodeBgp4mpEntry(
    bytes: Uint8Array,
    view: DataView,
    type: number,
    subtype: number,
    timestamp: number,
    microseconds: number,
    offset: number,
    start: number,
    end: number,
  ): Bgp4mpEntryRecord<A> {
    need(start, 8, end, 'BGP4MP_ENTRY header');
    const peerAs = view.getUint16(start);
    const localAs = view.getUint16(start + 2);
    const interfaceIndex = view.getUint16(start + 4);
    const peeringAfi = view.getUint16(start + 6);
    const addressLength = addressLengthOf(peeringAfi, start + 6);
    let position = start + 8;
    need(position, addressLength * 2 + 8 + 4, end, 'BGP4MP_ENTRY addresses');
    const peer = this.peerState(bytes, position, addressLength === 16, peerAs, 2).peer;
    const localAddress = formatAddress(bytes, position + addressLength, addressLength);
    position += addressLength * 2;
    const viewNumber = view.getUint16(position);
    const status = view.getUint16(position + 2);
    const originatedTime = view.getUint32(position + 4);
    position += 8;
    need(position, 4, end, 'AFI/SAFI');
    const afi = view.getUint16(position);
    const safi = bytes[position + 2]!;
    const nextHopLength = bytes[position + 3]!;
    position += 4;
    need(position, nextHopLength + 1, end, 'Next Hop');
    const nextHop = bytes.subarray(position, position + nextHopLength);
    position += nextHopLength;
    const prefixLength = bytes[position]!;
    const size = (prefixLength + 7) >> 3;
    need(position + 1, size + 2, end, 'Prefix');
    if (afi !== Afi.IPV4 && afi !== Afi.IPV6) throw new MrtRecordError(`AFI ${afi} unsupported`, position - 4, 'AFI');
    const prefix = readPrefix(bytes, position + 1, prefixLength, afi, undefined, position);
    position += 1 + size;
    const attributeLength = view.getUint16(position);
    const attributeStart = position + 2;
    need(attributeStart, attributeLength, end, 'Attribute Length');
    const key = this.context(false, false, false, afi, safi);
    const attributes = this.attributes(
      bytes,
      view,
      attributeStart,
      attributeStart + attributeLength,
      this.contextOf(key),
      key,
    );
    return {
      kind: 'bgp4mp-entry',
      type,
      subtype,
      timestamp,
      microseconds,
      offset,
      localAs,
      localAddress,
      interfaceIndex,
      viewNumber,
      status,
      afi,
      safi,
      nextHop,
      prefix,
      entry: new RibEntry(-1, peer, originatedTime, undefined, attributes, bytes, attributeStart, attributeLength),
    };
  }
}

/**
 * A TABLE_DUMP route: the record and its single RIB entry in one object (the entry is the record itself), so a
 * route costs one allocation besides its prefix.
 */
class TableDumpRoute<A> implements TableDumpRecord<A>, MrtRibEntry<A> {
  readonly kind = 'table-dump' as const;
  readonly type: number = MrtType.TABLE_DUMP;
  readonly subtype: number;
  readonly timestamp: number;
  readonly microseconds: number = 0;
  readonly offset: number;
  readonly viewNumber: number;
  readonly sequenceNumber: number;
  readonly prefix: Prefix;
  readonly status: number;
  readonly peerIndex: number = -1;
  readonly peer: MrtPeer;
  readonly originatedTime: number;
  readonly pathId: number | undefined = undefined;
  readonly attributes: A;
  private readonly source: Uint8Array;
  private readonly attributeStart: number;
  private readonly attributeLength: number;

  constructor(
    subtype: number,
    timestamp: number,
    offset: number,
    viewNumber: number,
    sequenceNumber: number,
    prefix: Prefix,
    status: number,
    peer: MrtPeer,
    originatedTime: number,
    attributes: A,
    source: Uint8Array,
    attributeStart: number,
    attributeLength: number,
  ) {
    this.subtype = subtype;
    this.timestamp = timestamp;
    this.offset = offset;
    this.viewNumber = viewNumber;
    this.sequenceNumber = sequenceNumber;
    this.prefix = prefix;
    this.status = status;
    this.peer = peer;
    this.originatedTime = originatedTime;
    this.attributes = attributes;
    this.source = source;
    this.attributeStart = attributeStart;
    this.attributeLength = attributeLength;
  }

  get entry(): MrtRibEntry<A> {
    return this;
  }

  get attributeBytes(): Uint8Array {
    return this.source.subarray(this.attributeStart, this.attributeStart + this.attributeLength);
  }

  toJSON(): object {
    return {
      kind: this.kind,
      type: this.type,
      subtype: this.subtype,
      timestamp: this.timestamp,
      offset: this.offset,
      viewNumber: this.viewNumber,
      sequenceNumber: this.sequenceNumber,
      prefix: this.prefix,
      status: this.status,
      entry: { peer: this.peer, originatedTime: this.originatedTime, attributes: this.attributes },
    };
  }
}

/** An interned peer with a memo of its last route's attribute bytes and their decoded value. */
class PeerState<A> {
  readonly peer: MrtPeer;
  /** The IPv4 address as a number for 2-octet IPv4 peers, else -1 (to check interning keys). */
  readonly ipv4: number;
  memoBytes: Uint8Array = new Uint8Array(0);
  memoLength = -1;
  memoContext = -1;
  memoValue: A | undefined = undefined;

  constructor(peer: MrtPeer, ipv4: number) {
    this.peer = peer;
    this.ipv4 = ipv4;
  }
}

/** A problem inside a record that the record survived; `position` is an index into the decoded buffer. */
export interface EntryProblem {
  readonly kind: 'unknown-peer-index' | 'malformed-attributes';
  readonly position: number;
  readonly message: string;
}

/** Errors thrown by the wire codec while decoding a record's attributes: damage in the record, not a reader fault. */
export function isCodecError(error: unknown): error is Error & { code: string } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as unknown as { code: string }).code.startsWith('ERR_BGP_')
  );
}

/** A RIB entry; a class so every entry has one hidden class, with the attribute bytes as a lazily made view. */
class RibEntry<A> implements MrtRibEntry<A> {
  readonly peerIndex: number;
  readonly peer: MrtPeer;
  readonly originatedTime: number;
  readonly pathId: number | undefined;
  readonly attributes: A;
  private readonly source: Uint8Array;
  private readonly attributeStart: number;
  private readonly attributeLength: number;

  constructor(
    peerIndex: number,
    peer: MrtPeer,
    originatedTime: number,
    pathId: number | undefined,
    attributes: A,
    source: Uint8Array,
    attributeStart: number,
    attributeLength: number,
  ) {
    this.peerIndex = peerIndex;
    this.peer = peer;
    this.originatedTime = originatedTime;
    this.pathId = pathId;
    this.attributes = attributes;
    this.source = source;
    this.attributeStart = attributeStart;
    this.attributeLength = attributeLength;
  }

  get attributeBytes(): Uint8Array {
    return this.source.subarray(this.attributeStart, this.attributeStart + this.attributeLength);
  }

  toJSON(): object {
    return {
      peerIndex: this.peerIndex,
      peer: this.peer,
      originatedTime: this.originatedTime,
      pathId: this.pathId,
      attributes: this.attributes,
    };
  }
}

function placeholderPeer(index: number): MrtPeer {
  return { afi: Afi.IPV4, address: '0.0.0.0', asn: 0, bgpId: `unknown-peer-${index}`, asSize: 2 };
}

function need(position: number, size: number, end: number, field: string): void {
  if (position + size > end) {
    throw new MrtRecordError(
      `${field} needs ${size} bytes at ${position} but the record ends at ${end}`,
      position,
      field,
    );
  }
}

function addressLengthOf(afi: number, position: number): number {
  if (afi === Afi.IPV4) return 4;
  if (afi === Afi.IPV6) return 16;
  throw new MrtRecordError(`Address Family ${afi} is neither IPv4 (1) nor IPv6 (2)`, position, 'Address Family');
}

function formatAddress(bytes: Uint8Array, start: number, length: number): string {
  return length === 4 ? formatIpv4At(bytes, start) : formatIpv6At(bytes, start);
}

/**
 * Reads a prefix of `prefixLength` bits whose significant bytes start at `start` (trailing bits beyond the length
 * are cleared, as RFC 4271 section 4.3 says they are irrelevant).
 */
export function readPrefix(
  bytes: Uint8Array,
  start: number,
  prefixLength: number,
  afi: number,
  pathId: number | undefined,
  lengthOffset: number,
): Prefix {
  const maximum = afi === Afi.IPV4 ? 32 : 128;
  if (prefixLength > maximum) {
    throw new MrtRecordError(`prefix length ${prefixLength} exceeds ${maximum}`, lengthOffset, 'Prefix Length');
  }
  const size = (prefixLength + 7) >> 3;
  let word0 = 0;
  let word1 = 0;
  let word2 = 0;
  let word3 = 0;
  for (let index = 0; index < size; index++) {
    const byte = bytes[start + index]!;
    const shift = 24 - ((index & 3) << 3);
    const word = index >> 2;
    if (word === 0) word0 |= byte << shift;
    else if (word === 1) word1 |= byte << shift;
    else if (word === 2) word2 |= byte << shift;
    else word3 |= byte << shift;
  }
  return {
    afi,
    length: prefixLength,
    address0: maskWord(word0, prefixLength, 0),
    address1: maskWord(word1, prefixLength, 1),
    address2: maskWord(word2, prefixLength, 2),
    address3: maskWord(word3, prefixLength, 3),
    pathId,
  };
}

function maskWord(word: number, length: number, index: number): number {
  const bits = length - index * 32;
  if (bits >= 32) return word >>> 0;
  if (bits <= 0) return 0;
  return (word & (0xffffffff << (32 - bits))) >>> 0;
}

function decodeStateChange(
  bytes: Uint8Array,
  view: DataView,
  type: number,
  subtype: number,
  timestamp: number,
  microseconds: number,
  offset: number,
  start: number,
  end: number,
): Bgp4mpStateChangeRecord {
  const isAs4 = subtype === Bgp4mpSubtype.STATE_CHANGE_AS4;
  const asLength = isAs4 ? 4 : 2;
  const readAs = (position: number): number => (isAs4 ? view.getUint32(position) : view.getUint16(position));
  const base = {
    kind: 'bgp4mp-state-change' as const,
    type,
    subtype,
    timestamp,
    microseconds,
    offset,
  };
  // Old Zebra wrote 8-byte state changes: the two AS numbers and the two states, no interface, AFI or addresses
  // (seen in RIPE RIS rrc01, 2000).
  if (end - start === asLength * 2 + 4) {
    return {
      ...base,
      peerAs: readAs(start),
      peerAddress: '0.0.0.0',
      localAs: readAs(start + asLength),
      localAddress: '0.0.0.0',
      interfaceIndex: 0,
      afi: Afi.IPV4,
      isAs4,
      oldState: view.getUint16(start + asLength * 2),
      newState: view.getUint16(start + asLength * 2 + 2),
    };
  }
  need(start, asLength * 2 + 4, end, 'BGP4MP state change header');
  const afi = view.getUint16(start + asLength * 2 + 2);
  const addressLength = addressLengthOf(afi, start + asLength * 2 + 2);
  const addressStart = start + asLength * 2 + 4;
  need(addressStart, addressLength * 2 + 4, end, 'BGP4MP state change');
  const stateStart = addressStart + addressLength * 2;
  return {
    ...base,
    peerAs: readAs(start),
    peerAddress: formatAddress(bytes, addressStart, addressLength),
    localAs: readAs(start + asLength),
    localAddress: formatAddress(bytes, addressStart + addressLength, addressLength),
    interfaceIndex: view.getUint16(start + asLength * 2),
    afi,
    isAs4,
    oldState: view.getUint16(stateStart),
    newState: view.getUint16(stateStart + 2),
  };
}

function decodeMessage(
  bytes: Uint8Array,
  view: DataView,
  type: number,
  subtype: number,
  timestamp: number,
  microseconds: number,
  offset: number,
  start: number,
  end: number,
): Bgp4mpMessageRecord {
  const isAs4 =
    subtype === Bgp4mpSubtype.MESSAGE_AS4 ||
    subtype === Bgp4mpSubtype.MESSAGE_AS4_LOCAL ||
    subtype === Bgp4mpSubtype.MESSAGE_AS4_ADDPATH ||
    subtype === Bgp4mpSubtype.MESSAGE_AS4_LOCAL_ADDPATH;
  const isLocal =
    subtype === Bgp4mpSubtype.MESSAGE_LOCAL ||
    subtype === Bgp4mpSubtype.MESSAGE_AS4_LOCAL ||
    subtype === Bgp4mpSubtype.MESSAGE_LOCAL_ADDPATH ||
    subtype === Bgp4mpSubtype.MESSAGE_AS4_LOCAL_ADDPATH;
  const isAddPath = subtype >= Bgp4mpSubtype.MESSAGE_ADDPATH;
  const asLength = isAs4 ? 4 : 2;
  need(start, asLength * 2 + 4, end, 'BGP4MP message header');
  const peerAs = isAs4 ? view.getUint32(start) : view.getUint16(start);
  const localAs = isAs4 ? view.getUint32(start + asLength) : view.getUint16(start + asLength);
  const interfaceIndex = view.getUint16(start + asLength * 2);
  const afiField = view.getUint16(start + asLength * 2 + 2);
  let afi = afiField;
  let peerAddress = '0.0.0.0';
  let localAddress = '0.0.0.0';
  let messageStart: number;
  if (interfaceIndex === 0xffff && afiField === 0xffff) {
    // Zebra wrote OPEN messages without interface, AFI and addresses: the 4 bytes read as them are the first 4 of
    // the BGP marker (seen in RIPE RIS rrc01, 2000).
    afi = 0;
    messageStart = start + asLength * 2;
  } else {
    const addressLength = addressLengthOf(afiField, start + asLength * 2 + 2);
    const addressStart = start + asLength * 2 + 4;
    need(addressStart, addressLength * 2, end, 'BGP4MP addresses');
    peerAddress = formatAddress(bytes, addressStart, addressLength);
    localAddress = formatAddress(bytes, addressStart + addressLength, addressLength);
    messageStart = addressStart + addressLength * 2;
  }
  need(messageStart, 19, end, 'BGP message header');
  return {
    kind: 'bgp4mp-message',
    type,
    subtype,
    timestamp,
    microseconds,
    offset,
    peerAs,
    peerAddress,
    localAs,
    localAddress,
    interfaceIndex: afi === 0 ? 0 : interfaceIndex,
    afi,
    isAs4,
    isLocal,
    isAddPath,
    message: bytes.subarray(messageStart, end),
  };
}

function decodeDeprecatedBgp(
  bytes: Uint8Array,
  view: DataView,
  type: number,
  subtype: number,
  timestamp: number,
  offset: number,
  start: number,
  end: number,
): BgpMessageRecord | BgpStateChangeRecord | UnknownMrtRecord {
  const addressLength = type === MrtType.BGP ? 4 : 16;
  switch (subtype) {
    case BgpSubtype.UPDATE:
    case BgpSubtype.OPEN:
    case BgpSubtype.NOTIFY:
    case BgpSubtype.KEEPALIVE: {
      need(start, 4 + addressLength * 2, end, 'BGP message header');
      const messageType =
        subtype === BgpSubtype.UPDATE ? 2 : subtype === BgpSubtype.OPEN ? 1 : subtype === BgpSubtype.NOTIFY ? 3 : 4;
      return {
        kind: 'bgp-message',
        type,
        subtype,
        timestamp,
        microseconds: 0,
        offset,
        peerAs: view.getUint16(start),
        peerAddress: formatAddress(bytes, start + 2, addressLength),
        localAs: view.getUint16(start + 2 + addressLength),
        localAddress: formatAddress(bytes, start + 4 + addressLength, addressLength),
        messageType,
        body: bytes.subarray(start + 4 + addressLength * 2, end),
      };
    }
    case BgpSubtype.STATE_CHANGE:
      need(start, 2 + addressLength + 4, end, 'BGP state change');
      return {
        kind: 'bgp-state-change',
        type,
        subtype,
        timestamp,
        microseconds: 0,
        offset,
        peerAs: view.getUint16(start),
        peerAddress: formatAddress(bytes, start + 2, addressLength),
        oldState: view.getUint16(start + 2 + addressLength),
        newState: view.getUint16(start + 4 + addressLength),
      };
    default:
      return unknownRecord(bytes, type, subtype, timestamp, 0, offset, start, end);
  }
}

function unknownRecord(
  bytes: Uint8Array,
  type: number,
  subtype: number,
  timestamp: number,
  microseconds: number,
  offset: number,
  start: number,
  end: number,
): UnknownMrtRecord {
  return { kind: 'unknown', type, subtype, timestamp, microseconds, offset, body: bytes.subarray(start, end) };
}
