/**
 * The typed errors of forward error correction. Every one extends {@link WanoptError} and carries a stable `code`.
 */
import { WanoptError } from '../errors';

/** Thrown for impossible codec or framing parameters (shard counts, sizes, window bounds), naming the field. */
export class FecParameterError extends WanoptError {
  /** The option or argument that was wrong, e.g. `dataShards`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super('ERR_WANOPT_FEC_PARAMETERS', `${field}: ${message}`);
    this.field = field;
  }
}

/** Thrown when the shards handed to the codec do not fit it: wrong count, or a shard of a different length. */
export class FecShardError extends WanoptError {
  /** The index of the offending shard, or -1 when the whole list is wrong. */
  readonly index: number;

  constructor(index: number, message: string) {
    super('ERR_WANOPT_FEC_SHARD', index >= 0 ? `shard ${index}: ${message}` : message);
    this.index = index;
  }
}

/**
 * Thrown when more than m shards of a stripe are missing: Reed-Solomon needs any k of the k + m shards.
 */
export class FecTooFewShardsError extends WanoptError {
  /** How many shards were present. */
  readonly present: number;
  /** How many are needed (k, the number of data shards). */
  readonly required: number;
  /** The indices of the missing shards, ascending. */
  readonly missing: readonly number[];

  constructor(present: number, required: number, missing: readonly number[]) {
    super(
      'ERR_WANOPT_FEC_TOO_FEW_SHARDS',
      `cannot reconstruct: ${present} shards present, ${required} needed (missing ${missing.join(', ')})`,
    );
    this.present = present;
    this.required = required;
    this.missing = missing;
  }
}

/** Thrown for a packet that is not a well-formed FEC packet, with the field and byte offset that were wrong. */
export class FecPacketError extends WanoptError {
  /** The header field that was wrong, e.g. `version` or `shardIndex`. */
  readonly field: string;
  /** The byte offset of that field in the packet. */
  readonly offset: number;

  constructor(field: string, offset: number, message: string) {
    super('ERR_WANOPT_FEC_PACKET', `FEC packet ${field} at byte ${offset}: ${message}`);
    this.field = field;
    this.offset = offset;
  }
}

/**
 * Reported (never thrown by `FecDecoder.receive`) when a block is closed with more than m of its k + m packets lost:
 * the packets listed in `missing` are gone and only a retransmission above FEC can bring them back.
 */
export class FecUnrecoverableBlockError extends WanoptError {
  /** The block that could not be recovered. */
  readonly blockId: number;
  /** Data shard count k of the block. */
  readonly dataShards: number;
  /** Parity shard count m of the block. */
  readonly parityShards: number;
  /** Indices (0 .. k + m - 1) of the shards that never arrived; those below k are lost data packets. */
  readonly missing: readonly number[];
  /** Data packet indices (0 .. k - 1) that were lost for good. */
  readonly lostDataPackets: readonly number[];

  constructor(blockId: number, dataShards: number, parityShards: number, missing: readonly number[]) {
    const lost = missing.filter((index) => index < dataShards);
    super(
      'ERR_WANOPT_FEC_UNRECOVERABLE_BLOCK',
      `FEC block ${blockId} (${dataShards} + ${parityShards}): ${missing.length} shards missing, at most ${parityShards} recoverable; lost data packets ${lost.join(', ')}`,
    );
    this.blockId = blockId;
    this.dataShards = dataShards;
    this.parityShards = parityShards;
    this.missing = missing;
    this.lostDataPackets = lost;
  }
}
