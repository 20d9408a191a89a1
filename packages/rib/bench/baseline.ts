/**
 * The machine's ceiling, in this run, for any lookup that reads memory once: one random read of a 64 MB `Int32Array`
 * per address. Each benchmark file records it in its own process, so every lookup rate has its calibration beside it:
 * on a shared machine the same code measured minutes apart differs by up to 2x, and this row moves with it.
 */
import { type BenchRun, type Measurement, formatFigure } from '@patronus-internal/bench';

const WORDS = 1 << 24;

/** Records `name`: reads of the 64 MB array at `addresses[i] >>> 8`, `batch` per timed call, cycling over the pool. */
export function recordReadBaseline(run: BenchRun, name: string, addresses: Uint32Array, batch: number): number {
  const baseline = new Int32Array(WORDS);
  // written first: untouched pages all map to the one zero page, and reads of them would never miss the cache
  for (let index = 0; index < WORDS; index++) baseline[index] = index;
  let cursor = 0;
  let sink = 0;
  const measurement = run.rate(
    name,
    {
      unit: 'reads/s',
      work: batch,
      notes: `the ceiling for any single-read lookup on this machine in this process; pool of ${addresses.length} random addresses`,
    },
    {
      fn: () => {
        let total = 0;
        for (let index = cursor; index < cursor + batch; index++) total += baseline[addresses[index]! >>> 8]!;
        cursor = (cursor + batch) % addresses.length;
        sink += total;
      },
    },
  );
  if (sink === 0.5) process.stdout.write('unreachable\n');
  return measurement.ours.median;
}

/**
 * The read rate the lookup goals were set against: "one typed-array read per lookup runs at ~113M random reads/s in
 * Node on this machine". The baseline rows measure that read (a random read of a 64 MB `Int32Array`, a DIR-24 table)
 * in every process; on this shared host it moves between about 30M and 120M reads/s from one hour to the next, and
 * cache-cold lookups move with it.
 */
export const GOAL_READ_RATE = 113e6;

/**
 * Records how a lookup rate stands against its goal: the goal as set (in the name and notes), and beside the rate, in
 * the competitor's place, the goal scaled to this process's read baseline (`goal x baseline / GOAL_READ_RATE`); the
 * ratio is then the margin over that scaled goal.
 */
export function recordGoal(run: BenchRun, measured: Measurement, goal: number, baseline: number): Measurement {
  const scaled = (goal * baseline) / GOAL_READ_RATE;
  const rate = measured.ours.median;
  return run.record({
    name: `goal ≥ ${formatFigure(goal)}/s: ${measured.name}`,
    unit: measured.unit,
    higherIsBetter: true,
    ours: measured.ours,
    competitor: {
      name: `the goal at this process's read rate (${formatFigure(baseline)} of ${formatFigure(GOAL_READ_RATE)} reads/s)`,
      median: scaled,
      spreadPercent: 0,
      samples: 1,
    },
    notes: `as set: ${rate >= goal ? 'met' : 'not met'} (${formatFigure(rate)}/s against ${formatFigure(goal)}/s, ${(rate / goal).toFixed(2)}x); scaled to the read baseline of this process: ${(rate / scaled).toFixed(2)}x`,
  });
}
