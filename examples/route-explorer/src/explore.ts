/**
 * The route explorer: one real routing table taken through three Patronus packages.
 *
 * 1. `@patronus/bgp/mrt` streams an MRT RIB dump (a RIPE RIS bview by default) into per-prefix entries.
 * 2. `@patronus/rib` takes every peer's paths, runs the RFC 4271 decision process, answers longest-prefix-match
 *    lookups, and reconverges when the largest peer goes down (read through its change stream).
 * 3. `@patronus/bgp` packs the Loc-RIB into UPDATE messages as a speaker would advertise it, and writes it back as a
 *    TABLE_DUMP_V2 snapshot that the MRT reader reads again.
 * 4. `@patronus/wanopt` carries two successive listings of the Loc-RIB (before and after the peer went down) over a
 *    lossy WAN link: deduplication sends the second mostly as references to chunks the far side already holds, and
 *    Reed-Solomon FEC rebuilds packets the link loses.
 *
 * Each step returns plain figures, so the example's test can check them and `main.ts` can print them.
 */
import {
  type AsPathSegment as WireAsPathSegment,
  type PathAttributes,
  type Prefix as WirePrefix,
  createPathAttributes,
  defaultSessionContext,
  effectiveAsPath,
  formatAsPath,
  ipv4Prefix,
  ipv6Prefix,
  nextHopAddresses,
  packUpdates,
} from '@patronus/bgp';
import {
  type MrtPeer,
  type MrtSnapshotRoute,
  decodeMrt,
  encodeRibSnapshot,
  prefixEntries,
  readMrt,
} from '@patronus/bgp/mrt';
import {
  type AsPathSegment,
  type AsPathSegmentType,
  AttributeSet,
  BgpRoute,
  IpAddress,
  Origin,
  Prefix,
  Rib,
  type RibChange,
} from '@patronus/rib';
import {
  AdaptiveFec,
  DedupDecoder,
  DedupEncoder,
  FecDecoder,
  FecEncoder,
  compress,
  decompress,
} from '@patronus/wanopt';

/** What loading the dump found. */
export interface LoadReport {
  readonly records: number;
  /** RIB entries, announcements and withdrawals read. */
  readonly entries: number;
  /** Withdrawals applied (including RFC 7606 treat-as-withdraw). */
  readonly withdrawals: number;
  /** Announcements not loaded: no attributes, or no usable next hop for the family. */
  readonly skippedEntries: number;
  readonly peers: number;
  readonly paths: number;
  readonly prefixes: number;
  readonly distinctAttributeSets: number;
  readonly warnings: ReadonlyMap<string, number>;
  readonly seconds: number;
  readonly heapBytes: number;
  readonly ribBytes: number;
}

/** One answered lookup. */
export interface LookupReport {
  readonly address: string;
  readonly prefix: string | undefined;
  readonly nextHop: string | undefined;
  readonly asPath: string | undefined;
  readonly peer: string | undefined;
  readonly equalCostPaths: number;
}

/** What happened when a peer went down. */
export interface PeerDownReport {
  readonly peer: string;
  readonly pathsRemoved: number;
  readonly bestPathChanges: number;
  readonly prefixesWithdrawn: number;
  readonly milliseconds: number;
}

/** The Loc-RIB as a speaker would advertise it, and as an MRT snapshot. */
export interface ExportReport {
  readonly bestRoutes: number;
  readonly attributeGroups: number;
  readonly updateMessages: number;
  readonly updateBytes: number;
  readonly snapshotBytes: number;
  /** RIB entries read back from the snapshot by the MRT reader. */
  readonly snapshotEntriesReadBack: number;
}

/** Two successive payloads over a lossy WAN link. */
export interface WanReport {
  readonly firstBytes: number;
  readonly secondBytes: number;
  readonly compressedFirstBytes: number;
  readonly dedupWireBytesFirst: number;
  readonly dedupWireBytesSecond: number;
  readonly packetsSent: number;
  readonly packetsLost: number;
  readonly packetsRecovered: number;
  /** Packets of blocks FEC could not rebuild, sent again. */
  readonly packetsRetransmitted: number;
  readonly unrecoverableBlocks: number;
  readonly redundancyAfter: string;
  /** True when the far side rebuilt both payloads byte for byte. */
  readonly isByteIdentical: boolean;
}

const segmentTypes: Record<number, AsPathSegmentType> = {
  1: 'AS_SET',
  2: 'AS_SEQUENCE',
  3: 'AS_CONFED_SEQUENCE',
  4: 'AS_CONFED_SET',
};
const segmentCodes: Record<AsPathSegmentType, number> = {
  AS_SET: 1,
  AS_SEQUENCE: 2,
  AS_CONFED_SEQUENCE: 3,
  AS_CONFED_SET: 4,
};

function toRibPrefix(prefix: WirePrefix): Prefix {
  return prefix.afi === 1
    ? Prefix.ipv4(prefix.address0, prefix.length)
    : Prefix.ipv6(prefix.address0, prefix.address1, prefix.address2, prefix.address3, prefix.length);
}

function toWirePrefix(prefix: Prefix): WirePrefix {
  return prefix.family === 4
    ? ipv4Prefix(prefix.w0, prefix.length)
    : ipv6Prefix(prefix.w0, prefix.w1, prefix.w2, prefix.w3, prefix.length);
}

function nextHopOf(attributes: PathAttributes, afi: number): IpAddress | undefined {
  if (afi === 1 && attributes.nextHop !== undefined) return IpAddress.ipv4(attributes.nextHop);
  const mpNextHop = attributes.mpReach?.nextHop;
  if (mpNextHop === undefined) return undefined;
  const { global } = nextHopAddresses(mpNextHop);
  const view = new DataView(global.buffer, global.byteOffset, global.byteLength);
  if (global.length === 4) return IpAddress.ipv4(view.getUint32(0));
  if (global.length === 16) {
    return IpAddress.ipv6(view.getUint32(0), view.getUint32(4), view.getUint32(8), view.getUint32(12));
  }
  return undefined;
}

/**
 * Converts decoded wire attributes into an interned RIB attribute set. The MRT reader shares one decoded object
 * between all entries with the same attribute bytes, so a cache keyed by that object converts each distinct set once.
 */
class AttributeConverter {
  private readonly cache = new WeakMap<PathAttributes, AttributeSet | null>();
  private readonly cache6 = new WeakMap<PathAttributes, AttributeSet | null>();

  convert(attributes: PathAttributes, afi: number): AttributeSet | undefined {
    const cache = afi === 1 ? this.cache : this.cache6;
    const cached = cache.get(attributes);
    if (cached !== undefined) return cached ?? undefined;
    const nextHop = nextHopOf(attributes, afi);
    // RIB entries are stored by collectors with 4-octet AS numbers, or with AS4_PATH beside a 2-octet AS_PATH.
    const asPath = effectiveAsPath(attributes, true) ?? [];
    const set =
      nextHop === undefined
        ? undefined
        : AttributeSet.create({
            nextHop,
            asPath: asPath.map((segment: WireAsPathSegment): AsPathSegment => ({
              type: segmentTypes[segment.type] ?? 'AS_SEQUENCE',
              asns: segment.asns,
            })),
            origin: (attributes.origin ?? Origin.Incomplete) as Origin,
            med: attributes.multiExitDisc,
            localPref: attributes.localPref,
            communities: attributes.communities ?? [],
            largeCommunities: attributes.largeCommunities ?? [],
            atomicAggregate: attributes.atomicAggregate,
            aggregator:
              attributes.aggregator === undefined
                ? undefined
                : { asn: attributes.aggregator.asn, address: IpAddress.ipv4(attributes.aggregator.address) },
            originatorId: attributes.originatorId,
            clusterList: attributes.clusterList ?? [],
          });
    cache.set(attributes, set ?? null);
    return set;
  }
}

/** The state the steps share: the RIB and the peers as the dump named them. */
export interface Exploration {
  readonly rib: Rib;
  /** MRT peers by RIB peer id. */
  readonly peers: Map<number, MrtPeer>;
}

/** Streams an MRT RIB dump into a new RIB. */
export async function loadDump(
  file: string,
  localAs = 65000,
): Promise<{ exploration: Exploration; report: LoadReport }> {
  const rib = new Rib({ localAs, routerId: '192.0.2.255' });
  const peers = new Map<number, MrtPeer>();
  const peerIds = new Map<string, number>();
  const converter = new AttributeConverter();
  const start = performance.now();
  const reader = readMrt(file);
  let entries = 0;
  let skipped = 0;
  let withdrawals = 0;
  for await (const record of reader) {
    for (const entry of prefixEntries(record)) {
      entries++;
      const key = `${entry.peer.address} ${entry.peer.asn}`;
      let peerId = peerIds.get(key);
      if (peerId === undefined) {
        // Old dumps carry no BGP Identifier; the peer address stands in for it, as collectors do.
        const routerId = entry.peer.bgpId === '0.0.0.0' && entry.peer.afi === 1 ? entry.peer.address : entry.peer.bgpId;
        peerId = rib.addPeer({ address: entry.peer.address, asn: entry.peer.asn, routerId }).id;
        peerIds.set(key, peerId);
        peers.set(peerId, entry.peer);
      }
      const prefix = toRibPrefix(entry.prefix);
      const attributes = entry.attributes;
      // RFC 7606 treat-as-withdraw: the announcement removes the peer's previous path to the prefix.
      if (entry.kind === 'withdraw' || attributes?.treatAsWithdraw === true) {
        rib.withdrawRoute(prefix, peerId);
        withdrawals++;
        continue;
      }
      const set = attributes === undefined ? undefined : converter.convert(attributes, entry.prefix.afi);
      if (set === undefined) {
        skipped++;
        continue;
      }
      rib.addRoute(BgpRoute.of(prefix, set), peerId);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    exploration: { rib, peers },
    report: {
      records: reader.recordCount,
      entries,
      withdrawals,
      skippedEntries: skipped,
      peers: peers.size,
      paths: rib.pathCount,
      prefixes: rib.locRib.size,
      distinctAttributeSets: rib.attributeSets.size,
      warnings: reader.warningCounts,
      seconds,
      heapBytes: process.memoryUsage().heapUsed,
      ribBytes: rib.memoryBytes(),
    },
  };
}

function describePeer(exploration: Exploration, peerId: number | undefined): string | undefined {
  if (peerId === undefined) return undefined;
  const peer = exploration.peers.get(peerId);
  return peer === undefined ? `peer ${peerId}` : `${peer.address} (AS${peer.asn})`;
}

function formatSegments(segments: readonly AsPathSegment[]): string {
  return formatAsPath(segments.map((segment) => ({ type: segmentCodes[segment.type], asns: segment.asns })));
}

/** Longest-prefix-match lookups through the RIB's FIB. */
export function lookUp(exploration: Exploration, addresses: readonly string[]): LookupReport[] {
  return addresses.map((address) => {
    const route = exploration.rib.lookup(address);
    return {
      address,
      prefix: route?.prefix.toString(),
      nextHop: route?.nextHop,
      asPath: route === undefined ? undefined : formatSegments(route.attributes.asPath),
      peer: describePeer(exploration, route?.source?.peerId),
      equalCostPaths: exploration.rib.lookupMultipath(address).length,
    };
  });
}

/** The peer with the most paths. */
export function largestPeer(exploration: Exploration): number {
  let best = -1;
  let bestCount = -1;
  for (const peerId of exploration.peers.keys()) {
    const count = exploration.rib.adjRibIn(peerId).size;
    if (count > bestCount) {
      best = peerId;
      bestCount = count;
    }
  }
  return best;
}

/** Takes a peer's session down and counts what the change stream reports. */
export function takePeerDown(exploration: Exploration, peerId: number): PeerDownReport {
  const { rib } = exploration;
  const stream = rib.changes();
  const start = performance.now();
  const pathsRemoved = rib.peerDown(peerId);
  let updates = 0;
  let withdrawals = 0;
  for (const change of stream.drain() as Iterable<RibChange>) {
    if (change.kind === 'withdraw') withdrawals++;
    else updates++;
  }
  const milliseconds = performance.now() - start;
  stream.close();
  return {
    peer: describePeer(exploration, peerId) ?? String(peerId),
    pathsRemoved,
    bestPathChanges: updates,
    prefixesWithdrawn: withdrawals,
    milliseconds,
  };
}

function toWireAttributes(set: AttributeSet): PathAttributes {
  const nextHop = set.nextHop;
  return createPathAttributes({
    origin: set.origin,
    asPath: set.asPath.map((segment) => ({ type: segmentCodes[segment.type], asns: segment.asns })),
    nextHop: nextHop.family === 4 ? nextHop.w0 : undefined,
    multiExitDisc: set.med,
    localPref: set.localPref,
    atomicAggregate: set.atomicAggregate,
    communities: set.communities.length > 0 ? set.communities : undefined,
  });
}

/**
 * Packs the IPv4 Loc-RIB into UPDATEs, writes the whole Loc-RIB as a TABLE_DUMP_V2 snapshot, and lists it as text
 * (one `prefix|next hop|AS path|peer AS` line per best route, in prefix order: the report a site ships to its NOC).
 */
export function exportLocRib(
  exploration: Exploration,
  timestamp: number,
): { report: ExportReport; snapshot: Uint8Array; listing: Uint8Array } {
  const { rib } = exploration;
  // Routes sharing one interned attribute set go out together, as a speaker packs them.
  const groups = new Map<AttributeSet, WirePrefix[]>();
  const routes: MrtSnapshotRoute[] = [];
  const peerIndex = new Map<number, number>();
  const peers: MrtPeer[] = [];
  const wireAttributes = new Map<AttributeSet, PathAttributes>();
  let bestRoutes = 0;
  const lines: string[] = [];
  for (const route of rib.locRib) {
    bestRoutes++;
    lines.push(
      `${route.prefix.toString()}|${route.nextHop}|${formatSegments(route.attributes.asPath)}|${route.source?.peerAs ?? rib.localAs}\n`,
    );
    let attributes = wireAttributes.get(route.attributes);
    if (attributes === undefined) {
      attributes = toWireAttributes(route.attributes);
      wireAttributes.set(route.attributes, attributes);
    }
    const prefix = toWirePrefix(route.prefix);
    if (prefix.afi === 1) {
      let group = groups.get(route.attributes);
      if (group === undefined) groups.set(route.attributes, (group = []));
      group.push(prefix);
    }
    const peerId = route.source?.peerId ?? 0;
    let index = peerIndex.get(peerId);
    if (index === undefined) {
      index = peers.length;
      peerIndex.set(peerId, index);
      peers.push(exploration.peers.get(peerId) ?? { afi: 1, address: '0.0.0.0', asn: rib.localAs, bgpId: '0.0.0.0' });
    }
    const mpReach =
      prefix.afi === 2
        ? { afi: 2, safi: 1, nextHop: ipv6Bytes(route.nextHopAddress), nlri: [], nlriData: undefined }
        : undefined;
    routes.push({
      prefix,
      peerIndex: index,
      originatedTime: timestamp,
      attributes:
        mpReach === undefined ? attributes : createPathAttributes({ ...attributes, nextHop: undefined, mpReach }),
    });
  }
  let updateMessages = 0;
  let updateBytes = 0;
  const context = { ...defaultSessionContext, fourOctetAsn: true };
  for (const [set, prefixes] of groups) {
    for (const message of packUpdates(prefixes, wireAttributes.get(set)!, context)) {
      updateMessages++;
      updateBytes += message.length;
    }
  }
  const records = encodeRibSnapshot({ timestamp, collectorBgpId: '192.0.2.255', peers, routes });
  const snapshot = concat(records);
  const readBack = decodeMrt(snapshot);
  let snapshotEntriesReadBack = 0;
  for (const record of readBack.records) if (record.kind === 'rib') snapshotEntriesReadBack += record.entries.length;
  return {
    report: {
      bestRoutes,
      attributeGroups: groups.size,
      updateMessages,
      updateBytes,
      snapshotBytes: snapshot.length,
      snapshotEntriesReadBack,
    },
    snapshot,
    listing: new TextEncoder().encode(lines.join('')),
  };
}

function ipv6Bytes(address: IpAddress): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, address.w0);
  view.setUint32(4, address.w1);
  view.setUint32(8, address.w2);
  view.setUint32(12, address.w3);
  return bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A seeded xorshift generator, so the simulated link loses the same packets on every run. */
function lossModel(seed: number, lossRate: number): () => boolean {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000 < lossRate;
  };
}

/**
 * Sends two successive payloads across a WAN link: the dedup encoder turns each into frames, the frames are cut into packets of
 * at most `mtu` bytes and protected by FEC, the link drops packets at random, and the far side recovers what FEC can.
 * Packets of blocks that lost more than FEC can rebuild are sent again (the ARQ fallback every FEC link keeps), then
 * the far side reassembles the frames and rebuilds both payloads.
 */
export function carryOverWan(first: Uint8Array, second: Uint8Array, lossRate = 0.03, mtu = 1200): WanReport {
  const encoder = new DedupEncoder({ chunker: 'fastcdc', compression: 'deflate' });
  const decoder = new DedupDecoder();
  const adaptive = new AdaptiveFec();
  const fecEncoder = new FecEncoder(adaptive.current);
  const fecDecoder = new FecDecoder({ maxOpenBlocks: 64 });
  const isLost = lossModel(0x5eed, lossRate);
  let packetsSent = 0;
  let packetsLost = 0;
  let unrecoverableBlocks = 0;
  let retransmitted = 0;

  // Every data packet by (block id, index), as sent and as delivered; sorting the keys restores the sending order.
  const sent = new Map<number, Uint8Array>();
  const delivered = new Map<number, Uint8Array>();
  const wireBytes = [0, 0];
  const keyOf = (blockId: number, index: number): number => blockId * 256 + index;

  const accept = (result: ReturnType<FecDecoder['receive']>): void => {
    for (const packet of result.packets) delivered.set(keyOf(packet.blockId, packet.index), packet.data);
    unrecoverableBlocks += result.unrecoverable.length;
    for (const block of result.closed) {
      if (adaptive.observe(block.lostShards, block.expectedShards)) fecEncoder.setRedundancy(adaptive.current);
    }
  };
  const transmit = (packets: readonly Uint8Array[]): void => {
    for (const packet of packets) {
      packetsSent++;
      if (isLost()) packetsLost++;
      else accept(fecDecoder.receive(packet));
    }
  };
  const send = (frames: readonly Uint8Array[], which: 0 | 1): void => {
    for (const frame of frames) {
      wireBytes[which]! += frame.length;
      // Frames cross as packets: a 4-byte frame length, then the frame, cut at the MTU.
      const framed = new Uint8Array(frame.length + 4);
      new DataView(framed.buffer).setUint32(0, frame.length);
      framed.set(frame, 4);
      for (let offset = 0; offset < framed.length; offset += mtu) {
        const piece = framed.subarray(offset, Math.min(offset + mtu, framed.length));
        const blockId = fecEncoder.currentBlockId;
        const packets = fecEncoder.encode(piece);
        // The first packet out is the data packet (header byte 3: its index in the block).
        sent.set(keyOf(blockId, packets[0]![3]!), piece);
        transmit(packets);
      }
    }
  };

  send(encoder.write(first), 0);
  send(encoder.flush(), 0);
  send(encoder.write(second), 1);
  send(encoder.flush(), 1);
  transmit(fecEncoder.flush());
  accept(fecDecoder.flush());
  for (const [key, piece] of sent) {
    if (delivered.has(key)) continue;
    retransmitted++;
    delivered.set(key, piece);
  }

  const assembly = concat([...delivered.keys()].sort((a, b) => a - b).map((key) => delivered.get(key)!));
  const view = new DataView(assembly.buffer, assembly.byteOffset, assembly.byteLength);
  const received: Uint8Array[] = [];
  for (let offset = 0; offset + 4 <= assembly.length;) {
    const length = view.getUint32(offset);
    const result = decoder.receive(assembly.subarray(offset + 4, offset + 4 + length));
    for (const control of result.control) {
      for (const answer of encoder.receive(control)) received.push(...decoder.receive(answer).output);
    }
    received.push(...result.output);
    offset += 4 + length;
  }
  const rebuilt = concat(received);
  const expected = concat([first, second]);
  const redundancy = adaptive.current;
  const packed = compress(first);
  return {
    firstBytes: first.length,
    secondBytes: second.length,
    compressedFirstBytes: packed.length,
    dedupWireBytesFirst: wireBytes[0]!,
    dedupWireBytesSecond: wireBytes[1]!,
    packetsSent,
    packetsLost,
    packetsRecovered: fecDecoder.statistics.recovered,
    packetsRetransmitted: retransmitted,
    unrecoverableBlocks,
    redundancyAfter: `${redundancy.dataShards} + ${redundancy.parityShards}`,
    isByteIdentical: sameBytes(rebuilt, expected) && sameBytes(decompress(packed), first),
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
