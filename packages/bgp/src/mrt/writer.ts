import { encodePathAttributes } from '../wire/attributes';
import type { EncodeAttributesOptions, PathAttributes, Prefix } from '../wire/types';
import { parseAddress } from './address';
import { Afi, Bgp4mpSubtype, MRT_HEADER_LENGTH, MrtType, TableDumpSubtype, TableDumpV2Subtype } from './constants';
import { MrtError } from './errors';
import type { MrtPeer } from './types';

/** A RIB entry to write: the peer by index, and the attributes (as bytes, or decoded to be encoded). */
export interface MrtRibEntryInput {
  /** Index into the PEER_INDEX_TABLE written before. */
  readonly peerIndex: number;
  /** Originated Time, seconds since the Unix epoch. */
  readonly originatedTime: number;
  /** ADD-PATH Path Identifier: present on every entry of an `_ADDPATH` record. */
  readonly pathId?: number | undefined;
  /** Decoded attributes, encoded with 4-octet ASNs and the abbreviated MP_REACH_NLRI (RFC 6396 section 4.3.4). */
  readonly attributes?: PathAttributes | undefined;
  /** The attribute bytes to write as they are (they win over `attributes`, so a read record is written byte-exact). */
  readonly attributeBytes?: Uint8Array | undefined;
}

/** The records {@link encodeMrtRecord} writes; the shapes the reader yields, without `offset`. */
export type MrtRecordInput =
  | {
      readonly kind: 'peer-index-table';
      readonly timestamp: number;
      readonly collectorBgpId: string;
      readonly viewName: string;
      readonly peers: readonly MrtPeer[];
    }
  | {
      readonly kind: 'rib';
      readonly timestamp: number;
      readonly sequenceNumber: number;
      /** AFI and SAFI of the prefix: IPv4/IPv6 unicast/multicast get their own subtypes, others RIB_GENERIC. */
      readonly afi: number;
      readonly safi: number;
      readonly isAddPath: boolean;
      readonly prefix: Prefix | undefined;
      /** For RIB_GENERIC of other families: the NLRI bytes. */
      readonly nlriData?: Uint8Array | undefined;
      readonly entries: readonly MrtRibEntryInput[];
    }
  | {
      readonly kind: 'table-dump';
      readonly timestamp: number;
      /** TABLE_DUMP subtype (1 IPv4, 2 IPv6, 3/4 with 4-octet ASNs). */
      readonly subtype: number;
      readonly viewNumber: number;
      readonly sequenceNumber: number;
      readonly prefix: Prefix;
      readonly status: number;
      readonly entry: MrtRibEntryInput & { readonly peer: MrtPeer };
    }
  | {
      readonly kind: 'bgp4mp-message';
      /** BGP4MP (16) or BGP4MP_ET (17). */
      readonly type: number;
      readonly timestamp: number;
      readonly microseconds: number;
      readonly peerAs: number;
      readonly peerAddress: string;
      readonly localAs: number;
      readonly localAddress: string;
      readonly interfaceIndex: number;
      /** 1 or 2; 0 writes Zebra's address-less OPEN form. */
      readonly afi: number;
      readonly isAs4: boolean;
      readonly isLocal: boolean;
      readonly isAddPath: boolean;
      /** The whole BGP message, header included. */
      readonly message: Uint8Array;
    }
  | {
      readonly kind: 'bgp4mp-state-change';
      readonly type: number;
      readonly timestamp: number;
      readonly microseconds: number;
      readonly peerAs: number;
      readonly peerAddress: string;
      readonly localAs: number;
      readonly localAddress: string;
      readonly interfaceIndex: number;
      readonly afi: number;
      readonly isAs4: boolean;
      readonly oldState: number;
      readonly newState: number;
    }
  | {
      readonly kind: 'unknown';
      readonly type: number;
      readonly subtype: number;
      readonly timestamp: number;
      readonly microseconds: number;
      readonly body: Uint8Array;
    };

/**
 * Encodes one MRT record (RFC 6396, RFC 8050), header included. Records read with {@link readMrt} can be written back
 * (drop `offset`); RIB entries keep their attribute bytes, so the result is byte-exact.
 *
 * @example
 * const bytes = encodeMrtRecord({
 *   kind: 'bgp4mp-state-change', type: MrtType.BGP4MP, timestamp: 1700000000, microseconds: 0, peerAs: 65001,
 *   peerAddress: '192.0.2.1', localAs: 65000, localAddress: '192.0.2.2', interfaceIndex: 0, afi: 1, isAs4: true,
 *   oldState: 1, newState: 2,
 * });
 */
export function encodeMrtRecord(record: MrtRecordInput): Uint8Array {
  const body = new BodyWriter();
  let type: number;
  let subtype: number;
  let microseconds = -1;
  switch (record.kind) {
    case 'peer-index-table':
      type = MrtType.TABLE_DUMP_V2;
      subtype = TableDumpV2Subtype.PEER_INDEX_TABLE;
      writePeerIndexTable(body, record.collectorBgpId, record.viewName, record.peers);
      break;
    case 'rib':
      type = MrtType.TABLE_DUMP_V2;
      subtype = writeRib(body, record);
      break;
    case 'table-dump':
      type = MrtType.TABLE_DUMP;
      subtype = record.subtype;
      writeTableDump(body, record);
      break;
    case 'bgp4mp-message': {
      type = checkBgp4mpType(record.type);
      if (type === MrtType.BGP4MP_ET) microseconds = record.microseconds;
      subtype = messageSubtype(record.isAs4, record.isLocal, record.isAddPath);
      body.as(record.peerAs, record.isAs4);
      body.as(record.localAs, record.isAs4);
      if (record.afi === 0) {
        // Zebra's OPEN form: no interface, AFI or addresses; the message's marker follows the AS numbers.
        body.bytes(record.message);
        break;
      }
      body.u16(record.interfaceIndex);
      body.u16(record.afi);
      body.address(record.peerAddress, record.afi);
      body.address(record.localAddress, record.afi);
      body.bytes(record.message);
      break;
    }
    case 'bgp4mp-state-change':
      type = checkBgp4mpType(record.type);
      if (type === MrtType.BGP4MP_ET) microseconds = record.microseconds;
      subtype = record.isAs4 ? Bgp4mpSubtype.STATE_CHANGE_AS4 : Bgp4mpSubtype.STATE_CHANGE;
      body.as(record.peerAs, record.isAs4);
      body.as(record.localAs, record.isAs4);
      body.u16(record.interfaceIndex);
      body.u16(record.afi);
      body.address(record.peerAddress, record.afi);
      body.address(record.localAddress, record.afi);
      body.u16(record.oldState);
      body.u16(record.newState);
      break;
    case 'unknown':
      type = record.type;
      subtype = record.subtype;
      if (type === MrtType.BGP4MP_ET || type === MrtType.ISIS_ET || type === MrtType.OSPFV3_ET) {
        microseconds = record.microseconds;
      }
      body.bytes(record.body);
      break;
  }
  const extra = microseconds >= 0 ? 4 : 0;
  const out = new Uint8Array(MRT_HEADER_LENGTH + extra + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, record.timestamp);
  view.setUint16(4, type);
  view.setUint16(6, subtype);
  // RFC 6396 section 3: the microsecond field counts in the Length of the _ET types.
  view.setUint32(8, body.length + extra);
  if (extra > 0) view.setUint32(12, microseconds);
  out.set(body.result(), MRT_HEADER_LENGTH + extra);
  return out;
}

/** One route of a RIB snapshot: a peer's path to a prefix. */
export interface MrtSnapshotRoute {
  /** The prefix (`pathId` on it is ignored; use `pathId` here). */
  readonly prefix: Prefix;
  /** Index into `peers`. */
  readonly peerIndex: number;
  /** Originated Time, seconds since the Unix epoch. */
  readonly originatedTime: number;
  /** ADD-PATH Path Identifier (makes the snapshot use the RFC 8050 `_ADDPATH` subtypes). */
  readonly pathId?: number | undefined;
  /** The attributes, decoded or as bytes. */
  readonly attributes?: PathAttributes | undefined;
  readonly attributeBytes?: Uint8Array | undefined;
}

/** What a RIB snapshot holds. */
export interface MrtSnapshot {
  /** Timestamp of every record, seconds since the Unix epoch. */
  readonly timestamp: number;
  /** Collector BGP ID, dotted quad. */
  readonly collectorBgpId: string;
  /** View Name (default empty). */
  readonly viewName?: string;
  /** The peers routes refer to by index. */
  readonly peers: readonly MrtPeer[];
  /** The routes, in any order; they are grouped by prefix in first-seen order. */
  readonly routes: Iterable<MrtSnapshotRoute>;
  /** Write `_ADDPATH` subtypes (default: when any route has a pathId). */
  readonly isAddPath?: boolean;
}

/**
 * Encodes a TABLE_DUMP_V2 RIB snapshot (RFC 6396 section 4.3): a PEER_INDEX_TABLE, then one RIB record per prefix
 * (per family and SAFI unicast) with sequence numbers from 0. Returns the records in order; concatenate or stream them.
 *
 * @example
 * const records = encodeRibSnapshot({ timestamp: 1700000000, collectorBgpId: '192.0.2.255',
 *   peers: [{ afi: 1, address: '192.0.2.1', asn: 65001, bgpId: '192.0.2.1' }],
 *   routes: [{ prefix: parsePrefix('10.0.0.0/8'), peerIndex: 0, originatedTime: 1700000000, attributes }] });
 */
export function encodeRibSnapshot(snapshot: MrtSnapshot): Uint8Array[] {
  const groups = new Map<string, MrtSnapshotRoute[]>();
  let hasPathId = false;
  for (const route of snapshot.routes) {
    if (route.peerIndex < 0 || route.peerIndex >= snapshot.peers.length) {
      throw new MrtError('ERR_BGP_MRT_ENCODE', `peer index ${route.peerIndex} is not in the peer table`);
    }
    const prefix = route.prefix;
    const key = `${prefix.afi}/${prefix.length}/${prefix.address0}/${prefix.address1}/${prefix.address2}/${prefix.address3}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = [];
      groups.set(key, group);
    }
    group.push(route);
    if (route.pathId !== undefined) hasPathId = true;
  }
  const isAddPath = snapshot.isAddPath ?? hasPathId;
  const records: Uint8Array[] = [
    encodeMrtRecord({
      kind: 'peer-index-table',
      timestamp: snapshot.timestamp,
      collectorBgpId: snapshot.collectorBgpId,
      viewName: snapshot.viewName ?? '',
      peers: snapshot.peers,
    }),
  ];
  let sequenceNumber = 0;
  for (const routes of groups.values()) {
    const prefix = routes[0]!.prefix;
    records.push(
      encodeMrtRecord({
        kind: 'rib',
        timestamp: snapshot.timestamp,
        sequenceNumber: sequenceNumber++,
        afi: prefix.afi,
        safi: 1,
        isAddPath,
        prefix,
        entries: routes.map((route) => ({
          peerIndex: route.peerIndex,
          originatedTime: route.originatedTime,
          pathId: isAddPath ? (route.pathId ?? 0) : undefined,
          attributes: route.attributes,
          attributeBytes: route.attributeBytes,
        })),
      }),
    );
  }
  return records;
}

function checkBgp4mpType(type: number): number {
  if (type !== MrtType.BGP4MP && type !== MrtType.BGP4MP_ET) {
    throw new MrtError('ERR_BGP_MRT_ENCODE', `type ${type} is neither BGP4MP (16) nor BGP4MP_ET (17)`);
  }
  return type;
}

function messageSubtype(isAs4: boolean, isLocal: boolean, isAddPath: boolean): number {
  if (isAddPath) {
    if (isLocal) return isAs4 ? Bgp4mpSubtype.MESSAGE_AS4_LOCAL_ADDPATH : Bgp4mpSubtype.MESSAGE_LOCAL_ADDPATH;
    return isAs4 ? Bgp4mpSubtype.MESSAGE_AS4_ADDPATH : Bgp4mpSubtype.MESSAGE_ADDPATH;
  }
  if (isLocal) return isAs4 ? Bgp4mpSubtype.MESSAGE_AS4_LOCAL : Bgp4mpSubtype.MESSAGE_LOCAL;
  return isAs4 ? Bgp4mpSubtype.MESSAGE_AS4 : Bgp4mpSubtype.MESSAGE;
}

function writePeerIndexTable(
  body: BodyWriter,
  collectorBgpId: string,
  viewName: string,
  peers: readonly MrtPeer[],
): void {
  body.address(collectorBgpId, Afi.IPV4);
  const name = new TextEncoder().encode(viewName);
  body.u16(name.length);
  body.bytes(name);
  if (peers.length > 0xffff) throw new MrtError('ERR_BGP_MRT_ENCODE', `${peers.length} peers exceed 65535`);
  body.u16(peers.length);
  for (const peer of peers) {
    const isIpv6 = peer.afi === Afi.IPV6;
    const isAs4 = peer.asn > 0xffff || peer.asSize === 4;
    // RFC 6396 section 4.3.1: bit 0 of Peer Type is the IPv6 address flag, bit 1 the 4-octet AS flag.
    body.u8((isIpv6 ? 1 : 0) | (isAs4 ? 2 : 0));
    body.address(peer.bgpId, Afi.IPV4);
    body.address(peer.address, peer.afi);
    body.as(peer.asn, isAs4);
  }
}

const abbreviatedOptions = new Map<number, EncodeAttributesOptions>();

function ribAttributeBytes(entry: MrtRibEntryInput, fourOctetAsn: boolean, abbreviated: boolean): Uint8Array {
  if (entry.attributeBytes !== undefined) return entry.attributeBytes;
  if (entry.attributes === undefined) return new Uint8Array(0);
  const key = (fourOctetAsn ? 1 : 0) | (abbreviated ? 2 : 0);
  let options = abbreviatedOptions.get(key);
  if (options === undefined) {
    options = { fourOctetAsn, addPath: new Set<number>(), mrtAbbreviatedMpReach: abbreviated };
    abbreviatedOptions.set(key, options);
  }
  return encodePathAttributes(entry.attributes, options);
}

function writeRib(body: BodyWriter, record: MrtRecordInput & { kind: 'rib' }): number {
  const { afi, safi, prefix } = record;
  const isUnicastOrMulticast = (afi === Afi.IPV4 || afi === Afi.IPV6) && (safi === 1 || safi === 2);
  let subtype: number;
  if (isUnicastOrMulticast && prefix !== undefined) {
    subtype =
      afi === Afi.IPV4
        ? safi === 1
          ? TableDumpV2Subtype.RIB_IPV4_UNICAST
          : TableDumpV2Subtype.RIB_IPV4_MULTICAST
        : safi === 1
          ? TableDumpV2Subtype.RIB_IPV6_UNICAST
          : TableDumpV2Subtype.RIB_IPV6_MULTICAST;
  } else subtype = TableDumpV2Subtype.RIB_GENERIC;
  if (record.isAddPath) subtype += 6;
  body.u32(record.sequenceNumber);
  if (subtype === TableDumpV2Subtype.RIB_GENERIC || subtype === TableDumpV2Subtype.RIB_GENERIC_ADDPATH) {
    body.u16(afi);
    body.u8(safi);
    if (record.nlriData === undefined) {
      throw new MrtError('ERR_BGP_MRT_ENCODE', `RIB_GENERIC for AFI ${afi} SAFI ${safi} needs nlriData`);
    }
    body.bytes(record.nlriData);
  } else body.prefix(prefix!);
  if (record.entries.length > 0xffff) throw new MrtError('ERR_BGP_MRT_ENCODE', 'more than 65535 RIB entries');
  body.u16(record.entries.length);
  for (const entry of record.entries) {
    body.u16(entry.peerIndex);
    body.u32(entry.originatedTime);
    // RFC 8050 section 4: the Path Identifier follows the Originated Time.
    if (record.isAddPath) body.u32(entry.pathId ?? 0);
    const attributes = ribAttributeBytes(entry, true, true);
    body.u16(attributes.length);
    body.bytes(attributes);
  }
  return subtype;
}

function writeTableDump(body: BodyWriter, record: MrtRecordInput & { kind: 'table-dump' }): void {
  const subtype = record.subtype;
  if (subtype < TableDumpSubtype.AFI_IPV4 || subtype > TableDumpSubtype.AFI_IPV6_AS4) {
    throw new MrtError('ERR_BGP_MRT_ENCODE', `TABLE_DUMP subtype ${subtype} is not an AFI`);
  }
  const afi = subtype === TableDumpSubtype.AFI_IPV6 || subtype === TableDumpSubtype.AFI_IPV6_AS4 ? 2 : 1;
  const isAs4 = subtype >= TableDumpSubtype.AFI_IPV4_AS4;
  body.u16(record.viewNumber);
  body.u16(record.sequenceNumber);
  const prefix = record.prefix;
  body.u32(prefix.address0);
  if (afi === 2) {
    body.u32(prefix.address1);
    body.u32(prefix.address2);
    body.u32(prefix.address3);
  }
  body.u8(prefix.length);
  body.u8(record.status);
  body.u32(record.entry.originatedTime);
  body.address(record.entry.peer.address, afi);
  body.as(record.entry.peer.asn, isAs4);
  const attributes = ribAttributeBytes(record.entry, isAs4, false);
  body.u16(attributes.length);
  body.bytes(attributes);
}

/** A growable big-endian byte writer for one record body. */
class BodyWriter {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private reserve(size: number): void {
    if (this.length + size <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + size) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  u16(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw new MrtError('ERR_BGP_MRT_ENCODE', `${value} does not fit 16 bits`);
    }
    this.reserve(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
  }

  u32(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new MrtError('ERR_BGP_MRT_ENCODE', `${value} does not fit 32 bits`);
    }
    this.reserve(4);
    this.view.setUint32(this.length, value);
    this.length += 4;
  }

  as(value: number, isAs4: boolean): void {
    if (isAs4) this.u32(value);
    else this.u16(value);
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  address(text: string, afi: number): void {
    let bytes: Uint8Array;
    try {
      bytes = parseAddress(text);
    } catch (error) {
      throw new MrtError('ERR_BGP_MRT_ENCODE', (error as Error).message, -1, { cause: error });
    }
    if (bytes.length !== (afi === Afi.IPV6 ? 16 : 4)) {
      throw new MrtError('ERR_BGP_MRT_ENCODE', `${text} is not an ${afi === Afi.IPV6 ? 'IPv6' : 'IPv4'} address`);
    }
    this.bytes(bytes);
  }

  /** A prefix as RFC 4271 section 4.3 encodes it: the length in bits, then just the significant bytes. */
  prefix(prefix: Prefix): void {
    const maximum = prefix.afi === Afi.IPV6 ? 128 : 32;
    if (prefix.length > maximum) throw new MrtError('ERR_BGP_MRT_ENCODE', `prefix length ${prefix.length}`);
    this.u8(prefix.length);
    const size = (prefix.length + 7) >> 3;
    const words = [prefix.address0, prefix.address1, prefix.address2, prefix.address3];
    for (let index = 0; index < size; index++) this.u8((words[index >> 2]! >>> (24 - ((index & 3) << 3))) & 0xff);
  }

  result(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
