import { type IpAddress } from '../address/ip';
import { type PeerType } from '../path/route';

/** How to add a peer to a {@link Rib}. */
export interface PeerOptions {
  /** The peer id (1-65535); default the lowest free one. Id 0 is the RIB itself (locally originated routes). */
  readonly id?: number;
  /** The peer's transport address (text or {@link IpAddress}); the last tie-breaker of RFC 4271 9.1.2.2 (g). */
  readonly address: IpAddress | string;
  /** The peer's AS number. */
  readonly asn: number;
  /** The peer's BGP Identifier: a uint32 or dotted-quad text. */
  readonly routerId: number | string;
  /** eBGP or iBGP; default iBGP when `asn` is the RIB's local AS, else eBGP. */
  readonly type?: 'ebgp' | 'ibgp';
  /** The peer is a route-reflector client of ours (RFC 4456): reflect iBGP routes to it and from it. Default false. */
  readonly routeReflectorClient?: boolean;
  /** Keep an Adj-RIB-Out for this peer (routes we would advertise to it). Default false. */
  readonly advertise?: boolean;
}

/** A peer as the RIB knows it. */
export interface Peer {
  /** The peer id (0 for the RIB itself). */
  readonly id: number;
  /** eBGP, iBGP, or local (id 0). */
  readonly type: PeerType;
  /** Transport address. */
  readonly address: IpAddress;
  /** AS number. */
  readonly asn: number;
  /** BGP Identifier as a uint32. */
  readonly routerId: number;
  /** RFC 4456 route-reflector client. */
  readonly routeReflectorClient: boolean;
  /** Whether an Adj-RIB-Out is kept. */
  readonly advertise: boolean;
}

/** Per-peer state inside the RIB. @internal */
export class PeerState implements Peer {
  readonly id: number;
  readonly type: PeerType;
  readonly address: IpAddress;
  readonly asn: number;
  readonly routerId: number;
  readonly routeReflectorClient: boolean;
  readonly advertise: boolean;
  /** Rank of the address among all peers (lower address, lower rank). */
  addressRank = 0;
  /** Head of this peer's path list (Adj-RIB-In), or -1. */
  firstPath = -1;
  /** Paths in this peer's Adj-RIB-In. */
  pathCount = 0;
  /** Adj-RIB-Out: exported attribute-set id per prefix slot, -1 for none; empty unless `advertise`. */
  exported: Int32Array;
  /** Prefixes in the Adj-RIB-Out. */
  exportedCount = 0;
  /** The prefix slot of this peer's last added path (-1: none): the next one is tried first (see PrefixSlots). */
  lastSlot = -1;
  /** 1 for the RIB itself (locally originated paths), else 0: read as a number by the decision's hot loop. */
  readonly locallyOriginated: number;
  /** 1 for an iBGP peer, else 0 (RFC 4271 9.1.2.2 (d)). */
  readonly internal: number;

  constructor(peer: Peer) {
    this.id = peer.id;
    this.type = peer.type;
    this.address = peer.address;
    this.asn = peer.asn;
    this.routerId = peer.routerId;
    this.routeReflectorClient = peer.routeReflectorClient;
    this.advertise = peer.advertise;
    this.exported = new Int32Array(0);
    this.locallyOriginated = peer.type === 'local' ? 1 : 0;
    this.internal = peer.type === 'ibgp' ? 1 : 0;
  }

  /** A plain, frozen copy for users. */
  toPeer(): Peer {
    return Object.freeze({
      id: this.id,
      type: this.type,
      address: this.address,
      asn: this.asn,
      routerId: this.routerId,
      routeReflectorClient: this.routeReflectorClient,
      advertise: this.advertise,
    });
  }
}
