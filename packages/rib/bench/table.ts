/**
 * A realistic full Internet routing table for benchmarks and tests, built from `@ip-location-db/asn`.
 *
 * The data is RouteViews-derived (origin AS per announced range, CC BY 4.0 by RouteViews, https://www.routeviews.org/,
 * with NRO and DB-IP data, as packaged by sapics/ip-location-db). Its ~412k IPv4 and ~103k IPv6 inclusive ranges are
 * cut into CIDR prefixes (a range that does not start and end on a block boundary becomes several prefixes), then
 * padded with prefixes drawn from the table's own length distribution, placed near real prefixes (the high bits of a
 * random real prefix, random bits below), until the table has today's size: at least 1.05M IPv4 and 250k IPv6
 * prefixes. Everything is deterministic for a given seed.
 *
 * Addresses are raw numbers: an IPv4 address is an unsigned 32-bit number, an IPv6 address four unsigned 32-bit words
 * stored consecutively (word 0 most significant), as the FIB takes them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Prefix count of today's IPv4 Internet table, the size the padded table reaches. */
export const FULL_IPV4_PREFIXES = 1_050_000;
/** Prefix count of today's IPv6 Internet table, the size the padded table reaches. */
export const FULL_IPV6_PREFIXES = 250_000;

/** Inclusive address ranges with their origin AS, as published (overlaps trimmed, see {@link loadAsnRanges}). */
export interface AsnRanges {
  /** Number of ranges. */
  readonly count: number;
  /** IPv4: first address of each range. IPv6: four words per range. */
  readonly starts: Uint32Array;
  /** IPv4: last address of each range (inclusive). IPv6: four words per range. */
  readonly ends: Uint32Array;
  /** Origin AS number of each range. */
  readonly originAs: Uint32Array;
}

/** A prefix table in typed arrays. */
export interface PrefixTable {
  /** Number of prefixes. */
  readonly count: number;
  /** How many of them come from the real data (the first `realCount`); the rest is padding. */
  readonly realCount: number;
  /** Prefix address words, host bits clear: one word per prefix for IPv4, four (most significant first) for IPv6. */
  readonly words: Uint32Array;
  /** Prefix lengths in bits. */
  readonly lengths: Uint8Array;
  /** Origin AS of each prefix (for padding: the origin AS of the real prefix it was placed near). */
  readonly originAs: Uint32Array;
}

/** The IPv4 and IPv6 tables together. */
export interface RoutingTable {
  readonly ipv4: PrefixTable;
  readonly ipv6: PrefixTable;
}

/** Options for {@link loadRoutingTable}. */
export interface RoutingTableOptions {
  /** Pad to this many IPv4 prefixes; 0 for the real table only. Default {@link FULL_IPV4_PREFIXES}. */
  readonly ipv4Prefixes?: number;
  /** Pad to this many IPv6 prefixes; 0 for the real table only. Default {@link FULL_IPV6_PREFIXES}. */
  readonly ipv6Prefixes?: number;
  /** Seed of the padding. Default 1. */
  readonly seed?: number;
}

/**
 * A small, fast, seeded pseudo-random generator of unsigned 32-bit numbers (a Weyl sequence through the murmur3
 * finaliser): deterministic across runs and platforms.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** The next unsigned 32-bit number. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A uniform integer in [0, bound) for bound ≤ 2^32. */
  below(bound: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * bound);
  }
}

const require = createRequire(import.meta.url);

function csvPath(name: string): string {
  return require.resolve(`@ip-location-db/asn/${name}`);
}

function parseRanges(text: string, toWords: (field: string, out: Uint32Array, offset: number) => void, width: number) {
  const lines = text.split('\n');
  const starts = new Uint32Array(lines.length * width);
  const ends = new Uint32Array(lines.length * width);
  const originAs = new Uint32Array(lines.length);
  let count = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line.length === 0) continue;
    const first = line.indexOf(',');
    const second = line.indexOf(',', first + 1);
    let third = line.indexOf(',', second + 1);
    if (third < 0) third = line.length;
    if (first < 0 || second < 0) throw new Error(`asn csv line ${index + 1}: expected start,end,asn`);
    toWords(line.slice(0, first), starts, count * width);
    toWords(line.slice(first + 1, second), ends, count * width);
    originAs[count] = Number(line.slice(second + 1, third));
    count++;
  }
  return {
    count,
    starts: starts.slice(0, count * width),
    ends: ends.slice(0, count * width),
    originAs: originAs.slice(0, count),
  };
}

function ipv4Words(field: string, out: Uint32Array, offset: number): void {
  out[offset] = Number(field);
}

function ipv6Words(field: string, out: Uint32Array, offset: number): void {
  const value = BigInt(field);
  out[offset] = Number((value >> 96n) & 0xffffffffn);
  out[offset + 1] = Number((value >> 64n) & 0xffffffffn);
  out[offset + 2] = Number((value >> 32n) & 0xffffffffn);
  out[offset + 3] = Number(value & 0xffffffffn);
}

/**
 * Makes ranges disjoint: the data has a few ranges that start inside the previous one (IPv4: one DoD range); the
 * later range keeps only its part after the earlier one, so every address has exactly one origin AS.
 */
function trimOverlaps(ranges: AsnRanges, width: number): AsnRanges {
  const previousEnd = new Uint32Array(width);
  const start = new Uint32Array(width);
  let hasPrevious = false;
  let kept = 0;
  for (let index = 0; index < ranges.count; index++) {
    for (let word = 0; word < width; word++) start[word] = ranges.starts[index * width + word]!;
    if (hasPrevious && compareWords(start, 0, previousEnd, 0, width) <= 0) {
      // start = previousEnd + 1, unless the previous range reached the top of the space
      start.set(previousEnd);
      if (!increment(start)) continue;
    }
    if (compareWords(start, 0, ranges.ends, index * width, width) > 0) continue;
    ranges.starts.set(start, kept * width);
    ranges.ends.copyWithin(kept * width, index * width, index * width + width);
    ranges.originAs[kept] = ranges.originAs[index]!;
    previousEnd.set(ranges.ends.subarray(kept * width, kept * width + width));
    hasPrevious = true;
    kept++;
  }
  return {
    count: kept,
    starts: ranges.starts.slice(0, kept * width),
    ends: ranges.ends.slice(0, kept * width),
    originAs: ranges.originAs.slice(0, kept),
  };
}

/** Adds one to a big-endian multi-word number in place; false when it wrapped around to zero. */
function increment(words: Uint32Array): boolean {
  for (let word = words.length - 1; word >= 0; word--) {
    words[word] = (words[word]! + 1) >>> 0;
    if (words[word] !== 0) return true;
  }
  return false;
}

let cachedRanges: { ipv4: AsnRanges; ipv6: AsnRanges } | undefined;

/**
 * The published ranges of `@ip-location-db/asn` (RouteViews-derived; credit RouteViews), sorted by start, with
 * overlaps trimmed so that they are disjoint. Parsed once per process.
 */
export function loadAsnRanges(): { ipv4: AsnRanges; ipv6: AsnRanges } {
  if (cachedRanges !== undefined) return cachedRanges;
  const ipv4 = trimOverlaps(parseRanges(readFileSync(csvPath('asn-ipv4-num.csv'), 'latin1'), ipv4Words, 1), 1);
  const ipv6 = trimOverlaps(parseRanges(readFileSync(csvPath('asn-ipv6-num.csv'), 'latin1'), ipv6Words, 4), 4);
  cachedRanges = { ipv4, ipv6 };
  return cachedRanges;
}

/** Growable typed-array builder of prefixes. */
class PrefixBuilder {
  words: Uint32Array;
  lengths: Uint8Array;
  originAs: Uint32Array;
  count = 0;

  constructor(
    readonly width: number,
    capacity: number,
  ) {
    this.words = new Uint32Array(capacity * width);
    this.lengths = new Uint8Array(capacity);
    this.originAs = new Uint32Array(capacity);
  }

  push(words: ArrayLike<number>, length: number, origin: number): void {
    if (this.count === this.lengths.length) {
      const capacity = this.count * 2;
      const grownWords = new Uint32Array(capacity * this.width);
      grownWords.set(this.words);
      const grownLengths = new Uint8Array(capacity);
      grownLengths.set(this.lengths);
      const grownOrigins = new Uint32Array(capacity);
      grownOrigins.set(this.originAs);
      this.words = grownWords;
      this.lengths = grownLengths;
      this.originAs = grownOrigins;
    }
    for (let index = 0; index < this.width; index++)
      this.words[this.count * this.width + index] = words[index] as number;
    this.lengths[this.count] = length;
    this.originAs[this.count] = origin;
    this.count++;
  }
}

/** Cuts every range into the fewest CIDR blocks that cover it exactly. */
function rangesToPrefixes(ranges: AsnRanges, width: number): PrefixBuilder {
  const builder = new PrefixBuilder(width, ranges.count * 3);
  const bits = 32 * width;
  const scratch = new Uint32Array(width);
  if (width === 1) {
    for (let index = 0; index < ranges.count; index++) {
      let start = ranges.starts[index] as number;
      const end = ranges.ends[index] as number;
      const origin = ranges.originAs[index] as number;
      while (start <= end) {
        // the largest block aligned at start that does not pass end
        let size = start === 0 ? 32 : 31 - Math.clz32(start & -start);
        while (size > 0 && start + 2 ** size - 1 > end) size--;
        scratch[0] = start;
        builder.push(scratch, 32 - size, origin);
        start += 2 ** size;
      }
    }
    return builder;
  }
  // IPv6: the same walk on four words
  const start = new Uint32Array(width);
  const last = new Uint32Array(width);
  for (let index = 0; index < ranges.count; index++) {
    start.set(ranges.starts.subarray(index * width, index * width + width));
    const origin = ranges.originAs[index]!;
    for (;;) {
      // the largest block aligned at start (its trailing zero bits) whose last address does not pass the range end
      let size = trailingZeros(start);
      for (;;) {
        lastOfBlock(start, size, last);
        if (size === 0 || compareWords(last, 0, ranges.ends, index * width, width) <= 0) break;
        size--;
      }
      builder.push(start, bits - size, origin);
      if (compareWords(last, 0, ranges.ends, index * width, width) >= 0) break;
      start.set(last);
      if (!increment(start)) break;
    }
  }
  return builder;
}

/** Trailing zero bits of a multi-word number (its width in bits when zero). */
function trailingZeros(words: Uint32Array): number {
  let zeros = 0;
  for (let word = words.length - 1; word >= 0; word--) {
    const value = words[word]!;
    if (value !== 0) return zeros + 31 - Math.clz32(value & -value);
    zeros += 32;
  }
  return zeros;
}

/** The last address of the block of 2^size addresses starting at `start` (aligned): start with the low bits set. */
function lastOfBlock(start: Uint32Array, size: number, out: Uint32Array): void {
  for (let word = 0; word < start.length; word++) {
    const low = Math.min(32, Math.max(0, size - (start.length - 1 - word) * 32));
    const mask = low === 32 ? 0xffffffff : low === 0 ? 0 : (1 << low) - 1;
    out[word] = (start[word]! | mask) >>> 0;
  }
}

function prefixKey(words: ArrayLike<number>, length: number, width: number): string | number {
  if (width === 1) return (words[0] as number) * 64 + length;
  return `${words[0]},${words[1]},${words[2]},${words[3]}/${length}`;
}

/** Clears the bits of `words` beyond `length`. */
function maskWords(words: Uint32Array, length: number): void {
  for (let index = 0; index < words.length; index++) {
    const keep = Math.min(32, Math.max(0, length - index * 32));
    words[index] =
      keep === 0 ? 0 : keep === 32 ? (words[index] as number) : ((words[index] as number) & (~0 << (32 - keep))) >>> 0;
  }
}

/**
 * Pads a table to `target` prefixes: each new prefix takes its length from a random real prefix (so the length
 * distribution is the table's own) and its high bits from another random real prefix, with random bits below the
 * real prefix's length; duplicates are skipped.
 */
function pad(builder: PrefixBuilder, target: number, random: SeededRandom): void {
  const width = builder.width;
  const realCount = builder.count;
  const seen = new Set<string | number>();
  for (let index = 0; index < realCount; index++) {
    seen.add(
      prefixKey(builder.words.subarray(index * width, index * width + width), builder.lengths[index] as number, width),
    );
  }
  const candidate = new Uint32Array(width);
  while (builder.count < target) {
    const length = builder.lengths[random.below(realCount)] as number;
    const base = random.below(realCount);
    const baseLength = builder.lengths[base] as number;
    for (let index = 0; index < width; index++) {
      const kept = Math.min(32, Math.max(0, baseLength - index * 32));
      const high = kept === 0 ? 0 : kept === 32 ? 0xffffffff : (~0 << (32 - kept)) >>> 0;
      candidate[index] =
        (((builder.words[base * width + index] as number) & high) | (random.nextUint32() & ~high)) >>> 0;
    }
    maskWords(candidate, length);
    const key = prefixKey(candidate, length, width);
    if (seen.has(key)) continue;
    seen.add(key);
    builder.push(candidate, length, builder.originAs[base] as number);
  }
}

function finish(builder: PrefixBuilder, realCount: number): PrefixTable {
  return {
    count: builder.count,
    realCount,
    words: builder.words.slice(0, builder.count * builder.width),
    lengths: builder.lengths.slice(0, builder.count),
    originAs: builder.originAs.slice(0, builder.count),
  };
}

/**
 * Builds the IPv4 and IPv6 routing tables: the real prefixes first (`realCount` of them, disjoint, in address order),
 * then the padding.
 *
 * @example
 * const { ipv4, ipv6 } = loadRoutingTable({ ipv4Prefixes: 1_050_000, ipv6Prefixes: 250_000 });
 * fib.load(ipv4.words, ipv4.lengths, valuesOf(ipv4));
 */
export function loadRoutingTable(options: RoutingTableOptions = {}): RoutingTable {
  const ranges = loadAsnRanges();
  const random = new SeededRandom(options.seed ?? 1);
  const ipv4 = rangesToPrefixes(ranges.ipv4, 1);
  const ipv4Real = ipv4.count;
  pad(ipv4, options.ipv4Prefixes ?? FULL_IPV4_PREFIXES, random);
  const ipv6 = rangesToPrefixes(ranges.ipv6, 4);
  const ipv6Real = ipv6.count;
  pad(ipv6, options.ipv6Prefixes ?? FULL_IPV6_PREFIXES, random);
  return { ipv4: finish(ipv4, ipv4Real), ipv6: finish(ipv6, ipv6Real) };
}

/** `count` uniformly random IPv4 addresses. */
export function randomIpv4Addresses(count: number, seed: number): Uint32Array {
  const random = new SeededRandom(seed);
  const out = new Uint32Array(count);
  for (let index = 0; index < count; index++) out[index] = random.nextUint32();
  return out;
}

/**
 * `count` random IPv6 addresses (four words each), uniform inside the global unicast space 2000::/3 (RFC 4291
 * section 2.5.4), where every routed prefix lives; uniform over all of ::/0 would miss at the first level 7 times in 8.
 */
export function randomIpv6Addresses(count: number, seed: number): Uint32Array {
  const random = new SeededRandom(seed);
  const out = new Uint32Array(count * 4);
  for (let index = 0; index < count; index++) {
    out[index * 4] = ((random.nextUint32() & 0x1fffffff) | 0x20000000) >>> 0;
    out[index * 4 + 1] = random.nextUint32();
    out[index * 4 + 2] = random.nextUint32();
    out[index * 4 + 3] = random.nextUint32();
  }
  return out;
}

/** `count` addresses inside the table: a random prefix of it, random host bits (IPv4: one word each; IPv6: four). */
export function addressesInside(table: PrefixTable, width: 1 | 4, count: number, seed: number): Uint32Array {
  const random = new SeededRandom(seed);
  const out = new Uint32Array(count * width);
  for (let index = 0; index < count; index++) {
    const prefix = random.below(table.count);
    const length = table.lengths[prefix] as number;
    for (let word = 0; word < width; word++) {
      const kept = Math.min(32, Math.max(0, length - word * 32));
      const high = kept === 0 ? 0 : kept === 32 ? 0xffffffff : (~0 << (32 - kept)) >>> 0;
      out[index * width + word] =
        (((table.words[prefix * width + word] as number) & high) | (random.nextUint32() & ~high)) >>> 0;
    }
  }
  return out;
}

/**
 * The origin AS of the range containing an address, by binary search over disjoint sorted ranges, or -1 when no
 * range contains it. `address` is one word (IPv4) or four words at `offset` (IPv6).
 */
export function originAsOf(ranges: AsnRanges, width: 1 | 4, address: Uint32Array, offset: number): number {
  let low = 0;
  let high = ranges.count - 1;
  let found = -1;
  // the last range whose start <= address
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (compareWords(ranges.starts, middle * width, address, offset, width) <= 0) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  if (found < 0) return -1;
  return compareWords(address, offset, ranges.ends, found * width, width) <= 0
    ? (ranges.originAs[found] as number)
    : -1;
}

function compareWords(a: Uint32Array, aOffset: number, b: Uint32Array, bOffset: number, width: number): number {
  for (let index = 0; index < width; index++) {
    const difference = (a[aOffset + index] as number) - (b[bOffset + index] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}
