/**
 * The machine's ceiling, in this run, for any lookup that reads memory once: one random read of a 64 MB `Int32Array`
 * per address. Each benchmark file records it in its own process, so every lookup rate has its calibration beside it:
 * on a shared machine the same code measured minutes apart differs by up to 2x, and this row moves with it.
 */
import type { BenchRun } from '@patronus-internal/bench';

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
