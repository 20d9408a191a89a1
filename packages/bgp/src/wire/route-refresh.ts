import { BgpDecodeError } from '../errors';
import type { RouteRefreshMessage } from './types';
import type { ByteWriter } from './writer';

/**
 * Decodes a ROUTE-REFRESH body from `bytes[start, end)` (RFC 2918 section 3, RFC 7313 section 3.2). `messageStart` is
 * where the whole message begins: RFC 7313 section 5 puts the complete message in the NOTIFICATION data.
 */
export function decodeRouteRefresh(
  bytes: Uint8Array,
  messageStart: number,
  start: number,
  end: number,
): RouteRefreshMessage {
  const length = end - start;
  const subtype = length >= 3 ? bytes[start + 2]! : 0;
  // RFC 7313 section 5: a ROUTE-REFRESH shorter than 4 bytes of body, or a BoRR/EoRR that is not exactly 4, is an
  // Invalid Message Length.
  if (length < 4 || ((subtype === 1 || subtype === 2) && length !== 4)) {
    throw new BgpDecodeError('ERR_BGP_MALFORMED_ROUTE_REFRESH', `ROUTE-REFRESH body of ${length} bytes`, {
      action: 'session-reset',
      notificationCode: 7,
      notificationSubcode: 1,
      notificationData: bytes.slice(messageStart, end),
      offset: start,
      field: 'Message Length',
    });
  }
  return {
    type: 5,
    afi: (bytes[start]! << 8) | bytes[start + 1]!,
    subtype,
    safi: bytes[start + 3]!,
    orfData: bytes.slice(start + 4, end),
  };
}

/** Writes a ROUTE-REFRESH body. */
export function writeRouteRefresh(writer: ByteWriter, message: RouteRefreshMessage): void {
  writer.u16(message.afi);
  writer.u8(message.subtype);
  writer.u8(message.safi);
  writer.write(message.orfData);
}
