import { describe, expect, it } from 'vitest';
import { AdaptiveFec, DEFAULT_ADAPTIVE_FEC_LEVELS } from '../../src/fec/adaptive';
import { FecParameterError } from '../../src/fec/errors';

describe('AdaptiveFec', () => {
  it('starts at 10 + 1 and stays there on a clean path', () => {
    const adaptive = new AdaptiveFec();
    for (let block = 0; block < 100; block++) expect(adaptive.observe(0, 11)).toBe(false);
    expect(adaptive.current).toEqual({ dataShards: 10, parityShards: 1 });
    expect(adaptive.lossEstimate).toBe(0);
  });

  it('rises to 8 + 2 once the EWMA loss estimate reaches 5%', () => {
    const adaptive = new AdaptiveFec({ weight: 0.2 });
    let blocks = 0;
    while (adaptive.lossEstimate < 0.05) {
      adaptive.observe(2, 30); // 6.7% loss per block
      blocks++;
    }
    expect(blocks).toBeGreaterThan(1);
    expect(adaptive.current).toEqual({ dataShards: 8, parityShards: 2 });
  });

  it('steps up at once to the level the estimate reaches, but never above the maximum overhead', () => {
    const adaptive = new AdaptiveFec({ weight: 1, maxOverhead: 0.34 });
    expect(adaptive.observe(5, 10)).toBe(true); // 50% loss
    expect(adaptive.current).toEqual({ dataShards: 6, parityShards: 2 });
    expect(adaptive.levels.every((level) => level.parityShards / level.dataShards <= 0.34)).toBe(true);
  });

  it('does not flap: it steps down only after the hold and well below the threshold (hysteresis)', () => {
    const adaptive = new AdaptiveFec({ weight: 1, hysteresis: 0.3, holdBlocks: 4 });
    adaptive.observe(6, 100); // 6% → 8 + 2
    expect(adaptive.current).toEqual({ dataShards: 8, parityShards: 2 });
    // 4.5% is below 5% but within the hysteresis band (≥ 3.5%): stay.
    for (let block = 0; block < 20; block++) adaptive.observe(45, 1000);
    expect(adaptive.current).toEqual({ dataShards: 8, parityShards: 2 });
    // 3% is below the band: step down after the hold, to 10 + 2 (3% ≥ 1%).
    const changes: boolean[] = [];
    for (let block = 0; block < 6; block++) changes.push(adaptive.observe(3, 100));
    expect(changes).toEqual([true, false, false, false, false, false]);
    expect(adaptive.current).toEqual({ dataShards: 10, parityShards: 2 });
  });

  it('waits holdBlocks blocks after a change before stepping down', () => {
    const adaptive = new AdaptiveFec({ weight: 1, holdBlocks: 3 });
    adaptive.observe(20, 100); // → 4 + 2
    expect(adaptive.current).toEqual({ dataShards: 4, parityShards: 2 });
    const changes: boolean[] = [];
    for (let block = 0; block < 4; block++) changes.push(adaptive.observe(0, 10));
    expect(changes).toEqual([false, false, false, true]);
    expect(adaptive.current).toEqual({ dataShards: 10, parityShards: 1 });
  });

  it('is deterministic: the same observations give the same choices', () => {
    const run = (): string[] => {
      const adaptive = new AdaptiveFec();
      const choices: string[] = [];
      for (let block = 0; block < 300; block++) {
        adaptive.observe((block * 7) % 13 < 3 ? 2 : 0, 12);
        choices.push(`${adaptive.current.dataShards}+${adaptive.current.parityShards}`);
      }
      return choices;
    };
    expect(run()).toEqual(run());
  });

  it('documents its default table: 10 + 1 below 1% loss and 8 + 2 from 5%', () => {
    expect(DEFAULT_ADAPTIVE_FEC_LEVELS[0]).toEqual({ minimumLoss: 0, dataShards: 10, parityShards: 1 });
    expect(DEFAULT_ADAPTIVE_FEC_LEVELS.find((level) => level.minimumLoss === 0.05)).toMatchObject({
      dataShards: 8,
      parityShards: 2,
    });
  });

  it('rejects bad options and observations with FecParameterError', () => {
    expect(() => new AdaptiveFec({ maxOverhead: 0.05 })).toThrow(FecParameterError);
    expect(() => new AdaptiveFec({ weight: 0 })).toThrow(FecParameterError);
    expect(() => new AdaptiveFec({ levels: [{ minimumLoss: 0.1, dataShards: 4, parityShards: 1 }] })).toThrow(
      FecParameterError,
    );
    expect(() => new AdaptiveFec().observe(3, 2)).toThrow(FecParameterError);
  });
});
