/**
 * A bounded cache of decoded path attributes keyed by their bytes, so RIB entries with identical attribute bytes
 * share one decoded object (BIRD's attribute interning; in a full-table dump most paths repeat across prefixes).
 *
 * The key is hashed with 32-bit FNV-1a straight from the input buffer, so a hit costs one pass over the bytes and
 * one comparison, with no allocation. A miss copies the key (so the cache never pins a large input chunk) and
 * decodes from the copy. When `capacity` distinct keys are held the cache is emptied and refilled, which bounds
 * memory without per-hit bookkeeping.
 */
export class AttributeCache<A> {
  /** Most distinct attribute byte strings held at once. */
  readonly capacity: number;
  /** Lookups answered from the cache. */
  hits = 0;
  /** Lookups that decoded. */
  misses = 0;
  private readonly slots = new Map<number, CacheSlot<A>>();
  private count = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
  }

  /**
   * The decoded value for `bytes[start, end)` in `context` (a small integer that separates decoding modes), decoding
   * a copy with `decode(copy, argument)` on a miss. `decode` may throw; nothing is cached then. (The decoder and its
   * argument are passed separately so a lookup allocates no closure.)
   */
  get<T>(
    bytes: Uint8Array,
    start: number,
    end: number,
    context: number,
    decode: (key: Uint8Array, argument: T) => A,
    argument: T,
  ): A {
    // FNV-1a over 32-bit words (then the tail bytes), folded to 30 bits so the Map key stays a small integer.
    let hash = 0x811c9dc5 ^ context;
    let index = start;
    for (const wordEnd = end - 3; index < wordEnd; index += 4) {
      hash = Math.imul(
        hash ^ ((bytes[index]! << 24) | (bytes[index + 1]! << 16) | (bytes[index + 2]! << 8) | bytes[index + 3]!),
        0x01000193,
      );
    }
    for (; index < end; index++) hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
    hash = (hash ^ (hash >>> 15)) & 0x3fffffff;
    const length = end - start;
    const first = this.slots.get(hash);
    for (let slot = first; slot !== undefined; slot = slot.next) {
      const key = slot.key;
      if (slot.context !== context || key.length !== length) continue;
      let position = 0;
      while (position < length && key[position] === bytes[start + position]) position++;
      if (position === length) {
        this.hits++;
        return slot.value;
      }
    }
    this.misses++;
    const key = bytes.slice(start, end);
    const value = decode(key, argument);
    if (this.count >= this.capacity) {
      this.slots.clear();
      this.count = 0;
      this.slots.set(hash, new CacheSlot(key, context, value, undefined));
    } else {
      this.slots.set(hash, new CacheSlot(key, context, value, this.slots.get(hash)));
    }
    this.count++;
    return value;
  }

  /** Empties the cache. */
  clear(): void {
    this.slots.clear();
    this.count = 0;
  }
}

class CacheSlot<A> {
  readonly key: Uint8Array;
  readonly context: number;
  readonly value: A;
  readonly next: CacheSlot<A> | undefined;

  constructor(key: Uint8Array, context: number, value: A, next: CacheSlot<A> | undefined) {
    this.key = key;
    this.context = context;
    this.value = value;
    this.next = next;
  }
}
