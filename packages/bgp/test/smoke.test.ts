import { loadBuiltEntry, repositoryRoot, run } from '@patronus-internal/test-support';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('@patronus/bgp as published', () => {
  it.each([
    ['@patronus/bgp', ['BgpError', 'decodeMessage', 'encodeMessage', 'BgpFramer', 'packUpdates']],
    ['@patronus/bgp/mrt', ['readMrt', 'decodeMrt', 'encodeRibSnapshot', 'prefixEntries']],
    ['@patronus/bgp/testing', []],
  ])('loads %s built, as ESM and as CJS through the exports map, with the same exports', (specifier, expected) => {
    const { esm, cjs } = loadBuiltEntry(specifier);
    expect(esm.length).toBeGreaterThan(0);
    for (const name of expected) expect(esm).toContain(name);
    expect(cjs).toEqual(esm);
  });

  it('ships the patronus-mrt executable that its bin entry names', () => {
    const packageJson = JSON.parse(readFileSync(resolve(repositoryRoot, 'packages/bgp/package.json'), 'utf8'));
    const bin = resolve(repositoryRoot, 'packages/bgp', packageJson.bin['patronus-mrt']);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(run(process.execPath, [bin, '--help'])).toMatch(/patronus-mrt/);
  });
});
