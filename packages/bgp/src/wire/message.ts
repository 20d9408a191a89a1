import { BgpDecodeError, BgpEncodeError } from '../errors';
import { headerLength, maximumExtendedMessageLength, maximumMessageLength } from './constants';
import { decodeNotification, writeNotification } from './notification';
import { decodeOpen, writeOpen } from './open';
import { decodeRouteRefresh, writeRouteRefresh } from './route-refresh';
import type { BgpMessage, SessionContext } from './types';
import { decodeUpdate, writeUpdate } from './update';
import { sharedWriter } from './writer';

/**
 * Session state before any capability is negotiated: 2-octet ASNs, no ADD-PATH, 4096-byte messages. (Most modern
 * sessions negotiate 4-octet ASNs; build your own context from the OPEN exchange.)
 */
export const initialSessionContext: SessionContext = Object.freeze({
  fourOctetAsn: false,
  addPath: new Set<number>(),
  extendedMessage: false,
});

/** A context with 4-octet ASNs, no ADD-PATH and 4096-byte messages: what most sessions negotiate today. */
export const defaultSessionContext: SessionContext = Object.freeze({
  fourOctetAsn: true,
  addPath: new Set<number>(),
  extendedMessage: false,
});

/** Smallest valid message length per type (RFC 4271 section 6.1; RFC 2918 section 3), indexed by type. */
const minimumLengths: readonly number[] = [0, 29, 23, 21, 19, 23];

function headerError(subcode: number, message: string, offset: number, data?: Uint8Array): BgpDecodeError {
  return new BgpDecodeError('ERR_BGP_MALFORMED_HEADER', message, {
    action: 'session-reset',
    notificationCode: 1,
    notificationSubcode: subcode,
    ...(data === undefined ? {} : { notificationData: data }),
    offset,
    field: 'Message Header',
  });
}

/**
 * Checks a message header at `bytes[offset]` and returns the message length (RFC 4271 section 6.1): marker all ones,
 * length within 19..4096 (65535 with RFC 8654 extended messages) and at least the type's minimum, known type.
 * Throws a {@link BgpDecodeError} with the Message Header Error a speaker would send.
 */
export function checkMessageHeader(bytes: Uint8Array, offset: number, extendedMessage: boolean): number {
  for (let index = 0; index < 16; index++) {
    if (bytes[offset + index] !== 0xff) throw headerError(1, 'marker is not all ones', offset + index);
  }
  const length = (bytes[offset + 16]! << 8) | bytes[offset + 17]!;
  const type = bytes[offset + 18]!;
  const maximum = extendedMessage ? maximumExtendedMessageLength : maximumMessageLength;
  if (length < headerLength || length > maximum) {
    // RFC 4271 section 6.1: the data of Bad Message Length is the erroneous Length field.
    throw headerError(
      2,
      `message length ${length} outside ${headerLength}..${maximum}`,
      offset + 16,
      bytes.slice(offset + 16, offset + 18),
    );
  }
  if (type < 1 || type > 5) throw headerError(3, `unknown message type ${type}`, offset + 18, Uint8Array.of(type));
  // RFC 8654 section 4: OPEN and KEEPALIVE stay within 4096 bytes even with extended messages.
  if (
    length < minimumLengths[type]! ||
    (type === 4 && length !== headerLength) ||
    (type === 1 && length > maximumMessageLength)
  ) {
    throw headerError(
      2,
      `message length ${length} is wrong for type ${type}`,
      offset + 16,
      bytes.slice(offset + 16, offset + 18),
    );
  }
  return length;
}

/**
 * Decodes one complete BGP message (header and body; `bytes` holds exactly the message, as the framer yields it).
 * UPDATEs come back with their non-fatal RFC 7606 findings; anything requiring a session reset throws a
 * {@link BgpDecodeError} carrying the NOTIFICATION to send.
 *
 * @example
 * const message = decodeMessage(bytes, defaultSessionContext);
 * if (message.type === MessageType.Update) for (const prefix of message.nlri) console.log(formatPrefix(prefix));
 */
export function decodeMessage(bytes: Uint8Array, context: SessionContext): BgpMessage {
  if (bytes.length < headerLength) {
    throw headerError(2, `message of ${bytes.length} bytes is shorter than the header`, 0);
  }
  const length = checkMessageHeader(bytes, 0, context.extendedMessage);
  if (length !== bytes.length) {
    throw headerError(
      2,
      `Length field ${length} disagrees with the ${bytes.length} bytes given`,
      16,
      bytes.slice(16, 18),
    );
  }
  const type = bytes[18]!;
  switch (type) {
    case 1:
      return decodeOpen(bytes, headerLength, length);
    case 2:
      return decodeUpdate(bytes, headerLength, length, context);
    case 3:
      return decodeNotification(bytes, headerLength, length);
    case 4:
      return keepalive;
    default:
      return decodeRouteRefresh(bytes, 0, headerLength, length);
  }
}

const keepalive = Object.freeze({ type: 4 as const });

/**
 * Encodes one BGP message with its header (RFC 4271 section 4.1). Throws a {@link BgpEncodeError} when the result
 * exceeds the negotiated maximum (4096 bytes, or 65535 with RFC 8654 extended messages). The result is a view into
 * a shared 256 KiB slab that is never written again (see {@link ByteWriter}).
 *
 * @example
 * const bytes = encodeMessage(createUpdate({ attributes, nlri: [parsePrefix('10.0.0.0/8')] }), defaultSessionContext);
 */
export function encodeMessage(message: BgpMessage, context: SessionContext): Uint8Array {
  const writer = sharedWriter;
  const maximum = context.extendedMessage ? maximumExtendedMessageLength : maximumMessageLength;
  const start = writer.begin(maximum);
  writer.bytes.fill(0xff, start, start + 16);
  writer.offset = start + headerLength;
  switch (message.type) {
    case 1:
      writeOpen(writer, message);
      break;
    case 2:
      writeUpdate(writer, message, context);
      break;
    case 3:
      writeNotification(writer, message);
      break;
    case 4:
      break;
    case 5:
      writeRouteRefresh(writer, message);
      break;
  }
  const length = writer.offset - writer.start;
  // RFC 8654 section 4: OPEN and KEEPALIVE stay within 4096 bytes even with extended messages.
  const limit = message.type === 1 ? maximumMessageLength : maximum;
  if (length > limit) throw new BgpEncodeError('Length', `message of ${length} bytes exceeds ${limit}`);
  writer.view.setUint16(writer.start + 16, length);
  writer.bytes[writer.start + 18] = message.type;
  return writer.finish();
}

/** The KEEPALIVE message value. */
export const keepaliveMessage: { readonly type: 4 } = keepalive;
