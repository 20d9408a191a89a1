import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { concatBytes, requireExecutable, requireFile } from '@patronus-internal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { BgpError } from '../../src/errors';
import { createPathAttributes } from '../../src/wire/attributes';
import { parsePrefix } from '../../src/wire/address';
import {
  MrtDecompressorMissingError,
  MrtError,
  decodeMrt,
  encodeMrtRecord,
  encodeRibSnapshot,
  prefixEntries,
  readMrt,
  type MrtRecord,
  type MrtWarning,
} from '../../src/mrt';
import { mrtBytes, mrtDataDir } from './helpers';

const data = requireFile(mrtDataDir);
const bzip2 = requireExecutable('bzip2');
const temporary = mkdtempSync(join(tmpdir(), 'patronus-mrt-reader-'));
afterAll(() => {
  rmSync(temporary, { recursive: true, force: true });
});

/** A comparable summary of a record (kind, offset, the fields that vary). */
function summary(record: MrtRecord): string {
  switch (record.kind) {
    case 'rib':
      return `${record.offset} rib ${record.prefix?.address0} ${record.entries.map((entry) => `${entry.peer.address}:${entry.attributeBytes.length}`).join(',')}`;
    case 'table-dump':
      return `${record.offset} td ${record.prefix.address0}/${record.prefix.length} ${record.entry.peer.address}`;
    case 'bgp4mp-message':
      return `${record.offset} msg ${record.peerAddress} ${record.message.length}`;
    case 'bgp-message':
      return `${record.offset} bgp ${record.peerAddress} ${record.body.length}`;
    case 'bgp-state-change':
    case 'bgp4mp-entry':
    case 'bgp4mp-state-change':
    case 'peer-index-table':
    case 'unknown':
      return `${record.offset} ${record.kind} ${record.type}/${record.subtype}`;
  }
}

async function collect(source: Parameters<typeof readMrt>[0]): Promise<{ records: string[]; warnings: MrtWarning[] }> {
  const reader = readMrt(source);
  const records: string[] = [];
  for await (const record of reader) records.push(summary(record));
  return { records, warnings: reader.warnings };
}

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    // one turn of the event loop per chunk, as a network stream would deliver them
    await Promise.resolve();
    yield bytes.subarray(offset, offset + size);
  }
}

const peers = [{ afi: 1, address: '192.0.2.1', asn: 65001, bgpId: '192.0.2.1' }];
const attributes = createPathAttributes({ origin: 0, asPath: [{ type: 2, asns: [65001] }], nextHop: 0xc0000201 });

function snapshot(prefixes: number): Uint8Array {
  return concatBytes(
    encodeRibSnapshot({
      timestamp: 1_700_000_000,
      collectorBgpId: '192.0.2.255',
      peers,
      routes: Array.from({ length: prefixes }, (_, index) => ({
        prefix: parsePrefix(`10.${index}.0.0/16`),
        peerIndex: 0,
        originatedTime: 1_700_000_000,
        attributes,
      })),
    }),
  );
}

describe.skipIf(data.path === undefined)('MRT reader sources', () => {
  const updates = join(mrtDataDir, 'ris/rrc00/2000.03/updates.20000325.0345.gz');

  it('reads the same records and warnings from a gzip path, a buffer, tiny chunks, a Node stream and a WHATWG stream', async () => {
    const fromPath = await collect(updates);
    expect(fromPath.records.length).toBe(2580);
    const plain = mrtBytes(updates);
    expect(await collect(plain)).toEqual(fromPath);
    expect(await collect(chunked(plain, 7))).toEqual(fromPath);
    expect(await collect(chunked(plain, 4096))).toEqual(fromPath);
    expect(await collect(Readable.from(chunked(gzipSync(plain), 333)))).toEqual(fromPath);
    expect(await collect(Readable.toWeb(Readable.from(chunked(plain, 1000))) as ReadableStream<Uint8Array>)).toEqual(
      fromPath,
    );
    const gzipPath = join(temporary, 'multi-member.gz');
    // concatenated gzip members are one stream (RFC 1952 section 2.2)
    writeFileSync(gzipPath, concatBytes([gzipSync(plain.subarray(0, 5000)), gzipSync(plain.subarray(5000))]));
    expect(await collect(gzipPath)).toEqual(fromPath);
  });

  it.skipIf(bzip2.path === undefined)(
    'detects bzip2 by its magic bytes and decompresses it with the system bzip2',
    async () => {
      const plain = mrtBytes(updates);
      const compressed = spawnSync('bzip2', ['-c'], { input: plain, maxBuffer: 1 << 26 }).stdout;
      expect(compressed.subarray(0, 3).toString()).toBe('BZh');
      const path = join(temporary, 'updates.bz2');
      writeFileSync(path, compressed);
      expect(await collect(path)).toEqual(await collect(plain));
    },
  );

  it.skipIf(bzip2.path === undefined)('reports a missing bzip2 program as a typed error', async () => {
    const compressed = spawnSync('bzip2', ['-c'], { input: snapshot(2) }).stdout;
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(collect(compressed)).rejects.toBeInstanceOf(MrtDecompressorMissingError);
    } finally {
      process.env.PATH = path;
    }
  });

  it('reports an unreadable file as an MrtError with a code', async () => {
    const error = await collect(join(temporary, 'missing.mrt')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MrtError);
    expect((error as MrtError).code).toBe('ERR_BGP_MRT_UNREADABLE');
  });

  it('yields the records before a gzip stream that ends early, then warns', async () => {
    const compressed = gzipSync(snapshot(50));
    const reader = readMrt(compressed.subarray(0, compressed.length - 30));
    let count = 0;
    for await (const record of reader) if (record.kind === 'rib') count++;
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(50);
    expect(reader.warningCount).toBeGreaterThan(0);
  });
});

describe('MRT reader on damaged input', () => {
  const good = snapshot(3);
  const records = decodeMrt(good).records;
  const offsets = records.map((record) => record.offset);
  const second = offsets[2]!;

  it('skips garbage between records with a warning naming its offset and size, and goes on', () => {
    const input = concatBytes([good.subarray(0, second), new Uint8Array(37).fill(0xab), good.subarray(second)]);
    const { records: read, warnings } = decodeMrt(input);
    expect(read.map((record) => record.kind)).toEqual(['peer-index-table', 'rib', 'rib', 'rib']);
    expect(warnings).toMatchObject([{ kind: 'garbage-skipped', offset: second, skippedBytes: 37 }]);
  });

  it('resynchronises after a header whose length lies past the cap, without allocating it', () => {
    const input = good.slice();
    new DataView(input.buffer).setUint32(second + 8, 0xffffffff);
    const { records: read, warnings } = decodeMrt(input);
    expect(warnings).toMatchObject([{ kind: 'oversized-record', offset: second }]);
    expect(read.map((record) => record.offset)).toEqual([offsets[0], offsets[1], offsets[3]]);
  });

  it('drops a record whose length overlaps the next record (a truncated write) and keeps the next', () => {
    const cut = concatBytes([good.subarray(0, second + 20), good.subarray(offsets[3])]);
    const { records: read, warnings } = decodeMrt(cut);
    expect(warnings).toMatchObject([{ kind: 'damaged-record', offset: second, skippedBytes: 20 }]);
    expect(read.map((record) => record.kind)).toEqual(['peer-index-table', 'rib', 'rib']);
  });

  it('warns about a record cut by the end of the stream', () => {
    const { records: read, warnings } = decodeMrt(good.subarray(0, good.length - 5));
    expect(read.length).toBe(3);
    expect(warnings).toMatchObject([{ kind: 'truncated-record', offset: offsets[3] }]);
  });

  it('skips a record whose body does not decode as its type says, keeping the framing', () => {
    const input = good.slice();
    // the RIB record's Entry Count claims 200 entries
    const view = new DataView(input.buffer);
    view.setUint16(second + 12 + 4 + 1 + 2, 200);
    const { records: read, warnings } = decodeMrt(input);
    expect(warnings).toMatchObject([{ kind: 'malformed-record', offset: second, type: 13, subtype: 2 }]);
    expect(read.length).toBe(3);
  });

  it('keeps a RIB entry whose peer index is not in the PEER_INDEX_TABLE, with a warning', () => {
    const withoutTable = good.subarray(offsets[1]);
    const { records: read, warnings } = decodeMrt(withoutTable);
    expect(read.length).toBe(3);
    expect(warnings.map((warning) => warning.kind)).toEqual([
      'unknown-peer-index',
      'unknown-peer-index',
      'unknown-peer-index',
    ]);
    expect(read[0]?.kind === 'rib' && read[0].entries[0]!.peer.bgpId).toBe('unknown-peer-0');
  });

  it('terminates with only typed warnings on every truncation of a real stream', () => {
    for (let length = 0; length < good.length; length++) {
      const { records: read } = decodeMrt(good.subarray(0, length));
      expect(read.length).toBeLessThanOrEqual(4);
    }
  });
});

describe.skipIf(data.path === undefined)('MRT reader on real archive quirks', () => {
  it('reads the early RIPE RIS TABLE_DUMP records that hold more than they declare, every route of them', () => {
    const { records, warnings } = decodeMrt(mrtBytes(join(mrtDataDir, 'ris/rrc00/2000.01/bview.20000111.0032.gz')));
    expect(records.length).toBe(452_018);
    expect(warnings.length).toBe(2490);
    expect(warnings.every((warning) => warning.kind === 'length-corrected' && warning.skippedBytes === 0)).toBe(true);
    const first = records[0]!;
    expect(first.kind === 'table-dump' && [first.timestamp, first.entry.peer.address, first.entry.peer.asn]).toEqual([
      947550744,
      '204.152.166.29',
      3549,
    ]);
  });

  it("reads Zebra's 8-byte state changes and address-less OPEN records (RIPE RIS rrc01, 2000)", () => {
    const { records, warnings } = decodeMrt(mrtBytes(join(mrtDataDir, 'ris/rrc01/2000.11/updates.20001104.0124.gz')));
    expect(warnings).toEqual([]);
    const short = records.find((record) => record.offset === 1893);
    expect(short).toMatchObject({ kind: 'bgp4mp-state-change', peerAs: 0, localAs: 0, oldState: 3, newState: 4 });
    const open = records.find((record) => record.offset === 1913);
    expect(open).toMatchObject({ kind: 'bgp4mp-message', afi: 0, peerAddress: '0.0.0.0' });
    expect(open?.kind === 'bgp4mp-message' && [...open.message.subarray(0, 16)]).toEqual(new Array(16).fill(255));
  });

  it('flattens UPDATE records to announced and withdrawn prefixes, and RIB records to entries', () => {
    const { records } = decodeMrt(mrtBytes(join(mrtDataDir, 'ris/rrc15/2010.02/updates.20100227.1610.gz')));
    const entries = records.flatMap((record) => prefixEntries(record));
    expect(new Set(entries.map((entry) => entry.kind))).toEqual(new Set(['announce', 'withdraw']));
    expect(entries.filter((entry) => entry.kind === 'announce').every((entry) => entry.attributes !== undefined)).toBe(
      true,
    );
    const rib = decodeMrt(mrtBytes(join(mrtDataDir, 'mrtparse-samples/quagga_rib'))).records;
    expect(rib.flatMap((record) => prefixEntries(record)).length).toBe(9);
  });
});

describe('MRT record decoding', () => {
  it('decodes a BGP4MP_ET state change with its microseconds (RFC 6396 section 3)', () => {
    const bytes = encodeMrtRecord({
      kind: 'bgp4mp-state-change',
      type: 17,
      timestamp: 1,
      microseconds: 999_999,
      peerAs: 65001,
      peerAddress: '2001:db8::1',
      localAs: 65002,
      localAddress: '2001:db8::2',
      interfaceIndex: 3,
      afi: 2,
      isAs4: false,
      oldState: 5,
      newState: 6,
    });
    expect(decodeMrt(bytes).records[0]).toMatchObject({
      kind: 'bgp4mp-state-change',
      microseconds: 999_999,
      peerAddress: '2001:db8::1',
      localAddress: '2001:db8::2',
      interfaceIndex: 3,
    });
  });

  it('throws only typed errors from the encoder', () => {
    expect(() =>
      encodeMrtRecord({
        kind: 'bgp4mp-state-change',
        type: 16,
        timestamp: 1,
        microseconds: 0,
        peerAs: 70000,
        peerAddress: '192.0.2.1',
        localAs: 1,
        localAddress: '192.0.2.2',
        interfaceIndex: 0,
        afi: 1,
        isAs4: false,
        oldState: 1,
        newState: 2,
      }),
    ).toThrow(BgpError);
  });
});
