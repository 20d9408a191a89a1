import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ChunkStore, DedupOptionsError } from '../../src/index';

function idOf(value: number): Uint8Array {
  const id = new Uint8Array(32);
  id[0] = value;
  id[31] = 0xa5;
  return id;
}

describe('ChunkStore', () => {
  it('defaults to a 100 MB bound', () => {
    expect(new ChunkStore().capacityBytes).toBe(100_000_000);
  });

  it('evicts the least recently used chunks to stay within its byte bound, and counts it all', () => {
    const store = new ChunkStore({ capacityBytes: 300 });
    store.put(idOf(1), new Uint8Array(100));
    store.put(idOf(2), new Uint8Array(100));
    store.put(idOf(3), new Uint8Array(100));
    expect(store.touch(idOf(1))?.length).toBe(100); // 1 is now the most recent; 2 is the oldest
    store.put(idOf(4), new Uint8Array(150)); // needs 150 more: evicts 2 then 3
    expect(store.has(idOf(2))).toBe(false);
    expect(store.has(idOf(3))).toBe(false);
    expect(store.has(idOf(1))).toBe(true);
    expect(store.touch(idOf(9))).toBeUndefined();
    expect(store.statistics()).toEqual({
      chunks: 2,
      bytes: 250,
      capacityBytes: 300,
      hits: 1,
      misses: 5,
      evictions: 2,
      bytesSaved: 100,
    });
  });

  it('does not store a chunk larger than the whole bound', () => {
    const store = new ChunkStore({ capacityBytes: 10 });
    expect(store.put(idOf(1), new Uint8Array(11))).toBe(false);
    expect(store.size).toBe(0);
  });

  it('rejects a negative capacity with a typed error', () => {
    expect(() => new ChunkStore({ capacityBytes: -1 })).toThrow(DedupOptionsError);
  });

  test.prop(
    [
      fc.integer({ min: 0, max: 2000 }),
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 500 })), {
        maxLength: 200,
      }),
    ],
    { numRuns: 100 },
  )('behaves like a simple LRU model under any sequence of puts and touches', (capacity, operations) => {
    const store = new ChunkStore({ capacityBytes: capacity });
    const model: { key: number; length: number }[] = []; // least recently used first
    for (const [isPut, key, length] of operations) {
      const index = model.findIndex((entry) => entry.key === key);
      if (isPut) {
        store.put(idOf(key), new Uint8Array(length));
        if (index >= 0) {
          model.push(...model.splice(index, 1));
        } else if (length <= capacity) {
          model.push({ key, length });
          let total = model.reduce((sum, entry) => sum + entry.length, 0);
          while (total > capacity) total -= model.shift()!.length;
        }
      } else {
        const found = store.touch(idOf(key));
        expect(found !== undefined).toBe(index >= 0);
        if (index >= 0) model.push(...model.splice(index, 1));
      }
      expect(store.bytes).toBe(model.reduce((sum, entry) => sum + entry.length, 0));
      expect(store.bytes).toBeLessThanOrEqual(capacity);
    }
    for (const entry of model) expect(store.has(idOf(entry.key))).toBe(true);
    expect(store.size).toBe(model.length);
  });
});
