/**
 * fast-check arbitraries for the public types of `@patronus/bgp`: prefixes, path attributes and every BGP message,
 * all valid and encodable, so `decodeMessage(encodeMessage(x))` gives `x` back. Use them to property-test code that
 * consumes BGP values. Needs `fast-check` (an optional peer dependency).
 *
 * @example
 * import fc from 'fast-check';
 * import { updateMessageArbitrary } from '@patronus/bgp/testing';
 * fc.assert(fc.property(updateMessageArbitrary(), (update) => myHandler(update) !== undefined));
 */
import fc from 'fast-check';
import { createPathAttributes, type PathAttributesInit } from '../wire/attributes';
import { familyKey } from '../wire/constants';
import { ipv4Prefix, ipv6Prefix } from '../wire/address';
import { createNotification } from '../wire/notification';
import { createUpdate } from '../wire/update';
import type {
  AsPathSegment,
  BgpMessage,
  Capability,
  KeepaliveMessage,
  MpReachNlri,
  MpUnreachNlri,
  NotificationMessage,
  OpenMessage,
  OptionalParameter,
  PathAttributes,
  Prefix,
  RouteRefreshMessage,
  SessionContext,
  UnknownAttribute,
  UpdateMessage,
} from '../wire/types';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

/**
 * IPv4 prefixes (host bits zero), with a Path Identifier when `withPathId`.
 *
 * @example
 * fc.sample(ipv4PrefixArbitrary(), 1);
 */
export function ipv4PrefixArbitrary(withPathId = false): fc.Arbitrary<Prefix> {
  return fc
    .tuple(u32, fc.integer({ min: 0, max: 32 }), withPathId ? u32 : fc.constant(undefined))
    .map(([address, length, pathId]) => ipv4Prefix(address, length, pathId));
}

/**
 * IPv6 prefixes (host bits zero), with a Path Identifier when `withPathId`.
 *
 * @example
 * fc.sample(ipv6PrefixArbitrary(), 1);
 */
export function ipv6PrefixArbitrary(withPathId = false): fc.Arbitrary<Prefix> {
  return fc
    .tuple(u32, u32, u32, u32, fc.integer({ min: 0, max: 128 }), withPathId ? u32 : fc.constant(undefined))
    .map(([a, b, c, d, length, pathId]) => ipv6Prefix(a, b, c, d, length, pathId));
}

/**
 * Session contexts: 2- or 4-octet ASNs, ADD-PATH on some of IPv4/IPv6 unicast/multicast, extended messages or not.
 *
 * @example
 * fc.sample(sessionContextArbitrary(), 1);
 */
export function sessionContextArbitrary(): fc.Arbitrary<SessionContext> {
  return fc
    .record({
      fourOctetAsn: fc.boolean(),
      addPath: fc.subarray([familyKey(1, 1), familyKey(2, 1), familyKey(1, 2), familyKey(2, 2)]),
      extendedMessage: fc.boolean(),
    })
    .map(({ fourOctetAsn, addPath, extendedMessage }) => ({
      fourOctetAsn,
      addPath: new Set(addPath),
      extendedMessage,
    }));
}

function asPathArbitrary(fourOctetAsn: boolean, types: readonly number[]): fc.Arbitrary<AsPathSegment[]> {
  const asn = fourOctetAsn ? u32 : u16;
  return fc.array(fc.record({ type: fc.constantFrom(...types), asns: fc.array(asn, { minLength: 1, maxLength: 8 }) }), {
    maxLength: 4,
  });
}

const recognizedTypes = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 25, 26, 32, 35]);

function unknownAttributeArbitrary(): fc.Arbitrary<UnknownAttribute> {
  return fc
    .record({
      typeCode: u8.filter((code) => !recognizedTypes.has(code)),
      transitive: fc.boolean(),
      partial: fc.boolean(),
      extended: fc.boolean(),
      value: fc.uint8Array({ maxLength: 300 }),
    })
    .map(({ typeCode, transitive, partial, extended, value }) => ({
      // Optional bit always set: an unrecognized well-known attribute is a session reset (RFC 4271 section 6.3).
      flags: 0x80 | (transitive ? 0x40 : 0) | (partial ? 0x20 : 0) | (extended || value.length > 255 ? 0x10 : 0),
      typeCode,
      value,
    }));
}

function mpReachArbitrary(addPath: ReadonlySet<number>): fc.Arbitrary<MpReachNlri> {
  return fc.oneof(
    fc
      .tuple(
        fc.constantFrom(1, 2),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.option(fc.uint8Array({ minLength: 16, maxLength: 16 }), { nil: undefined }),
      )
      .chain(([safi, global, linkLocal]) => {
        const nextHop = linkLocal === undefined ? global : Uint8Array.from([...global, ...linkLocal]);
        return fc
          .tuple(
            fc.array(ipv6PrefixArbitrary(addPath.has(familyKey(2, safi))), { maxLength: 6 }),
            // Half the time a non-zero Reserved byte (RFC 4760 section 3): it must survive a round trip.
            fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined, freq: 2 }),
          )
          .map(([nlri, reserved]): MpReachNlri => {
            const value = { afi: 2, safi, nextHop, nlri, nlriData: undefined };
            return reserved === undefined ? value : { ...value, reserved };
          });
      }),
    fc
      .tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }))
      .chain(([nextHop]) =>
        fc
          .array(ipv4PrefixArbitrary(addPath.has(familyKey(1, 2))), { maxLength: 6 })
          .map((nlri) => ({ afi: 1, safi: 2, nextHop, nlri, nlriData: undefined })),
      ),
    // A family kept raw (EVPN): the NLRI bytes pass through untouched.
    fc
      .tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ maxLength: 40 }))
      .map(([nextHop, nlriData]) => ({ afi: 25, safi: 70, nextHop, nlri: [], nlriData })),
  );
}

function mpUnreachArbitrary(addPath: ReadonlySet<number>): fc.Arbitrary<MpUnreachNlri> {
  return fc.oneof(
    fc
      .constantFrom(1, 2)
      .chain((safi) =>
        fc
          .array(ipv6PrefixArbitrary(addPath.has(familyKey(2, safi))), { maxLength: 6 })
          .map((withdrawn) => ({ afi: 2, safi, withdrawn, withdrawnData: undefined })),
      ),
    fc.uint8Array({ maxLength: 40 }).map((withdrawnData) => ({ afi: 25, safi: 70, withdrawn: [], withdrawnData })),
  );
}

/**
 * Valid path attributes for a session with the given ASN size and ADD-PATH families: every attribute this codec
 * decodes appears or not, plus unknown optional attributes. `layout` is undefined (canonical order on encode).
 *
 * @example
 * fc.sample(pathAttributesArbitrary({ fourOctetAsn: true, addPath: new Set() }), 1);
 */
export function pathAttributesArbitrary(context: {
  readonly fourOctetAsn: boolean;
  readonly addPath: ReadonlySet<number>;
}): fc.Arbitrary<PathAttributes> {
  const asn = context.fourOctetAsn ? u32 : u16;
  const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
    fc.option(arbitrary, { nil: undefined });
  return fc
    .record({
      origin: optional(fc.integer({ min: 0, max: 2 })),
      asPath: optional(asPathArbitrary(context.fourOctetAsn, [1, 2, 3, 4])),
      nextHop: optional(u32),
      multiExitDisc: optional(u32),
      localPref: optional(u32),
      atomicAggregate: fc.boolean(),
      aggregator: optional(fc.record({ asn, address: u32 })),
      communities: optional(fc.array(u32, { minLength: 1, maxLength: 6 })),
      originatorId: optional(u32),
      clusterList: optional(fc.array(u32, { minLength: 1, maxLength: 4 })),
      mpReach: optional(mpReachArbitrary(context.addPath)),
      mpUnreach: optional(mpUnreachArbitrary(context.addPath)),
      extendedCommunities: optional(fc.array(fc.record({ high: u32, low: u32 }), { minLength: 1, maxLength: 4 })),
      ipv6ExtendedCommunities: optional(
        fc.array(
          fc.record({
            type: u8,
            subtype: u8,
            globalAdministrator: fc.uint8Array({ minLength: 16, maxLength: 16 }),
            localAdministrator: u16,
          }),
          { minLength: 1, maxLength: 2 },
        ),
      ),
      as4Path: optional(asPathArbitrary(true, [1, 2])),
      as4Aggregator: optional(fc.record({ asn: u32, address: u32 })),
      aigp: optional(
        fc.array(
          fc.oneof(
            fc.uint8Array({ minLength: 8, maxLength: 8 }).map((value) => ({ type: 1, value })),
            fc.record({ type: fc.integer({ min: 2, max: 255 }), value: fc.uint8Array({ maxLength: 8 }) }),
          ),
          { maxLength: 1 },
        ),
      ),
      largeCommunities: optional(
        fc.array(fc.record({ globalAdministrator: u32, localData1: u32, localData2: u32 }), {
          minLength: 1,
          maxLength: 4,
        }),
      ),
      onlyToCustomer: optional(u32),
      unknown: fc.uniqueArray(unknownAttributeArbitrary(), {
        maxLength: 2,
        selector: (attribute) => attribute.typeCode,
      }),
    })
    .map((init) => {
      const unknown = [...init.unknown].sort((a, b) => a.typeCode - b.typeCode);
      return createPathAttributes({ ...(init as PathAttributesInit), unknown });
    });
}

/**
 * Valid UPDATE messages for a session: IPv4 withdrawn routes and NLRI, attributes from
 * {@link pathAttributesArbitrary}, and the mandatory attributes whenever something is announced (RFC 4271 section 5).
 *
 * @example
 * fc.sample(updateMessageArbitrary(defaultSessionContext), 1);
 */
export function updateMessageArbitrary(
  context: SessionContext = { fourOctetAsn: true, addPath: new Set(), extendedMessage: false },
): fc.Arbitrary<UpdateMessage> {
  const hasPathId = context.addPath.has(familyKey(1, 1));
  return fc
    .record({
      withdrawn: fc.array(ipv4PrefixArbitrary(hasPathId), { maxLength: 8 }),
      nlri: fc.array(ipv4PrefixArbitrary(hasPathId), { maxLength: 8 }),
      attributes: pathAttributesArbitrary(context),
    })
    .map(({ withdrawn, nlri, attributes }) => {
      const mpReach = attributes.mpReach;
      const isReachable =
        nlri.length > 0 || (mpReach !== undefined && (mpReach.nlri.length > 0 || (mpReach.nlriData?.length ?? 0) > 0));
      const complete = isReachable
        ? createPathAttributes({
            ...attributes,
            origin: attributes.origin ?? 0,
            asPath: attributes.asPath ?? [],
            nextHop: nlri.length > 0 ? (attributes.nextHop ?? 0xc0000201) : attributes.nextHop,
          })
        : attributes;
      return createUpdate({ withdrawn, attributes: complete, nlri });
    });
}

const knownCapabilityCodes = new Set([1, 2, 5, 6, 9, 64, 65, 69, 70, 71, 73]);

function capabilityArbitrary(): fc.Arbitrary<Capability> {
  const family = fc.record({ afi: u16, safi: u8 });
  const hostText = fc.string({ unit: 'grapheme-ascii', maxLength: 20 });
  return fc.oneof(
    family.map(({ afi, safi }) => ({ code: 1 as const, afi, safi })),
    fc.constantFrom(2 as const, 6 as const, 70 as const).map((code) => ({ code })),
    fc
      .array(fc.record({ afi: u16, safi: u16, nextHopAfi: u16 }), { maxLength: 4 })
      .map((entries) => ({ code: 5 as const, entries })),
    fc.integer({ min: 0, max: 4 }).map((role) => ({ code: 9 as const, role })),
    fc
      .record({
        restartFlags: fc.integer({ min: 0, max: 15 }),
        restartTimeSeconds: fc.integer({ min: 0, max: 4095 }),
        families: fc.array(fc.record({ afi: u16, safi: u8, flags: u8 }), { maxLength: 4 }),
      })
      .map((value) => ({ code: 64 as const, ...value })),
    u32.map((asn) => ({ code: 65 as const, asn })),
    fc
      .array(fc.record({ afi: u16, safi: u8, sendReceive: fc.integer({ min: 1, max: 3 }) }), { maxLength: 4 })
      .map((families) => ({ code: 69 as const, families })),
    fc
      .array(fc.record({ afi: u16, safi: u8, flags: u8, staleTimeSeconds: fc.integer({ min: 0, max: 0xffffff }) }), {
        maxLength: 4,
      })
      .map((families) => ({ code: 71 as const, families })),
    fc.record({ hostname: hostText, domainName: hostText }).map((value) => ({ code: 73 as const, ...value })),
    fc
      .record({ code: u8.filter((code) => !knownCapabilityCodes.has(code)), value: fc.uint8Array({ maxLength: 16 }) })
      .map(({ code, value }) => ({ code, value, raw: true as const })),
  );
}

/**
 * Valid OPEN messages: capabilities of every kind this codec decodes plus unknown ones and unknown optional
 * parameters, in the classic or the RFC 9072 extended parameter encoding.
 *
 * @example
 * fc.sample(openMessageArbitrary(), 1);
 */
export function openMessageArbitrary(): fc.Arbitrary<OpenMessage> {
  const parameter: fc.Arbitrary<OptionalParameter> = fc.oneof(
    fc.array(capabilityArbitrary(), { maxLength: 3 }).map((capabilities) => ({ type: 2 as const, capabilities })),
    fc.record({
      type: u8.filter((type) => type !== 2 && type !== 255),
      value: fc.uint8Array({ maxLength: 12 }),
    }),
  );
  return fc
    .record({
      version: fc.constant(4),
      myAutonomousSystem: u16,
      holdTimeSeconds: u16,
      bgpIdentifier: u32,
      optionalParameters: fc.array(parameter, { maxLength: 3 }),
      extendedOptionalParameters: fc.boolean(),
    })
    .map((open) => ({ type: 1 as const, ...open }));
}

/**
 * NOTIFICATION messages, including RFC 9003 Shutdown Communications, RFC 8538 Hard Reset wrapping, RFC 4486 maximum
 * prefixes data and arbitrary raw data.
 *
 * @example
 * fc.sample(notificationMessageArbitrary(), 1);
 */
export function notificationMessageArbitrary(): fc.Arbitrary<NotificationMessage> {
  return fc.oneof(
    fc
      .record({ code: u8, subcode: u8, data: fc.uint8Array({ maxLength: 32 }) })
      .map((init) => createNotification(init)),
    fc
      .record({
        subcode: fc.constantFrom(2, 4),
        shutdownCommunication: fc.string({ maxLength: 40 }),
        hardReset: fc.boolean(),
      })
      .map((init) => createNotification({ code: 6, ...init })),
    fc
      .record({ afi: u16, safi: u8, upperBound: u32 })
      .map((maximumPrefixes) => createNotification({ code: 6, subcode: 1, maximumPrefixes })),
  );
}

/**
 * ROUTE-REFRESH messages: plain requests (with optional ORF bytes) and RFC 7313 BoRR/EoRR markers.
 *
 * @example
 * fc.sample(routeRefreshMessageArbitrary(), 1);
 */
export function routeRefreshMessageArbitrary(): fc.Arbitrary<RouteRefreshMessage> {
  return fc.oneof(
    fc
      .record({ afi: u16, safi: u8, orfData: fc.uint8Array({ maxLength: 16 }) })
      .map(({ afi, safi, orfData }) => ({ type: 5 as const, afi, subtype: 0, safi, orfData })),
    fc
      .record({ afi: u16, safi: u8, subtype: fc.constantFrom(1, 2) })
      .map(({ afi, safi, subtype }) => ({ type: 5 as const, afi, subtype, safi, orfData: new Uint8Array(0) })),
  );
}

/**
 * The KEEPALIVE message.
 *
 * @example
 * fc.sample(keepaliveMessageArbitrary(), 1);
 */
export function keepaliveMessageArbitrary(): fc.Arbitrary<KeepaliveMessage> {
  return fc.constant({ type: 4 as const });
}

/**
 * Any BGP message valid for `context`.
 *
 * @example
 * fc.sample(bgpMessageArbitrary(), 1);
 */
export function bgpMessageArbitrary(
  context: SessionContext = { fourOctetAsn: true, addPath: new Set(), extendedMessage: false },
): fc.Arbitrary<BgpMessage> {
  return fc.oneof(
    openMessageArbitrary(),
    updateMessageArbitrary(context),
    notificationMessageArbitrary(),
    keepaliveMessageArbitrary(),
    routeRefreshMessageArbitrary(),
  );
}
