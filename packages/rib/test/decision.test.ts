import { BgpRoute, type DecisionOptions, type IpAddress, type PeerOptions, Rib, type RibOptions } from '@patronus/rib';
import { describe, expect, it } from 'vitest';

const localAs = 65000;

/** Peers 1-4: two eBGP peers in different ASes, two iBGP peers; addresses and router ids ascending with the id. */
const defaultPeers: PeerOptions[] = [
  { id: 1, address: '192.0.2.1', asn: 65001, routerId: '1.1.1.1' },
  { id: 2, address: '192.0.2.2', asn: 65002, routerId: '2.2.2.2' },
  { id: 3, address: '192.0.2.3', asn: localAs, routerId: '3.3.3.3' },
  { id: 4, address: '192.0.2.4', asn: localAs, routerId: '4.4.4.4' },
];

function makeRib(decision: DecisionOptions = {}, extra: Partial<RibOptions> = {}, peers = defaultPeers): Rib {
  const rib = new Rib({ localAs, routerId: '10.0.0.1', decision, ...extra });
  for (const peer of peers) rib.addPeer(peer);
  return rib;
}

const prefix = '203.0.113.0/24';

/** A route to the test prefix via `nextHop` with AS_PATH `asPath`. */
function route(asPath: number[] = [65001], nextHop = '192.0.2.1'): BgpRoute {
  return new BgpRoute(prefix, nextHop, asPath);
}

function bestPeer(rib: Rib): number | undefined {
  return rib.getBest(prefix)?.source?.peerId;
}

/** Adds the paths in every order and checks the same peer wins each time. */
function expectWinnerInAnyOrder(
  makeRibFor: () => Rib,
  paths: readonly (readonly [number, BgpRoute])[],
  winner: number | undefined,
): void {
  const orders = permutations(paths.map((_, index) => index));
  for (const order of orders) {
    const rib = makeRibFor();
    for (const index of order) rib.addRoute(paths[index]![1], paths[index]![0]);
    expect(bestPeer(rib), `order ${order.join(',')}`).toBe(winner);
  }
}

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('RFC 4271 9.1.2.2 decision steps, one by one', () => {
  it('9.1.1: the route with the highest degree of preference (LOCAL_PREF) is selected, before AS_PATH length', () => {
    expectWinnerInAnyOrder(
      makeRib,
      [
        [1, route([65001]).withLocalPref(100)],
        [2, route([65002, 65010, 65020]).withLocalPref(200)],
      ],
      2,
    );
  });

  it('a path without LOCAL_PREF is compared with the default local preference (100, configurable)', () => {
    const paths = [
      [1, route([65001])],
      [2, route([65002, 65010]).withLocalPref(90)],
    ] as const;
    expectWinnerInAnyOrder(makeRib, paths, 1);
    expectWinnerInAnyOrder(() => makeRib({ defaultLocalPreference: 80 }), paths, 2);
  });

  it('locally originated routes are preferred right after LOCAL_PREF (common practice), unless turned off', () => {
    const paths = [
      [0, route([65001, 65002, 65003])],
      [1, route([65001])],
    ] as const;
    expectWinnerInAnyOrder(makeRib, paths, 0);
    expectWinnerInAnyOrder(() => makeRib({ preferLocallyOriginated: false }), paths, 1);
  });

  it('(a): remove from consideration routes with a longer AS_PATH; an AS_SET counts as one', () => {
    expectWinnerInAnyOrder(
      makeRib,
      [
        [1, route([65001, 65010, 65011])],
        [
          2,
          route([]).withAsPath([
            { type: 'AS_SEQUENCE', asns: [65002] },
            { type: 'AS_SET', asns: [65020, 65021, 65022, 65023] },
          ]),
        ],
      ],
      2,
    );
  });

  it('(a) with RFC 5065 5.3: confederation segments do not count in the AS_PATH length', () => {
    expectWinnerInAnyOrder(
      makeRib,
      [
        [1, route([65001, 65010])],
        [
          3,
          route([]).withAsPath([
            { type: 'AS_CONFED_SEQUENCE', asns: [65100, 65101, 65102] },
            { type: 'AS_SEQUENCE', asns: [65002] },
          ]),
        ],
      ],
      3,
    );
  });

  it('(a) is skipped with ignoreAsPathLength (bgp bestpath as-path ignore)', () => {
    const paths = [
      [1, route([65001, 65010, 65011])],
      [2, route([65002])],
    ] as const;
    expectWinnerInAnyOrder(makeRib, paths, 2);
    expectWinnerInAnyOrder(() => makeRib({ ignoreAsPathLength: true }), paths, 1);
  });

  it('(b): remove from consideration all routes that do not have the lowest ORIGIN (IGP < EGP < INCOMPLETE)', () => {
    expectWinnerInAnyOrder(
      makeRib,
      [
        [1, route([65001]).withOrigin(2)],
        [2, route([65002]).withOrigin(1)],
      ],
      2,
    );
    expectWinnerInAnyOrder(
      makeRib,
      [
        [1, route([65001]).withOrigin(1)],
        [2, route([65002]).withOrigin(0)],
      ],
      2,
    );
  });

  it('(c): MED is compared only among routes learned from the same neighboring AS', () => {
    // Different neighbouring ASes: MED is not compared, the lower router id (peer 1) wins despite its higher MED.
    expectWinnerInAnyOrder(
      makeRib,
      [
        [1, route([65001]).withMed(50)],
        [2, route([65002]).withMed(10)],
      ],
      1,
    );
    // Same neighbouring AS (iBGP paths from 65010): the lower MED wins over the lower router id.
    expectWinnerInAnyOrder(
      makeRib,
      [
        [3, route([65010]).withMed(50)],
        [4, route([65010]).withMed(10)],
      ],
      4,
    );
  });

  it('(c): a route without MED counts as MED 0 (the lowest), or as the worst with missingMedAsWorst', () => {
    const paths = [
      [3, route([65010])],
      [4, route([65010]).withMed(5)],
    ] as const;
    expectWinnerInAnyOrder(makeRib, paths, 3);
    expectWinnerInAnyOrder(() => makeRib({ missingMedAsWorst: true }), paths, 4);
  });

  it('(c) with alwaysCompareMed: MED is compared between routes from different neighbouring ASes', () => {
    expectWinnerInAnyOrder(
      () => makeRib({ alwaysCompareMed: true }),
      [
        [1, route([65001]).withMed(50)],
        [2, route([65002]).withMed(10)],
      ],
      2,
    );
  });

  it('(c) is order-independent where pairwise MED comparison is not transitive, with and without deterministic-med', () => {
    // Pairwise in arrival order, 1 vs 2 (different AS: router id) keeps 1, then 1 vs 3 (same AS: MED) keeps 3; another
    // order ends with 1. RFC 4271's elimination removes 1 (3 has a lower MED from the same AS), then 2 beats 3 on
    // router id. Every order, and deterministic-med (group by AS first), must give 2.
    const peers: PeerOptions[] = [
      { id: 1, address: '192.0.2.1', asn: 65001, routerId: '1.1.1.1' },
      { id: 2, address: '192.0.2.2', asn: 65002, routerId: '2.2.2.2' },
      { id: 5, address: '192.0.2.5', asn: 65001, routerId: '5.5.5.5' },
    ];
    const paths = [
      [1, route([65001]).withMed(30)],
      [2, route([65002]).withMed(20)],
      [5, route([65001]).withMed(10)],
    ] as const;
    expectWinnerInAnyOrder(() => makeRib({}, {}, peers), paths, 2);
    expectWinnerInAnyOrder(() => makeRib({ deterministicMed: true }, {}, peers), paths, 2);
  });

  it('(d): routes learned from external peers are preferred over routes learned from internal peers', () => {
    expectWinnerInAnyOrder(
      makeRib,
      [
        [2, route([65002])],
        [3, route([65002])],
      ],
      2,
    );
  });

  it('(e): the route with the lowest interior cost to its NEXT_HOP wins, from the pluggable resolver', () => {
    const costs = new Map([
      ['192.0.2.3', 20],
      ['192.0.2.4', 10],
    ]);
    const resolver = (nextHop: IpAddress): number | undefined => costs.get(String(nextHop));
    const paths = [
      [3, route([65010], '192.0.2.3')],
      [4, route([65010], '192.0.2.4')],
    ] as const;
    expectWinnerInAnyOrder(() => makeRib({}, { nextHopResolver: resolver }), paths, 4);
    expectWinnerInAnyOrder(() => makeRib({ ignoreIgpCost: true }, { nextHopResolver: resolver }), paths, 3);
  });

  it('9.1.2.1: a route whose NEXT_HOP is unresolvable is not eligible and never wins, and becomes eligible when it resolves', () => {
    let reachable = false;
    const rib = makeRib(
      {},
      { nextHopResolver: (nextHop) => (String(nextHop) === '192.0.2.9' && !reachable ? undefined : 0) },
    );
    rib.addRoute(route([65001], '192.0.2.9').withLocalPref(500), 1);
    rib.addRoute(route([65002]), 2);
    expect(bestPeer(rib)).toBe(2);
    reachable = true;
    rib.reresolveNextHops();
    expect(bestPeer(rib)).toBe(1);
  });

  it('9.1.2: a route whose AS_PATH contains our own AS (a loop) is not eligible', () => {
    expectWinnerInAnyOrder(
      makeRib,
      [
        [1, route([65001, localAs]).withLocalPref(500)],
        [2, route([65002, 65010, 65020])],
      ],
      2,
    );
    const rib = makeRib();
    rib.addRoute(route([65001, localAs]), 1);
    expect(rib.getBest(prefix)).toBeUndefined();
    expect(rib.adjRibIn(1).size).toBe(1);
  });

  it('(f): the route from the peer with the lowest BGP Identifier wins, unless compareRouterId is off', () => {
    const peers: PeerOptions[] = [
      { id: 1, address: '192.0.2.9', asn: 65001, routerId: '9.9.9.9' },
      { id: 2, address: '192.0.2.8', asn: 65002, routerId: '1.1.1.1' },
    ];
    const paths = [
      [1, route([65001])],
      [2, route([65002])],
    ] as const;
    expectWinnerInAnyOrder(() => makeRib({}, {}, peers), paths, 2);
    // Without router ids, (g) the lower peer address decides: 192.0.2.8 is peer 2 as well; swap to see it matter.
    const swapped: PeerOptions[] = [
      { id: 1, address: '192.0.2.7', asn: 65001, routerId: '9.9.9.9' },
      { id: 2, address: '192.0.2.8', asn: 65002, routerId: '1.1.1.1' },
    ];
    expectWinnerInAnyOrder(() => makeRib({ compareRouterId: false }, {}, swapped), paths, 1);
  });

  it('RFC 4456 9: the ORIGINATOR_ID is treated as the BGP Identifier of the peer that advertised the route', () => {
    expectWinnerInAnyOrder(
      makeRib,
      [
        [3, route([65010])],
        [4, route([65010]).withOriginatorId(0x01000000)],
      ],
      4,
    );
  });

  it('RFC 4456 9: a BGP speaker should prefer the route with the shorter CLUSTER_LIST, unless turned off', () => {
    const paths = [
      [3, route([65010]).withOriginatorId(0x05050505).withClusterList([1, 2])],
      [4, route([65010]).withOriginatorId(0x05050505).withClusterList([1])],
    ] as const;
    expectWinnerInAnyOrder(makeRib, paths, 4);
    expectWinnerInAnyOrder(() => makeRib({ compareClusterListLength: false }), paths, 3);
  });

  it('RFC 4456 8: a route carrying our ORIGINATOR_ID, or our cluster id in its CLUSTER_LIST, is ignored', () => {
    const rib = makeRib();
    rib.addRoute(route([65010]).withOriginatorId(0x0a000001), 3);
    rib.addRoute(route([65010]).withClusterList([7, 0x0a000001]), 4);
    expect(rib.getBest(prefix)).toBeUndefined();
  });

  it('(g): the route from the peer with the lowest peer address wins when everything else ties', () => {
    const peers: PeerOptions[] = [
      { id: 1, address: '192.0.2.20', asn: 65001, routerId: '1.1.1.1' },
      { id: 2, address: '192.0.2.10', asn: 65002, routerId: '1.1.1.1' },
    ];
    expectWinnerInAnyOrder(
      () => makeRib({}, {}, peers),
      [
        [1, route([65001])],
        [2, route([65002])],
      ],
      2,
    );
  });
});

describe('multipath (ECMP)', () => {
  const ecmpPeers: PeerOptions[] = [
    { id: 1, address: '192.0.2.1', asn: 65001, routerId: '1.1.1.1' },
    { id: 2, address: '192.0.2.2', asn: 65001, routerId: '2.2.2.2' },
    { id: 3, address: '192.0.2.3', asn: 65001, routerId: '3.3.3.3' },
  ];

  it('maximumPaths: up to N paths equal through the IGP-cost step are selected, best first, in tie-break order', () => {
    const rib = makeRib({ maximumPaths: 2 }, {}, ecmpPeers);
    rib.addRoute(route([65001, 65010], '192.0.2.3'), 3);
    rib.addRoute(route([65001, 65010], '192.0.2.1'), 1);
    rib.addRoute(route([65001, 65010], '192.0.2.2'), 2);
    expect(rib.getMultipath(prefix).map((member) => member.source?.peerId)).toEqual([1, 2]);
    expect(rib.lookupMultipath('203.0.113.9').map((member) => member.nextHop)).toEqual(['192.0.2.1', '192.0.2.2']);
    rib.withdrawRoute(prefix, 1);
    expect(rib.getMultipath(prefix).map((member) => member.source?.peerId)).toEqual([2, 3]);
  });

  it('a path worse before the IGP-cost step (here a higher MED from the same AS) is not a multipath member', () => {
    const rib = makeRib({ maximumPaths: 4 }, {}, ecmpPeers);
    rib.addRoute(route([65001, 65010]).withMed(5), 1);
    rib.addRoute(route([65001, 65010]).withMed(9), 2);
    rib.addRoute(route([65001, 65010]).withMed(5), 3);
    expect(rib.getMultipath(prefix).map((member) => member.source?.peerId)).toEqual([1, 3]);
  });

  it('without multipathRelax, members need the best path AS_PATH exactly; with it, the same length suffices', () => {
    const paths = [
      [1, route([65001, 65010])],
      [2, route([65001, 65020])],
    ] as const;
    const strict = makeRib({ maximumPaths: 2 }, {}, ecmpPeers);
    const relaxed = makeRib({ maximumPaths: 2, multipathRelax: true }, {}, ecmpPeers);
    for (const [peer, path] of paths) {
      strict.addRoute(path, peer);
      relaxed.addRoute(path, peer);
    }
    expect(strict.getMultipath(prefix)).toHaveLength(1);
    expect(relaxed.getMultipath(prefix)).toHaveLength(2);
  });

  it('rejects a maximumPaths outside 1-256 with a typed error', () => {
    expect(() => makeRib({ maximumPaths: 0 })).toThrow(expect.objectContaining({ code: 'ERR_RIB_INVALID_ATTRIBUTE' }));
  });
});
