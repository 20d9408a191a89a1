import { IpAddress, isUint32 } from '../address/ip';
import { InvalidAttributeError } from '../errors';

/** ORIGIN values (RFC 4271 4.3): IGP 0, EGP 1, INCOMPLETE 2; lower is preferred (9.1.2.2 (c)). */
export const Origin: { readonly Igp: 0; readonly Egp: 1; readonly Incomplete: 2 } = {
  Igp: 0,
  Egp: 1,
  Incomplete: 2,
};
/** An ORIGIN value: 0 IGP, 1 EGP, 2 INCOMPLETE. */
export type Origin = 0 | 1 | 2;

/** AS_PATH segment types: RFC 4271 4.3 (AS_SET, AS_SEQUENCE) and RFC 5065 3 (confederation segments). */
export type AsPathSegmentType = 'AS_SEQUENCE' | 'AS_SET' | 'AS_CONFED_SEQUENCE' | 'AS_CONFED_SET';

/** One AS_PATH segment: its type and its AS numbers (uint32, RFC 6793). */
export interface AsPathSegment {
  readonly type: AsPathSegmentType;
  readonly asns: readonly number[];
}

/** A BGP large community (RFC 8092): three uint32 fields. */
export interface LargeCommunity {
  readonly globalAdministrator: number;
  readonly localData1: number;
  readonly localData2: number;
}

/** The AGGREGATOR attribute (RFC 4271 4.3, 4-octet AS per RFC 6793): kept as data, never used for selection. */
export interface Aggregator {
  readonly asn: number;
  /** The aggregating speaker's IPv4 address (its BGP Identifier). */
  readonly address: IpAddress;
}

/** What an {@link AttributeSet} is made from; everything but the next hop is optional. */
export interface AttributeSetInit {
  /** NEXT_HOP (or the MP_REACH_NLRI next hop): an address object or text. */
  readonly nextHop: IpAddress | string;
  /** AS_PATH: AS numbers (one AS_SEQUENCE) or explicit segments. Default empty (a locally originated route). */
  readonly asPath?: readonly number[] | readonly AsPathSegment[];
  /** ORIGIN. Default IGP. */
  readonly origin?: Origin;
  /** MULTI_EXIT_DISC (uint32), absent when undefined. */
  readonly med?: number | undefined;
  /** LOCAL_PREF (uint32), absent when undefined (the RIB's default local preference applies). */
  readonly localPref?: number | undefined;
  /** COMMUNITIES (RFC 1997), each a uint32. */
  readonly communities?: readonly number[];
  /** LARGE_COMMUNITY (RFC 8092). */
  readonly largeCommunities?: readonly LargeCommunity[];
  /** ORIGINATOR_ID (RFC 4456) as a uint32, absent when undefined. */
  readonly originatorId?: number | undefined;
  /** CLUSTER_LIST (RFC 4456), cluster ids as uint32. */
  readonly clusterList?: readonly number[];
  /** ATOMIC_AGGREGATE present. */
  readonly atomicAggregate?: boolean;
  /** AGGREGATOR, absent when undefined. */
  readonly aggregator?: Aggregator | undefined;
}

const emptyNumbers: readonly number[] = Object.freeze([]);
const emptyLargeCommunities: readonly LargeCommunity[] = Object.freeze([]);
const emptySegments: readonly AsPathSegment[] = Object.freeze([]);

/** Mixes a 32-bit value into a running hash (murmur3-style): fast, good enough spread for interning buckets. */
function mix(hash: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const h = hash ^ k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

function segmentTypeCode(type: AsPathSegmentType): number {
  switch (type) {
    case 'AS_SET':
      return 1;
    case 'AS_SEQUENCE':
      return 2;
    case 'AS_CONFED_SEQUENCE':
      return 3;
    case 'AS_CONFED_SET':
      return 4;
  }
}

function checkUint32(attribute: string, value: number, position = ''): number {
  if (!isUint32(value))
    throw new InvalidAttributeError(attribute, String(value), 'must be an integer 0..2^32-1', position);
  return value;
}

function optionalUint32(attribute: string, value: number | undefined): number | undefined {
  return value === undefined ? undefined : checkUint32(attribute, value);
}

function normaliseAsPath(asPath: readonly number[] | readonly AsPathSegment[] | undefined): readonly AsPathSegment[] {
  if (asPath === undefined || asPath.length === 0) return emptySegments;
  if (typeof asPath[0] === 'number') {
    const asns = (asPath as readonly number[]).slice();
    asns.forEach((asn, index) => checkUint32('AS_PATH', asn, `AS ${index}`));
    return Object.freeze([Object.freeze({ type: 'AS_SEQUENCE' as const, asns: Object.freeze(asns) })]);
  }
  const segments = (asPath as readonly unknown[]).map((value, index): AsPathSegment => {
    // Checked as unknown: callers from plain JavaScript may pass anything.
    const segment = value as { readonly type?: unknown; readonly asns?: unknown };
    if (typeof value !== 'object' || value === null || !Array.isArray(segment.asns)) {
      throw new InvalidAttributeError('AS_PATH', String(value), 'a segment is { type, asns }', `segment ${index}`);
    }
    const type = segment.type;
    if (type !== 'AS_SEQUENCE' && type !== 'AS_SET' && type !== 'AS_CONFED_SEQUENCE' && type !== 'AS_CONFED_SET') {
      throw new InvalidAttributeError('AS_PATH', String(type), 'unknown segment type', `segment ${index}`);
    }
    const asns = (segment.asns as unknown[]).map((asn, at) => {
      if (typeof asn !== 'number') {
        throw new InvalidAttributeError(
          'AS_PATH',
          String(asn),
          'an AS number is a number',
          `segment ${index}, AS ${at}`,
        );
      }
      return checkUint32('AS_PATH', asn, `segment ${index}, AS ${at}`);
    });
    if (asns.length === 0) {
      throw new InvalidAttributeError('AS_PATH', '[]', 'a segment holds at least one AS', `segment ${index}`);
    }
    return Object.freeze({ type, asns: Object.freeze(asns) });
  });
  return Object.freeze(segments);
}

/**
 * An immutable set of BGP path attributes: everything that matters for best-path selection and forwarding, plus
 * ATOMIC_AGGREGATE and AGGREGATOR as data. A RIB interns attribute sets (equal sets become one shared object), so the
 * memory of a full table from many peers grows with paths, not with attributes. The structural hash is computed once.
 *
 * @example
 * const attributes = AttributeSet.create({ nextHop: '192.0.2.1', asPath: [65001, 65002], med: 10 });
 * attributes.asPathLength; // 2
 * attributes.neighborAs; // 65001
 * attributes.equals(attributes.with({ med: 10 })); // true
 */
export class AttributeSet {
  /** NEXT_HOP. */
  readonly nextHop: IpAddress;
  /** AS_PATH segments, first segment nearest to us. */
  readonly asPath: readonly AsPathSegment[];
  /** ORIGIN. */
  readonly origin: Origin;
  /** MULTI_EXIT_DISC, or undefined when absent. */
  readonly med: number | undefined;
  /** LOCAL_PREF, or undefined when absent. */
  readonly localPref: number | undefined;
  /** COMMUNITIES, as received (order kept). */
  readonly communities: readonly number[];
  /** LARGE_COMMUNITY values, as received. */
  readonly largeCommunities: readonly LargeCommunity[];
  /** ORIGINATOR_ID, or undefined when absent. */
  readonly originatorId: number | undefined;
  /** CLUSTER_LIST, first entry the most recent reflector. */
  readonly clusterList: readonly number[];
  /** ATOMIC_AGGREGATE present. */
  readonly atomicAggregate: boolean;
  /** AGGREGATOR, or undefined when absent. */
  readonly aggregator: Aggregator | undefined;
  /**
   * AS_PATH length for RFC 4271 9.1.2.2 (a): an AS_SET counts as 1 whatever its size, AS_SEQUENCE counts each AS,
   * and confederation segments count 0 (RFC 5065 5.3).
   */
  readonly asPathLength: number;
  /**
   * The neighbouring AS for MED comparison (RFC 4271 9.1.2.2 (c)): the first AS of the AS_PATH when the path begins
   * with an AS_SEQUENCE (after any confederation segments, RFC 5065 5.3), else 0 meaning "our own AS" (an empty path,
   * or one that begins with an AS_SET).
   */
  readonly neighborAs: number;
  /** The structural hash used for interning. */
  readonly hash: number;

  /** Interning cache: the pool this set is the canonical member of, and its id there. */
  internedBy: object | undefined;
  internedId: number;

  private constructor(
    nextHop: IpAddress,
    asPath: readonly AsPathSegment[],
    origin: Origin,
    med: number | undefined,
    localPref: number | undefined,
    communities: readonly number[],
    largeCommunities: readonly LargeCommunity[],
    originatorId: number | undefined,
    clusterList: readonly number[],
    atomicAggregate: boolean,
    aggregator: Aggregator | undefined,
  ) {
    this.nextHop = nextHop;
    this.asPath = asPath;
    this.origin = origin;
    this.med = med;
    this.localPref = localPref;
    this.communities = communities;
    this.largeCommunities = largeCommunities;
    this.originatorId = originatorId;
    this.clusterList = clusterList;
    this.atomicAggregate = atomicAggregate;
    this.aggregator = aggregator;
    let length = 0;
    let neighbor = 0;
    let neighborFound = false;
    for (const segment of asPath) {
      if (segment.type === 'AS_SEQUENCE') {
        length += segment.asns.length;
        if (!neighborFound) neighbor = segment.asns[0] ?? 0;
        neighborFound = true;
      } else if (segment.type === 'AS_SET') {
        length += 1;
        neighborFound = true;
      }
    }
    this.asPathLength = length;
    this.neighborAs = neighbor;
    this.hash = computeHash(this);
    this.internedBy = undefined;
    this.internedId = -1;
  }

  /**
   * Makes an attribute set from plain values, checking every value's range.
   *
   * @throws {@link InvalidAttributeError} for a value out of range; {@link InvalidAddressError} for a bad next hop
   */
  static create(init: AttributeSetInit): AttributeSet {
    const nextHop = init.nextHop instanceof IpAddress ? init.nextHop : IpAddress.parse(init.nextHop, 'nextHop');
    // Widened to number: callers from plain JavaScript may pass anything.
    const origin: number = init.origin ?? Origin.Igp;
    if (origin !== 0 && origin !== 1 && origin !== 2) {
      throw new InvalidAttributeError('ORIGIN', String(origin), 'must be 0 (IGP), 1 (EGP) or 2 (INCOMPLETE)');
    }
    const communities =
      init.communities === undefined || init.communities.length === 0 ? emptyNumbers : init.communities.slice();
    communities.forEach((community, index) => checkUint32('COMMUNITIES', community, `entry ${index}`));
    const large =
      init.largeCommunities === undefined || init.largeCommunities.length === 0
        ? emptyLargeCommunities
        : init.largeCommunities.map((community, index) =>
            Object.freeze({
              globalAdministrator: checkUint32('LARGE_COMMUNITY', community.globalAdministrator, `entry ${index}`),
              localData1: checkUint32('LARGE_COMMUNITY', community.localData1, `entry ${index}`),
              localData2: checkUint32('LARGE_COMMUNITY', community.localData2, `entry ${index}`),
            }),
          );
    const clusterList =
      init.clusterList === undefined || init.clusterList.length === 0 ? emptyNumbers : init.clusterList.slice();
    clusterList.forEach((cluster, index) => checkUint32('CLUSTER_LIST', cluster, `entry ${index}`));
    let aggregator: Aggregator | undefined;
    if (init.aggregator !== undefined) {
      if (!(init.aggregator.address instanceof IpAddress) || init.aggregator.address.family !== 4) {
        throw new InvalidAttributeError(
          'AGGREGATOR',
          String(init.aggregator.address),
          'address must be an IPv4 IpAddress',
        );
      }
      aggregator = Object.freeze({
        asn: checkUint32('AGGREGATOR', init.aggregator.asn, 'asn'),
        address: init.aggregator.address,
      });
    }
    return new AttributeSet(
      nextHop,
      normaliseAsPath(init.asPath),
      origin,
      optionalUint32('MULTI_EXIT_DISC', init.med),
      optionalUint32('LOCAL_PREF', init.localPref),
      freezeIfNew(communities),
      freezeIfNew(large),
      optionalUint32('ORIGINATOR_ID', init.originatorId),
      freezeIfNew(clusterList),
      init.atomicAggregate === true,
      aggregator,
    );
  }

  /** A copy with some attributes replaced (an `undefined` MED, LOCAL_PREF, ORIGINATOR_ID or AGGREGATOR removes it). */
  with(changes: Partial<AttributeSetInit>): AttributeSet {
    return AttributeSet.create({ ...this.toInit(), ...changes });
  }

  /** The plain values this set was made from. */
  toInit(): AttributeSetInit {
    return {
      nextHop: this.nextHop,
      asPath: this.asPath,
      origin: this.origin,
      med: this.med,
      localPref: this.localPref,
      communities: this.communities,
      largeCommunities: this.largeCommunities,
      originatorId: this.originatorId,
      clusterList: this.clusterList,
      atomicAggregate: this.atomicAggregate,
      aggregator: this.aggregator,
    };
  }

  /** True when `asn` appears anywhere in the AS_PATH, confederation segments included (the AS loop check). */
  containsAs(asn: number): boolean {
    // Indexed loops: an iterator here allocated per call while interning new sets.
    const asPath = this.asPath;
    for (let index = 0; index < asPath.length; index++) {
      const asns = asPath[index]!.asns;
      for (let at = 0; at < asns.length; at++) if (asns[at] === asn) return true;
    }
    return false;
  }

  /** True when the AS_PATHs are the same segments with the same AS numbers. */
  sameAsPath(other: AttributeSet): boolean {
    if (this.asPath === other.asPath) return true;
    if (this.asPath.length !== other.asPath.length) return false;
    for (let index = 0; index < this.asPath.length; index++) {
      const a = this.asPath[index]!;
      const b = other.asPath[index]!;
      if (a.type !== b.type || !sameNumbers(a.asns, b.asns)) return false;
    }
    return true;
  }

  /** Structural equality: every attribute equal (communities compared in order, as received). */
  equals(other: AttributeSet): boolean {
    if (this === other) return true;
    return (
      this.hash === other.hash &&
      this.origin === other.origin &&
      this.med === other.med &&
      this.localPref === other.localPref &&
      this.originatorId === other.originatorId &&
      this.atomicAggregate === other.atomicAggregate &&
      this.nextHop.equals(other.nextHop) &&
      this.sameAsPath(other) &&
      sameNumbers(this.communities, other.communities) &&
      sameNumbers(this.clusterList, other.clusterList) &&
      sameLargeCommunities(this.largeCommunities, other.largeCommunities) &&
      sameAggregator(this.aggregator, other.aggregator)
    );
  }

  /** A one-line summary for logs and test failures: next hop, AS_PATH and the attributes that are present. */
  toString(): string {
    const parts = [`nextHop ${String(this.nextHop)}`, `asPath [${this.asPathText()}]`, `origin ${this.origin}`];
    if (this.localPref !== undefined) parts.push(`localPref ${this.localPref}`);
    if (this.med !== undefined) parts.push(`med ${this.med}`);
    if (this.originatorId !== undefined) parts.push(`originatorId ${this.originatorId}`);
    if (this.clusterList.length > 0) parts.push(`clusterList [${this.clusterList.join(' ')}]`);
    if (this.communities.length > 0) parts.push(`communities [${this.communities.join(' ')}]`);
    return `AttributeSet(${parts.join(', ')})`;
  }

  /** The AS_PATH in the usual text form: `65001 65002 {65003,65004} (65010)`. */
  asPathText(): string {
    return this.asPath
      .map((segment) => {
        const list = segment.asns.join(
          segment.type === 'AS_SEQUENCE' || segment.type === 'AS_CONFED_SEQUENCE' ? ' ' : ',',
        );
        switch (segment.type) {
          case 'AS_SEQUENCE':
            return list;
          case 'AS_SET':
            return `{${list}}`;
          case 'AS_CONFED_SEQUENCE':
            return `(${list})`;
          case 'AS_CONFED_SET':
            return `[${list}]`;
        }
      })
      .join(' ');
  }
}

function freezeIfNew<T>(values: readonly T[]): readonly T[] {
  return Object.isFrozen(values) ? values : Object.freeze(values);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function sameLargeCommunities(a: readonly LargeCommunity[], b: readonly LargeCommunity[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) {
    const x = a[index]!;
    const y = b[index]!;
    if (
      x.globalAdministrator !== y.globalAdministrator ||
      x.localData1 !== y.localData1 ||
      x.localData2 !== y.localData2
    ) {
      return false;
    }
  }
  return true;
}

function sameAggregator(a: Aggregator | undefined, b: Aggregator | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.asn === b.asn && a.address.equals(b.address);
}

function computeHash(set: AttributeSet): number {
  let hash = 0x9747b28c;
  hash = mix(hash, set.nextHop.family);
  hash = mix(hash, set.nextHop.w0);
  hash = mix(hash, set.nextHop.w1);
  hash = mix(hash, set.nextHop.w2);
  hash = mix(hash, set.nextHop.w3);
  for (const segment of set.asPath) {
    hash = mix(hash, (segmentTypeCode(segment.type) << 16) | segment.asns.length);
    for (const asn of segment.asns) hash = mix(hash, asn);
  }
  hash = mix(hash, set.origin | (set.atomicAggregate ? 4 : 0));
  hash = mix(hash, set.med === undefined ? 0x5a5a5a5a : set.med + 1);
  hash = mix(hash, set.localPref === undefined ? 0x3c3c3c3c : set.localPref + 1);
  hash = mix(hash, set.originatorId === undefined ? 0x1e1e1e1e : set.originatorId + 1);
  hash = mix(hash, set.communities.length);
  for (const community of set.communities) hash = mix(hash, community);
  hash = mix(hash, set.largeCommunities.length);
  for (const community of set.largeCommunities) {
    hash = mix(hash, community.globalAdministrator);
    hash = mix(hash, community.localData1);
    hash = mix(hash, community.localData2);
  }
  hash = mix(hash, set.clusterList.length);
  for (const cluster of set.clusterList) hash = mix(hash, cluster);
  if (set.aggregator !== undefined) {
    hash = mix(hash, set.aggregator.asn);
    hash = mix(hash, set.aggregator.address.w0);
  }
  return hash >>> 0;
}
