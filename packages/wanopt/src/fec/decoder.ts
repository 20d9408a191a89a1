/**
 * The receiving side of packet FEC: delivers data packets as they arrive, rebuilds lost ones from parity as soon as
 * any k of a block's k + m packets are in, ignores duplicates and reordering, keeps a bounded window of open blocks,
 * and reports every block it had to give up with the exact packets lost.
 */
import { type GaloisKernel, type GaloisKernelPreference, createGaloisKernel } from '../gf/kernel';
import { FecParameterError, FecPacketError, FecTooFewShardsError, FecUnrecoverableBlockError } from './errors';
import { FEC_HEADER_BYTES, FEC_LENGTH_BYTES, FEC_MAX_PACKET_BYTES, isBlockIdBefore, readFecHeader } from './packet';
import { ReedSolomon } from './reed-solomon';

/** Options of a {@link FecDecoder}. */
export interface FecDecoderOptions {
  /** Most blocks kept open at once; opening one more closes the oldest. Default 64. */
  readonly maxOpenBlocks?: number;
  /** Largest data packet accepted, in bytes (≤ 65535); bigger shards are rejected as malformed. Default 65535. */
  readonly maxPacketBytes?: number;
  /** Milliseconds a block may stay open after its first packet; needs `clock`. Default: no time limit. */
  readonly blockTimeoutMs?: number;
  /** Current time in milliseconds, for `blockTimeoutMs` (injected: the decoder has no timers of its own). */
  readonly clock?: () => number;
  /** The GF(2^8) kernel; default `auto`. */
  readonly kernel?: GaloisKernelPreference | GaloisKernel;
}

/** One data packet handed to the application. */
export interface FecDeliveredPacket {
  readonly blockId: number;
  /** Index of the packet in its block, 0 .. k - 1. */
  readonly index: number;
  /** The packet's bytes, exactly as given to `FecEncoder.encode`. */
  readonly data: Uint8Array;
  /** True when it was rebuilt from parity rather than received. */
  readonly recovered: boolean;
}

/**
 * What happened to a block when it closed, for loss estimation: feed `observe(lostShards, expectedShards)` of
 * {@link AdaptiveFec}. A block closed as soon as it was complete does not count parity still in flight.
 */
export interface FecBlockReport {
  readonly blockId: number;
  readonly dataShards: number;
  readonly parityShards: number;
  /** Shards known to be lost: data packets missing when the block closed, plus parity when it closed incomplete. */
  readonly lostShards: number;
  /** Shards whose fate is known: the data packets, the parity that arrived, and all parity of an incomplete block. */
  readonly expectedShards: number;
  /** True when every data packet was delivered (received or recovered). */
  readonly complete: boolean;
}

/** The outcome of one decoder call. */
export interface FecDecodeResult {
  /** Data packets to deliver, in the order they became available. */
  readonly packets: FecDeliveredPacket[];
  /** Blocks closed by this call with data lost for good (more than m shards missing). */
  readonly unrecoverable: FecUnrecoverableBlockError[];
  /** Every block closed by this call (complete or not), for loss estimation. */
  readonly closed: FecBlockReport[];
}

/** Running totals of a decoder. */
export interface FecDecoderStatistics {
  /** Packets accepted (including duplicates and late ones). */
  packets: number;
  /** Packets dropped because the same shard had already arrived. */
  duplicates: number;
  /**
   * Packets dropped because their block was already closed (normal for parity that arrives after its block's data
   * all did) or far behind the newest block.
   */
  late: number;
  /** Data packets rebuilt from parity. */
  recovered: number;
  /** Blocks closed with lost data. */
  unrecoverableBlocks: number;
  /** Data packets lost for good. */
  lostPackets: number;
}

class OpenBlock {
  readonly blockId: number;
  readonly dataShards: number;
  readonly parityShards: number;
  readonly openedAt: number;
  /** Data packets in the block once a parity packet told us (else k). */
  count: number;
  /** Shard length S once a parity packet told us, else -1. */
  shardLength = -1;
  /** Payloads as received: data = [length][bytes] (unpadded), parity = S bytes. */
  readonly shards: (Uint8Array | undefined)[];
  /** 1 for each data index already delivered. */
  readonly delivered: Uint8Array;
  received = 0;
  /** Data packets that arrived (not recovered). */
  receivedData = 0;
  deliveredCount = 0;

  constructor(blockId: number, dataShards: number, parityShards: number, openedAt: number) {
    this.blockId = blockId;
    this.dataShards = dataShards;
    this.parityShards = parityShards;
    this.openedAt = openedAt;
    this.count = dataShards;
    this.shards = new Array<Uint8Array | undefined>(dataShards + parityShards).fill(undefined);
    this.delivered = new Uint8Array(dataShards);
  }
}

/**
 * Packet FEC decoder.
 *
 * @example
 * const decoder = new FecDecoder({ maxOpenBlocks: 32 });
 * socket.on('message', (wire) => {
 *   const result = decoder.receive(wire);
 *   for (const packet of result.packets) deliver(packet.data);
 *   for (const loss of result.unrecoverable) console.warn(loss.blockId, loss.lostDataPackets);
 * });
 */
export class FecDecoder {
  /** Running totals. */
  readonly statistics: FecDecoderStatistics = {
    packets: 0,
    duplicates: 0,
    late: 0,
    recovered: 0,
    unrecoverableBlocks: 0,
    lostPackets: 0,
  };
  private readonly maxOpenBlocks: number;
  private readonly maxPacketBytes: number;
  private readonly blockTimeoutMs: number;
  private readonly clock: (() => number) | undefined;
  private readonly kernel: GaloisKernel;
  private readonly codecs = new Map<number, ReedSolomon>();
  /** Open blocks in the order they were opened (Map iteration order), so the oldest is first. */
  private readonly open = new Map<number, OpenBlock>();
  /** Recently closed block ids (insertion-ordered, bounded), so late packets do not reopen them. */
  private readonly closedIds = new Map<number, true>();
  private newest: number | undefined = undefined;
  /** Consecutive packets of blocks far behind the newest one (a restarted sender), see `receive`. */
  private staleStreak = 0;

  constructor(options: FecDecoderOptions = {}) {
    const maxOpenBlocks = options.maxOpenBlocks ?? 64;
    if (!Number.isInteger(maxOpenBlocks) || maxOpenBlocks < 1 || maxOpenBlocks > 65536) {
      throw new FecParameterError('maxOpenBlocks', 'must be an integer in 1 .. 65536');
    }
    const maxPacketBytes = options.maxPacketBytes ?? FEC_MAX_PACKET_BYTES;
    if (!Number.isInteger(maxPacketBytes) || maxPacketBytes < 1 || maxPacketBytes > FEC_MAX_PACKET_BYTES) {
      throw new FecParameterError('maxPacketBytes', `must be an integer in 1 .. ${FEC_MAX_PACKET_BYTES}`);
    }
    const blockTimeoutMs = options.blockTimeoutMs ?? Number.POSITIVE_INFINITY;
    if (!(blockTimeoutMs > 0)) throw new FecParameterError('blockTimeoutMs', 'must be positive');
    if (Number.isFinite(blockTimeoutMs) && options.clock === undefined) {
      throw new FecParameterError('clock', 'blockTimeoutMs needs a clock');
    }
    this.maxOpenBlocks = maxOpenBlocks;
    this.maxPacketBytes = maxPacketBytes;
    this.blockTimeoutMs = blockTimeoutMs;
    this.clock = options.clock;
    const kernel = options.kernel ?? 'auto';
    this.kernel = typeof kernel === 'string' ? createGaloisKernel(kernel) : kernel;
  }

  /** How many blocks are open now. */
  get openBlocks(): number {
    return this.open.size;
  }

  /**
   * Takes one wire packet (any order, duplicates allowed). Returns the data packets now deliverable and the blocks
   * closed by it. Throws {@link FecPacketError} for a malformed packet or one that contradicts its block's header;
   * the decoder's state is unchanged then.
   */
  receive(packet: Uint8Array): FecDecodeResult {
    const header = readFecHeader(packet);
    const { dataShards, parityShards, index, blockId } = header;
    const result: FecDecodeResult = { packets: [], unrecoverable: [], closed: [] };
    if (index < dataShards) {
      const length = packet.length - FEC_HEADER_BYTES - FEC_LENGTH_BYTES;
      if (length > this.maxPacketBytes) {
        throw new FecPacketError('length', FEC_HEADER_BYTES, `data packet of ${length} bytes > maxPacketBytes`);
      }
    } else if (packet.length - FEC_HEADER_BYTES > this.maxPacketBytes + FEC_LENGTH_BYTES) {
      throw new FecPacketError('payload', FEC_HEADER_BYTES, `parity shard longer than maxPacketBytes + 2`);
    }
    let block = this.open.get(blockId);
    if (block !== undefined && (block.dataShards !== dataShards || block.parityShards !== parityShards)) {
      throw new FecPacketError(
        'k',
        1,
        `block ${blockId} is ${block.dataShards} + ${block.parityShards} but this packet says ${dataShards} + ${parityShards}`,
      );
    }
    if (block !== undefined && index < dataShards && index >= block.count) {
      throw new FecPacketError(
        'index',
        3,
        `data packet ${index} of block ${blockId}, which holds ${block.count} packets`,
      );
    }
    if (block !== undefined && index >= dataShards) {
      const shardLength = packet.length - FEC_HEADER_BYTES;
      if (block.shardLength >= 0 && block.shardLength !== shardLength) {
        throw new FecPacketError(
          'payload',
          FEC_HEADER_BYTES,
          `parity shard of ${shardLength} bytes, block has ${block.shardLength}`,
        );
      }
      if (block.count !== dataShards && block.count !== header.count) {
        throw new FecPacketError('count', 8, `count ${header.count} contradicts the block's ${block.count}`);
      }
      if (header.count < dataShards && block.receivedData > 0 && this.hasDataAtOrAfter(block, header.count)) {
        throw new FecPacketError('count', 8, `count ${header.count}, but data packets beyond it arrived`);
      }
    }
    this.statistics.packets++;
    const now = this.clock?.() ?? 0;
    this.expireAt(now, result);
    block = this.open.get(blockId);
    if (block === undefined) {
      if (this.newest !== undefined && this.isTooOld(blockId)) {
        // Packets far behind the newest block are late, unless they keep coming: then the sender restarted its block
        // ids (a new session), and the decoder follows it rather than dropping everything until the ids catch up.
        if (++this.staleStreak < this.maxOpenBlocks) {
          this.statistics.late++;
          return result;
        }
        this.newest = blockId;
        this.closedIds.clear();
      } else if (this.closedIds.has(blockId)) {
        this.statistics.late++;
        return result;
      }
      block = new OpenBlock(blockId, dataShards, parityShards, now);
      this.open.set(blockId, block);
      if (this.newest === undefined || isBlockIdBefore(this.newest, blockId)) this.newest = blockId;
      while (this.open.size > this.maxOpenBlocks) {
        const oldest = this.open.values().next().value!;
        this.close(oldest, result);
      }
    }
    this.staleStreak = 0;
    if (block.shards[index] !== undefined) {
      this.statistics.duplicates++;
      return result;
    }
    // Keep a copy: the caller may reuse its receive buffer, and the shard may be needed to rebuild others.
    const payload = packet.slice(FEC_HEADER_BYTES);
    block.shards[index] = payload;
    block.received++;
    if (index < dataShards) {
      block.delivered[index] = 1;
      block.deliveredCount++;
      block.receivedData++;
      result.packets.push({
        blockId,
        index,
        data: payload.subarray(FEC_LENGTH_BYTES),
        recovered: false,
      });
    } else {
      block.shardLength = payload.length;
      block.count = header.count;
    }
    if (block.deliveredCount === block.count) {
      this.close(block, result);
    } else if (block.shardLength >= 0 && block.received + (block.dataShards - block.count) >= block.dataShards) {
      this.recover(block, result);
      this.close(block, result);
    }
    return result;
  }

  /** Closes blocks open longer than `blockTimeoutMs` (call it from your own timer, or let `receive` do it). */
  expire(): FecDecodeResult {
    const result: FecDecodeResult = { packets: [], unrecoverable: [], closed: [] };
    this.expireAt(this.clock?.() ?? 0, result);
    return result;
  }

  /** Closes every open block (end of stream), reporting those with lost data. */
  flush(): FecDecodeResult {
    const result: FecDecodeResult = { packets: [], unrecoverable: [], closed: [] };
    for (const block of [...this.open.values()]) this.close(block, result);
    return result;
  }

  private expireAt(now: number, result: FecDecodeResult): void {
    if (!Number.isFinite(this.blockTimeoutMs)) return;
    for (const block of this.open.values()) {
      if (now - block.openedAt < this.blockTimeoutMs) break;
      this.close(block, result);
    }
  }

  private hasDataAtOrAfter(block: OpenBlock, index: number): boolean {
    for (let position = index; position < block.dataShards; position++)
      if (block.delivered[position] === 1) return true;
    return false;
  }

  /** True when `blockId` is so far behind the newest block that it must belong to a block already given up. */
  private isTooOld(blockId: number): boolean {
    const newest = this.newest!;
    return isBlockIdBefore(blockId, newest) && (newest - blockId) >>> 0 > this.maxOpenBlocks * 4;
  }

  private codec(dataShards: number, parityShards: number): ReedSolomon {
    const key = dataShards * 256 + parityShards;
    let codec = this.codecs.get(key);
    if (codec === undefined) {
      codec = new ReedSolomon({ dataShards, parityShards, kernel: this.kernel });
      if (this.codecs.size >= 16) this.codecs.clear();
      this.codecs.set(key, codec);
    }
    return codec;
  }

  /** Rebuilds the missing data packets of a block that has k shards (counting the empty ones of a short block). */
  private recover(block: OpenBlock, result: FecDecodeResult): void {
    const k = block.dataShards;
    const length = block.shardLength;
    const shards: (Uint8Array | undefined)[] = [];
    for (let index = 0; index < k + block.parityShards; index++) {
      const payload = block.shards[index];
      if (index >= block.count && index < k) {
        shards.push(new Uint8Array(length));
      } else if (payload === undefined || index >= k || payload.length === length) {
        shards.push(payload);
      } else {
        if (payload.length > length) return; // a data packet longer than the block's shards: the block is corrupt
        const padded = new Uint8Array(length);
        padded.set(payload);
        shards.push(padded);
      }
    }
    try {
      this.codec(k, block.parityShards).reconstruct(shards, { dataOnly: true });
    } catch (error) {
      if (error instanceof FecTooFewShardsError) return;
      throw error;
    }
    for (let index = 0; index < block.count; index++) {
      if (block.delivered[index] === 1) continue;
      const shard = shards[index]!;
      const packetLength = (shard[0]! << 8) | shard[1]!;
      // A recovered length beyond the shard means the parity did not belong with these packets: never deliver it.
      if (packetLength > length - FEC_LENGTH_BYTES) continue;
      block.shards[index] = shard;
      block.delivered[index] = 1;
      block.deliveredCount++;
      this.statistics.recovered++;
      result.packets.push({
        blockId: block.blockId,
        index,
        data: shard.subarray(FEC_LENGTH_BYTES, FEC_LENGTH_BYTES + packetLength),
        recovered: true,
      });
    }
  }

  private close(block: OpenBlock, result: FecDecodeResult): void {
    this.open.delete(block.blockId);
    this.closedIds.set(block.blockId, true);
    if (this.closedIds.size > this.maxOpenBlocks * 4) {
      const oldest = this.closedIds.keys().next();
      if (oldest.done !== true) this.closedIds.delete(oldest.value);
    }
    const total = block.dataShards + block.parityShards;
    const complete = block.deliveredCount === block.count;
    const receivedParity = block.received - block.receivedData;
    // Complete blocks close early, before late parity arrives: count only what is known.
    result.closed.push({
      blockId: block.blockId,
      dataShards: block.dataShards,
      parityShards: block.parityShards,
      lostShards: complete ? block.count - block.receivedData : block.count + block.parityShards - block.received,
      expectedShards: complete ? block.count + receivedParity : block.count + block.parityShards,
      complete,
    });
    if (complete) return;
    const missing: number[] = [];
    for (let index = 0; index < total; index++) {
      if (index >= block.count && index < block.dataShards) continue;
      if (index < block.dataShards ? block.delivered[index] === 0 : block.shards[index] === undefined)
        missing.push(index);
    }
    this.statistics.unrecoverableBlocks++;
    this.statistics.lostPackets += block.count - block.deliveredCount;
    result.unrecoverable.push(
      new FecUnrecoverableBlockError(block.blockId, block.dataShards, block.parityShards, missing),
    );
  }
}
