import { BgpEncodeError } from '../errors';
import type { Prefix } from './types';

/**
 * An IPv4 prefix (the address is masked to `length` bits).
 *
 * @example
 * formatPrefix(ipv4Prefix(0x0a000000, 8)); // '10.0.0.0/8'
 */
export function ipv4Prefix(address: number, length: number, pathId?: number): Prefix {
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return { afi: 1, length, address0: (address & mask) >>> 0, address1: 0, address2: 0, address3: 0, pathId };
}

function maskWord(word: number, length: number, wordIndex: number): number {
  const bits = length - wordIndex * 32;
  if (bits >= 32) return word >>> 0;
  if (bits <= 0) return 0;
  return (word & (0xffffffff << (32 - bits))) >>> 0;
}

/**
 * An IPv6 prefix from four 32-bit words, most significant first (masked to `length` bits).
 *
 * @example
 * formatPrefix(ipv6Prefix(0x20010db8, 0, 0, 0, 32)); // '2001:db8::/32'
 */
export function ipv6Prefix(
  word0: number,
  word1: number,
  word2: number,
  word3: number,
  length: number,
  pathId?: number,
): Prefix {
  return {
    afi: 2,
    length,
    address0: maskWord(word0, length, 0),
    address1: maskWord(word1, length, 1),
    address2: maskWord(word2, length, 2),
    address3: maskWord(word3, length, 3),
    pathId,
  };
}

/**
 * An IPv4 address (unsigned 32-bit) in dotted-quad text.
 *
 * @example
 * formatIpv4(0xc0000201); // '192.0.2.1'
 */
export function formatIpv4(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

/**
 * An IPv6 address given as four 32-bit words in RFC 5952 text (lower case, longest zero run compressed, no
 * leading zeros; the first of equal runs; a single zero group is not compressed).
 *
 * @example
 * formatIpv6Words(0x20010db8, 0, 0, 1); // '2001:db8::1'
 */
export function formatIpv6Words(word0: number, word1: number, word2: number, word3: number): string {
  const groups = [
    word0 >>> 16,
    word0 & 0xffff,
    word1 >>> 16,
    word1 & 0xffff,
    word2 >>> 16,
    word2 & 0xffff,
    word3 >>> 16,
    word3 & 0xffff,
  ];
  let bestStart = -1;
  let bestLength = 1;
  for (let index = 0; index < 8;) {
    if (groups[index] !== 0) {
      index++;
      continue;
    }
    let end = index;
    while (end < 8 && groups[end] === 0) end++;
    if (end - index > bestLength) {
      bestStart = index;
      bestLength = end - index;
    }
    index = end;
  }
  // RFC 5952 section 5: ::ffff:a.b.c.d for IPv4-mapped addresses.
  if (bestStart === 0 && bestLength === 5 && groups[5] === 0xffff) {
    return `::ffff:${formatIpv4(word3)}`;
  }
  if (bestStart < 0) return groups.map((group) => group.toString(16)).join(':');
  const head = groups
    .slice(0, bestStart)
    .map((group) => group.toString(16))
    .join(':');
  const tail = groups
    .slice(bestStart + bestLength)
    .map((group) => group.toString(16))
    .join(':');
  return `${head}::${tail}`;
}

/**
 * An address of 4 or 16 bytes in text (dotted quad or RFC 5952).
 *
 * @example
 * formatAddress(new Uint8Array([192, 0, 2, 1])); // '192.0.2.1'
 */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return formatIpv4(readWord(bytes, 0));
  if (bytes.length === 16) {
    return formatIpv6Words(readWord(bytes, 0), readWord(bytes, 4), readWord(bytes, 8), readWord(bytes, 12));
  }
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function readWord(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

/**
 * A prefix as text: `10.0.0.0/8` or `2001:db8::/32` (RFC 5952); the ADD-PATH Path Identifier is not printed.
 *
 * @example
 * formatPrefix(ipv4Prefix(0xc0a80000, 16)); // '192.168.0.0/16'
 */
export function formatPrefix(prefix: Prefix): string {
  const address =
    prefix.afi === 1
      ? formatIpv4(prefix.address0)
      : formatIpv6Words(prefix.address0, prefix.address1, prefix.address2, prefix.address3);
  return `${address}/${prefix.length}`;
}

/**
 * The address bytes of a prefix (4 for IPv4, 16 for IPv6), e.g. to hand to `ip-address` or another library.
 *
 * @example
 * prefixAddressBytes(ipv4Prefix(0x0a000000, 8)); // Uint8Array [10, 0, 0, 0]
 */
export function prefixAddressBytes(prefix: Prefix): Uint8Array {
  const bytes = new Uint8Array(prefix.afi === 1 ? 4 : 16);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, prefix.address0);
  if (prefix.afi !== 1) {
    view.setUint32(4, prefix.address1);
    view.setUint32(8, prefix.address2);
    view.setUint32(12, prefix.address3);
  }
  return bytes;
}

/**
 * Parses `a.b.c.d` into an unsigned 32-bit number.
 *
 * @example
 * parseIpv4('10.0.0.1'); // 167772161
 */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new BgpEncodeError('address', `not an IPv4 address: ${text}`);
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) {
      throw new BgpEncodeError('address', `not an IPv4 address: ${text}`);
    }
    value = value * 256 + Number(part);
  }
  return value;
}

/**
 * Parses IPv6 text (with `::` and an optional dotted IPv4 tail) into four unsigned 32-bit words.
 *
 * @example
 * parseIpv6('2001:db8::1'); // [0x20010db8, 0, 0, 1]
 */
export function parseIpv6(text: string): [number, number, number, number] {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    // A dotted IPv4 tail (RFC 4291 section 2.2, form 3) stands for the last two groups.
    const v4 = parseIpv4(body.slice(lastColon + 1));
    body = `${body.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) throw new BgpEncodeError('address', `not an IPv6 address: ${text}`);
  const parseGroups = (part: string | undefined): number[] =>
    part === undefined || part === ''
      ? []
      : part.split(':').map((group) => {
          if (!/^[0-9a-fA-F]{1,4}$/.test(group)) throw new BgpEncodeError('address', `not an IPv6 address: ${text}`);
          return Number.parseInt(group, 16);
        });
  const head = parseGroups(halves[0]);
  const rest = parseGroups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
    throw new BgpEncodeError('address', `not an IPv6 address: ${text}`);
  }
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  return [
    ((groups[0]! << 16) | groups[1]!) >>> 0,
    ((groups[2]! << 16) | groups[3]!) >>> 0,
    ((groups[4]! << 16) | groups[5]!) >>> 0,
    ((groups[6]! << 16) | groups[7]!) >>> 0,
  ];
}

/**
 * Parses IPv4 or IPv6 text into 4 or 16 bytes.
 *
 * @example
 * parseAddress('2001:db8::1').length; // 16
 */
export function parseAddress(text: string): Uint8Array {
  if (!text.includes(':')) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, parseIpv4(text));
    return bytes;
  }
  const words = parseIpv6(text);
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < 4; index++) view.setUint32(index * 4, words[index]!);
  return bytes;
}

/**
 * Parses `10.0.0.0/8` or `2001:db8::/32` into a {@link Prefix} (host bits must be zero).
 *
 * @example
 * parsePrefix('10.0.0.0/8').address0; // 167772160
 */
export function parsePrefix(text: string, pathId?: number): Prefix {
  const slash = text.indexOf('/');
  if (slash < 0) throw new BgpEncodeError('prefix', `missing /length: ${text}`);
  const lengthText = text.slice(slash + 1);
  const length = Number(lengthText);
  const isIpv6 = text.includes(':');
  if (!/^\d{1,3}$/.test(lengthText) || length > (isIpv6 ? 128 : 32)) {
    throw new BgpEncodeError('prefix', `bad prefix length: ${text}`);
  }
  if (!isIpv6) return ipv4Prefix(parseIpv4(text.slice(0, slash)), length, pathId);
  const [a, b, c, d] = parseIpv6(text.slice(0, slash));
  return ipv6Prefix(a, b, c, d, length, pathId);
}

/**
 * True when two prefixes are the same family, length, address and Path Identifier.
 *
 * @example
 * prefixEquals(parsePrefix('10.0.0.0/8'), parsePrefix('10.0.0.0/8')); // true
 */
export function prefixEquals(a: Prefix, b: Prefix): boolean {
  return (
    a.afi === b.afi &&
    a.length === b.length &&
    a.address0 === b.address0 &&
    a.address1 === b.address1 &&
    a.address2 === b.address2 &&
    a.address3 === b.address3 &&
    a.pathId === b.pathId
  );
}
