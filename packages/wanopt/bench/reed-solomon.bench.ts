/**
 * Reed-Solomon benchmarks: encode and decode MB/s (megabytes of data shards processed per second, 10^6 bytes) for
 * 10 + 1, 10 + 4 and 20 + 2 with 1 KiB and 64 KiB shards, next to `@subspace/reed-solomon-erasure.wasm` (the Rust
 * reed-solomon-erasure crate in WebAssembly, same matrix, so the shards are byte-identical) and
 * `@ronomon/reed-solomon` (a native addon, Cauchy matrix, XOR bit-matrix kernel), on the same random data in the same
 * process. Decode is the worst case: m data shards dropped and rebuilt from the survivors.
 *
 * `@ronomon/reed-solomon` only has an asynchronous API that runs each call on libuv's thread pool, so it is timed as a
 * batch of calls awaited one after another (one in flight: one core, like ours, and the price of its thread-pool hop
 * included), and ours is timed over the same batch; a second 1 KiB figure keeps 8 calls in flight (its best case,
 * which may use both cores). Batched comparisons are recorded twice: wall clock, and MB per CPU-second of the process
 * (steadier on a loaded machine; see `alternate`). Short mode (BENCH_SHORT=1 / CI) keeps every configuration with
 * shorter timings.
 */
import { BenchRun, isShort, summarise } from '@patronus-internal/bench';
import { ReedSolomonErasure } from '@subspace/reed-solomon-erasure.wasm';
import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ReedSolomon } from '../src/fec/reed-solomon';

interface RonomonContext {
  readonly k: number;
}
interface RonomonBinding {
  create(k: number, m: number): RonomonContext;
  encode(
    context: RonomonContext,
    sources: number,
    targets: number,
    buffer: Buffer,
    bufferOffset: number,
    bufferSize: number,
    parity: Buffer,
    parityOffset: number,
    paritySize: number,
    callback: (error?: Error) => void,
  ): void;
}

const run = new BenchRun('wanopt');
const MB = 1_000_000;
const require = createRequire(import.meta.url);
const subspace = ReedSolomonErasure.fromBytes(
  readFileSync(
    require.resolve('@subspace/reed-solomon-erasure.wasm').replace(/index\.js$/, 'reed_solomon_erasure_bg.wasm'),
  ),
);
// A native addon: loaded through require (ESM cannot import .node files).
const native = require('@ronomon/reed-solomon') as RonomonBinding;

const CONFIGURATIONS: readonly (readonly [number, number])[] = [
  [10, 1],
  [10, 4],
  [20, 2],
];
const SHARD_SIZES: readonly number[] = [1024, 65536];

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function ronomonCall(
  context: RonomonContext,
  sources: number,
  targets: number,
  buffer: Buffer,
  parity: Buffer,
): Promise<void> {
  return new Promise((resolve, reject) => {
    native.encode(context, sources, targets, buffer, 0, buffer.length, parity, 0, parity.length, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

async function benchmark(k: number, m: number, shardSize: number): Promise<void> {
  const label = `${k}+${m}, ${shardSize >= 65536 ? `${shardSize / 1024} KiB` : `${shardSize / 1024} KiB`} shards`;
  const work = k * shardSize;
  const codec = new ReedSolomon({ dataShards: k, parityShards: m });
  // One contiguous stripe, as both competitors want it; our shards are views into it.
  const stripe = randomFillSync(Buffer.alloc((k + m) * shardSize));
  const shards = Array.from({ length: k + m }, (_, index) =>
    stripe.subarray(index * shardSize, (index + 1) * shardSize),
  );
  const data = shards.slice(0, k);
  const parity = shards.slice(k);
  codec.encode(data, parity);
  const original = Buffer.from(stripe);

  // The competitors must compute the same thing: reed-solomon-erasure the same bytes, ronomon valid parity.
  const theirs = Buffer.from(stripe);
  theirs.fill(0, k * shardSize);
  if (subspace.encode(theirs, k, m) !== ReedSolomonErasure.RESULT_OK || !theirs.equals(original)) {
    throw new Error(`reed-solomon-erasure.wasm disagrees on ${label}`);
  }
  const context = native.create(k, m);
  const nativeData = Buffer.from(stripe.subarray(0, k * shardSize));
  const nativeParity = Buffer.alloc(m * shardSize);
  let dataSources = 0;
  for (let index = 0; index < k; index++) dataSources |= 1 << index;
  let parityTargets = 0;
  for (let index = k; index < k + m; index++) parityTargets |= 1 << index;
  await ronomonCall(context, dataSources, parityTargets, nativeData, nativeParity);

  // Encode.
  const batch = Math.max(4, Math.round(((isShort ? 5 : 30) * MB) / work));
  const samples = isShort ? 5 : 15;
  const subspaceBuffer = Buffer.from(stripe);
  run.compare(
    `Reed-Solomon encode ${label} vs reed-solomon-erasure.wasm`,
    { unit: 'MB/s', work, divisor: MB, notes: 'MB of data shards per second; same matrix, byte-identical parity' },
    { fn: () => codec.encode(data, parity) },
    { name: '@subspace/reed-solomon-erasure.wasm', fn: () => subspace.encode(subspaceBuffer, k, m) },
  );
  await alternate(
    `Reed-Solomon encode ${label} vs reed-solomon-erasure.wasm`,
    work * batch,
    samples,
    () => {
      for (let call = 0; call < batch; call++) codec.encode(data, parity);
    },
    '@subspace/reed-solomon-erasure.wasm',
    () => {
      for (let call = 0; call < batch; call++) subspace.encode(subspaceBuffer, k, m);
    },
    'same matrix, byte-identical parity',
  );
  await alternate(
    `Reed-Solomon encode ${label} vs @ronomon/reed-solomon`,
    work * batch,
    samples,
    () => {
      for (let call = 0; call < batch; call++) codec.encode(data, parity);
    },
    '@ronomon/reed-solomon',
    async () => {
      for (let call = 0; call < batch; call++) {
        await ronomonCall(context, dataSources, parityTargets, nativeData, nativeParity);
      }
    },
    'one call in flight',
  );
  if (shardSize === 1024) {
    const inFlightParity = Array.from({ length: 8 }, () => Buffer.alloc(m * shardSize));
    await alternate(
      `Reed-Solomon encode ${label} vs @ronomon/reed-solomon, 8 calls in flight`,
      work * batch,
      samples,
      () => {
        for (let call = 0; call < batch; call++) codec.encode(data, parity);
      },
      '@ronomon/reed-solomon',
      async () => {
        const pending: Promise<void>[] = [];
        for (let call = 0; call < batch; call++) {
          // Each call in flight writes its own parity: the addon clears and accumulates its targets, so calls
          // sharing one target buffer on two pool threads would corrupt it.
          pending.push(ronomonCall(context, dataSources, parityTargets, nativeData, inFlightParity[pending.length]!));
          if (pending.length === 8) await Promise.all(pending.splice(0));
        }
        await Promise.all(pending);
      },
      'ronomon keeps 8 calls in flight on the libuv thread pool (may use both cores); ours is one thread',
    );
  }

  // Decode, worst case: the first m data shards are lost and rebuilt from the k survivors.
  const present = Array.from({ length: k + m }, (_, index) => index >= m);
  const decodeShards: (Uint8Array | undefined)[] = [...shards];
  codec.reconstruct(decodeShards, { present, dataOnly: true });
  if (!Buffer.from(stripe).equals(original)) throw new Error(`our decode is wrong on ${label}`);
  const subspaceDecode = Buffer.from(original);
  subspaceDecode.fill(0, 0, m * shardSize);
  if (subspace.reconstruct(subspaceDecode, k, m, present) !== ReedSolomonErasure.RESULT_OK) {
    throw new Error(`reed-solomon-erasure.wasm cannot decode ${label}`);
  }
  if (!subspaceDecode.equals(original)) throw new Error(`reed-solomon-erasure.wasm decodes ${label} wrong`);
  run.compare(
    `Reed-Solomon decode ${label}, ${m} data shards lost, vs reed-solomon-erasure.wasm`,
    { unit: 'MB/s', work, divisor: MB, notes: 'MB of data shards per second; m data shards rebuilt' },
    {
      fn: () => {
        codec.reconstruct(decodeShards, { present, dataOnly: true });
      },
    },
    { name: '@subspace/reed-solomon-erasure.wasm', fn: () => subspace.reconstruct(subspaceDecode, k, m, present) },
  );
  await alternate(
    `Reed-Solomon decode ${label}, ${m} data shards lost, vs reed-solomon-erasure.wasm`,
    work * batch,
    samples,
    () => {
      for (let call = 0; call < batch; call++) codec.reconstruct(decodeShards, { present, dataOnly: true });
    },
    '@subspace/reed-solomon-erasure.wasm',
    () => {
      for (let call = 0; call < batch; call++) subspace.reconstruct(subspaceDecode, k, m, present);
    },
    'm data shards rebuilt',
  );
  let decodeSources = 0;
  let decodeTargets = 0;
  for (let index = 0; index < k + m; index++) {
    if (index < m) decodeTargets |= 1 << index;
    else decodeSources |= 1 << index;
  }
  const nativeDecodeData = Buffer.from(original.subarray(0, k * shardSize));
  const nativeDecodeParity = Buffer.from(nativeParity);
  nativeDecodeData.fill(0, 0, m * shardSize);
  await ronomonCall(context, decodeSources, decodeTargets, nativeDecodeData, nativeDecodeParity);
  if (!nativeDecodeData.equals(original.subarray(0, k * shardSize))) {
    throw new Error(`@ronomon/reed-solomon decodes ${label} wrong`);
  }
  await alternate(
    `Reed-Solomon decode ${label}, ${m} data shards lost, vs @ronomon/reed-solomon`,
    work * batch,
    samples,
    () => {
      for (let call = 0; call < batch; call++) codec.reconstruct(decodeShards, { present, dataOnly: true });
    },
    '@ronomon/reed-solomon',
    async () => {
      for (let call = 0; call < batch; call++) {
        await ronomonCall(context, decodeSources, decodeTargets, nativeDecodeData, nativeDecodeParity);
      }
    },
    'one call in flight',
  );
  // The goal is decode within 2x of encode: measure the two alternately so that load changes hit both alike.
  await alternate(
    `Reed-Solomon decode (${m} data shards lost) vs encode, ${label}`,
    work * batch,
    samples,
    () => {
      for (let call = 0; call < batch; call++) codec.reconstruct(decodeShards, { present, dataOnly: true });
    },
    'patronus encode',
    () => {
      for (let call = 0; call < batch; call++) codec.encode(data, parity);
    },
    'ours both sides: the ratio is decode speed / encode speed',
  );
  if (!sameBytes(stripe, original)) throw new Error('benchmark corrupted its own data');
}

/**
 * Times batches of ours and theirs alternately and records two measurements: wall-clock MB/s, and MB per CPU-second
 * of the whole process (all threads, so the native addon's thread-pool work counts too). The machines are shared and
 * often overloaded; CPU time leaves out the time the process waited for a core, so it is the steadier figure.
 */
async function alternate(
  name: string,
  bytes: number,
  samples: number,
  ours: () => void,
  competitor: string,
  theirs: () => Promise<void> | void,
  how: string,
): Promise<void> {
  const wall: [number[], number[]] = [[], []];
  const cpu: [number[], number[]] = [[], []];
  const sides = [ours, theirs] as const;
  // Warm both, then alternate samples so that machine noise hits both sides alike.
  ours();
  await theirs();
  for (let sample = 0; sample < samples; sample++) {
    for (let side = 0; side < 2; side++) {
      const startCpu = process.cpuUsage();
      const startWall = process.hrtime.bigint();
      await sides[side]!();
      const wallSeconds = Number(process.hrtime.bigint() - startWall) / 1e9;
      const used = process.cpuUsage(startCpu);
      wall[side]!.push(bytes / wallSeconds / MB);
      cpu[side]!.push(bytes / ((used.user + used.system) / 1e6) / MB);
    }
  }
  const notes = `MB of data shards per second over batches of calls; ${how}`;
  run.record({
    name: `${name} (wall clock)`,
    unit: 'MB/s',
    higherIsBetter: true,
    ours: summarise('patronus', wall[0]),
    competitor: summarise(competitor, wall[1]),
    notes,
  });
  run.record({
    name: `${name} (CPU time)`,
    unit: 'MB/s',
    higherIsBetter: true,
    ours: summarise('patronus', cpu[0]),
    competitor: summarise(competitor, cpu[1]),
    notes: `${notes}; MB per CPU-second of the process`,
  });
}

for (const [k, m] of CONFIGURATIONS) {
  for (const shardSize of SHARD_SIZES) await benchmark(k, m, shardSize);
}

// The portable fallback, for engines without WebAssembly SIMD.
{
  const codec = new ReedSolomon({ dataShards: 10, parityShards: 4, kernel: 'javascript' });
  const data = Array.from({ length: 10 }, () => randomFillSync(new Uint8Array(1024)));
  const parity = Array.from({ length: 4 }, () => new Uint8Array(1024));
  run.rate(
    'Reed-Solomon encode 10+4, 1 KiB shards, JavaScript fallback kernel',
    { unit: 'MB/s', work: 10 * 1024, divisor: MB, notes: 'used where WebAssembly SIMD is unavailable' },
    { fn: () => codec.encode(data, parity) },
  );
}

run.finish();
