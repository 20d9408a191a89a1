import { type IpAddress } from '../address/ip';
import { Prefix } from '../address/prefix';
import {
  type Aggregator,
  type AsPathSegment,
  AttributeSet,
  type AttributeSetInit,
  type LargeCommunity,
  type Origin,
} from './attributes';

/** How a path was learned: from an external peer, an internal peer, or originated by this router. */
export type PeerType = 'ebgp' | 'ibgp' | 'local';

/** Where a path came from (RFC 4271 9.1.2.2 compares the peer type, BGP Identifier and peer address). */
export interface PathSource {
  /** The peer id inside the RIB (0 is the RIB itself: locally originated routes). */
  readonly peerId: number;
  /** eBGP, iBGP or local. */
  readonly peerType: PeerType;
  /** The peer's transport address. */
  readonly peerAddress: IpAddress;
  /** The peer's BGP Identifier (router id) as a uint32. */
  readonly peerRouterId: number;
  /** The peer's AS number. */
  readonly peerAs: number;
  /** When the path was received, in milliseconds of the RIB's clock. */
  readonly receivedTime: number;
}

/**
 * A route: a prefix and its path attributes, plus, for routes read back from a RIB, where the path came from. Immutable:
 * the `with*` methods return a new route.
 *
 * @example
 * const route = new BgpRoute('10.0.0.0/24', '192.168.1.1', [65001, 65002]).withLocalPref(150).withMed(10);
 * route.nextHop; // '192.168.1.1'
 * route.attributes.asPathLength; // 2
 */
export class BgpRoute {
  /** The destination prefix. */
  readonly prefix: Prefix;
  /** The (interned when read from a RIB) path attributes. */
  readonly attributes: AttributeSet;
  /** The path's source for a route read from a RIB; undefined for a route you made. */
  readonly source: PathSource | undefined;

  /**
   * @param prefix - `address/length` text or a {@link Prefix}
   * @param nextHop - the NEXT_HOP address, text or {@link IpAddress}; or a whole {@link AttributeSet} (then `asPath`
   *   and `attributes` are ignored)
   * @param asPath - AS numbers (one AS_SEQUENCE, nearest AS first) or explicit segments
   * @param attributes - the other attributes
   * @param source - where the path came from (set by the RIB on routes it returns)
   * @throws {@link InvalidPrefixError}, {@link InvalidAddressError} or {@link InvalidAttributeError} for bad input
   */
  constructor(
    prefix: Prefix | string,
    nextHop: IpAddress | string | AttributeSet,
    asPath: readonly number[] | readonly AsPathSegment[] = [],
    attributes: Omit<AttributeSetInit, 'nextHop' | 'asPath'> = {},
    source?: PathSource,
  ) {
    this.prefix = Prefix.from(prefix);
    this.attributes =
      nextHop instanceof AttributeSet ? nextHop : AttributeSet.create({ ...attributes, nextHop, asPath });
    this.source = source;
  }

  /** A route from a prefix and an existing attribute set (no copying or re-validation), with an optional source. */
  static of(prefix: Prefix, attributes: AttributeSet, source?: PathSource): BgpRoute {
    return new BgpRoute(prefix, attributes, undefined, undefined, source);
  }

  /** The NEXT_HOP as text. */
  get nextHop(): string {
    return this.attributes.nextHop.toString();
  }

  /** The NEXT_HOP as an address object. */
  get nextHopAddress(): IpAddress {
    return this.attributes.nextHop;
  }

  /** The AS_PATH segments. */
  get asPath(): readonly AsPathSegment[] {
    return this.attributes.asPath;
  }

  /** ORIGIN. */
  get origin(): Origin {
    return this.attributes.origin;
  }

  /** MULTI_EXIT_DISC, or undefined. */
  get med(): number | undefined {
    return this.attributes.med;
  }

  /** LOCAL_PREF, or undefined. */
  get localPref(): number | undefined {
    return this.attributes.localPref;
  }

  /** COMMUNITIES. */
  get communities(): readonly number[] {
    return this.attributes.communities;
  }

  /** LARGE_COMMUNITY values. */
  get largeCommunities(): readonly LargeCommunity[] {
    return this.attributes.largeCommunities;
  }

  /** A copy with other attributes (interned by the RIB on insert). */
  withAttributes(attributes: AttributeSet): BgpRoute {
    return BgpRoute.of(this.prefix, attributes, this.source);
  }

  /** A copy with LOCAL_PREF set (uint32). */
  withLocalPref(localPref: number): BgpRoute {
    return this.withAttributes(this.attributes.with({ localPref }));
  }

  /** A copy with MULTI_EXIT_DISC set (uint32), or removed when undefined. */
  withMed(med: number | undefined): BgpRoute {
    return this.withAttributes(this.attributes.with({ med }));
  }

  /** A copy with ORIGIN set. */
  withOrigin(origin: Origin): BgpRoute {
    return this.withAttributes(this.attributes.with({ origin }));
  }

  /** A copy with another NEXT_HOP. */
  withNextHop(nextHop: IpAddress | string): BgpRoute {
    return this.withAttributes(this.attributes.with({ nextHop }));
  }

  /** A copy with another AS_PATH. */
  withAsPath(asPath: readonly number[] | readonly AsPathSegment[]): BgpRoute {
    return this.withAttributes(this.attributes.with({ asPath }));
  }

  /** A copy with COMMUNITIES replaced. */
  withCommunities(communities: readonly number[]): BgpRoute {
    return this.withAttributes(this.attributes.with({ communities }));
  }

  /** A copy with LARGE_COMMUNITY values replaced. */
  withLargeCommunities(largeCommunities: readonly LargeCommunity[]): BgpRoute {
    return this.withAttributes(this.attributes.with({ largeCommunities }));
  }

  /** A copy with ORIGINATOR_ID set (RFC 4456), or removed when undefined. */
  withOriginatorId(originatorId: number | undefined): BgpRoute {
    return this.withAttributes(this.attributes.with({ originatorId }));
  }

  /** A copy with CLUSTER_LIST replaced (RFC 4456). */
  withClusterList(clusterList: readonly number[]): BgpRoute {
    return this.withAttributes(this.attributes.with({ clusterList }));
  }

  /** A copy with ATOMIC_AGGREGATE set or cleared. */
  withAtomicAggregate(atomicAggregate: boolean): BgpRoute {
    return this.withAttributes(this.attributes.with({ atomicAggregate }));
  }

  /** A copy with AGGREGATOR set, or removed when undefined. */
  withAggregator(aggregator: Aggregator | undefined): BgpRoute {
    return this.withAttributes(this.attributes.with({ aggregator }));
  }

  /** A plain summary for logs and JSON. */
  toJSON(): Record<string, unknown> {
    const a = this.attributes;
    return {
      prefix: this.prefix.toString(),
      nextHop: this.nextHop,
      asPath: a.asPathText(),
      origin: a.origin,
      med: a.med,
      localPref: a.localPref,
      communities: a.communities,
      largeCommunities: a.largeCommunities,
      originatorId: a.originatorId,
      clusterList: a.clusterList,
      atomicAggregate: a.atomicAggregate,
      aggregator:
        a.aggregator === undefined ? undefined : { asn: a.aggregator.asn, address: String(a.aggregator.address) },
      source: this.source === undefined ? undefined : { ...this.source, peerAddress: String(this.source.peerAddress) },
    };
  }
}
