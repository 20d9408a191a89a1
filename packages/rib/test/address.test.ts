import { fc, test } from '@fast-check/vitest';
import { InvalidAddressError, InvalidPrefixError, IpAddress, Prefix, rangeToPrefixes } from '@patronus/rib';
import { ipAddressArbitrary, ipv4AddressArbitrary, ipv6AddressArbitrary, prefixArbitrary } from '@patronus/rib/testing';
import { describe, expect, it } from 'vitest';

describe('IpAddress', () => {
  it('parses and prints IPv4 and IPv6 through ip-address, IPv6 in RFC 5952 form', () => {
    expect(IpAddress.parse('10.0.0.5').w0).toBe(0x0a000005);
    const address = IpAddress.parse('2001:0DB8:0000:0000:0000:0000:0000:0001');
    expect([address.w0, address.w1, address.w2, address.w3]).toEqual([0x20010db8, 0, 0, 1]);
    expect(String(address)).toBe('2001:db8::1');
    expect(String(IpAddress.parse('::ffff:192.0.2.1'))).toBe('::ffff:c000:201');
  });

  it('rejects bad text with InvalidAddressError naming the input and the field', () => {
    for (const bad of ['10.0.0.256', '10.0.0', '1.2.3.4/24', 'gg::1', '', '2001:db8::1/64']) {
      expect(() => IpAddress.parse(bad, 'nextHop')).toThrow(
        expect.objectContaining({ code: 'ERR_RIB_INVALID_ADDRESS', input: bad, field: 'nextHop' }),
      );
    }
    expect(() => IpAddress.ipv4(2 ** 32)).toThrow(InvalidAddressError);
    expect(() => IpAddress.ipv6(0, -1, 0, 0)).toThrow(InvalidAddressError);
  });

  test.prop([ipAddressArbitrary()])('printing then parsing gives the same address', (address) => {
    expect(IpAddress.parse(String(address)).equals(address)).toBe(true);
  });

  test.prop([ipAddressArbitrary(), ipAddressArbitrary()])('compare is a total order consistent with equals', (a, b) => {
    // opposite signs both ways (a sum, not a negation: -0 and 0 differ under toBe when the two are equal)
    expect(Math.sign(a.compare(b)) + Math.sign(b.compare(a))).toBe(0);
    expect(a.compare(b) === 0).toBe(a.equals(b));
    expect(a.compare(a)).toBe(0);
  });
});

describe('Prefix', () => {
  it('clears host bits when made, so equal networks are equal prefixes', () => {
    expect(String(Prefix.parse('10.0.0.5/24'))).toBe('10.0.0.0/24');
    expect(Prefix.parse('10.0.0.5/24').equals(Prefix.parse('10.0.0.0/24'))).toBe(true);
    expect(String(Prefix.parse('2001:db8:ffff::1/33'))).toBe('2001:db8:8000::/33');
    expect(String(Prefix.parse('0.0.0.0/0'))).toBe('0.0.0.0/0');
    expect(String(Prefix.parse('192.0.2.1'))).toBe('192.0.2.1/32');
  });

  it('rejects bad prefixes with InvalidPrefixError saying what and where', () => {
    expect(() => Prefix.parse('10.0.0.0/33')).toThrow(expect.objectContaining({ code: 'ERR_RIB_INVALID_PREFIX' }));
    expect(() => Prefix.parse('10.0.0.0/x')).toThrow(/offset 9/);
    expect(() => Prefix.parse('10.0.0.300/8')).toThrow(InvalidPrefixError);
    expect(() => Prefix.parse('2001:db8::/129')).toThrow(InvalidPrefixError);
    expect(() => Prefix.ipv4(0, 40)).toThrow(InvalidPrefixError);
  });

  it('iterates subnets in address order and finds supernets', () => {
    expect([...Prefix.parse('10.0.0.0/22').subnets(24)].map(String)).toEqual([
      '10.0.0.0/24',
      '10.0.1.0/24',
      '10.0.2.0/24',
      '10.0.3.0/24',
    ]);
    expect([...Prefix.parse('2001:db8:ffff:ffff::/63').subnets(64)].map(String)).toEqual([
      '2001:db8:ffff:fffe::/64',
      '2001:db8:ffff:ffff::/64',
    ]);
    expect(String(Prefix.parse('10.1.2.0/24').supernet(8))).toBe('10.0.0.0/8');
    expect(String(Prefix.parse('10.1.2.0/24').lastAddress)).toBe('10.1.2.255');
  });

  test.prop([prefixArbitrary(), ipAddressArbitrary()])(
    'contains agrees with the first and last address of the prefix',
    (prefix, address) => {
      const inside =
        address.family === prefix.family &&
        prefix.network.compare(address) <= 0 &&
        address.compare(prefix.lastAddress) <= 0;
      expect(prefix.contains(address)).toBe(inside);
    },
  );

  test.prop([prefixArbitrary(), fc.nat(128)])(
    'a prefix covers its supernets subnets and is covered by its supernets',
    (prefix, cut) => {
      const supernet = prefix.supernet(Math.min(cut, prefix.length));
      expect(supernet.covers(prefix)).toBe(true);
      expect(prefix.covers(supernet)).toBe(supernet.length === prefix.length);
      expect(Prefix.parse(String(prefix)).equals(prefix)).toBe(true);
    },
  );

  test.prop([
    fc.oneof(
      fc.tuple(ipv4AddressArbitrary(), ipv4AddressArbitrary()),
      fc.tuple(ipv6AddressArbitrary(), ipv6AddressArbitrary()),
    ),
  ])('rangeToPrefixes covers exactly the range, with aligned, adjacent, non-overlapping prefixes', ([a, b]) => {
    const [first, last] = a.compare(b) <= 0 ? [a, b] : [b, a];
    const prefixes = [...rangeToPrefixes(first, last)];
    expect(prefixes.length).toBeGreaterThan(0);
    expect(prefixes.length).toBeLessThanOrEqual(first.family === 4 ? 62 : 254);
    expect(prefixes[0]!.network.equals(first)).toBe(true);
    expect(prefixes.at(-1)!.lastAddress.equals(last)).toBe(true);
    for (let index = 1; index < prefixes.length; index++) {
      const previousEnd = prefixes[index - 1]!.lastAddress;
      const start = prefixes[index]!.network;
      // Adjacent: the next prefix starts one past the previous one's last address.
      expect(previousEnd.compare(start)).toBeLessThan(0);
      expect(
        Prefix.of(previousEnd, previousEnd.family === 4 ? 32 : 128).covers(
          Prefix.of(start, start.family === 4 ? 32 : 128),
        ),
      ).toBe(false);
    }
  });

  it('rangeToPrefixes gives the fewest prefixes for a small range', () => {
    expect([...rangeToPrefixes(IpAddress.parse('10.0.0.0'), IpAddress.parse('10.0.2.255'))].map(String)).toEqual([
      '10.0.0.0/23',
      '10.0.2.0/24',
    ]);
    expect([...rangeToPrefixes(IpAddress.parse('0.0.0.0'), IpAddress.parse('255.255.255.255'))].map(String)).toEqual([
      '0.0.0.0/0',
    ]);
  });
});
