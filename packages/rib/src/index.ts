/**
 * @packageDocumentation
 * Prefixes, paths, the RFC 4271 decision process, Adj-RIB-In / Loc-RIB / Adj-RIB-Out and a longest-prefix-match FIB.
 *
 * @example
 * import { BgpRoute, Rib } from '@patronus/rib';
 *
 * const rib = new Rib(65000);
 * rib.addRoute(new BgpRoute('10.0.0.0/24', '192.168.1.1', [65001, 65002]).withLocalPref(150).withMed(10));
 * rib.lookup('10.0.0.5')?.nextHop; // '192.168.1.1'
 */
export {
  CapacityError,
  InvalidAddressError,
  InvalidAttributeError,
  InvalidPrefixError,
  PeerError,
  RibError,
} from './errors';
export {
  type AddressFamily,
  IpAddress,
  Prefix,
  compareWords,
  formatIpv4,
  formatIpv6,
  ipv4Mask,
  ipv6MaskWord,
  isUint32,
  parseIpv4,
  parseIpv6Words,
  rangeToPrefixes,
} from './address/index';
export {
  type Aggregator,
  type AsPathSegment,
  type AsPathSegmentType,
  AttributeFlag,
  AttributeSet,
  type AttributeSetInit,
  AttributeSetPool,
  BgpRoute,
  KeyField,
  type LargeCommunity,
  Origin,
  type PathSource,
  type PeerType,
  keyStride,
} from './path/index';
export {
  Candidates,
  type DecisionOptions,
  DecisionProcess,
  type ResolvedDecisionOptions,
  type SameAsPath,
  resolveDecisionOptions,
} from './decision/index';
export {
  AdjRibIn,
  AdjRibOut,
  type ExportPolicy,
  LocRib,
  type NextHopResolver,
  type Peer,
  type PeerOptions,
  Rib,
  type RibChange,
  RibChangeStream,
  type RibOptions,
} from './rib/index';
export {
  FibError,
  FIB_MAX_VALUE,
  FIB_NO_ROUTE,
  type FibOptions,
  type HugePageSupport,
  hugePageSupport,
  Ipv4Fib,
  type Ipv4FibEntry,
  Ipv6Fib,
  type Ipv6FibEntry,
} from './fib/index';
