/**
 * `rib.lookup` and `rib.lookupBatch` per second (the best route object for an address) on the RouteViews-derived
 * table of ./table.ts (credit RouteViews, via @ip-location-db/asn), next to `longest-prefix-match` holding the same
 * prefixes with the same route objects as payloads (`cidr-matcher` answers only "contained or not": it cannot return
 * a route).
 *
 * One kind of address per process (rib-lookup-random.bench.ts, rib-lookup-inside.bench.ts): V8 compiles a caller's
 * lookup loop from what that loop has seen, so in one process the second kind was measured with code made for the
 * first, and came out up to 1.5x slower than when measured first, whichever kind it was. A real caller's loop has its
 * own history; so has each measurement here (JMH forks a fresh JVM per benchmark for the same reason).
 */
import { type BenchRun, type Workload, isShort } from '@patronus-internal/bench';
import LongestPrefixMatch from 'longest-prefix-match';
import { AttributeSet, BgpRoute, Prefix, Rib } from '../src/index';
import { checkGoal, randomReads, recordReadBaseline } from './baseline';
import { type PrefixTable, addressesInside, loadRoutingTable, randomIpv4Addresses } from './table';

/** Every n-th prefix of a table, as a table. */
function everyNth(source: PrefixTable, n: number): PrefixTable {
  const count = Math.ceil(source.count / n);
  const words = new Uint32Array(count);
  const lengths = new Uint8Array(count);
  const originAs = new Uint32Array(count);
  for (let index = 0; index < count; index++) {
    words[index] = source.words[index * n]!;
    lengths[index] = source.lengths[index * n]!;
    originAs[index] = source.originAs[index * n]!;
  }
  return { count, realCount: count, words, lengths, originAs };
}

/** Records the `rib.lookup` and `rib.lookupBatch` rows for one kind of address, and this process's read baseline. */
export function measureRibLookups(run: BenchRun, kind: 'random' | 'inside'): void {
  const table = loadRoutingTable(isShort ? { ipv4Prefixes: 0, ipv6Prefixes: 0 } : { ipv6Prefixes: 0 });
  // Short mode: every 3rd prefix of the real table, to keep the competitor's load short.
  const lookupTable: PrefixTable = isShort ? everyNth(table.ipv4, 3) : table.ipv4;
  const rib = new Rib({ localAs: 65000, expectedPrefixes: lookupTable.count, expectedPaths: lookupTable.count });
  rib.addPeer({ id: 1, address: '192.0.2.1', asn: 64601, routerId: 1 });
  const setsByOrigin = new Map<number, AttributeSet>();
  for (let index = 0; index < lookupTable.count; index++) {
    const origin = lookupTable.originAs[index]!;
    let set = setsByOrigin.get(origin);
    if (set === undefined) {
      set = AttributeSet.create({ nextHop: '192.0.2.1', asPath: [64601, origin] });
      setsByOrigin.set(origin, set);
    }
    rib.addRoute(BgpRoute.of(Prefix.ipv4(lookupTable.words[index]!, lookupTable.lengths[index]!), set), 1);
  }
  // The competitor holds the same prefixes with the same route objects as payloads.
  const matcher = new LongestPrefixMatch();
  for (const route of rib.locRib) matcher.addPrefix(String(route.prefix), route);
  const BATCH = 4096;
  const POOL = isShort ? 1 << 16 : 1 << 20;
  const text = (address: number): string =>
    `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}/32`;
  const random = randomIpv4Addresses(POOL, 51);
  const label = kind === 'random' ? 'random addresses' : 'addresses inside the table';
  let sink = 0;
  // the machine's ceiling for a single-read lookup in this process, beside the rates below
  const reads = randomReads(random, BATCH);
  recordReadBaseline(
    run,
    `RIB baseline, ${kind === 'random' ? 'random-address' : 'inside-table'} process: one random read of a 64 MB Int32Array per IPv4 address`,
    reads,
    BATCH,
  );
  const pool = kind === 'random' ? random : addressesInside(lookupTable, 1, POOL, 52);
  const strings = Array.from(pool, text);
  // Both must return the same route object.
  for (let index = 0; index < 2048; index++) {
    const theirs = matcher.getMatch(strings[index]!)[0];
    if (rib.lookup(pool[index]!) !== theirs)
      throw new Error(`rib.lookup and longest-prefix-match disagree at ${strings[index]}`);
  }
  // The first lookup of a prefix makes its route object (once, as the competitor made its entries when loaded):
  // make them all before timing, so the rounds measure lookups and not the first one of each prefix.
  for (let index = 0; index < POOL; index++) sink += rib.lookup(pool[index]!) === undefined ? 0 : 1;
  let ourCursor = 0;
  let theirCursor = 0;
  const competitor = {
    name: 'longest-prefix-match',
    fn: () => {
      let found = 0;
      for (let index = 0; index < BATCH; index++) found += matcher.getMatch(strings[theirCursor + index]!).length;
      theirCursor = (theirCursor + BATCH) % POOL;
      sink += found;
    },
  };
  const perCall: Workload = {
    fn: () => {
      let found = 0;
      for (let index = 0; index < BATCH; index++) if (rib.lookup(pool[ourCursor + index]!) !== undefined) found++;
      ourCursor = (ourCursor + BATCH) % POOL;
      sink += found;
    },
  };
  const perCallName = `rib.lookup, IPv4 ${label}`;
  run.compare(
    perCallName,
    {
      unit: 'lookups/s',
      work: BATCH,
      notes: `best route object for an address (number in; competitor given prepared text); ${lookupTable.count} IPv4 prefixes; this kind of address only in this process; goal ≥ 20M/s`,
    },
    perCall,
    competitor,
  );
  const routes: (BgpRoute | undefined)[] = new Array<BgpRoute | undefined>(BATCH).fill(undefined);
  rib.lookupBatch(pool.subarray(0, BATCH), routes);
  routes.forEach((route, index) => {
    if (route !== rib.lookup(pool[index]!))
      throw new Error(`rib.lookupBatch and rib.lookup disagree at ${strings[index]}`);
  });
  let batchCursor = 0;
  const batched: Workload = {
    fn: () => {
      rib.lookupBatch(pool.subarray(batchCursor, batchCursor + BATCH), routes);
      batchCursor = (batchCursor + BATCH) % POOL;
      sink += routes.length;
    },
  };
  const batchedName = `rib.lookupBatch, IPv4 ${label}`;
  run.compare(
    batchedName,
    {
      unit: 'lookups/s',
      work: BATCH,
      notes: `best route objects for ${BATCH} addresses per call (rib.lookupBatch into a reused array); ${lookupTable.count} IPv4 prefixes; goal ≥ 20M/s`,
    },
    batched,
    competitor,
  );
  checkGoal(run, perCallName, 20e6, BATCH, perCall, reads);
  checkGoal(run, batchedName, 20e6, BATCH, batched, reads);
  if (sink === -1) console.log(sink);
}
