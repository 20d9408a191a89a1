/** BGP message type codes (RFC 4271 section 4.1, RFC 2918 section 3). */
export const MessageType = {
  Open: 1,
  Update: 2,
  Notification: 3,
  Keepalive: 4,
  RouteRefresh: 5,
} as const;

/** Length of the fixed BGP message header in bytes: 16-byte marker, 2-byte length, 1-byte type. */
export const headerLength = 19;
/** Largest BGP message without RFC 8654 extended messages, in bytes (RFC 4271 section 4.1). */
export const maximumMessageLength = 4096;
/** Largest BGP message once RFC 8654 extended messages are negotiated, in bytes. */
export const maximumExtendedMessageLength = 65535;

/** Path attribute type codes handled by this codec (IANA "BGP Path Attributes"). */
export const AttributeType = {
  Origin: 1,
  AsPath: 2,
  NextHop: 3,
  MultiExitDisc: 4,
  LocalPref: 5,
  AtomicAggregate: 6,
  Aggregator: 7,
  Communities: 8,
  OriginatorId: 9,
  ClusterList: 10,
  MpReachNlri: 14,
  MpUnreachNlri: 15,
  ExtendedCommunities: 16,
  As4Path: 17,
  As4Aggregator: 18,
  Ipv6ExtendedCommunities: 25,
  Aigp: 26,
  LargeCommunities: 32,
  OnlyToCustomer: 35,
} as const;

/** Path attribute flag bits (RFC 4271 section 4.3). */
export const AttributeFlag = {
  Optional: 0x80,
  Transitive: 0x40,
  Partial: 0x20,
  ExtendedLength: 0x10,
} as const;

/** Address Family Identifiers used on the wire (IANA). */
export const Afi = {
  Ipv4: 1,
  Ipv6: 2,
  L2vpn: 25,
  BgpLs: 16388,
} as const;

/** Subsequent Address Family Identifiers (IANA, RFC 4760). */
export const Safi = {
  Unicast: 1,
  Multicast: 2,
  LabeledUnicast: 4,
  MulticastVpn: 5,
  Evpn: 70,
  Vpn: 128,
  RouteTargetConstraint: 132,
  FlowSpec: 133,
  FlowSpecVpn: 134,
} as const;

/** ORIGIN attribute values (RFC 4271 section 5.1.1). */
export const Origin = {
  Igp: 0,
  Egp: 1,
  Incomplete: 2,
} as const;

/** AS_PATH segment types (RFC 4271 section 4.3, RFC 5065 section 3). */
export const AsPathSegmentType = {
  AsSet: 1,
  AsSequence: 2,
  AsConfedSequence: 3,
  AsConfedSet: 4,
} as const;

/** Optional parameter types of the OPEN message (RFC 5492, RFC 9072). */
export const OptionalParameterType = {
  Capabilities: 2,
  ExtendedLength: 255,
} as const;

/** Capability codes (IANA "Capability Codes"). */
export const CapabilityCode = {
  Multiprotocol: 1,
  RouteRefresh: 2,
  OutboundRouteFiltering: 3,
  ExtendedNextHop: 5,
  ExtendedMessage: 6,
  Role: 9,
  GracefulRestart: 64,
  FourOctetAsn: 65,
  AddPath: 69,
  EnhancedRouteRefresh: 70,
  LongLivedGracefulRestart: 71,
  Fqdn: 73,
} as const;

/** ADD-PATH Send/Receive field values (RFC 7911 section 4). */
export const AddPathDirection = {
  Receive: 1,
  Send: 2,
  Both: 3,
} as const;

/** BGP Role values (RFC 9234 section 4.1). */
export const BgpRole = {
  Provider: 0,
  RouteServer: 1,
  RouteServerClient: 2,
  Customer: 3,
  Peer: 4,
} as const;

/** ROUTE-REFRESH message subtypes (RFC 7313 section 3.2; 0 is the plain RFC 2918 request). */
export const RouteRefreshSubtype = {
  Request: 0,
  BeginningOfRouteRefresh: 1,
  EndOfRouteRefresh: 2,
} as const;

/** NOTIFICATION error codes (RFC 4271 section 4.5, RFC 6608, RFC 7313). */
export const NotificationCode = {
  MessageHeaderError: 1,
  OpenMessageError: 2,
  UpdateMessageError: 3,
  HoldTimerExpired: 4,
  FiniteStateMachineError: 5,
  Cease: 6,
  RouteRefreshMessageError: 7,
} as const;

/** Message Header Error subcodes (RFC 4271 section 6.1). */
export const MessageHeaderErrorSubcode = {
  ConnectionNotSynchronized: 1,
  BadMessageLength: 2,
  BadMessageType: 3,
} as const;

/** OPEN Message Error subcodes (RFC 4271 section 6.2, RFC 5492, RFC 9234). */
export const OpenMessageErrorSubcode = {
  UnsupportedVersionNumber: 1,
  BadPeerAs: 2,
  BadBgpIdentifier: 3,
  UnsupportedOptionalParameter: 4,
  UnacceptableHoldTime: 6,
  UnsupportedCapability: 7,
  RoleMismatch: 11,
} as const;

/** UPDATE Message Error subcodes (RFC 4271 section 6.3). */
export const UpdateMessageErrorSubcode = {
  MalformedAttributeList: 1,
  UnrecognizedWellKnownAttribute: 2,
  MissingWellKnownAttribute: 3,
  AttributeFlagsError: 4,
  AttributeLengthError: 5,
  InvalidOriginAttribute: 6,
  InvalidNextHopAttribute: 8,
  OptionalAttributeError: 9,
  InvalidNetworkField: 10,
  MalformedAsPath: 11,
} as const;

/** Finite State Machine Error subcodes (RFC 6608 section 3). */
export const FiniteStateMachineErrorSubcode = {
  UnspecifiedError: 0,
  UnexpectedMessageInOpenSent: 1,
  UnexpectedMessageInOpenConfirm: 2,
  UnexpectedMessageInEstablished: 3,
} as const;

/** Cease subcodes (RFC 4486 section 4, RFC 8538 section 5, RFC 9384). */
export const CeaseSubcode = {
  MaximumNumberOfPrefixesReached: 1,
  AdministrativeShutdown: 2,
  PeerDeconfigured: 3,
  AdministrativeReset: 4,
  ConnectionRejected: 5,
  OtherConfigurationChange: 6,
  ConnectionCollisionResolution: 7,
  OutOfResources: 8,
  HardReset: 9,
  BfdDown: 10,
} as const;

/** ROUTE-REFRESH Message Error subcodes (RFC 7313 section 5). */
export const RouteRefreshMessageErrorSubcode = {
  InvalidMessageLength: 1,
} as const;

const notificationCodeNames: readonly string[] = [
  'Unknown',
  'Message Header Error',
  'OPEN Message Error',
  'UPDATE Message Error',
  'Hold Timer Expired',
  'Finite State Machine Error',
  'Cease',
  'ROUTE-REFRESH Message Error',
];

const notificationSubcodeNames: Readonly<Record<number, readonly (string | undefined)[]>> = {
  1: [undefined, 'Connection Not Synchronized', 'Bad Message Length', 'Bad Message Type'],
  2: [
    'Unspecific',
    'Unsupported Version Number',
    'Bad Peer AS',
    'Bad BGP Identifier',
    'Unsupported Optional Parameter',
    'Authentication Failure (deprecated)',
    'Unacceptable Hold Time',
    'Unsupported Capability',
    undefined,
    undefined,
    undefined,
    'Role Mismatch',
  ],
  3: [
    'Unspecific',
    'Malformed Attribute List',
    'Unrecognized Well-known Attribute',
    'Missing Well-known Attribute',
    'Attribute Flags Error',
    'Attribute Length Error',
    'Invalid ORIGIN Attribute',
    'AS Routing Loop (deprecated)',
    'Invalid NEXT_HOP Attribute',
    'Optional Attribute Error',
    'Invalid Network Field',
    'Malformed AS_PATH',
  ],
  5: [
    'Unspecified Error',
    'Receive Unexpected Message in OpenSent State',
    'Receive Unexpected Message in OpenConfirm State',
    'Receive Unexpected Message in Established State',
  ],
  6: [
    undefined,
    'Maximum Number of Prefixes Reached',
    'Administrative Shutdown',
    'Peer De-configured',
    'Administrative Reset',
    'Connection Rejected',
    'Other Configuration Change',
    'Connection Collision Resolution',
    'Out of Resources',
    'Hard Reset',
    'BFD Down',
  ],
  7: [undefined, 'Invalid Message Length'],
};

/**
 * The IANA name of a NOTIFICATION error code.
 *
 * @example
 * notificationCodeName(6); // 'Cease'
 */
export function notificationCodeName(code: number): string {
  return notificationCodeNames[code] ?? `Unknown (${code})`;
}

/**
 * The IANA name of a NOTIFICATION error subcode within its code.
 *
 * @example
 * notificationSubcodeName(6, 9); // 'Hard Reset'
 */
export function notificationSubcodeName(code: number, subcode: number): string {
  return notificationSubcodeNames[code]?.[subcode] ?? (subcode === 0 ? 'Unspecific' : `Unknown (${subcode})`);
}

/** Well-known communities (RFC 1997, RFC 3765, RFC 7999, RFC 8326, RFC 8642, RFC 9494), as 32-bit values. */
export const WellKnownCommunity = {
  GracefulShutdown: 0xffff0000,
  AcceptOwn: 0xffff0001,
  LlgrStale: 0xffff0006,
  NoLlgr: 0xffff0007,
  AcceptOwnNexthop: 0xffff0008,
  Blackhole: 0xffff029a,
  NoExport: 0xffffff01,
  NoAdvertise: 0xffffff02,
  NoExportSubconfed: 0xffffff03,
  NoPeer: 0xffffff04,
} as const;

const wellKnownCommunityNames: ReadonlyMap<number, string> = new Map([
  [WellKnownCommunity.GracefulShutdown, 'GRACEFUL_SHUTDOWN'],
  [WellKnownCommunity.AcceptOwn, 'ACCEPT_OWN'],
  [WellKnownCommunity.LlgrStale, 'LLGR_STALE'],
  [WellKnownCommunity.NoLlgr, 'NO_LLGR'],
  [WellKnownCommunity.AcceptOwnNexthop, 'ACCEPT_OWN_NEXTHOP'],
  [WellKnownCommunity.Blackhole, 'BLACKHOLE'],
  [WellKnownCommunity.NoExport, 'NO_EXPORT'],
  [WellKnownCommunity.NoAdvertise, 'NO_ADVERTISE'],
  [WellKnownCommunity.NoExportSubconfed, 'NO_EXPORT_SUBCONFED'],
  [WellKnownCommunity.NoPeer, 'NOPEER'],
]);

/**
 * The IANA name of a well-known community, or undefined for an ordinary one.
 *
 * @example
 * wellKnownCommunityName(0xffff029a); // 'BLACKHOLE'
 */
export function wellKnownCommunityName(community: number): string | undefined {
  return wellKnownCommunityNames.get(community);
}

/**
 * A community as text: its well-known name, or `ASN:value` (RFC 1997).
 *
 * @example
 * formatCommunity(0xfde80064); // '65000:100'
 */
export function formatCommunity(community: number): string {
  return wellKnownCommunityName(community) ?? `${community >>> 16}:${community & 0xffff}`;
}

/**
 * A key for an AFI/SAFI pair (`afi * 256 + safi`), used in ADD-PATH sets and maps.
 *
 * @example
 * familyKey(Afi.Ipv6, Safi.Unicast); // 513
 */
export function familyKey(afi: number, safi: number): number {
  return afi * 256 + safi;
}
