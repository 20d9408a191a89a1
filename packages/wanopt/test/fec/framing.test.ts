import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FecDecoder, type FecDecodeResult } from '../../src/fec/decoder';
import { FecEncoder } from '../../src/fec/encoder';
import { FecPacketError, FecParameterError, FecUnrecoverableBlockError } from '../../src/fec/errors';
import { FEC_HEADER_BYTES, readFecHeader } from '../../src/fec/packet';

function makePackets(count: number, seed: number, maxLength = 300): Uint8Array[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return Array.from({ length: count }, () => new Uint8Array(next() % (maxLength + 1)).map(() => next() & 0xff));
}

function collect(results: FecDecodeResult[]): Map<string, Uint8Array> {
  const delivered = new Map<string, Uint8Array>();
  for (const result of results) {
    for (const packet of result.packets) {
      const key = `${packet.blockId}:${packet.index}`;
      if (delivered.has(key)) expect.fail(`packet ${key} delivered twice`);
      delivered.set(key, packet.data);
    }
  }
  return delivered;
}

/** Encodes packets into wire packets tagged with their block and index. */
function encodeAll(encoder: FecEncoder, packets: Uint8Array[]): Uint8Array[] {
  const wire = packets.flatMap((packet) => encoder.encode(packet));
  wire.push(...encoder.flush());
  return wire;
}

describe('packet FEC framing', () => {
  it('restores a lost packet at its exact original length in a block of mixed sizes', () => {
    const encoder = new FecEncoder({ dataShards: 4, parityShards: 1 });
    const decoder = new FecDecoder();
    const packets = [Uint8Array.of(1), new Uint8Array(1400).fill(7), Uint8Array.of(), Uint8Array.of(9, 9, 9)];
    const wire = encodeAll(encoder, packets);
    expect(wire).toHaveLength(5);
    const results = wire.filter((_, position) => position !== 1).map((packet) => decoder.receive(packet));
    const recovered = results.flatMap((result) => result.packets).find((packet) => packet.index === 1)!;
    expect(recovered.recovered).toBe(true);
    expect(recovered.data).toEqual(packets[1]);
    expect(collect(results).size).toBe(4);
    expect(decoder.statistics.recovered).toBe(1);
    expect(decoder.openBlocks).toBe(0);
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 60 }),
      fc.integer(),
      fc.array(fc.nat(), { maxLength: 200 }),
      fc.array(fc.nat(), { maxLength: 40 }),
    ],
    { numRuns: 100 },
  )(
    'with at most m losses per block, every packet is delivered exactly once, byte-identical, despite reordering and duplicates',
    (k, m, count, seed, shuffle, duplicates) => {
      const packets = makePackets(count, seed);
      const encoder = new FecEncoder({ dataShards: k, parityShards: m });
      const wire = encodeAll(encoder, packets);
      // Drop up to m shards per block, chosen by the seed.
      const byBlock = new Map<number, Uint8Array[]>();
      for (const packet of wire) {
        const id = readFecHeader(packet).blockId;
        byBlock.set(id, [...(byBlock.get(id) ?? []), packet]);
      }
      const kept: Uint8Array[] = [];
      for (const [id, blockPackets] of byBlock) {
        const drop = new Set<number>();
        for (let loss = 0; loss < m; loss++) drop.add(((seed >>> 0) + id * 7 + loss * 13) % blockPackets.length);
        // A flushed short block whose parity is all lost cannot be told from one that lost its tail: keep one parity.
        if (blockPackets.length < k + m) drop.delete(blockPackets.length - 1);
        blockPackets.forEach((packet, position) => {
          if (!drop.has(position)) kept.push(packet);
        });
      }
      // Reorder within a window of 2 blocks (the decoder keeps 64 open) and repeat some packets.
      for (let position = 0; position < shuffle.length && kept.length > 1; position++) {
        const from = shuffle[position]! % kept.length;
        const to = Math.min(kept.length - 1, Math.max(0, from + ((shuffle[position]! >> 8) % (2 * (k + m))) - (k + m)));
        [kept[from], kept[to]] = [kept[to]!, kept[from]!];
      }
      for (const pick of duplicates) kept.splice(pick % (kept.length + 1), 0, kept[pick % kept.length]!);
      const decoder = new FecDecoder();
      const results = kept.map((packet) => decoder.receive(packet));
      results.push(decoder.flush());
      const delivered = collect(results);
      expect(delivered.size).toBe(count);
      packets.forEach((packet, position) => {
        expect(delivered.get(`${Math.floor(position / k)}:${position % k}`)).toEqual(packet);
      });
      expect(results.flatMap((result) => result.unrecoverable)).toEqual([]);
    },
  );

  it('reports a block with more than m losses: its id and the missing indices, as a typed error value', () => {
    const encoder = new FecEncoder({ dataShards: 4, parityShards: 2, firstBlockId: 41 });
    const decoder = new FecDecoder();
    const wire = encodeAll(encoder, makePackets(8, 3));
    // Block 41: lose data 0, 2 and parity 5 (3 > m = 2). Block 42: lose data 1 only.
    const lost = new Set([0, 2, 5, 7]);
    const results = wire.filter((_, position) => !lost.has(position)).map((packet) => decoder.receive(packet));
    results.push(decoder.flush());
    const unrecoverable = results.flatMap((result) => result.unrecoverable);
    expect(unrecoverable).toHaveLength(1);
    const report = unrecoverable[0]!;
    expect(report).toBeInstanceOf(FecUnrecoverableBlockError);
    expect(report.code).toBe('ERR_WANOPT_FEC_UNRECOVERABLE_BLOCK');
    expect(report.blockId).toBe(41);
    expect(report.missing).toEqual([0, 2, 5]);
    expect(report.lostDataPackets).toEqual([0, 2]);
    expect(collect(results).size).toBe(6);
    expect(decoder.statistics.lostPackets).toBe(2);
    const closed = results.flatMap((result) => result.closed);
    // Block 42 closed on recovery, before its last parity packet: 1 of 4 data + 1 parity known, 1 lost.
    expect(closed.map((block) => [block.blockId, block.lostShards, block.expectedShards, block.complete])).toEqual([
      [42, 1, 5, true],
      [41, 3, 6, false],
    ]);
  });

  it('a flushed short block recovers its packets with the zero shards implied by the parity count', () => {
    const encoder = new FecEncoder({ dataShards: 10, parityShards: 2 });
    const packets = makePackets(3, 11);
    const wire = encodeAll(encoder, packets);
    expect(wire).toHaveLength(5);
    const decoder = new FecDecoder();
    const results = [wire[4]!, wire[1]!, wire[3]!].map((packet) => decoder.receive(packet));
    const delivered = collect(results);
    expect([...delivered.keys()].sort()).toEqual(['0:0', '0:1', '0:2']);
    expect(delivered.get('0:0')).toEqual(packets[0]);
    expect(delivered.get('0:2')).toEqual(packets[2]);
    expect(decoder.openBlocks).toBe(0);
  });

  it('keeps at most maxOpenBlocks open, closing and reporting the oldest; late packets of closed blocks are dropped', () => {
    const encoder = new FecEncoder({ dataShards: 2, parityShards: 1 });
    const decoder = new FecDecoder({ maxOpenBlocks: 2 });
    const wire = encodeAll(encoder, makePackets(8, 5)); // blocks 0..3, 3 packets each
    const reports: FecUnrecoverableBlockError[] = [];
    // Only the first packet of each block arrives: each block stays open until pushed out.
    for (const block of [0, 1, 2, 3]) reports.push(...decoder.receive(wire[block * 3]!).unrecoverable);
    expect(decoder.openBlocks).toBe(2);
    expect(reports.map((report) => [report.blockId, report.missing])).toEqual([
      [0, [1, 2]],
      [1, [1, 2]],
    ]);
    const late = decoder.receive(wire[1]!);
    expect(late.packets).toEqual([]);
    expect(decoder.statistics.late).toBe(1);
  });

  it('follows a sender that restarts its block ids after dropping at most maxOpenBlocks packets as late', () => {
    const decoder = new FecDecoder({ maxOpenBlocks: 4 });
    const before = encodeAll(
      new FecEncoder({ dataShards: 2, parityShards: 1, firstBlockId: 5000 }),
      makePackets(20, 1),
    );
    for (const packet of before) decoder.receive(packet);
    const packets = makePackets(20, 2);
    const after = encodeAll(new FecEncoder({ dataShards: 2, parityShards: 1 }), packets);
    const delivered = collect(after.map((packet) => decoder.receive(packet)));
    // At most maxOpenBlocks - 1 = 3 wire packets (here block 0) fall in the resynchronisation; the rest arrive.
    expect(delivered.size).toBeGreaterThanOrEqual(17);
    for (let position = 4; position < 20; position++) {
      expect(delivered.get(`${Math.floor(position / 2)}:${position % 2}`)).toEqual(packets[position]);
    }
  });

  it('closes blocks older than blockTimeoutMs by the injected clock', () => {
    let now = 1000;
    const decoder = new FecDecoder({ blockTimeoutMs: 50, clock: () => now });
    const wire = encodeAll(new FecEncoder({ dataShards: 3, parityShards: 1 }), makePackets(3, 9));
    decoder.receive(wire[0]!);
    now = 1049;
    expect(decoder.expire().unrecoverable).toEqual([]);
    now = 1050;
    const expired = decoder.expire();
    expect(expired.unrecoverable.map((report) => report.lostDataPackets)).toEqual([[1, 2]]);
    expect(decoder.openBlocks).toBe(0);
  });

  it('setRedundancy applies from the next block; the decoder follows the header of each block', () => {
    const encoder = new FecEncoder({ dataShards: 3, parityShards: 1 });
    const decoder = new FecDecoder();
    const packets = makePackets(9, 21);
    const wire: Uint8Array[] = [];
    wire.push(...encoder.encode(packets[0]!));
    encoder.setRedundancy({ dataShards: 2, parityShards: 2 });
    expect(encoder.current).toEqual({ dataShards: 3, parityShards: 1 });
    for (const packet of packets.slice(1)) wire.push(...encoder.encode(packet));
    wire.push(...encoder.flush());
    const headers = wire.map((packet) => readFecHeader(packet));
    expect(headers.filter((header) => header.blockId === 0).every((header) => header.dataShards === 3)).toBe(true);
    expect(headers.filter((header) => header.blockId === 1).every((header) => header.dataShards === 2)).toBe(true);
    // Lose two data packets of block 1 (2 + 2 tolerates it).
    const dropped = wire.filter((packet) => {
      const header = readFecHeader(packet);
      return !(header.blockId === 1 && header.index < 2);
    });
    const delivered = collect(dropped.map((packet) => decoder.receive(packet)));
    expect(delivered.size).toBe(9);
  });

  it('rejects malformed packets with FecPacketError naming the field and offset, leaving state unchanged', () => {
    const decoder = new FecDecoder();
    const wire = encodeAll(new FecEncoder({ dataShards: 2, parityShards: 1 }), makePackets(2, 4));
    const cases: [Uint8Array, string, number][] = [
      [Uint8Array.of(1, 2, 3), 'header', 0],
      [Uint8Array.of(2, ...wire[0]!.subarray(1)), 'version', 0],
      [Uint8Array.of(1, 0, ...wire[0]!.subarray(2)), 'k', 1],
      [Uint8Array.of(1, 2, 1, 3, ...wire[0]!.subarray(4)), 'index', 3],
      [wire[0]!.subarray(0, wire[0]!.length - 1), 'length', FEC_HEADER_BYTES],
      [Uint8Array.of(...wire[2]!.subarray(0, 8), 3, ...wire[2]!.subarray(9)), 'count', 8],
    ];
    for (const [packet, field, offset] of cases) {
      let caught: unknown;
      try {
        decoder.receive(packet);
      } catch (error) {
        caught = error;
      }
      expect(caught, field).toBeInstanceOf(FecPacketError);
      expect((caught as FecPacketError).field).toBe(field);
      expect((caught as FecPacketError).offset).toBe(offset);
      expect((caught as FecPacketError).code).toBe('ERR_WANOPT_FEC_PACKET');
    }
    expect(decoder.openBlocks).toBe(0);
    expect(decoder.statistics.packets).toBe(0);
    // A packet contradicting its block's k + m.
    decoder.receive(wire[0]!);
    const other = encodeAll(new FecEncoder({ dataShards: 3, parityShards: 1 }), makePackets(1, 4));
    expect(() => decoder.receive(other[0]!)).toThrow(FecPacketError);
  });

  it('rejects a parity count that contradicts data packets already in the block, and data beyond a known count', () => {
    const short = encodeAll(new FecEncoder({ dataShards: 4, parityShards: 1 }), makePackets(2, 6)); // d0 d1 p(count 2)
    const full = encodeAll(new FecEncoder({ dataShards: 4, parityShards: 1 }), makePackets(4, 6)); // d0..d3 p
    const first = new FecDecoder();
    first.receive(full[3]!); // data packet 3 of block 0
    expect(() => first.receive(short[2]!)).toThrow(
      expect.objectContaining({ field: 'count', code: 'ERR_WANOPT_FEC_PACKET' }),
    );
    const second = new FecDecoder();
    second.receive(short[0]!);
    second.receive(short[2]!); // parity: the block holds 2 packets; packet 0 arrived, 1 is rebuilt, block closes
    expect(second.openBlocks).toBe(0);
    const third = new FecDecoder();
    third.receive(short[2]!); // parity first: count 2, block stays open waiting for one more shard
    expect(() => third.receive(full[3]!)).toThrow(expect.objectContaining({ field: 'index' }));
  });

  it('rejects impossible parameters with FecParameterError', () => {
    expect(() => new FecEncoder({ dataShards: 0 })).toThrow(FecParameterError);
    expect(() => new FecEncoder({ dataShards: 200, parityShards: 57 })).toThrow(FecParameterError);
    expect(() => new FecEncoder({ maxPacketBytes: 70000 })).toThrow(FecParameterError);
    expect(() => new FecEncoder({ maxPacketBytes: 10 }).encode(new Uint8Array(11))).toThrow(FecParameterError);
    expect(() => new FecDecoder({ maxOpenBlocks: 0 })).toThrow(FecParameterError);
    expect(() => new FecDecoder({ blockTimeoutMs: 10 })).toThrow(FecParameterError);
  });

  it('block ids wrap at 2^32 without confusing old and new blocks', () => {
    const encoder = new FecEncoder({ dataShards: 2, parityShards: 1, firstBlockId: 0xffffffff });
    const decoder = new FecDecoder();
    const packets = makePackets(4, 8);
    const wire = encodeAll(encoder, packets);
    expect(readFecHeader(wire[3]!).blockId).toBe(0);
    const delivered = collect(
      wire.filter((_, position) => position !== 0 && position !== 4).map((packet) => decoder.receive(packet)),
    );
    expect(delivered.get('4294967295:0')).toEqual(packets[0]);
    expect(delivered.get('0:1')).toEqual(packets[3]);
  });
});
