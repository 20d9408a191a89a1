import { loadBuiltEntry } from '@patronus-internal/test-support';
import { describe, expect, it } from 'vitest';

describe('@patronus/wanopt as published', () => {
  it.each([
    ['@patronus/wanopt', ['WanoptError', 'FastCdcChunker', 'RabinChunker', 'DedupEncoder', 'compress', 'ReedSolomon']],
    ['@patronus/wanopt/fec', ['ReedSolomon', 'FecEncoder', 'FecDecoder', 'AdaptiveFec']],
  ])('loads %s built, as ESM and as CJS through the exports map, with the same exports', (specifier, expected) => {
    const { esm, cjs } = loadBuiltEntry(specifier);
    for (const name of expected) expect(esm).toContain(name);
    expect(cjs).toEqual(esm);
  });
});
