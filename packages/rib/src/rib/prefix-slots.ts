import { Prefix } from '../address/prefix';
import { CapacityError } from '../errors';
import { growUint32 } from '../path/pool';

const maximumSlots = 0x7ffffffe;
const wordStride = 5;
/** Int32 fields per slot in {@link PrefixSlots.state}. */
export const stateStride = 4;
/** Offset of the head of the path list in a slot's state. */
export const firstPathField = 0;
/** Offset of the best path in a slot's state. */
export const bestField = 1;
/** Offset of the peer bits in a slot's state. */
export const peerBitsField = 2;
/** Offset of the multipath count in a slot's state. */
export const multipathCountField = 3;

/**
 * Prefixes by slot number, in typed arrays: the words and length of each prefix, an open-addressing hash index from
 * prefix to slot, and the per-prefix state of the Loc-RIB (first path, best path, multipath count, version). A slot,
 * once given to a prefix, stays with it (a withdrawn prefix keeps its slot, about 50 bytes, and gets it back when it is
 * announced again), so change streams and FIB values can name prefixes by slot safely.
 */
export class PrefixSlots {
  /** Number of slots handed out. */
  count = 0;
  /**
   * Five words per slot: the four address words (IPv4 in word 0) and `family << 8 | length`, side by side so the hash
   * lookup reads one cache line.
   */
  words: Uint32Array;
  /**
   * Four int32 per slot, read together on every update: head of the path list (-1 for none), the best path (-1 for
   * none), the peer bits (bit `peerId & 31` set when a path from such a peer may be in the list; clear: certainly
   * none) and the multipath count (how many paths at the head of the list form the multipath set).
   */
  state: Int32Array;
  /** Incremented whenever the best path or the multipath set changes. */
  version: Uint32Array;
  /** The decision's before-MED rank of the best path (+Infinity without one), to skip hopeless paths cheaply. */
  bestRank: Float64Array;

  private index: Int32Array;
  private mask: number;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.words = new Uint32Array(capacity * wordStride);
    this.state = new Int32Array(capacity * stateStride);
    for (let slot = 0; slot < capacity; slot++) {
      this.state[slot * stateStride + firstPathField] = -1;
      this.state[slot * stateStride + bestField] = -1;
    }
    this.version = new Uint32Array(capacity);
    this.bestRank = new Float64Array(capacity).fill(Number.POSITIVE_INFINITY);
    this.index = new Int32Array(capacity * 2).fill(-1);
    this.mask = capacity * 2 - 1;
  }

  /** Slots allocated (capacity of the per-slot arrays). */
  get capacity(): number {
    return this.version.length;
  }

  /** 4 or 6. */
  familyOf(slot: number): number {
    return this.words[slot * wordStride + 4]! >>> 8;
  }

  /** Prefix length in bits. */
  lengthOf(slot: number): number {
    return this.words[slot * wordStride + 4]! & 0xff;
  }

  /** Index of the slot's first address word in `words`. */
  wordBase(slot: number): number {
    return slot * wordStride;
  }

  /** The slot of a prefix, or -1. */
  find(family: number, w0: number, w1: number, w2: number, w3: number, length: number): number {
    const words = this.words;
    const meta = (family << 8) | length;
    let at = hashPrefix(family, w0, w1, w2, w3, length) & this.mask;
    for (;;) {
      const slot = this.index[at]!;
      if (slot < 0) return -1;
      const base = slot * wordStride;
      if (
        words[base] === w0 &&
        words[base + 4] === meta &&
        words[base + 1] === w1 &&
        words[base + 2] === w2 &&
        words[base + 3] === w3
      ) {
        return slot;
      }
      at = (at + 1) & this.mask;
    }
  }

  /** The slot of `prefix`, or -1. */
  findPrefix(prefix: Prefix): number {
    return this.find(prefix.family, prefix.w0, prefix.w1, prefix.w2, prefix.w3, prefix.length);
  }

  /**
   * The slot of `prefix`, given a new one when it has none.
   *
   * @throws {@link CapacityError} beyond 2^31-2 prefixes
   */
  findOrAdd(prefix: Prefix): number {
    const { family, w0, w1, w2, w3, length } = prefix;
    const existing = this.find(family, w0, w1, w2, w3, length);
    if (existing >= 0) return existing;
    const slot = this.count;
    if (slot >= maximumSlots) throw new CapacityError('prefixes', maximumSlots);
    if (slot >= this.version.length) this.grow();
    this.count++;
    const base = slot * wordStride;
    this.words[base] = w0;
    this.words[base + 1] = w1;
    this.words[base + 2] = w2;
    this.words[base + 3] = w3;
    this.words[base + 4] = (family << 8) | length;
    let at = hashPrefix(family, w0, w1, w2, w3, length) & this.mask;
    while (this.index[at]! >= 0) at = (at + 1) & this.mask;
    this.index[at] = slot;
    return slot;
  }

  /**
   * {@link findOrAdd}, trying first the slot after `previous` (a peer's previous prefix): a full table arrives in the
   * same prefix order from every peer, so the guess usually holds and saves the random read of the hash index.
   *
   * @throws {@link CapacityError} beyond 2^31-2 prefixes
   */
  findOrAddAfter(prefix: Prefix, previous: number): number {
    const next = previous + 1;
    if (next > 0 && next < this.count) {
      const base = next * wordStride;
      const words = this.words;
      if (
        words[base] === prefix.w0 &&
        words[base + 4] === ((prefix.family << 8) | prefix.length) &&
        words[base + 1] === prefix.w1 &&
        words[base + 2] === prefix.w2 &&
        words[base + 3] === prefix.w3
      ) {
        return next;
      }
    }
    return this.findOrAdd(prefix);
  }

  /** The prefix of a slot, as an object. */
  prefix(slot: number): Prefix {
    const base = slot * wordStride;
    const words = this.words;
    const length = words[base + 4]! & 0xff;
    return words[base + 4]! >>> 8 === 4
      ? Prefix.ipv4(words[base]!, length)
      : Prefix.ipv6(words[base]!, words[base + 1]!, words[base + 2]!, words[base + 3]!, length);
  }

  /** Bytes of typed arrays held. */
  memoryBytes(): number {
    return (
      this.words.byteLength +
      this.state.byteLength +
      this.version.byteLength +
      this.bestRank.byteLength +
      this.index.byteLength
    );
  }

  private grow(): void {
    const old = this.version.length;
    const capacity = old * 2;
    this.words = growUint32(this.words, capacity * wordStride);
    const state = new Int32Array(capacity * stateStride);
    state.set(this.state);
    for (let slot = old; slot < capacity; slot++) {
      state[slot * stateStride + firstPathField] = -1;
      state[slot * stateStride + bestField] = -1;
    }
    this.state = state;
    this.version = growUint32(this.version, capacity);
    const ranks = new Float64Array(capacity).fill(Number.POSITIVE_INFINITY);
    ranks.set(this.bestRank);
    this.bestRank = ranks;
    this.index = new Int32Array(capacity * 2).fill(-1);
    this.mask = capacity * 2 - 1;
    for (let slot = 0; slot < this.count; slot++) {
      const base = slot * wordStride;
      const meta = this.words[base + 4]!;
      let at =
        hashPrefix(
          meta >>> 8,
          this.words[base]!,
          this.words[base + 1]!,
          this.words[base + 2]!,
          this.words[base + 3]!,
          meta & 0xff,
        ) & this.mask;
      while (this.index[at]! >= 0) at = (at + 1) & this.mask;
      this.index[at] = slot;
    }
  }
}

/** A 30-bit hash: a small integer (never a boxed double, so callers stay allocation-free) to mask into an index. */
function hashPrefix(family: number, w0: number, w1: number, w2: number, w3: number, length: number): number {
  let h = Math.imul(w0 ^ (length << 24) ^ family, 0x9e3779b1);
  h = Math.imul(h ^ w1 ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ w2 ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ w3 ^ (h >>> 16), 0x27d4eb2f);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}
