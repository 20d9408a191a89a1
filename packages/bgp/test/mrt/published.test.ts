import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadBuiltEntry, requireFile } from '@patronus-internal/test-support';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(__dirname, '../..');
const built = requireFile(join(packageDir, 'dist/mrt/index.js'));

describe.skipIf(built.path === undefined)('@patronus/bgp/mrt as published', () => {
  it('loads its built ESM and CJS entry points through the exports map, with the same exports', () => {
    const { esm, cjs } = loadBuiltEntry('@patronus/bgp/mrt');
    expect(esm).toEqual(
      expect.arrayContaining([
        'readMrt',
        'MrtReader',
        'decodeMrt',
        'forEachMrtRecord',
        'prefixEntries',
        'encodeMrtRecord',
        'encodeRibSnapshot',
        'BgpdumpFormatter',
        'MrtError',
      ]),
    );
    expect(cjs).toEqual(esm);
  });

  it('keeps the MRT reader and the CLI out of the main entry point', () => {
    const main = readFileSync(join(packageDir, 'dist/index.js'), 'utf8');
    expect(main).not.toContain('patronus-mrt');
    expect(main).not.toContain('length-corrected');
  });
});
