import { DedupOptionsError } from './errors';

/** Default {@link ChunkStore} capacity: 100 MB (10^8 bytes) of chunk data. */
export const DEFAULT_STORE_CAPACITY_BYTES = 100_000_000;

/** Counters of a {@link ChunkStore}; byte figures count chunk data only (not ids or bookkeeping). */
export interface ChunkStoreStatistics {
  /** Chunks held now. */
  readonly chunks: number;
  /** Bytes of chunk data held now. */
  readonly bytes: number;
  /** The byte bound. */
  readonly capacityBytes: number;
  /** Lookups (`touch`, or `put` of a chunk already held) that found the chunk. */
  readonly hits: number;
  /** Lookups that did not. */
  readonly misses: number;
  /** Chunks evicted to stay within the bound. */
  readonly evictions: number;
  /** Bytes not sent (or not stored twice) thanks to hits: the sum of the lengths of the chunks hit. */
  readonly bytesSaved: number;
}

/**
 * The key of a chunk id in the store's Map: the 32 id bytes as a 32-character string (one UTF-16 unit per byte), which
 * V8 hashes and compares faster than the bytes and is half the size of hexadecimal.
 */
export function chunkKey(id: Uint8Array): string {
  return String.fromCharCode.apply(null, id as unknown as number[]);
}

/**
 * An LRU cache of chunks by id, bounded in bytes of chunk data. Deterministic: the same sequence of `put` and
 * `touch` calls with the same capacity leaves two stores with the same content in the same order, which is how a
 * {@link DedupEncoder} knows what its {@link DedupDecoder} holds.
 *
 * @example
 * const store = new ChunkStore({ capacityBytes: 64 * 1024 * 1024 });
 * store.put(id, bytes);
 * store.touch(id); // bytes, now most recently used
 */
export class ChunkStore {
  // Map iteration order is insertion order: re-inserting on use keeps the least recently used first.
  private readonly chunks: Map<string, Uint8Array> = new Map();
  private heldBytes = 0;
  private capacity: number;
  private hitCount = 0;
  private missCount = 0;
  private evictionCount = 0;
  private savedBytes = 0;

  constructor(options: { readonly capacityBytes?: number } = {}) {
    const capacityBytes = options.capacityBytes ?? DEFAULT_STORE_CAPACITY_BYTES;
    if (!Number.isSafeInteger(capacityBytes) || capacityBytes < 0) {
      throw new DedupOptionsError('capacityBytes', `must be a non-negative safe integer, got ${capacityBytes}`);
    }
    this.capacity = capacityBytes;
  }

  /** The byte bound. */
  get capacityBytes(): number {
    return this.capacity;
  }

  /** Chunks held. */
  get size(): number {
    return this.chunks.size;
  }

  /** Bytes of chunk data held. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** True when the chunk is held (does not count as a use, so the LRU order is unchanged). */
  has(id: Uint8Array): boolean {
    return this.chunks.has(chunkKey(id));
  }

  /** True when the chunk with this {@link chunkKey} is held (no LRU change). */
  hasKey(key: string): boolean {
    return this.chunks.has(key);
  }

  /** The chunk's bytes without counting a use (no LRU change), or undefined. */
  peek(id: Uint8Array): Uint8Array | undefined {
    return this.chunks.get(chunkKey(id));
  }

  /** Uses a chunk: returns its bytes and makes it the most recently used, or undefined (a miss). */
  touch(id: Uint8Array): Uint8Array | undefined {
    return this.touchKey(chunkKey(id));
  }

  /** {@link ChunkStore.touch} by key. */
  touchKey(key: string): Uint8Array | undefined {
    const data = this.chunks.get(key);
    if (data === undefined) {
      this.missCount++;
      return undefined;
    }
    this.chunks.delete(key);
    this.chunks.set(key, data);
    this.hitCount++;
    this.savedBytes += data.length;
    return data;
  }

  /**
   * Stores a chunk as the most recently used, evicting least recently used chunks until the data fits (a chunk longer
   * than the capacity is not stored). Storing a chunk already held is a use of it (see {@link ChunkStore.touch}).
   * The store keeps `data` itself, not a copy: do not modify it afterwards.
   *
   * @returns true when the chunk is held afterwards.
   */
  put(id: Uint8Array, data: Uint8Array): boolean {
    return this.putKey(chunkKey(id), data);
  }

  /** {@link ChunkStore.put} by key. */
  putKey(key: string, data: Uint8Array): boolean {
    if (this.chunks.has(key)) {
      this.touchKey(key);
      return true;
    }
    this.missCount++;
    const length = data.length;
    if (length > this.capacity) return false;
    this.heldBytes += length;
    if (this.heldBytes > this.capacity) this.evict();
    this.chunks.set(key, data);
    return true;
  }

  private evict(): void {
    for (const [key, data] of this.chunks) {
      if (this.heldBytes <= this.capacity) break;
      this.chunks.delete(key);
      this.heldBytes -= data.length;
      this.evictionCount++;
    }
  }

  /** Forgets every chunk (counters are kept) and, when given, takes a new capacity in bytes. */
  clear(capacityBytes?: number): void {
    if (capacityBytes !== undefined) {
      if (!Number.isSafeInteger(capacityBytes) || capacityBytes < 0) {
        throw new DedupOptionsError('capacityBytes', `must be a non-negative safe integer, got ${capacityBytes}`);
      }
      this.capacity = capacityBytes;
    }
    this.chunks.clear();
    this.heldBytes = 0;
  }

  /** The counters now. */
  statistics(): ChunkStoreStatistics {
    return {
      chunks: this.chunks.size,
      bytes: this.heldBytes,
      capacityBytes: this.capacity,
      hits: this.hitCount,
      misses: this.missCount,
      evictions: this.evictionCount,
      bytesSaved: this.savedBytes,
    };
  }
}
