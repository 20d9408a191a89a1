// Chunking throughput (chunk boundaries only, one core): our FastCDC and Rabin next to the WebAssembly chunkers
// @dstanesc/wasm-chunking-fastcdc-node (Rust fastcdc crate) and rabin-wasm (AssemblyScript), on the same random data,
// alternating in one process. Sizes: 4 KiB average, 1 KiB minimum, 32 KiB maximum on every side.
import { BenchRun, isShort } from '@patronus-internal/bench';
import { compute_chunks } from '@dstanesc/wasm-chunking-fastcdc-node';
import { randomBytes } from 'node:crypto';
import { create as createRabinWasm } from 'rabin-wasm';
import { FastCdcChunker, RabinChunker } from '../src/index';

const size = (isShort ? 8 : 32) * 1024 * 1024;
const data = new Uint8Array(randomBytes(size));
const run = new BenchRun('wanopt');
const options = { unit: 'MB/s', work: size, divisor: 1e6 };

const fastCdc = new FastCdcChunker({ averageSize: 4096, minimumSize: 1024, maximumSize: 32768 });
let sink = 0;
run.compare(
  'FastCDC chunking, 4 KiB average, random data, one core',
  {
    ...options,
    notes: `${size / 1048576} MiB of random bytes; ours: WebAssembly kernel (hand-written WAT), normalized chunking level 2, keyed gear table; goal >= 1200 MB/s`,
  },
  { fn: () => (sink += fastCdc.split(data).length) },
  { name: '@dstanesc/wasm-chunking-fastcdc-node', fn: () => (sink += compute_chunks(data, 1024, 4096, 32768).length) },
);

const rabin = new RabinChunker({ averageSize: 4096, minimumSize: 1024, maximumSize: 32768, windowSize: 48 });
const rabinWasm = await createRabinWasm(12, 1024, 32768, 48);
run.compare(
  'Rabin chunking, 4 KiB average, 48-byte window, random data, one core',
  {
    ...options,
    notes: `${size / 1048576} MiB of random bytes; ours: WebAssembly kernel (hand-written WAT), degree-53 polynomial, push/pop tables on 32-bit halves; rabin-wasm: 12 average bits; goal >= 400 MB/s`,
  },
  { fn: () => (sink += rabin.split(data).length) },
  { name: 'rabin-wasm', fn: () => (sink += rabinWasm.fingerprint(data).length) },
);

const fastCdcJs = new FastCdcChunker({ averageSize: 4096, minimumSize: 1024, maximumSize: 32768, kernel: 'js' });
run.rate(
  'FastCDC chunking, JavaScript fallback kernel, one core',
  { ...options, notes: 'the loop used where WebAssembly is unavailable; same boundaries as the WebAssembly kernel' },
  { fn: () => (sink += fastCdcJs.split(data).length) },
);
const rabinJs = new RabinChunker({
  averageSize: 4096,
  minimumSize: 1024,
  maximumSize: 32768,
  windowSize: 48,
  kernel: 'js',
});
run.rate(
  'Rabin chunking, JavaScript fallback kernel, one core',
  { ...options, notes: 'the loop used where WebAssembly is unavailable; same boundaries as the WebAssembly kernel' },
  { fn: () => (sink += rabinJs.split(data).length) },
);

if (sink < 0) console.log(sink);
run.finish();
