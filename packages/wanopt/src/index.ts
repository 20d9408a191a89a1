/**
 * @packageDocumentation
 * WAN optimization: content-defined deduplication, Reed-Solomon FEC, HTTP and TCP optimizers and a WAN tunnel.
 */
export { WanoptError } from './errors';
export * from './chunking';
export * from './dedup';
export * from './hash';
export * from './fec';
