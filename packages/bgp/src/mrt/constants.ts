/**
 * MRT record types (RFC 6396 section 4 and the deprecated types of section 4 and appendix B), as numbers.
 *
 * @example
 * if (header.type === MrtType.TABLE_DUMP_V2) { ... }
 */
export const MrtType = {
  /** Deprecated (RFC 6396 appendix B): no record body. */
  NULL: 0,
  /** Deprecated: collector start. */
  START: 1,
  /** Deprecated: collector stop. */
  DIE: 2,
  /** Deprecated: collector about to die. */
  I_AM_DEAD: 3,
  /** Deprecated: a peer went down. */
  PEER_DOWN: 4,
  /** Deprecated: BGP messages and state changes with 2-octet AS and IPv4 peers (used by RIS in 1999-2000). */
  BGP: 5,
  /** Deprecated: RIP. */
  RIP: 6,
  /** Deprecated: IDRP. */
  IDRP: 7,
  /** Deprecated: RIPng. */
  RIPNG: 8,
  /** Deprecated: like {@link MrtType.BGP} with IPv6 peer addresses. */
  BGP4PLUS: 9,
  /** Deprecated: like {@link MrtType.BGP4PLUS} (a draft-compatible variant). */
  BGP4PLUS_01: 10,
  /** OSPFv2 (RFC 6396 section 4.1). */
  OSPFV2: 11,
  /** TABLE_DUMP (RFC 6396 section 4.2). */
  TABLE_DUMP: 12,
  /** TABLE_DUMP_V2 (RFC 6396 section 4.3). */
  TABLE_DUMP_V2: 13,
  /** BGP4MP (RFC 6396 section 4.4). */
  BGP4MP: 16,
  /** BGP4MP with the extended (microsecond) timestamp header (RFC 6396 section 3). */
  BGP4MP_ET: 17,
  /** IS-IS (RFC 6396 section 4.5). */
  ISIS: 32,
  /** IS-IS with extended timestamp. */
  ISIS_ET: 33,
  /** OSPFv3 (RFC 6396 section 4.6). */
  OSPFV3: 48,
  /** OSPFv3 with extended timestamp. */
  OSPFV3_ET: 49,
} as const;

/** TABLE_DUMP subtypes (RFC 6396 section 4.2): the AFI of the entry; 3 and 4 are the 4-octet-AS variants some writers use. */
export const TableDumpSubtype = {
  AFI_IPV4: 1,
  AFI_IPV6: 2,
  AFI_IPV4_AS4: 3,
  AFI_IPV6_AS4: 4,
} as const;

/** TABLE_DUMP_V2 subtypes (RFC 6396 section 4.3, RFC 8050 section 4). */
export const TableDumpV2Subtype = {
  PEER_INDEX_TABLE: 1,
  RIB_IPV4_UNICAST: 2,
  RIB_IPV4_MULTICAST: 3,
  RIB_IPV6_UNICAST: 4,
  RIB_IPV6_MULTICAST: 5,
  RIB_GENERIC: 6,
  RIB_IPV4_UNICAST_ADDPATH: 8,
  RIB_IPV4_MULTICAST_ADDPATH: 9,
  RIB_IPV6_UNICAST_ADDPATH: 10,
  RIB_IPV6_MULTICAST_ADDPATH: 11,
  RIB_GENERIC_ADDPATH: 12,
} as const;

/** BGP4MP and BGP4MP_ET subtypes (RFC 6396 section 4.4, RFC 8050 section 3; 2 and 3 are deprecated). */
export const Bgp4mpSubtype = {
  STATE_CHANGE: 0,
  MESSAGE: 1,
  /** Deprecated: a RIB entry (written by old OpenBGPD / Zebra as a table dump). */
  ENTRY: 2,
  /** Deprecated: a snapshot file name. */
  SNAPSHOT: 3,
  MESSAGE_AS4: 4,
  STATE_CHANGE_AS4: 5,
  MESSAGE_LOCAL: 6,
  MESSAGE_AS4_LOCAL: 7,
  MESSAGE_ADDPATH: 8,
  MESSAGE_AS4_ADDPATH: 9,
  MESSAGE_LOCAL_ADDPATH: 10,
  MESSAGE_AS4_LOCAL_ADDPATH: 11,
} as const;

/** Subtypes of the deprecated BGP, BGP4PLUS and BGP4PLUS_01 types (RFC 6396 appendix B). */
export const BgpSubtype = {
  NULL: 0,
  UPDATE: 1,
  PREF_UPDATE: 2,
  STATE_CHANGE: 3,
  SYNC: 4,
  OPEN: 5,
  NOTIFY: 6,
  KEEPALIVE: 7,
} as const;

/** Address family identifiers used in MRT (IANA AFI numbers). */
export const Afi = { IPV4: 1, IPV6: 2 } as const;

/** Subsequent address family identifiers used in MRT (IANA SAFI numbers). */
export const Safi = { UNICAST: 1, MULTICAST: 2 } as const;

/** The MRT common header length in bytes (RFC 6396 section 2); the _ET types add a 4-byte microsecond field. */
export const MRT_HEADER_LENGTH = 12;

/** The printable name of an MRT type, e.g. `TABLE_DUMP_V2`, or `TYPE_<n>` for a type number with no name. */
export function mrtTypeName(type: number): string {
  for (const [name, value] of Object.entries(MrtType)) if (value === type) return name;
  return `TYPE_${type}`;
}

/** The printable name of an MRT subtype of a type, e.g. `RIB_IPV4_UNICAST`, or `SUBTYPE_<n>` when unnamed. */
export function mrtSubtypeName(type: number, subtype: number): string {
  const table: Readonly<Record<string, number>> | undefined =
    type === MrtType.TABLE_DUMP
      ? TableDumpSubtype
      : type === MrtType.TABLE_DUMP_V2
        ? TableDumpV2Subtype
        : type === MrtType.BGP4MP || type === MrtType.BGP4MP_ET
          ? Bgp4mpSubtype
          : type === MrtType.BGP || type === MrtType.BGP4PLUS || type === MrtType.BGP4PLUS_01
            ? BgpSubtype
            : undefined;
  if (table !== undefined) for (const [name, value] of Object.entries(table)) if (value === subtype) return name;
  return `SUBTYPE_${subtype}`;
}
