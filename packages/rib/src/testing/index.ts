/**
 * fast-check arbitraries for the public types of `@patronus/rib`: addresses, canonical prefixes, attribute sets,
 * routes, peers and decision options, so integrators can property-test their code against ours. Needs `fast-check`
 * (an optional peer dependency).
 *
 * @example
 * import fc from 'fast-check';
 * import { prefixArbitrary } from '@patronus/rib/testing';
 * fc.assert(fc.property(prefixArbitrary(), (prefix) => prefix.covers(prefix)));
 */
import fc from 'fast-check';
import {
  type AsPathSegment,
  AttributeSet,
  BgpRoute,
  type DecisionOptions,
  IpAddress,
  type LargeCommunity,
  type Origin,
  type PeerOptions,
  Prefix,
} from '@patronus/rib';

const uint32: fc.Arbitrary<number> = fc.integer({ min: 0, max: 0xffffffff });

/** IPv4 addresses as uint32 numbers. */
export function ipv4NumberArbitrary(): fc.Arbitrary<number> {
  return uint32;
}

/** IPv4 addresses as {@link IpAddress}. */
export function ipv4AddressArbitrary(): fc.Arbitrary<IpAddress> {
  return uint32.map((value) => IpAddress.ipv4(value));
}

/** IPv6 addresses as {@link IpAddress}. */
export function ipv6AddressArbitrary(): fc.Arbitrary<IpAddress> {
  return fc.tuple(uint32, uint32, uint32, uint32).map(([w0, w1, w2, w3]) => IpAddress.ipv6(w0, w1, w2, w3));
}

/** IPv4 or IPv6 addresses. */
export function ipAddressArbitrary(): fc.Arbitrary<IpAddress> {
  return fc.oneof(ipv4AddressArbitrary(), ipv6AddressArbitrary());
}

/** Options of the prefix arbitraries. */
export interface PrefixArbitraryOptions {
  /** Shortest length. Default 0. */
  readonly minLength?: number;
  /** Longest length. Default 32 (IPv4) or 128 (IPv6). */
  readonly maxLength?: number;
}

/** Canonical IPv4 prefixes (host bits cleared). */
export function ipv4PrefixArbitrary(options: PrefixArbitraryOptions = {}): fc.Arbitrary<Prefix> {
  return fc
    .tuple(uint32, fc.integer({ min: options.minLength ?? 0, max: options.maxLength ?? 32 }))
    .map(([address, length]) => Prefix.ipv4(address, length));
}

/** Canonical IPv6 prefixes (host bits cleared). */
export function ipv6PrefixArbitrary(options: PrefixArbitraryOptions = {}): fc.Arbitrary<Prefix> {
  return fc
    .tuple(uint32, uint32, uint32, uint32, fc.integer({ min: options.minLength ?? 0, max: options.maxLength ?? 128 }))
    .map(([w0, w1, w2, w3, length]) => Prefix.ipv6(w0, w1, w2, w3, length));
}

/** IPv4 or IPv6 canonical prefixes. */
export function prefixArbitrary(): fc.Arbitrary<Prefix> {
  return fc.oneof(ipv4PrefixArbitrary(), ipv6PrefixArbitrary());
}

/**
 * IPv4 prefixes drawn from a small space (inside 10.0.0.0/8 with lengths 8-24 by default), so that random tables
 * have many nested and equal prefixes, which is what longest-prefix match and best-path tests need.
 */
export function nestedIpv4PrefixArbitrary(): fc.Arbitrary<Prefix> {
  return fc
    .tuple(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(8, 12, 16, 20, 24))
    .map(([high, low, length]) => Prefix.ipv4((0x0a000000 | (high << 16) | (low << 8)) >>> 0, length));
}

/** AS_PATH segments, mostly AS_SEQUENCE, with AS_SET and confederation segments now and then. */
export function asPathArbitrary(options: { readonly asns?: fc.Arbitrary<number> } = {}): fc.Arbitrary<AsPathSegment[]> {
  const asn = options.asns ?? fc.integer({ min: 1, max: 0xffffffff });
  const segment: fc.Arbitrary<AsPathSegment> = fc.record({
    type: fc.constantFrom('AS_SEQUENCE', 'AS_SEQUENCE', 'AS_SEQUENCE', 'AS_SET', 'AS_CONFED_SEQUENCE', 'AS_CONFED_SET'),
    asns: fc.array(asn, { minLength: 1, maxLength: 6 }),
  });
  return fc.array(segment, { maxLength: 4 });
}

/** Large communities (RFC 8092). */
export function largeCommunityArbitrary(): fc.Arbitrary<LargeCommunity> {
  return fc.record({ globalAdministrator: uint32, localData1: uint32, localData2: uint32 });
}

/** Options of {@link attributeSetArbitrary}. */
export interface AttributeSetArbitraryOptions {
  /** Next hops to draw from. Default: any IPv4 address. */
  readonly nextHop?: fc.Arbitrary<IpAddress>;
  /** AS numbers to draw from. Default: any uint32 but 0. */
  readonly asns?: fc.Arbitrary<number>;
  /** MED values to draw from (undefined: absent). Default: small numbers or absent. */
  readonly med?: fc.Arbitrary<number | undefined>;
  /** LOCAL_PREF values to draw from (undefined: absent). Default: a few common values or absent. */
  readonly localPref?: fc.Arbitrary<number | undefined>;
}

/** Valid attribute sets with every attribute the decision process reads, and the informational ones. */
export function attributeSetArbitrary(options: AttributeSetArbitraryOptions = {}): fc.Arbitrary<AttributeSet> {
  return fc
    .record({
      nextHop: options.nextHop ?? ipv4AddressArbitrary(),
      asPath: asPathArbitrary(options.asns === undefined ? {} : { asns: options.asns }),
      origin: fc.constantFrom<Origin>(0, 1, 2),
      med: options.med ?? fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
      localPref: options.localPref ?? fc.option(fc.constantFrom(50, 100, 150, 200), { nil: undefined }),
      communities: fc.array(uint32, { maxLength: 4 }),
      largeCommunities: fc.array(largeCommunityArbitrary(), { maxLength: 2 }),
      originatorId: fc.option(uint32, { nil: undefined }),
      clusterList: fc.array(uint32, { maxLength: 3 }),
      atomicAggregate: fc.boolean(),
      aggregator: fc.option(fc.record({ asn: uint32, address: ipv4AddressArbitrary() }), { nil: undefined }),
    })
    .map((init) => AttributeSet.create(init));
}

/** Routes: a prefix and an attribute set. */
export function routeArbitrary(
  prefix: fc.Arbitrary<Prefix> = prefixArbitrary(),
  attributes: fc.Arbitrary<AttributeSet> = attributeSetArbitrary(),
): fc.Arbitrary<BgpRoute> {
  return fc.tuple(prefix, attributes).map(([routePrefix, set]) => BgpRoute.of(routePrefix, set));
}

/** Peer options (without id) for a RIB whose local AS is `localAs`: eBGP and iBGP peers, some reflector clients. */
export function peerOptionsArbitrary(localAs: number): fc.Arbitrary<PeerOptions> {
  return fc.record({
    address: ipv4AddressArbitrary(),
    asn: fc.oneof(fc.constant(localAs), fc.integer({ min: 64512, max: 64520 })),
    routerId: uint32,
    routeReflectorClient: fc.boolean(),
  });
}

/** Decision options: every combination of the boolean knobs, and 1-4 multipath. */
export function decisionOptionsArbitrary(): fc.Arbitrary<DecisionOptions> {
  return fc.record({
    preferLocallyOriginated: fc.boolean(),
    ignoreAsPathLength: fc.boolean(),
    alwaysCompareMed: fc.boolean(),
    deterministicMed: fc.boolean(),
    missingMedAsWorst: fc.boolean(),
    ignoreIgpCost: fc.boolean(),
    compareRouterId: fc.boolean(),
    compareClusterListLength: fc.boolean(),
    maximumPaths: fc.integer({ min: 1, max: 4 }),
    multipathRelax: fc.boolean(),
  });
}
