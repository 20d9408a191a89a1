/**
 * A small pcap / pcapng reader for the test captures: link layers Ethernet (with VLAN tags), Linux cooked (SLL and
 * SLL2), raw IP and BSD loopback; IPv4 and IPv6; TCP. It yields each TCP segment's payload with its flow and sequence
 * number, and reassembles TCP streams per direction.
 */
import { readFileSync } from 'node:fs';

/** One captured TCP segment with payload. */
export interface TcpSegment {
  /** 1-based packet number in the capture (as tcpdump counts with `-#`). */
  readonly packetNumber: number;
  /** `source:port>destination:port`. */
  readonly flow: string;
  readonly sequence: number;
  readonly payload: Uint8Array;
  /** Flags byte of the TCP header. */
  readonly flags: number;
}

class CaptureFormatError extends Error {}

function linkPayload(linkType: number, frame: Uint8Array): Uint8Array | undefined {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  switch (linkType) {
    case 1: {
      // Ethernet, possibly with 802.1Q tags.
      let offset = 12;
      let etherType = view.getUint16(offset);
      while (etherType === 0x8100 || etherType === 0x88a8) {
        offset += 4;
        etherType = view.getUint16(offset);
      }
      return etherType === 0x0800 || etherType === 0x86dd ? frame.subarray(offset + 2) : undefined;
    }
    case 113:
      return frame.subarray(16);
    case 178: {
      // Juniper Ethernet: "MGC" magic, flags, optional extension TLVs (2-byte length), then an Ethernet frame.
      if (frame[0] !== 0x4d || frame[1] !== 0x47 || frame[2] !== 0x43) return undefined;
      const extensionLength = (frame[3]! & 0x80) !== 0 ? 2 + view.getUint16(4) : 0;
      return linkPayload(1, frame.subarray(4 + extensionLength));
    }
    case 276:
      return frame.subarray(20);
    case 101:
    case 228:
    case 229:
      return frame;
    case 9:
    case 50:
      // PPP (HDLC-like framing): address, control, 2-byte protocol (0x0021 IPv4, 0x0057 IPv6).
      return view.getUint16(2) === 0x0021 || view.getUint16(2) === 0x0057 ? frame.subarray(4) : undefined;
    case 0:
    case 108:
      return frame.subarray(4);
    default:
      throw new CaptureFormatError(`unsupported link type ${linkType}`);
  }
}

function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(((bytes[index]! << 8) | bytes[index + 1]!).toString(16));
  return groups.join(':');
}

function tcpSegment(packetNumber: number, ip: Uint8Array): TcpSegment | undefined {
  if (ip.length < 20) return undefined;
  const view = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
  const version = ip[0]! >>> 4;
  let protocol: number;
  let payloadStart: number;
  let payloadEnd: number;
  let source: string;
  let destination: string;
  if (version === 4) {
    const headerLength = (ip[0]! & 0xf) * 4;
    protocol = ip[9]!;
    payloadStart = headerLength;
    payloadEnd = Math.min(ip.length, view.getUint16(2));
    source = formatAddress(ip.subarray(12, 16));
    destination = formatAddress(ip.subarray(16, 20));
  } else if (version === 6) {
    if (ip.length < 40) return undefined;
    protocol = ip[6]!;
    payloadStart = 40;
    payloadEnd = Math.min(ip.length, 40 + view.getUint16(4));
    source = formatAddress(ip.subarray(8, 24));
    destination = formatAddress(ip.subarray(24, 40));
  } else return undefined;
  if (protocol !== 6 || payloadStart + 20 > payloadEnd) return undefined;
  const tcp = ip.subarray(payloadStart, payloadEnd);
  const tcpView = new DataView(tcp.buffer, tcp.byteOffset, tcp.byteLength);
  const dataOffset = (tcp[12]! >>> 4) * 4;
  if (dataOffset > tcp.length) return undefined;
  return {
    packetNumber,
    flow: `${source}:${tcpView.getUint16(0)}>${destination}:${tcpView.getUint16(2)}`,
    sequence: tcpView.getUint32(4),
    flags: tcp[13]!,
    payload: tcp.subarray(dataOffset),
  };
}

/** Reads every TCP segment (with or without payload) of a `.pcap` or `.pcapng` file, in capture order. */
export function readTcpSegments(path: string): TcpSegment[] {
  const file = new Uint8Array(readFileSync(path));
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const segments: TcpSegment[] = [];
  const magic = view.getUint32(0, false);
  let packetNumber = 0;
  const add = (linkType: number, frame: Uint8Array): void => {
    packetNumber++;
    let ip: Uint8Array | undefined;
    try {
      ip = linkPayload(linkType, frame);
    } catch (error) {
      // A frame cut short by the capture's snap length has no usable payload.
      if (error instanceof RangeError) return;
      throw error;
    }
    if (ip === undefined) return;
    const segment = tcpSegment(packetNumber, ip);
    if (segment !== undefined) segments.push(segment);
  };
  if (magic === 0x0a0d0d0a) {
    // pcapng: blocks of (type, total length, body, total length); byte order from the Section Header Block.
    let littleEndian = true;
    const linkTypes: number[] = [];
    let offset = 0;
    while (offset + 12 <= file.length) {
      const type = view.getUint32(offset, littleEndian);
      if (type === 0x0a0d0d0a) {
        littleEndian = view.getUint32(offset + 8, true) === 0x1a2b3c4d;
        linkTypes.length = 0;
      }
      const length = view.getUint32(offset + 4, littleEndian);
      if (length < 12 || offset + length > file.length) break;
      if (type === 1) linkTypes.push(view.getUint16(offset + 8, littleEndian));
      else if (type === 6) {
        const interfaceId = view.getUint32(offset + 8, littleEndian);
        const captured = view.getUint32(offset + 20, littleEndian);
        add(linkTypes[interfaceId] ?? 1, file.subarray(offset + 28, offset + 28 + captured));
      } else if (type === 3) {
        const captured = Math.min(view.getUint32(offset + 8, littleEndian), length - 16);
        add(linkTypes[0] ?? 1, file.subarray(offset + 12, offset + 12 + captured));
      }
      offset += length;
    }
    return segments;
  }
  let littleEndian: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) littleEndian = false;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) littleEndian = true;
  else throw new CaptureFormatError(`${path}: not a pcap or pcapng file`);
  const linkType = view.getUint32(20, littleEndian) & 0x0fffffff;
  let offset = 24;
  while (offset + 16 <= file.length) {
    const captured = view.getUint32(offset + 8, littleEndian);
    const end = Math.min(file.length, offset + 16 + captured);
    add(linkType, file.subarray(offset + 16, end));
    offset = end;
  }
  return segments;
}

/** One direction of a TCP connection, reassembled. */
export interface TcpStream {
  readonly flow: string;
  /** The in-order bytes (retransmissions dropped, stopping at the first gap). */
  readonly bytes: Uint8Array;
  /** True when a gap (missing segment) cut the stream short. */
  readonly hasGap: boolean;
}

/**
 * Reassembles each flow's payload in sequence order: overlapping retransmitted bytes are dropped and the stream stops
 * at the first hole.
 */
export function reassembleStreams(segments: readonly TcpSegment[]): TcpStream[] {
  const byFlow = new Map<string, TcpSegment[]>();
  for (const segment of segments) {
    if (segment.payload.length === 0) continue;
    let list = byFlow.get(segment.flow);
    if (list === undefined) byFlow.set(segment.flow, (list = []));
    list.push(segment);
  }
  const streams: TcpStream[] = [];
  for (const [flow, list] of byFlow) {
    const first = list[0]!.sequence;
    // Relative sequence numbers modulo 2^32, so a wrap inside the capture still sorts.
    const relative = (segment: TcpSegment): number => (segment.sequence - first + 0x100000000) % 0x100000000;
    const ordered = [...list].sort((a, b) => relative(a) - relative(b));
    const parts: Uint8Array[] = [];
    let next = 0;
    let hasGap = false;
    for (const segment of ordered) {
      const start = relative(segment);
      const end = start + segment.payload.length;
      if (end <= next) continue;
      if (start > next) {
        hasGap = true;
        break;
      }
      parts.push(segment.payload.subarray(next - start));
      next = end;
    }
    const bytes = new Uint8Array(next);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    streams.push({ flow, bytes, hasGap });
  }
  return streams;
}
