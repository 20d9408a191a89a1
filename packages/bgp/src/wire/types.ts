import type { BgpDecodeError } from '../errors';

/**
 * One NLRI prefix as carried on the wire (RFC 4271 section 4.3, RFC 4760 section 5), in a flat, allocation-light form:
 * an IPv4 address is the unsigned 32-bit number in `address0`; an IPv6 address is four unsigned 32-bit words
 * `address0..address3` (most significant first). Bits beyond `length` are always zero.
 */
export interface Prefix {
  /** 1 for IPv4, 2 for IPv6 (the AFI). */
  readonly afi: number;
  /** Prefix length in bits (0..32 for IPv4, 0..128 for IPv6). */
  readonly length: number;
  /** IPv4: the address; IPv6: bits 0..31. Unsigned. */
  readonly address0: number;
  /** IPv6 bits 32..63 (0 for IPv4). */
  readonly address1: number;
  /** IPv6 bits 64..95 (0 for IPv4). */
  readonly address2: number;
  /** IPv6 bits 96..127 (0 for IPv4). */
  readonly address3: number;
  /** ADD-PATH Path Identifier (RFC 7911 section 3), or undefined when the family carries none. */
  readonly pathId: number | undefined;
}

/** Negotiated session state that changes how messages are encoded and decoded. */
export interface SessionContext {
  /** True once both sides advertised the 4-octet AS capability (RFC 6793): AS_PATH and AGGREGATOR use 4-octet ASNs. */
  readonly fourOctetAsn: boolean;
  /**
   * AFI/SAFI pairs ({@link familyKey}) whose NLRI carry ADD-PATH Path Identifiers in this direction (RFC 7911):
   * for decoding, the families we receive paths for; for encoding, those we send paths for.
   */
  readonly addPath: ReadonlySet<number>;
  /** True once RFC 8654 extended messages are negotiated: messages up to 65535 bytes. */
  readonly extendedMessage: boolean;
  /**
   * True when the peer is in another AS (EBGP). Enables RFC 7606 section 7.5 (LOCAL_PREF from an external peer is
   * discarded) and section 7.2 (AS_CONFED segments from an external peer mean treat-as-withdraw). Default false.
   */
  readonly isExternalPeer?: boolean;
}

/** Options for {@link decodePathAttributes}. */
export interface DecodeAttributesOptions {
  /** AS_PATH and AGGREGATOR carry 4-octet ASNs (RFC 6793). */
  readonly fourOctetAsn: boolean;
  /** AFI/SAFI pairs ({@link familyKey}) whose MP_REACH/MP_UNREACH NLRI carry ADD-PATH Path Identifiers. */
  readonly addPath: ReadonlySet<number>;
  /**
   * RFC 6396 section 4.3.4: in TABLE_DUMP_V2 RIB entries the MP_REACH_NLRI attribute holds only the next hop length
   * and next hop. When true, such an abbreviated attribute is decoded (a full one is still accepted).
   */
  readonly mrtAbbreviatedMpReach?: boolean;
  /** AFI of the RIB the abbreviated MP_REACH_NLRI belongs to (default: guessed from the next hop length). */
  readonly mrtAfi?: number;
  /** SAFI of the RIB the abbreviated MP_REACH_NLRI belongs to (default 1, unicast). */
  readonly mrtSafi?: number;
  /** The peer is external (see {@link SessionContext.isExternalPeer}). */
  readonly isExternalPeer?: boolean;
}

/** Options for {@link encodePathAttributes}. */
export interface EncodeAttributesOptions {
  /** Encode AS_PATH and AGGREGATOR with 4-octet ASNs (RFC 6793). */
  readonly fourOctetAsn: boolean;
  /** AFI/SAFI pairs ({@link familyKey}) whose MP_REACH/MP_UNREACH NLRI get ADD-PATH Path Identifiers. */
  readonly addPath: ReadonlySet<number>;
  /**
   * Passing the attributes on to another peer (RFC 4271 section 5): unrecognized optional transitive attributes get
   * the Partial bit, unrecognized optional non-transitive ones are dropped. Default false (re-encode as received).
   */
  readonly propagate?: boolean;
  /** Write the RFC 6396 section 4.3.4 abbreviated MP_REACH_NLRI (next hop only) used in TABLE_DUMP_V2 RIB entries. */
  readonly mrtAbbreviatedMpReach?: boolean;
}

/** One AS_PATH or AS4_PATH segment (RFC 4271 section 4.3, RFC 5065 section 3). */
export interface AsPathSegment {
  /** 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET ({@link AsPathSegmentType}). */
  readonly type: number;
  /** The AS numbers, unsigned 32-bit. */
  readonly asns: readonly number[];
}

/** The AGGREGATOR or AS4_AGGREGATOR attribute (RFC 4271 section 5.1.7, RFC 6793). */
export interface Aggregator {
  /** The aggregating AS (unsigned 32-bit; 23456 AS_TRANS in a 2-octet session when the real one is larger). */
  readonly asn: number;
  /** The aggregating speaker's BGP Identifier / IPv4 address, unsigned 32-bit. */
  readonly address: number;
}

/** An RFC 8092 Large Community: three unsigned 32-bit numbers. */
export interface LargeCommunity {
  /** Global Administrator: the ASN that defines the community. */
  readonly globalAdministrator: number;
  /** Local Data Part 1, as the administrator defines it. */
  readonly localData1: number;
  /** Local Data Part 2, as the administrator defines it. */
  readonly localData2: number;
}

/**
 * An 8-byte Extended Community (RFC 4360) as two unsigned 32-bit halves: `high` holds the type (bits 24..31 of
 * `high`), sub-type (bits 16..23) and the first 2 value bytes; `low` the last 4 value bytes.
 */
export interface ExtendedCommunity {
  /** Bytes 0..3: type, sub-type and the first two value bytes, unsigned 32-bit. */
  readonly high: number;
  /** Bytes 4..7: the last four value bytes, unsigned 32-bit. */
  readonly low: number;
}

/** A 20-byte IPv6 Address Specific Extended Community (RFC 5701). */
export interface Ipv6ExtendedCommunity {
  /** Type high octet (0x00 transitive, 0x40 non-transitive). */
  readonly type: number;
  /** Sub-type (0x02 route target, 0x03 route origin, ...). */
  readonly subtype: number;
  /** The IPv6 Global Administrator, 16 bytes. */
  readonly globalAdministrator: Uint8Array;
  /** The 2-byte Local Administrator. */
  readonly localAdministrator: number;
}

/** One TLV of the AIGP attribute (RFC 7311 section 3); type 1 is the AIGP metric (8 bytes). */
export interface AigpTlv {
  /** TLV type (1 is the AIGP metric). */
  readonly type: number;
  /** TLV value (8 bytes for type 1); the wire length is this plus the 3-byte header. */
  readonly value: Uint8Array;
}

/**
 * MP_REACH_NLRI (RFC 4760 section 3). `nextHop` is the Network Address of Next Hop field as sent: 4 bytes (IPv4),
 * 16 (IPv6 global), 32 (IPv6 global + link-local, RFC 2545 section 3), or other lengths for other families.
 */
export interface MpReachNlri {
  /** Address Family Identifier of the NLRI. */
  readonly afi: number;
  /** Subsequent Address Family Identifier of the NLRI. */
  readonly safi: number;
  /** The next hop field bytes (see {@link nextHopAddresses} to split global and link-local). */
  readonly nextHop: Uint8Array;
  /** Decoded prefixes for IPv4/IPv6 unicast and multicast; empty for families this codec keeps raw. */
  readonly nlri: readonly Prefix[];
  /** The raw NLRI bytes of a family this codec does not decode (EVPN, flowspec, VPN...), else undefined. */
  readonly nlriData: Uint8Array | undefined;
  /**
   * The Reserved byte after the next hop (RFC 4760 section 3: sent as 0, ignored on receipt), present only when a
   * peer sent a non-zero value, so the attribute re-encodes byte-exact.
   */
  readonly reserved?: number;
}

/** MP_UNREACH_NLRI (RFC 4760 section 4). */
export interface MpUnreachNlri {
  /** Address Family Identifier of the withdrawn routes. */
  readonly afi: number;
  /** Subsequent Address Family Identifier of the withdrawn routes. */
  readonly safi: number;
  /** Decoded withdrawn prefixes for IPv4/IPv6 unicast and multicast. */
  readonly withdrawn: readonly Prefix[];
  /** The raw withdrawn-routes bytes of a family this codec does not decode, else undefined. */
  readonly withdrawnData: Uint8Array | undefined;
}

/** A path attribute this codec does not interpret, kept byte-exact with its flags. */
export interface UnknownAttribute {
  /** Attribute Flags as received (RFC 4271 section 4.3); the Extended Length bit is recomputed on encode. */
  readonly flags: number;
  /** Attribute Type Code. */
  readonly typeCode: number;
  /** Attribute value bytes, as received. */
  readonly value: Uint8Array;
}

/**
 * Every path attribute of an UPDATE (or MRT RIB entry), decoded. Missing attributes are undefined. The object is
 * immutable by convention, so identical attribute bytes can be decoded once and the result shared.
 */
export interface PathAttributes {
  /** ORIGIN (RFC 4271 section 5.1.1): 0 IGP, 1 EGP, 2 INCOMPLETE. */
  readonly origin: number | undefined;
  /** AS_PATH segments as received (2- or 4-octet per the session); see {@link effectiveAsPath} for the RFC 6793 merge. */
  readonly asPath: readonly AsPathSegment[] | undefined;
  /** NEXT_HOP (RFC 4271 section 5.1.3), IPv4 address as unsigned 32-bit. */
  readonly nextHop: number | undefined;
  /** MULTI_EXIT_DISC, unsigned 32-bit. */
  readonly multiExitDisc: number | undefined;
  /** LOCAL_PREF, unsigned 32-bit. */
  readonly localPref: number | undefined;
  /** ATOMIC_AGGREGATE present. */
  readonly atomicAggregate: boolean;
  /** AGGREGATOR (2- or 4-octet ASN per the session). */
  readonly aggregator: Aggregator | undefined;
  /** COMMUNITIES (RFC 1997), unsigned 32-bit values. */
  readonly communities: readonly number[] | undefined;
  /** ORIGINATOR_ID (RFC 4456), unsigned 32-bit. */
  readonly originatorId: number | undefined;
  /** CLUSTER_LIST (RFC 4456), unsigned 32-bit cluster ids. */
  readonly clusterList: readonly number[] | undefined;
  /** MP_REACH_NLRI (RFC 4760). */
  readonly mpReach: MpReachNlri | undefined;
  /** MP_UNREACH_NLRI (RFC 4760). */
  readonly mpUnreach: MpUnreachNlri | undefined;
  /** EXTENDED_COMMUNITIES (RFC 4360). */
  readonly extendedCommunities: readonly ExtendedCommunity[] | undefined;
  /** IPv6 Address Specific Extended Communities (RFC 5701). */
  readonly ipv6ExtendedCommunities: readonly Ipv6ExtendedCommunity[] | undefined;
  /** AS4_PATH (RFC 6793), always 4-octet. */
  readonly as4Path: readonly AsPathSegment[] | undefined;
  /** AS4_AGGREGATOR (RFC 6793). */
  readonly as4Aggregator: Aggregator | undefined;
  /** AIGP TLVs (RFC 7311). */
  readonly aigp: readonly AigpTlv[] | undefined;
  /** LARGE_COMMUNITY (RFC 8092). */
  readonly largeCommunities: readonly LargeCommunity[] | undefined;
  /** OTC, Only to Customer (RFC 9234 section 5), the ASN. */
  readonly onlyToCustomer: number | undefined;
  /** Attributes not interpreted here, byte-exact with flags, in received order. */
  readonly unknown: readonly UnknownAttribute[];
  /**
   * How the attributes were laid out on the wire, for byte-exact re-encoding: one entry per attribute in received
   * order, `typeCode | flags << 8`. Undefined for attributes built in code (then ascending type order and canonical
   * flags are used).
   */
  readonly layout: readonly number[] | undefined;
  /** RFC 7606 problems found while decoding (none fatal: session-reset cases throw). */
  readonly errors: readonly BgpDecodeError[];
  /** RFC 7606: the UPDATE's NLRI must be treated as withdrawn (section 2, "treat-as-withdraw"). */
  readonly treatAsWithdraw: boolean;
}

/** The OPEN message (RFC 4271 section 4.2). */
export interface OpenMessage {
  /** Message type 1. */
  readonly type: 1;
  /** BGP version, 4. */
  readonly version: number;
  /** My Autonomous System (2 bytes; AS_TRANS 23456 when the real ASN needs 4 octets, RFC 6793 section 4.1). */
  readonly myAutonomousSystem: number;
  /** Hold Time in seconds. */
  readonly holdTimeSeconds: number;
  /** BGP Identifier, unsigned 32-bit. */
  readonly bgpIdentifier: number;
  /** Optional parameters in received order. */
  readonly optionalParameters: readonly OptionalParameter[];
  /** True when the parameters are encoded in the RFC 9072 extended format. */
  readonly extendedOptionalParameters: boolean;
}

/** An OPEN optional parameter: a Capabilities parameter (type 2) or another kept raw. */
export type OptionalParameter = CapabilitiesParameter | UnknownOptionalParameter;

/** The Capabilities optional parameter (RFC 5492 section 4), possibly holding several capabilities. */
export interface CapabilitiesParameter {
  /** Parameter Type 2. */
  readonly type: 2;
  /** The capabilities in this parameter, in order. */
  readonly capabilities: readonly Capability[];
}

/** An optional parameter other than Capabilities, kept byte-exact. */
export interface UnknownOptionalParameter {
  /** Parameter Type. */
  readonly type: number;
  /** Parameter Value bytes. */
  readonly value: Uint8Array;
}

/** A BGP capability (RFC 5492) decoded, or kept raw when unknown. */
export type Capability =
  | MultiprotocolCapability
  | EmptyCapability
  | ExtendedNextHopCapability
  | RoleCapability
  | GracefulRestartCapability
  | FourOctetAsnCapability
  | AddPathCapability
  | LongLivedGracefulRestartCapability
  | FqdnCapability
  | UnknownCapability;

/** Multiprotocol Extensions (RFC 4760 section 8). */
export interface MultiprotocolCapability {
  /** Capability Code 1. */
  readonly code: 1;
  /** Address Family Identifier supported. */
  readonly afi: number;
  /** Subsequent Address Family Identifier supported. */
  readonly safi: number;
}

/** Capabilities with no value: route refresh (2), extended message (6), enhanced route refresh (70). */
export interface EmptyCapability {
  /** Capability Code: 2 route refresh, 6 extended message, 70 enhanced route refresh. */
  readonly code: 2 | 6 | 70;
}

/** Extended Next Hop Encoding (RFC 8950 section 3): NLRI AFI/SAFI that may use a next hop of another AFI. */
export interface ExtendedNextHopCapability {
  /** Capability Code 5. */
  readonly code: 5;
  /** NLRI AFI/SAFI and the next hop AFI it may use. */
  readonly entries: readonly { readonly afi: number; readonly safi: number; readonly nextHopAfi: number }[];
}

/** BGP Role (RFC 9234 section 4.1). */
export interface RoleCapability {
  /** Capability Code 9. */
  readonly code: 9;
  /** {@link BgpRole}: 0 provider, 1 route server, 2 RS client, 3 customer, 4 peer. */
  readonly role: number;
}

/** Graceful Restart (RFC 4724 section 3). */
export interface GracefulRestartCapability {
  /** Capability Code 64. */
  readonly code: 64;
  /** Restart Flags, 4 bits (0x8 Restart State R, 0x4 Notification N of RFC 8538). */
  readonly restartFlags: number;
  /** Restart Time in seconds (12 bits). */
  readonly restartTimeSeconds: number;
  /** Per family: the Forwarding State flags (0x80 F bit). */
  readonly families: readonly { readonly afi: number; readonly safi: number; readonly flags: number }[];
}

/** Support for 4-octet AS numbers (RFC 6793 section 3). */
export interface FourOctetAsnCapability {
  /** Capability Code 65. */
  readonly code: 65;
  /** The speaker's real (4-octet) AS number. */
  readonly asn: number;
}

/** ADD-PATH (RFC 7911 section 4). */
export interface AddPathCapability {
  /** Capability Code 69. */
  readonly code: 69;
  /** Per family: 1 receive, 2 send, 3 both ({@link AddPathDirection}). */
  readonly families: readonly { readonly afi: number; readonly safi: number; readonly sendReceive: number }[];
}

/** Long-Lived Graceful Restart (RFC 9494 section 2). */
export interface LongLivedGracefulRestartCapability {
  /** Capability Code 71. */
  readonly code: 71;
  /** Per family: flags (0x80 F bit) and the Long-Lived Stale Time in seconds (24 bits). */
  readonly families: readonly {
    readonly afi: number;
    readonly safi: number;
    readonly flags: number;
    readonly staleTimeSeconds: number;
  }[];
}

/** Hostname / FQDN capability (draft-walton-bgp-hostname-capability). */
export interface FqdnCapability {
  /** Capability Code 73. */
  readonly code: 73;
  /** Host name (UTF-8, at most 255 bytes). */
  readonly hostname: string;
  /** Domain name (UTF-8, at most 255 bytes). */
  readonly domainName: string;
}

/** A capability this codec does not interpret (or one whose value is malformed), byte-exact. */
export interface UnknownCapability {
  /** Capability Code. */
  readonly code: number;
  /** Capability Value bytes, as received. */
  readonly value: Uint8Array;
  /** Marks the raw form; absent on decoded capabilities. */
  readonly raw: true;
}

/** The UPDATE message (RFC 4271 section 4.3) with RFC 7606 findings. */
export interface UpdateMessage {
  /** Message type 2. */
  readonly type: 2;
  /** Withdrawn Routes (IPv4 unicast). */
  readonly withdrawn: readonly Prefix[];
  /** The path attributes (shared, immutable). */
  readonly attributes: PathAttributes;
  /** Network Layer Reachability Information (IPv4 unicast). */
  readonly nlri: readonly Prefix[];
  /** Non-fatal RFC 7606 findings for the whole UPDATE (attribute errors and NLRI notes). */
  readonly errors: readonly BgpDecodeError[];
  /** RFC 7606: every prefix announced in this UPDATE must be treated as withdrawn. */
  readonly treatAsWithdraw: boolean;
}

/** The KEEPALIVE message (RFC 4271 section 4.4). */
export interface KeepaliveMessage {
  /** Message type 4. */
  readonly type: 4;
}

/**
 * The NOTIFICATION message (RFC 4271 section 4.5). `data` is kept byte-exact; the fields after it are decoded from it
 * where an RFC defines the data.
 */
export interface NotificationMessage {
  /** Message type 3. */
  readonly type: 3;
  /** Error Code ({@link NotificationCode}). */
  readonly code: number;
  /** Error Subcode, within the code. */
  readonly subcode: number;
  /** Data bytes, as received. */
  readonly data: Uint8Array;
  /** Cease / Administrative Shutdown or Reset: the RFC 9003 Shutdown Communication (UTF-8), when well-formed. */
  readonly shutdownCommunication: string | undefined;
  /** Cease / Hard Reset (RFC 8538 section 3): the encapsulated NOTIFICATION code, subcode and data. */
  readonly hardReset: HardResetCause | undefined;
  /** Cease / Maximum Number of Prefixes Reached (RFC 4486 section 4): the family and the configured limit. */
  readonly maximumPrefixes: { readonly afi: number; readonly safi: number; readonly upperBound: number } | undefined;
  /** RFC 4271 section 6 / RFC 5492 data decoded (offending length, type, version, capabilities or attribute). */
  readonly details: NotificationDetails | undefined;
  /** True when an RFC defines the data of this code/subcode but the data does not follow it. */
  readonly isDataMalformed: boolean;
}

/**
 * The data of a NOTIFICATION as RFC 4271 section 6 and RFC 5492 section 3 define it:
 * - `bad-message-length` (1/2): the erroneous Length field;
 * - `bad-message-type` (1/3): the erroneous Type field;
 * - `supported-version` (2/1): the largest version the sender supports;
 * - `unsupported-capabilities` (2/7): the capabilities the sender does not support;
 * - `missing-attribute` (3/3): the type code of the missing well-known attribute;
 * - `attribute` (3/2, 3/4, 3/5, 3/6, 3/8, 3/9): the erroneous attribute (flags, type, value).
 */
export type NotificationDetails =
  | { readonly kind: 'bad-message-length'; readonly length: number }
  | { readonly kind: 'bad-message-type'; readonly messageType: number }
  | { readonly kind: 'supported-version'; readonly version: number }
  | { readonly kind: 'unsupported-capabilities'; readonly capabilities: readonly Capability[] }
  | { readonly kind: 'missing-attribute'; readonly typeCode: number }
  | { readonly kind: 'attribute'; readonly flags: number; readonly typeCode: number; readonly value: Uint8Array };

/** The NOTIFICATION wrapped in an RFC 8538 Hard Reset. */
export interface HardResetCause {
  /** The wrapped Error Code. */
  readonly code: number;
  /** The wrapped Error Subcode. */
  readonly subcode: number;
  /** The wrapped Data. */
  readonly data: Uint8Array;
  /** The RFC 9003 Shutdown Communication inside, when the inner subcode defines one. */
  readonly shutdownCommunication: string | undefined;
}

/** The ROUTE-REFRESH message (RFC 2918 section 3, RFC 7313 section 3.2). */
export interface RouteRefreshMessage {
  /** Message type 5. */
  readonly type: 5;
  /** AFI of the routes asked for. */
  readonly afi: number;
  /** 0 request, 1 BoRR, 2 EoRR ({@link RouteRefreshSubtype}); the Reserved byte of RFC 2918. */
  readonly subtype: number;
  /** SAFI of the routes asked for. */
  readonly safi: number;
  /** ORF entries (RFC 5291) following the fixed part, raw; empty when none. */
  readonly orfData: Uint8Array;
}

/** Any BGP message, discriminated by `type`. */
export type BgpMessage = OpenMessage | UpdateMessage | NotificationMessage | KeepaliveMessage | RouteRefreshMessage;
