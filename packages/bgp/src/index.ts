/**
 * @packageDocumentation
 * BGP-4 wire codec with RFC 7606 error handling, MRT reader and writer, FSM, sessions and a speaker.
 *
 * @example
 * import { decodeMessage, defaultSessionContext, formatPrefix } from '@patronus/bgp';
 * const message = decodeMessage(bytes, defaultSessionContext);
 * if (message.type === 2) console.log(message.nlri.map(formatPrefix));
 */
export {
  BgpDecodeError,
  type BgpDecodeErrorDetails,
  BgpEncodeError,
  BgpError,
  BgpFramingError,
  type ErrorAction,
  errorActionStrength,
} from './errors';
export * from './wire/index';
