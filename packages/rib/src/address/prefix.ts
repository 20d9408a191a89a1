import { InvalidAddressError, InvalidPrefixError } from '../errors';
import {
  type AddressFamily,
  IpAddress,
  compareWords,
  formatIpv4,
  formatIpv6,
  ipv4Mask,
  ipv6MaskWord,
  isUint32,
  parseIpv4,
  parseIpv6Words,
} from './ip';

/**
 * An IP prefix (`address/length`) in canonical form: host bits are cleared when it is made, so two prefixes that cover
 * the same addresses are equal word for word. IPv4 lives in `w0`; IPv6 in `w0..w3`, most significant first.
 *
 * @example
 * const prefix = Prefix.parse('10.0.0.0/24');
 * prefix.containsIpv4(0x0a000005); // true
 * prefix.covers(Prefix.parse('10.0.0.128/25')); // true
 * String(Prefix.parse('2001:db8::1/32')); // '2001:db8::/32' (host bits cleared)
 */
export class Prefix {
  /** 4 or 6. */
  readonly family: AddressFamily;
  /** Prefix length in bits: 0-32 for IPv4, 0-128 for IPv6. */
  readonly length: number;
  /** The IPv4 network address, or bits 0-31 of the IPv6 one. */
  readonly w0: number;
  /** Bits 32-63 of an IPv6 network address; 0 for IPv4. */
  readonly w1: number;
  /** Bits 64-95 of an IPv6 network address; 0 for IPv4. */
  readonly w2: number;
  /** Bits 96-127 of an IPv6 network address; 0 for IPv4. */
  readonly w3: number;

  private text: string | undefined;

  private constructor(family: AddressFamily, w0: number, w1: number, w2: number, w3: number, length: number) {
    this.family = family;
    this.length = length;
    if (family === 4) {
      this.w0 = (w0 & ipv4Mask(length)) >>> 0;
      this.w1 = 0;
      this.w2 = 0;
      this.w3 = 0;
    } else {
      this.w0 = (w0 & ipv6MaskWord(length, 0)) >>> 0;
      this.w1 = (w1 & ipv6MaskWord(length, 1)) >>> 0;
      this.w2 = (w2 & ipv6MaskWord(length, 2)) >>> 0;
      this.w3 = (w3 & ipv6MaskWord(length, 3)) >>> 0;
    }
    this.text = undefined;
  }

  /**
   * An IPv4 prefix from a uint32 address and a length; host bits are cleared.
   *
   * @throws {@link InvalidPrefixError} when the address is not a uint32 or the length is not 0-32
   */
  static ipv4(address: number, length: number): Prefix {
    if (!isUint32(address)) throw new InvalidPrefixError(`${address}/${length}`, 'address is not a uint32');
    if (!Number.isInteger(length) || length < 0 || length > 32) {
      throw new InvalidPrefixError(`${address}/${length}`, 'IPv4 prefix length must be 0-32');
    }
    return new Prefix(4, address, 0, 0, 0, length);
  }

  /**
   * An IPv6 prefix from four uint32 words (most significant first) and a length; host bits are cleared.
   *
   * @throws {@link InvalidPrefixError} when a word is not a uint32 or the length is not 0-128
   */
  static ipv6(w0: number, w1: number, w2: number, w3: number, length: number): Prefix {
    if (!isUint32(w0) || !isUint32(w1) || !isUint32(w2) || !isUint32(w3)) {
      throw new InvalidPrefixError(`${w0},${w1},${w2},${w3}/${length}`, 'IPv6 words must be uint32');
    }
    if (!Number.isInteger(length) || length < 0 || length > 128) {
      throw new InvalidPrefixError(`${w0},${w1},${w2},${w3}/${length}`, 'IPv6 prefix length must be 0-128');
    }
    return new Prefix(6, w0, w1, w2, w3, length);
  }

  /** The prefix of `length` bits that contains `address`. */
  static of(address: IpAddress, length: number): Prefix {
    return address.family === 4
      ? Prefix.ipv4(address.w0, length)
      : Prefix.ipv6(address.w0, address.w1, address.w2, address.w3, length);
  }

  /**
   * Parses `address/length` text (the address through `ip-address`); host bits are cleared, so `10.0.0.5/24` is
   * `10.0.0.0/24`. A bare address is a host prefix (/32 or /128).
   *
   * @param field - the name of the field the text came from, for the error
   * @throws {@link InvalidPrefixError} when the text is not a prefix
   */
  static parse(text: string, field = 'prefix'): Prefix {
    if (typeof text !== 'string') throw new InvalidPrefixError(String(text), 'expected a string', field);
    const slash = text.indexOf('/');
    const addressText = slash < 0 ? text : text.slice(0, slash);
    const isIpv6 = addressText.includes(':');
    const maximum = isIpv6 ? 128 : 32;
    let length = maximum;
    if (slash >= 0) {
      const lengthText = text.slice(slash + 1);
      if (!/^\d{1,3}$/.test(lengthText)) {
        throw new InvalidPrefixError(text, `the length after "/" (offset ${slash + 1}) is not a decimal number`, field);
      }
      length = Number(lengthText);
      if (length > maximum) {
        throw new InvalidPrefixError(text, `length ${length} exceeds ${maximum} for IPv${isIpv6 ? 6 : 4}`, field);
      }
    }
    try {
      if (isIpv6) {
        const words = parseIpv6Words(addressText, field);
        return new Prefix(6, words[0], words[1], words[2], words[3], length);
      }
      return new Prefix(4, parseIpv4(addressText, field), 0, 0, 0, length);
    } catch (error) {
      if (error instanceof InvalidAddressError) {
        throw new InvalidPrefixError(text, `address part: ${error.reason}`, field, { cause: error });
      }
      throw error;
    }
  }

  /** Returns `value` when it is a prefix already, else parses it. */
  static from(value: Prefix | string, field = 'prefix'): Prefix {
    return value instanceof Prefix ? value : Prefix.parse(value, field);
  }

  /** The network address (host bits zero). */
  get network(): IpAddress {
    return this.family === 4 ? IpAddress.ipv4(this.w0) : IpAddress.ipv6(this.w0, this.w1, this.w2, this.w3);
  }

  /** The highest address inside the prefix. */
  get lastAddress(): IpAddress {
    if (this.family === 4) return IpAddress.ipv4((this.w0 | ~ipv4Mask(this.length)) >>> 0);
    return IpAddress.ipv6(
      (this.w0 | ~ipv6MaskWord(this.length, 0)) >>> 0,
      (this.w1 | ~ipv6MaskWord(this.length, 1)) >>> 0,
      (this.w2 | ~ipv6MaskWord(this.length, 2)) >>> 0,
      (this.w3 | ~ipv6MaskWord(this.length, 3)) >>> 0,
    );
  }

  /** True when the IPv4 address (a uint32) is inside this prefix; always false for an IPv6 prefix. */
  containsIpv4(address: number): boolean {
    return this.family === 4 && (address & ipv4Mask(this.length)) >>> 0 === this.w0;
  }

  /** True when the IPv6 address (four uint32 words) is inside this prefix; always false for an IPv4 prefix. */
  containsIpv6(w0: number, w1: number, w2: number, w3: number): boolean {
    const length = this.length;
    return (
      this.family === 6 &&
      (w0 & ipv6MaskWord(length, 0)) >>> 0 === this.w0 &&
      (w1 & ipv6MaskWord(length, 1)) >>> 0 === this.w1 &&
      (w2 & ipv6MaskWord(length, 2)) >>> 0 === this.w2 &&
      (w3 & ipv6MaskWord(length, 3)) >>> 0 === this.w3
    );
  }

  /** True when `address` is inside this prefix (families must match). */
  contains(address: IpAddress): boolean {
    return address.family === 4
      ? this.containsIpv4(address.w0)
      : this.containsIpv6(address.w0, address.w1, address.w2, address.w3);
  }

  /** True when every address of `other` is inside this prefix (a prefix covers itself). */
  covers(other: Prefix): boolean {
    if (other.family !== this.family || other.length < this.length) return false;
    return this.family === 4 ? this.containsIpv4(other.w0) : this.containsIpv6(other.w0, other.w1, other.w2, other.w3);
  }

  /** True when both are the same family, network and length. */
  equals(other: Prefix): boolean {
    return (
      this.length === other.length &&
      this.family === other.family &&
      this.w0 === other.w0 &&
      this.w1 === other.w1 &&
      this.w2 === other.w2 &&
      this.w3 === other.w3
    );
  }

  /** Orders IPv4 before IPv6, then by network address, then shorter before longer: negative, zero or positive. */
  compare(other: Prefix): number {
    const byAddress = compareWords(
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
    return byAddress !== 0 ? byAddress : this.length - other.length;
  }

  /** The covering prefix of `length` bits (`length` at most this one's). */
  supernet(length: number): Prefix {
    if (!Number.isInteger(length) || length < 0 || length > this.length) {
      throw new InvalidPrefixError(String(this), `supernet length ${length} must be 0-${this.length}`, 'length');
    }
    return new Prefix(this.family, this.w0, this.w1, this.w2, this.w3, length);
  }

  /**
   * The subnets of `length` bits inside this prefix, in address order. There are 2^(length - this.length) of them:
   * iterate, do not spread a large range into an array.
   */
  *subnets(length: number): Generator<Prefix, void, undefined> {
    const maximum = this.family === 4 ? 32 : 128;
    if (!Number.isInteger(length) || length < this.length || length > maximum) {
      throw new InvalidPrefixError(String(this), `subnet length ${length} must be ${this.length}-${maximum}`, 'length');
    }
    const words = [this.w0, this.w1, this.w2, this.w3];
    const count = 2 ** (length - this.length);
    for (let index = 0; index < count; index++) {
      yield new Prefix(this.family, words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0, length);
      if (length === 0) return;
      // Add one at bit position `length - 1` (counting from the most significant bit), carrying into higher words.
      const wordCount = this.family === 4 ? 1 : 4;
      let word = Math.floor((length - 1) / 32);
      let increment = 2 ** (31 - ((length - 1) % 32));
      while (word >= 0 && word < wordCount) {
        const sum = (words[word] ?? 0) + increment;
        words[word] = sum >>> 0;
        if (sum <= 0xffffffff) break;
        increment = 1;
        word--;
      }
    }
  }

  /** `address/length` with the address in `ip-address`'s canonical text. */
  toString(): string {
    this.text ??= `${this.family === 4 ? formatIpv4(this.w0) : formatIpv6(this.w0, this.w1, this.w2, this.w3)}/${this.length}`;
    return this.text;
  }

  /** The same text as `toString`, so prefixes print as strings in JSON. */
  toJSON(): string {
    return this.toString();
  }
}

/**
 * The fewest prefixes that exactly cover the address range `first..last` (inclusive, same family), in address order.
 * This is how range-based tables (such as RouteViews-derived ones) become routing prefixes.
 *
 * @example
 * [...rangeToPrefixes(IpAddress.parse('10.0.0.0'), IpAddress.parse('10.0.2.255'))].map(String);
 * // ['10.0.0.0/23', '10.0.2.0/24']
 */
export function* rangeToPrefixes(first: IpAddress, last: IpAddress): Generator<Prefix, void, undefined> {
  if (first.family !== last.family) {
    throw new InvalidAddressError(`${String(first)}-${String(last)}`, 'range ends differ in family', 'range');
  }
  if (first.compare(last) > 0) {
    throw new InvalidAddressError(`${String(first)}-${String(last)}`, 'range start is above its end', 'range');
  }
  const bits = first.family === 4 ? 32 : 128;
  const wordCount = first.family === 4 ? 1 : 4;
  const current = [first.w0, first.w1, first.w2, first.w3];
  const end = [last.w0, last.w1, last.w2, last.w3];
  for (;;) {
    // The largest block that starts at `current` (alignment) and does not run past `end`.
    let length = bits;
    while (length > 0) {
      const candidate = length - 1;
      if (!isAligned(current, candidate, wordCount)) break;
      if (blockEndExceeds(current, candidate, end, wordCount)) break;
      length = candidate;
    }
    yield first.family === 4
      ? Prefix.ipv4(current[0] ?? 0, length)
      : Prefix.ipv6(current[0] ?? 0, current[1] ?? 0, current[2] ?? 0, current[3] ?? 0, length);
    // Advance past the block: add 2^(bits - length), with carry; stop when it wraps or passes `end`.
    if (length === 0) return;
    const blockEnd = lastOfBlock(current, length, wordCount);
    if (compareArrays(blockEnd, end, wordCount) >= 0) return;
    let word = wordCount - 1;
    for (let index = 0; index < wordCount; index++) current[index] = blockEnd[index] ?? 0;
    while (word >= 0) {
      const sum = (current[word] ?? 0) + 1;
      current[word] = sum >>> 0;
      if (sum <= 0xffffffff) break;
      word--;
    }
  }
}

function maskWord(length: number, word: number, wordCount: number): number {
  return wordCount === 1 ? ipv4Mask(length) : ipv6MaskWord(length, word);
}

function isAligned(words: readonly number[], length: number, wordCount: number): boolean {
  for (let word = 0; word < wordCount; word++) {
    if (((words[word] ?? 0) & ~maskWord(length, word, wordCount)) !== 0) return false;
  }
  return true;
}

function lastOfBlock(words: readonly number[], length: number, wordCount: number): number[] {
  const result: number[] = [];
  for (let word = 0; word < wordCount; word++) {
    result.push(((words[word] ?? 0) | ~maskWord(length, word, wordCount)) >>> 0);
  }
  return result;
}

function compareArrays(a: readonly number[], b: readonly number[], wordCount: number): number {
  for (let word = 0; word < wordCount; word++) {
    const x = a[word] ?? 0;
    const y = b[word] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function blockEndExceeds(words: readonly number[], length: number, end: readonly number[], wordCount: number): boolean {
  return compareArrays(lastOfBlock(words, length, wordCount), end, wordCount) > 0;
}
