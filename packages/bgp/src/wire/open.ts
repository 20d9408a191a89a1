import { BgpDecodeError, BgpEncodeError } from '../errors';
import { CapabilityCode } from './constants';
import type { Capability, OpenMessage, OptionalParameter, UnknownCapability } from './types';
import type { ByteWriter } from './writer';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

function openError(subcode: number, message: string, offset: number, field: string): BgpDecodeError {
  return new BgpDecodeError('ERR_BGP_MALFORMED_OPEN', message, {
    action: 'session-reset',
    notificationCode: 2,
    notificationSubcode: subcode,
    offset,
    field,
  });
}

function raw(code: number, value: Uint8Array): UnknownCapability {
  return { code, value: value.slice(), raw: true };
}

/**
 * Decodes one capability value (RFC 5492 section 4). A value that does not follow its RFC is kept raw (as an unknown
 * capability), so the OPEN stays byte-exact and the session layer decides what to do.
 */
export function decodeCapability(code: number, value: Uint8Array): Capability {
  const length = value.length;
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  switch (code) {
    case CapabilityCode.Multiprotocol:
      // A non-zero Reserved byte (RFC 4760 section 8) is kept raw so the OPEN re-encodes byte-exact.
      if (length !== 4 || value[2] !== 0) return raw(code, value);
      return { code, afi: view.getUint16(0), safi: value[3]! };
    case CapabilityCode.RouteRefresh:
    case CapabilityCode.ExtendedMessage:
    case CapabilityCode.EnhancedRouteRefresh:
      if (length !== 0) return raw(code, value);
      return { code };
    case CapabilityCode.ExtendedNextHop: {
      if (length % 6 !== 0) return raw(code, value);
      const entries: { afi: number; safi: number; nextHopAfi: number }[] = [];
      for (let at = 0; at < length; at += 6) {
        entries.push({ afi: view.getUint16(at), safi: view.getUint16(at + 2), nextHopAfi: view.getUint16(at + 4) });
      }
      return { code, entries };
    }
    case CapabilityCode.Role:
      if (length !== 1) return raw(code, value);
      return { code, role: value[0]! };
    case CapabilityCode.GracefulRestart: {
      if (length < 2 || (length - 2) % 4 !== 0) return raw(code, value);
      const header = view.getUint16(0);
      const families: { afi: number; safi: number; flags: number }[] = [];
      for (let at = 2; at < length; at += 4) {
        families.push({ afi: view.getUint16(at), safi: value[at + 2]!, flags: value[at + 3]! });
      }
      return { code, restartFlags: header >>> 12, restartTimeSeconds: header & 0xfff, families };
    }
    case CapabilityCode.FourOctetAsn:
      if (length !== 4) return raw(code, value);
      return { code, asn: view.getUint32(0) };
    case CapabilityCode.AddPath: {
      if (length % 4 !== 0) return raw(code, value);
      const families: { afi: number; safi: number; sendReceive: number }[] = [];
      for (let at = 0; at < length; at += 4) {
        families.push({ afi: view.getUint16(at), safi: value[at + 2]!, sendReceive: value[at + 3]! });
      }
      return { code, families };
    }
    case CapabilityCode.LongLivedGracefulRestart: {
      if (length % 7 !== 0) return raw(code, value);
      const families: { afi: number; safi: number; flags: number; staleTimeSeconds: number }[] = [];
      for (let at = 0; at < length; at += 7) {
        families.push({
          afi: view.getUint16(at),
          safi: value[at + 2]!,
          flags: value[at + 3]!,
          staleTimeSeconds: (value[at + 4]! << 16) | (value[at + 5]! << 8) | value[at + 6]!,
        });
      }
      return { code, families };
    }
    case CapabilityCode.Fqdn: {
      if (length < 2) return raw(code, value);
      const hostLength = value[0]!;
      if (1 + hostLength + 1 > length) return raw(code, value);
      const domainLength = value[1 + hostLength]!;
      if (2 + hostLength + domainLength !== length) return raw(code, value);
      try {
        return {
          code,
          hostname: utf8.decode(value.subarray(1, 1 + hostLength)),
          domainName: utf8.decode(value.subarray(2 + hostLength, length)),
        };
      } catch {
        return raw(code, value);
      }
    }
    default:
      return raw(code, value);
  }
}

/** Writes one capability (code, length, value) into `writer`. */
export function writeCapability(writer: ByteWriter, capability: Capability): void {
  writer.u8(capability.code);
  const lengthAt = writer.offset;
  writer.u8(0);
  if ('raw' in capability) {
    writer.write(capability.value);
  } else {
    switch (capability.code) {
      case 1:
        writer.u16(capability.afi);
        writer.u8(0);
        writer.u8(capability.safi);
        break;
      case 2:
      case 6:
      case 70:
        break;
      case 5:
        for (const entry of capability.entries) {
          writer.u16(entry.afi);
          writer.u16(entry.safi);
          writer.u16(entry.nextHopAfi);
        }
        break;
      case 9:
        writer.u8(capability.role);
        break;
      case 64:
        writer.u16(((capability.restartFlags & 0xf) << 12) | (capability.restartTimeSeconds & 0xfff));
        for (const family of capability.families) {
          writer.u16(family.afi);
          writer.u8(family.safi);
          writer.u8(family.flags);
        }
        break;
      case 65:
        writer.u32(capability.asn);
        break;
      case 69:
        for (const family of capability.families) {
          writer.u16(family.afi);
          writer.u8(family.safi);
          writer.u8(family.sendReceive);
        }
        break;
      case 71:
        for (const family of capability.families) {
          writer.u16(family.afi);
          writer.u8(family.safi);
          writer.u8(family.flags);
          writer.u8((family.staleTimeSeconds >>> 16) & 0xff);
          writer.u16(family.staleTimeSeconds & 0xffff);
        }
        break;
      case 73: {
        const host = utf8Encoder.encode(capability.hostname);
        const domain = utf8Encoder.encode(capability.domainName);
        if (host.length > 255 || domain.length > 255) throw new BgpEncodeError('FQDN capability', 'name too long');
        writer.u8(host.length);
        writer.write(host);
        writer.u8(domain.length);
        writer.write(domain);
        break;
      }
    }
  }
  const length = writer.offset - lengthAt - 1;
  if (length > 255) throw new BgpEncodeError('capability', `capability ${capability.code} value exceeds 255 bytes`);
  writer.bytes[lengthAt] = length;
}

/**
 * Decodes an OPEN message body (after the 19-byte header) from `bytes[start, end)`, including RFC 9072 extended
 * optional parameters. Throws a {@link BgpDecodeError} (OPEN Message Error) when the parameters are malformed.
 */
export function decodeOpen(bytes: Uint8Array, start: number, end: number): OpenMessage {
  if (end - start < 10) throw openError(0, 'OPEN shorter than 10 bytes', start, 'OPEN');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[start]!;
  const myAutonomousSystem = view.getUint16(start + 1);
  const holdTimeSeconds = view.getUint16(start + 3);
  const bgpIdentifier = view.getUint32(start + 5);
  let parametersLength = bytes[start + 9]!;
  let position = start + 10;
  let extendedOptionalParameters = false;
  // RFC 9072 section 2: Non-Ext OP Len 255 followed by Non-Ext OP Type 255 announces 2-byte lengths.
  if (parametersLength === 255 && position < end && bytes[position] === 255) {
    if (position + 3 > end) throw openError(0, 'truncated Extended Optional Parameters Length', position, 'OPEN');
    parametersLength = view.getUint16(position + 1);
    position += 3;
    extendedOptionalParameters = true;
  }
  const parametersEnd = position + parametersLength;
  if (parametersEnd !== end) {
    throw openError(
      0,
      `Optional Parameters Length ${parametersLength} disagrees with the message`,
      start + 9,
      'Optional Parameters Length',
    );
  }
  const optionalParameters: OptionalParameter[] = [];
  const headerSize = extendedOptionalParameters ? 3 : 2;
  while (position < parametersEnd) {
    if (position + headerSize > parametersEnd)
      throw openError(0, 'truncated optional parameter', position, 'Optional Parameters');
    const type = bytes[position]!;
    const length = extendedOptionalParameters ? view.getUint16(position + 1) : bytes[position + 1]!;
    const valueStart = position + headerSize;
    const valueEnd = valueStart + length;
    if (valueEnd > parametersEnd)
      throw openError(0, 'optional parameter overruns the parameters', position, 'Optional Parameters');
    if (type === 2) {
      const capabilities: Capability[] = [];
      let at = valueStart;
      while (at < valueEnd) {
        if (at + 2 > valueEnd) throw openError(0, 'truncated capability header', at, 'Capabilities');
        const code = bytes[at]!;
        const capabilityLength = bytes[at + 1]!;
        if (at + 2 + capabilityLength > valueEnd)
          throw openError(0, `capability ${code} overruns its parameter`, at, 'Capabilities');
        capabilities.push(decodeCapability(code, bytes.subarray(at + 2, at + 2 + capabilityLength)));
        at += 2 + capabilityLength;
      }
      optionalParameters.push({ type: 2, capabilities });
    } else {
      optionalParameters.push({ type, value: bytes.slice(valueStart, valueEnd) });
    }
    position = valueEnd;
  }
  return {
    type: 1,
    version,
    myAutonomousSystem,
    holdTimeSeconds,
    bgpIdentifier,
    optionalParameters,
    extendedOptionalParameters,
  };
}

/** Writes an OPEN message body into `writer` (RFC 4271 section 4.2; RFC 9072 when asked or when needed). */
export function writeOpen(writer: ByteWriter, open: OpenMessage): void {
  writer.u8(open.version);
  writer.u16(open.myAutonomousSystem);
  writer.u16(open.holdTimeSeconds);
  writer.u32(open.bgpIdentifier);
  const lengthAt = writer.offset;
  let extended = open.extendedOptionalParameters;
  writer.u8(0);
  if (extended) {
    writer.u8(255);
    writer.u16(0);
  }
  const parametersStart = writer.offset;
  const writeParameters = (isExtended: boolean): void => {
    for (const parameter of open.optionalParameters) {
      writer.u8(parameter.type);
      const parameterLengthAt = writer.offset;
      if (isExtended) writer.u16(0);
      else writer.u8(0);
      if ('capabilities' in parameter) {
        for (const capability of parameter.capabilities) writeCapability(writer, capability);
      } else writer.write(parameter.value);
      const length = writer.offset - parameterLengthAt - (isExtended ? 2 : 1);
      if (isExtended) writer.view.setUint16(parameterLengthAt, length);
      else if (length > 255) throw new OversizeParameter();
      else writer.bytes[parameterLengthAt] = length;
    }
  };
  try {
    writeParameters(extended);
  } catch (error) {
    if (!(error instanceof OversizeParameter)) throw error;
    // RFC 9072 section 2: a parameter longer than 255 bytes needs the extended encoding.
    writer.offset = lengthAt + 1;
    writer.u8(255);
    writer.u16(0);
    extended = true;
    writeParameters(true);
  }
  const parametersLength = writer.offset - (extended ? lengthAt + 4 : parametersStart);
  if (extended) {
    writer.bytes[lengthAt] = 255;
    if (parametersLength > 0xffff) throw new BgpEncodeError('OPEN', 'optional parameters exceed 65535 bytes');
    writer.view.setUint16(lengthAt + 2, parametersLength);
  } else if (parametersLength > 255) {
    // Too long for the 1-byte length: rewrite in the RFC 9072 format.
    writer.offset = lengthAt;
    writeOpenParametersExtended(writer, open);
  } else writer.bytes[lengthAt] = parametersLength;
}

function writeOpenParametersExtended(writer: ByteWriter, open: OpenMessage): void {
  writeOpenTail(writer, { ...open, extendedOptionalParameters: true });
}

function writeOpenTail(writer: ByteWriter, open: OpenMessage): void {
  writer.offset -= 9;
  writeOpen(writer, open);
}

class OversizeParameter extends Error {}

/**
 * Every capability of an OPEN, flattened across its Capabilities optional parameters.
 *
 * @example
 * openCapabilities(open).some((capability) => capability.code === CapabilityCode.FourOctetAsn);
 */
export function openCapabilities(open: OpenMessage): Capability[] {
  const capabilities: Capability[] = [];
  for (const parameter of open.optionalParameters) {
    if ('capabilities' in parameter) capabilities.push(...parameter.capabilities);
  }
  return capabilities;
}
