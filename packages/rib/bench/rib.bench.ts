/**
 * RIB benchmarks on the RouteViews-derived table of ./table.ts (credit RouteViews, via @ip-location-db/asn):
 * - path inserts with best-path selection per second, 10 eBGP peers x 100k paths;
 * - memory per path beyond the shared attribute sets, and the heap of the whole table, 10 peers x the full table
 *   (1.05M IPv4 prefixes; short mode: 10 x 100k);
 * - time to remove one peer's paths and reconverge.
 * `rib.lookup` rates are measured in processes of their own: see ./rib-lookup.ts.
 *
 * Paths look like a full table seen from 10 transit providers: the AS_PATH of a prefix from peer p is p's AS, 0-3
 * transit ASes chosen by a hash of (peer, origin AS), then the origin AS from the data, so lengths differ between
 * peers and ties happen; one attribute set per (peer, origin AS), made before the measurement (a BGP speaker gets
 * them from UPDATE messages). Routes are inserted peer by peer, as sessions come up.
 */
import { BenchRun, isShort, summarise } from '@patronus-internal/bench';
import { cpus, loadavg } from 'node:os';
import { AttributeSet, BgpRoute, Prefix, Rib } from '../src/index';
import { type PrefixTable, loadRoutingTable } from './table';

const run = new BenchRun('rib');
const MB = 1_000_000;
const PEERS = 10;
const INSERT_PATHS_PER_PEER = 100_000;
const table = loadRoutingTable(isShort ? { ipv4Prefixes: 0, ipv6Prefixes: 0 } : { ipv6Prefixes: 0 });
const ipv4 = table.ipv4;
const MEMORY_PATHS_PER_PEER = isShort ? 100_000 : ipv4.count;
let sink = 0;

function memory(): { heap: number; buffers: number } {
  globalThis.gc?.();
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, buffers: usage.arrayBuffers };
}

/** `count` prefixes spread over the table (every k-th), as objects. */
function samplePrefixes(source: PrefixTable, count: number): { prefixes: Prefix[]; origins: Uint32Array } {
  const step = source.count / count;
  const prefixes: Prefix[] = [];
  const origins = new Uint32Array(count);
  for (let index = 0; index < count; index++) {
    const at = Math.floor(index * step);
    prefixes.push(Prefix.ipv4(source.words[at]!, source.lengths[at]!));
    origins[index] = source.originAs[at]!;
  }
  return { prefixes, origins };
}

const transit = [3356, 1299, 174, 2914, 6939, 6453, 3257];

/** One attribute set per (peer, origin AS), shared by every prefix with that origin from that peer. */
function attributeSetsFor(origins: Uint32Array): Map<number, AttributeSet>[] {
  const perPeer: Map<number, AttributeSet>[] = [];
  for (let peer = 0; peer < PEERS; peer++) {
    const sets = new Map<number, AttributeSet>();
    for (const origin of origins) {
      if (sets.has(origin)) continue;
      const hash = Math.imul(origin ^ (peer * 0x9e3779b1), 0x85ebca6b) >>> 0;
      const hops = hash % 4;
      const asPath = [64601 + peer];
      for (let hop = 0; hop < hops; hop++) asPath.push(transit[(hash >>> (4 + hop * 3)) % transit.length]!);
      asPath.push(origin);
      sets.set(
        origin,
        AttributeSet.create({
          nextHop: `192.0.2.${peer + 1}`,
          asPath,
          communities: [(((64601 + peer) & 0xffff) * 0x10000 + 100) >>> 0],
        }),
      );
    }
    perPeer.push(sets);
  }
  return perPeer;
}

function makeRib(expectedPaths: number, expectedPrefixes: number): Rib {
  const rib = new Rib({ localAs: 65000, routerId: '10.0.0.1', expectedPaths, expectedPrefixes });
  for (let peer = 0; peer < PEERS; peer++) {
    rib.addPeer({ id: peer + 1, address: `192.0.2.${peer + 1}`, asn: 64601 + peer, routerId: peer + 1 });
  }
  return rib;
}

// --------------------------------------------------------------------------------------------- inserts per second
{
  const { prefixes, origins } = samplePrefixes(ipv4, INSERT_PATHS_PER_PEER);
  const sets = attributeSetsFor(origins);
  const routes: BgpRoute[][] = sets.map((peerSets) =>
    prefixes.map((prefix, index) => BgpRoute.of(prefix, peerSets.get(origins[index]!)!)),
  );
  const total = PEERS * INSERT_PATHS_PER_PEER;
  let last: Rib | undefined;
  // Wall-clock rates, and rates per CPU second of this process: on a shared machine the second shows the code's own
  // speed when other work takes the cores.
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let round = 0; round < (isShort ? 2 : 7); round++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const rib = makeRib(total, INSERT_PATHS_PER_PEER);
    for (let peer = 0; peer < PEERS; peer++) {
      const peerRoutes = routes[peer]!;
      for (let index = 0; index < peerRoutes.length; index++) rib.addRoute(peerRoutes[index]!, peer + 1);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    rates.push(total / seconds);
    cpuRates.push(total / ((cpu.user + cpu.system) / 1e6));
    last = rib;
  }
  sink += last?.size ?? 0;
  run.record({
    name: 'RIB path inserts with best-path selection, 10 peers x 100k',
    unit: 'paths/s',
    higherIsBetter: true,
    ours: summarise('patronus', rates),
    notes: `addRoute of prepared routes into a fresh Rib (presized, default clock: Date.now read once per 128 paths of a burst), peer by peer; ${prefixes.length} IPv4 prefixes sampled from the table; ${sets[0]!.size} attribute sets per peer; ${
      last?.size
    } best paths; goal ≥ 1M/s; no npm competitor runs a BGP decision process`,
  });
  run.record({
    name: 'RIB path inserts with best-path selection, 10 peers x 100k, per CPU second',
    unit: 'paths/s',
    higherIsBetter: true,
    ours: summarise('patronus', cpuRates),
    notes: `the same runs divided by this process's user + system CPU time instead of wall-clock time, load average ${loadavg()[0]!.toFixed(
      1,
    )} on ${cpus().length} cores`,
  });
}

// ---------------------------------------------------------------------------- memory, peak heap, peer removal
{
  const { prefixes, origins } = samplePrefixes(ipv4, MEMORY_PATHS_PER_PEER);
  const sets = attributeSetsFor(origins);
  const paths = PEERS * MEMORY_PATHS_PER_PEER;
  const before = memory();
  const rib = makeRib(0, 0);
  let peak = 0;
  const loadStart = process.hrtime.bigint();
  for (let peer = 0; peer < PEERS; peer++) {
    const peerSets = sets[peer]!;
    for (let index = 0; index < prefixes.length; index++) {
      rib.addRoute(BgpRoute.of(prefixes[index]!, peerSets.get(origins[index]!)!), peer + 1);
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed + rib.memoryBytes());
  }
  const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
  const after = memory();
  const live = after.heap + rib.memoryBytes();
  peak = Math.max(peak, live);
  // Typed arrays are counted exactly (allocated capacity, from rib.memoryBytes()); JavaScript objects the RIB made
  // (peers, arrays of set references) as heap growth after GC. process.memoryUsage().arrayBuffers was not used: it
  // lags behind large allocations and frees.
  const typedBytes = rib.memoryBytes();
  const heapGrowth = Math.max(0, after.heap - before.heap);
  const perPath = (typedBytes + heapGrowth) / paths;
  const scale = `${PEERS} peers x ${MEMORY_PATHS_PER_PEER} IPv4 paths (${rib.size} prefixes, ${rib.attributeSets.size} attribute sets)`;
  run.record({
    name: `RIB memory per path beyond shared attribute sets, ${isShort ? '10 x 100k' : '10 x 1.05M'}`,
    unit: 'bytes/path',
    higherIsBetter: false,
    ours: summarise('patronus', [perPath]),
    notes: `(typed arrays held + JS heap growth after GC) / paths, over the attribute-set and prefix objects made beforehand; includes per-prefix slots, the FIB, the interning pool's arrays and growth slack; ${scale}; typed arrays ${(
      typedBytes / MB
    ).toFixed(0)} MB, heap growth ${(heapGrowth / MB).toFixed(0)} MB; load ${loadSeconds.toFixed(1)} s; goal ≤ 100`,
  });
  run.record({
    name: `RIB whole table in memory, ${isShort ? '10 x 100k' : '10 x 1.05M'}`,
    unit: 'MB',
    higherIsBetter: false,
    ours: summarise('patronus', [live / MB]),
    notes: `JS heap after GC + typed arrays held, inputs (prefix and attribute-set objects, ${(
      before.heap / MB
    ).toFixed(
      0,
    )} MB of heap before the load) included; peak seen during the load (heap not collected + typed arrays) ${(
      peak / MB
    ).toFixed(0)} MB; ${scale}; goal ≤ 1500 MB`,
  });
  const removeStart = process.hrtime.bigint();
  const removed = rib.removePeer(1);
  const removeMs = Number(process.hrtime.bigint() - removeStart) / 1e6;
  run.record({
    name: `RIB remove one peer and reconverge, ${isShort ? '100k' : '1.05M'} paths`,
    unit: 'ms',
    higherIsBetter: false,
    ours: summarise('patronus', [removeMs]),
    notes: `removePeer of the peer holding the best path of every prefix (it has the lowest router id): ${removed} paths withdrawn, every prefix's best path chosen again among the other ${
      PEERS - 1
    }; ${scale}`,
  });
  sink += rib.size;
}

run.finish();
if (sink === -1) console.log(sink);
