import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AsnRanges,
  type RoutingTable,
  SeededRandom,
  loadAsnRanges,
  loadRoutingTable,
  originAsOf,
} from '../../bench/table';
import { FIB_NO_ROUTE, Ipv4Fib, Ipv6Fib } from '../../src/fib/index';

// The real table: RouteViews-derived origin-AS ranges from @ip-location-db/asn (credit: RouteViews, CC BY 4.0), cut into
// CIDR prefixes without padding, so every address's longest match must be the range that contains it.
let ranges: { ipv4: AsnRanges; ipv6: AsnRanges };
let table: RoutingTable;
let ipv4: Ipv4Fib;
let ipv6: Ipv6Fib;

function indices(count: number): Uint32Array {
  const values = new Uint32Array(count);
  for (let index = 0; index < count; index++) values[index] = index;
  return values;
}

beforeAll(() => {
  ranges = loadAsnRanges();
  table = loadRoutingTable({ ipv4Prefixes: 0, ipv6Prefixes: 0 });
  ipv4 = new Ipv4Fib();
  ipv4.load(table.ipv4.words, table.ipv4.lengths, indices(table.ipv4.count));
  ipv6 = new Ipv6Fib();
  ipv6.load(table.ipv6.words, table.ipv6.lengths, indices(table.ipv6.count));
});

/**
 * A sample of addresses: the first and last address of random ranges, a random address inside a random range (IPv6:
 * the range start with random low 64 bits, inside or just past the range) and a uniformly random address.
 */
function sampleAddresses(source: AsnRanges, width: 1 | 4, count: number, seed: number): Uint32Array {
  const random = new SeededRandom(seed);
  const out = new Uint32Array(count * width);
  for (let index = 0; index < count; index++) {
    const range = random.below(source.count);
    const choice = index % 4;
    for (let word = 0; word < width; word++) {
      const start = source.starts[range * width + word]!;
      const end = source.ends[range * width + word]!;
      out[index * width + word] =
        choice === 0 ? start : choice === 1 ? end : choice === 2 && word < 2 ? start : random.nextUint32();
    }
    if (choice === 2 && width === 1) {
      const start = source.starts[range]!;
      out[index] = start + random.below(source.ends[range]! - start + 1);
    }
  }
  return out;
}

describe('the FIB on the real RouteViews-derived table (@ip-location-db/asn)', () => {
  it('has the real table loaded: every range became at least one prefix', () => {
    expect(ipv4.size).toBe(table.ipv4.count);
    expect(table.ipv4.count).toBeGreaterThanOrEqual(ranges.ipv4.count);
    expect(ipv6.size).toBe(table.ipv6.count);
    expect(table.ipv6.count).toBeGreaterThanOrEqual(ranges.ipv6.count);
  });

  it('returns for sampled IPv4 addresses the origin AS of the range that contains them', () => {
    const count = 200_000;
    const addresses = sampleAddresses(ranges.ipv4, 1, count, 11);
    const out = new Uint32Array(count);
    ipv4.lookupBatch(addresses, out);
    let mismatches = 0;
    let routed = 0;
    for (let index = 0; index < count; index++) {
      const expected = originAsOf(ranges.ipv4, 1, addresses, index);
      const value = out[index]!;
      const actual = value === FIB_NO_ROUTE ? -1 : table.ipv4.originAs[value]!;
      if (expected !== -1) routed++;
      if (actual !== expected || ipv4.lookup(addresses[index]!) !== value) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(routed).toBeGreaterThan(count / 2);
  });

  it('returns for sampled IPv6 addresses the origin AS of the range that contains them', () => {
    const count = 100_000;
    const addresses = sampleAddresses(ranges.ipv6, 4, count, 12);
    const out = new Uint32Array(count);
    ipv6.lookupBatch(addresses, out);
    let mismatches = 0;
    let routed = 0;
    for (let index = 0; index < count; index++) {
      const expected = originAsOf(ranges.ipv6, 4, addresses, index * 4);
      const value = out[index]!;
      const actual = value === FIB_NO_ROUTE ? -1 : table.ipv6.originAs[value]!;
      if (expected !== -1) routed++;
      if (actual !== expected || ipv6.lookupAt(addresses, index * 4) !== value) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(routed).toBeGreaterThan(count / 2);
  });
});
