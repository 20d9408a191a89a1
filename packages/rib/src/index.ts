/**
 * @packageDocumentation
 * Prefixes, paths, the RFC 4271 decision process, Adj-RIB-In / Loc-RIB / Adj-RIB-Out and a longest-prefix-match FIB.
 */
export { RibError } from './errors';
