/**
 * The sending side of packet FEC: groups outgoing packets into blocks of k, sends each data packet at once (no added
 * latency), and when a block is full emits its m parity packets.
 */
import { type GaloisKernel, type GaloisKernelPreference, createGaloisKernel } from '../gf/kernel';
import { FecParameterError } from './errors';
import { FEC_HEADER_BYTES, FEC_LENGTH_BYTES, FEC_MAX_PACKET_BYTES, writeFecHeader } from './packet';
import { ReedSolomon } from './reed-solomon';

/** A choice of k data and m parity packets per block. */
export interface FecRedundancy {
  /** k, data packets per block (1 .. 255). */
  readonly dataShards: number;
  /** m, parity packets per block (1 .. 256 - k). */
  readonly parityShards: number;
}

/** Options of a {@link FecEncoder}. */
export interface FecEncoderOptions {
  /** k data packets per block; default 10. */
  readonly dataShards?: number;
  /** m parity packets per block; default 1. */
  readonly parityShards?: number;
  /** The first block id (then +1 per block, wrapping at 2^32); default 0. */
  readonly firstBlockId?: number;
  /** The largest packet accepted, in bytes (≤ 65535); default 65535. */
  readonly maxPacketBytes?: number;
  /** The GF(2^8) kernel; default `auto`. */
  readonly kernel?: GaloisKernelPreference | GaloisKernel;
}

/** Throws {@link FecParameterError} unless 1 ≤ k ≤ 255 and 1 ≤ m with k + m ≤ 256. */
export function checkRedundancy(redundancy: FecRedundancy): void {
  const { dataShards, parityShards } = redundancy;
  if (!Number.isInteger(dataShards) || dataShards < 1 || dataShards > 255) {
    throw new FecParameterError('dataShards', `must be an integer in 1 .. 255, got ${String(dataShards)}`);
  }
  if (!Number.isInteger(parityShards) || parityShards < 1 || dataShards + parityShards > 256) {
    throw new FecParameterError(
      'parityShards',
      `must be an integer in 1 .. ${256 - dataShards}, got ${String(parityShards)}`,
    );
  }
}

/**
 * Packet FEC encoder. Each call returns the wire packets to send now, in order.
 *
 * @example
 * const encoder = new FecEncoder({ dataShards: 4, parityShards: 2 });
 * for (const packet of packets) {
 *   for (const wire of encoder.encode(packet)) socket.send(wire);
 * }
 * for (const wire of encoder.flush()) socket.send(wire); // parity for a last, partial block
 */
export class FecEncoder {
  private redundancy: FecRedundancy;
  private pending: FecRedundancy | undefined = undefined;
  private blockId: number;
  private readonly maxPacketBytes: number;
  private readonly kernel: GaloisKernel;
  private readonly codecs = new Map<number, ReedSolomon>();
  /** Staging copies of the current block's data shards ([length][bytes]), grown as needed and reused. */
  private readonly staged: Uint8Array[] = [];
  private readonly stagedLengths: number[] = [];
  private count = 0;

  constructor(options: FecEncoderOptions = {}) {
    const redundancy = { dataShards: options.dataShards ?? 10, parityShards: options.parityShards ?? 1 };
    checkRedundancy(redundancy);
    const maxPacketBytes = options.maxPacketBytes ?? FEC_MAX_PACKET_BYTES;
    if (!Number.isInteger(maxPacketBytes) || maxPacketBytes < 1 || maxPacketBytes > FEC_MAX_PACKET_BYTES) {
      throw new FecParameterError('maxPacketBytes', `must be an integer in 1 .. ${FEC_MAX_PACKET_BYTES}`);
    }
    const firstBlockId = options.firstBlockId ?? 0;
    if (!Number.isInteger(firstBlockId) || firstBlockId < 0 || firstBlockId > 0xffffffff) {
      throw new FecParameterError('firstBlockId', 'must be an integer in 0 .. 2^32 - 1');
    }
    this.redundancy = redundancy;
    this.blockId = firstBlockId;
    this.maxPacketBytes = maxPacketBytes;
    const kernel = options.kernel ?? 'auto';
    this.kernel = typeof kernel === 'string' ? createGaloisKernel(kernel) : kernel;
  }

  /** The (k, m) of the block being filled. */
  get current(): FecRedundancy {
    return this.redundancy;
  }

  /** The id of the block being filled. */
  get currentBlockId(): number {
    return this.blockId;
  }

  /** Changes (k, m) from the next block on (the open block keeps its parameters: its packets are already out). */
  setRedundancy(redundancy: FecRedundancy): void {
    checkRedundancy(redundancy);
    if (this.count === 0)
      this.redundancy = { dataShards: redundancy.dataShards, parityShards: redundancy.parityShards };
    else this.pending = { dataShards: redundancy.dataShards, parityShards: redundancy.parityShards };
  }

  /**
   * Frames one packet (0 .. maxPacketBytes bytes; copied, so the caller may reuse its buffer) and returns the wire
   * packets to send: the data packet, followed by the block's m parity packets when this packet completes a block.
   */
  encode(packet: Uint8Array): Uint8Array[] {
    if (packet.length > this.maxPacketBytes) {
      throw new FecParameterError('packet', `${packet.length} bytes exceeds maxPacketBytes ${this.maxPacketBytes}`);
    }
    const { dataShards, parityShards } = this.redundancy;
    const index = this.count;
    const length = packet.length;
    const wire = new Uint8Array(FEC_HEADER_BYTES + FEC_LENGTH_BYTES + length);
    writeFecHeader(wire, { dataShards, parityShards, index, blockId: this.blockId, count: 0 });
    wire[FEC_HEADER_BYTES] = length >>> 8;
    wire[FEC_HEADER_BYTES + 1] = length & 0xff;
    wire.set(packet, FEC_HEADER_BYTES + FEC_LENGTH_BYTES);
    // Stage the shard for parity: [length][bytes]; padding is zeroed when the block closes.
    let slot = this.staged[index];
    const need = FEC_LENGTH_BYTES + length;
    if (slot === undefined || slot.length < need) {
      slot = new Uint8Array(Math.max(need, (slot?.length ?? 0) * 2, 64));
      this.staged[index] = slot;
    }
    slot.set(wire.subarray(FEC_HEADER_BYTES), 0);
    this.stagedLengths[index] = need;
    this.count = index + 1;
    if (this.count < dataShards) return [wire];
    const output = [wire];
    this.closeBlock(output);
    return output;
  }

  /**
   * Closes a partly filled block: returns its parity packets (their count field tells the receiver how many data
   * packets the block holds; the rest are empty shards). Returns nothing when no block is open.
   */
  flush(): Uint8Array[] {
    if (this.count === 0) return [];
    const output: Uint8Array[] = [];
    this.closeBlock(output);
    return output;
  }

  private codec(dataShards: number, parityShards: number): ReedSolomon {
    const key = dataShards * 256 + parityShards;
    let codec = this.codecs.get(key);
    if (codec === undefined) {
      codec = new ReedSolomon({ dataShards, parityShards, kernel: this.kernel });
      // A handful of (k, m) pairs are in use at a time (adaptive FEC steps through a small table).
      if (this.codecs.size >= 16) this.codecs.clear();
      this.codecs.set(key, codec);
    }
    return codec;
  }

  private closeBlock(output: Uint8Array[]): void {
    const { dataShards, parityShards } = this.redundancy;
    const count = this.count;
    let shardLength = 0;
    for (let index = 0; index < count; index++) shardLength = Math.max(shardLength, this.stagedLengths[index]!);
    // Shards count .. k - 1 of a flushed block are empty: all zeros, known to the receiver from `count`.
    for (let index = count; index < dataShards; index++) {
      let slot = this.staged[index];
      if (slot === undefined || slot.length < shardLength) {
        slot = new Uint8Array(Math.max(shardLength, 64));
        this.staged[index] = slot;
      }
      this.stagedLengths[index] = 0;
    }
    const data: Uint8Array[] = [];
    for (let index = 0; index < dataShards; index++) {
      let slot = this.staged[index]!;
      if (slot.length < shardLength) {
        const grown = new Uint8Array(Math.max(shardLength, slot.length * 2));
        grown.set(slot.subarray(0, this.stagedLengths[index]));
        this.staged[index] = grown;
        slot = grown;
      }
      slot.fill(0, this.stagedLengths[index], shardLength);
      data.push(slot.subarray(0, shardLength));
    }
    const parityPackets: Uint8Array[] = [];
    const parityOutputs: Uint8Array[] = [];
    for (let index = 0; index < parityShards; index++) {
      const packet = new Uint8Array(FEC_HEADER_BYTES + shardLength);
      writeFecHeader(packet, { dataShards, parityShards, index: dataShards + index, blockId: this.blockId, count });
      parityPackets.push(packet);
      parityOutputs.push(packet.subarray(FEC_HEADER_BYTES));
    }
    this.codec(dataShards, parityShards).encode(data, parityOutputs);
    for (const packet of parityPackets) output.push(packet);
    this.count = 0;
    this.blockId = (this.blockId + 1) >>> 0;
    if (this.pending !== undefined) {
      this.redundancy = this.pending;
      this.pending = undefined;
    }
  }
}
