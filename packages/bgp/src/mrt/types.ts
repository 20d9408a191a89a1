import type { PathAttributes, Prefix } from '../wire/types';

/** A BGP peer as MRT names it: its address (text), AS number and, from a PEER_INDEX_TABLE, its BGP Identifier. */
export interface MrtPeer {
  /** 1 for an IPv4 peer address, 2 for IPv6. */
  readonly afi: number;
  /** The peer's address in text (dotted quad, or IPv6 as `inet_ntop` prints it). */
  readonly address: string;
  /** The peer's AS number (unsigned 32-bit). */
  readonly asn: number;
  /** The peer's BGP Identifier in dotted-quad text (PEER_INDEX_TABLE only; `0.0.0.0` elsewhere). */
  readonly bgpId: string;
  /**
   * Octets the AS number took in the record (2 or 4). The reader always sets it; the writer uses it when given
   * (some collectors set the PEER_INDEX_TABLE AS4 flag for every peer), else 4 only when the number needs it.
   */
  readonly asSize?: number;
}

/** Fields every MRT record carries (RFC 6396 section 2). */
export interface MrtRecordBase {
  /** MRT Type. */
  readonly type: number;
  /** MRT Subtype. */
  readonly subtype: number;
  /** Timestamp, seconds since the Unix epoch (UTC). */
  readonly timestamp: number;
  /** Microsecond Timestamp of the `_ET` types, 0 otherwise. */
  readonly microseconds: number;
  /** Byte offset of the record's header in the decompressed stream. */
  readonly offset: number;
}

/** One route of a RIB: a peer's path to the record's prefix (RFC 6396 sections 4.2 and 4.3.4). */
export interface MrtRibEntry<A = PathAttributes> {
  /** Index into the PEER_INDEX_TABLE (TABLE_DUMP_V2), or -1 for TABLE_DUMP and BGP4MP_ENTRY. */
  readonly peerIndex: number;
  /** The peer the route was learned from. */
  readonly peer: MrtPeer;
  /** Originated Time, seconds since the Unix epoch: when the route was last changed. */
  readonly originatedTime: number;
  /** ADD-PATH Path Identifier (RFC 8050 `_ADDPATH` subtypes), else undefined. */
  readonly pathId: number | undefined;
  /** The decoded path attributes; shared between entries whose attribute bytes are identical. */
  readonly attributes: A;
  /** The attribute bytes as found in the record (a view into the input, not a copy). */
  readonly attributeBytes: Uint8Array;
}

/** TABLE_DUMP_V2 PEER_INDEX_TABLE (RFC 6396 section 4.3.1). */
export interface PeerIndexTableRecord extends MrtRecordBase {
  readonly kind: 'peer-index-table';
  /** Collector BGP ID in dotted-quad text. */
  readonly collectorBgpId: string;
  /** View Name (UTF-8), empty when none. */
  readonly viewName: string;
  /** The peers, in index order. */
  readonly peers: readonly MrtPeer[];
}

/**
 * A TABLE_DUMP_V2 RIB record (RFC 6396 section 4.3.2-4.3.3, RFC 8050 section 4): every peer's route to one prefix.
 * RIB_GENERIC records of families other than IPv4/IPv6 unicast/multicast keep their NLRI raw in `nlriData`.
 */
export interface RibRecord<A = PathAttributes> extends MrtRecordBase {
  readonly kind: 'rib';
  /** Sequence Number. */
  readonly sequenceNumber: number;
  /** AFI of the prefix (from the subtype, or the RIB_GENERIC header). */
  readonly afi: number;
  /** SAFI of the prefix. */
  readonly safi: number;
  /** True for the RFC 8050 `_ADDPATH` subtypes (each entry has a Path Identifier). */
  readonly isAddPath: boolean;
  /** The prefix (IPv4/IPv6 unicast and multicast). */
  readonly prefix: Prefix | undefined;
  /** The raw NLRI of a RIB_GENERIC record whose family is not decoded here, else undefined. */
  readonly nlriData: Uint8Array | undefined;
  /** The RIB entries, one per peer (and per path with ADD-PATH). */
  readonly entries: readonly MrtRibEntry<A>[];
}

/**
 * A TABLE_DUMP route (RFC 6396 section 4.2). Early RIPE RIS dumps pack many routes into one record; each is
 * yielded as its own `TableDumpRecord` with the same `offset`.
 */
export interface TableDumpRecord<A = PathAttributes> extends MrtRecordBase {
  readonly kind: 'table-dump';
  /** View Number. */
  readonly viewNumber: number;
  /** Sequence Number. */
  readonly sequenceNumber: number;
  /** The prefix. */
  readonly prefix: Prefix;
  /** Status octet (unused, normally 1). */
  readonly status: number;
  /** The route (peer, originated time, attributes). */
  readonly entry: MrtRibEntry<A>;
}

/** The deprecated BGP4MP_ENTRY (subtype 2) written by old Zebra/OpenBGPD table dumps. */
export interface Bgp4mpEntryRecord<A = PathAttributes> extends MrtRecordBase {
  readonly kind: 'bgp4mp-entry';
  /** The collector's own AS and address. */
  readonly localAs: number;
  readonly localAddress: string;
  /** Interface Index. */
  readonly interfaceIndex: number;
  /** View Number. */
  readonly viewNumber: number;
  /** Status. */
  readonly status: number;
  /** AFI and SAFI of the prefix. */
  readonly afi: number;
  readonly safi: number;
  /** The Next Hop field bytes (4 or 16/32 bytes). */
  readonly nextHop: Uint8Array;
  /** The prefix. */
  readonly prefix: Prefix;
  /** The route (peer, originated time, attributes). */
  readonly entry: MrtRibEntry<A>;
}

/**
 * A BGP4MP or BGP4MP_ET message record (RFC 6396 section 4.4.2-4.4.3, RFC 8050 section 3): one BGP message as sent
 * or received, with the peering it belongs to. `message` is the whole BGP message, header included.
 */
export interface Bgp4mpMessageRecord extends MrtRecordBase {
  readonly kind: 'bgp4mp-message';
  /** The remote peer's AS and address (for `_LOCAL` subtypes, still the remote side). */
  readonly peerAs: number;
  readonly peerAddress: string;
  /** The collector's AS and address. */
  readonly localAs: number;
  readonly localAddress: string;
  /** Interface Index. */
  readonly interfaceIndex: number;
  /** Address Family of the peering (1 IPv4, 2 IPv6; 0 when a Zebra OPEN record left the addresses out). */
  readonly afi: number;
  /** True for the `_AS4` subtypes: AS numbers in the record and in the message are 4 octets. */
  readonly isAs4: boolean;
  /** True for the `_LOCAL` subtypes: the collector sent the message rather than received it. */
  readonly isLocal: boolean;
  /** True for the `_ADDPATH` subtypes: NLRI carry Path Identifiers. */
  readonly isAddPath: boolean;
  /** The BGP message (marker, length, type, body): a view into the input. */
  readonly message: Uint8Array;
}

/** A BGP4MP or BGP4MP_ET state change (RFC 6396 sections 4.4.1 and 4.4.4). */
export interface Bgp4mpStateChangeRecord extends MrtRecordBase {
  readonly kind: 'bgp4mp-state-change';
  readonly peerAs: number;
  readonly peerAddress: string;
  readonly localAs: number;
  readonly localAddress: string;
  readonly interfaceIndex: number;
  /** Address Family (1 or 2). */
  readonly afi: number;
  /** True for STATE_CHANGE_AS4. */
  readonly isAs4: boolean;
  /** Old and new BGP FSM state (1 Idle, 2 Connect, 3 Active, 4 OpenSent, 5 OpenConfirm, 6 Established). */
  readonly oldState: number;
  readonly newState: number;
}

/**
 * A message of the deprecated BGP, BGP4PLUS and BGP4PLUS_01 types (RFC 6396 appendix B): UPDATE, OPEN, NOTIFY and
 * KEEPALIVE subtypes. `body` is the BGP message without its 19-byte header; `messageType` is the BGP type it had.
 */
export interface BgpMessageRecord extends MrtRecordBase {
  readonly kind: 'bgp-message';
  readonly peerAs: number;
  readonly peerAddress: string;
  readonly localAs: number;
  readonly localAddress: string;
  /** The BGP message type (1 OPEN, 2 UPDATE, 3 NOTIFICATION, 4 KEEPALIVE). */
  readonly messageType: number;
  /** The message body (after the BGP header): a view into the input. */
  readonly body: Uint8Array;
}

/** A state change of the deprecated BGP types (subtype 3). */
export interface BgpStateChangeRecord extends MrtRecordBase {
  readonly kind: 'bgp-state-change';
  readonly peerAs: number;
  readonly peerAddress: string;
  readonly oldState: number;
  readonly newState: number;
}

/** A record of a type or subtype this reader does not interpret (OSPF, IS-IS, deprecated ones): kept raw. */
export interface UnknownMrtRecord extends MrtRecordBase {
  readonly kind: 'unknown';
  /** The record body: a view into the input. */
  readonly body: Uint8Array;
}

/** Any MRT record the reader yields, discriminated by `kind`. */
export type MrtRecord<A = PathAttributes> =
  | PeerIndexTableRecord
  | RibRecord<A>
  | TableDumpRecord<A>
  | Bgp4mpEntryRecord<A>
  | Bgp4mpMessageRecord
  | Bgp4mpStateChangeRecord
  | BgpMessageRecord
  | BgpStateChangeRecord
  | UnknownMrtRecord;

/**
 * One prefix of a record, flattened: a RIB entry (`rib`), or a prefix announced or withdrawn by an UPDATE
 * (`announce`, `withdraw`).
 */
export interface MrtPrefixEntry<A = PathAttributes> {
  readonly kind: 'rib' | 'announce' | 'withdraw';
  /** The record's timestamp, seconds since the Unix epoch. */
  readonly timestamp: number;
  /** Microseconds of the `_ET` types, else 0. */
  readonly microseconds: number;
  /** The peer (for messages: the remote side). */
  readonly peer: MrtPeer;
  /** The prefix. */
  readonly prefix: Prefix;
  /** ADD-PATH Path Identifier, else undefined. */
  readonly pathId: number | undefined;
  /** The path attributes (undefined for withdrawals). */
  readonly attributes: A | undefined;
}
