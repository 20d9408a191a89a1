import { describe, expect, it } from 'vitest';
import { loadTargets, runFuzz } from '../fuzz/run';
import { iterationSeed, mutate, Random } from '../fuzz/mutate';

describe('fuzzing (short pass; `npm run fuzz -w @patronus/bgp -- --seconds 600` for the long one)', () => {
  it('every fuzz/*.target.ts survives mutated real inputs: only values or BgpError, and every input terminates', async () => {
    const targets = await loadTargets();
    expect(targets.map((target) => target.name)).toEqual(expect.arrayContaining(['message', 'framer', 'attributes']));
    const lines: string[] = [];
    const report = await runFuzz({ seconds: 8, log: (line) => lines.push(line) });
    for (const target of targets) expect(report.executions[target.name] ?? 0).toBeGreaterThan(100);
    // The seed is in the message so a CI failure can be replayed with --seed S --replay I.
    expect(
      report.findings.map((finding) => `${finding.target} seed ${finding.seed} iteration ${finding.iteration}`),
    ).toEqual([]);
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
