import { CapacityError } from '../errors';
import type { AttributeSet } from './attributes';

/** Flag bits kept per interned attribute set (see {@link AttributeSetPool.flagsOf}). */
export const AttributeFlag: {
  readonly HasMed: 1;
  readonly HasLocalPref: 2;
  readonly HasOriginatorId: 4;
  readonly AsLoop: 8;
  readonly ClusterLoop: 16;
  readonly OriginatorIsSelf: 32;
} = {
  HasMed: 1,
  HasLocalPref: 2,
  HasOriginatorId: 4,
  /** The AS_PATH contains the local AS (RFC 4271 9.1.2 / 9.1.3: such a route is not eligible). */
  AsLoop: 8,
  /** The CLUSTER_LIST contains our cluster id (RFC 4456 8: ignore the route). */
  ClusterLoop: 16,
  /** The ORIGINATOR_ID is our own router id (RFC 4456 8: ignore the route). */
  OriginatorIsSelf: 32,
};

const maximumSets = 0x7fffffff;
/** CLUSTER_LIST lengths above this are stored (and compared) as this. */
const maximumPackedClusterListLength = 0xfffff;

/** Numbers per attribute-set id in {@link AttributeSetPool.keys}. */
export const keyStride = 8;

/**
 * Offsets of the fields of one id in {@link AttributeSetPool.keys}. `Packed` holds the {@link AttributeFlag} bits
 * (bits 0-7), ORIGIN (bits 8-9) and the CLUSTER_LIST length (bits 10-29).
 */
export const KeyField: {
  readonly LocalPref: 0;
  readonly Med: 1;
  readonly AsPathLength: 2;
  readonly NeighborAs: 3;
  readonly OriginatorId: 4;
  readonly References: 5;
  readonly IgpCost: 6;
  readonly Packed: 7;
} = {
  LocalPref: 0,
  Med: 1,
  AsPathLength: 2,
  NeighborAs: 3,
  OriginatorId: 4,
  References: 5,
  IgpCost: 6,
  Packed: 7,
};

/**
 * Hash-consing of {@link AttributeSet}s: equal sets get one id and one shared object, reference-counted by the paths
 * that use them, freed (and the id reused) when the last path goes. The decision process reads the fields it compares
 * from one typed array indexed by id (a cache line per set), so it touches no objects in its loop.
 *
 * @example
 * const pool = new AttributeSetPool({ localAs: 65000, routerId: 1, clusterId: 1 });
 * const a = pool.acquire(AttributeSet.create({ nextHop: '192.0.2.1', asPath: [65001] }));
 * const b = pool.acquire(AttributeSet.create({ nextHop: '192.0.2.1', asPath: [65001] }));
 * a === b; // true: one shared set
 */
export class AttributeSetPool {
  /** The interned objects by id (`undefined` for a free id). */
  readonly sets: (AttributeSet | undefined)[] = [];
  /**
   * The fields the decision process reads, {@link keyStride} numbers per id side by side (one cache line per set):
   * see {@link KeyField}. LOCAL_PREF, MED and ORIGINATOR_ID are valid only when their {@link AttributeFlag} is set.
   */
  keys: Float64Array;

  private bucketHeads: Int32Array;
  private nextInBucket: Int32Array;
  /**
   * The structural hash of each id, beside the chain links: a lookup compares hashes before it touches a set object,
   * and growing rehashes without reading every object (each read a cache miss on a large pool).
   */
  private hashes: Int32Array;
  private freeIds: number[] = [];
  private liveCount = 0;
  private readonly localAs: number;
  private readonly routerId: number;
  private readonly clusterId: number;

  constructor(context: { localAs: number; routerId: number; clusterId: number }, initialCapacity = 1024) {
    this.localAs = context.localAs;
    this.routerId = context.routerId;
    this.clusterId = context.clusterId;
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.keys = new Float64Array(capacity * keyStride);
    this.nextInBucket = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.bucketHeads = new Int32Array(capacity).fill(-1);
  }

  /** Number of distinct attribute sets held. */
  get size(): number {
    return this.liveCount;
  }

  /** {@link AttributeFlag} bits of an id. */
  flagsOf(id: number): number {
    return this.keys[id * keyStride + KeyField.Packed]! & 0xff;
  }

  /** Paths (and Adj-RIB-Out entries) using an id. */
  referencesOf(id: number): number {
    return this.keys[id * keyStride + KeyField.References]!;
  }

  /** The cached IGP cost of an id's next hop: NaN when not resolved yet, Infinity when unreachable. */
  igpCostOf(id: number): number {
    return this.keys[id * keyStride + KeyField.IgpCost]!;
  }

  /** Records the IGP cost of an id's next hop (Infinity: unreachable). */
  setIgpCost(id: number, cost: number): void {
    this.keys[id * keyStride + KeyField.IgpCost] = cost;
  }

  /**
   * Returns the id of the set equal to `set`, interning it when new, and counts one more reference to it.
   *
   * @throws {@link CapacityError} beyond 2^31-1 distinct sets
   */
  acquire(set: AttributeSet): number {
    let id = -1;
    if (set.internedBy === this) {
      // Only the canonical object of a live id points at this pool: release() clears it when the id is freed.
      id = set.internedId;
    } else {
      const hash = set.hash | 0;
      const bucket = hash & (this.bucketHeads.length - 1);
      for (let candidate = this.bucketHeads[bucket]!; candidate >= 0; candidate = this.nextInBucket[candidate]!) {
        if (this.hashes[candidate] === hash && this.sets[candidate]!.equals(set)) {
          id = candidate;
          break;
        }
      }
      if (id < 0) id = this.insert(set);
    }
    this.keys[id * keyStride + KeyField.References]!++;
    return id;
  }

  /** Counts one reference less to `id`; the set is dropped when none is left. */
  release(id: number): void {
    const remaining = --this.keys[id * keyStride + KeyField.References]!;
    if (remaining > 0) return;
    const set = this.sets[id]!;
    const bucket = this.hashes[id]! & (this.bucketHeads.length - 1);
    let previous = -1;
    for (let candidate = this.bucketHeads[bucket]!; candidate >= 0; candidate = this.nextInBucket[candidate]!) {
      if (candidate === id) {
        if (previous < 0) this.bucketHeads[bucket] = this.nextInBucket[id]!;
        else this.nextInBucket[previous] = this.nextInBucket[id]!;
        break;
      }
      previous = candidate;
    }
    if (set.internedBy === this) set.internedBy = undefined;
    this.sets[id] = undefined;
    this.freeIds.push(id);
    this.liveCount--;
  }

  /** Bytes of typed arrays held by the pool (the per-id fields and the hash index), not the set objects. */
  memoryBytes(): number {
    return this.keys.byteLength + this.bucketHeads.byteLength + this.nextInBucket.byteLength + this.hashes.byteLength;
  }

  /** The interned set of an id. */
  get(id: number): AttributeSet {
    return this.sets[id]!;
  }

  /** Forgets every cached IGP cost, so the next decision asks the resolver again. */
  forgetIgpCosts(): void {
    for (let at = KeyField.IgpCost; at < this.keys.length; at += keyStride) this.keys[at] = Number.NaN;
  }

  private insert(set: AttributeSet): number {
    let id: number;
    if (this.freeIds.length > 0) {
      id = this.freeIds.pop()!;
    } else {
      id = this.sets.length;
      if (id >= maximumSets) throw new CapacityError('attribute sets', maximumSets);
      if (id >= this.nextInBucket.length) this.grow(id + 1);
      this.sets.push(undefined);
    }
    this.sets[id] = set;
    set.internedBy = this;
    set.internedId = id;
    let flags = 0;
    if (set.med !== undefined) flags |= AttributeFlag.HasMed;
    if (set.localPref !== undefined) flags |= AttributeFlag.HasLocalPref;
    if (set.originatorId !== undefined) {
      flags |= AttributeFlag.HasOriginatorId;
      if (set.originatorId === this.routerId) flags |= AttributeFlag.OriginatorIsSelf;
    }
    if (set.containsAs(this.localAs)) flags |= AttributeFlag.AsLoop;
    if (set.clusterList.includes(this.clusterId)) flags |= AttributeFlag.ClusterLoop;
    const base = id * keyStride;
    const keys = this.keys;
    keys[base + KeyField.LocalPref] = set.localPref ?? 0;
    keys[base + KeyField.Med] = set.med ?? 0;
    keys[base + KeyField.AsPathLength] = set.asPathLength;
    keys[base + KeyField.NeighborAs] = set.neighborAs;
    keys[base + KeyField.OriginatorId] = set.originatorId ?? 0;
    keys[base + KeyField.References] = 0;
    keys[base + KeyField.IgpCost] = Number.NaN;
    keys[base + KeyField.Packed] =
      flags | (set.origin << 8) | (Math.min(set.clusterList.length, maximumPackedClusterListLength) << 10);
    const hash = set.hash | 0;
    const bucket = hash & (this.bucketHeads.length - 1);
    this.hashes[id] = hash;
    this.nextInBucket[id] = this.bucketHeads[bucket]!;
    this.bucketHeads[bucket] = id;
    this.liveCount++;
    return id;
  }

  private grow(minimum: number): void {
    let capacity = this.nextInBucket.length;
    while (capacity < minimum) capacity *= 2;
    const keys = new Float64Array(capacity * keyStride);
    keys.set(this.keys);
    this.keys = keys;
    // Rehash into as many buckets as ids (load factor at most 1).
    const next = new Int32Array(capacity);
    const heads = new Int32Array(capacity).fill(-1);
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    for (let id = 0; id < this.sets.length; id++) {
      if (this.sets[id] === undefined) continue;
      const bucket = hashes[id]! & (capacity - 1);
      next[id] = heads[bucket]!;
      heads[bucket] = id;
    }
    this.nextInBucket = next;
    this.bucketHeads = heads;
    this.hashes = hashes;
  }
}

/** A copy of `array` in a larger Uint32Array. */
export function growUint32(array: Uint32Array, capacity: number): Uint32Array {
  const grown = new Uint32Array(capacity);
  grown.set(array);
  return grown;
}

/** A copy of `array` in a larger Uint8Array. */
export function growUint8(array: Uint8Array, capacity: number): Uint8Array {
  const grown = new Uint8Array(capacity);
  grown.set(array);
  return grown;
}

/** A copy of `array` in a larger Int32Array, new entries set to `fill`. */
export function growInt32(array: Int32Array, capacity: number, fill = -1): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}
