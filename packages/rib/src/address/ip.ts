import { Address4, Address6 } from 'ip-address';
import { InvalidAddressError } from '../errors';

/** The address family: 4 for IPv4, 6 for IPv6. */
export type AddressFamily = 4 | 6;

/**
 * The network mask of an IPv4 prefix length as a uint32 (`ipv4Mask(24)` is `0xffffff00`).
 *
 * @param length - prefix length in bits, 0-32
 */
export function ipv4Mask(length: number): number {
  // `x << 32` is `x` in JavaScript, so the zero length needs its own branch.
  return length <= 0 ? 0 : length >= 32 ? 0xffffffff : (0xffffffff << (32 - length)) >>> 0;
}

/**
 * The mask of one 32-bit word of an IPv6 prefix: word 0 holds bits 0-31 (the most significant).
 *
 * @param length - prefix length in bits, 0-128
 * @param word - word index, 0-3
 */
export function ipv6MaskWord(length: number, word: number): number {
  return ipv4Mask(length - 32 * word);
}

/** True when `value` is an integer in 0..2^32-1 (an IPv4 address, an AS number, a community). */
export function isUint32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

/**
 * An IP address as fixed integer words, without strings or BigInt: an IPv4 address is `w0` (a uint32, `w1..w3`
 * zero); an IPv6 address is four uint32 words, `w0` the most significant.
 *
 * @example
 * const address = IpAddress.parse('2001:db8::1');
 * address.w0.toString(16); // '20010db8'
 * String(IpAddress.ipv4(0x0a000005)); // '10.0.0.5'
 */
export class IpAddress {
  /** 4 or 6. */
  readonly family: AddressFamily;
  /** The IPv4 address, or bits 0-31 of the IPv6 address. */
  readonly w0: number;
  /** Bits 32-63 of an IPv6 address; 0 for IPv4. */
  readonly w1: number;
  /** Bits 64-95 of an IPv6 address; 0 for IPv4. */
  readonly w2: number;
  /** Bits 96-127 of an IPv6 address; 0 for IPv4. */
  readonly w3: number;

  private constructor(family: AddressFamily, w0: number, w1: number, w2: number, w3: number) {
    this.family = family;
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }

  /**
   * An IPv4 address from its uint32 value.
   *
   * @throws {@link InvalidAddressError} when `value` is not a uint32
   */
  static ipv4(value: number, field = 'address'): IpAddress {
    if (!isUint32(value))
      throw new InvalidAddressError(String(value), 'an IPv4 address is an integer 0..2^32-1', field);
    return new IpAddress(4, value, 0, 0, 0);
  }

  /**
   * An IPv6 address from its four 32-bit words, most significant first.
   *
   * @throws {@link InvalidAddressError} when a word is not a uint32
   */
  static ipv6(w0: number, w1: number, w2: number, w3: number, field = 'address'): IpAddress {
    if (!isUint32(w0) || !isUint32(w1) || !isUint32(w2) || !isUint32(w3)) {
      throw new InvalidAddressError(`${w0},${w1},${w2},${w3}`, 'IPv6 words are integers 0..2^32-1', field);
    }
    return new IpAddress(6, w0, w1, w2, w3);
  }

  /**
   * Parses an IPv4 (dotted quad) or IPv6 (RFC 4291 text, RFC 5952 or not) address with `ip-address`.
   *
   * @param text - the address, without a prefix length
   * @param field - the name of the field the text came from, for the error
   * @throws {@link InvalidAddressError} when the text is not an address
   */
  static parse(text: string, field = 'address'): IpAddress {
    if (typeof text !== 'string') throw new InvalidAddressError(String(text), 'expected a string', field);
    if (text.includes('/')) throw new InvalidAddressError(text, 'an address has no prefix length', field);
    if (text.includes(':')) {
      const words = parseIpv6Words(text, field);
      return new IpAddress(6, words[0], words[1], words[2], words[3]);
    }
    return new IpAddress(4, parseIpv4(text, field), 0, 0, 0);
  }

  /** The address in `ip-address`'s canonical text (RFC 5952 for IPv6). */
  toString(): string {
    return this.family === 4 ? formatIpv4(this.w0) : formatIpv6(this.w0, this.w1, this.w2, this.w3);
  }

  /** True when both are the same family and value. */
  equals(other: IpAddress): boolean {
    return (
      this.family === other.family &&
      this.w0 === other.w0 &&
      this.w1 === other.w1 &&
      this.w2 === other.w2 &&
      this.w3 === other.w3
    );
  }

  /** Orders IPv4 before IPv6, then by numeric value: negative, zero or positive. */
  compare(other: IpAddress): number {
    return compareWords(
      this.family,
      this.w0,
      this.w1,
      this.w2,
      this.w3,
      other.family,
      other.w0,
      other.w1,
      other.w2,
      other.w3,
    );
  }
}

/** Compares two addresses given as family and words: IPv4 before IPv6, then numerically. */
export function compareWords(
  familyA: number,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
  familyB: number,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
): number {
  if (familyA !== familyB) return familyA - familyB;
  if (a0 !== b0) return a0 < b0 ? -1 : 1;
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  if (a2 !== b2) return a2 < b2 ? -1 : 1;
  if (a3 !== b3) return a3 < b3 ? -1 : 1;
  return 0;
}

/**
 * Parses dotted-quad IPv4 text with `ip-address` into a uint32.
 *
 * @throws {@link InvalidAddressError} when the text is not an IPv4 address
 */
export function parseIpv4(text: string, field = 'address'): number {
  let parsed: Address4;
  try {
    parsed = new Address4(text);
  } catch (error) {
    throw new InvalidAddressError(text, errorReason(error), field, { cause: error });
  }
  if (parsed.subnet !== '/32' || text.includes('/')) {
    throw new InvalidAddressError(text, 'an address has no prefix length', field);
  }
  const octets = parsed.toArray();
  return (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0)) >>> 0;
}

/**
 * Parses IPv6 text with `ip-address` into four uint32 words, most significant first.
 *
 * @throws {@link InvalidAddressError} when the text is not an IPv6 address
 */
export function parseIpv6Words(text: string, field = 'address'): [number, number, number, number] {
  let parsed: Address6;
  try {
    parsed = new Address6(text);
  } catch (error) {
    throw new InvalidAddressError(text, errorReason(error), field, { cause: error });
  }
  if (text.includes('/') || text.includes('%')) {
    throw new InvalidAddressError(text, 'an address has no prefix length or zone', field);
  }
  const bytes = parsed.toUnsignedByteArray();
  if (bytes.length !== 16) throw new InvalidAddressError(text, 'not 128 bits', field);
  const words: [number, number, number, number] = [0, 0, 0, 0];
  for (let word = 0; word < 4; word++) {
    const at = word * 4;
    words[word] =
      (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>>
      0;
  }
  return words;
}

/** Prints a uint32 IPv4 address as dotted-quad text (through `ip-address`). */
export function formatIpv4(value: number): string {
  return Address4.fromInteger(value >>> 0).correctForm();
}

/** Prints an IPv6 address given as four uint32 words in RFC 5952 text (through `ip-address`). */
export function formatIpv6(w0: number, w1: number, w2: number, w3: number): string {
  const bytes = new Array<number>(16);
  const words = [w0, w1, w2, w3];
  for (let word = 0; word < 4; word++) {
    const value = (words[word] ?? 0) >>> 0;
    bytes[word * 4] = value >>> 24;
    bytes[word * 4 + 1] = (value >>> 16) & 0xff;
    bytes[word * 4 + 2] = (value >>> 8) & 0xff;
    bytes[word * 4 + 3] = value & 0xff;
  }
  return Address6.fromUnsignedByteArray(bytes).correctForm();
}

function errorReason(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/<[^>]*>/g, '');
  return String(error);
}
