import {
  AttributeSet,
  BgpRoute,
  type ExportPolicy,
  InvalidAddressError,
  InvalidPrefixError,
  PeerError,
  Prefix,
  Rib,
  type RibChange,
} from '@patronus/rib';
import { describe, expect, it } from 'vitest';

const set4 = AttributeSet.create({ nextHop: '192.0.2.9', asPath: [65009] });
const set6 = AttributeSet.create({ nextHop: '2001:db8::9', asPath: [65009] });

describe('Rib: the seed API', () => {
  it('adds a local route with LOCAL_PREF and MED and finds it by longest-prefix match', () => {
    const rib = new Rib(65000);
    rib.addRoute(new BgpRoute('10.0.0.0/24', '192.168.1.1', [65001, 65002]).withLocalPref(150).withMed(10));
    expect(rib.lookup('10.0.0.5')?.nextHop).toBe('192.168.1.1');
    const route = rib.lookup('10.0.0.5')!;
    expect(route.localPref).toBe(150);
    expect(route.med).toBe(10);
    expect(route.source?.peerType).toBe('local');
    expect(rib.lookup('10.0.1.5')).toBeUndefined();
  });

  it('prefers the longest matching prefix, for IPv4 and IPv6, by text, number or address object', () => {
    const rib = new Rib(65000);
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1'));
    rib.addRoute(new BgpRoute('10.1.0.0/16', '192.0.2.2'));
    rib.addRoute(new BgpRoute('2001:db8::/32', '2001:db8::1'));
    rib.addRoute(new BgpRoute('2001:db8:1::/48', '2001:db8::2'));
    expect(rib.lookup('10.1.2.3')?.nextHop).toBe('192.0.2.2');
    expect(rib.lookup(0x0a020304)?.nextHop).toBe('192.0.2.1');
    expect(rib.lookup('2001:db8:1::9')?.nextHop).toBe('2001:db8::2');
    expect(rib.lookupIpv6(0x20010db8, 0x00020000, 0, 1)?.nextHop).toBe('2001:db8::1');
    expect(rib.lookup('11.0.0.1')).toBeUndefined();
  });

  it('looks up batches of addresses, longer than one kernel call, with updates applied first', () => {
    const rib = new Rib(65000);
    const empty: (BgpRoute | undefined)[] = [null as never];
    rib.lookupBatch(Uint32Array.of(0x0a000001), empty);
    expect(empty).toEqual([undefined]);
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1'));
    rib.addRoute(new BgpRoute('10.0.0.0/24', '192.0.2.2'));
    rib.addRoute(new BgpRoute('2001:db8::/32', '2001:db8::1'));
    // 10,000 addresses: three kernel calls, a third of them outside 10/8
    const addresses = Uint32Array.from(
      { length: 10_000 },
      (_, index) => (index % 3 === 0 ? 0x0b000000 : 0x0a000000) + index * 7,
    );
    const out: (BgpRoute | undefined)[] = [];
    rib.lookupBatch(addresses, out);
    expect(out).toHaveLength(10_000);
    out.forEach((route, index) => {
      expect(route).toBe(rib.lookup(addresses[index]!));
    });
    expect(out.filter((route) => route === undefined)).toHaveLength(3334);
    // an update waiting in the FIB queue is seen by the next batch
    rib.addRoute(new BgpRoute('11.0.0.0/8', '192.0.2.3'));
    rib.lookupBatch(addresses, out, 3);
    expect(out.slice(0, 3).map((route) => route?.nextHop)).toEqual(['192.0.2.3', '192.0.2.2', '192.0.2.2']);
    const out6: (BgpRoute | undefined)[] = [];
    rib.lookupBatchIpv6(Uint32Array.of(0x20010db8, 0, 0, 1, 0x20010db9, 0, 0, 1), out6);
    expect(out6.map((route) => route?.nextHop)).toEqual(['2001:db8::1', undefined]);
    expect(() => {
      rib.lookupBatch(addresses, out, 10_001);
    }).toThrow(expect.objectContaining({ code: 'ERR_RIB_LOOKUP_COUNT' }));
    expect(() => {
      rib.lookupBatchIpv6(new Uint32Array(7), out6, 2);
    }).toThrow(expect.objectContaining({ code: 'ERR_RIB_LOOKUP_COUNT' }));
  });

  it('finds routes added after a lookup, however far the FIBs grew and moved in between', () => {
    const rib = new Rib(65000);
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1'));
    rib.addRoute(new BgpRoute('2001:db8::/32', '2001:db8::1'));
    expect(rib.lookup(0x0a000001)?.nextHop).toBe('192.0.2.1');
    expect(rib.lookupIpv6(0x20010db8, 0, 0, 1)?.nextHop).toBe('2001:db8::1');
    // 20,000 /32s and /128s, looked up in rounds: each round's updates may move both FIBs to new memories
    for (let round = 0; round < 4; round++) {
      for (let index = round * 5000; index < (round + 1) * 5000; index++) {
        rib.addRoute(BgpRoute.of(Prefix.ipv4((0x0a000000 + index * 257) >>> 0, 32), set4), 0);
        rib.addRoute(BgpRoute.of(Prefix.ipv6(0x20010db8, index, 0, 1, 128), set6), 0);
      }
      for (let index = 0; index < (round + 1) * 5000; index += 997) {
        expect(rib.lookup((0x0a000000 + index * 257) >>> 0)?.nextHop).toBe('192.0.2.9');
        expect(rib.lookupIpv6(0x20010db8, index, 0, 1)?.nextHop).toBe('2001:db8::9');
      }
      expect(rib.lookup(0x0a000003)?.nextHop).toBe('192.0.2.1');
      expect(rib.lookupIpv6(0x20010db8, 0, 0, 2)?.nextHop).toBe('2001:db8::1');
    }
  });

  it('rejects bad lookups with typed errors that say what was wrong', () => {
    const rib = new Rib(65000);
    expect(() => rib.lookup('10.0.0.256')).toThrow(InvalidAddressError);
    expect(() => rib.lookup(-1)).toThrow(InvalidAddressError);
    expect(() => rib.lookup(1.5)).toThrow(InvalidAddressError);
    expect(() => new BgpRoute('10.0.0.0/33', '192.0.2.1')).toThrow(InvalidPrefixError);
  });
});

describe('Rib: peers, Adj-RIBs-In and withdrawals', () => {
  function ribWithPeers(): Rib {
    const rib = new Rib({ localAs: 65000, routerId: '10.0.0.1' });
    rib.addPeer({ id: 1, address: '192.0.2.1', asn: 65001, routerId: '1.1.1.1' });
    rib.addPeer({ id: 2, address: '192.0.2.2', asn: 65000, routerId: '2.2.2.2' });
    return rib;
  }

  it('derives eBGP or iBGP from the peer AS and refuses duplicate or unknown peers', () => {
    const rib = ribWithPeers();
    expect(rib.getPeer(1)?.type).toBe('ebgp');
    expect(rib.getPeer(2)?.type).toBe('ibgp');
    expect(rib.getPeer(0)?.type).toBe('local');
    expect(() => rib.addPeer({ id: 1, address: '192.0.2.9', asn: 1, routerId: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_RIB_DUPLICATE_PEER', peerId: 1 }),
    );
    expect(() => {
      rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1'), 9);
    }).toThrow(PeerError);
    expect(rib.addPeer({ address: '192.0.2.3', asn: 65003, routerId: 3 }).id).toBe(3);
  });

  it('keeps one path per peer and prefix: a new announcement implicitly replaces the old one (RFC 4271 3.1)', () => {
    const rib = ribWithPeers();
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1', [65001]).withMed(1), 1);
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1', [65001]).withMed(2), 1);
    expect(rib.pathCount).toBe(1);
    expect(rib.adjRibIn(1).get('10.0.0.0/8')?.med).toBe(2);
    expect(rib.getBest('10.0.0.0/8')?.med).toBe(2);
  });

  it('withdraws a path and falls back to the next best; a withdrawal of nothing returns false', () => {
    const rib = ribWithPeers();
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1', [65001]), 1);
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.2', [65010]), 2);
    expect(rib.getBest('10.0.0.0/8')?.source?.peerId).toBe(1);
    expect(rib.withdrawRoute('10.0.0.0/8', 1)).toBe(true);
    expect(rib.getBest('10.0.0.0/8')?.source?.peerId).toBe(2);
    expect(rib.withdrawRoute('10.0.0.0/8', 1)).toBe(false);
    expect(rib.withdrawRoute('10.9.0.0/16', 1)).toBe(false);
    expect(rib.withdrawRoute('10.0.0.0/8', 2)).toBe(true);
    expect(rib.getBest('10.0.0.0/8')).toBeUndefined();
    expect(rib.lookup('10.0.0.1')).toBeUndefined();
    expect(rib.size).toBe(0);
  });

  it('a peer going down removes all its paths, leaves the others, and reconverges', () => {
    const rib = ribWithPeers();
    for (let index = 0; index < 100; index++) {
      rib.addRoute(new BgpRoute(Prefix.ipv4((0x0a000000 + (index << 8)) >>> 0, 24), '192.0.2.1', [65001]), 1);
      if (index % 2 === 0)
        rib.addRoute(new BgpRoute(Prefix.ipv4((0x0a000000 + (index << 8)) >>> 0, 24), '192.0.2.2', [65010]), 2);
    }
    expect(rib.adjRibIn(1).size).toBe(100);
    expect(rib.peerDown(1)).toBe(100);
    expect(rib.adjRibIn(1).size).toBe(0);
    expect(rib.size).toBe(50);
    expect([...rib.locRib].every((route) => route.source?.peerId === 2)).toBe(true);
    expect(rib.removePeer(2)).toBe(50);
    expect(rib.size).toBe(0);
    expect(rib.pathCount).toBe(0);
    expect(rib.attributeSets.size).toBe(0);
    expect(() => rib.adjRibIn(2)).toThrow(PeerError);
  });

  it('keeps lookups right across bulk changes that rebuild the FIB in one pass (IPv4 and IPv6)', () => {
    const rib = ribWithPeers();
    const count = 6000;
    for (let index = 0; index < count; index++) {
      rib.addRoute(new BgpRoute(Prefix.ipv4((0x0b000000 + (index << 8)) >>> 0, 24), '192.0.2.1', [65001]), 1);
      rib.addRoute(new BgpRoute(Prefix.ipv6(0x20010db8, index << 16, 0, 0, 48), '2001:db8::1', [65001]), 1);
    }
    rib.addRoute(new BgpRoute('11.0.0.0/8', '192.0.2.2', [65010]), 2);
    for (let index = 0; index < count; index += 997) {
      expect(rib.lookup((0x0b000000 + (index << 8) + 9) >>> 0)?.prefix.length).toBe(24);
      expect(rib.lookupIpv6(0x20010db8, (index << 16) | 5, 0, 1)?.prefix.length).toBe(48);
    }
    expect(rib.peerDown(1)).toBe(2 * count);
    expect(rib.lookup(0x0b000109)?.prefix.toString()).toBe('11.0.0.0/8');
    expect(rib.lookupIpv6(0x20010db8, 0x50005, 0, 1)).toBeUndefined();
    rib.addRoute(new BgpRoute('11.0.1.0/24', '192.0.2.1', [65001]), 1);
    expect(rib.lookup('11.0.1.9')?.prefix.toString()).toBe('11.0.1.0/24');
  });

  it('hands out the new best route after best paths change between lookups, a few changes or very many', () => {
    const rib = ribWithPeers();
    const count = 20_000;
    const prefix4 = (index: number): Prefix => Prefix.ipv4((0x0c000000 + (index << 8)) >>> 0, 24);
    const prefix6 = (index: number): Prefix => Prefix.ipv6(0x20010db8, index << 16, 0, 0, 48);
    const announce = (peer: number, first: number, end: number, localPref?: number): void => {
      for (let index = first; index < end; index++) {
        const route4 = new BgpRoute(prefix4(index), peer === 1 ? '192.0.2.1' : '192.0.2.2', [65001]);
        const route6 = new BgpRoute(prefix6(index), peer === 1 ? '2001:db8::1' : '2001:db8::2', [65001]);
        rib.addRoute(localPref === undefined ? route4 : route4.withLocalPref(localPref), peer);
        rib.addRoute(localPref === undefined ? route6 : route6.withLocalPref(localPref), peer);
      }
    };
    /** Looks every prefix up (an address inside it) and checks the route object and the peer it came from. */
    const expectPeers = (peerOf: (index: number) => number): void => {
      for (let index = 0; index < count; index++) {
        const route4 = rib.lookup((0x0c000000 + (index << 8) + 77) >>> 0);
        expect(route4).toBe(rib.getBest(prefix4(index)));
        expect(route4?.source?.peerId).toBe(peerOf(index));
        const route6 = rib.lookupIpv6(0x20010db8, (index << 16) | 3, 0, 9);
        expect(route6).toBe(rib.getBest(prefix6(index)));
        expect(route6?.source?.peerId).toBe(peerOf(index));
      }
    };
    announce(1, 0, count);
    expectPeers(() => 1);
    // a few changes: the route objects kept beside the FIB entries are cleared prefix by prefix
    announce(2, 0, 1000, 200);
    expectPeers((index) => (index < 1000 ? 2 : 1));
    // more changes than are cleared one by one: all are dropped at once
    announce(2, 1000, count, 200);
    expectPeers(() => 2);
    expect(rib.peerDown(2)).toBe(2 * count);
    expectPeers(() => 1);
    announce(2, 500, 600, 200);
    expectPeers((index) => (index >= 500 && index < 600 ? 2 : 1));
  });

  it('lists every path of a prefix, best first, and iterates a peer Adj-RIB-In', () => {
    const rib = ribWithPeers();
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.2', [65010]), 2);
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1', [65001]), 1);
    rib.addRoute(new BgpRoute('10.1.0.0/16', '192.0.2.1', [65001]), 1);
    expect(rib.getPaths('10.0.0.0/8').map((route) => route.source?.peerId)).toEqual([1, 2]);
    expect([...rib.adjRibIn(1)].map((route) => String(route.prefix)).sort()).toEqual(['10.0.0.0/8', '10.1.0.0/16']);
  });

  it('shares one interned attribute set among paths with equal attributes, and frees it with the last path', () => {
    const rib = ribWithPeers();
    for (let index = 0; index < 10; index++) {
      rib.addRoute(new BgpRoute(Prefix.ipv4((0x0a000000 + (index << 8)) >>> 0, 24), '192.0.2.1', [65001, 65002]), 1);
    }
    expect(rib.attributeSets.size).toBe(1);
    const first = rib.getBest('10.0.0.0/24')!.attributes;
    expect(rib.getBest('10.0.9.0/24')!.attributes).toBe(first);
    rib.peerDown(1);
    expect(rib.attributeSets.size).toBe(0);
  });
});

describe('Rib: the change stream', () => {
  it('a bulk load from many peers emits one change per prefix, not one per path', () => {
    const rib = new Rib(65000);
    for (let peer = 1; peer <= 5; peer++)
      rib.addPeer({ id: peer, address: `192.0.2.${peer}`, asn: 65000 + peer, routerId: peer });
    const stream = rib.changes();
    for (let peer = 1; peer <= 5; peer++) {
      for (let index = 0; index < 200; index++) {
        rib.addRoute(
          new BgpRoute(Prefix.ipv4((0x0a000000 + (index << 8)) >>> 0, 24), `192.0.2.${peer}`, [65000 + peer]),
          peer,
        );
      }
    }
    const changes = stream.drain();
    expect(changes).toHaveLength(200);
    expect(changes.every((change) => change.kind === 'update' && change.route?.source?.peerId === 1)).toBe(true);
    expect(stream.drain()).toHaveLength(0);
  });

  it('reports withdrawals, skips prefixes that came and went between reads, and replays on request', () => {
    const rib = new Rib(65000);
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1'));
    const stream = rib.changes();
    const replay = rib.changes({ replay: true });
    expect(replay.drain().map((change) => `${change.kind} ${String(change.prefix)}`)).toEqual(['update 10.0.0.0/8']);
    rib.addRoute(new BgpRoute('10.1.0.0/16', '192.0.2.1'));
    rib.withdrawRoute('10.1.0.0/16');
    rib.withdrawRoute('10.0.0.0/8');
    expect(stream.drain().map((change) => `${change.kind} ${String(change.prefix)}`)).toEqual(['withdraw 10.0.0.0/8']);
    stream.close();
    rib.addRoute(new BgpRoute('10.2.0.0/16', '192.0.2.1'));
    expect(stream.drain()).toHaveLength(0);
    expect(stream.isClosed).toBe(true);
  });

  it('is an async iterator that wakes on changes and yields a whole synchronous batch', async () => {
    const rib = new Rib(65000);
    const stream = rib.changes();
    const seen: RibChange[] = [];
    const reader = (async () => {
      for await (const change of stream) {
        seen.push(change);
        if (seen.length === 3) break;
      }
    })();
    await Promise.resolve();
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1'));
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.2'));
    rib.addRoute(new BgpRoute('10.1.0.0/16', '192.0.2.1'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    rib.addRoute(new BgpRoute('10.2.0.0/16', '192.0.2.1'));
    await reader;
    expect(seen.map((change) => `${String(change.prefix)} ${change.route?.nextHop}`)).toEqual([
      '10.0.0.0/8 192.0.2.2',
      '10.1.0.0/16 192.0.2.1',
      '10.2.0.0/16 192.0.2.1',
    ]);
    expect(stream.isClosed).toBe(true);
  });
});

describe('Rib: Adj-RIBs-Out behind the export policy', () => {
  function ribForExport(exportPolicy?: ExportPolicy): Rib {
    const rib = new Rib({
      localAs: 65000,
      routerId: '10.0.0.1',
      ...(exportPolicy === undefined ? {} : { exportPolicy }),
    });
    rib.addPeer({ id: 1, address: '192.0.2.1', asn: 65001, routerId: 1, advertise: true });
    rib.addPeer({ id: 2, address: '192.0.2.2', asn: 65000, routerId: 2, advertise: true });
    rib.addPeer({ id: 3, address: '192.0.2.3', asn: 65000, routerId: 3, advertise: true });
    rib.addPeer({ id: 4, address: '192.0.2.4', asn: 65000, routerId: 4, advertise: true, routeReflectorClient: true });
    return rib;
  }

  it('RFC 4271 9.2: an iBGP-learned route goes to eBGP peers but not to other iBGP peers, nor back to its sender', () => {
    const rib = ribForExport();
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.2', [65010]), 2);
    expect(rib.adjRibOut(1).get('10.0.0.0/8')?.nextHop).toBe('192.0.2.2');
    expect(rib.adjRibOut(2).get('10.0.0.0/8')).toBeUndefined();
    expect(rib.adjRibOut(3).get('10.0.0.0/8')).toBeUndefined();
    // RFC 4456 8: a route from a non-client is reflected to clients.
    expect(rib.adjRibOut(4).get('10.0.0.0/8')).toBeDefined();
  });

  it('RFC 4456 8: a route from a route-reflector client is reflected to every other iBGP peer', () => {
    const rib = ribForExport();
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.4', [65010]), 4);
    expect([1, 2, 3, 4].map((peer) => rib.adjRibOut(peer).size)).toEqual([1, 1, 1, 0]);
  });

  it('applies the export policy: it may change attributes or refuse, and follows best-path changes', () => {
    const rib = ribForExport((route, peer) => (peer.id === 3 ? undefined : route.withCommunities([0xfde80001])));
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1', [65001]), 1);
    expect(rib.adjRibOut(2).get('10.0.0.0/8')?.communities).toEqual([0xfde80001]);
    expect(rib.adjRibOut(3).size).toBe(0);
    rib.withdrawRoute('10.0.0.0/8', 1);
    expect(rib.adjRibOut(2).size).toBe(0);
    expect(rib.attributeSets.size).toBe(0);
  });

  it('fills the Adj-RIB-Out of a peer added after the routes', () => {
    const rib = new Rib(65000);
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1'));
    rib.addRoute(new BgpRoute('10.1.0.0/16', '192.0.2.1'));
    rib.addPeer({ id: 7, address: '192.0.2.7', asn: 65007, routerId: 7, advertise: true });
    expect([...rib.adjRibOut(7)].map((route) => String(route.prefix))).toEqual(['10.0.0.0/8', '10.1.0.0/16']);
  });
});

describe('Rib: prefix order of table transfers', () => {
  it('keeps every path of every peer on the right prefix whether peers send in the same order, reversed or with gaps', () => {
    const rib = new Rib(65000);
    for (let id = 1; id <= 3; id++) rib.addPeer({ id, address: `192.0.2.${id}`, asn: 65000 + id, routerId: id });
    const prefixes = Array.from({ length: 300 }, (_, index) => `10.${index >> 8}.${index & 0xff}.0/24`);
    prefixes.forEach((prefix) => {
      rib.addRoute(new BgpRoute(prefix, '192.0.2.1', [65001]), 1);
    });
    prefixes.forEach((prefix, index) => {
      if (index % 3 !== 0) rib.addRoute(new BgpRoute(prefix, '192.0.2.2', [65002, 65010]), 2);
    });
    [...prefixes].reverse().forEach((prefix) => {
      rib.addRoute(new BgpRoute(prefix, '192.0.2.3', [65003]), 3);
    });
    prefixes.forEach((prefix, index) => {
      expect(String(rib.adjRibIn(1).get(prefix)?.prefix)).toBe(prefix);
      expect(rib.adjRibIn(2).get(prefix) === undefined).toBe(index % 3 === 0);
      expect(String(rib.adjRibIn(3).get(prefix)?.prefix)).toBe(prefix);
      expect(rib.getPaths(prefix)).toHaveLength(index % 3 === 0 ? 2 : 3);
    });
    expect(rib.size).toBe(300);
    expect(rib.pathCount).toBe(300 + 200 + 300);
  });
});

describe('Rib: received time', () => {
  it('calls a clock given in the options for every path', () => {
    let now = 1000;
    const rib = new Rib({ localAs: 65000, clock: () => now++ });
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1'));
    rib.addRoute(new BgpRoute('10.1.0.0/16', '192.0.2.1'));
    rib.addRoute(new BgpRoute('10.2.0.0/16', '192.0.2.1'));
    expect(
      ['10.0.0.0/8', '10.1.0.0/16', '10.2.0.0/16'].map((prefix) => rib.getBest(prefix)!.source!.receivedTime),
    ).toEqual([1000, 1001, 1002]);
  });

  it('stamps paths with Date.now by default, read afresh after the synchronous run that received them ends', async () => {
    const rib = new Rib(65000);
    const before = Date.now();
    for (let index = 0; index < 1000; index++)
      rib.addRoute(new BgpRoute(`10.${index >> 8}.${index & 0xff}.0/24`, '192.0.2.1'));
    const after = Date.now();
    for (const route of rib.locRib) {
      expect(route.source!.receivedTime).toBeGreaterThanOrEqual(before);
      expect(route.source!.receivedTime).toBeLessThanOrEqual(after);
    }
    // A burst shares readings of the clock: the next path, in a later run, must not reuse a reading that is stale.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = Date.now();
    rib.addRoute(new BgpRoute('192.168.0.0/16', '192.0.2.1'));
    expect(rib.getBest('192.168.0.0/16')!.source!.receivedTime).toBeGreaterThanOrEqual(later);
  });
});

describe('Rib: attribute sets', () => {
  it('routes read back carry their source: peer id, type, address, router id, AS and received time', () => {
    let now = 1000;
    const rib = new Rib({ localAs: 65000, clock: () => now });
    rib.addPeer({ id: 1, address: '2001:db8::1', asn: 65001, routerId: '1.1.1.1' });
    now = 2000;
    rib.addRoute(new BgpRoute('10.0.0.0/8', '192.0.2.1', [65001], { communities: [1, 2] }), 1);
    const source = rib.getBest('10.0.0.0/8')!.source!;
    expect(source).toMatchObject({
      peerId: 1,
      peerType: 'ebgp',
      peerRouterId: 0x01010101,
      peerAs: 65001,
      receivedTime: 2000,
    });
    expect(String(source.peerAddress)).toBe('2001:db8::1');
    expect(
      rib
        .getBest('10.0.0.0/8')!
        .attributes.equals(AttributeSet.create({ nextHop: '192.0.2.1', asPath: [65001], communities: [1, 2] })),
    ).toBe(true);
  });
});
