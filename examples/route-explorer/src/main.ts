/**
 * `npm start`: takes a real Internet routing table (the RIPE RIS rrc00 bview of 11 January 2000 from the shared test
 * data, or the MRT file given as the first argument) through @patronus/bgp, @patronus/rib and @patronus/wanopt, and
 * prints what each step did. See ./explore.ts for the steps.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { carryOverWan, exportLocRib, largestPeer, loadDump, lookUp, takePeerDown } from './explore';

const here = dirname(fileURLToPath(import.meta.url));
const sharedData = process.env.PATRONUS_SHARED_DATA ?? resolve(here, '../../../../shared/data');
const defaultDump = resolve(sharedData, 'bgp/mrt/ris/rrc00/2000.01/bview.20000111.0032.gz');
const file = process.argv[2] ?? defaultDump;

const number = (value: number): string => value.toLocaleString('en-US');
const megabytes = (bytes: number): string =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;

async function main(): Promise<void> {
  if (!existsSync(file)) {
    process.stderr.write(`route-explorer: no MRT file at ${file}\nusage: npm start -- [FILE.mrt[.gz|.bz2]]\n`);
    process.exitCode = 2;
    return;
  }
  console.log(`Patronus route explorer: ${file}\n`);

  const { exploration, report: load } = await loadDump(file);
  console.log('1. MRT dump into the RIB (@patronus/bgp/mrt -> @patronus/rib)');
  console.log(`   ${number(load.records)} records, ${number(load.entries)} entries in ${load.seconds.toFixed(2)} s`);
  if (load.withdrawals > 0) console.log(`   ${number(load.withdrawals)} withdrawals applied`);
  console.log(`   (${number(Math.round(load.entries / load.seconds))} entries/s, decode + decision process)`);
  console.log(`   ${number(load.peers)} peers, ${number(load.paths)} paths, ${number(load.prefixes)} prefixes`);
  console.log(`   ${number(load.distinctAttributeSets)} distinct attribute sets shared by those paths`);
  console.log(`   RIB ${megabytes(load.ribBytes)}, heap ${megabytes(load.heapBytes)}`);
  if (load.skippedEntries > 0) console.log(`   ${number(load.skippedEntries)} entries not loaded (no usable next hop)`);
  for (const [kind, count] of load.warnings) console.log(`   reader warning: ${kind} x ${number(count)}`);

  console.log('\n2. Longest-prefix match through the FIB');
  for (const answer of lookUp(exploration, ['193.0.0.193', '198.41.0.4', '18.7.22.69', '203.0.113.9'])) {
    if (answer.prefix === undefined) {
      console.log(`   ${answer.address.padEnd(15)} no route`);
      continue;
    }
    console.log(
      `   ${answer.address.padEnd(15)} ${answer.prefix.padEnd(18)} via ${answer.nextHop ?? '?'} from ${answer.peer ?? '?'}; ` +
        `AS path ${answer.asPath ?? ''}${answer.equalCostPaths > 1 ? `; ${answer.equalCostPaths} equal-cost paths` : ''}`,
    );
  }

  const timestamp = 947_550_720; // the dump's own time, so both snapshots are comparable
  const before = exportLocRib(exploration, timestamp);
  console.log('\n3. Advertising and re-dumping the Loc-RIB (@patronus/bgp)');
  console.log(
    `   ${number(before.report.bestRoutes)} best routes; the IPv4 ones in ${number(before.report.attributeGroups)} attribute groups ` +
      `pack into ${number(before.report.updateMessages)} UPDATEs (${megabytes(before.report.updateBytes)})`,
  );
  console.log(
    `   TABLE_DUMP_V2 snapshot: ${megabytes(before.report.snapshotBytes)}, read back: ${number(before.report.snapshotEntriesReadBack)} entries`,
  );

  const peerId = largestPeer(exploration);
  const down = takePeerDown(exploration, peerId);
  console.log('\n4. The largest peer goes down');
  console.log(
    `   ${down.peer}: ${number(down.pathsRemoved)} paths removed in ${down.milliseconds.toFixed(1)} ms; the change stream reports ` +
      `${number(down.bestPathChanges)} prefixes with a new best path and ${number(down.prefixesWithdrawn)} withdrawn`,
  );

  const after = exportLocRib(exploration, timestamp);
  const wan = carryOverWan(before.listing, after.listing);
  console.log('\n5. The Loc-RIB listing before and after, over a WAN link with 3% loss (@patronus/wanopt)');
  console.log(
    `   first listing ${megabytes(wan.firstBytes)} -> ${megabytes(wan.dedupWireBytesFirst)} on the wire ` +
      `(deduplicated + deflated; compress() alone: ${megabytes(wan.compressedFirstBytes)})`,
  );
  console.log(
    `   second listing ${megabytes(wan.secondBytes)} -> ${megabytes(wan.dedupWireBytesSecond)} on the wire ` +
      '(chunks the far side already holds cross as references)',
  );
  console.log(
    `   ${number(wan.packetsSent)} packets, ${number(wan.packetsLost)} lost, ${number(wan.packetsRecovered)} rebuilt by FEC, ` +
      `${number(wan.packetsRetransmitted)} sent again (${wan.unrecoverableBlocks} blocks beyond FEC); redundancy now ${wan.redundancyAfter}`,
  );
  console.log(`   far side rebuilt both listings byte for byte: ${wan.isByteIdentical ? 'yes' : 'NO'}`);
  if (!wan.isByteIdentical) process.exitCode = 1;
}

await main();
