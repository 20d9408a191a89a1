/**
 * UPDATE decode and encode rates (issue 3: at least 1,000,000 single-prefix UPDATEs/s each way), for a typical
 * single-prefix UPDATE and a 100-prefix UPDATE sharing its attributes. No JavaScript BGP decoder on npm decodes the
 * same bytes, so there is no competitor column.
 *
 * Wall-clock rates (benchmark.js) suffer when the shared machine is busy, so each case is also measured per
 * CPU-second of this process (`process.cpuUsage`, which also counts the GC's helper threads).
 *
 * Run: `npm run bench bgp update` (BENCH_SHORT=1 for the short pass).
 */
import { BenchRun, isShort, summarise } from '@patronus-internal/bench';
import {
  createPathAttributes,
  createUpdate,
  decodeMessage,
  encodeMessage,
  ipv4Prefix,
  type Prefix,
  type SessionContext,
  type UpdateMessage,
} from '../src/index';

const context: SessionContext = { fourOctetAsn: true, addPath: new Set(), extendedMessage: false };

// A typical Internet route: ORIGIN, a 4-hop AS_PATH, NEXT_HOP, MED, two communities and one large community.
const attributes = createPathAttributes({
  origin: 0,
  asPath: [{ type: 2, asns: [64500, 3356, 1299, 13335] }],
  nextHop: 0xc0000201,
  multiExitDisc: 10,
  communities: [0xfc00_0064, 0xfc00_00c8],
  largeCommunities: [{ globalAdministrator: 64500, localData1: 1, localData2: 2 }],
});

/** Distinct /24s so each UPDATE is a different route, as on a real feed. */
function prefixes(count: number, offset: number): Prefix[] {
  return Array.from({ length: count }, (_, index) => ipv4Prefix((0x0a000000 + (offset + index) * 256) >>> 0, 24));
}

const batch = isShort ? 1000 : 10_000;
const singles: Uint8Array[] = Array.from({ length: batch }, (_, index) =>
  encodeMessage(createUpdate({ attributes, nlri: prefixes(1, index) }), context),
);
// The encode side starts from UPDATE values as a speaker builds them. (Decoding them here instead would keep 100k
// decoded objects alive, and V8 would then pretenure the decoder's allocation sites for the rest of the process.)
const singleMessages: UpdateMessage[] = Array.from({ length: batch }, (_, index) =>
  createUpdate({ attributes, nlri: prefixes(1, index) }),
);
const hundredCount = isShort ? 100 : 1000;
const hundreds: Uint8Array[] = Array.from({ length: hundredCount }, (_, index) =>
  encodeMessage(createUpdate({ attributes, nlri: prefixes(100, index * 100) }), context),
);
const hundredMessages: UpdateMessage[] = Array.from({ length: hundredCount }, (_, index) =>
  createUpdate({ attributes, nlri: prefixes(100, index * 100) }),
);

let sink = 0;
const run = new BenchRun('bgp');

run.rate(
  'UPDATE decode, 1 prefix',
  {
    unit: 'UPDATEs/s',
    work: singles.length,
    notes: `${singles[0]!.length}-byte UPDATE, 4-octet AS session; goal 1M/s`,
  },
  {
    fn: () => {
      for (const bytes of singles) sink += (decodeMessage(bytes, context) as UpdateMessage).nlri.length;
    },
  },
);

run.rate(
  'UPDATE encode, 1 prefix',
  {
    unit: 'UPDATEs/s',
    work: singleMessages.length,
    notes: 'the same UPDATEs, as values built with createUpdate; goal 1M/s',
  },
  {
    fn: () => {
      for (const message of singleMessages) sink += encodeMessage(message, context).length;
    },
  },
);

run.rate(
  'UPDATE decode, 100 prefixes sharing attributes',
  { unit: 'UPDATEs/s', work: hundreds.length, notes: `${hundreds[0]!.length}-byte UPDATE; prefixes/s = 100x` },
  {
    fn: () => {
      for (const bytes of hundreds) sink += (decodeMessage(bytes, context) as UpdateMessage).nlri.length;
    },
  },
);

run.rate(
  'UPDATE encode, 100 prefixes sharing attributes',
  { unit: 'UPDATEs/s', work: hundredMessages.length, notes: 'prefixes/s = 100x' },
  {
    fn: () => {
      for (const message of hundredMessages) sink += encodeMessage(message, context).length;
    },
  },
);

/** Records `work` units per CPU-second of this process, median over samples. */
function perCpuSecond(name: string, work: number, fn: () => void, notes: string): void {
  const rates: number[] = [];
  for (let sample = 0; sample < (isShort ? 5 : 15); sample++) {
    const before = process.cpuUsage();
    const started = performance.now();
    let done = 0;
    while (performance.now() - started < (isShort ? 50 : 200)) {
      fn();
      done += work;
    }
    const used = process.cpuUsage(before);
    rates.push(done / ((used.user + used.system) / 1e6));
  }
  run.record({ name, unit: 'UPDATEs/CPU-s', higherIsBetter: true, ours: summarise('patronus', rates), notes });
}

perCpuSecond(
  'UPDATE decode, 1 prefix, per CPU-second',
  singles.length,
  () => {
    for (const bytes of singles) sink += (decodeMessage(bytes, context) as UpdateMessage).nlri.length;
  },
  'goal 1M/s',
);
perCpuSecond(
  'UPDATE encode, 1 prefix, per CPU-second',
  singleMessages.length,
  () => {
    for (const message of singleMessages) sink += encodeMessage(message, context).length;
  },
  'goal 1M/s',
);
perCpuSecond(
  'UPDATE decode, 100 prefixes sharing attributes, per CPU-second',
  hundreds.length,
  () => {
    for (const bytes of hundreds) sink += (decodeMessage(bytes, context) as UpdateMessage).nlri.length;
  },
  'prefixes/s = 100x',
);
perCpuSecond(
  'UPDATE encode, 100 prefixes sharing attributes, per CPU-second',
  hundredMessages.length,
  () => {
    for (const message of hundredMessages) sink += encodeMessage(message, context).length;
  },
  'prefixes/s = 100x',
);

if (sink === -1) console.log(sink);
run.finish();
