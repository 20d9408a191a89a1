import { loadBuiltEntry } from '@patronus-internal/test-support';
import { describe, expect, it } from 'vitest';

describe('@patronus/rib as published', () => {
  it.each([
    ['@patronus/rib', ['RibError', 'Rib', 'BgpRoute', 'Prefix', 'Ipv4Fib', 'Ipv6Fib']],
    ['@patronus/rib/testing', ['prefixArbitrary', 'routeArbitrary']],
  ])('loads %s built, as ESM and as CJS through the exports map, with the same exports', (specifier, expected) => {
    const { esm, cjs } = loadBuiltEntry(specifier);
    for (const name of expected) expect(esm).toContain(name);
    expect(cjs).toEqual(esm);
  });
});
