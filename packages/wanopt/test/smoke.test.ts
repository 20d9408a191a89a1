import { loadBuiltEntry } from '@patronus-internal/test-support';
import { describe, expect, it } from 'vitest';

describe('@patronus/wanopt as published', () => {
  it('loads its built ESM and CJS entry points through the exports map, with the same exports', () => {
    const { esm, cjs } = loadBuiltEntry('@patronus/wanopt');
    expect(esm).toContain('WanoptError');
    expect(cjs).toEqual(esm);
  });
});
