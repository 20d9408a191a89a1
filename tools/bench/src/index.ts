/**
 * The benchmark harness behind `npm run bench`.
 *
 * Machines here are shared and noisy (absolute figures move by ±30% between runs), so every comparison runs ours and
 * the competitor alternately in the same process, several rounds each, and reports medians and the ratio between
 * them. Results are merged into `bench-results/<package>.json` (by benchmark name) and printed as a table.
 *
 * Short mode (`BENCH_SHORT=1`, set by CI) keeps every figure but measures for a fraction of the time.
 */
import Benchmark from 'benchmark';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True in short mode (`BENCH_SHORT=1` or `CI=true`): fewer, shorter rounds. */
export const isShort: boolean = process.env.BENCH_SHORT === '1' || process.env.CI === 'true';

/** The repository root (where bench-results/ goes): given by the runner, which runs a bundle of each file elsewhere. */
const repositoryRoot =
  process.env.PATRONUS_REPOSITORY_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** One side of a measurement: a median rate over samples. */
export interface Figure {
  /** Who was measured: `patronus` or the competitor's name. */
  readonly name: string;
  /** Median rate in the measurement's unit. */
  readonly median: number;
  /** Relative interquartile range of the samples, in percent of the median. */
  readonly spreadPercent: number;
  /** How many samples the median is over. */
  readonly samples: number;
}

/** One benchmark's result as written to `bench-results/<package>.json`. */
export interface Measurement {
  readonly name: string;
  /** Unit of `median` (for example `entries/s`, `MB/s`, `bytes/path`). */
  readonly unit: string;
  /** True when a larger figure is better (rates); false for costs (bytes, ms). */
  readonly higherIsBetter: boolean;
  readonly ours: Figure;
  readonly competitor?: Figure | undefined;
  /** ours / competitor for rates, competitor / ours for costs: above 1 means we are ahead. */
  readonly ratio?: number | undefined;
  /** Free-form notes: data set, sizes, goal. */
  readonly notes?: string | undefined;
}

/** What one timed call does. */
export interface Workload {
  /** The function timed; it must do `work` units of work per call. */
  readonly fn: () => unknown;
  /** Runs before timing (warm caches, build tables); not timed. */
  readonly setup?: () => void;
}

/** Options for a rate measurement. */
export interface RateOptions {
  /** Unit label, e.g. `lookups/s` or `MB/s`. */
  readonly unit: string;
  /** Units of work done by one call (items, or bytes). */
  readonly work: number;
  /** Divide the per-second rate by this (1e6 for MB/s from bytes). Default 1. */
  readonly divisor?: number;
  /** Notes written beside the result. */
  readonly notes?: string;
}

/** The median of a list of numbers (the list is not modified). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (position - low);
}

/** Summarises rate samples as a {@link Figure}. */
export function summarise(name: string, rates: readonly number[]): Figure {
  const sorted = [...rates].sort((a, b) => a - b);
  const mid = median(sorted);
  const spread = sorted.length > 1 ? ((quantile(sorted, 0.75) - quantile(sorted, 0.25)) / mid) * 100 : 0;
  return { name, median: mid, spreadPercent: spread, samples: sorted.length };
}

/** Runs `fn` under benchmark.js and returns the per-sample rates (work units per second / divisor). */
function sampleRates(label: string, workload: Workload, work: number, divisor: number): number[] {
  workload.setup?.();
  const bench = new Benchmark(label, workload.fn, {
    maxTime: isShort ? 0.25 : 2,
    minSamples: isShort ? 5 : 20,
    initCount: 1,
  });
  bench.run({ async: false });
  if (bench.error) throw bench.error instanceof Error ? bench.error : new Error(String(bench.error));
  // stats.sample holds seconds per call for each sample
  return bench.stats.sample.map((seconds) => work / seconds / divisor);
}

/** Formats a figure for the table: three significant digits with k/M/G suffixes. */
export function formatFigure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  return value.toPrecision(3);
}

/**
 * One package's benchmark run: add measurements, then `finish()` writes and prints them.
 *
 * @example
 * const run = new BenchRun('rib');
 * run.compare('IPv4 LPM, random addresses', { unit: 'lookups/s', work: 1024 },
 *   { fn: () => ourLookups() }, { name: 'cidr-matcher', fn: () => theirLookups() });
 * run.finish();
 */
export class BenchRun {
  readonly packageName: string;
  readonly results: Measurement[] = [];
  /** Rounds per side in a comparison (alternating ours/competitor). */
  readonly rounds: number;

  constructor(packageName: string, options: { rounds?: number } = {}) {
    this.packageName = packageName;
    this.rounds = options.rounds ?? (isShort ? 1 : 3);
  }

  /** Measures a rate of ours alone. */
  rate(name: string, options: RateOptions, ours: Workload): Measurement {
    const rates: number[] = [];
    for (let round = 0; round < this.rounds; round++) {
      rates.push(...sampleRates(name, ours, options.work, options.divisor ?? 1));
    }
    return this.record({
      name,
      unit: options.unit,
      higherIsBetter: true,
      ours: summarise('patronus', rates),
      notes: options.notes,
    });
  }

  /** Measures ours against a competitor doing the same work, alternating rounds, in this process. */
  compare(
    name: string,
    options: RateOptions,
    ours: Workload,
    competitor: Workload & { readonly name: string },
  ): Measurement {
    const oursRates: number[] = [];
    const theirRates: number[] = [];
    const divisor = options.divisor ?? 1;
    for (let round = 0; round < this.rounds; round++) {
      oursRates.push(...sampleRates(`${name} [patronus]`, ours, options.work, divisor));
      theirRates.push(...sampleRates(`${name} [${competitor.name}]`, competitor, options.work, divisor));
    }
    const oursFigure = summarise('patronus', oursRates);
    const theirFigure = summarise(competitor.name, theirRates);
    return this.record({
      name,
      unit: options.unit,
      higherIsBetter: true,
      ours: oursFigure,
      competitor: theirFigure,
      ratio: oursFigure.median / theirFigure.median,
      notes: options.notes,
    });
  }

  /**
   * Records a measurement made outside benchmark.js (a whole process such as `bgpdump`, memory in bytes). The ratio is
   * derived when both sides are given.
   */
  record(measurement: Measurement): Measurement {
    const competitor = measurement.competitor;
    const ratio =
      measurement.ratio ??
      (competitor === undefined
        ? undefined
        : measurement.higherIsBetter
          ? measurement.ours.median / competitor.median
          : competitor.median / measurement.ours.median);
    const complete: Measurement = { ...measurement, ratio };
    this.results.push(complete);
    printRow(complete);
    return complete;
  }

  /** Replaces the notes of a measurement recorded in this run (for a verdict known only once it is measured). */
  annotate(measurement: Measurement, notes: string): Measurement {
    const index = this.results.indexOf(measurement);
    if (index < 0) throw new Error(`annotate: ${measurement.name} was not recorded in this run`);
    const annotated: Measurement = { ...measurement, notes };
    this.results[index] = annotated;
    return annotated;
  }

  /** Merges the results into `bench-results/<package>.json` (by name) and returns the file path. */
  finish(): string {
    const dir = resolve(repositoryRoot, 'bench-results');
    mkdirSync(dir, { recursive: true });
    const file = resolve(dir, `${this.packageName}.json`);
    let previous: Measurement[] = [];
    try {
      previous = (JSON.parse(readFileSync(file, 'utf8')) as { results: Measurement[] }).results;
    } catch {
      // first run for this package
    }
    const names = new Set(this.results.map((result) => result.name));
    const merged = [...previous.filter((result) => !names.has(result.name)), ...this.results];
    const document = {
      package: `@patronus/${this.packageName}`,
      updated: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      short: isShort,
      results: merged,
    };
    writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
    return file;
  }
}

/** Times an async or process-level task `runs` times and returns per-run rates (work / seconds / divisor). */
export async function timeRuns(runs: number, work: number, divisor: number, task: () => unknown): Promise<number[]> {
  const rates: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = process.hrtime.bigint();
    await task();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(work / seconds / divisor);
  }
  return rates;
}

function printRow(m: Measurement): void {
  const ours = `${formatFigure(m.ours.median)} ±${m.ours.spreadPercent.toFixed(1)}%`;
  const theirs = m.competitor
    ? ` | ${m.competitor.name}: ${formatFigure(m.competitor.median)} ±${m.competitor.spreadPercent.toFixed(1)}%`
    : '';
  const ratio = m.ratio === undefined ? '' : ` | ratio ${m.ratio.toFixed(2)}x`;
  process.stdout.write(`${m.name}: ${ours} ${m.unit} (n=${m.ours.samples})${theirs}${ratio}\n`);
}
