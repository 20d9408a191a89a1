import { type ContentDefinedChunker, type ScanParameters } from '../chunking/chunker';
import { FASTCDC_WASM_BASE64 } from '../chunking/fastcdc-wasm.generated';
import { type FastCdcKernelExports, fastCdcWasmKernel } from '../chunking/fastcdc-wasm';
import { RABIN_WASM_BASE64 } from '../chunking/rabin-wasm.generated';
import { type RabinKernelExports, rabinKernelTables, rabinWasmKernel } from '../chunking/rabin-wasm';
import { scanFastCdc, scanRabin } from '../chunking/scan';
import { defaultSha256, type Sha256IntoFunction, type Sha256Provider } from '../hash/sha256';
import { resolveChunker } from './encoder';
import { DedupOptionsError } from './errors';

/** Chunk boundaries and ids of a buffer. */
export interface IngestResult {
  /** Exclusive end offset of each chunk, ascending; the last is the buffer's length. */
  readonly ends: Uint32Array;
  /** The chunk ids, 32 bytes each, in chunk order (`ids.subarray(32 * i, 32 * i + 32)` is chunk i's). */
  readonly ids: Uint8Array;
  /**
   * The chunk ids as chunk-store keys, in chunk order: `keys[i]` is `chunkKey` of chunk i's id, made while hashing,
   * ready to index without converting the bytes again.
   */
  readonly keys: readonly string[];
}

/**
 * Chunks `data` from `start` (taken as a chunk start) until a chunk ends at or after `stopAt`, hashing each chunk.
 * Self-contained (the scan functions and the FastCDC WebAssembly kernel's exports are parameters) because worker
 * threads receive it as source text. With a kernel, FastCDC or Rabin runs in WebAssembly over pieces of at most 1 MiB
 * copied into its memory (layouts in src/chunking/fastcdc.wat: gear table at 0, cuts at 1024, data at 263168; and
 * src/chunking/rabin.wat).
 */
export function ingestSegment(
  data: Uint8Array,
  start: number,
  stopAt: number,
  parameters: ScanParameters,
  digestInto: Sha256IntoFunction,
  fastCdc: typeof scanFastCdc,
  rabin: typeof scanRabin,
  kernel: FastCdcKernelExports | undefined,
  rabinKernel: RabinKernelHandle | undefined,
): IngestResult {
  const length = data.length;
  const state = new Int32Array(3);
  // Every chunk but the last is at least `minimum` long, which bounds the count.
  const capacity = Math.floor((Math.min(stopAt, length) - start) / parameters.minimum) + 2;
  const ends = new Uint32Array(capacity);
  const ids = new Uint8Array(capacity * 32);
  const keys: string[] = [];
  // Chunk views made with the constructor: `subarray` looks up the species constructor first, which costs twice the
  // view itself (about 70 ns per chunk here).
  const dataBuffer = data.buffer;
  const base = data.byteOffset;
  let count = 0;
  let position = start;
  const useFastCdcKernel = parameters.algorithm === 'fastcdc' && kernel !== undefined;
  const useRabinKernel = parameters.algorithm === 'rabin' && rabinKernel !== undefined;
  if (useFastCdcKernel || useRabinKernel) {
    // Layouts: src/chunking/fastcdc.wat (gear table at 0, cuts at 1024, data at 263168) and src/chunking/rabin.wat
    // (tables at 0, cuts at 8192, data at 271360 after a gap for the window bytes that precede a piece). A chunk starts
    // at `start` and Rabin fingerprints restart with every chunk, so the window never reaches before `start`: bytes
    // copied there from before it are never read.
    const buffer = useFastCdcKernel ? kernel.memory.buffer : rabinKernel!.exports.memory.buffer;
    const memory = new Uint8Array(buffer);
    const dataOffset = useFastCdcKernel ? 263168 : 271360;
    const cuts = new Int32Array(buffer, useFastCdcKernel ? 1024 : 8192, 65536);
    const window = parameters.algorithm === 'rabin' ? parameters.window : 0;
    if (parameters.algorithm === 'fastcdc') {
      new Int32Array(buffer, 0, 256).set(parameters.gear);
      kernel!.setState(0, 0);
    } else {
      new Int32Array(buffer, 0, 2048).set(rabinKernel!.tables);
      rabinKernel!.exports.setState(0, 0, 0);
    }
    let pieceStart = start;
    while (pieceStart < length && position < stopAt) {
      const pieceEnd = Math.min(length, pieceStart + 1048576, Math.max(stopAt, pieceStart) + parameters.maximum);
      const before = Math.min(window, pieceStart);
      memory.set(data.subarray(pieceStart - before, pieceEnd), dataOffset - before);
      const found =
        parameters.algorithm === 'fastcdc'
          ? kernel!.scan(
              dataOffset,
              dataOffset + pieceEnd - pieceStart,
              parameters.hashStart,
              parameters.minimum,
              parameters.normal,
              parameters.maximum,
              parameters.maskSmall,
              parameters.maskLarge,
            )
          : rabinKernel!.exports.scan(
              dataOffset,
              dataOffset + pieceEnd - pieceStart,
              window,
              parameters.topShift + 40,
              parameters.hashStart,
              parameters.minimum,
              parameters.maximum,
              parameters.cutAbove,
            );
      for (let index = 0; index < found && position < stopAt; index++) {
        const cut = pieceStart + cuts[index]! - dataOffset;
        ends[count] = cut;
        keys[count] = digestInto(new Uint8Array(dataBuffer, base + position, cut - position), ids, count * 32);
        count++;
        position = cut;
      }
      pieceStart = pieceEnd;
    }
    if (position < stopAt && position < length) {
      ends[count] = length;
      keys[count] = digestInto(new Uint8Array(dataBuffer, base + position, length - position), ids, count * 32);
      count++;
    }
    return { ends: ends.slice(0, count), ids: ids.slice(0, count * 32), keys };
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
    keys[count] = digestInto(new Uint8Array(dataBuffer, base + position, cut - position), ids, count * 32);
    count++;
    position = cut;
    if (cut >= stopAt) break;
  }
  return { ends: ends.slice(0, count), ids: ids.slice(0, count * 32), keys };
}

/** The FastCDC kernel a chunker uses on this thread, if it uses the WebAssembly one. */
function kernelFor(chunker: ContentDefinedChunker): FastCdcKernelExports | undefined {
  return chunker.algorithm === 'fastcdc' && (chunker as { kernel?: string }).kernel === 'wasm'
    ? fastCdcWasmKernel()?.borrowExports()
    : undefined;
}

/** The Rabin WebAssembly kernel's exports with the tables of one configuration, for {@link ingestSegment}. */
export interface RabinKernelHandle {
  /** The instance's exports. */
  readonly exports: RabinKernelExports;
  /** The kernel tables of the configuration (see `rabinKernelTables`). */
  readonly tables: Int32Array;
}

/** The Rabin kernel tables a chunker needs, if it uses the WebAssembly kernel. */
function rabinTablesFor(chunker: ContentDefinedChunker, parameters: ScanParameters): Int32Array | undefined {
  return parameters.algorithm === 'rabin' && (chunker as { kernel?: string }).kernel === 'wasm'
    ? rabinKernelTables(parameters)
    : undefined;
}

/** The Rabin kernel on this thread with `tables`, borrowed for one call (its own chunkers reload their tables). */
function rabinKernelFor(tables: Int32Array | undefined): RabinKernelHandle | undefined {
  if (tables === undefined) return undefined;
  const exports = rabinWasmKernel()?.borrowExports();
  return exports === undefined ? undefined : { exports, tables };
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
  sha256: Sha256Provider = defaultSha256,
): IngestResult {
  if (data.length > 0xffffffff) throw new DedupOptionsError('data', 'ingest takes buffers below 4 GiB');
  const parameters = chunker.scanParameters();
  return ingestSegment(
    plainView(data),
    0,
    data.length,
    parameters,
    sha256.digestInto,
    scanFastCdc,
    scanRabin,
    kernelFor(chunker),
    rabinKernelFor(rabinTablesFor(chunker, parameters)),
  );
}

/**
 * `data` as a plain Uint8Array over the same bytes: `subarray` on a Buffer goes through its species constructor,
 * which costs more than the view itself, once per chunk.
 */
function plainView(data: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(data) === Uint8Array.prototype
    ? data
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
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

/** A worker's reply: one segment's result, or (with `segment` -1) the end of its share of a job. */
interface WorkerReply {
  readonly id: number;
  readonly segment: number;
  readonly ends: Uint32Array | undefined;
  readonly ids: Uint8Array | undefined;
  readonly keys: string[] | undefined;
}

/** One call of {@link ParallelIngest.ingest} while its workers run. */
interface RunningJob {
  /** Results by segment; this thread and the workers fill them in as they claim segments. */
  readonly results: (IngestResult | undefined)[];
  /** Workers that have not yet said they found no more segments to claim. */
  busyWorkers: number;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The worker's program: the same scan and ingest functions as this thread, as source text. A job names the shared
 * data, the segment size and count, and a shared counter; the worker claims segments from the counter (as this thread
 * does) until none are left, posting each result, then says so. Claiming instead of a fixed share keeps both threads
 * busy to the end when one of them is slowed down (another process, the stitching, garbage collection).
 */
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
let rabinKernel;
if (workerData.rabinWasm !== undefined) {
  const bytes = Buffer.from(workerData.rabinWasm, 'base64');
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  rabinKernel = { exports, tables: workerData.rabinTables };
}
const digestInto = typeof crypto.hash === 'function'
  ? (bytes, out, offset) => {
      const key = crypto.hash('sha256', bytes, 'latin1');
      for (let index = 0; index < 32; index++) out[offset + index] = key.charCodeAt(index);
      return key;
    }
  : (bytes, out, offset) => {
      const digest = crypto.createHash('sha256').update(bytes).digest();
      out.set(digest, offset);
      return digest.toString('latin1');
    };
parentPort.on('message', (job) => {
  const data = new Uint8Array(job.buffer, job.byteOffset, job.byteLength);
  const counter = new Int32Array(job.counter);
  for (;;) {
    const segment = Atomics.add(counter, 0, 1);
    if (segment >= job.segmentCount) break;
    const start = segment * job.segmentBytes;
    const stopAt = Math.min(job.byteLength, start + job.segmentBytes);
    const result = ingestSegment(data, start, stopAt, workerData.parameters, digestInto, scanFastCdc, scanRabin, kernel, rabinKernel);
    parentPort.postMessage({ id: job.id, segment, ends: result.ends, ids: result.ids, keys: result.keys }, [result.ends.buffer, result.ids.buffer]);
  }
  parentPort.postMessage({ id: job.id, segment: -1, ends: undefined, ids: undefined, keys: undefined });
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

/** Segments per thread at least: enough that a thread slowed down for a while does not hold up the end of the call. */
const SEGMENTS_PER_THREAD = 4;
/**
 * Target segment size for large buffers: at the end of a call one thread may wait for another's last segment, about
 * half a segment's time on average, and redoing a chunk or two at each segment start costs far less than that.
 */
const TARGET_SEGMENT_BYTES = 2 * 1024 * 1024;

/**
 * Chunk and hash a buffer on several threads with exactly the boundaries and ids of {@link ingest}.
 *
 * The buffer is cut into segments (a few per thread) that this thread and the workers claim from a shared counter.
 * Each segment is chunked as if a chunk started at its start. Content-defined boundaries resynchronise: once the true
 * chain of cuts, continued past a segment start, lands on a cut found in that segment, every later cut agrees, so the
 * segment's results are adopted from there (the few chunks before are redone on this thread). Data already in a
 * `SharedArrayBuffer` is read in place; other data is copied into one first.
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
  /** The Rabin kernel tables, when the chunker is Rabin with the WebAssembly kernel. */
  private readonly rabinTables: Int32Array | undefined;
  private readonly minimumSegmentBytes: number;
  private readonly workers: WorkerLike[] = [];
  private readonly jobs: Map<number, RunningJob> = new Map();
  private nextJob = 0;
  private shared: SharedArrayBuffer | undefined = undefined;
  private closed = false;
  /** Calls run one after another: they share the workers and the SharedArrayBuffer. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: ParallelIngestOptions = {}) {
    this.chunker = resolveChunker(options.chunker);
    this.parameters = this.chunker.scanParameters();
    this.usesKernel = kernelFor(this.chunker) !== undefined;
    this.rabinTables = rabinTablesFor(this.chunker, this.parameters);
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
        rabinWasm: this.rabinTables === undefined ? undefined : RABIN_WASM_BASE64,
        rabinTables: this.rabinTables,
      };
      const worker = new threads.Worker(source, { eval: true, workerData });
      worker.on('message', (reply: WorkerReply) => {
        const job = this.jobs.get(reply.id);
        if (job === undefined) return;
        if (reply.segment >= 0) {
          job.results[reply.segment] = { ends: reply.ends!, ids: reply.ids!, keys: reply.keys! };
          return;
        }
        // Idle workers must not keep the process alive; busy ones must (someone awaits them).
        worker.unref();
        if (--job.busyWorkers === 0) {
          this.jobs.delete(reply.id);
          job.resolve();
        }
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
    const threadsWorthIt = Math.min(this.threads, Math.floor(length / this.minimumSegmentBytes));
    if (threadsWorthIt <= 1) return ingest(data, this.chunker);
    this.startWorkers();
    let shared: Uint8Array;
    if (data.buffer instanceof SharedArrayBuffer) {
      shared = plainView(data);
    } else {
      if (this.shared === undefined || this.shared.byteLength < length) this.shared = new SharedArrayBuffer(length);
      shared = new Uint8Array(this.shared, 0, length);
      shared.set(data);
    }
    // Segment starts at multiples of the maximum chunk size: in runs of uniform bytes every cut is a maximum-size cut
    // counted from the chunk start, so aligned starts let those chains coincide instead of never meeting.
    const maximum = this.parameters.maximum;
    const wanted = Math.min(
      Math.max(threadsWorthIt * SEGMENTS_PER_THREAD, Math.ceil(length / TARGET_SEGMENT_BYTES)),
      Math.floor(length / this.minimumSegmentBytes),
    );
    const segmentBytes = Math.ceil(Math.ceil(length / wanted) / maximum) * maximum;
    // Rounding up may leave fewer segments than wanted.
    const segmentCount = Math.ceil(length / segmentBytes);
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const id = this.nextJob++;
    const results: (IngestResult | undefined)[] = new Array<IngestResult | undefined>(segmentCount).fill(undefined);
    const workers = this.workers.slice(0, Math.min(this.workers.length, segmentCount - 1));
    const workersDone = new Promise<void>((resolve, reject) => {
      this.jobs.set(id, { results, busyWorkers: workers.length, resolve, reject });
    });
    for (const worker of workers) {
      worker.ref();
      worker.postMessage({
        id,
        buffer: shared.buffer,
        byteOffset: shared.byteOffset,
        byteLength: length,
        segmentBytes,
        segmentCount,
        counter: counter.buffer,
      });
    }
    // This thread claims segments too while the workers run.
    const digestInto = defaultSha256.digestInto;
    const kernel = kernelFor(this.chunker);
    const rabinKernel = rabinKernelFor(this.rabinTables);
    for (;;) {
      const segment = Atomics.add(counter, 0, 1);
      if (segment >= segmentCount) break;
      const start = segment * segmentBytes;
      results[segment] = ingestSegment(
        shared,
        start,
        Math.min(length, start + segmentBytes),
        this.parameters,
        digestInto,
        scanFastCdc,
        scanRabin,
        kernel,
        rabinKernel,
      );
    }
    await workersDone;
    return this.stitch(shared, results as IngestResult[], segmentBytes, digestInto, kernel, rabinKernel);
  }

  private stitch(
    data: Uint8Array,
    results: readonly IngestResult[],
    segmentBytes: number,
    digestInto: Sha256IntoFunction,
    kernel: FastCdcKernelExports | undefined,
    rabinKernel: RabinKernelHandle | undefined,
  ): IngestResult {
    const length = data.length;
    const first = results[0]!;
    const parts: IngestResult[] = [first];
    let last = first.ends[first.ends.length - 1] ?? 0;
    for (let segment = 1; segment < results.length && last < length; segment++) {
      const found = results[segment]!;
      const segmentEnd = Math.min(length, (segment + 1) * segmentBytes);
      let index = findSorted(found.ends, last);
      while (index < 0 && last < segmentEnd) {
        // Not yet on the segment's chain: one more chunk here, from the true chain's last cut.
        const step = ingestSegment(
          data,
          last,
          last + 1,
          this.parameters,
          digestInto,
          scanFastCdc,
          scanRabin,
          kernel,
          rabinKernel,
        );
        parts.push(step);
        last = step.ends[0]!;
        index = findSorted(found.ends, last);
      }
      if (index >= 0 && index + 1 < found.ends.length) {
        parts.push({
          ends: found.ends.subarray(index + 1),
          ids: found.ids.subarray((index + 1) * 32),
          keys: found.keys.slice(index + 1),
        });
        last = found.ends[found.ends.length - 1]!;
      }
    }
    let count = 0;
    for (const part of parts) count += part.ends.length;
    const ends = new Uint32Array(count);
    const ids = new Uint8Array(count * 32);
    const keys = new Array<string>(count);
    let offset = 0;
    for (const part of parts) {
      ends.set(part.ends, offset);
      ids.set(part.ids, offset * 32);
      const partKeys = part.keys;
      for (let index = 0; index < partKeys.length; index++) keys[offset + index] = partKeys[index]!;
      offset += part.ends.length;
    }
    return { ends, ids, keys };
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
