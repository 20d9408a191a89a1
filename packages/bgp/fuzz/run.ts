/**
 * The fuzz runner: `npm run fuzz -w @patronus/bgp -- --seconds 600 [--seed N] [--target name] [--replay I]`.
 *
 * Loads every `fuzz/*.target.ts`, mutates each target's real seeds with a seeded PRNG and feeds the results to it,
 * round-robin until the time is up. A finding is any exception that is not a `BgpError`, or a single input that takes
 * longer than 5 seconds; the runner prints the run seed, the iteration and the input in hex, so
 * `--seed S --replay I --target T` reproduces it.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BgpError } from '../src/errors';
import { iterationSeed, mutate, Random } from './mutate';
import type { FuzzTarget } from './target';

/** A failing input found by {@link runFuzz}. */
export interface FuzzFinding {
  readonly target: string;
  readonly seed: number;
  readonly iteration: number;
  readonly input: Uint8Array;
  readonly error: unknown;
}

/** Options for {@link runFuzz}. */
export interface FuzzOptions {
  /** How long to fuzz, in seconds (all targets share it). */
  readonly seconds: number;
  /** Run seed; a random one is chosen and printed when absent. */
  readonly seed?: number;
  /** Only the targets with these names. */
  readonly targets?: readonly string[];
  /** Where progress lines go (default: stdout). */
  readonly log?: (line: string) => void;
  /** Replay one iteration (with `seed`) instead of fuzzing. */
  readonly replay?: number;
  /** Milliseconds one input may take before it counts as a hang (generous: CI machines are shared). Default 5000. */
  readonly maximumMillisecondsPerInput?: number;
  /** Fuzz these targets instead of the `fuzz/*.target.ts` files (used to test the runner itself). */
  readonly targetList?: readonly FuzzTarget[];
}

/** The result of a fuzz run. */
export interface FuzzReport {
  readonly seed: number;
  readonly executions: Readonly<Record<string, number>>;
  readonly findings: readonly FuzzFinding[];
}

const fuzzDirectory = dirname(fileURLToPath(import.meta.url));

/** Loads every `*.target.ts` next to this file. */
export async function loadTargets(): Promise<FuzzTarget[]> {
  const files = readdirSync(fuzzDirectory)
    .filter((file) => file.endsWith('.target.ts'))
    .sort();
  const targets: FuzzTarget[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(fuzzDirectory, file)).href)) as { target?: FuzzTarget };
    if (module.target === undefined) throw new Error(`${file} exports no \`target\``);
    targets.push(module.target);
  }
  return targets;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Fuzzes the targets for the given time and returns what it found. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const seed = (options.seed ?? (Math.random() * 0x100000000) >>> 0) >>> 0;
  const maximumMilliseconds = options.maximumMillisecondsPerInput ?? 5000;
  const all = options.targetList ?? (await loadTargets());
  const targets = options.targets === undefined ? all : all.filter((target) => options.targets!.includes(target.name));
  if (targets.length === 0) throw new Error(`no fuzz target matches ${options.targets?.join(', ') ?? ''}`);
  log(`fuzz: seed ${seed}, targets ${targets.map((target) => target.name).join(', ')}, ${options.seconds}s`);
  const corpora = targets.map((target) => target.seeds());
  const executions: Record<string, number> = {};
  const findings: FuzzFinding[] = [];
  const check = (target: FuzzTarget, iteration: number, input: Uint8Array): void => {
    const started = performance.now();
    try {
      target.run(input);
    } catch (error) {
      if (!(error instanceof BgpError)) {
        findings.push({ target: target.name, seed, iteration, input, error });
        log(
          `FINDING ${target.name}: seed ${seed} iteration ${iteration} input ${hex(input)}\n  ${String((error as Error).stack ?? error)}`,
        );
      }
    }
    const elapsed = performance.now() - started;
    if (elapsed > maximumMilliseconds) {
      const error = new Error(`input took ${elapsed.toFixed(0)} ms`);
      findings.push({ target: target.name, seed, iteration, input, error });
      log(
        `FINDING ${target.name}: seed ${seed} iteration ${iteration} took ${elapsed.toFixed(0)} ms, input ${hex(input)}`,
      );
    }
  };
  if (options.replay !== undefined) {
    targets.forEach((target, index) => {
      const input = mutate(new Random(iterationSeed(seed, options.replay!)), corpora[index]!);
      log(`replay ${target.name} iteration ${options.replay!}: ${hex(input)}`);
      check(target, options.replay!, input);
    });
    return { seed, executions, findings };
  }
  // Every seed as it is first: real inputs must pass. A quarter of the time goes to this, shared by the targets, so
  // a short CI pass still leaves most of its time to mutations (a long run checks every seed).
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const seedBudget = (options.seconds * 1000) / 4 / targets.length;
  targets.forEach((target, index) => {
    const seedDeadline = performance.now() + seedBudget;
    for (const input of corpora[index]!) {
      if (performance.now() > seedDeadline) break;
      check(target, -1, input);
    }
  });
  let iteration = 0;
  let lastReport = performance.now();
  while (performance.now() < deadline) {
    for (let index = 0; index < targets.length; index++) {
      const target = targets[index]!;
      // The iteration number alone determines the input (per target), so a finding replays exactly.
      const input = mutate(new Random(iterationSeed(seed, iteration)), corpora[index]!);
      check(target, iteration, input);
      executions[target.name] = (executions[target.name] ?? 0) + 1;
    }
    iteration++;
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      log(`fuzz: ${iteration} iterations, ${findings.length} findings`);
    }
  }
  log(
    `fuzz: done, seed ${seed}, ${Object.entries(executions)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ')} executions, ${findings.length} findings`,
  );
  return { seed, executions, findings };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seedText = argument('seed');
  const replayText = argument('replay');
  const targetText = argument('target');
  const report = await runFuzz({
    seconds: Number(argument('seconds') ?? 600),
    ...(seedText === undefined ? {} : { seed: Number(seedText) }),
    ...(replayText === undefined ? {} : { replay: Number(replayText) }),
    ...(targetText === undefined ? {} : { targets: targetText.split(',') }),
  });
  process.exitCode = report.findings.length > 0 ? 1 : 0;
}
