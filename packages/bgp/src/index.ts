/**
 * @packageDocumentation
 * BGP-4 wire codec with RFC 7606 error handling, MRT reader and writer, FSM, sessions and a speaker.
 */
export { BgpError } from './errors';
