import { Prefix } from '../address/prefix';
import { CapacityError } from '../errors';
import { growInt32, growUint32, growUint8 } from '../path/pool';

const maximumSlots = 0x7ffffffe;

/**
 * Prefixes by slot number, in typed arrays: the words and length of each prefix, an open-addressing hash index from
 * prefix to slot, and the per-prefix state of the Loc-RIB (first path, best path, multipath count, version). A slot,
 * once given to a prefix, stays with it (a withdrawn prefix keeps its slot, about 50 bytes, and gets it back when it is
 * announced again), so change streams and FIB values can name prefixes by slot safely.
 */
export class PrefixSlots {
  /** Number of slots handed out. */
  count = 0;
  /** 4 or 6 per slot. */
  family: Uint8Array;
  /** Prefix length per slot. */
  length: Uint8Array;
  /** Four address words per slot (IPv4 in word 0). */
  words: Uint32Array;
  /** Head of the slot's path list, or -1. */
  firstPath: Int32Array;
  /** The best path, or -1 when no eligible path. */
  best: Int32Array;
  /** How many paths at the head of the list form the multipath set (0 without a best). */
  multipathCount: Uint16Array;
  /** Incremented whenever the best path or the multipath set changes. */
  version: Uint32Array;
  /** Bit `peerId & 31` set when a path from such a peer may be in the list (clear: certainly none). */
  peerBits: Uint32Array;
  /** The decision's before-MED rank of the best path (+Infinity without one), to skip hopeless paths cheaply. */
  bestRank: Float64Array;

  private index: Int32Array;
  private mask: number;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.family = new Uint8Array(capacity);
    this.length = new Uint8Array(capacity);
    this.words = new Uint32Array(capacity * 4);
    this.firstPath = new Int32Array(capacity).fill(-1);
    this.best = new Int32Array(capacity).fill(-1);
    this.multipathCount = new Uint16Array(capacity);
    this.version = new Uint32Array(capacity);
    this.peerBits = new Uint32Array(capacity);
    this.bestRank = new Float64Array(capacity).fill(Number.POSITIVE_INFINITY);
    this.index = new Int32Array(capacity * 2).fill(-1);
    this.mask = capacity * 2 - 1;
  }

  /** Slots allocated (capacity of the per-slot arrays). */
  get capacity(): number {
    return this.family.length;
  }

  /** The slot of a prefix, or -1. */
  find(family: number, w0: number, w1: number, w2: number, w3: number, length: number): number {
    const words = this.words;
    let at = hashPrefix(family, w0, w1, w2, w3, length) & this.mask;
    for (;;) {
      const slot = this.index[at]!;
      if (slot < 0) return -1;
      const base = slot * 4;
      if (
        words[base] === w0 &&
        this.length[slot] === length &&
        this.family[slot] === family &&
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
    if (slot >= this.family.length) this.grow();
    this.count++;
    this.family[slot] = family;
    this.length[slot] = length;
    const base = slot * 4;
    this.words[base] = w0;
    this.words[base + 1] = w1;
    this.words[base + 2] = w2;
    this.words[base + 3] = w3;
    let at = hashPrefix(family, w0, w1, w2, w3, length) & this.mask;
    while (this.index[at]! >= 0) at = (at + 1) & this.mask;
    this.index[at] = slot;
    return slot;
  }

  /** The prefix of a slot, as an object. */
  prefix(slot: number): Prefix {
    const base = slot * 4;
    return this.family[slot] === 4
      ? Prefix.ipv4(this.words[base]!, this.length[slot]!)
      : Prefix.ipv6(
          this.words[base]!,
          this.words[base + 1]!,
          this.words[base + 2]!,
          this.words[base + 3]!,
          this.length[slot]!,
        );
  }

  /** Bytes of typed arrays held. */
  memoryBytes(): number {
    return (
      this.family.byteLength +
      this.length.byteLength +
      this.words.byteLength +
      this.firstPath.byteLength +
      this.best.byteLength +
      this.multipathCount.byteLength +
      this.version.byteLength +
      this.peerBits.byteLength +
      this.bestRank.byteLength +
      this.index.byteLength
    );
  }

  private grow(): void {
    const capacity = this.family.length * 2;
    this.family = growUint8(this.family, capacity);
    this.length = growUint8(this.length, capacity);
    this.words = growUint32(this.words, capacity * 4);
    this.firstPath = growInt32(this.firstPath, capacity);
    this.best = growInt32(this.best, capacity);
    const multipath = new Uint16Array(capacity);
    multipath.set(this.multipathCount);
    this.multipathCount = multipath;
    this.version = growUint32(this.version, capacity);
    this.peerBits = growUint32(this.peerBits, capacity);
    const ranks = new Float64Array(capacity).fill(Number.POSITIVE_INFINITY);
    ranks.set(this.bestRank);
    this.bestRank = ranks;
    this.index = new Int32Array(capacity * 2).fill(-1);
    this.mask = capacity * 2 - 1;
    for (let slot = 0; slot < this.count; slot++) {
      const base = slot * 4;
      let at =
        hashPrefix(
          this.family[slot]!,
          this.words[base]!,
          this.words[base + 1]!,
          this.words[base + 2]!,
          this.words[base + 3]!,
          this.length[slot]!,
        ) & this.mask;
      while (this.index[at]! >= 0) at = (at + 1) & this.mask;
      this.index[at] = slot;
    }
  }
}

function hashPrefix(family: number, w0: number, w1: number, w2: number, w3: number, length: number): number {
  let h = Math.imul(w0 ^ (length << 24) ^ family, 0x9e3779b1);
  h = Math.imul(h ^ w1 ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ w2 ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ w3 ^ (h >>> 16), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}
