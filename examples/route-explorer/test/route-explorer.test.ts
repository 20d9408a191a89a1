import { requireFile, sharedDataDir } from '@patronus-internal/test-support';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { carryOverWan, exportLocRib, largestPeer, loadDump, lookUp, takePeerDown } from '../src/explore';

// Real data, small enough for a unit test: BIRD's TABLE_DUMP_V2 RIB dump and 796 RIPE RIS update records of 2010.
const ribDump = requireFile(resolve(sharedDataDir, 'bgp/mrt/mrtparse-samples/bird-mrtdump_rib'));
const updates = requireFile(
  resolve(sharedDataDir, 'bgp/mrt/ris/rrc03/2010.02/updates.20100227.1600.first-796-records.gz'),
);

describe.skipIf(ribDump.path === undefined)('route explorer on a RIB dump', () => {
  it('keeps one path per peer and prefix, the last one dumped', async () => {
    // The file holds two dumps of one table, 18 entries: BIRD's own 3 routes (no NEXT_HOP: not loadable) and
    // 192.168.0.10's 3 prefixes with two ADD-PATH paths each; the RIB keeps a peer's latest path to a prefix.
    const { exploration, report } = await loadDump(ribDump.path!);
    expect(report.entries).toBe(18);
    expect(report.withdrawals).toBe(0);
    expect(report.skippedEntries).toBe(6);
    expect(report.paths).toBe(3);
    expect(report.prefixes).toBe(3);
    expect(exploration.rib.lookup('172.17.1.77')?.attributes.med).toBe(20);
  });
});

describe.skipIf(updates.path === undefined)('route explorer on an update log', () => {
  it('applies announcements and withdrawals, answers lookups, re-dumps and carries the table over a lossy link', async () => {
    const { exploration, report } = await loadDump(updates.path!);
    expect(report.entries).toBeGreaterThan(report.withdrawals);
    expect(report.withdrawals).toBeGreaterThan(0);
    expect(report.prefixes).toBe(exploration.rib.locRib.size);

    // Every best route answers a lookup of its own network address with itself or a more specific prefix.
    for (const route of exploration.rib.locRib) {
      const [answer] = lookUp(exploration, [route.prefix.network.toString()]);
      expect(answer?.prefix).toBeDefined();
      const length = Number(answer!.prefix!.split('/')[1]);
      expect(length).toBeGreaterThanOrEqual(route.prefix.length);
    }

    const before = exportLocRib(exploration, 1_700_000_000);
    expect(before.report.bestRoutes).toBe(report.prefixes);
    expect(before.report.snapshotEntriesReadBack).toBe(report.prefixes);

    const peerId = largestPeer(exploration);
    const pathsOfPeer = exploration.rib.adjRibIn(peerId).size;
    const down = takePeerDown(exploration, peerId);
    expect(down.pathsRemoved).toBe(pathsOfPeer);
    expect(exploration.rib.adjRibIn(peerId).size).toBe(0);

    const after = exportLocRib(exploration, 1_700_000_000);
    const wan = carryOverWan(before.listing, after.listing, 0.2, 200);
    expect(wan.isByteIdentical).toBe(true);
    expect(wan.packetsLost).toBeGreaterThan(0);
    expect(wan.dedupWireBytesSecond).toBeLessThan(wan.secondBytes);
  });
});
