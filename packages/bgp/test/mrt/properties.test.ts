import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { encodePathAttributes } from '../../src/wire/attributes';
import type { Prefix } from '../../src/wire/types';
import { ipv4PrefixArbitrary, ipv6PrefixArbitrary, pathAttributesArbitrary } from '../../src/testing';
import { formatIpv4At, formatIpv6At } from '../../src/mrt/address';
import { decodeMrt, encodeMrtRecord, type MrtRecord, type MrtRecordInput } from '../../src/mrt';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((bytes) => formatIpv4At(bytes, 0));
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => formatIpv6At(bytes, 0));
const address = (afi: number): fc.Arbitrary<string> => (afi === 1 ? ipv4 : ipv6);
const prefix = (afi: number): fc.Arbitrary<Prefix> => (afi === 1 ? ipv4PrefixArbitrary() : ipv6PrefixArbitrary());

/** Attribute bytes as a 4-octet TABLE_DUMP_V2 RIB entry carries them (abbreviated MP_REACH_NLRI). */
const ribAttributeBytes = pathAttributesArbitrary({ fourOctetAsn: true, addPath: new Set() }).map((attributes) =>
  encodePathAttributes(attributes, { fourOctetAsn: true, addPath: new Set(), mrtAbbreviatedMpReach: true }),
);

const peer = fc
  .record({ afi: fc.constantFrom(1, 2), asSize: fc.constantFrom(2, 4), bgpId: ipv4 })
  .chain(({ afi, asSize, bgpId }) =>
    fc.record({
      afi: fc.constant(afi),
      address: address(afi),
      asn: asSize === 2 ? u16 : u32,
      bgpId: fc.constant(bgpId),
      asSize: fc.constant(asSize),
    }),
  )
  .map((value) => ({ ...value, asSize: value.asn > 0xffff ? 4 : value.asSize }));

const peerIndexTable: fc.Arbitrary<MrtRecordInput> = fc.record({
  kind: fc.constant('peer-index-table' as const),
  timestamp: u32,
  collectorBgpId: ipv4,
  viewName: fc.string({ maxLength: 20 }),
  peers: fc.array(peer, { maxLength: 5 }),
});

const rib: fc.Arbitrary<MrtRecordInput> = fc
  .record({ afi: fc.constantFrom(1, 2), safi: fc.constantFrom(1, 2), isAddPath: fc.boolean() })
  .chain(({ afi, safi, isAddPath }) =>
    fc.record({
      kind: fc.constant('rib' as const),
      timestamp: u32,
      sequenceNumber: u32,
      afi: fc.constant(afi),
      safi: fc.constant(safi),
      isAddPath: fc.constant(isAddPath),
      prefix: prefix(afi),
      entries: fc.array(
        fc.record({
          peerIndex: u16,
          originatedTime: u32,
          pathId: isAddPath ? u32 : fc.constant(undefined),
          attributeBytes: ribAttributeBytes,
        }),
        { maxLength: 4 },
      ),
    }),
  );

const tableDump: fc.Arbitrary<MrtRecordInput> = fc.constantFrom(1, 2, 3, 4).chain((subtype) => {
  const afi = subtype === 2 || subtype === 4 ? 2 : 1;
  const isAs4 = subtype >= 3;
  return fc.record({
    kind: fc.constant('table-dump' as const),
    timestamp: u32,
    subtype: fc.constant(subtype),
    viewNumber: u16,
    sequenceNumber: u16,
    prefix: prefix(afi),
    status: u8,
    entry: fc.record({
      peer: fc.record({
        afi: fc.constant(afi),
        address: address(afi),
        asn: isAs4 ? u32 : u16,
        bgpId: fc.constant('0.0.0.0'),
        asSize: fc.constant(isAs4 ? 4 : 2),
      }),
      peerIndex: fc.constant(-1),
      originatedTime: u32,
      attributeBytes: pathAttributesArbitrary({ fourOctetAsn: isAs4, addPath: new Set() }).map((attributes) =>
        encodePathAttributes(attributes, { fourOctetAsn: isAs4, addPath: new Set() }),
      ),
    }),
  });
});

/** A BGP message as the record carries it: marker, length, type and body (the reader does not look inside). */
const bgpMessage = fc
  .record({ type: fc.integer({ min: 1, max: 5 }), body: fc.uint8Array({ maxLength: 64 }) })
  .map(({ type, body }) => {
    const message = new Uint8Array(19 + body.length);
    message.fill(0xff, 0, 16);
    message[16] = message.length >> 8;
    message[17] = message.length & 0xff;
    message[18] = type;
    message.set(body, 19);
    return message;
  });

const bgp4mp: fc.Arbitrary<MrtRecordInput> = fc
  .record({
    type: fc.constantFrom(16, 17),
    afi: fc.constantFrom(0, 1, 2),
    isAs4: fc.boolean(),
    isStateChange: fc.boolean(),
  })
  .chain(({ type, afi, isAs4, isStateChange }): fc.Arbitrary<MrtRecordInput> => {
    const as = isAs4 ? u32 : u16;
    const peerAfi = isStateChange && afi === 0 ? 1 : afi;
    const common = {
      type: fc.constant(type),
      timestamp: u32,
      microseconds: type === 17 ? fc.integer({ min: 0, max: 999_999 }) : fc.constant(0),
      peerAs: as,
      localAs: as,
      peerAddress: peerAfi === 0 ? fc.constant('0.0.0.0') : address(peerAfi),
      localAddress: peerAfi === 0 ? fc.constant('0.0.0.0') : address(peerAfi),
      interfaceIndex: peerAfi === 0 ? fc.constant(0) : u16,
      afi: fc.constant(peerAfi),
      isAs4: fc.constant(isAs4),
    };
    return isStateChange
      ? fc.record({ kind: fc.constant('bgp4mp-state-change' as const), ...common, oldState: u16, newState: u16 })
      : fc.record({
          kind: fc.constant('bgp4mp-message' as const),
          ...common,
          isLocal: fc.boolean(),
          isAddPath: fc.boolean(),
          message: bgpMessage,
        });
  });

const unknown: fc.Arbitrary<MrtRecordInput> = fc
  .record({
    kind: fc.constant('unknown' as const),
    type: fc.constantFrom(11, 32, 33, 48, 49),
    subtype: u8,
    timestamp: u32,
    microseconds: fc.constant(0),
    body: fc.uint8Array({ minLength: 4, maxLength: 40 }),
  })
  .map((record) =>
    record.type === 33 || record.type === 49 ? { ...record, microseconds: record.body.length } : record,
  );

const anyRecord = fc.oneof(peerIndexTable, rib, tableDump, bgp4mp, unknown);

/** The record as the writer takes it: no offset, RIB entries as bytes (the attribute decoder here is the identity). */
function asInput(record: MrtRecord<Uint8Array>): unknown {
  switch (record.kind) {
    case 'rib': {
      const {
        offset: _offset,
        type: _type,
        subtype: _subtype,
        microseconds: _microseconds,
        nlriData: _nlri,
        ...rest
      } = record;
      return {
        ...rest,
        entries: record.entries.map((entry) => ({
          peerIndex: entry.peerIndex,
          originatedTime: entry.originatedTime,
          pathId: entry.pathId,
          attributeBytes: entry.attributes,
        })),
      };
    }
    case 'table-dump':
      return {
        kind: record.kind,
        timestamp: record.timestamp,
        subtype: record.subtype,
        viewNumber: record.viewNumber,
        sequenceNumber: record.sequenceNumber,
        prefix: record.prefix,
        status: record.status,
        entry: {
          peer: record.entry.peer,
          peerIndex: record.entry.peerIndex,
          originatedTime: record.entry.originatedTime,
          attributeBytes: record.entry.attributes,
        },
      };
    case 'peer-index-table': {
      const { offset: _offset, type: _type, subtype: _subtype, microseconds: _microseconds, ...rest } = record;
      return rest;
    }
    case 'bgp4mp-message':
    case 'bgp4mp-state-change': {
      const { offset: _offset, subtype: _subtype, ...rest } = record;
      return rest;
    }
    case 'unknown':
    case 'bgp4mp-entry':
    case 'bgp-message':
    case 'bgp-state-change': {
      const { offset: _offset, ...rest } = record;
      return rest;
    }
  }
}

const identity = (bytes: Uint8Array): Uint8Array => bytes;

describe('MRT records round-trip (RFC 6396, RFC 8050)', () => {
  test.prop([anyRecord], { numRuns: 400 })('decode(encode(record)) equals the record', (record) => {
    const { records, warnings } = decodeMrt(encodeMrtRecord(record), { decodeAttributes: identity });
    expect(warnings.filter((warning) => warning.kind !== 'unknown-peer-index')).toEqual([]);
    expect(records.length).toBe(1);
    const expected =
      record.kind === 'peer-index-table'
        ? { ...record, peers: record.peers.map((one) => ({ ...one })) }
        : record.kind === 'bgp4mp-message' || record.kind === 'bgp4mp-state-change'
          ? { ...record }
          : record;
    expect(asInput(records[0]!)).toEqual(expected);
  });

  test.prop([fc.array(anyRecord, { minLength: 1, maxLength: 12 })], { numRuns: 150 })(
    'a stream of records, however far apart their timestamps, reads back whole with no warning but unknown peers',
    (input) => {
      const parts = input.map((record) => encodeMrtRecord(record));
      const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
      let offset = 0;
      for (const part of parts) {
        bytes.set(part, offset);
        offset += part.length;
      }
      const { records, warnings } = decodeMrt(bytes, { decodeAttributes: identity });
      expect(warnings.filter((warning) => warning.kind !== 'unknown-peer-index')).toEqual([]);
      expect(records.length).toBe(input.length);
      expect(records.map((record) => encodeMrtRecord(asInput(record) as MrtRecordInput))).toEqual(parts);
    },
  );

  test.prop([rib], { numRuns: 100 })('RIB entry attributes decode to what was encoded', (record) => {
    if (record.kind !== 'rib') return;
    const { records } = decodeMrt(encodeMrtRecord(record));
    const decoded = records[0];
    if (decoded?.kind !== 'rib') throw new Error('expected a RIB record');
    for (const [index, entry] of decoded.entries.entries()) {
      expect(entry.attributeBytes).toEqual(record.entries[index]!.attributeBytes);
      expect(
        encodePathAttributes(entry.attributes, { fourOctetAsn: true, addPath: new Set(), mrtAbbreviatedMpReach: true }),
      ).toEqual(entry.attributeBytes);
    }
  });
});
