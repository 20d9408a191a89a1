import { loadBuiltEntry } from '@patronus-internal/test-support';
import { describe, expect, it } from 'vitest';

describe('@patronus/ebpf as published', () => {
  it('loads its built ESM and CJS entry points through the exports map, with the same exports', () => {
    const { esm, cjs } = loadBuiltEntry('@patronus/ebpf');
    expect(esm).toContain('EbpfError');
    expect(cjs).toEqual(esm);
  });
});
