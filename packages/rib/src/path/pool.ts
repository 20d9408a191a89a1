import { CapacityError } from '../errors';
import type { AttributeSet } from './attributes';

/** Flag bits kept per interned attribute set (see {@link AttributeSetPool.flags}). */
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

/**
 * Hash-consing of {@link AttributeSet}s: equal sets get one id and one shared object, reference-counted by the paths
 * that use them, freed (and the id reused) when the last path goes. The decision process reads the fields it compares
 * from typed arrays indexed by id, so it touches no objects in its loop.
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
  /** LOCAL_PREF per id (valid when {@link AttributeFlag.HasLocalPref}). */
  localPref: Uint32Array;
  /** MULTI_EXIT_DISC per id (valid when {@link AttributeFlag.HasMed}). */
  med: Uint32Array;
  /** ORIGIN per id. */
  origin: Uint8Array;
  /** AS_PATH length for selection per id. */
  asPathLength: Uint32Array;
  /** Neighbouring AS per id (0 for none). */
  neighborAs: Uint32Array;
  /** ORIGINATOR_ID per id (valid when {@link AttributeFlag.HasOriginatorId}). */
  originatorId: Uint32Array;
  /** CLUSTER_LIST length per id. */
  clusterListLength: Uint32Array;
  /** {@link AttributeFlag} bits per id. */
  flags: Uint8Array;
  /** IGP cost to the next hop per id, cached from the resolver: NaN not resolved yet, Infinity unreachable. */
  igpCost: Float64Array;
  /** Paths using each id. */
  references: Uint32Array;

  private bucketHeads: Int32Array;
  private nextInBucket: Int32Array;
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
    this.localPref = new Uint32Array(capacity);
    this.med = new Uint32Array(capacity);
    this.origin = new Uint8Array(capacity);
    this.asPathLength = new Uint32Array(capacity);
    this.neighborAs = new Uint32Array(capacity);
    this.originatorId = new Uint32Array(capacity);
    this.clusterListLength = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.igpCost = new Float64Array(capacity);
    this.references = new Uint32Array(capacity);
    this.nextInBucket = new Int32Array(capacity);
    this.bucketHeads = new Int32Array(capacity).fill(-1);
  }

  /** Number of distinct attribute sets held. */
  get size(): number {
    return this.liveCount;
  }

  /**
   * Returns the id of the set equal to `set`, interning it when new, and counts one more reference to it.
   *
   * @throws {@link CapacityError} beyond 2^31-1 distinct sets
   */
  acquire(set: AttributeSet): number {
    let id = -1;
    if (set.internedBy === this && this.sets[set.internedId] === set) {
      id = set.internedId;
    } else {
      const bucket = set.hash & (this.bucketHeads.length - 1);
      for (let candidate = this.bucketHeads[bucket]!; candidate >= 0; candidate = this.nextInBucket[candidate]!) {
        const existing = this.sets[candidate]!;
        if (existing.equals(set)) {
          id = candidate;
          break;
        }
      }
      if (id < 0) id = this.insert(set);
    }
    this.references[id]!++;
    return id;
  }

  /** Counts one reference less to `id`; the set is dropped when none is left. */
  release(id: number): void {
    const remaining = --this.references[id]!;
    if (remaining > 0) return;
    const set = this.sets[id]!;
    const bucket = set.hash & (this.bucketHeads.length - 1);
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
    return (
      this.localPref.byteLength +
      this.med.byteLength +
      this.origin.byteLength +
      this.asPathLength.byteLength +
      this.neighborAs.byteLength +
      this.originatorId.byteLength +
      this.clusterListLength.byteLength +
      this.flags.byteLength +
      this.igpCost.byteLength +
      this.references.byteLength +
      this.bucketHeads.byteLength +
      this.nextInBucket.byteLength
    );
  }

  /** The interned set of an id. */
  get(id: number): AttributeSet {
    return this.sets[id]!;
  }

  /** Forgets every cached IGP cost, so the next decision asks the resolver again. */
  forgetIgpCosts(): void {
    this.igpCost.fill(Number.NaN);
  }

  private insert(set: AttributeSet): number {
    let id: number;
    if (this.freeIds.length > 0) {
      id = this.freeIds.pop()!;
    } else {
      id = this.sets.length;
      if (id >= maximumSets) throw new CapacityError('attribute sets', maximumSets);
      if (id >= this.flags.length) this.grow(id + 1);
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
    this.flags[id] = flags;
    this.localPref[id] = set.localPref ?? 0;
    this.med[id] = set.med ?? 0;
    this.origin[id] = set.origin;
    this.asPathLength[id] = set.asPathLength;
    this.neighborAs[id] = set.neighborAs;
    this.originatorId[id] = set.originatorId ?? 0;
    this.clusterListLength[id] = set.clusterList.length;
    this.igpCost[id] = Number.NaN;
    this.references[id] = 0;
    const bucket = set.hash & (this.bucketHeads.length - 1);
    this.nextInBucket[id] = this.bucketHeads[bucket]!;
    this.bucketHeads[bucket] = id;
    this.liveCount++;
    return id;
  }

  private grow(minimum: number): void {
    let capacity = this.flags.length;
    while (capacity < minimum) capacity *= 2;
    this.localPref = growUint32(this.localPref, capacity);
    this.med = growUint32(this.med, capacity);
    this.origin = growUint8(this.origin, capacity);
    this.asPathLength = growUint32(this.asPathLength, capacity);
    this.neighborAs = growUint32(this.neighborAs, capacity);
    this.originatorId = growUint32(this.originatorId, capacity);
    this.clusterListLength = growUint32(this.clusterListLength, capacity);
    this.flags = growUint8(this.flags, capacity);
    const costs = new Float64Array(capacity);
    costs.set(this.igpCost);
    this.igpCost = costs;
    this.references = growUint32(this.references, capacity);
    // Rehash into as many buckets as ids (load factor at most 1).
    const next = new Int32Array(capacity);
    const heads = new Int32Array(capacity).fill(-1);
    for (let id = 0; id < this.sets.length; id++) {
      const set = this.sets[id];
      if (set === undefined) continue;
      const bucket = set.hash & (capacity - 1);
      next[id] = heads[bucket]!;
      heads[bucket] = id;
    }
    this.nextInBucket = next;
    this.bucketHeads = heads;
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
