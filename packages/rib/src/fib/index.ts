/**
 * Longest-prefix-match forwarding tables for IPv4 and IPv6 in typed arrays: {@link Ipv4Fib} and {@link Ipv6Fib}.
 *
 * Keys are raw numbers (an IPv4 address is an unsigned 32-bit number, an IPv6 address four unsigned 32-bit words,
 * most significant first) and values are non-negative 31-bit integers the caller chooses (a next-hop index, a
 * next-hop group index for ECMP, a route slot); a lookup that matches nothing returns {@link FIB_NO_ROUTE}.
 *
 * @example
 * import { Ipv4Fib, FIB_NO_ROUTE } from '@patronus/rib';
 * const fib = new Ipv4Fib();
 * fib.set(0xc0a80000, 16, 3); // 192.168.0.0/16 -> 3
 * const value = fib.lookup(0xc0a80101); // 3
 * if (value === FIB_NO_ROUTE) console.log('no route');
 */
export { FibError } from './errors';
export { type FibOptions, type HugePageSupport, hugePageSupport } from './huge-pages';
export { Ipv4Fib, type Ipv4FibEntry } from './ipv4';
export { Ipv6Fib, type Ipv6FibEntry } from './ipv6';
export { FIB_MAX_VALUE, FIB_NO_ROUTE } from './trie';
