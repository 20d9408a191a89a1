import { type ContentDefinedChunker, type ScanParameters } from '../chunking/chunker';
import { FASTCDC_WASM_BASE64 } from '../chunking/fastcdc-wasm.generated';
import { type FastCdcKernelExports, fastCdcWasmKernel } from '../chunking/fastcdc-wasm';
import { scanFastCdc, scanRabin } from '../chunking/scan';
import { defaultSha256, type Sha256Function } from '../hash/sha256';
import { resolveChunker } from './encoder';
import { DedupOptionsError } from './errors';

/** Chunk boundaries and ids of a buffer. */
export interface IngestResult {
  /** Exclusive end offset of each chunk, ascending; the last is the buffer's length. */
  readonly ends: Uint32Array;
  /** The chunk ids, 32 bytes each, in chunk order (`ids.subarray(32 * i, 32 * i + 32)` is chunk i's). */
  readonly ids: Uint8Array;
}

/**
 * Chunks `data` from `start` (taken as a chunk start) until a chunk ends at or after `stopAt`, hashing each chunk.
 * Self-contained (the scan functions and the FastCDC WebAssembly kernel's exports are parameters) because worker
 * threads receive it as source text. With a kernel, FastCDC runs in WebAssembly over pieces of at most 1 MiB copied
 * into its memory (layout in src/chunking/fastcdc.wat: gear table at 0, cuts at 1024, data at 263168).
 */
export function ingestSegment(
  data: Uint8Array,
  start: number,
  stopAt: number,
  parameters: ScanParameters,
  digest: Sha256Function,
  fastCdc: typeof scanFastCdc,
  rabin: typeof scanRabin,
  kernel: FastCdcKernelExports | undefined,
): IngestResult {
  const length = data.length;
  const state = new Int32Array(3);
  // Every chunk but the last is at least `minimum` long, which bounds the count.
  const capacity = Math.floor((Math.min(stopAt, length) - start) / parameters.minimum) + 2;
  const ends = new Uint32Array(capacity);
  const ids = new Uint8Array(capacity * 32);
  let count = 0;
  let position = start;
  if (parameters.algorithm === 'fastcdc' && kernel !== undefined) {
    const memory = new Uint8Array(kernel.memory.buffer);
    new Int32Array(kernel.memory.buffer, 0, 256).set(parameters.gear);
    const cuts = new Int32Array(kernel.memory.buffer, 1024, 65536);
    kernel.setState(0, 0);
    let pieceStart = start;
    while (pieceStart < length && position < stopAt) {
      const pieceEnd = Math.min(length, pieceStart + 1048576, Math.max(stopAt, pieceStart) + parameters.maximum);
      memory.set(data.subarray(pieceStart, pieceEnd), 263168);
      const found = kernel.scan(
        263168,
        263168 + pieceEnd - pieceStart,
        parameters.hashStart,
        parameters.minimum,
        parameters.normal,
        parameters.maximum,
        parameters.maskSmall,
        parameters.maskLarge,
      );
      for (let index = 0; index < found && position < stopAt; index++) {
        const cut = pieceStart + cuts[index]! - 263168;
        ends[count] = cut;
        ids.set(digest(data.subarray(position, cut)), count * 32);
        count++;
        position = cut;
      }
      pieceStart = pieceEnd;
    }
    if (position < stopAt && position < length) {
      ends[count] = length;
      ids.set(digest(data.subarray(position, length)), count * 32);
      count++;
    }
    return { ends: ends.slice(0, count), ids: ids.slice(0, count * 32) };
  }
  const tail = new Uint8Array(parameters.algorithm === 'rabin' ? parameters.window : 0);
  while (position < length) {
    let cut: number;
    if (parameters.algorithm === 'fastcdc') {
      cut = fastCdc(
        data,
        position,
        length,
        parameters.gear,
        state,
        parameters.hashStart,
        parameters.minimum,
        parameters.normal,
        parameters.maximum,
        parameters.maskSmall,
        parameters.maskLarge,
      );
    } else {
      cut = rabin(
        data,
        position,
        length,
        tail,
        parameters.window,
        parameters.pushHigh,
        parameters.pushLow,
        parameters.popHigh,
        parameters.popLow,
        parameters.highMask,
        parameters.topShift,
        state,
        parameters.hashStart,
        parameters.minimum,
        parameters.maximum,
        parameters.cutAbove,
      );
    }
    if (cut < 0) cut = length;
    ends[count] = cut;
    ids.set(digest(data.subarray(position, cut)), count * 32);
    count++;
    position = cut;
    if (cut >= stopAt) break;
  }
  return { ends: ends.slice(0, count), ids: ids.slice(0, count * 32) };
}

/** The FastCDC kernel a chunker uses on this thread, if it uses the WebAssembly one. */
function kernelFor(chunker: ContentDefinedChunker): FastCdcKernelExports | undefined {
  return chunker.algorithm === 'fastcdc' && (chunker as { kernel?: string }).kernel === 'wasm'
    ? fastCdcWasmKernel()?.borrowExports()
    : undefined;
}

/**
 * Chunks and hashes a whole buffer on this thread: the reference {@link ParallelIngest} must agree with.
 *
 * @example
 * const { ends, ids } = ingest(data, new FastCdcChunker());
 */
export function ingest(
  data: Uint8Array,
  chunker: ContentDefinedChunker = resolveChunker(undefined),
  digest: Sha256Function = defaultSha256.digest,
): IngestResult {
  if (data.length > 0xffffffff) throw new DedupOptionsError('data', 'ingest takes buffers below 4 GiB');
  return ingestSegment(
    data,
    0,
    data.length,
    chunker.scanParameters(),
    digest,
    scanFastCdc,
    scanRabin,
    kernelFor(chunker),
  );
}

interface WorkerLike {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (message: WorkerReply) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface WorkerThreadsSubset {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => WorkerLike;
}

interface WorkerReply {
  readonly id: number;
  readonly ends: Uint32Array;
  readonly ids: Uint8Array;
}

interface PendingJob {
  resolve(result: IngestResult): void;
  reject(error: Error): void;
}

/** The worker's program: the same scan and ingest functions as this thread, as source text. */
function workerSource(): string {
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const scanFastCdc = (${scanFastCdc.toString()});
const scanRabin = (${scanRabin.toString()});
const ingestSegment = (${ingestSegment.toString()});
let kernel;
if (workerData.wasm !== undefined) {
  const bytes = Buffer.from(workerData.wasm, 'base64');
  kernel = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
}
const digest = typeof crypto.hash === 'function'
  ? (bytes) => crypto.hash('sha256', bytes, 'buffer')
  : (bytes) => crypto.createHash('sha256').update(bytes).digest();
parentPort.on('message', (job) => {
  const data = new Uint8Array(job.buffer, job.byteOffset, job.byteLength);
  const result = ingestSegment(data, job.start, job.stopAt, workerData.parameters, digest, scanFastCdc, scanRabin, kernel);
  parentPort.postMessage({ id: job.id, ends: result.ends, ids: result.ids }, [result.ends.buffer, result.ids.buffer]);
});
`;
}

function findSorted(list: Uint32Array, value: number): number {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const candidate = list[middle]!;
    if (candidate === value) return middle;
    if (candidate < value) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** Options of {@link ParallelIngest}. */
export interface ParallelIngestOptions {
  /** The chunker whose boundaries to reproduce, or its name. Default `fastcdc`. */
  readonly chunker?: ContentDefinedChunker | 'fastcdc' | 'rabin';
  /** Threads to use, this one included. Default `os.availableParallelism()`. */
  readonly threads?: number;
  /** Buffers shorter than this many bytes per thread are done on this thread alone. Default 1 MiB. */
  readonly minimumSegmentBytes?: number;
}

/**
 * Chunk and hash a buffer on several threads with exactly the boundaries and ids of {@link ingest}.
 *
 * Each thread chunks one segment as if a chunk started at the segment's start. Content-defined boundaries
 * resynchronise: once this thread's true chain of cuts, continued past a segment start, lands on a cut the segment's
 * thread found, every later cut agrees, so that thread's results are adopted from there (the few chunks before are
 * redone here). Data already in a `SharedArrayBuffer` is read in place; other data is copied into one first.
 *
 * @example
 * const ingest = new ParallelIngest({ chunker: 'fastcdc' });
 * const { ends, ids } = await ingest.ingest(data);
 * await ingest.close();
 */
export class ParallelIngest {
  /** Threads used, this one included. */
  readonly threads: number;
  private readonly chunker: ContentDefinedChunker;
  private readonly parameters: ScanParameters;
  private readonly usesKernel: boolean;
  private readonly minimumSegmentBytes: number;
  private readonly workers: WorkerLike[] = [];
  private readonly jobs: Map<number, PendingJob> = new Map();
  private nextJob = 0;
  private shared: SharedArrayBuffer | undefined = undefined;
  private closed = false;
  /** Calls run one after another: they share the workers and the SharedArrayBuffer. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: ParallelIngestOptions = {}) {
    this.chunker = resolveChunker(options.chunker);
    this.parameters = this.chunker.scanParameters();
    this.usesKernel = kernelFor(this.chunker) !== undefined;
    const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
      ?.getBuiltinModule;
    const os =
      typeof getBuiltinModule === 'function'
        ? (getBuiltinModule('node:os') as { availableParallelism?: () => number } | undefined)
        : undefined;
    this.threads = options.threads ?? os?.availableParallelism?.() ?? 1;
    if (!Number.isInteger(this.threads) || this.threads < 1 || this.threads > 256) {
      throw new DedupOptionsError('threads', `must be an integer from 1 to 256, got ${this.threads}`);
    }
    this.minimumSegmentBytes = options.minimumSegmentBytes ?? 1024 * 1024;
  }

  private startWorkers(): void {
    if (this.workers.length > 0 || this.threads === 1) return;
    const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
      ?.getBuiltinModule;
    const threads =
      typeof getBuiltinModule === 'function'
        ? (getBuiltinModule('node:worker_threads') as WorkerThreadsSubset | undefined)
        : undefined;
    if (threads === undefined) throw new DedupOptionsError('threads', 'worker threads need node:worker_threads');
    const source = workerSource();
    for (let index = 0; index < this.threads - 1; index++) {
      const workerData = {
        parameters: this.parameters,
        wasm: this.usesKernel ? FASTCDC_WASM_BASE64 : undefined,
      };
      const worker = new threads.Worker(source, { eval: true, workerData });
      worker.on('message', (reply: WorkerReply) => {
        const job = this.jobs.get(reply.id);
        this.jobs.delete(reply.id);
        // Idle workers must not keep the process alive; busy ones must (someone awaits them).
        worker.unref();
        job?.resolve({ ends: reply.ends, ids: reply.ids });
      });
      worker.on('error', (error: Error) => {
        for (const job of this.jobs.values()) job.reject(error);
        this.jobs.clear();
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /**
   * Chunks and hashes `data` (below 4 GiB); resolves to the same result as {@link ingest}. Calls made before the
   * previous one resolved wait their turn. Do not modify `data` until the promise settles.
   */
  ingest(data: Uint8Array): Promise<IngestResult> {
    const result = this.queue.then(() => this.ingestNow(data));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async ingestNow(data: Uint8Array): Promise<IngestResult> {
    if (this.closed) throw new DedupOptionsError('ingest', 'this ParallelIngest is closed');
    const length = data.length;
    if (length > 0xffffffff) throw new DedupOptionsError('data', 'ingest takes buffers below 4 GiB');
    const segments = Math.min(this.threads, Math.floor(length / this.minimumSegmentBytes));
    if (segments <= 1) return ingest(data, this.chunker);
    this.startWorkers();
    let shared: Uint8Array;
    if (data.buffer instanceof SharedArrayBuffer) {
      shared = data;
    } else {
      if (this.shared === undefined || this.shared.byteLength < length) this.shared = new SharedArrayBuffer(length);
      shared = new Uint8Array(this.shared, 0, length);
      shared.set(data);
    }
    // Segment starts at multiples of the maximum chunk size: in runs of uniform bytes every cut is a maximum-size cut
    // counted from the chunk start, so aligned starts let those chains coincide instead of never meeting.
    const maximum = this.parameters.maximum;
    const segmentBytes = Math.ceil(Math.ceil(length / segments) / maximum) * maximum;
    // Rounding up may leave fewer segments than threads.
    const segmentCount = Math.ceil(length / segmentBytes);
    const pending: Promise<IngestResult>[] = [];
    for (let segment = 1; segment < segmentCount; segment++) {
      const start = segment * segmentBytes;
      const stopAt = Math.min(length, start + segmentBytes);
      const id = this.nextJob++;
      pending.push(
        new Promise<IngestResult>((resolve, reject) => {
          this.jobs.set(id, { resolve, reject });
        }),
      );
      const worker = this.workers[segment - 1]!;
      worker.ref();
      worker.postMessage({
        id,
        buffer: shared.buffer,
        byteOffset: shared.byteOffset,
        byteLength: length,
        start,
        stopAt,
      });
    }
    // This thread takes the first segment while the workers run.
    const digest = defaultSha256.digest;
    const first = ingestSegment(
      shared,
      0,
      segmentBytes,
      this.parameters,
      digest,
      scanFastCdc,
      scanRabin,
      kernelFor(this.chunker),
    );
    const results = await Promise.all(pending);
    return this.stitch(shared, first, results, segmentBytes, digest);
  }

  private stitch(
    data: Uint8Array,
    first: IngestResult,
    results: readonly IngestResult[],
    segmentBytes: number,
    digest: Sha256Function,
  ): IngestResult {
    const length = data.length;
    const parts: IngestResult[] = [first];
    let last = first.ends[first.ends.length - 1] ?? 0;
    for (let segment = 1; segment <= results.length && last < length; segment++) {
      const found = results[segment - 1]!;
      const segmentEnd = Math.min(length, (segment + 1) * segmentBytes);
      let index = findSorted(found.ends, last);
      while (index < 0 && last < segmentEnd) {
        // Not yet on the segment thread's chain: one more chunk here, from the true chain's last cut.
        const step = ingestSegment(
          data,
          last,
          last + 1,
          this.parameters,
          digest,
          scanFastCdc,
          scanRabin,
          kernelFor(this.chunker),
        );
        parts.push(step);
        last = step.ends[0]!;
        index = findSorted(found.ends, last);
      }
      if (index >= 0 && index + 1 < found.ends.length) {
        parts.push({ ends: found.ends.subarray(index + 1), ids: found.ids.subarray((index + 1) * 32) });
        last = found.ends[found.ends.length - 1]!;
      }
    }
    let count = 0;
    for (const part of parts) count += part.ends.length;
    const ends = new Uint32Array(count);
    const ids = new Uint8Array(count * 32);
    let offset = 0;
    for (const part of parts) {
      ends.set(part.ends, offset);
      ids.set(part.ids, offset * 32);
      offset += part.ends.length;
    }
    return { ends, ids };
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
