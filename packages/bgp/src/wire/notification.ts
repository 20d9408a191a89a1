import { BgpEncodeError } from '../errors';
import { decodeCapability } from './open';
import type { Capability, HardResetCause, NotificationDetails, NotificationMessage } from './types';
import type { ByteWriter } from './writer';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** True for the Cease subcodes that carry an RFC 9003 Shutdown Communication (Administrative Shutdown / Reset). */
function carriesShutdownCommunication(code: number, subcode: number): boolean {
  return code === 6 && (subcode === 2 || subcode === 4);
}

/** Decodes an RFC 9003 Shutdown Communication: undefined when absent, null when malformed. */
function decodeShutdownCommunication(data: Uint8Array): string | undefined | null {
  if (data.length === 0) return undefined;
  const length = data[0]!;
  // RFC 9003 section 2: the length byte counts the UTF-8 octets that follow; nothing may follow them.
  if (length + 1 !== data.length) return null;
  try {
    return utf8.decode(data.subarray(1));
  } catch {
    return null;
  }
}

interface DecodedData {
  shutdownCommunication: string | undefined;
  hardReset: HardResetCause | undefined;
  maximumPrefixes: { afi: number; safi: number; upperBound: number } | undefined;
  details: NotificationDetails | undefined;
  isDataMalformed: boolean;
}

/** Decodes the data RFC 4271 section 6 and RFC 5492 section 3 define; null when it does not follow them. */
function decodeDetails(code: number, subcode: number, data: Uint8Array): NotificationDetails | undefined | null {
  const length = data.length;
  if (code === 1 && subcode === 2) {
    return length === 2 ? { kind: 'bad-message-length', length: (data[0]! << 8) | data[1]! } : null;
  }
  if (code === 1 && subcode === 3) return length === 1 ? { kind: 'bad-message-type', messageType: data[0]! } : null;
  if (code === 2 && subcode === 1) {
    return length === 2 ? { kind: 'supported-version', version: (data[0]! << 8) | data[1]! } : null;
  }
  if (code === 2 && subcode === 7) {
    const capabilities: Capability[] = [];
    for (let at = 0; at < length;) {
      if (at + 2 > length || at + 2 + data[at + 1]! > length) return null;
      capabilities.push(decodeCapability(data[at]!, data.subarray(at + 2, at + 2 + data[at + 1]!)));
      at += 2 + data[at + 1]!;
    }
    return { kind: 'unsupported-capabilities', capabilities };
  }
  if (code === 3 && subcode === 3) return length === 1 ? { kind: 'missing-attribute', typeCode: data[0]! } : null;
  if (code === 3 && (subcode === 2 || (subcode >= 4 && subcode <= 6) || subcode === 8 || subcode === 9)) {
    if (length === 0) return undefined;
    if (length < 3) return null;
    const flags = data[0]!;
    const isExtended = (flags & 0x10) !== 0;
    const header = isExtended ? 4 : 3;
    if (length < header) return null;
    const valueLength = isExtended ? (data[2]! << 8) | data[3]! : data[2]!;
    if (header + valueLength !== length) return null;
    return { kind: 'attribute', flags, typeCode: data[1]!, value: data.slice(header) };
  }
  return undefined;
}

function decodeData(code: number, subcode: number, data: Uint8Array, depth: number): DecodedData {
  const result: DecodedData = {
    shutdownCommunication: undefined,
    hardReset: undefined,
    maximumPrefixes: undefined,
    details: undefined,
    isDataMalformed: false,
  };
  if (code !== 6) {
    const details = decodeDetails(code, subcode, data);
    if (details === null) result.isDataMalformed = true;
    else result.details = details;
  } else if (carriesShutdownCommunication(code, subcode)) {
    const text = decodeShutdownCommunication(data);
    if (text === null) result.isDataMalformed = true;
    else result.shutdownCommunication = text;
  } else if (subcode === 9 && depth === 0) {
    // RFC 8538 section 3: the data is the code, subcode and data of the NOTIFICATION that caused the hard reset.
    if (data.length < 2) result.isDataMalformed = true;
    else {
      const inner = data.slice(2);
      const innerDecoded = decodeData(data[0]!, data[1]!, inner, 1);
      result.hardReset = {
        code: data[0]!,
        subcode: data[1]!,
        data: inner,
        shutdownCommunication: innerDecoded.shutdownCommunication,
      };
      result.isDataMalformed = innerDecoded.isDataMalformed;
    }
  } else if (subcode === 1 && data.length > 0) {
    // RFC 4486 section 4: AFI (2), SAFI (1), upper bound (4) when present.
    if (data.length !== 7) result.isDataMalformed = true;
    else {
      const view = new DataView(data.buffer, data.byteOffset, 7);
      result.maximumPrefixes = { afi: view.getUint16(0), safi: data[2]!, upperBound: view.getUint32(3) };
    }
  }
  return result;
}

/**
 * Decodes a NOTIFICATION body from `bytes[start, end)` (at least 2 bytes, checked by the caller). The data is kept
 * byte-exact, and decoded where an RFC defines it; malformed data sets `isDataMalformed` rather than throwing,
 * because a NOTIFICATION closes the session anyway (RFC 4271 section 6.4).
 */
export function decodeNotification(bytes: Uint8Array, start: number, end: number): NotificationMessage {
  const code = bytes[start]!;
  const subcode = bytes[start + 1]!;
  const data = bytes.slice(start + 2, end);
  const decoded = decodeData(code, subcode, data, 0);
  return {
    type: 3,
    code,
    subcode,
    data,
    shutdownCommunication: decoded.shutdownCommunication,
    hardReset: decoded.hardReset,
    maximumPrefixes: decoded.maximumPrefixes,
    details: decoded.details,
    isDataMalformed: decoded.isDataMalformed,
  };
}

/** Writes a NOTIFICATION body (code, subcode, data). */
export function writeNotification(writer: ByteWriter, notification: NotificationMessage): void {
  writer.u8(notification.code);
  writer.u8(notification.subcode);
  writer.write(notification.data);
}

/** What {@link createNotification} builds a NOTIFICATION from. */
export interface NotificationInit {
  readonly code: number;
  readonly subcode: number;
  /** Raw data; ignored when one of the typed fields below builds it. */
  readonly data?: Uint8Array;
  /** RFC 9003 Shutdown Communication for Cease / Administrative Shutdown or Reset (at most 255 UTF-8 bytes). */
  readonly shutdownCommunication?: string;
  /** RFC 8538: wrap this NOTIFICATION in a Cease / Hard Reset. */
  readonly hardReset?: boolean;
  /** RFC 4486 section 4 data for Cease / Maximum Number of Prefixes Reached. */
  readonly maximumPrefixes?: { readonly afi: number; readonly safi: number; readonly upperBound: number };
}

function encodeShutdownCommunication(text: string): Uint8Array {
  const encoded = utf8Encoder.encode(text);
  if (encoded.length > 255) throw new BgpEncodeError('Shutdown Communication', 'longer than 255 UTF-8 bytes');
  const data = new Uint8Array(encoded.length + 1);
  data[0] = encoded.length;
  data.set(encoded, 1);
  return data;
}

/**
 * Builds a NOTIFICATION with its data encoded per the RFCs (Shutdown Communication, Hard Reset wrapping, maximum
 * prefixes), ready for {@link encodeMessage}.
 *
 * @example
 * createNotification({ code: 6, subcode: 2, shutdownCommunication: 'maintenance' });
 */
export function createNotification(init: NotificationInit): NotificationMessage {
  let data = init.data ?? new Uint8Array(0);
  if (init.shutdownCommunication !== undefined) data = encodeShutdownCommunication(init.shutdownCommunication);
  if (init.maximumPrefixes !== undefined) {
    data = new Uint8Array(7);
    const view = new DataView(data.buffer);
    view.setUint16(0, init.maximumPrefixes.afi);
    data[2] = init.maximumPrefixes.safi;
    view.setUint32(3, init.maximumPrefixes.upperBound);
  }
  let code = init.code;
  let subcode = init.subcode;
  if (init.hardReset === true) {
    const wrapped = new Uint8Array(data.length + 2);
    wrapped[0] = code;
    wrapped[1] = subcode;
    wrapped.set(data, 2);
    data = wrapped;
    code = 6;
    subcode = 9;
  }
  const decoded = decodeData(code, subcode, data, 0);
  return {
    type: 3,
    code,
    subcode,
    data,
    shutdownCommunication: decoded.shutdownCommunication,
    hardReset: decoded.hardReset,
    maximumPrefixes: decoded.maximumPrefixes,
    details: decoded.details,
    isDataMalformed: decoded.isDataMalformed,
  };
}
