import { describe, expect, it } from 'vitest';
import {
  BgpDecodeError,
  type BgpDecodeError as DecodeError,
  decodeMessage,
  decodePathAttributes,
  type SessionContext,
  type UpdateMessage,
} from '../../src/index';

const context: SessionContext = { fourOctetAsn: true, addPath: new Set(), extendedMessage: false };

/** An attribute: flags, type, value (the length is computed; Extended Length when flags ask for it). */
function attribute(flags: number, typeCode: number, value: readonly number[]): number[] {
  return (flags & 0x10) !== 0
    ? [flags, typeCode, value.length >> 8, value.length & 0xff, ...value]
    : [flags, typeCode, value.length, ...value];
}

const origin = attribute(0x40, 1, [0]);
const asPath = attribute(0x40, 2, [2, 1, 0, 0, 0xfd, 0xe8]);
const nextHop = attribute(0x40, 3, [192, 0, 2, 1]);
const nlri = [24, 10, 0, 0];

/** A complete UPDATE message with these attribute bytes and the 10.0.0.0/24 NLRI. */
function update(
  attributes: readonly number[],
  prefixes: readonly number[] = nlri,
  withdrawn: readonly number[] = [],
): Uint8Array {
  const body = [
    withdrawn.length >> 8,
    withdrawn.length & 0xff,
    ...withdrawn,
    attributes.length >> 8,
    attributes.length & 0xff,
    ...attributes,
    ...prefixes,
  ];
  const length = 19 + body.length;
  return Uint8Array.from([...new Array<number>(16).fill(0xff), length >> 8, length & 0xff, 2, ...body]);
}

function decodeUpdate(bytes: Uint8Array, session: SessionContext = context): UpdateMessage {
  return decodeMessage(bytes, session) as UpdateMessage;
}

function thrown(run: () => unknown): DecodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof BgpDecodeError) return error;
    throw error;
  }
  throw new Error('expected a BgpDecodeError');
}

/** The single finding of an UPDATE whose mandatory attributes are fine and one more attribute is malformed. */
function finding(
  extra: readonly number[],
  session: SessionContext = context,
  isRepeat = false,
): { update: UpdateMessage; error: DecodeError } {
  // The malformed attribute replaces the valid one of its type (unless the test is about repeating it).
  const base = [origin, asPath, nextHop].filter((valid) => isRepeat || valid[1] !== extra[1]).flat();
  const decoded = decodeUpdate(update([...base, ...extra]), session);
  expect(decoded.errors).toHaveLength(1);
  return { update: decoded, error: decoded.errors[0]! };
}

describe('RFC 7606 attribute by attribute', () => {
  it.each([
    ['7.1 ORIGIN length 2', attribute(0x40, 1, [0, 0]), 1, 5, 'treat-as-withdraw'],
    ['7.1 ORIGIN undefined value 3', attribute(0x40, 1, [3]), 1, 6, 'treat-as-withdraw'],
    ['7.2 AS_PATH segment overrun', attribute(0x40, 2, [2, 3, 0, 0, 0, 1]), 2, 11, 'treat-as-withdraw'],
    ['7.2 AS_PATH zero-length segment', attribute(0x40, 2, [2, 0]), 2, 11, 'treat-as-withdraw'],
    ['7.2 AS_PATH unknown segment type', attribute(0x40, 2, [9, 1, 0, 0, 0, 1]), 2, 11, 'treat-as-withdraw'],
    ['7.3 NEXT_HOP length 5', attribute(0x40, 3, [1, 2, 3, 4, 5]), 3, 5, 'treat-as-withdraw'],
    ['7.4 MULTI_EXIT_DISC length 3', attribute(0x80, 4, [0, 0, 1]), 4, 5, 'treat-as-withdraw'],
    ['7.5 LOCAL_PREF length 2', attribute(0x40, 5, [0, 1]), 5, 5, 'treat-as-withdraw'],
    ['7.6 ATOMIC_AGGREGATE length 1', attribute(0x40, 6, [1]), 6, 5, 'attribute-discard'],
    [
      '7.7 AGGREGATOR length 6 in a 4-octet session',
      attribute(0xc0, 7, [0, 1, 10, 0, 0, 1]),
      7,
      5,
      'attribute-discard',
    ],
    ['7.8 COMMUNITIES length 5', attribute(0xc0, 8, [0, 1, 0, 2, 3]), 8, 5, 'treat-as-withdraw'],
    ['7.8 COMMUNITIES length 0', attribute(0xc0, 8, []), 8, 5, 'treat-as-withdraw'],
    ['7.9 ORIGINATOR_ID length 8', attribute(0x80, 9, [1, 2, 3, 4, 5, 6, 7, 8]), 9, 5, 'treat-as-withdraw'],
    ['7.10 CLUSTER_LIST length 6', attribute(0x80, 10, [1, 2, 3, 4, 5, 6]), 10, 5, 'treat-as-withdraw'],
    ['7.14 EXTENDED_COMMUNITIES length 7', attribute(0xc0, 16, [0, 2, 0, 1, 0, 0, 0]), 16, 5, 'treat-as-withdraw'],
    [
      '7.15 IPv6 Address Specific Extended Community length 19',
      attribute(0xc0, 25, new Array<number>(19).fill(0)),
      25,
      5,
      'treat-as-withdraw',
    ],
    [
      'RFC 8092 6: LARGE_COMMUNITY length 13',
      attribute(0xc0, 32, new Array<number>(13).fill(0)),
      32,
      5,
      'treat-as-withdraw',
    ],
    ['RFC 9234 5: OTC length 2', attribute(0xc0, 35, [0, 1]), 35, 5, 'treat-as-withdraw'],
    [
      'RFC 6793 6: AS4_PATH with a confederation segment',
      attribute(0xc0, 17, [3, 1, 0, 0, 0, 1]),
      17,
      9,
      'attribute-discard',
    ],
    ['RFC 6793 6: AS4_AGGREGATOR length 6', attribute(0xc0, 18, [0, 1, 10, 0, 0, 1]), 18, 9, 'attribute-discard'],
    ['RFC 7311: AIGP TLV overrun', attribute(0x80, 26, [1, 0, 20, 0, 0]), 26, 9, 'attribute-discard'],
    ['3 (c): MULTI_EXIT_DISC marked transitive', attribute(0xc0, 4, [0, 0, 0, 1]), 4, 4, 'treat-as-withdraw'],
    ['3 (c): COMMUNITIES marked non-transitive', attribute(0x80, 8, [0, 1, 0, 2]), 8, 4, 'treat-as-withdraw'],
    ['3 (g): a repeated ORIGIN is discarded', attribute(0x40, 1, [2]), 1, 1, 'attribute-discard'],
  ] as const)('%s', (name, extra, attributeType, subcode, action) => {
    const { update: decoded, error } = finding(extra, context, name.includes('repeated'));
    expect(error).toMatchObject({ action, attributeType, notificationCode: 3, notificationSubcode: subcode });
    expect(decoded.treatAsWithdraw).toBe(action === 'treat-as-withdraw');
    // The NOTIFICATION data a speaker would send: the erroneous attribute for subcodes 4, 5, 6 and 9 (RFC 4271 6.3).
    if (subcode === 4 || subcode === 5 || subcode === 6 || subcode === 9) {
      expect(Array.from(error.notificationData)).toEqual(Array.from(extra));
    }
  });

  it('7.5: LOCAL_PREF from an external peer is discarded, not an error for the route', () => {
    const { update: decoded, error } = finding(attribute(0x40, 5, [0, 0, 0, 100]), {
      ...context,
      isExternalPeer: true,
    });
    expect(error.action).toBe('attribute-discard');
    expect(decoded.attributes.localPref).toBeUndefined();
    expect(decoded.treatAsWithdraw).toBe(false);
  });

  it('7.2: AS_CONFED segments from an external peer mean treat-as-withdraw', () => {
    const confederation = attribute(0x40, 2, [3, 1, 0, 0, 0, 1]);
    const decoded = decodeUpdate(update([...origin, ...confederation, ...nextHop]), {
      ...context,
      isExternalPeer: true,
    });
    expect(decoded.treatAsWithdraw).toBe(true);
    expect(decoded.errors.some((error) => error.attributeType === 2 && error.notificationSubcode === 11)).toBe(true);
  });

  it('3 (d): a missing well-known attribute means treat-as-withdraw with its type code as data', () => {
    const decoded = decodeUpdate(update([...origin, ...nextHop]));
    expect(decoded.treatAsWithdraw).toBe(true);
    expect(decoded.errors).toHaveLength(1);
    expect(decoded.errors[0]).toMatchObject({
      notificationSubcode: 3,
      attributeType: 2,
      notificationData: Uint8Array.of(2),
    });
  });

  it('3 (d): no mandatory attribute is required when nothing is announced', () => {
    const decoded = decodeUpdate(update([], [], [8, 10]));
    expect(decoded.errors).toEqual([]);
    expect(decoded.withdrawn).toHaveLength(1);
  });

  it('4: an attribute overrunning the attribute block means treat-as-withdraw, and the NLRI is still found', () => {
    // COMMUNITIES claims 8 bytes but only 4 remain before the NLRI.
    const attributes = [...origin, ...asPath, ...nextHop, 0xc0, 8, 8, 0, 1, 0, 2];
    const decoded = decodeUpdate(update(attributes));
    expect(decoded.treatAsWithdraw).toBe(true);
    expect(decoded.nlri).toHaveLength(1);
    expect(decoded.errors[0]).toMatchObject({ action: 'treat-as-withdraw', attributeType: 8 });
  });

  it('4: fewer than 3 bytes left for an attribute header means treat-as-withdraw', () => {
    const decoded = decodeUpdate(update([...origin, ...asPath, ...nextHop, 0x40, 1]));
    expect(decoded.treatAsWithdraw).toBe(true);
  });

  it('3 (g): a repeated MP_REACH_NLRI is a Malformed Attribute List (session reset)', () => {
    const mpReach = attribute(0x80, 14, [
      0,
      2,
      1,
      16,
      ...new Array<number>(16).fill(1),
      0,
      64,
      0x20,
      0x01,
      0x0d,
      0xb8,
      0,
      0,
      0,
      0,
    ]);
    const error = thrown(() => decodeUpdate(update([...origin, ...asPath, ...mpReach, ...mpReach], [])));
    expect(error).toMatchObject({
      action: 'session-reset',
      notificationCode: 3,
      notificationSubcode: 1,
      attributeType: 14,
    });
  });

  it('7.11: an MP_REACH_NLRI next hop of the wrong length disables the AFI/SAFI', () => {
    const mpReach = attribute(0x80, 14, [0, 2, 1, 5, 1, 2, 3, 4, 5, 0, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0]);
    const decoded = decodeUpdate(update([...origin, ...asPath, ...mpReach], []));
    expect(decoded.errors[0]).toMatchObject({ action: 'afi-safi-disable', afi: 2, safi: 1, notificationSubcode: 9 });
    expect(decoded.attributes.mpReach).toBeUndefined();
  });

  it('5.3: a syntactically incorrect MP NLRI disables the AFI/SAFI; too short to hold AFI/SAFI resets the session', () => {
    const badPrefix = attribute(0x80, 15, [0, 2, 1, 129, 0]);
    expect(decodeUpdate(update([...badPrefix], [])).errors[0]).toMatchObject({ action: 'afi-safi-disable', afi: 2 });
    const tooShort = attribute(0x80, 15, [0, 2]);
    expect(thrown(() => decodeUpdate(update([...tooShort], [])))).toMatchObject({
      action: 'session-reset',
      attributeType: 15,
    });
  });

  it('5.3: a syntactically incorrect NLRI or Withdrawn Routes field resets the session (Invalid Network Field)', () => {
    const longPrefix = thrown(() => decodeUpdate(update([...origin, ...asPath, ...nextHop], [33, 10, 0, 0, 0, 0])));
    expect(longPrefix).toMatchObject({ action: 'session-reset', notificationCode: 3, notificationSubcode: 10 });
    const overrun = thrown(() => decodeUpdate(update([], [], [24, 10])));
    expect(overrun).toMatchObject({ action: 'session-reset', notificationSubcode: 10, field: 'Withdrawn Routes' });
  });

  it('RFC 4271 6.3: lengths that do not fit the message are a Malformed Attribute List', () => {
    const bytes = update([...origin]);
    bytes[22] = 200;
    expect(thrown(() => decodeUpdate(bytes))).toMatchObject({ action: 'session-reset', notificationSubcode: 1 });
  });

  it('RFC 4271 6.3: an unrecognized well-known attribute resets the session with the attribute as data', () => {
    const unknown = attribute(0x40, 99, [1, 2]);
    const error = thrown(() => decodeUpdate(update([...origin, ...asPath, ...nextHop, ...unknown])));
    expect(error).toMatchObject({ action: 'session-reset', notificationSubcode: 2, attributeType: 99 });
    expect(Array.from(error.notificationData)).toEqual(unknown);
  });

  it('3 (h): with several errors, the strongest action wins', () => {
    const decoded = decodeUpdate(
      update([...origin, ...asPath, ...nextHop, ...attribute(0x40, 6, [1]), ...attribute(0xc0, 8, [1])]),
    );
    expect(decoded.errors.map((error) => error.action)).toEqual(['attribute-discard', 'treat-as-withdraw']);
    expect(decoded.treatAsWithdraw).toBe(true);
  });

  it('RFC 4271 4.3: trailing bits beyond the prefix length are cleared and reported', () => {
    const decoded = decodeUpdate(update([...origin, ...asPath, ...nextHop], [20, 10, 0, 0xff]));
    expect(decoded.nlri[0]).toMatchObject({ length: 20, address0: 0x0a00f000 });
    expect(decoded.errors).toHaveLength(1);
    expect(decoded.errors[0]).toMatchObject({ code: 'ERR_BGP_NLRI_TRAILING_BITS', action: 'none' });
    expect(decoded.treatAsWithdraw).toBe(false);
  });

  it('unknown optional attributes are kept byte-exact with their flags', () => {
    const unknown = attribute(0xe0, 99, [1, 2, 3]);
    const attributes = decodePathAttributes(Uint8Array.from([...origin, ...unknown]), context);
    expect(attributes.unknown).toEqual([{ flags: 0xe0, typeCode: 99, value: Uint8Array.of(1, 2, 3) }]);
  });

  it('RFC 6396 4.3.4: the abbreviated MP_REACH_NLRI of TABLE_DUMP_V2 holds only the next hop', () => {
    const nextHopOnly = attribute(0x80, 14, [16, ...new Array<number>(15).fill(0), 1]);
    const attributes = decodePathAttributes(Uint8Array.from(nextHopOnly), { ...context, mrtAbbreviatedMpReach: true });
    expect(attributes.mpReach).toMatchObject({ afi: 2, safi: 1, nlri: [] });
    expect(attributes.mpReach?.nextHop).toHaveLength(16);
    expect(attributes.errors).toEqual([]);
  });
});
