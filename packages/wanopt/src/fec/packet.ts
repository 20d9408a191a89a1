/**
 * The FEC packet wire format, version 1. Every field is big-endian (network byte order).
 *
 * ```
 *  0       1       2       3       4                               8       9
 * +-------+-------+-------+-------+-------------------------------+-------+----------------------------+
 * |version|   k   |   m   | index |           block id            | count | payload ...                |
 * +-------+-------+-------+-------+-------------------------------+-------+----------------------------+
 * ```
 * - version: 1.
 * - k, m: the data and parity shard counts of the block (k ≥ 1, m ≥ 1, k + m ≤ 256).
 * - index: the shard index in the block, 0 .. k - 1 for data packets, k .. k + m - 1 for parity packets.
 * - block id: a 32-bit sequence number of the block, wrapping (compared with RFC 1982 serial arithmetic).
 * - count: in parity packets, how many data packets the block really holds (1 .. k; a block flushed early holds
 *   fewer, and its shards count .. k - 1 are empty: all zero). 0 in data packets (the block is still open when they
 *   leave the sender).
 * - payload of a data packet: its original length L (16 bits) then the L bytes of the packet. The shard it stands for
 *   is that payload padded with zeros to the block's shard length S = 2 + max L, so the length is protected by the
 *   code too and a recovered packet comes back at its exact original size.
 * - payload of a parity packet: the S bytes of the parity shard.
 */
import { FecPacketError } from './errors';

/** The wire format version this module writes and accepts. */
export const FEC_PACKET_VERSION: number = 1;

/** Bytes of the FEC header in front of every payload. */
export const FEC_HEADER_BYTES: number = 9;

/** Bytes of the original-length field at the start of a data shard. */
export const FEC_LENGTH_BYTES: number = 2;

/** The largest data packet the format can carry (the length field is 16 bits), in bytes. */
export const FEC_MAX_PACKET_BYTES: number = 65535;

/** The decoded header of an FEC packet. */
export interface FecPacketHeader {
  readonly dataShards: number;
  readonly parityShards: number;
  readonly index: number;
  readonly blockId: number;
  /** Data packets in the block per a parity packet; 0 in data packets. */
  readonly count: number;
}

/** Writes a header into the first {@link FEC_HEADER_BYTES} bytes of `packet`. */
export function writeFecHeader(packet: Uint8Array, header: FecPacketHeader): void {
  packet[0] = FEC_PACKET_VERSION;
  packet[1] = header.dataShards;
  packet[2] = header.parityShards;
  packet[3] = header.index;
  const id = header.blockId >>> 0;
  packet[4] = id >>> 24;
  packet[5] = (id >>> 16) & 0xff;
  packet[6] = (id >>> 8) & 0xff;
  packet[7] = id & 0xff;
  packet[8] = header.count;
}

/**
 * Parses and validates the header of an FEC packet; throws {@link FecPacketError} naming the field and byte offset.
 * For a data packet the original-length field is checked against the packet's size too.
 */
export function readFecHeader(packet: Uint8Array): FecPacketHeader {
  if (packet.length < FEC_HEADER_BYTES) {
    throw new FecPacketError(
      'header',
      0,
      `packet of ${packet.length} bytes is shorter than the ${FEC_HEADER_BYTES}-byte header`,
    );
  }
  if (packet[0] !== FEC_PACKET_VERSION) {
    throw new FecPacketError('version', 0, `unsupported version ${packet[0]!} (expected ${FEC_PACKET_VERSION})`);
  }
  const dataShards = packet[1]!;
  const parityShards = packet[2]!;
  const index = packet[3]!;
  const count = packet[8]!;
  if (dataShards === 0) throw new FecPacketError('k', 1, 'data shard count 0');
  if (parityShards === 0) throw new FecPacketError('m', 2, 'parity shard count 0');
  if (dataShards + parityShards > 256) {
    throw new FecPacketError('m', 2, `k + m = ${dataShards + parityShards} exceeds 256`);
  }
  if (index >= dataShards + parityShards) {
    throw new FecPacketError('index', 3, `shard index ${index} outside 0 .. ${dataShards + parityShards - 1}`);
  }
  const blockId = ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0;
  if (index < dataShards) {
    if (count !== 0) throw new FecPacketError('count', 8, `data packet with count ${count} (must be 0)`);
    if (packet.length < FEC_HEADER_BYTES + FEC_LENGTH_BYTES) {
      throw new FecPacketError('length', FEC_HEADER_BYTES, 'data packet without its original-length field');
    }
    const length = (packet[FEC_HEADER_BYTES]! << 8) | packet[FEC_HEADER_BYTES + 1]!;
    if (length !== packet.length - FEC_HEADER_BYTES - FEC_LENGTH_BYTES) {
      throw new FecPacketError(
        'length',
        FEC_HEADER_BYTES,
        `original length ${length} but ${packet.length - FEC_HEADER_BYTES - FEC_LENGTH_BYTES} payload bytes follow`,
      );
    }
  } else {
    if (count === 0 || count > dataShards) {
      throw new FecPacketError('count', 8, `parity packet with data count ${count} outside 1 .. ${dataShards}`);
    }
    if (packet.length < FEC_HEADER_BYTES + FEC_LENGTH_BYTES) {
      throw new FecPacketError(
        'payload',
        FEC_HEADER_BYTES,
        `parity shard of ${packet.length - FEC_HEADER_BYTES} bytes`,
      );
    }
  }
  return { dataShards, parityShards, index, blockId, count };
}

/** RFC 1982 serial-number comparison of 32-bit block ids: true when `a` comes before `b`. */
export function isBlockIdBefore(a: number, b: number): boolean {
  const difference = (b - a) >>> 0;
  return difference !== 0 && difference < 0x80000000;
}
