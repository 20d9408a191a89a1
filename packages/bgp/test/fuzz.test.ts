import { describe, expect, it } from 'vitest';
import { loadTargets, runFuzz } from '../fuzz/run';
import { iterationSeed, mutate, Random } from '../fuzz/mutate';
import { BgpError } from '../src/errors';

describe('fuzzing (short pass; `npm run fuzz -w @patronus/bgp -- --seconds 600` for the long one)', () => {
  it('every fuzz/*.target.ts survives mutated real inputs: only values or BgpError, and every input terminates', async () => {
    const targets = await loadTargets();
    expect(targets.map((target) => target.name)).toEqual(expect.arrayContaining(['message', 'framer', 'attributes']));
    const lines: string[] = [];
    const report = await runFuzz({ seconds: 10, log: (line) => lines.push(line) });
    for (const target of targets) expect(report.executions[target.name] ?? 0).toBeGreaterThan(100);
    // The seed is in the message so a CI failure can be replayed with --seed S --replay I.
    expect(
      report.findings.map((finding) => `${finding.target} seed ${finding.seed} iteration ${finding.iteration}`),
    ).toEqual([]);
  });

  it('reports a target that throws anything but a BgpError, with the seed and iteration that replay it', async () => {
    const broken = {
      name: 'broken',
      seeds: () => [Uint8Array.of(1, 2, 3, 4)],
      run: (input: Uint8Array) => {
        if (input.length > 4) throw new TypeError('crash');
        if (input.length === 0) throw new BgpError('ERR_BGP_TEST', 'a typed error is fine');
      },
    };
    const report = await runFuzz({ seconds: 0.3, seed: 99, targetList: [broken], log: () => undefined });
    expect(report.findings.length).toBeGreaterThan(0);
    const finding = report.findings[0]!;
    expect(finding).toMatchObject({ target: 'broken', seed: 99 });
    expect(finding.input.length).toBeGreaterThan(4);
    const replay = await runFuzz({
      seconds: 0,
      seed: 99,
      replay: finding.iteration,
      targetList: [broken],
      log: () => undefined,
    });
    expect(replay.findings.map((entry) => entry.input)).toEqual([finding.input]);
  });

  it('mutations are a function of the seed and iteration alone (replayable)', () => {
    const seeds = [Uint8Array.from([255, 255, 0, 19, 4]), Uint8Array.from([1, 2, 3])];
    const first = mutate(new Random(iterationSeed(42, 7)), seeds);
    const second = mutate(new Random(iterationSeed(42, 7)), seeds);
    expect(second).toEqual(first);
    const other = Array.from({ length: 20 }, (_, iteration) => mutate(new Random(iterationSeed(43, iteration)), seeds));
    expect(
      other.some((input) => input.length !== first.length || input.some((byte, index) => byte !== first[index])),
    ).toBe(true);
  });
});
