/**
 * A naive reference of the BGP decision process and of longest-prefix match, written from the RFC text with plain
 * arrays, filters and sorts, for property tests of the Rib. It shares no code with the implementation.
 */
import type { BgpRoute, DecisionOptions, IpAddress, Prefix } from '@patronus/rib';

/** A path as the reference sees it: the route and its peer. */
export interface ReferencePath {
  readonly route: BgpRoute;
  readonly peer: ReferencePeer;
}

/** A peer as the reference sees it. */
export interface ReferencePeer {
  readonly id: number;
  readonly type: 'ebgp' | 'ibgp' | 'local';
  readonly address: IpAddress;
  readonly routerId: number;
}

/** What the RIB around the decision knows. */
export interface ReferenceContext {
  readonly localAs: number;
  readonly routerId: number;
  readonly clusterId: number;
  readonly options: DecisionOptions;
  /** IGP cost of a next hop, undefined when unreachable. */
  readonly igpCost: (nextHop: IpAddress) => number | undefined;
}

/** RFC 4271 9.1.2.2 (a): AS_SET counts 1, AS_SEQUENCE each AS; RFC 5065 5.3: confederation segments count 0. */
export function referenceAsPathLength(route: BgpRoute): number {
  let length = 0;
  for (const segment of route.asPath) {
    if (segment.type === 'AS_SET') length += 1;
    else if (segment.type === 'AS_SEQUENCE') length += segment.asns.length;
  }
  return Math.min(length, 4095);
}

/** The neighbouring AS: the first AS of the path after confederation segments, when that segment is a sequence. */
export function referenceNeighborAs(route: BgpRoute): number {
  const first = route.asPath.find((segment) => segment.type === 'AS_SEQUENCE' || segment.type === 'AS_SET');
  return first?.type === 'AS_SEQUENCE' ? (first.asns[0] ?? 0) : 0;
}

/** RFC 4271 9.1.2 and RFC 4456 8: may this path be considered at all? */
export function referenceIsEligible(path: ReferencePath, context: ReferenceContext): boolean {
  const attributes = path.route.attributes;
  if (attributes.asPath.some((segment) => segment.asns.includes(context.localAs))) return false;
  if (attributes.originatorId !== undefined && attributes.originatorId === context.routerId) return false;
  if (attributes.clusterList.includes(context.clusterId)) return false;
  return context.igpCost(attributes.nextHop) !== undefined;
}

interface Keys {
  readonly path: ReferencePath;
  readonly localPref: number;
  readonly local: boolean;
  readonly asPathLength: number;
  readonly origin: number;
  readonly med: number;
  readonly neighborAs: number;
  readonly external: boolean;
  readonly igpCost: number;
  readonly routerId: number;
  readonly clusterListLength: number;
  readonly peerAddress: IpAddress;
  readonly peerId: number;
}

function keysOf(path: ReferencePath, context: ReferenceContext): Keys {
  const attributes = path.route.attributes;
  const options = context.options;
  return {
    path,
    localPref: attributes.localPref ?? options.defaultLocalPreference ?? 100,
    local: path.peer.type === 'local',
    asPathLength: referenceAsPathLength(path.route),
    origin: attributes.origin,
    med: attributes.med ?? (options.missingMedAsWorst === true ? 0xffffffff : 0),
    neighborAs: referenceNeighborAs(path.route),
    external: path.peer.type !== 'ibgp',
    igpCost: context.igpCost(attributes.nextHop) ?? Number.POSITIVE_INFINITY,
    routerId: attributes.originatorId ?? path.peer.routerId,
    clusterListLength: attributes.clusterList.length,
    peerAddress: path.peer.address,
    peerId: path.peer.id,
  };
}

/** Compares through step (e); MED only when `withMed` says so for this pair. Negative: `a` preferred. */
function compareThroughIgp(a: Keys, b: Keys, options: DecisionOptions, withMed: boolean): number {
  // "the highest degree of preference" (LOCAL_PREF)
  if (a.localPref !== b.localPref) return b.localPref - a.localPref;
  // locally originated routes first (common practice)
  if (options.preferLocallyOriginated !== false && a.local !== b.local) return a.local ? -1 : 1;
  // (a) "the lowest number of AS numbers in the AS_PATH attribute"
  if (options.ignoreAsPathLength !== true && a.asPathLength !== b.asPathLength) return a.asPathLength - b.asPathLength;
  // (b) "the lowest value of the Origin attribute"
  if (a.origin !== b.origin) return a.origin - b.origin;
  // (c) MED, only "among routes learned from the same neighboring AS" unless always-compare-med
  if (withMed && (options.alwaysCompareMed === true || a.neighborAs === b.neighborAs) && a.med !== b.med) {
    return a.med - b.med;
  }
  // (d) "routes learned from ... external peers" over internal ones
  if (a.external !== b.external) return a.external ? -1 : 1;
  // (e) "the lowest interior cost"
  if (options.ignoreIgpCost !== true && a.igpCost !== b.igpCost) return a.igpCost < b.igpCost ? -1 : 1;
  return 0;
}

/** (f) lowest BGP Identifier (ORIGINATOR_ID per RFC 4456), shortest CLUSTER_LIST, (g) lowest peer address. */
function compareTieBreak(a: Keys, b: Keys, options: DecisionOptions): number {
  if (options.compareRouterId !== false && a.routerId !== b.routerId) return a.routerId - b.routerId;
  if (options.compareClusterListLength !== false && a.clusterListLength !== b.clusterListLength) {
    return a.clusterListLength - b.clusterListLength;
  }
  const address = a.peerAddress.compare(b.peerAddress);
  if (address !== 0) return address;
  return a.peerId - b.peerId;
}

function compareAll(a: Keys, b: Keys, options: DecisionOptions, withMed: boolean): number {
  return compareThroughIgp(a, b, options, withMed) || compareTieBreak(a, b, options);
}

/** The reference selection: the best path and the multipath set (best first), or an empty list. */
export function referenceSelect(paths: readonly ReferencePath[], context: ReferenceContext): ReferencePath[] {
  const options = context.options;
  const eligible = paths.filter((path) => referenceIsEligible(path, context)).map((path) => keysOf(path, context));
  if (eligible.length === 0) return [];
  let members: Keys[];
  let best: Keys;
  if (options.alwaysCompareMed === true) {
    // Every step is a total key: sorting by the comparator is well defined.
    const sorted = [...eligible].sort((a, b) => compareAll(a, b, options, true));
    best = sorted[0]!;
    members = sorted.filter((keys) => compareThroughIgp(keys, best, options, true) === 0);
  } else if (options.deterministicMed === true) {
    const groups = new Map<number, Keys[]>();
    for (const keys of eligible) groups.set(keys.neighborAs, [...(groups.get(keys.neighborAs) ?? []), keys]);
    const winnerOf = new Map<Keys, Keys>();
    const winners: Keys[] = [];
    for (const group of groups.values()) {
      const winner = [...group].sort((a, b) => compareAll(a, b, options, true))[0]!;
      winners.push(winner);
      for (const keys of group) winnerOf.set(keys, winner);
    }
    best = [...winners].sort((a, b) => compareAll(a, b, options, false))[0]!;
    members = eligible
      .filter(
        (keys) =>
          compareThroughIgp(keys, winnerOf.get(keys)!, options, true) === 0 &&
          compareThroughIgp(winnerOf.get(keys)!, best, options, false) === 0,
      )
      .sort((a, b) => compareTieBreak(a, b, options));
  } else {
    // RFC 4271 9.1.2.2, step by step: "remove from consideration" the routes each rule rules out.
    let remaining = eligible;
    const keepBest = (value: (keys: Keys) => number): void => {
      const lowest = Math.min(...remaining.map(value));
      remaining = remaining.filter((keys) => value(keys) === lowest);
    };
    keepBest((keys) => -keys.localPref);
    if (options.preferLocallyOriginated !== false) keepBest((keys) => (keys.local ? 0 : 1));
    if (options.ignoreAsPathLength !== true) keepBest((keys) => keys.asPathLength);
    keepBest((keys) => keys.origin);
    const beforeMed = remaining;
    remaining = beforeMed.filter(
      (keys) => !beforeMed.some((other) => other.neighborAs === keys.neighborAs && other.med < keys.med),
    );
    keepBest((keys) => (keys.external ? 0 : 1));
    if (options.ignoreIgpCost !== true) keepBest((keys) => keys.igpCost);
    members = [...remaining].sort((a, b) => compareTieBreak(a, b, options));
    best = members[0]!;
  }
  const maximum = options.maximumPaths ?? 1;
  const ordered = [best, ...members.filter((keys) => keys !== best)];
  const sameAsPath = (keys: Keys): boolean =>
    options.multipathRelax === true ||
    keys === best ||
    keys.path.route.attributes.sameAsPath(best.path.route.attributes);
  return ordered
    .filter(sameAsPath)
    .slice(0, maximum)
    .map((keys) => keys.path);
}

/** Longest-prefix match by linear scan: the longest prefix of the list containing the address. */
export function referenceLongestMatch(prefixes: Iterable<Prefix>, address: IpAddress): Prefix | undefined {
  let found: Prefix | undefined;
  for (const prefix of prefixes) {
    if (prefix.contains(address) && (found === undefined || prefix.length > found.length)) found = prefix;
  }
  return found;
}
