/**
 * The eligible paths of one prefix, with every value the decision process compares, laid out as parallel typed arrays
 * (filled by the RIB, reused across prefixes so a decision allocates nothing).
 */
export class Candidates {
  /** Number of candidates filled in. */
  count = 0;
  /** Caller's path id per candidate (opaque to the decision). */
  path: Int32Array;
  /** Effective LOCAL_PREF (the default applied). */
  localPref: Float64Array;
  /** 1 for a locally originated path. */
  locallyOriginated: Uint8Array;
  /** AS_PATH length for selection. */
  asPathLength: Float64Array;
  /** ORIGIN (0 IGP, 1 EGP, 2 INCOMPLETE). */
  origin: Uint8Array;
  /** Effective MED (missing as 0 or 2^32-1). */
  med: Float64Array;
  /** Neighbouring AS (0 for none). */
  neighborAs: Float64Array;
  /** 1 when learned over iBGP (0 for eBGP and local). */
  internal: Uint8Array;
  /** IGP cost to the next hop. */
  igpCost: Float64Array;
  /** ORIGINATOR_ID when present, else the peer's BGP Identifier. */
  routerId: Float64Array;
  /** CLUSTER_LIST length. */
  clusterListLength: Float64Array;
  /** The peer's address as a rank among all peers' addresses (lower address, lower rank). */
  peerAddressRank: Float64Array;
  /** The peer id: the last tie-breaker, so the result is a total order. */
  peerId: Float64Array;
  /** Attribute-set id, for the AS_PATH equality multipath needs. */
  attributes: Int32Array;
  /** Scratch of the decision: the steps before MED folded into one number, lower preferred. */
  rank: Float64Array;
  /** Scratch of the decision: cluster-list length and peer-address rank folded into one number, lower preferred. */
  tieBreak: Float64Array;

  constructor(capacity = 16) {
    this.path = new Int32Array(capacity);
    this.localPref = new Float64Array(capacity);
    this.locallyOriginated = new Uint8Array(capacity);
    this.asPathLength = new Float64Array(capacity);
    this.origin = new Uint8Array(capacity);
    this.med = new Float64Array(capacity);
    this.neighborAs = new Float64Array(capacity);
    this.internal = new Uint8Array(capacity);
    this.igpCost = new Float64Array(capacity);
    this.routerId = new Float64Array(capacity);
    this.clusterListLength = new Float64Array(capacity);
    this.peerAddressRank = new Float64Array(capacity);
    this.peerId = new Float64Array(capacity);
    this.attributes = new Int32Array(capacity);
    this.rank = new Float64Array(capacity);
    this.tieBreak = new Float64Array(capacity);
  }

  /** Room for this many candidates (existing ones kept). */
  ensureCapacity(capacity: number): void {
    if (capacity <= this.path.length) return;
    let size = this.path.length * 2;
    while (size < capacity) size *= 2;
    const copy = <T extends Int32Array | Float64Array | Uint8Array>(array: T, make: (n: number) => T): T => {
      const grown = make(size);
      grown.set(array);
      return grown;
    };
    this.path = copy(this.path, (n) => new Int32Array(n));
    this.localPref = copy(this.localPref, (n) => new Float64Array(n));
    this.locallyOriginated = copy(this.locallyOriginated, (n) => new Uint8Array(n));
    this.asPathLength = copy(this.asPathLength, (n) => new Float64Array(n));
    this.origin = copy(this.origin, (n) => new Uint8Array(n));
    this.med = copy(this.med, (n) => new Float64Array(n));
    this.neighborAs = copy(this.neighborAs, (n) => new Float64Array(n));
    this.internal = copy(this.internal, (n) => new Uint8Array(n));
    this.igpCost = copy(this.igpCost, (n) => new Float64Array(n));
    this.routerId = copy(this.routerId, (n) => new Float64Array(n));
    this.clusterListLength = copy(this.clusterListLength, (n) => new Float64Array(n));
    this.peerAddressRank = copy(this.peerAddressRank, (n) => new Float64Array(n));
    this.peerId = copy(this.peerId, (n) => new Float64Array(n));
    this.attributes = copy(this.attributes, (n) => new Int32Array(n));
    this.rank = copy(this.rank, (n) => new Float64Array(n));
    this.tieBreak = copy(this.tieBreak, (n) => new Float64Array(n));
  }
}
