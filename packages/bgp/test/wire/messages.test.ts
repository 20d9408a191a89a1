import { describe, expect, it } from 'vitest';
import {
  BgpDecodeError,
  BgpEncodeError,
  createNotification,
  createPathAttributes,
  createUpdate,
  decodeMessage,
  defaultSessionContext,
  effectiveAggregator,
  effectiveAsPath,
  encodeMessage,
  encodePathAttributes,
  decodePathAttributes,
  formatIpv6Words,
  formatPrefix,
  initialSessionContext,
  packUpdates,
  packWithdrawals,
  parseAddress,
  parsePrefix,
  type OpenMessage,
  type UpdateMessage,
} from '../../src/index';

describe('header checks (RFC 4271 6.1)', () => {
  const keepalive = encodeMessage({ type: 4 }, defaultSessionContext);

  it('a KEEPALIVE is exactly 19 bytes of all-ones marker, length and type 4', () => {
    expect(Array.from(keepalive)).toEqual([...new Array<number>(16).fill(0xff), 0, 19, 4]);
  });

  it.each([
    [
      'bad marker',
      (bytes: Uint8Array): void => {
        bytes[0] = 0;
      },
      1,
    ],
    [
      'length below 19',
      (bytes: Uint8Array): void => {
        bytes[17] = 18;
      },
      2,
    ],
    [
      'unknown type',
      (bytes: Uint8Array): void => {
        bytes[18] = 9;
      },
      3,
    ],
  ] as const)('%s gives Message Header Error subcode %i', (_name, change, subcode) => {
    const bytes = keepalive.slice();
    change(bytes);
    let error: unknown;
    try {
      decodeMessage(bytes, defaultSessionContext);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BgpDecodeError);
    expect(error).toMatchObject({ notificationCode: 1, notificationSubcode: subcode, action: 'session-reset' });
  });

  it('Bad Message Type carries the type, Bad Message Length the length field', () => {
    const bytes = keepalive.slice();
    bytes[18] = 9;
    expect(() => decodeMessage(bytes, defaultSessionContext)).toThrow(
      expect.objectContaining({ notificationData: Uint8Array.of(9) }) as Error,
    );
  });
});

describe('RFC 8654 extended messages', () => {
  it('an UPDATE may exceed 4096 bytes once negotiated, an OPEN may not', () => {
    const extended = { ...defaultSessionContext, extendedMessage: true };
    const open: OpenMessage = {
      type: 1,
      version: 4,
      myAutonomousSystem: 65001,
      holdTimeSeconds: 90,
      bgpIdentifier: 1,
      optionalParameters: [{ type: 99, value: new Uint8Array(4100) }],
      extendedOptionalParameters: true,
    };
    expect(() => encodeMessage(open, extended)).toThrow(BgpEncodeError);
    // The same OPEN built by hand: 10 fixed bytes, the RFC 9072 marker and length, one 4100-byte parameter.
    const body = [4, 0xfd, 0xe9, 0, 90, 0, 0, 0, 1, 255, 255, 4103 >> 8, 4103 & 0xff, 99, 4100 >> 8, 4100 & 0xff];
    const length = 19 + body.length + 4100;
    const bytes = Uint8Array.from([
      ...new Array<number>(16).fill(0xff),
      length >> 8,
      length & 0xff,
      1,
      ...body,
      ...new Array<number>(4100).fill(0),
    ]);
    expect(() => decodeMessage(bytes, extended)).toThrow(expect.objectContaining({ notificationSubcode: 2 }) as Error);
  });
});

describe('decoded attributes are independent of the input', () => {
  it('can be cached by their bytes: changing the input afterwards changes nothing', () => {
    const attributes = createPathAttributes({
      origin: 0,
      asPath: [{ type: 2, asns: [1, 2] }],
      unknown: [{ flags: 0xc0, typeCode: 99, value: Uint8Array.of(7, 7) }],
      mpReach: {
        afi: 2,
        safi: 1,
        nextHop: parseAddress('2001:db8::1'),
        nlri: [parsePrefix('2001:db8::/32')],
        nlriData: undefined,
      },
    });
    const bytes = encodePathAttributes(attributes, defaultSessionContext).slice();
    const decoded = decodePathAttributes(bytes, defaultSessionContext);
    const before = structuredClone(decoded);
    bytes.fill(0);
    expect(decoded).toEqual(before);
  });
});

describe('UPDATE encoding', () => {
  const attributes = createPathAttributes({
    origin: 0,
    asPath: [{ type: 2, asns: [65001, 4200000000] }],
    nextHop: 0xc0000201,
  });

  it('RFC 6793 4.2.2: a 2-octet session gets AS_TRANS in AS_PATH and the real path in AS4_PATH, merged back on receipt', () => {
    const bytes = encodeMessage(createUpdate({ attributes, nlri: [parsePrefix('10.0.0.0/8')] }), initialSessionContext);
    const decoded = decodeMessage(bytes, initialSessionContext) as UpdateMessage;
    expect(decoded.attributes.asPath).toEqual([{ type: 2, asns: [65001, 23456] }]);
    expect(decoded.attributes.as4Path).toEqual([{ type: 2, asns: [65001, 4200000000] }]);
    expect(effectiveAsPath(decoded.attributes, false)).toEqual([{ type: 2, asns: [65001, 4200000000] }]);
    expect(effectiveAsPath(decoded.attributes, true)).toEqual([{ type: 2, asns: [65001, 23456] }]);
  });

  it('RFC 6793 4.2.3: AS4_AGGREGATOR replaces an AS_TRANS aggregator; a longer AS4_PATH is ignored', () => {
    const merged = createPathAttributes({
      aggregator: { asn: 23456, address: 1 },
      as4Aggregator: { asn: 4200000000, address: 1 },
      asPath: [{ type: 2, asns: [1] }],
      as4Path: [{ type: 2, asns: [2, 3] }],
    });
    expect(effectiveAggregator(merged, false)).toEqual({ asn: 4200000000, address: 1 });
    expect(effectiveAsPath(merged, false)).toEqual([{ type: 2, asns: [1] }]);
  });

  it('RFC 4271 5: passing attributes on sets Partial on unknown transitive ones and drops non-transitive ones', () => {
    const withUnknown = createPathAttributes({
      origin: 0,
      unknown: [
        { flags: 0xc0, typeCode: 99, value: Uint8Array.of(1) },
        { flags: 0x80, typeCode: 100, value: Uint8Array.of(2) },
      ],
    });
    const passedOn = encodePathAttributes(withUnknown, { ...defaultSessionContext, propagate: true });
    expect(decodePathAttributes(passedOn, defaultSessionContext).unknown).toEqual([
      { flags: 0xe0, typeCode: 99, value: Uint8Array.of(1) },
    ]);
  });

  it('uses the Extended Length flag above 255 bytes (RFC 4271 4.3)', () => {
    const communities = Array.from({ length: 100 }, (_, index) => index);
    const bytes = encodePathAttributes(createPathAttributes({ communities }), defaultSessionContext);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0xd0, 8, 1, 144]);
  });

  it('refuses an UPDATE larger than the negotiated maximum', () => {
    const nlri = Array.from({ length: 1200 }, (_, index) => parsePrefix(`10.${index >> 8}.${index & 255}.0/24`));
    expect(() => encodeMessage(createUpdate({ attributes, nlri }), defaultSessionContext)).toThrow(BgpEncodeError);
    expect(
      encodeMessage(createUpdate({ attributes, nlri }), { ...defaultSessionContext, extendedMessage: true }).length,
    ).toBe(1200 * 4 + encodeMessage(createUpdate({ attributes }), defaultSessionContext).length);
  });
});

describe('UPDATE packer', () => {
  it('packs IPv6 prefixes into MP_REACH_NLRI and withdrawals into MP_UNREACH_NLRI, filling 4096-byte messages', () => {
    const prefixes = Array.from({ length: 2000 }, (_, index) =>
      parsePrefix(`2001:db8:${(index >> 8).toString(16)}:${(index & 255).toString(16)}::/64`),
    );
    const nextHop = parseAddress('2001:db8::1');
    const attributes = createPathAttributes({
      origin: 0,
      asPath: [{ type: 2, asns: [65001] }],
      mpReach: { afi: 2, safi: 1, nextHop, nlri: [], nlriData: undefined },
    });
    const messages = packUpdates(prefixes, attributes, defaultSessionContext);
    const decoded = messages.map((bytes) => decodeMessage(bytes, defaultSessionContext) as UpdateMessage);
    expect(decoded.flatMap((update) => update.attributes.mpReach!.nlri).map(formatPrefix)).toEqual(
      prefixes.map(formatPrefix),
    );
    for (const bytes of messages) expect(bytes.length).toBeLessThanOrEqual(4096);
    // 9 bytes per /64: each full message leaves less room than one more prefix.
    for (const bytes of messages.slice(0, -1)) expect(bytes.length).toBeGreaterThan(4096 - 9);
    const withdrawals = packWithdrawals(prefixes, defaultSessionContext);
    const withdrawn = withdrawals.map((bytes) => decodeMessage(bytes, defaultSessionContext) as UpdateMessage);
    expect(withdrawn.flatMap((update) => update.attributes.mpUnreach!.withdrawn).length).toBe(prefixes.length);
    // Header 19, two lengths 4, MP_UNREACH_NLRI header 4 (extended length) and AFI/SAFI 3: 4066 bytes for 9-byte /64s.
    expect(withdrawals.length).toBe(Math.ceil(2000 / Math.floor((4096 - 19 - 4 - 4 - 3) / 9)));
  });

  it('packs IPv4 prefixes with ADD-PATH Path Identifiers (RFC 7911)', () => {
    const context = { ...defaultSessionContext, addPath: new Set([257]) };
    const prefixes = Array.from({ length: 1500 }, (_, index) =>
      parsePrefix(`10.${index >> 8}.${index & 255}.0/24`, index),
    );
    const attributes = createPathAttributes({ origin: 0, asPath: [], nextHop: 1 });
    const messages = packUpdates(prefixes, attributes, context);
    const decoded = messages.flatMap((bytes) => (decodeMessage(bytes, context) as UpdateMessage).nlri);
    expect(decoded).toEqual(prefixes);
    // ORIGIN 4 + empty AS_PATH 3 + NEXT_HOP 7 bytes of attributes; 8 bytes per /24 with its Path Identifier.
    expect(messages.length).toBe(Math.ceil(1500 / Math.floor((4096 - 23 - 14) / 8)));
  });
});

describe('OPEN, NOTIFICATION and addresses', () => {
  it('RFC 9072: an OPEN whose parameters exceed 255 bytes switches to the extended encoding', () => {
    const capabilities = Array.from({ length: 70 }, (_, index) => ({ code: 1 as const, afi: 1, safi: index }));
    const open: OpenMessage = {
      type: 1,
      version: 4,
      myAutonomousSystem: 65001,
      holdTimeSeconds: 90,
      bgpIdentifier: 1,
      optionalParameters: [{ type: 2, capabilities }],
      extendedOptionalParameters: false,
    };
    const decoded = decodeMessage(encodeMessage(open, defaultSessionContext), defaultSessionContext) as OpenMessage;
    expect(decoded.extendedOptionalParameters).toBe(true);
    expect(decoded.optionalParameters).toEqual(open.optionalParameters);
  });

  it('RFC 4271 6: the NOTIFICATION an error maps to decodes back to its data (attribute, type code, length)', () => {
    const origin = [0x40, 1, 1, 7];
    const body = [0, 0, 0, origin.length, ...origin, 24, 10, 0, 0];
    const length = 19 + body.length;
    const bytes = Uint8Array.from([...new Array<number>(16).fill(0xff), 0, length, 2, ...body]);
    const update = decodeMessage(bytes, defaultSessionContext) as UpdateMessage;
    const error = update.errors.find((candidate) => candidate.attributeType === 1)!;
    const notification = createNotification({
      code: error.notificationCode,
      subcode: error.notificationSubcode,
      data: error.notificationData,
    });
    const decoded = decodeMessage(encodeMessage(notification, defaultSessionContext), defaultSessionContext);
    expect(decoded).toMatchObject({
      code: 3,
      subcode: 6,
      isDataMalformed: false,
      details: { kind: 'attribute', flags: 0x40, typeCode: 1, value: Uint8Array.of(7) },
    });
    expect(createNotification({ code: 1, subcode: 2, data: Uint8Array.of(0x10, 0x01) }).details).toEqual({
      kind: 'bad-message-length',
      length: 4097,
    });
    expect(createNotification({ code: 2, subcode: 7, data: Uint8Array.of(65, 4, 0, 0, 0xfd, 0xe8) }).details).toEqual({
      kind: 'unsupported-capabilities',
      capabilities: [{ code: 65, asn: 65000 }],
    });
    expect(createNotification({ code: 3, subcode: 3, data: Uint8Array.of(2) }).details).toEqual({
      kind: 'missing-attribute',
      typeCode: 2,
    });
    expect(createNotification({ code: 1, subcode: 3, data: Uint8Array.of(1, 2) }).isDataMalformed).toBe(true);
  });

  it('RFC 8538 and RFC 9003: hard reset wrapping an administrative shutdown with a communication', () => {
    const notification = createNotification({
      code: 6,
      subcode: 2,
      shutdownCommunication: 'maintenance ✓',
      hardReset: true,
    });
    const decoded = decodeMessage(encodeMessage(notification, defaultSessionContext), defaultSessionContext);
    expect(decoded).toMatchObject({
      code: 6,
      subcode: 9,
      hardReset: { code: 6, subcode: 2, shutdownCommunication: 'maintenance ✓' },
    });
  });

  it('RFC 5952: IPv6 text is lower case, compresses the longest zero run, not a single zero group', () => {
    expect(formatIpv6Words(0x20010db8, 0, 0, 1)).toBe('2001:db8::1');
    expect(formatIpv6Words(0x20010db8, 0x00000001, 0x00010001, 0x00010001)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6Words(0x20010000, 0, 0x00010000, 0)).toBe('2001::1:0:0:0');
    expect(formatIpv6Words(0, 0, 0, 0)).toBe('::');
    expect(formatPrefix(parsePrefix('::ffff:10.0.0.0/104'))).toBe('::ffff:10.0.0.0/104');
  });
});
