import { fc, test } from '@fast-check/vitest';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  chunkId,
  chunkIdToHex,
  chunkKey,
  defaultSha256,
  nobleSha256,
  nodeCryptoSha256,
  selectSha256,
} from '../../src/index';

describe('chunk ids (SHA-256)', () => {
  it('are computed by node:crypto under Node, chosen once at load', () => {
    expect(defaultSha256.implementation).toBe('node:crypto');
    expect(selectSha256().implementation).toBe('node:crypto');
    expect(selectSha256('@noble/hashes').implementation).toBe('@noble/hashes');
  });

  it('fall back to @noble/hashes where process.getBuiltinModule (node:crypto) is absent, as in browsers', () => {
    const original = Reflect.get(process, 'getBuiltinModule') as unknown;
    try {
      (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
      expect(nodeCryptoSha256()).toBeUndefined();
      expect(selectSha256().implementation).toBe('@noble/hashes');
    } finally {
      (process as { getBuiltinModule?: unknown }).getBuiltinModule = original;
    }
  });

  it('match the FIPS 180-2 "abc" vector', () => {
    const abc = new TextEncoder().encode('abc');
    const expected = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(chunkIdToHex(chunkId(abc))).toBe(expected);
    expect(chunkIdToHex(nobleSha256.digest(abc))).toBe(expected);
  });

  test.prop([fc.uint8Array({ maxLength: 20_000 })], { numRuns: 100 })(
    'are identical from node:crypto and @noble/hashes',
    (data) => {
      const node = nodeCryptoSha256()!.digest(data);
      expect(Array.from(nobleSha256.digest(data))).toEqual(Array.from(node));
      expect(Buffer.from(node).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    },
  );

  test.prop([fc.uint8Array({ maxLength: 20_000 }), fc.integer({ min: 0, max: 64 })], { numRuns: 100 })(
    'are written in place by digestInto exactly as digest returns them, leaving the bytes around untouched, and returned as the chunk-store key',
    (data, offset) => {
      for (const provider of [nodeCryptoSha256()!, nobleSha256]) {
        const out = new Uint8Array(offset + 40).fill(0xa5);
        const key = provider.digestInto(data, out, offset);
        expect(Array.from(out.subarray(offset, offset + 32))).toEqual(Array.from(provider.digest(data)));
        expect(key).toBe(chunkKey(provider.digest(data)));
        expect(out.subarray(0, offset).every((byte) => byte === 0xa5)).toBe(true);
        expect(out.subarray(offset + 32).every((byte) => byte === 0xa5)).toBe(true);
      }
    },
  );
});
