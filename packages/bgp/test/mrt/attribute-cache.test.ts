import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { AttributeCache } from '../../src/mrt/attribute-cache';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const viewOf = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

describe('attribute cache', () => {
  test.prop([
    fc.array(fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 0, max: 3 })), { maxLength: 300 }),
    fc.integer({ min: 1, max: 64 }),
  ])(
    'always returns what decoding the same bytes in the same context gives, whatever the capacity',
    (lookups, capacity) => {
      const cache = new AttributeCache<string>(capacity);
      for (const [bytes, context] of lookups) {
        // the key sits inside a larger buffer, as attribute bytes sit inside a record
        const buffer = new Uint8Array(bytes.length + 7);
        buffer.set(bytes, 3);
        const value = cache.get(
          buffer,
          viewOf(buffer),
          3,
          3 + bytes.length,
          context,
          (key, tag: number) => `${tag}:${hex(key)}`,
          context,
        );
        expect(value).toBe(`${context}:${hex(bytes)}`);
      }
    },
  );

  it('decodes each distinct key once while they fit, sharing the decoded object, and grows past its first table', () => {
    const cache = new AttributeCache<{ readonly text: string }>(5000);
    const seen = new Map<string, object>();
    for (let round = 0; round < 3; round++) {
      for (let index = 0; index < 4000; index++) {
        const bytes = new Uint8Array(6 + (index % 5));
        new DataView(bytes.buffer).setUint32(0, index * 2654435761);
        const value = cache.get(bytes, viewOf(bytes), 0, bytes.length, 0, (key) => ({ text: hex(key) }), undefined);
        const first = seen.get(hex(bytes));
        if (first === undefined) seen.set(hex(bytes), value);
        else expect(value).toBe(first);
      }
    }
    expect(cache.misses).toBe(4000);
    expect(cache.hits).toBe(8000);
  });

  it('empties itself at capacity instead of growing without bound', () => {
    const cache = new AttributeCache<number>(100);
    for (let index = 0; index < 1000; index++) {
      const bytes = Uint8Array.of(index >> 8, index & 0xff);
      cache.get(bytes, viewOf(bytes), 0, 2, 0, () => index, undefined);
    }
    const again = Uint8Array.of(0, 5);
    expect(cache.get(again, viewOf(again), 0, 2, 0, () => -1, undefined)).toBe(-1);
  });
});
