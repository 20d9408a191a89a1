/**
 * The BGP-4 wire codec: messages, capabilities, path attributes with RFC 7606 error handling, NLRI, a TCP stream
 * framer and an UPDATE packer.
 */
export * from './address';
export * from './attributes';
export * from './constants';
export * from './framer';
export * from './message';
export * from './nlri';
export * from './notification';
export * from './open';
export * from './packer';
export * from './route-refresh';
export type * from './types';
export * from './update';
export { ByteWriter } from './writer';
