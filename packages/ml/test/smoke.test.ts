import { loadBuiltEntry } from '@patronus-internal/test-support';
import { describe, expect, it } from 'vitest';

describe('@patronus/ml as published', () => {
  it('loads its built ESM and CJS entry points through the exports map, with the same exports', () => {
    const { esm, cjs } = loadBuiltEntry('@patronus/ml');
    expect(esm).toContain('MlError');
    expect(cjs).toEqual(esm);
  });
});
