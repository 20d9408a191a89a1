import { loadBuiltEntry } from '@patronus-internal/test-support';
import { describe, expect, it } from 'vitest';

describe('@patronus/cloud as published', () => {
  it('loads its built ESM and CJS entry points through the exports map, with the same exports', () => {
    const { esm, cjs } = loadBuiltEntry('@patronus/cloud');
    expect(esm).toContain('CloudError');
    expect(cjs).toEqual(esm);
  });
});
