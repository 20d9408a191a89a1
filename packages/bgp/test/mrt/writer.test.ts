import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { concatBytes, requireExecutable, requireFile, run } from '@patronus-internal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { createPathAttributes } from '../../src/wire/attributes';
import { parsePrefix } from '../../src/wire/address';
import { encodeMessage } from '../../src/wire/message';
import {
  BgpdumpFormatter,
  MrtType,
  decodeMrt,
  encodeMrtRecord,
  encodeRibSnapshot,
  type MrtRecord,
  type MrtRecordInput,
} from '../../src/mrt';
import { mrtBytes, mrtDataDir, mrtFiles } from './helpers';

const bgpdump = requireExecutable('bgpdump');
const data = requireFile(mrtDataDir);
const temporary = mkdtempSync(join(tmpdir(), 'patronus-mrt-writer-'));
afterAll(() => {
  rmSync(temporary, { recursive: true, force: true });
});

/** A read record as writer input: drop the offset and let RIB entries carry their attribute bytes. */
function asInput(record: MrtRecord): MrtRecordInput {
  switch (record.kind) {
    case 'rib':
      return {
        ...record,
        entries: record.entries.map((entry) => ({
          peerIndex: entry.peerIndex,
          originatedTime: entry.originatedTime,
          pathId: entry.pathId,
          attributeBytes: entry.attributeBytes,
        })),
      };
    case 'table-dump':
      return {
        ...record,
        entry: {
          peer: record.entry.peer,
          peerIndex: -1,
          originatedTime: record.entry.originatedTime,
          attributeBytes: record.entry.attributeBytes,
        },
      };
    case 'peer-index-table':
    case 'bgp4mp-message':
    case 'bgp4mp-state-change':
    case 'unknown':
      return record;
    case 'bgp4mp-entry':
    case 'bgp-message':
    case 'bgp-state-change':
      throw new Error(`no writer for the deprecated ${record.kind}`);
  }
}

const peers = [
  { afi: 1, address: '192.0.2.1', asn: 65001, bgpId: '192.0.2.1' },
  { afi: 2, address: '2001:db8::2', asn: 4200000000, bgpId: '192.0.2.2' },
];
const v4Attributes = createPathAttributes({
  origin: 0,
  asPath: [
    { type: 2, asns: [65001, 4200000000] },
    { type: 1, asns: [64512, 64513] },
  ],
  nextHop: 0xc0000201,
  multiExitDisc: 10,
  localPref: 100,
  communities: [0xfde80064, 0xffffff01],
  atomicAggregate: true,
  aggregator: { asn: 65001, address: 0xc0000201 },
});
const v6Attributes = createPathAttributes({
  origin: 2,
  asPath: [{ type: 2, asns: [4200000000] }],
  mpReach: {
    afi: 2,
    safi: 1,
    nextHop: new Uint8Array([0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 2]),
    nlri: [],
    nlriData: undefined,
  },
});

describe('MRT writer', () => {
  it('writes a TABLE_DUMP_V2 snapshot that reads back to the same routes (RFC 6396 section 4.3)', () => {
    const records = encodeRibSnapshot({
      timestamp: 1_700_000_000,
      collectorBgpId: '192.0.2.255',
      viewName: 'test',
      peers,
      routes: [
        { prefix: parsePrefix('10.0.0.0/8'), peerIndex: 0, originatedTime: 1_699_999_000, attributes: v4Attributes },
        {
          prefix: parsePrefix('2001:db8:1::/48'),
          peerIndex: 1,
          originatedTime: 1_699_999_001,
          attributes: v6Attributes,
        },
        { prefix: parsePrefix('10.0.0.0/8'), peerIndex: 1, originatedTime: 1_699_999_002, attributes: v4Attributes },
      ],
    });
    const { records: read, warnings } = decodeMrt(concatBytes(records));
    expect(warnings).toEqual([]);
    expect(read.map((record) => record.kind)).toEqual(['peer-index-table', 'rib', 'rib']);
    const [table, v4, v6] = read;
    expect(table).toMatchObject({ collectorBgpId: '192.0.2.255', viewName: 'test', peers });
    expect(v4).toMatchObject({ subtype: 2, sequenceNumber: 0, prefix: parsePrefix('10.0.0.0/8') });
    expect(v6).toMatchObject({ subtype: 4, sequenceNumber: 1, prefix: parsePrefix('2001:db8:1::/48') });
    if (v4?.kind !== 'rib' || v6?.kind !== 'rib') throw new Error('expected RIB records');
    expect(
      v4.entries.map((entry) => [entry.peerIndex, entry.peer.address, entry.peer.asn, entry.originatedTime]),
    ).toEqual([
      [0, '192.0.2.1', 65001, 1_699_999_000],
      [1, '2001:db8::2', 4200000000, 1_699_999_002],
    ]);
    expect(v4.entries[0]!.attributes).toMatchObject({
      origin: 0,
      asPath: v4Attributes.asPath,
      nextHop: 0xc0000201,
      communities: [0xfde80064, 0xffffff01],
    });
    // identical attribute bytes decode once and are shared
    expect(v4.entries[1]!.attributes).toBe(v4.entries[0]!.attributes);
    expect(v6.entries[0]!.attributes.mpReach?.nextHop).toEqual(v6Attributes.mpReach!.nextHop);
  });

  it.skipIf(bgpdump.path === undefined)('writes a snapshot that bgpdump -m reads as we do', () => {
    const records = encodeRibSnapshot({
      timestamp: 1_700_000_000,
      collectorBgpId: '192.0.2.255',
      peers,
      routes: [
        { prefix: parsePrefix('10.0.0.0/8'), peerIndex: 0, originatedTime: 1, attributes: v4Attributes },
        { prefix: parsePrefix('2001:db8:1::/48'), peerIndex: 1, originatedTime: 2, attributes: v6Attributes },
        { prefix: parsePrefix('10.0.0.0/8'), peerIndex: 1, originatedTime: 3, attributes: v4Attributes, pathId: 7 },
      ],
    });
    const path = join(temporary, 'snapshot.mrt');
    const bytes = concatBytes(records);
    writeFileSync(path, bytes);
    const theirs = run('bgpdump', ['-m', path]).trim().split('\n');
    expect(theirs).toEqual([
      'TABLE_DUMP2_AP|1700000000|B|192.0.2.1|65001|10.0.0.0/8|0|65001 4200000000 {64512,64513}|IGP|192.0.2.1|100|10|65000:100 no-export|AG|65001 192.0.2.1|',
      'TABLE_DUMP2_AP|1700000000|B|2001:db8::2|4200000000|10.0.0.0/8|7|65001 4200000000 {64512,64513}|IGP|192.0.2.1|100|10|65000:100 no-export|AG|65001 192.0.2.1|',
      'TABLE_DUMP2_AP|1700000000|B|2001:db8::2|4200000000|2001:db8:1::/48|0|4200000000|INCOMPLETE|2001:db8::2|0|0||NAG||',
    ]);
    const formatter = new BgpdumpFormatter();
    expect(decodeMrt(bytes).records.flatMap((record) => [...formatter.lines(record)])).toEqual(theirs);
  });

  it.skipIf(bgpdump.path === undefined)(
    'writes a BGP4MP_ET message log that bgpdump -m and our reader read back',
    () => {
      const context = { fourOctetAsn: true, addPath: new Set<number>(), extendedMessage: false };
      const update = encodeMessage(
        {
          type: 2,
          withdrawn: [parsePrefix('198.51.100.0/24')],
          attributes: v4Attributes,
          nlri: [parsePrefix('203.0.113.0/24'), parsePrefix('10.1.0.0/16')],
          errors: [],
          treatAsWithdraw: false,
        },
        context,
      );
      const base = {
        type: MrtType.BGP4MP_ET,
        timestamp: 1_700_000_000,
        microseconds: 42,
        peerAs: 4200000000,
        peerAddress: '192.0.2.1',
        localAs: 65000,
        localAddress: '192.0.2.2',
        interfaceIndex: 0,
        afi: 1,
        isAs4: true,
      };
      const log = concatBytes([
        encodeMrtRecord({ kind: 'bgp4mp-state-change', ...base, oldState: 5, newState: 6 }),
        encodeMrtRecord({ kind: 'bgp4mp-message', ...base, isLocal: false, isAddPath: false, message: update }),
      ]);
      const path = join(temporary, 'updates.mrt');
      writeFileSync(path, log);
      const theirs = run('bgpdump', ['-m', path]).trim().split('\n');
      expect(theirs).toEqual([
        'BGP4MP_ET|1700000000.000042|STATE|192.0.2.1|4200000000|5|6',
        'BGP4MP_ET|1700000000.000042|W|192.0.2.1|4200000000|198.51.100.0/24',
        'BGP4MP_ET|1700000000.000042|A|192.0.2.1|4200000000|203.0.113.0/24|65001 4200000000 {64512,64513}|IGP|192.0.2.1|100|10|65000:100 no-export|AG|65001 192.0.2.1|',
        'BGP4MP_ET|1700000000.000042|A|192.0.2.1|4200000000|10.1.0.0/16|65001 4200000000 {64512,64513}|IGP|192.0.2.1|100|10|65000:100 no-export|AG|65001 192.0.2.1|',
      ]);
      const { records } = decodeMrt(log);
      expect(records[1]).toMatchObject({ kind: 'bgp4mp-message', microseconds: 42, message: update });
      const formatter = new BgpdumpFormatter();
      expect(records.flatMap((record) => [...formatter.lines(record)])).toEqual(theirs);
    },
  );

  describe.skipIf(data.path === undefined)('rewriting real files record by record', () => {
    const writable = new Set([
      'bird-mrtdump_bgp',
      'bird-mrtdump_rib',
      'bird6-mrtdump_bgp',
      'bird6-mrtdump_rib',
      'bird6_bgp',
      'bird_bgp',
      'openbgpd_bgp',
      'openbgpd_rib_table',
      'openbgpd_rib_table-v2',
      'quagga_bgp',
      'quagga_rib',
      'updates.20100227.1600.first-796-records.gz',
      'updates.20100227.1600.gz',
      'updates.20100227.1610.gz',
    ]);
    for (const file of data.path === undefined ? [] : mrtFiles().filter((path) => writable.has(basename(path)))) {
      it(`reproduces ${basename(file)} byte for byte`, () => {
        const original = mrtBytes(file);
        const { records, warnings } = decodeMrt(original);
        expect(warnings).toEqual([]);
        const written = concatBytes(records.map((record) => encodeMrtRecord(asInput(record))));
        let firstDifference = written.length === original.length ? -1 : Math.min(written.length, original.length);
        for (let index = 0; index < Math.min(written.length, original.length); index++) {
          if (written[index] !== original[index]) {
            firstDifference = index;
            break;
          }
        }
        expect(firstDifference).toBe(-1);
      });
    }
  });
});
