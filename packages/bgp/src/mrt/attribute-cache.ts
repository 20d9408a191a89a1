/**
 * A bounded cache of decoded path attributes keyed by their bytes, so RIB entries with identical attribute bytes
 * share one decoded object (BIRD's attribute interning; in a full-table dump most paths repeat across prefixes).
 *
 * Laid out for few cache misses per lookup: the key is hashed with 32-bit FNV-1a (over 32-bit words) straight from
 * the input buffer; an open-addressing table keeps each slot's hash, context, key offset and key length side by side
 * in one `Int32Array`, and the key bytes in one arena, so a hit touches the slot, the arena and the value. A miss
 * copies the key into the arena (the cache never pins an input chunk) and decodes a fresh copy. When `capacity`
 * distinct keys are held, the cache is emptied and refilled, which bounds memory without per-hit bookkeeping.
 */
export class AttributeCache<A> {
  /** Most distinct attribute byte strings held at once. */
  readonly capacity: number;
  /** Lookups answered from the cache. */
  hits = 0;
  /** Lookups that decoded. */
  misses = 0;
  /** Per slot, 4 words: hash with bit 30 set (0 = empty), context, key offset in the arena, key length. */
  private slots: Int32Array;
  private values: (A | undefined)[];
  private mask: number;
  /** Table size the cache may grow to (twice the capacity, a power of two). */
  private readonly maximumSize: number;
  private arena = new Uint8Array(64 * 1024);
  private arenaUsed = 0;
  private count = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
    let size = 16;
    while (size < this.capacity * 2) size *= 2;
    this.maximumSize = size;
    // Start small and double as keys arrive, so a short input does not pay for a full-size table.
    const initial = Math.min(size, 1024);
    this.mask = initial - 1;
    this.slots = new Int32Array(initial * 4);
    this.values = new Array<A | undefined>(initial).fill(undefined);
  }

  /** Doubles the table and re-inserts every key (the arena stays as it is). */
  private grow(): void {
    const oldSlots = this.slots;
    const oldValues = this.values;
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const slots = new Int32Array(size * 4);
    const values = new Array<A | undefined>(size).fill(undefined);
    for (let old = 0; old <= this.mask; old++) {
      const hash = oldSlots[old * 4]!;
      if (hash === 0) continue;
      let slot = hash & mask;
      while (slots[slot * 4] !== 0) slot = (slot + 1) & mask;
      slots.set(oldSlots.subarray(old * 4, old * 4 + 4), slot * 4);
      values[slot] = oldValues[old];
    }
    this.slots = slots;
    this.values = values;
    this.mask = mask;
  }

  /**
   * The decoded value for `bytes[start, end)` (`view` is a DataView over the same bytes) in `context` (a small integer that separates decoding modes), decoding
   * a copy with `decode(copy, argument)` on a miss. `decode` may throw; nothing is cached then. (The decoder and its
   * argument are passed separately so a lookup allocates no closure.)
   */
  get<T>(
    bytes: Uint8Array,
    view: DataView,
    start: number,
    end: number,
    context: number,
    decode: (key: Uint8Array, argument: T) => A,
    argument: T,
  ): A {
    let hash = 0x811c9dc5 ^ context;
    let index = start;
    for (const wordEnd = end - 3; index < wordEnd; index += 4) {
      hash = Math.imul(hash ^ view.getInt32(index), 0x01000193);
    }
    for (; index < end; index++) hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
    hash = ((hash ^ (hash >>> 15)) & 0x3fffffff) | 0x40000000;
    const length = end - start;
    const mask = this.mask;
    const slots = this.slots;
    const arena = this.arena;
    let slot = hash & mask;
    for (let stored = slots[slot * 4]!; stored !== 0; stored = slots[slot * 4]!) {
      const base = slot * 4;
      if (stored === hash && slots[base + 1] === context && slots[base + 3] === length) {
        const keyStart = slots[base + 2]!;
        let position = 0;
        while (position < length && arena[keyStart + position] === bytes[start + position]) position++;
        if (position === length) {
          this.hits++;
          return this.values[slot]!;
        }
      }
      slot = (slot + 1) & mask;
    }
    this.misses++;
    // A fresh copy for the decoder: a decoder that keeps views of its input must not see the arena change.
    const copy = new Uint8Array(length);
    for (let position = 0; position < length; position++) copy[position] = bytes[start + position]!;
    const value = decode(copy, argument);
    if (this.count >= this.capacity) {
      this.clear();
      slot = hash & this.mask;
    } else if ((this.count + 1) * 2 > this.mask + 1 && this.mask + 1 < this.maximumSize) {
      this.grow();
      slot = hash & this.mask;
      while (this.slots[slot * 4] !== 0) slot = (slot + 1) & this.mask;
    }
    if (this.arenaUsed + length > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      grown.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = grown;
    }
    this.arena.set(copy, this.arenaUsed);
    const base = slot * 4;
    const table = this.slots;
    table[base] = hash;
    table[base + 1] = context;
    table[base + 2] = this.arenaUsed;
    table[base + 3] = length;
    this.values[slot] = value;
    this.arenaUsed += length;
    this.count++;
    return value;
  }

  /** Empties the cache. */
  clear(): void {
    this.slots.fill(0);
    this.values.fill(undefined);
    this.arenaUsed = 0;
    this.count = 0;
  }
}
