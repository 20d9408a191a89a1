/**
 * The machine's ceiling, in this run, for any lookup that reads memory once: one random read of a 64 MB `Int32Array`
 * per address. Each benchmark file records it in its own process, so every lookup rate has its calibration beside it:
 * on a shared machine the same code measured minutes apart differs by up to 2x, and this row moves with it.
 *
 * The lookup goals were set against that read ("one typed-array read per lookup runs at ~113M random reads/s in Node
 * on this machine"), so each goal is also checked against it: the lookups alternated with the reads, round by round,
 * in the same process (see {@link checkGoal}).
 */
import { type BenchRun, type Measurement, type Workload, formatFigure } from '@patronus-internal/bench';

const WORDS = 1 << 24;

/** The read rate the lookup goals were set against, in random reads per second of a 64 MB `Int32Array`. */
export const GOAL_READ_RATE = 113e6;

/**
 * One random read of a 64 MB array (a DIR-24 table) per address of `addresses`, at `addresses[i] >>> 8`, `batch`
 * addresses per call, cycling over the pool: the workload of the baseline rows and of the goal checks.
 */
export function randomReads(addresses: Uint32Array, batch: number): Workload {
  const table = new Int32Array(WORDS);
  // written first: untouched pages all map to the one zero page, and reads of them would never miss the cache
  for (let index = 0; index < WORDS; index++) table[index] = index;
  let cursor = 0;
  let sink = 0;
  return {
    fn: () => {
      let total = 0;
      for (let index = cursor; index < cursor + batch; index++) total += table[addresses[index]! >>> 8]!;
      cursor = (cursor + batch) % addresses.length;
      sink += total;
      return sink;
    },
  };
}

/** Records `name`: the reads of {@link randomReads}, `batch` per timed call. Returns the median rate. */
export function recordReadBaseline(run: BenchRun, name: string, reads: Workload, batch: number): number {
  const measurement = run.rate(
    name,
    {
      unit: 'reads/s',
      work: batch,
      notes: 'the ceiling for any single-read lookup on this machine in this process',
    },
    reads,
  );
  return measurement.ours.median;
}

/**
 * Checks a lookup rate against its goal: `lookups` (the workload of the row named `name`, `batch` lookups per call)
 * alternated round by round with `reads` in this process. The ratio is lookups per read; the goal, set at
 * {@link GOAL_READ_RATE} reads/s, asks for `goal / GOAL_READ_RATE` of them. The notes say how the lookups stand against
 * the goal as written and against it scaled to the reads measured beside them.
 */
export function checkGoal(
  run: BenchRun,
  name: string,
  goal: number,
  batch: number,
  lookups: Workload,
  reads: Workload,
): Measurement {
  const needed = goal / GOAL_READ_RATE;
  const measured = run.compare(
    `goal ≥ ${formatFigure(goal)}/s (≥ ${needed.toFixed(2)} lookups per read): ${name}, alternated with the reads`,
    { unit: 'per second', work: batch },
    lookups,
    { name: 'random reads of a 64 MB Int32Array', ...reads },
  );
  const rate = measured.ours.median;
  const perRead = measured.ratio ?? Number.NaN;
  const verdict = `as set: ${rate >= goal ? 'met' : 'not met'} (${formatFigure(rate)}/s, ${(rate / goal).toFixed(2)}x of ${formatFigure(goal)}/s); scaled to the reads beside it: ${perRead >= needed ? 'met' : 'not met'} (${perRead.toFixed(2)} lookups per read, ${(perRead / needed).toFixed(2)}x of ${needed.toFixed(2)})`;
  process.stdout.write(`  ${verdict}\n`);
  return run.annotate(measured, verdict);
}
