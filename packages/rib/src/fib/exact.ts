/**
 * The FIB's exact-match index: (prefix words, length) → value, an open-addressing hash table with linear probing in
 * typed arrays. The trie answers longest-prefix match but cannot say which prefixes exist (a prefix fully covered by
 * longer ones leaves no trace in it), so exact `get`, deletion (which needs the next covering prefix) and iteration
 * come from here.
 */

/** Slot length marking a never-used slot. */
const EMPTY = 255;
/** Slot length marking a deleted slot (a tombstone keeps probe chains intact). */
const DELETED = 254;
const MINIMUM_CAPACITY = 16;

/** @internal An exact-match table of prefixes of `width` 32-bit words. */
export class ExactPrefixTable {
  /** Words per prefix: 1 for IPv4, 4 for IPv6. */
  readonly width: number;
  /** Prefix words, `width` per slot. */
  keys: Uint32Array;
  /** Prefix length per slot, or EMPTY / DELETED. */
  lengths: Uint8Array;
  /** Value per slot. */
  values: Uint32Array;
  /** Live entries. */
  size: number;
  /** Live entries plus tombstones (what probing pays for). */
  private occupied: number;
  private mask: number;

  constructor(width: number, expected = 0) {
    this.width = width;
    const capacity = capacityFor(expected);
    this.keys = new Uint32Array(capacity * width);
    this.lengths = new Uint8Array(capacity).fill(EMPTY);
    this.values = new Uint32Array(capacity);
    this.size = 0;
    this.occupied = 0;
    this.mask = capacity - 1;
  }

  /** Slots allocated. */
  get capacity(): number {
    return this.lengths.length;
  }

  /** Bytes held by the typed arrays. */
  memoryBytes(): number {
    return this.keys.byteLength + this.lengths.byteLength + this.values.byteLength;
  }

  /** Drops every entry and sizes the table for `expected` entries. */
  reset(expected: number): void {
    const capacity = capacityFor(expected);
    if (capacity !== this.capacity) {
      this.keys = new Uint32Array(capacity * this.width);
      this.lengths = new Uint8Array(capacity);
      this.values = new Uint32Array(capacity);
      this.mask = capacity - 1;
    }
    this.lengths.fill(EMPTY);
    this.size = 0;
    this.occupied = 0;
  }

  /** The slot holding (words at offset, length), or -1. */
  find(words: ArrayLike<number>, offset: number, length: number): number {
    const width = this.width;
    const keys = this.keys;
    const lengths = this.lengths;
    let slot = hash(words, offset, width, length) & this.mask;
    for (;;) {
      const slotLength = lengths[slot]!;
      if (slotLength === EMPTY) return -1;
      if (slotLength === length && sameWords(keys, slot * width, words, offset, width)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Stores a value; returns true when the prefix is new. */
  set(words: ArrayLike<number>, offset: number, length: number, value: number): boolean {
    const existing = this.find(words, offset, length);
    if (existing >= 0) {
      this.values[existing] = value;
      return false;
    }
    if ((this.occupied + 1) * 4 > this.capacity * 3) this.resize(capacityFor(this.size + 1));
    const width = this.width;
    let slot = hash(words, offset, width, length) & this.mask;
    // the probe ends at an empty slot or a tombstone, both free to reuse
    while (this.lengths[slot]! < DELETED) slot = (slot + 1) & this.mask;
    if (this.lengths[slot] === EMPTY) this.occupied++;
    for (let index = 0; index < width; index++) this.keys[slot * width + index] = words[offset + index]!;
    this.lengths[slot] = length;
    this.values[slot] = value;
    this.size++;
    return true;
  }

  /** Removes a prefix; returns true when it was there. */
  delete(words: ArrayLike<number>, offset: number, length: number): boolean {
    const slot = this.find(words, offset, length);
    if (slot < 0) return false;
    this.lengths[slot] = DELETED;
    this.size--;
    return true;
  }

  /** True when the slot holds a live entry. */
  isLive(slot: number): boolean {
    return this.lengths[slot]! < DELETED;
  }

  private resize(capacity: number): void {
    const width = this.width;
    const oldKeys = this.keys;
    const oldLengths = this.lengths;
    const oldValues = this.values;
    this.keys = new Uint32Array(capacity * width);
    this.lengths = new Uint8Array(capacity).fill(EMPTY);
    this.values = new Uint32Array(capacity);
    this.mask = capacity - 1;
    this.occupied = this.size;
    for (let old = 0; old < oldLengths.length; old++) {
      const length = oldLengths[old]!;
      if (length >= DELETED) continue;
      let slot = hash(oldKeys, old * width, width, length) & this.mask;
      while (this.lengths[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      for (let index = 0; index < width; index++) this.keys[slot * width + index] = oldKeys[old * width + index]!;
      this.lengths[slot] = length;
      this.values[slot] = oldValues[old]!;
    }
  }
}

/** A power of two at least 4/3 of `expected` (load factor ≤ 0.75 after filling). */
function capacityFor(expected: number): number {
  let capacity = MINIMUM_CAPACITY;
  while (capacity * 3 < expected * 4 + 4) capacity *= 2;
  return capacity;
}

function hash(words: ArrayLike<number>, offset: number, width: number, length: number): number {
  let h = Math.imul(length + 1, 0x9e3779b1);
  for (let index = 0; index < width; index++) {
    h = Math.imul(h ^ words[offset + index]!, 0x85ebca6b);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function sameWords(keys: Uint32Array, keyOffset: number, words: ArrayLike<number>, offset: number, width: number) {
  for (let index = 0; index < width; index++) if (keys[keyOffset + index] !== words[offset + index]) return false;
  return true;
}
