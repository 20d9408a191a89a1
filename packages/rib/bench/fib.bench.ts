/**
 * FIB benchmarks: longest-prefix-match lookups per second (batches and single calls, random addresses and addresses
 * inside the table), memory, full-table build and rebuild time, and incremental updates, on the RouteViews-derived
 * table of ./table.ts padded to today's size (1.05M IPv4, 250k IPv6 prefixes), next to `longest-prefix-match`
 * (the npm library that does longest-prefix match with a payload; `cidr-matcher` only answers "contained or not", so
 * it cannot stand in for a FIB) loaded with the same table in the same process.
 *
 * Short mode (BENCH_SHORT=1 / CI): the real table without padding (~565k IPv4, ~168k IPv6) and fewer samples.
 */
import { BenchRun, type Workload, isShort, summarise, timeRuns } from '@patronus-internal/bench';
import LongestPrefixMatch from 'longest-prefix-match';
import { FIB_NO_ROUTE, Ipv4Fib, Ipv6Fib, hugePageSupport } from '../src/fib/index';
import { checkGoal, randomReads, recordReadBaseline } from './baseline';
import {
  type PrefixTable,
  SeededRandom,
  addressesInside,
  loadRoutingTable,
  randomIpv4Addresses,
  randomIpv6Addresses,
} from './table';

const run = new BenchRun('rib');
const table = loadRoutingTable(isShort ? { ipv4Prefixes: 0, ipv6Prefixes: 0 } : {});
const tableNote = (prefixes: PrefixTable, family: string): string =>
  `${prefixes.count} ${family} prefixes (${prefixes.realCount} from RouteViews-derived @ip-location-db/asn${
    prefixes.count > prefixes.realCount ? ', padded from its own length distribution' : ''
  })`;
/** Addresses per timed call: enough to amortise the call, few enough to keep the competitor's calls short. */
const BATCH = 4096;
/**
 * Addresses in a pool; each timed call takes the next BATCH of them, so the lines a lookup touches are not all warm
 * in cache from the previous call (4096 repeated addresses would fit in L2 and flatter every structure).
 */
const POOL = isShort ? 1 << 18 : 1 << 20;
const MB = 1_000_000;

function indices(count: number): Uint32Array {
  const values = new Uint32Array(count);
  for (let index = 0; index < count; index++) values[index] = index;
  return values;
}

function ipv4Text(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

function ipv6Text(words: Uint32Array, offset: number): string {
  const groups: string[] = [];
  for (let word = 0; word < 4; word++) {
    const value = words[offset + word]!;
    groups.push((value >>> 16).toString(16), (value & 0xffff).toString(16));
  }
  return groups.join(':');
}

function heapUsed(): number {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** The competitor's answer as our value: the payload (a prefix index) of its longest match, or FIB_NO_ROUTE. */
function theirValue(matcher: LongestPrefixMatch, text: string): number {
  const matches = matcher.getMatch(text);
  return matches.length === 0 ? FIB_NO_ROUTE : (matches[0] as number);
}

function checkAgreement(
  name: string,
  ours: (index: number) => number,
  theirs: (index: number) => number,
  count: number,
) {
  for (let index = 0; index < count; index++) {
    if (ours(index) !== theirs(index)) {
      throw new Error(`${name}: patronus and longest-prefix-match disagree on address ${index}`);
    }
  }
}

let sink = 0;
/** The pool of random IPv4 addresses: for the IPv4 lookup rows and for the read baseline. */
const randomIpv4 = randomIpv4Addresses(POOL, 41);
/**
 * The machine's single-read ceiling in this process (a random read of a 64 MB array per random IPv4 address),
 * recorded with the IPv4 rows and alternated with each goal row (./baseline.ts).
 */
const reads = randomReads(randomIpv4, BATCH);

/**
 * Alternates batches from a FIB in huge pages (`huge(cursor)`) with batches from the same table in a FIB that asked for
 * none (`plain(cursor)`), each walking the pool from `cursor`: what huge pages are worth, measured in one run.
 */
function compareHugePages(
  name: string,
  notes: string,
  huge: (cursor: number) => void,
  plain: (cursor: number) => void,
): void {
  let hugeCursor = 0;
  let plainCursor = 0;
  run.compare(
    name,
    { unit: 'lookups/s', work: BATCH, notes },
    {
      fn: () => {
        huge(hugeCursor);
        hugeCursor = (hugeCursor + BATCH) % POOL;
      },
    },
    {
      name: 'the same FIB without huge pages',
      fn: () => {
        plain(plainCursor);
        plainCursor = (plainCursor + BATCH) % POOL;
      },
    },
  );
}

// ---------------------------------------------------------------------------------------------------------- IPv4
{
  const ipv4 = table.ipv4;
  const values = indices(ipv4.count);
  const fib = new Ipv4Fib();
  const loadRates = await timeRuns(isShort ? 2 : 5, ipv4.count, 1, () => {
    fib.load(ipv4.words, ipv4.lengths, values);
  });
  const texts = Array.from({ length: ipv4.count }, (_, i) => `${ipv4Text(ipv4.words[i]!)}/${ipv4.lengths[i]}`);
  const before = heapUsed();
  let matcher = new LongestPrefixMatch();
  const theirLoadRates = await timeRuns(1, ipv4.count, 1, () => {
    matcher = new LongestPrefixMatch();
    for (let index = 0; index < ipv4.count; index++) matcher.addPrefix(texts[index]!, index);
  });
  const theirHeap = heapUsed() - before;
  run.record({
    name: 'FIB IPv4 full-table build',
    unit: 'prefixes/s',
    higherIsBetter: true,
    ours: summarise('patronus', loadRates),
    competitor: summarise('longest-prefix-match', theirLoadRates),
    notes: `Ipv4Fib.load vs addPrefix per prefix (strings prepared beforehand); ${tableNote(ipv4, 'IPv4')}; ours ${(
      (ipv4.count / loadRates.sort((a, b) => a - b)[loadRates.length >> 1]!) *
      1000
    ).toFixed(0)} ms`,
  });
  const rebuildMs = await timeRuns(isShort ? 2 : 5, 1, 1, () => {
    fib.rebuild();
  });
  run.record({
    name: 'FIB IPv4 full-table rebuild',
    unit: 'ms',
    higherIsBetter: false,
    ours: summarise(
      'patronus',
      rebuildMs.map((rate) => 1000 / rate),
    ),
    notes: `Ipv4Fib.rebuild() from its own exact-match index; ${tableNote(ipv4, 'IPv4')}`,
  });
  run.record({
    name: 'FIB IPv4 memory, full table',
    unit: 'MB',
    higherIsBetter: false,
    ours: summarise('patronus', [fib.memoryBytes() / MB]),
    competitor: summarise('longest-prefix-match', [theirHeap / MB]),
    notes: `ours: typed arrays held (lookup structure ${(fib.lookupStructureBytes() / MB).toFixed(1)} MB + exact-match index); competitor: heap growth after GC; ${tableNote(ipv4, 'IPv4')}; goal ≤ 64 MB`,
  });

  const random = randomIpv4;
  const inside = addressesInside(ipv4, 1, POOL, 42);
  const out = new Uint32Array(BATCH);
  /** The `lookupBatch` rows, checked against the goal once the baseline is recorded. */
  const goalRows: [string, Workload][] = [];
  for (const [label, pool] of [
    ['random addresses', random],
    ['addresses inside the table', inside],
  ] as const) {
    const strings = Array.from(pool, (address) => `${ipv4Text(address)}/32`);
    checkAgreement(
      `IPv4 ${label}`,
      (i) => fib.lookup(pool[i]!),
      (i) => theirValue(matcher, strings[i]!),
      BATCH * 4,
    );
    let theirCursor = 0;
    const competitor = {
      name: 'longest-prefix-match',
      fn: () => {
        let total = 0;
        for (let index = 0; index < BATCH; index++) total += matcher.getMatch(strings[theirCursor + index]!).length;
        theirCursor = (theirCursor + BATCH) % POOL;
        sink += total;
      },
    };
    let batchCursor = 0;
    const batchLookups: Workload = {
      fn: () => {
        fib.lookupBatch(pool.subarray(batchCursor, batchCursor + BATCH), out);
        batchCursor = (batchCursor + BATCH) % POOL;
      },
    };
    const batchName = `FIB IPv4 LPM lookups, ${label} (lookupBatch)`;
    run.compare(
      batchName,
      {
        unit: 'lookups/s',
        work: BATCH,
        notes: `${BATCH} addresses per call from a pool of ${POOL}; ${tableNote(ipv4, 'IPv4')}; goal ≥ 100M/s`,
      },
      batchLookups,
      competitor,
    );
    goalRows.push([batchName, batchLookups]);
    if (pool === inside) {
      const plain = new Ipv4Fib({ hugePages: false });
      plain.load(ipv4.words, ipv4.lengths, values);
      compareHugePages(
        `FIB IPv4 LPM lookups, ${label} (lookupBatch): huge pages against none`,
        `${hugePageSupport().detail}; ours ${(fib.hugePageBytes() / MB).toFixed(0)} MB in huge pages; ${tableNote(ipv4, 'IPv4')}`,
        (cursor) => {
          fib.lookupBatch(pool.subarray(cursor, cursor + BATCH), out);
        },
        (cursor) => {
          plain.lookupBatch(pool.subarray(cursor, cursor + BATCH), out);
        },
      );
    }
    const hot = pool.subarray(0, BATCH);
    run.rate(
      `FIB IPv4 LPM lookups, ${label} (lookupBatch, ${BATCH} hot addresses)`,
      {
        unit: 'lookups/s',
        work: BATCH,
        notes: `the same ${BATCH} addresses every call, so what they touch stays in cache (traffic with locality); ${tableNote(ipv4, 'IPv4')}`,
      },
      {
        fn: () => {
          fib.lookupBatch(hot, out);
        },
      },
    );
    let singleCursor = 0;
    run.compare(
      `FIB IPv4 LPM lookups, ${label} (lookup per address)`,
      {
        unit: 'lookups/s',
        work: BATCH,
        notes: `one lookup() call per address, pool of ${POOL}; ${tableNote(ipv4, 'IPv4')}`,
      },
      {
        fn: () => {
          let total = 0;
          for (let index = singleCursor; index < singleCursor + BATCH; index++) total += fib.lookup(pool[index]!);
          singleCursor = (singleCursor + BATCH) % POOL;
          sink += total;
        },
      },
      competitor,
    );
  }

  // the ceiling in this run: one dependent-free random read per address from a 64 MB Int32Array (a DIR-24 table)
  recordReadBaseline(run, 'FIB baseline: one random read of a 64 MB Int32Array per IPv4 address', reads, BATCH);
  for (const [name, lookups] of goalRows) checkGoal(run, name, 100e6, BATCH, lookups, reads);

  // incremental updates on the full table: insert a new prefix, then delete it again
  const updates = isShort ? 20_000 : 100_000;
  const generator = new SeededRandom(43);
  const updatePrefixes = new Uint32Array(updates);
  const updateLengths = new Uint8Array(updates);
  for (let index = 0; index < updates; index++) {
    const source = generator.below(ipv4.count);
    const length = Math.max(8, ipv4.lengths[generator.below(ipv4.count)]!);
    const bits = (ipv4.words[source]! | (generator.nextUint32() >>> ipv4.lengths[source]!)) >>> 0;
    updateLengths[index] = length;
    updatePrefixes[index] = length === 32 ? bits : (bits & ~(0xffffffff >>> length)) >>> 0;
  }
  run.rate(
    'FIB IPv4 incremental updates (set + delete)',
    {
      unit: 'updates/s',
      work: updates * 2,
      notes: `${updates} random /8-/32 prefixes near real ones set then deleted on the full table`,
    },
    {
      fn: () => {
        for (let index = 0; index < updates; index++) {
          if (!fib.has(updatePrefixes[index]!, updateLengths[index]!)) {
            fib.set(updatePrefixes[index]!, updateLengths[index]!, index);
            fib.delete(updatePrefixes[index]!, updateLengths[index]!);
          }
        }
      },
    },
  );
}

// ---------------------------------------------------------------------------------------------------------- IPv6
{
  const ipv6 = table.ipv6;
  const values = indices(ipv6.count);
  const fib = new Ipv6Fib();
  const loadRates = await timeRuns(isShort ? 2 : 5, ipv6.count, 1, () => {
    fib.load(ipv6.words, ipv6.lengths, values);
  });
  const texts = Array.from({ length: ipv6.count }, (_, i) => `${ipv6Text(ipv6.words, i * 4)}/${ipv6.lengths[i]}`);
  const before = heapUsed();
  let matcher = new LongestPrefixMatch();
  const theirLoadRates = await timeRuns(1, ipv6.count, 1, () => {
    matcher = new LongestPrefixMatch();
    for (let index = 0; index < ipv6.count; index++) matcher.addPrefix(texts[index]!, index);
  });
  const theirHeap = heapUsed() - before;
  run.record({
    name: 'FIB IPv6 full-table build',
    unit: 'prefixes/s',
    higherIsBetter: true,
    ours: summarise('patronus', loadRates),
    competitor: summarise('longest-prefix-match', theirLoadRates),
    notes: `Ipv6Fib.load vs addPrefix per prefix; ${tableNote(ipv6, 'IPv6')}`,
  });
  const rebuildMs = await timeRuns(isShort ? 2 : 5, 1, 1, () => {
    fib.rebuild();
  });
  run.record({
    name: 'FIB IPv6 full-table rebuild',
    unit: 'ms',
    higherIsBetter: false,
    ours: summarise(
      'patronus',
      rebuildMs.map((rate) => 1000 / rate),
    ),
    notes: `Ipv6Fib.rebuild(); ${tableNote(ipv6, 'IPv6')}`,
  });
  run.record({
    name: 'FIB IPv6 memory, full table',
    unit: 'MB',
    higherIsBetter: false,
    ours: summarise('patronus', [fib.memoryBytes() / MB]),
    competitor: summarise('longest-prefix-match', [theirHeap / MB]),
    notes: `ours: typed arrays (lookup structure ${(fib.lookupStructureBytes() / MB).toFixed(1)} MB + exact-match index); competitor: heap growth after GC; ${tableNote(ipv6, 'IPv6')}`,
  });

  const random = randomIpv6Addresses(POOL, 61);
  const inside = addressesInside(ipv6, 4, POOL, 62);
  const out = new Uint32Array(BATCH);
  for (const [label, pool] of [
    ['random addresses in 2000::/3', random],
    ['addresses inside the table', inside],
  ] as const) {
    const strings = Array.from({ length: POOL }, (_, i) => `${ipv6Text(pool, i * 4)}/128`);
    checkAgreement(
      `IPv6 ${label}`,
      (i) => fib.lookupAt(pool, i * 4),
      (i) => theirValue(matcher, strings[i]!),
      BATCH * 4,
    );
    let theirCursor = 0;
    const competitor = {
      name: 'longest-prefix-match',
      fn: () => {
        let total = 0;
        for (let index = 0; index < BATCH; index++) total += matcher.getMatch(strings[theirCursor + index]!).length;
        theirCursor = (theirCursor + BATCH) % POOL;
        sink += total;
      },
    };
    let batchCursor = 0;
    const batchLookups: Workload = {
      fn: () => {
        fib.lookupBatch(pool.subarray(batchCursor * 4, (batchCursor + BATCH) * 4), out);
        batchCursor = (batchCursor + BATCH) % POOL;
      },
    };
    const batchName = `FIB IPv6 LPM lookups, ${label} (lookupBatch)`;
    run.compare(
      batchName,
      {
        unit: 'lookups/s',
        work: BATCH,
        notes: `${BATCH} addresses per call from a pool of ${POOL}; ${tableNote(ipv6, 'IPv6')}; goal ≥ 30M/s`,
      },
      batchLookups,
      competitor,
    );
    if (label === 'addresses inside the table') {
      checkGoal(run, batchName, 30e6, BATCH, batchLookups, reads);
      const plain = new Ipv6Fib({ hugePages: false });
      plain.load(ipv6.words, ipv6.lengths, values);
      compareHugePages(
        `FIB IPv6 LPM lookups, ${label} (lookupBatch): huge pages against none`,
        `${hugePageSupport().detail}; ours ${(fib.hugePageBytes() / MB).toFixed(0)} MB in huge pages; ${tableNote(ipv6, 'IPv6')}`,
        (cursor) => {
          fib.lookupBatch(pool.subarray(cursor * 4, (cursor + BATCH) * 4), out);
        },
        (cursor) => {
          plain.lookupBatch(pool.subarray(cursor * 4, (cursor + BATCH) * 4), out);
        },
      );
    }
    const hot = pool.subarray(0, BATCH * 4);
    run.rate(
      `FIB IPv6 LPM lookups, ${label} (lookupBatch, ${BATCH} hot addresses)`,
      {
        unit: 'lookups/s',
        work: BATCH,
        notes: `the same ${BATCH} addresses every call (traffic with locality); ${tableNote(ipv6, 'IPv6')}`,
      },
      {
        fn: () => {
          fib.lookupBatch(hot, out);
        },
      },
    );
    let singleCursor = 0;
    run.compare(
      `FIB IPv6 LPM lookups, ${label} (lookup per address)`,
      {
        unit: 'lookups/s',
        work: BATCH,
        notes: `one lookup(w0, w1, w2, w3) call per address, pool of ${POOL}; ${tableNote(ipv6, 'IPv6')}`,
      },
      {
        fn: () => {
          let total = 0;
          for (let index = singleCursor; index < singleCursor + BATCH; index++) {
            const offset = index * 4;
            total += fib.lookup(pool[offset]!, pool[offset + 1]!, pool[offset + 2]!, pool[offset + 3]!);
          }
          singleCursor = (singleCursor + BATCH) % POOL;
          sink += total;
        },
      },
      competitor,
    );
  }
}

if (sink === 0.5) process.stdout.write('unreachable\n');
run.finish();
