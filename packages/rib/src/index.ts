/**
 * @packageDocumentation
 * Prefixes, paths, the RFC 4271 decision process, Adj-RIB-In / Loc-RIB / Adj-RIB-Out and a longest-prefix-match FIB.
 */
export { RibError } from './errors';
export {
  FibError,
  FIB_MAX_VALUE,
  FIB_NO_ROUTE,
  Ipv4Fib,
  type Ipv4FibEntry,
  Ipv6Fib,
  type Ipv6FibEntry,
} from './fib/index';
