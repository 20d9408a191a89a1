import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isComponentRequired, repositoryRoot } from '@patronus-internal/test-support';
import { describe, expect, it } from 'vitest';
import { FIB_NO_ROUTE, Ipv4Fib, Ipv6Fib, hugePageSupport } from '../../src/fib/index';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const support = hugePageSupport();

describe('the committed WebAssembly lookup kernels', () => {
  it('are exactly what scripts/build-wasm.mjs generates and compiles today (run it after editing the generator)', () => {
    const result = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('batch lookups in the WebAssembly kernels', () => {
  it('see the trie after it outgrows its memory several times over, and after a rebuild moves it again', () => {
    const ipv4 = new Ipv4Fib();
    const ipv6 = new Ipv6Fib();
    const addresses4: number[] = [];
    const words6: number[] = [];
    // enough /32s and /128s that the entries outgrow the first memory several times over
    for (let index = 0; index < 60_000; index++) {
      const address = (0x0b000000 + index * 4099) >>> 0;
      ipv4.set(address, 32, index);
      addresses4.push(address);
      const words = [0x20010db8, index, 0x1000 + index, index * 3];
      ipv6.set(words, 128, index);
      words6.push(...words);
    }
    const check = () => {
      const out4 = new Uint32Array(addresses4.length);
      ipv4.lookupBatch(Uint32Array.from(addresses4), out4);
      expect(out4.every((value, index) => value === index)).toBe(true);
      const out6 = new Int32Array(addresses4.length);
      ipv6.lookupBatch(Uint32Array.from(words6), out6);
      expect(out6.every((value, index) => value === index)).toBe(true);
      const misses = new Uint32Array(5000);
      ipv4.lookupBatch(
        Uint32Array.from({ length: 5000 }, (_, index) => 0xc0000000 + index),
        misses,
      );
      expect(misses.every((value) => value === FIB_NO_ROUTE)).toBe(true);
    };
    check();
    ipv4.rebuild();
    ipv6.rebuild();
    check();
  });

  it('and single lookups see it too, between every move (the FIB holds its entries, and must follow them)', () => {
    const ipv4 = new Ipv4Fib();
    const ipv6 = new Ipv6Fib();
    const first = [0x20010db8, 0, 0x1000, 0];
    for (let index = 0; index < 60_000; index++) {
      const address = (0x0b000000 + index * 4099) >>> 0;
      ipv4.set(address, 32, index);
      ipv6.set([0x20010db8, index, 0x1000 + index, index * 3], 128, index);
      // after each insert (some of which move the trie): the newest prefix and the first one
      expect(ipv4.lookup(address)).toBe(index);
      expect(ipv4.lookup(0x0b000000)).toBe(0);
      expect(ipv6.lookup(0x20010db8, index, 0x1000 + index, index * 3)).toBe(index);
      expect(ipv6.lookup(first[0]!, first[1]!, first[2]!, first[3]!)).toBe(0);
    }
    ipv4.rebuild();
    ipv6.rebuild();
    expect(ipv4.lookup((0x0b000000 + 59_999 * 4099) >>> 0)).toBe(59_999);
    expect(ipv6.lookup(0x20010db8, 59_999, 0x1000 + 59_999, 59_999 * 3)).toBe(59_999);
    ipv4.clear();
    ipv6.clear();
    expect(ipv4.lookup(0x0b000000)).toBe(FIB_NO_ROUTE);
    expect(ipv6.lookup(first[0]!, first[1]!, first[2]!, first[3]!)).toBe(FIB_NO_ROUTE);
  });
});

describe('transparent huge pages for FIB memory', () => {
  const required = isComponentRequired || support.available;

  it.runIf(required)('are available: the addon is built and the kernel grants them on request', () => {
    expect(support.detail).toMatch(/huge-pages\.node$/);
    expect(support.available).toBe(true);
  });

  it.runIf(required)('back a FIB that asked for them, and not one that did not', () => {
    // the IPv4 first level alone is 4 MiB, written when the FIB is made
    const fib = new Ipv4Fib();
    const plain = new Ipv4Fib({ hugePages: false });
    expect(fib.hugePageBytes()).toBeGreaterThanOrEqual(2 << 20);
    expect(plain.hugePageBytes()).toBe(0);
    fib.set(0x0a000000, 8, 1);
    plain.set(0x0a000000, 8, 1);
    expect(fib.lookup(0x0a010203)).toBe(plain.lookup(0x0a010203));
  });

  it('can be turned off for the whole process with PATRONUS_HUGE_PAGES=0', () => {
    const script = `const { hugePageSupport, Ipv4Fib } = require('@patronus/rib');
      console.log(JSON.stringify({ support: hugePageSupport(), bytes: new Ipv4Fib().hugePageBytes() }));`;
    const result = spawnSync(process.execPath, ['--input-type=commonjs', '-e', script], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      env: { ...process.env, PATRONUS_HUGE_PAGES: '0' },
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      support: { available: false, detail: 'PATRONUS_HUGE_PAGES=0' },
      bytes: 0,
    });
  });
});
