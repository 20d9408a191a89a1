import { IpAddress, isUint32, parseIpv4 } from '../address/ip';
import { Prefix } from '../address/prefix';
import { Candidates } from '../decision/candidates';
import { type DecisionOptions } from '../decision/options';
import { DecisionProcess, type SameAsPath } from '../decision/process';
import { CapacityError, InvalidAddressError, PeerError, RibError } from '../errors';
import { Ipv4Fib, lookupIpv4Index } from '../fib/ipv4';
import { Ipv6Fib, lookupIpv6Entries } from '../fib/ipv6';
import { BATCH_MAX } from '../fib/memory';
import { FIB_NO_ROUTE } from '../fib/trie';
import { AttributeFlag, AttributeSetPool, KeyField, growInt32, keyStride } from '../path/pool';
import { BgpRoute, type PathSource } from '../path/route';
import { type ChangeSource, RibChangeStream } from './changes';
import { type Peer, type PeerOptions, PeerState } from './peer';
import {
  PrefixSlots,
  bestField,
  firstPathField,
  multipathCountField,
  peerBitsField,
  stateStride,
} from './prefix-slots';

/**
 * Resolves a BGP next hop through the IGP: returns the IGP cost (metric, a non-negative number) to reach it, or
 * `undefined` when it is unreachable (then no path through it can win, RFC 4271 9.1.2.1). Called once per distinct
 * attribute set and cached; call {@link Rib.reresolveNextHops} when the IGP changes. Must not throw.
 */
export type NextHopResolver = (nextHop: IpAddress) => number | undefined;

/**
 * The export-policy hook of the Adj-RIBs-Out (RFC 4271 9.1.3): given the best route (with its source) and a peer that
 * may receive it by the default rules, return the route to advertise (the same one, or one with changed attributes),
 * or `undefined` to advertise nothing.
 */
export type ExportPolicy = (route: BgpRoute, peer: Peer) => BgpRoute | undefined;

/** How to make a {@link Rib}. */
export interface RibOptions {
  /** Our AS number (the AS loop check and iBGP/eBGP of peers depend on it). */
  readonly localAs: number;
  /** Our BGP Identifier (uint32 or dotted quad); the router id of locally originated paths. Default 0. */
  readonly routerId?: number | string;
  /** Our RFC 4456 cluster id; default the router id. */
  readonly clusterId?: number | string;
  /** Decision-process options. */
  readonly decision?: DecisionOptions;
  /** IGP cost of next hops; default: every next hop reachable at cost 0. */
  readonly nextHopResolver?: NextHopResolver;
  /** Export policy of the Adj-RIBs-Out; default: advertise the best route unchanged where the default rules allow. */
  readonly exportPolicy?: ExportPolicy;
  /**
   * Clock for received times, in milliseconds, called for every path. Default `Date.now`, read once per 128 paths of a
   * synchronous burst and afresh after it (paths received together share a reading).
   */
  readonly clock?: () => number;
  /** Paths to allocate room for up front (the tables grow by doubling otherwise). */
  readonly expectedPaths?: number;
  /** Prefixes to allocate room for up front. */
  readonly expectedPrefixes?: number;
}

const localPeerId = 0;
/** Fields of a path in `Rib.paths`, `stride` int32 per path. */
const stride = 6;
const prefixField = 0;
const peerField = 1;
const attributesField = 2;
const nextField = 3;
const peerNextField = 4;
const peerPreviousField = 5;
const maximumPeers = 65535;
const maximumPaths = 0x7fffffff;
/**
 * The default clock (`Date.now`, about 80 ns a call here, a tenth of an insert) is read once and the reading reused for
 * the next `clockReadInterval` paths, until the current synchronous run ends (a microtask expires it): paths received
 * in one burst share a time at millisecond resolution, and a path added after the process sat idle gets a fresh one.
 * Shared by every RIB on the default clock (one reading of the same clock), and kept at module level so the pending
 * microtask holds no RIB alive. A clock given in the options is called for every path.
 */
const clockReadInterval = 128;
const defaultClockReading: Float64Array = new Float64Array(1);
let defaultClockBudget = 0;
let defaultClockExpiryQueued = false;

function expireDefaultClock(): void {
  defaultClockBudget = 0;
  defaultClockExpiryQueued = false;
}

function readDefaultClock(): void {
  defaultClockReading[0] = Date.now();
  defaultClockBudget = clockReadInterval;
  if (!defaultClockExpiryQueued) {
    defaultClockExpiryQueued = true;
    queueMicrotask(expireDefaultClock);
  }
}
// Module-local copies of the flag bits and the FIB's no-route value: read in the hottest loops.
const ineligibleFlags: number = AttributeFlag.AsLoop | AttributeFlag.ClusterLoop | AttributeFlag.OriginatorIsSelf;
const hasLocalPref: number = AttributeFlag.HasLocalPref;
const hasMed: number = AttributeFlag.HasMed;
const hasOriginatorId: number = AttributeFlag.HasOriginatorId;
const noRoute: number = FIB_NO_ROUTE;
/** Best-path changes of looked-up prefixes queued one by one before the route objects beside the FIB start over. */
const staleRoutesMax = 16384;

/** What a lookup reads while updates wait: any read of it is undefined. */
const noRoutes: (BgpRoute | undefined)[] = emptyRoutes();

let idleEntries4: Int32Array | undefined;
let idleEntries6: Int32Array | undefined;
/**
 * What a lookup walks while a RIB has no FIB of the family: a level 0 of zeros (values), shared and never written, so
 * every walk ends at its first read. Zero pages until read: about 4 MB (IPv4) and 256 kB (IPv6) of address space.
 */
function idleEntries(family: 4 | 6): Int32Array {
  if (family === 4) return (idleEntries4 ??= new Int32Array(1 << 20));
  return (idleEntries6 ??= new Int32Array(1 << 16));
}

/** An empty array of route references, holey like the full ones (its elements kind never changes the field's). */
function emptyRoutes(): (BgpRoute | undefined)[] {
  const routes = new Array<BgpRoute | undefined>(1).fill(undefined);
  routes.length = 0;
  return routes;
}
/** FIB results of the batch in progress, one FIB kernel call's worth (lookups are synchronous: one array serves all). */
const batchSlots: Uint32Array = new Uint32Array(BATCH_MAX);

function checkBatchCount(count: number, words: number, width: number): void {
  if (!Number.isInteger(count) || count < 0 || count * width > words) {
    throw new RibError(
      'ERR_RIB_LOOKUP_COUNT',
      `lookup batch: count ${count} is not an integer from 0 to ${Math.floor(words / width)} (the addresses given)`,
    );
  }
}

function routerIdValue(value: number | string, field: string): number {
  if (typeof value === 'string') return parseIpv4(value, field);
  if (!isUint32(value)) throw new InvalidAddressError(String(value), 'a router id is a uint32', field);
  return value;
}

/**
 * A BGP RIB: per-peer Adj-RIBs-In, the Loc-RIB chosen by the RFC 4271 decision process, per-peer Adj-RIBs-Out behind an
 * export policy, a change stream, and longest-prefix-match lookup through the FIB.
 *
 * Paths are rows of a typed array (32 bytes each with their received time) that point at interned attribute sets, so
 * a full table from many peers costs memory per path, not per attribute. Each peer's paths are linked together, so a peer
 * going down removes its paths without scanning the table.
 *
 * @example
 * const rib = new Rib(65000);
 * rib.addRoute(new BgpRoute('10.0.0.0/24', '192.168.1.1', [65001, 65002]).withLocalPref(150).withMed(10));
 * rib.lookup('10.0.0.5')?.nextHop; // '192.168.1.1'
 *
 * const peer = rib.addPeer({ address: '192.0.2.2', asn: 65010, routerId: '192.0.2.2' });
 * rib.addRoute(new BgpRoute('10.0.0.0/24', '192.0.2.2', [65010]), peer.id);
 * rib.removePeer(peer.id); // its paths go, best paths are chosen again
 */
export class Rib {
  /** Our AS number. */
  readonly localAs: number;
  /** Our BGP Identifier. */
  readonly routerId: number;
  /** Our RFC 4456 cluster id. */
  readonly clusterId: number;
  /** The decision process (its `options` are the ones in force). */
  readonly decision: DecisionProcess;
  /** The interned attribute sets. */
  readonly attributeSets: AttributeSetPool;
  /** The Loc-RIB: the best route of each prefix. */
  readonly locRib: LocRib;

  private readonly slots: PrefixSlots;
  // Made on first use: an empty FIB still holds its first-level array (megabytes), which small RIBs need not pay for.
  private fib4: Ipv4Fib | undefined = undefined;
  private fib6: Ipv6Fib | undefined = undefined;
  private readonly clock: () => number;
  private readonly customClock: boolean;
  /** The received time of the path being added, in ms (a field: a double returned from a call would be boxed). */
  private clockValue = Number.NaN;
  private readonly resolver: NextHopResolver | undefined;
  private readonly exportPolicy: ExportPolicy | undefined;
  private readonly candidates: Candidates = new Candidates();
  private selection: Int32Array = new Int32Array(16);
  private reorder: Int32Array = new Int32Array(16);
  private readonly sameAsPath: SameAsPath;
  private readonly defaultLocalPreference: number;
  private readonly missingMed: number;
  private readonly multipath: boolean;
  private readonly fibWords: Uint32Array = new Uint32Array(4);
  /**
   * FIB updates wait in a queue until the next lookup: a few are applied one by one, many (a bulk load, a peer going
   * down) by rebuilding the FIB from the Loc-RIB in one pass, which is faster than as many single updates.
   */
  private fibQueue: Int32Array = new Int32Array(64);
  private fibQueued = 0;
  /**
   * IPv4 route objects beside the FIB entries, filled by lookups: `routesAt4[i]` is undefined or the best route of the
   * slot in entry `i` of the IPv4 FIB's entries. A lookup reads the route object at the index its walk ends at, with
   * that entry, not through the slot afterwards: one dependent cache miss fewer per lookup. One reference per entry
   * (about 24 MB for a full table), made at the first IPv4 lookup. FIB updates and best-path changes clear what they
   * reach (see {@link syncRoutesAt}). IPv6 lookups read the route cache by slot: the IPv6 FIB has four times as many
   * entries for a quarter of the prefixes, and no lookup goal that would pay for such an array.
   */
  private routesAt4: (BgpRoute | undefined)[] = emptyRoutes();
  /**
   * What the lookup fast paths read, held here (not reached through the FIB objects) and always of one type each, so
   * that a caller's loop of lookups checks and loads as little as it can: the FIBs' entries as of the last flush (an
   * all-zero array while there is no FIB), and `routesAt4` (IPv4) or the route cache (IPv6) while no update waits,
   * else an empty array (a read past its end is undefined, which sends the lookup to the slow path that applies the
   * updates).
   */
  private lookupEntries4: Int32Array = idleEntries(4);
  private lookupEntries6: Int32Array = idleEntries(6);
  private lookupRoutes4: (BgpRoute | undefined)[] = noRoutes;
  private lookupCache6: (BgpRoute | undefined)[] = noRoutes;
  /** The entries `routesAt4` was made for: when the FIB moves to new entries, it starts over. */
  private routesFor4: Int32Array | undefined = undefined;
  /**
   * IPv4 slots whose route object changed while lookups may hold it in `routesAt4`, queued until the next lookup like
   * FIB updates; past {@link staleRoutesMax} the array is cleared instead.
   */
  private staleRoutes: Int32Array = new Int32Array(64);
  private staleCount = 0;
  /** Entries left to clear in this sync before clearing a whole array is cheaper. */
  private routesBudget = 0;
  private readonly clearRoutes4 = (first: number, last: number): void => {
    const routes = this.routesAt4;
    for (let index = first; index < last; index++) routes[index] = undefined;
    this.routesBudget -= last - first;
  };
  /** Per slot: bit 0 installed in the FIB, bit 1 waiting in the FIB queue. */
  private fibState: Uint8Array = new Uint8Array(1024);

  // Paths: six int32 fields per path side by side (one cache line holds a path), and the received times apart
  // (read only when a route object is made).
  private paths: Int32Array;
  private pathReceived: Float64Array;
  private pathHighWater = 0;
  private freePaths: Int32Array;
  private freeCount = 0;
  private livePaths = 0;
  private bestCount = 0;

  private readonly peers: (PeerState | undefined)[] = [];
  private advertisingPeers: PeerState[] = [];
  /** Route objects by slot (holey, the elements kind of every route array the lookups read). */
  private routeCache: (BgpRoute | undefined)[] = emptyRoutes();
  private streams: RibChangeStream[] = [];
  private readonly changeSource: ChangeSource;

  /**
   * @param options - the local AS number alone, or {@link RibOptions}
   * @throws {@link RibError} subclasses for bad options
   */
  constructor(options: number | RibOptions) {
    const resolved: RibOptions = typeof options === 'number' ? { localAs: options } : options;
    if (!isUint32(resolved.localAs))
      throw new PeerError('ERR_RIB_INVALID_PEER', 0, `local AS ${resolved.localAs} is not a uint32`);
    this.localAs = resolved.localAs;
    this.routerId = routerIdValue(resolved.routerId ?? 0, 'routerId');
    this.clusterId = resolved.clusterId === undefined ? this.routerId : routerIdValue(resolved.clusterId, 'clusterId');
    this.decision = new DecisionProcess(resolved.decision);
    this.defaultLocalPreference = this.decision.options.defaultLocalPreference;
    this.missingMed = this.decision.options.missingMedAsWorst ? 0xffffffff : 0;
    this.multipath = this.decision.options.maximumPaths > 1;
    this.attributeSets = new AttributeSetPool({
      localAs: this.localAs,
      routerId: this.routerId,
      clusterId: this.clusterId,
    });
    this.clock = resolved.clock ?? Date.now;
    this.customClock = resolved.clock !== undefined;
    this.resolver = resolved.nextHopResolver;
    this.exportPolicy = resolved.exportPolicy;
    this.slots = new PrefixSlots(resolved.expectedPrefixes ?? 1024);
    let capacity = 1024;
    const expected = Math.min(resolved.expectedPaths ?? 0, maximumPaths);
    while (capacity < expected) capacity *= 2;
    this.paths = new Int32Array(capacity * stride);
    this.pathReceived = new Float64Array(capacity);
    this.freePaths = new Int32Array(64);
    const pool = this.attributeSets;
    this.sameAsPath = (a, b) => a === b || pool.get(a).sameAsPath(pool.get(b));
    this.peers[localPeerId] = new PeerState({
      id: localPeerId,
      type: 'local',
      address: IpAddress.ipv4(this.routerId),
      asn: this.localAs,
      routerId: this.routerId,
      routeReflectorClient: false,
      advertise: false,
    });
    this.locRib = new LocRib(this);
    this.changeSource = {
      slotCapacity: () => this.slots.capacity,
      slotVersion: (slot) => this.slots.version[slot]!,
      hasBest: (slot) => this.slots.state[slot * stateStride + bestField]! >= 0,
      slotPrefix: (slot) => this.slots.prefix(slot),
      bestRoute: (slot) => this.bestRouteOfSlot(slot),
      multipathRoutes: (slot) => this.multipathOfSlot(slot),
      allSlots: () => this.slots.count,
      unsubscribe: (stream) => {
        this.streams = this.streams.filter((candidate) => candidate !== stream);
      },
    };
  }

  // ---------------------------------------------------------------------------------------------------------- peers

  /**
   * Adds a peer. Its type is iBGP when its AS is ours, eBGP otherwise, unless given.
   *
   * @throws {@link PeerError} for a taken or out-of-range id; {@link InvalidAddressError} for a bad address or router id
   */
  addPeer(options: PeerOptions): Peer {
    let id = options.id;
    if (id === undefined) {
      id = 1;
      while (id <= maximumPeers && this.peers[id] !== undefined) id++;
      if (id > maximumPeers) throw new CapacityError('peers', maximumPeers);
    } else if (!Number.isInteger(id) || id < 1 || id > maximumPeers) {
      throw new PeerError('ERR_RIB_INVALID_PEER', id, `peer id ${id} must be 1-${maximumPeers} (0 is the RIB itself)`);
    } else if (this.peers[id] !== undefined) {
      throw new PeerError('ERR_RIB_DUPLICATE_PEER', id, `peer ${id} exists already`);
    }
    if (!isUint32(options.asn))
      throw new PeerError('ERR_RIB_INVALID_PEER', id, `peer AS ${options.asn} is not a uint32`);
    const address =
      options.address instanceof IpAddress ? options.address : IpAddress.parse(options.address, 'peer address');
    const state = new PeerState({
      id,
      type: options.type ?? (options.asn === this.localAs ? 'ibgp' : 'ebgp'),
      address,
      asn: options.asn,
      routerId: routerIdValue(options.routerId, 'peer routerId'),
      routeReflectorClient: options.routeReflectorClient ?? false,
      advertise: options.advertise ?? false,
    });
    this.peers[id] = state;
    this.rankPeerAddresses();
    if (state.advertise) {
      state.exported = new Int32Array(this.slots.capacity).fill(-1);
      this.advertisingPeers.push(state);
      for (let slot = 0; slot < this.slots.count; slot++)
        if (this.slots.state[slot * stateStride + bestField]! >= 0) this.updateExport(state, slot);
    }
    return state.toPeer();
  }

  /** The peer with this id, or undefined. Id 0 is the RIB itself. */
  getPeer(id: number): Peer | undefined {
    return this.peers[id]?.toPeer();
  }

  /** Every peer, the RIB itself (id 0) first. */
  listPeers(): Peer[] {
    return this.peers.filter((peer): peer is PeerState => peer !== undefined).map((peer) => peer.toPeer());
  }

  /**
   * Withdraws every path the peer sent (its session went down) and chooses best paths again for the prefixes it
   * touched; the peer stays configured. Walks only the peer's own paths. Returns how many paths went.
   *
   * @throws {@link PeerError} for an unknown peer
   */
  peerDown(id: number): number {
    const peer = this.peerState(id);
    let removed = 0;
    for (let path = peer.firstPath; path >= 0;) {
      const next = this.paths[path * stride + peerNextField]!;
      const slot = this.paths[path * stride + prefixField]!;
      const member = this.unlinkFromPrefix(slot, path);
      this.freePath(peer, path);
      this.decide(slot, member);
      removed++;
      path = next;
    }
    return removed;
  }

  /**
   * Removes a peer: its paths as {@link peerDown} does, then its Adj-RIB-Out and the peer itself.
   *
   * @throws {@link PeerError} for an unknown peer or id 0
   */
  removePeer(id: number): number {
    if (id === localPeerId) throw new PeerError('ERR_RIB_INVALID_PEER', id, 'peer 0 is the RIB itself');
    const removed = this.peerDown(id);
    const peer = this.peerState(id);
    if (peer.advertise) {
      for (let slot = 0; slot < peer.exported.length; slot++) {
        const attributes = peer.exported[slot]!;
        if (attributes >= 0) this.attributeSets.release(attributes);
      }
      this.advertisingPeers = this.advertisingPeers.filter((candidate) => candidate !== peer);
    }
    this.peers[id] = undefined;
    this.rankPeerAddresses();
    return removed;
  }

  // --------------------------------------------------------------------------------------------------------- routes

  /**
   * Adds or replaces (implicit withdrawal, RFC 4271 3.1) the path to `route.prefix` from a peer, and runs the decision
   * process for that prefix. Without a peer id the route is locally originated.
   *
   * @param route - the route; its attribute set is interned
   * @param peerId - the peer it came from; default 0, the RIB itself
   * @throws {@link PeerError} for an unknown peer; {@link CapacityError} past the table limits
   */
  addRoute(route: BgpRoute, peerId: number = localPeerId): void {
    const peer = this.peerState(peerId);
    if (!(route instanceof BgpRoute)) throw new RibError('ERR_RIB_INVALID_ROUTE', 'addRoute expects a BgpRoute');
    const pool = this.attributeSets;
    const attributes = pool.acquire(route.attributes);
    if (Number.isNaN(pool.igpCostOf(attributes))) this.resolveCost(attributes);
    const slots = this.slots;
    const slot = slots.findOrAddAfter(route.prefix, peer.lastSlot);
    peer.lastSlot = slot;
    // The received time (see clockReadInterval).
    if (this.customClock) {
      this.clockValue = this.clock();
    } else {
      if (defaultClockBudget === 0) readDefaultClock();
      defaultClockBudget--;
      this.clockValue = defaultClockReading[0]!;
    }
    const now = this.clockValue;
    const state = slots.state;
    const stateBase = slot * stateStride;
    const peerBit = 1 << (peerId & 31);
    const bits = state[stateBase + peerBitsField]!;
    if ((bits & peerBit) !== 0 || this.multipath) {
      // The peer may have a path here already (or multipath keeps the list ordered): walk the list.
      this.addRouteWalking(peer, slot, attributes, now);
      return;
    }
    // No path of this peer here: link at the head without walking (the decision does not depend on list order).
    const path = this.allocatePath();
    const paths = this.paths;
    const row = path * stride;
    paths[row + prefixField] = slot;
    paths[row + peerField] = peerId;
    paths[row + attributesField] = attributes;
    paths[row + nextField] = state[stateBase + firstPathField]!;
    state[stateBase + firstPathField] = path;
    state[stateBase + peerBitsField] = bits | peerBit;
    this.pathReceived[path] = now;
    this.linkToPeer(peer, path);
    // The new path against the best on the steps before MED (see DecisionProcess.rankOf), in every mode: ranked
    // below, it changes nothing (the common case of a full table from many peers); ranked above every eligible path,
    // it alone survives the first step and is the new best; only a tie needs the whole decision.
    const keys = pool.keys;
    const base = attributes * keyStride;
    const packed = keys[base + KeyField.Packed]!;
    if ((packed & ineligibleFlags) !== 0 || keys[base + KeyField.IgpCost] === Number.POSITIVE_INFINITY) return;
    const rank = this.decision.rankOf(
      (packed & hasLocalPref) !== 0 ? keys[base + KeyField.LocalPref]! : this.defaultLocalPreference,
      peer.locallyOriginated,
      keys[base + KeyField.AsPathLength]!,
      (packed >>> 8) & 3,
    );
    const oldBest = state[stateBase + bestField]!;
    if (oldBest >= 0) {
      const bestRank = slots.bestRank[slot]!;
      if (rank > bestRank) return;
      if (rank === bestRank) {
        this.decide(slot, false);
        return;
      }
    }
    // Without multipath (this branch), the set of one path.
    slots.bestRank[slot] = rank;
    this.publishBest(slot, oldBest, path, 1);
  }

  /** addRoute when the list must be walked: the peer may have a path to the prefix, or multipath keeps it ordered. */
  private addRouteWalking(peer: PeerState, slot: number, attributes: number, now: number): void {
    const slots = this.slots;
    const pool = this.attributeSets;
    const peerId = peer.id;
    let last = -1;
    let position = 0;
    for (
      let path = slots.state[slot * stateStride + firstPathField]!;
      path >= 0;
      path = this.paths[path * stride + nextField]!
    ) {
      if (this.paths[path * stride + peerField] === peerId) {
        this.pathReceived[path] = now;
        const previous = this.paths[path * stride + attributesField]!;
        if (previous === attributes) {
          // The same path again: nothing to decide.
          pool.release(attributes);
          return;
        }
        this.paths[path * stride + attributesField] = attributes;
        pool.release(previous);
        this.decide(slot, this.isMember(slot, path, position));
        return;
      }
      last = path;
      position++;
    }
    const path = this.allocatePath();
    this.paths[path * stride + prefixField] = slot;
    this.paths[path * stride + peerField] = peerId;
    this.paths[path * stride + attributesField] = attributes;
    this.pathReceived[path] = now;
    if (last >= 0) {
      // At the tail: with multipath the set stays at the head.
      this.paths[path * stride + nextField] = -1;
      this.paths[last * stride + nextField] = path;
    } else {
      this.paths[path * stride + nextField] = slots.state[slot * stateStride + firstPathField]!;
      slots.state[slot * stateStride + firstPathField] = path;
    }
    slots.state[slot * stateStride + peerBitsField] =
      slots.state[slot * stateStride + peerBitsField]! | (1 << (peerId & 31));
    this.linkToPeer(peer, path);
    // A new path ranked below the best on the steps before MED changes nothing, in every mode (see
    // DecisionProcess.rankOf).
    if (slots.state[slot * stateStride + bestField]! >= 0 && this.rankOfPath(path) > slots.bestRank[slot]!) return;
    this.decide(slot, false);
  }

  /** Links a new path at the head of its peer's list (the Adj-RIB-In). */
  private linkToPeer(peer: PeerState, path: number): void {
    const paths = this.paths;
    paths[path * stride + peerPreviousField] = -1;
    paths[path * stride + peerNextField] = peer.firstPath;
    if (peer.firstPath >= 0) paths[peer.firstPath * stride + peerPreviousField] = path;
    peer.firstPath = path;
    peer.pathCount++;
    this.livePaths++;
  }

  /** The decision's before-MED rank of a path (lower preferred); +Infinity for an ineligible path. */
  private rankOfPath(path: number): number {
    const keys = this.attributeSets.keys;
    const base = this.paths[path * stride + attributesField]! * keyStride;
    const packed = keys[base + KeyField.Packed]!;
    if ((packed & ineligibleFlags) !== 0 || keys[base + KeyField.IgpCost] === Number.POSITIVE_INFINITY) {
      return Number.POSITIVE_INFINITY;
    }
    return this.decision.rankOf(
      (packed & hasLocalPref) !== 0 ? keys[base + KeyField.LocalPref]! : this.defaultLocalPreference,
      this.paths[path * stride + peerField] === localPeerId ? 1 : 0,
      keys[base + KeyField.AsPathLength]!,
      (packed >>> 8) & 3,
    );
  }

  /**
   * Withdraws the peer's path to `prefix` (RFC 4271 9.1.2 for withdrawn routes) and chooses the best path again.
   * Returns false when the peer had no path to it.
   *
   * @throws {@link PeerError} for an unknown peer; {@link InvalidPrefixError} for bad prefix text
   */
  withdrawRoute(prefix: Prefix | string, peerId: number = localPeerId): boolean {
    const peer = this.peerState(peerId);
    const slot = this.slots.findPrefix(Prefix.from(prefix));
    if (slot < 0) return false;
    for (
      let path = this.slots.state[slot * stateStride + firstPathField]!;
      path >= 0;
      path = this.paths[path * stride + nextField]!
    ) {
      if (this.paths[path * stride + peerField] !== peerId) continue;
      const member = this.unlinkFromPrefix(slot, path);
      this.freePath(peer, path);
      this.decide(slot, member);
      return true;
    }
    return false;
  }

  /**
   * Asks the next-hop resolver again for every attribute set in use (after an IGP change) and re-runs the decision
   * process for every prefix. O(table).
   */
  reresolveNextHops(): void {
    const pool = this.attributeSets;
    pool.forgetIgpCosts();
    for (let id = 0; id < pool.sets.length; id++) if (pool.sets[id] !== undefined) this.resolveCost(id);
    for (let slot = 0; slot < this.slots.count; slot++)
      if (this.slots.state[slot * stateStride + firstPathField]! >= 0) this.decide(slot, false);
  }

  // ------------------------------------------------------------------------------------------------------- lookups

  /**
   * The best route of the longest prefix in the Loc-RIB that contains `address` (RFC 1812 5.2.4.3), or undefined.
   * A number is an IPv4 address (uint32); that is the fast path, as is {@link lookupIpv6} for IPv6.
   *
   * @throws {@link InvalidAddressError} for bad address text or a number that is not a uint32
   */
  lookup(address: string | number | IpAddress): BgpRoute | undefined {
    if (typeof address === 'number') {
      if (address >>> 0 !== address) throw new InvalidAddressError(String(address), 'an IPv4 address is a uint32');
      return this.lookupIpv4(address);
    }
    const parsed = typeof address === 'string' ? IpAddress.parse(address) : address;
    return parsed.family === 4
      ? this.lookupIpv4(parsed.w0)
      : this.lookupIpv6(parsed.w0, parsed.w1, parsed.w2, parsed.w3);
  }

  /** {@link lookup} for an IPv4 address given as a uint32 (not checked). */
  lookupIpv4(address: number): BgpRoute | undefined {
    // Inline: the walk and the route object beside its entry, or no match; everything else is out of line, so that a
    // caller's loop of lookups stays short and overlaps more of their cache misses.
    const entries = this.lookupEntries4;
    const index = lookupIpv4Index(entries, address);
    const route = this.lookupRoutes4[index];
    if (route !== undefined) return route;
    // no prefix matches (most misses on random addresses), unless updates wait that may change that
    if (entries[index] === noRoute && this.lookupRoutes4 !== noRoutes) return undefined;
    return this.lookupIpv4Miss(index, address);
  }

  /** {@link lookup} for an IPv6 address given as four uint32 words, most significant first (not checked). */
  lookupIpv6(w0: number, w1: number, w2: number, w3: number): BgpRoute | undefined {
    const slot = lookupIpv6Entries(this.lookupEntries6, w0, w1, w2, w3);
    const route = this.lookupCache6[slot];
    return route !== undefined ? route : this.lookupIpv6Miss(slot, w0, w1, w2, w3);
  }

  /**
   * A lookup whose route object is not beside its FIB entry: updates wait (apply them and look up again), no prefix
   * matches, or the object is not made yet (make it and keep it there).
   */
  private lookupIpv4Miss(index: number, address: number): BgpRoute | undefined {
    if (this.lookupRoutes4 === noRoutes) {
      if (this.fibQueued === 0 && this.staleCount === 0) return undefined; // no IPv4 FIB
      this.flushFib();
      return this.lookupIpv4(address);
    }
    const slot = this.lookupEntries4[index]!;
    if (slot === noRoute) return undefined;
    const route = this.bestRouteOfSlot(slot)!;
    let routes = this.routesAt4;
    if (routes.length !== this.lookupEntries4.length) {
      // the first IPv4 lookup since the FIB was built or moved
      routes = new Array<BgpRoute | undefined>(this.lookupEntries4.length).fill(undefined);
      this.routesAt4 = routes;
      this.lookupRoutes4 = routes;
    }
    routes[index] = route;
    return route;
  }

  private lookupIpv6Miss(slot: number, w0: number, w1: number, w2: number, w3: number): BgpRoute | undefined {
    if (this.lookupCache6 === noRoutes) {
      if (this.fibQueued === 0) return undefined; // no IPv6 FIB
      this.flushFib();
      return this.lookupIpv6(w0, w1, w2, w3);
    }
    return slot === noRoute ? undefined : this.bestRouteOfSlot(slot);
  }

  /**
   * {@link lookup} for many IPv4 addresses (uint32 each, not checked) at once: `out[i]` is the best route for
   * `addresses[i]`, or undefined, for `i < count` (default: all). The FIB part runs in the FIB's batch kernel and the
   * route objects are then read in one pass, so the cache misses of many addresses overlap: several times the rate of
   * calling `lookup` per address on a cache-cold full table. `out` is a plain array the caller reuses.
   *
   * @throws {@link RibError} (`ERR_RIB_LOOKUP_COUNT`) when `count` is not an integer from 0 to `addresses.length`
   */
  lookupBatch(addresses: Uint32Array, out: (BgpRoute | undefined)[], count: number = addresses.length): void {
    checkBatchCount(count, addresses.length, 1);
    if (this.fibQueued !== 0) this.flushFib();
    this.lookupBatchIn(this.fib4, addresses, 1, out, count);
  }

  /**
   * {@link lookupBatch} for IPv6: `count` addresses of four words each (most significant first) in `words`.
   *
   * @throws {@link RibError} (`ERR_RIB_LOOKUP_COUNT`) when `count` is not an integer from 0 to `words.length / 4`
   */
  lookupBatchIpv6(words: Uint32Array, out: (BgpRoute | undefined)[], count: number = words.length >>> 2): void {
    checkBatchCount(count, words.length, 4);
    if (this.fibQueued !== 0) this.flushFib();
    this.lookupBatchIn(this.fib6, words, 4, out, count);
  }

  /** The batch lookups, in pieces of `batchSlots.length`: FIB slots first, then their route objects. */
  private lookupBatchIn(
    fib: Ipv4Fib | Ipv6Fib | undefined,
    words: Uint32Array,
    width: number,
    out: (BgpRoute | undefined)[],
    count: number,
  ): void {
    for (let done = 0; done < count; done += batchSlots.length) {
      const length = Math.min(batchSlots.length, count - done);
      if (fib === undefined) batchSlots.fill(noRoute, 0, length);
      else fib.lookupBatch(words.subarray(done * width, (done + length) * width), batchSlots, length);
      const cache = this.routeCache;
      for (let index = 0; index < length; index++) {
        const slot = batchSlots[index]!;
        out[done + index] = slot === noRoute ? undefined : (cache[slot] ?? this.bestRouteOfSlot(slot));
      }
    }
  }

  /** The multipath (ECMP) set of the longest matching prefix, best first; empty when nothing matches. */
  lookupMultipath(address: string | number | IpAddress): readonly BgpRoute[] {
    const best = this.lookup(address);
    if (best === undefined) return [];
    return this.multipathOfSlot(this.slots.findPrefix(best.prefix));
  }

  // -------------------------------------------------------------------------------------------------------- tables

  /** The best route to exactly `prefix` (Loc-RIB), or undefined. */
  getBest(prefix: Prefix | string): BgpRoute | undefined {
    const slot = this.slots.findPrefix(Prefix.from(prefix));
    return slot < 0 ? undefined : this.bestRouteOfSlot(slot);
  }

  /** The multipath set for exactly `prefix`, best first; empty when it has no best path. */
  getMultipath(prefix: Prefix | string): readonly BgpRoute[] {
    const slot = this.slots.findPrefix(Prefix.from(prefix));
    return slot < 0 ? [] : this.multipathOfSlot(slot);
  }

  /** Every path to exactly `prefix`, from every peer, eligible or not, best first when there is one. */
  getPaths(prefix: Prefix | string): BgpRoute[] {
    const slot = this.slots.findPrefix(Prefix.from(prefix));
    if (slot < 0) return [];
    const routes: BgpRoute[] = [];
    const best = this.slots.state[slot * stateStride + bestField]!;
    if (best >= 0) routes.push(this.routeOfPath(best));
    for (
      let path = this.slots.state[slot * stateStride + firstPathField]!;
      path >= 0;
      path = this.paths[path * stride + nextField]!
    ) {
      if (path !== best) routes.push(this.routeOfPath(path));
    }
    return routes;
  }

  /** The peer's Adj-RIB-In entry for exactly `prefix`, or undefined. */
  getReceived(prefix: Prefix | string, peerId: number): BgpRoute | undefined {
    this.peerState(peerId);
    const slot = this.slots.findPrefix(Prefix.from(prefix));
    if (slot < 0) return undefined;
    for (
      let path = this.slots.state[slot * stateStride + firstPathField]!;
      path >= 0;
      path = this.paths[path * stride + nextField]!
    ) {
      if (this.paths[path * stride + peerField] === peerId) return this.routeOfPath(path);
    }
    return undefined;
  }

  /** The peer's Adj-RIB-In, newest path first. */
  *receivedRoutes(peerId: number): Generator<BgpRoute, void, undefined> {
    const peer = this.peerState(peerId);
    for (let path = peer.firstPath; path >= 0; path = this.paths[path * stride + peerNextField]!)
      yield this.routeOfPath(path);
  }

  /** The route in the peer's Adj-RIB-Out for exactly `prefix`, or undefined. */
  getAdvertised(prefix: Prefix | string, peerId: number): BgpRoute | undefined {
    const peer = this.peerState(peerId);
    const slot = this.slots.findPrefix(Prefix.from(prefix));
    if (slot < 0 || slot >= peer.exported.length) return undefined;
    return this.advertisedRouteOfSlot(peer, slot);
  }

  /** The peer's Adj-RIB-Out, in prefix-slot order. */
  *advertisedRoutes(peerId: number): Generator<BgpRoute, void, undefined> {
    const peer = this.peerState(peerId);
    for (let slot = 0; slot < peer.exported.length && slot < this.slots.count; slot++) {
      const route = this.advertisedRouteOfSlot(peer, slot);
      if (route !== undefined) yield route;
    }
  }

  /** Every best route of the Loc-RIB, in prefix-slot order. */
  *bestRoutes(): Generator<BgpRoute, void, undefined> {
    for (let slot = 0; slot < this.slots.count; slot++) {
      if (this.slots.state[slot * stateStride + bestField]! >= 0) yield this.bestRouteOfSlot(slot)!;
    }
  }

  /** A view of one peer's Adj-RIB-In. @throws {@link PeerError} for an unknown peer */
  adjRibIn(peerId: number): AdjRibIn {
    this.peerState(peerId);
    return new AdjRibIn(this, peerId);
  }

  /** A view of one peer's Adj-RIB-Out. @throws {@link PeerError} for an unknown peer */
  adjRibOut(peerId: number): AdjRibOut {
    this.peerState(peerId);
    return new AdjRibOut(this, peerId);
  }

  /** Paths held, from all peers. */
  get pathCount(): number {
    return this.livePaths;
  }

  /** Paths in one peer's Adj-RIB-In. */
  peerPathCount(peerId: number): number {
    return this.peerState(peerId).pathCount;
  }

  /** Routes in one peer's Adj-RIB-Out. */
  peerAdvertisedCount(peerId: number): number {
    return this.peerState(peerId).exportedCount;
  }

  /** Prefixes with a best path (the Loc-RIB's size). */
  get size(): number {
    return this.bestCount;
  }

  /**
   * Bytes of typed arrays held: paths, prefix slots, the interning pool's fields and index, Adj-RIB-Out tables, the FIB
   * queue and the FIBs; not JavaScript objects (attribute sets, cached route objects, peers).
   */
  memoryBytes(): number {
    if (this.fibQueued !== 0) this.flushFib();
    return (
      this.fibState.byteLength +
      this.fibQueue.byteLength +
      this.attributeSets.memoryBytes() +
      this.advertisingPeers.reduce((sum, peer) => sum + peer.exported.byteLength, 0) +
      this.paths.byteLength +
      this.pathReceived.byteLength +
      this.freePaths.byteLength +
      this.slots.memoryBytes() +
      (this.fib4?.memoryBytes() ?? 0) +
      (this.fib6?.memoryBytes() ?? 0)
    );
  }

  /**
   * A stream of Loc-RIB changes (one per prefix between reads). With `replay`, every current best route is reported
   * first.
   */
  changes(options: { readonly replay?: boolean } = {}): RibChangeStream {
    const stream = new RibChangeStream(this.changeSource, options.replay ?? false);
    this.streams.push(stream);
    return stream;
  }

  // -------------------------------------------------------------------------------------------------------- inside

  private peerState(id: number): PeerState {
    const peer = Number.isInteger(id) ? this.peers[id] : undefined;
    if (peer === undefined) throw new PeerError('ERR_RIB_UNKNOWN_PEER', id, `unknown peer ${id}`);
    return peer;
  }

  private rankPeerAddresses(): void {
    const peers = this.peers.filter((peer): peer is PeerState => peer !== undefined);
    peers.sort((a, b) => a.address.compare(b.address) || a.id - b.id);
    peers.forEach((peer, rank) => {
      peer.addressRank = rank;
    });
  }

  private resolveCost(attributes: number): void {
    const pool = this.attributeSets;
    const cost = this.resolver === undefined ? 0 : this.resolver(pool.get(attributes).nextHop);
    pool.setIgpCost(attributes, cost === undefined || !(cost >= 0) ? Number.POSITIVE_INFINITY : cost);
  }

  private isMember(slot: number, path: number, position: number): boolean {
    return this.multipath
      ? position < this.slots.state[slot * stateStride + multipathCountField]!
      : this.slots.state[slot * stateStride + bestField] === path;
  }

  /** Unlinks a path from its prefix's list; returns whether it was in the best/multipath set. */
  private unlinkFromPrefix(slot: number, path: number): boolean {
    const slots = this.slots;
    let previous = -1;
    let position = 0;
    for (
      let at = slots.state[slot * stateStride + firstPathField]!;
      at >= 0;
      at = this.paths[at * stride + nextField]!
    ) {
      if (at === path) {
        const member = this.isMember(slot, path, position);
        if (previous < 0) slots.state[slot * stateStride + firstPathField] = this.paths[path * stride + nextField]!;
        else this.paths[previous * stride + nextField] = this.paths[path * stride + nextField]!;
        let bits = 0;
        for (
          let rest = slots.state[slot * stateStride + firstPathField]!;
          rest >= 0;
          rest = this.paths[rest * stride + nextField]!
        ) {
          bits |= 1 << (this.paths[rest * stride + peerField]! & 31);
        }
        slots.state[slot * stateStride + peerBitsField] = bits;
        return member;
      }
      previous = at;
      position++;
    }
    return false;
  }

  private allocatePath(): number {
    if (this.freeCount > 0) return this.freePaths[--this.freeCount]!;
    const path = this.pathHighWater;
    if (path >= maximumPaths) throw new CapacityError('paths', maximumPaths);
    if (path >= this.pathReceived.length) this.growPaths();
    this.pathHighWater++;
    return path;
  }

  private freePath(peer: PeerState, path: number): void {
    const previous = this.paths[path * stride + peerPreviousField]!;
    const next = this.paths[path * stride + peerNextField]!;
    if (previous < 0) peer.firstPath = next;
    else this.paths[previous * stride + peerNextField] = next;
    if (next >= 0) this.paths[next * stride + peerPreviousField] = previous;
    peer.pathCount--;
    this.livePaths--;
    this.attributeSets.release(this.paths[path * stride + attributesField]!);
    this.paths[path * stride + attributesField] = -1;
    if (this.freeCount === this.freePaths.length)
      this.freePaths = growInt32(this.freePaths, this.freePaths.length * 2, 0);
    this.freePaths[this.freeCount++] = path;
  }

  private growPaths(): void {
    // Grow by half, not double: at ten full tables the path arrays are the largest thing held, and the old and new
    // arrays coexist while copying.
    const capacity = Math.min(Math.ceil(this.pathReceived.length * 1.5), maximumPaths);
    const paths = new Int32Array(capacity * stride);
    paths.set(this.paths);
    this.paths = paths;
    const received = new Float64Array(capacity);
    received.set(this.pathReceived);
    this.pathReceived = received;
  }

  /**
   * Runs the decision process for one prefix and applies the outcome: best and multipath set, version, FIB, route
   * cache, change streams, Adj-RIBs-Out. `memberChanged` says a path of the current best/multipath set changed or went.
   */
  private decide(slot: number, memberChanged: boolean): void {
    const slots = this.slots;
    const keys = this.attributeSets.keys;
    const paths = this.paths;
    const peers = this.peers;
    const decision = this.decision;
    const candidates = this.candidates;
    const stateBase = slot * stateStride;
    // Only the eligible paths of the lowest before-MED rank go to the decision: in every mode the best path has that
    // rank and the multipath set shares it (see DecisionProcess.rankOf), so the others can neither win nor join.
    let lowest = Number.POSITIVE_INFINITY;
    let count = 0;
    for (let path = slots.state[stateBase + firstPathField]!; path >= 0; path = paths[path * stride + nextField]!) {
      const attributes = paths[path * stride + attributesField]!;
      const base = attributes * keyStride;
      const packed = keys[base + KeyField.Packed]!;
      // RFC 4271 9.1.2: a route whose AS_PATH holds our AS, or (RFC 4456 8) whose ORIGINATOR_ID is us or CLUSTER_LIST
      // holds our cluster id, is not eligible; neither is one whose NEXT_HOP is unresolvable (9.1.2.1).
      if ((packed & ineligibleFlags) !== 0) continue;
      const cost = keys[base + KeyField.IgpCost]!;
      if (cost === Number.POSITIVE_INFINITY) continue;
      const peer = peers[paths[path * stride + peerField]!]!;
      const localPref = (packed & hasLocalPref) !== 0 ? keys[base + KeyField.LocalPref]! : this.defaultLocalPreference;
      const asPathLength = keys[base + KeyField.AsPathLength]!;
      const origin = (packed >>> 8) & 3;
      const rank = decision.rankOf(localPref, peer.locallyOriginated, asPathLength, origin);
      if (rank > lowest) continue;
      if (rank < lowest) {
        lowest = rank;
        count = 0;
      }
      if (count === candidates.path.length) candidates.ensureCapacity(count + 1);
      candidates.path[count] = path;
      candidates.attributes[count] = attributes;
      candidates.localPref[count] = localPref;
      candidates.locallyOriginated[count] = peer.locallyOriginated;
      candidates.asPathLength[count] = asPathLength;
      candidates.origin[count] = origin;
      candidates.med[count] = (packed & hasMed) !== 0 ? keys[base + KeyField.Med]! : this.missingMed;
      candidates.neighborAs[count] = keys[base + KeyField.NeighborAs]!;
      candidates.internal[count] = peer.internal;
      candidates.igpCost[count] = cost;
      candidates.routerId[count] =
        (packed & hasOriginatorId) !== 0 ? keys[base + KeyField.OriginatorId]! : peer.routerId;
      candidates.clusterListLength[count] = packed >>> 10;
      candidates.peerAddressRank[count] = peer.addressRank;
      candidates.peerId[count] = peer.id;
      count++;
    }
    candidates.count = count;
    if (this.selection.length < count) this.selection = new Int32Array(count * 2);
    const selected = decision.select(candidates, this.selection, this.sameAsPath);
    const newBest = selected > 0 ? candidates.path[this.selection[0]!]! : -1;
    const oldBest = slots.state[stateBase + bestField]!;
    let changed = memberChanged || newBest !== oldBest || selected !== slots.state[stateBase + multipathCountField];
    if (!changed && selected > 1) {
      let path = slots.state[stateBase + firstPathField]!;
      for (let index = 0; index < selected; index++) {
        if (path !== candidates.path[this.selection[index]!]) {
          changed = true;
          break;
        }
        path = paths[path * stride + nextField]!;
      }
    }
    if (!changed) return;
    if (this.multipath && selected > 0) this.moveToFront(slot, selected);
    slots.bestRank[slot] = lowest;
    this.publishBest(slot, oldBest, newBest, selected);
  }

  /**
   * Records a new outcome of the decision for a slot (best path, multipath count; the caller has set the best rank and
   * ordered the list) and passes it on: version, route cache, FIB queue, change streams, Adj-RIBs-Out.
   */
  private publishBest(slot: number, oldBest: number, newBest: number, selected: number): void {
    const slots = this.slots;
    slots.state[slot * stateStride + bestField] = newBest;
    slots.state[slot * stateStride + multipathCountField] = selected;
    slots.version[slot] = (slots.version[slot]! + 1) >>> 0;
    const cache = this.routeCache;
    if (slot < cache.length && cache[slot] !== undefined) {
      cache[slot] = undefined;
      // IPv4 lookups may hold the old route object beside the FIB entries (only a cached one was handed out there)
      if (slots.familyOf(slot) === 4) this.queueStaleRoute(slot);
    }
    if (oldBest < 0 !== newBest < 0) {
      this.bestCount += newBest >= 0 ? 1 : -1;
      this.queueFibUpdate(slot);
    }
    const streams = this.streams;
    for (let index = 0; index < streams.length; index++) streams[index]!.mark(slot);
    const advertising = this.advertisingPeers;
    for (let index = 0; index < advertising.length; index++) this.updateExport(advertising[index]!, slot);
  }

  /** Relinks the prefix's list so the multipath set (in selection order) comes first. */
  private moveToFront(slot: number, selected: number): void {
    const slots = this.slots;
    let total = 0;
    for (
      let path = slots.state[slot * stateStride + firstPathField]!;
      path >= 0;
      path = this.paths[path * stride + nextField]!
    )
      total++;
    if (this.reorder.length < total) this.reorder = new Int32Array(total * 2);
    const order = this.reorder;
    for (let index = 0; index < selected; index++) order[index] = this.candidates.path[this.selection[index]!]!;
    let written = selected;
    for (
      let path = slots.state[slot * stateStride + firstPathField]!;
      path >= 0;
      path = this.paths[path * stride + nextField]!
    ) {
      let isSelected = false;
      for (let index = 0; index < selected; index++) {
        if (order[index] === path) {
          isSelected = true;
          break;
        }
      }
      if (!isSelected) order[written++] = path;
    }
    slots.state[slot * stateStride + firstPathField] = order[0]!;
    for (let index = 0; index < total; index++)
      this.paths[order[index]! * stride + nextField] = index + 1 < total ? order[index + 1]! : -1;
  }

  private queueFibUpdate(slot: number): void {
    if (slot >= this.fibState.length) {
      const grown = new Uint8Array(Math.max(this.slots.capacity, slot + 1));
      grown.set(this.fibState);
      this.fibState = grown;
    }
    const state = this.fibState[slot]!;
    if ((state & 2) !== 0) return;
    this.fibState[slot] = state | 2;
    if (this.fibQueued === this.fibQueue.length) this.fibQueue = growInt32(this.fibQueue, this.fibQueue.length * 2, 0);
    this.fibQueue[this.fibQueued++] = slot;
    this.lookupRoutes4 = noRoutes;
    this.lookupCache6 = noRoutes;
  }

  private queueStaleRoute(slot: number): void {
    const count = this.staleCount;
    if (count <= staleRoutesMax) {
      if (count === this.staleRoutes.length) this.staleRoutes = growInt32(this.staleRoutes, count * 2, 0);
      this.staleRoutes[count] = slot;
    }
    this.staleCount = count + 1;
    this.lookupRoutes4 = noRoutes;
  }

  /**
   * Brings the FIBs up to date with the Loc-RIB, and the route objects beside their entries (called by every lookup
   * while updates wait).
   */
  private flushFib(): void {
    const count = this.fibQueued;
    this.fibQueued = 0;
    const slots = this.slots;
    const installed = (this.fib4?.size ?? 0) + (this.fib6?.size ?? 0);
    const rebuilt = count > 4096 && count * 4 > installed;
    if (rebuilt) {
      this.rebuildFib();
    } else {
      for (let index = 0; index < count; index++) {
        const slot = this.fibQueue[index]!;
        const state = this.fibState[slot]! & 1;
        const wanted = slots.state[slot * stateStride + bestField]! >= 0 ? 1 : 0;
        if (state === 0 && wanted === 1) this.installInFib(slot);
        else if (state === 1 && wanted === 0) this.removeFromFib(slot);
        this.fibState[slot] = wanted;
      }
    }
    this.syncRoutesAt(rebuilt, count);
    if (this.fibQueue.length > 4096) this.fibQueue = new Int32Array(64);
    if (this.fib4 !== undefined) {
      this.lookupEntries4 = this.fib4.lookupArray;
      this.lookupRoutes4 = this.routesAt4;
    }
    if (this.fib6 !== undefined) {
      this.lookupEntries6 = this.fib6.lookupArray;
      this.lookupCache6 = this.routeCache;
    }
  }

  /**
   * Clears the route objects beside the FIB entries that the FIB updates just applied (the first `fibCount` of the FIB
   * queue) and the queued best-path changes may have made wrong: for each prefix, the entries on its path and under it
   * (see `visitPrefixArea`). A FIB that was rebuilt or moved, or more clearing than an eighth of the array, starts
   * the array over instead.
   */
  private syncRoutesAt(rebuilt: boolean, fibCount: number): void {
    const entries = this.fib4?.lookupArray;
    const staleCount = this.staleCount;
    this.staleCount = 0;
    let reset =
      rebuilt ||
      entries === undefined ||
      entries !== this.routesFor4 ||
      this.routesAt4.length === 0 ||
      staleCount > staleRoutesMax;
    if (!reset) {
      const slots = this.slots;
      this.routesBudget = this.routesAt4.length >>> 3;
      for (let index = 0; index < fibCount + staleCount; index++) {
        const slot = index < fibCount ? this.fibQueue[index]! : this.staleRoutes[index - fibCount]!;
        if (slots.familyOf(slot) !== 4) continue;
        this.fib4!.visitPrefixArea(slots.words[slots.wordBase(slot)]!, slots.lengthOf(slot), this.clearRoutes4);
        if (this.routesBudget < 0) {
          reset = true;
          break;
        }
      }
    }
    if (reset) {
      // kept when the FIB's size is unchanged (lookups will fill it again), else made at the next lookup's miss
      const length = entries?.length ?? 0;
      this.routesAt4 = this.routesAt4.length === length ? this.routesAt4.fill(undefined) : emptyRoutes();
      this.routesFor4 = entries;
    }
    if (this.staleRoutes.length > 4096) this.staleRoutes = new Int32Array(64);
  }

  /** Loads both FIBs from every prefix with a best path, in one pass each. */
  private rebuildFib(): void {
    const slots = this.slots;
    let ipv4 = 0;
    let ipv6 = 0;
    for (let slot = 0; slot < slots.count; slot++) {
      if (slots.state[slot * stateStride + bestField]! < 0) continue;
      if (slots.familyOf(slot) === 4) ipv4++;
      else ipv6++;
    }
    const words4 = new Uint32Array(ipv4);
    const lengths4 = new Uint8Array(ipv4);
    const values4 = new Uint32Array(ipv4);
    const words6 = new Uint32Array(ipv6 * 4);
    const lengths6 = new Uint8Array(ipv6);
    const values6 = new Uint32Array(ipv6);
    let at4 = 0;
    let at6 = 0;
    for (let slot = 0; slot < slots.count; slot++) {
      const installed = slots.state[slot * stateStride + bestField]! >= 0 ? 1 : 0;
      this.fibState[slot] = installed;
      if (installed === 0) continue;
      const base = slots.wordBase(slot);
      if (slots.familyOf(slot) === 4) {
        words4[at4] = slots.words[base]!;
        lengths4[at4] = slots.lengthOf(slot);
        values4[at4++] = slot;
      } else {
        words6.set(slots.words.subarray(base, base + 4), at6 * 4);
        lengths6[at6] = slots.lengthOf(slot);
        values6[at6++] = slot;
      }
    }
    if (ipv4 > 0 || this.fib4 !== undefined) {
      this.fib4 ??= new Ipv4Fib();
      this.fib4.load(words4, lengths4, values4);
    }
    if (ipv6 > 0 || this.fib6 !== undefined) {
      this.fib6 ??= new Ipv6Fib();
      this.fib6.load(words6, lengths6, values6);
    }
  }

  private installInFib(slot: number): void {
    const slots = this.slots;
    const base = slots.wordBase(slot);
    if (slots.familyOf(slot) === 4) {
      this.fib4 ??= new Ipv4Fib();
      this.fib4.set(slots.words[base]!, slots.lengthOf(slot), slot);
    } else {
      const words = this.fibWords;
      words[0] = slots.words[base]!;
      words[1] = slots.words[base + 1]!;
      words[2] = slots.words[base + 2]!;
      words[3] = slots.words[base + 3]!;
      this.fib6 ??= new Ipv6Fib();
      this.fib6.set(words, slots.lengthOf(slot), slot);
    }
  }

  private removeFromFib(slot: number): void {
    const slots = this.slots;
    const base = slots.wordBase(slot);
    if (slots.familyOf(slot) === 4) {
      this.fib4?.delete(slots.words[base]!, slots.lengthOf(slot));
    } else {
      const words = this.fibWords;
      words[0] = slots.words[base]!;
      words[1] = slots.words[base + 1]!;
      words[2] = slots.words[base + 2]!;
      words[3] = slots.words[base + 3]!;
      this.fib6?.delete(words, slots.lengthOf(slot));
    }
  }

  /**
   * Recomputes one peer's Adj-RIB-Out entry for a prefix: RFC 4271 9.2 (no iBGP-learned route to an iBGP peer), RFC
   * 4456 8 (reflection to and from clients), never back to the peer it came from; then the export policy.
   */
  private updateExport(peer: PeerState, slot: number): void {
    if (slot >= peer.exported.length) {
      peer.exported = growInt32(peer.exported, Math.max(this.slots.capacity, slot + 1), -1);
    }
    const pool = this.attributeSets;
    const best = this.slots.state[slot * stateStride + bestField]!;
    let exported = -1;
    if (best >= 0) {
      const from = this.peers[this.paths[best * stride + peerField]!]!;
      let allowed = from.id !== peer.id;
      if (allowed && from.type === 'ibgp' && peer.type === 'ibgp') {
        allowed = from.routeReflectorClient || peer.routeReflectorClient;
      }
      if (allowed) {
        const route = this.bestRouteOfSlot(slot)!;
        const result = this.exportPolicy === undefined ? route : this.exportPolicy(route, peer.toPeer());
        if (result !== undefined) exported = pool.acquire(result.attributes);
      }
    }
    const previous = peer.exported[slot]!;
    if (previous === exported) {
      if (exported >= 0) pool.release(exported);
      return;
    }
    peer.exported[slot] = exported;
    if (previous >= 0) {
      pool.release(previous);
      peer.exportedCount--;
    }
    if (exported >= 0) peer.exportedCount++;
  }

  private routeOfPath(path: number): BgpRoute {
    const peer = this.peers[this.paths[path * stride + peerField]!]!;
    const source: PathSource = {
      peerId: peer.id,
      peerType: peer.type,
      peerAddress: peer.address,
      peerRouterId: peer.routerId,
      peerAs: peer.asn,
      receivedTime: this.pathReceived[path]!,
    };
    return new BgpRoute(
      this.slots.prefix(this.paths[path * stride + prefixField]!),
      this.attributeSets.get(this.paths[path * stride + attributesField]!),
      undefined,
      undefined,
      source,
    );
  }

  private bestRouteOfSlot(slot: number): BgpRoute | undefined {
    const cached = this.routeCache[slot];
    if (cached !== undefined) return cached;
    const best = this.slots.state[slot * stateStride + bestField]!;
    if (best < 0) return undefined;
    const route = this.routeOfPath(best);
    if (slot >= this.routeCache.length) {
      // Grow the cache to the slot capacity in one step so it stays one dense backing store.
      const capacity = this.slots.capacity;
      for (let index = this.routeCache.length; index < capacity; index++) this.routeCache.push(undefined);
    }
    this.routeCache[slot] = route;
    return route;
  }

  private multipathOfSlot(slot: number): readonly BgpRoute[] {
    const best = this.slots.state[slot * stateStride + bestField]!;
    if (best < 0) return [];
    const routes: BgpRoute[] = [this.bestRouteOfSlot(slot)!];
    if (!this.multipath) return routes;
    const count = this.slots.state[slot * stateStride + multipathCountField]!;
    let path = this.slots.state[slot * stateStride + firstPathField]!;
    for (let index = 0; index < count && path >= 0; index++, path = this.paths[path * stride + nextField]!) {
      if (path !== best) routes.push(this.routeOfPath(path));
    }
    return routes;
  }

  private advertisedRouteOfSlot(peer: PeerState, slot: number): BgpRoute | undefined {
    const attributes = peer.exported[slot];
    if (attributes === undefined || attributes < 0) return undefined;
    const best = this.bestRouteOfSlot(slot);
    return new BgpRoute(
      this.slots.prefix(slot),
      this.attributeSets.get(attributes),
      undefined,
      undefined,
      best?.source,
    );
  }
}

/**
 * The Loc-RIB (RFC 4271 3.2): the best route of each prefix, as a read-only view of a {@link Rib}.
 *
 * @example
 * rib.locRib.get('10.0.0.0/24')?.nextHop;
 * for (const route of rib.locRib) console.log(String(route.prefix));
 */
export class LocRib implements Iterable<BgpRoute> {
  private readonly rib: Rib;

  constructor(rib: Rib) {
    this.rib = rib;
  }

  /** Prefixes with a best route. */
  get size(): number {
    return this.rib.size;
  }

  /** The best route to exactly `prefix`, or undefined. */
  get(prefix: Prefix | string): BgpRoute | undefined {
    return this.rib.getBest(prefix);
  }

  /** The multipath set to exactly `prefix`, best first. */
  multipath(prefix: Prefix | string): readonly BgpRoute[] {
    return this.rib.getMultipath(prefix);
  }

  [Symbol.iterator](): Iterator<BgpRoute> {
    return this.rib.bestRoutes();
  }
}

/**
 * One peer's Adj-RIB-In (RFC 4271 3.2): the paths it sent, unprocessed by the decision, as a read-only view.
 *
 * @example
 * const received = rib.adjRibIn(peer.id);
 * received.size; received.get('10.0.0.0/24');
 */
export class AdjRibIn implements Iterable<BgpRoute> {
  private readonly rib: Rib;
  /** The peer id. */
  readonly peerId: number;

  constructor(rib: Rib, peerId: number) {
    this.rib = rib;
    this.peerId = peerId;
  }

  /** Paths held from this peer. */
  get size(): number {
    return this.rib.peerPathCount(this.peerId);
  }

  /** The peer's path to exactly `prefix`, or undefined. */
  get(prefix: Prefix | string): BgpRoute | undefined {
    return this.rib.getReceived(prefix, this.peerId);
  }

  [Symbol.iterator](): Iterator<BgpRoute> {
    return this.rib.receivedRoutes(this.peerId);
  }
}

/**
 * One peer's Adj-RIB-Out (RFC 4271 3.2): what we advertise to it after the default rules and the export policy.
 * Kept only for peers added with `advertise: true`.
 *
 * @example
 * rib.adjRibOut(peer.id).get('10.0.0.0/24')?.attributes.localPref;
 */
export class AdjRibOut implements Iterable<BgpRoute> {
  private readonly rib: Rib;
  /** The peer id. */
  readonly peerId: number;

  constructor(rib: Rib, peerId: number) {
    this.rib = rib;
    this.peerId = peerId;
  }

  /** Routes advertised to this peer. */
  get size(): number {
    return this.rib.peerAdvertisedCount(this.peerId);
  }

  /** The route advertised for exactly `prefix`, or undefined. */
  get(prefix: Prefix | string): BgpRoute | undefined {
    return this.rib.getAdvertised(prefix, this.peerId);
  }

  [Symbol.iterator](): Iterator<BgpRoute> {
    return this.rib.advertisedRoutes(this.peerId);
  }
}
