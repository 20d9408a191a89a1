/**
 * Adaptive FEC: picks (k, m) from the observed packet loss, the way SD-WAN products step their FEC ratio up with loss
 * and back down when the path is clean again, with hysteresis so that it does not flap.
 */
import { FecParameterError } from './errors';
import { type FecRedundancy, checkRedundancy } from './encoder';

/** One row of the adaptive table: use (k, m) when the loss estimate is at least `minimumLoss`. */
export interface AdaptiveFecLevel extends FecRedundancy {
  /** Loss ratio (0 .. 1) from which this level applies. */
  readonly minimumLoss: number;
}

/**
 * The default table. Overhead is m / k; each level recovers its loss ratio with margin for bursts inside a block.
 *
 * | loss estimate | k + m  | overhead |
 * |---------------|--------|----------|
 * | < 1%          | 10 + 1 | 10%      |
 * | ≥ 1%          | 10 + 2 | 20%      |
 * | ≥ 5%          | 8 + 2  | 25%      |
 * | ≥ 10%         | 6 + 2  | 33%      |
 * | ≥ 15%         | 4 + 2  | 50%      |
 * | ≥ 25%         | 4 + 3  | 75%      |
 * | ≥ 35%         | 2 + 2  | 100%     |
 */
export const DEFAULT_ADAPTIVE_FEC_LEVELS: readonly AdaptiveFecLevel[] = [
  { minimumLoss: 0, dataShards: 10, parityShards: 1 },
  { minimumLoss: 0.01, dataShards: 10, parityShards: 2 },
  { minimumLoss: 0.05, dataShards: 8, parityShards: 2 },
  { minimumLoss: 0.1, dataShards: 6, parityShards: 2 },
  { minimumLoss: 0.15, dataShards: 4, parityShards: 2 },
  { minimumLoss: 0.25, dataShards: 4, parityShards: 3 },
  { minimumLoss: 0.35, dataShards: 2, parityShards: 2 },
];

/** Options of an {@link AdaptiveFec}. */
export interface AdaptiveFecOptions {
  /** Levels by rising `minimumLoss`; the first must start at 0. Default {@link DEFAULT_ADAPTIVE_FEC_LEVELS}. */
  readonly levels?: readonly AdaptiveFecLevel[];
  /** Largest overhead m / k allowed (levels above are dropped). Default 0.5 (50%). */
  readonly maxOverhead?: number;
  /** EWMA weight of each new block's loss ratio, 0 < weight ≤ 1. Default 0.1. */
  readonly weight?: number;
  /**
   * Step down only when the estimate is below `(1 - hysteresis)` × the current level's threshold. Default 0.3.
   */
  readonly hysteresis?: number;
  /** Blocks observed after a change before stepping down again (stepping up is immediate). Default 16. */
  readonly holdBlocks?: number;
}

/**
 * Chooses FEC redundancy from per-block loss. Deterministic: it changes only in `observe`, with no timers or clock.
 *
 * @example
 * const adaptive = new AdaptiveFec();
 * const encoder = new FecEncoder(adaptive.current);
 * // at the receiver, for each closed block (FecDecoder results' `closed`), tell the sender the loss it saw:
 * adaptive.observe(report.lostShards, report.dataShards + report.parityShards);
 * encoder.setRedundancy(adaptive.current); // takes effect from the next block
 */
export class AdaptiveFec {
  /** The levels in use (after the overhead cap), by rising threshold. */
  readonly levels: readonly AdaptiveFecLevel[];
  private readonly weight: number;
  private readonly hysteresis: number;
  private readonly holdBlocks: number;
  private level = 0;
  private estimate = 0;
  private sinceChange = 0;

  constructor(options: AdaptiveFecOptions = {}) {
    const maxOverhead = options.maxOverhead ?? 0.5;
    if (!(maxOverhead > 0)) throw new FecParameterError('maxOverhead', 'must be positive');
    const levels = (options.levels ?? DEFAULT_ADAPTIVE_FEC_LEVELS).filter(
      (level) => level.parityShards / level.dataShards <= maxOverhead + 1e-12,
    );
    if (levels.length === 0) throw new FecParameterError('levels', `no level within overhead ${maxOverhead}`);
    for (let index = 0; index < levels.length; index++) {
      const level = levels[index]!;
      checkRedundancy(level);
      if (index === 0 ? level.minimumLoss !== 0 : !(level.minimumLoss > levels[index - 1]!.minimumLoss)) {
        throw new FecParameterError('levels', 'thresholds must start at 0 and rise strictly');
      }
      if (!(level.minimumLoss < 1)) throw new FecParameterError('levels', 'thresholds must be below 1');
    }
    const weight = options.weight ?? 0.1;
    if (!(weight > 0 && weight <= 1)) throw new FecParameterError('weight', 'must be in (0, 1]');
    const hysteresis = options.hysteresis ?? 0.3;
    if (!(hysteresis >= 0 && hysteresis < 1)) throw new FecParameterError('hysteresis', 'must be in [0, 1)');
    const holdBlocks = options.holdBlocks ?? 16;
    if (!Number.isInteger(holdBlocks) || holdBlocks < 0) throw new FecParameterError('holdBlocks', 'must be ≥ 0');
    this.levels = levels.map((level) => ({ ...level }));
    this.weight = weight;
    this.hysteresis = hysteresis;
    this.holdBlocks = holdBlocks;
  }

  /** The (k, m) to use now. */
  get current(): FecRedundancy {
    const level = this.levels[this.level]!;
    return { dataShards: level.dataShards, parityShards: level.parityShards };
  }

  /** The EWMA loss estimate, a ratio 0 .. 1. */
  get lossEstimate(): number {
    return this.estimate;
  }

  /**
   * Feeds one block's outcome: `lost` of its `total` packets (data and parity) never arrived. Returns true when the
   * chosen (k, m) changed.
   */
  observe(lost: number, total: number): boolean {
    if (!Number.isInteger(total) || total < 1 || !Number.isInteger(lost) || lost < 0 || lost > total) {
      throw new FecParameterError('lost', `need integers 0 ≤ lost ≤ total, total ≥ 1; got ${lost} of ${total}`);
    }
    this.estimate += this.weight * (lost / total - this.estimate);
    this.sinceChange++;
    const levels = this.levels;
    let target = this.level;
    // Step up at once to the highest level whose threshold the estimate reaches.
    while (target + 1 < levels.length && this.estimate >= levels[target + 1]!.minimumLoss) target++;
    if (target === this.level && this.sinceChange > this.holdBlocks) {
      // Step down only after the hold, and only to where the estimate is not well below the threshold (hysteresis).
      while (target > 0 && this.estimate < levels[target]!.minimumLoss * (1 - this.hysteresis)) target--;
    }
    if (target === this.level) return false;
    this.level = target;
    this.sinceChange = 0;
    return true;
  }
}
