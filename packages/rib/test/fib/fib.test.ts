import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIB_MAX_VALUE, FIB_NO_ROUTE, FibError, Ipv4Fib, Ipv6Fib } from '../../src/fib/index';
import { MultibitTrie } from '../../src/fib/trie';
import { ReferenceTable, mask } from './reference';

/** Addresses cluster in a few /4s with a few varying bits, so generated prefixes overlap and nest often. */
const ipv4Address: fc.Arbitrary<number> = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0x0fffffff }), fc.boolean())
  .map(([top, rest, sparse]) => ((top << 28) | (sparse ? rest & 0x0f0f00ff : rest)) >>> 0);

const ipv4Length: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 32 }),
  fc.constantFrom(0, 8, 12, 16, 19, 20, 21, 23, 24, 25, 28, 31, 32),
);

const ipv4Prefix: fc.Arbitrary<{ words: number[]; length: number }> = fc
  .tuple(ipv4Address, ipv4Length)
  .map(([address, length]) => ({ words: mask([address], length), length }));

const word: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 0xffffffff, 0x20010db8, 0x20010db9, 0x00010000),
  fc.integer({ min: 0, max: 0xffffffff }),
);

const ipv6Address: fc.Arbitrary<number[]> = fc.tuple(
  fc.constantFrom(0x20010db8, 0x20010db9, 0x2a000000, 0),
  word,
  word,
  word,
);

const ipv6Length: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 128 }),
  fc.constantFrom(0, 16, 24, 29, 32, 36, 40, 44, 48, 56, 64, 127, 128),
);

const ipv6Prefix: fc.Arbitrary<{ words: number[]; length: number }> = fc
  .tuple(ipv6Address, ipv6Length)
  .map(([address, length]) => ({ words: mask(address, length), length }));

type Operation =
  | { kind: 'set'; words: number[]; length: number; value: number }
  | { kind: 'delete'; words: number[]; length: number }
  | { kind: 'delete-existing'; pick: number };

function operations(prefix: fc.Arbitrary<{ words: number[]; length: number }>): fc.Arbitrary<Operation[]> {
  return fc.array(
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc
          .tuple(prefix, fc.nat({ max: FIB_MAX_VALUE }))
          .map(([p, value]) => ({ kind: 'set' as const, ...p, value })),
      },
      { weight: 1, arbitrary: prefix.map((p) => ({ kind: 'delete' as const, ...p })) },
      { weight: 3, arbitrary: fc.nat().map((pick) => ({ kind: 'delete-existing' as const, pick })) },
    ),
    { maxLength: 120 },
  );
}

/** Addresses worth probing: every prefix's first and last address and their neighbours, plus random ones. */
function probes(reference: ReferenceTable, width: number, extra: readonly number[][]): number[][] {
  const out: number[][] = [...extra];
  for (const route of reference.routes.values()) {
    const first = [...route.words];
    const last = route.words.map((w, index) => {
      const kept = Math.min(32, Math.max(0, route.length - index * 32));
      return kept === 32 ? w : (w + (2 ** (32 - kept) - 1)) >>> 0;
    });
    out.push(first, last, step(first, -1, width), step(last, 1, width));
  }
  return out;
}

function step(words: readonly number[], delta: number, width: number): number[] {
  const out = [...words];
  let index = width - 1;
  let carry = delta;
  while (index >= 0 && carry !== 0) {
    const next = out[index]! + carry;
    out[index] = next >>> 0;
    carry = next < 0 ? -1 : next > 0xffffffff ? 1 : 0;
    index--;
  }
  return out;
}

interface FibUnderTest {
  set(words: number[], length: number, value: number): void;
  delete(words: number[], length: number): boolean;
  get(words: number[], length: number): number;
  lookup(address: number[]): number;
  lookupLength(address: number[]): number;
  batch(addresses: number[][]): number[];
  size(): number;
  entries(): { words: number[]; length: number; value: number }[];
  rebuild(): void;
  loadFrom(reference: ReferenceTable): void;
}

function ipv4UnderTest(fib: Ipv4Fib): FibUnderTest {
  return {
    set: (words, length, value) => {
      fib.set(words[0]!, length, value);
    },
    delete: (words, length) => fib.delete(words[0]!, length),
    get: (words, length) => fib.get(words[0]!, length),
    lookup: (address) => fib.lookup(address[0]!),
    lookupLength: (address) => fib.lookupLength(address[0]!),
    batch: (addresses) => {
      const out = new Uint32Array(addresses.length);
      fib.lookupBatch(Uint32Array.from(addresses.map((a) => a[0]!)), out);
      return [...out];
    },
    size: () => fib.size,
    entries: () => [...fib].map((entry) => ({ words: [entry.prefix], length: entry.length, value: entry.value })),
    rebuild: () => {
      fib.rebuild();
    },
    loadFrom: (reference) => {
      const routes = [...reference.routes.values()];
      fib.load(
        Uint32Array.from(routes.map((r) => r.words[0]!)),
        Uint8Array.from(routes.map((r) => r.length)),
        Uint32Array.from(routes.map((r) => r.value)),
      );
    },
  };
}

function ipv6UnderTest(fib: Ipv6Fib): FibUnderTest {
  return {
    set: (words, length, value) => {
      fib.set(words, length, value);
    },
    delete: (words, length) => fib.delete(words, length),
    get: (words, length) => fib.get(words, length),
    lookup: (a) => fib.lookup(a[0]!, a[1]!, a[2]!, a[3]!),
    lookupLength: (a) => fib.lookupLength(a[0]!, a[1]!, a[2]!, a[3]!),
    batch: (addresses) => {
      const out = new Uint32Array(addresses.length);
      fib.lookupBatch(Uint32Array.from(addresses.flat()), out);
      return [...out];
    },
    size: () => fib.size,
    entries: () => [...fib].map((entry) => ({ words: [...entry.prefix], length: entry.length, value: entry.value })),
    rebuild: () => {
      fib.rebuild();
    },
    loadFrom: (reference) => {
      const routes = [...reference.routes.values()];
      fib.load(
        Uint32Array.from(routes.flatMap((r) => r.words)),
        Uint8Array.from(routes.map((r) => r.length)),
        Uint32Array.from(routes.map((r) => r.value)),
      );
    },
  };
}

function applyAll(fib: FibUnderTest, reference: ReferenceTable, ops: readonly Operation[]): void {
  for (const op of ops) {
    if (op.kind === 'set') {
      fib.set(op.words, op.length, op.value);
      reference.set(op.words, op.length, op.value);
    } else {
      let words: number[];
      let length: number;
      if (op.kind === 'delete') {
        words = op.words;
        length = op.length;
      } else {
        const routes = [...reference.routes.values()];
        if (routes.length === 0) continue;
        const route = routes[op.pick % routes.length]!;
        words = [...route.words];
        length = route.length;
      }
      expect(fib.delete(words, length)).toBe(reference.delete(words, length));
    }
  }
}

function expectSameAnswers(fib: FibUnderTest, reference: ReferenceTable, width: number, extra: number[][]): void {
  const addresses = probes(reference, width, extra);
  const expected = addresses.map((address) => reference.lookup(address)?.value ?? FIB_NO_ROUTE);
  expect(addresses.map((address) => fib.lookup(address))).toEqual(expected);
  expect(fib.batch(addresses)).toEqual(expected);
  expect(addresses.map((address) => fib.lookupLength(address))).toEqual(
    addresses.map((address) => reference.lookup(address)?.length ?? -1),
  );
  expect(fib.size()).toBe(reference.routes.size);
  for (const route of reference.routes.values()) expect(fib.get([...route.words], route.length)).toBe(route.value);
  const listed = fib.entries().map((e) => `${e.words.join(',')}/${e.length}=${e.value}`);
  const want = [...reference.routes.values()].map((r) => `${r.words.join(',')}/${r.length}=${r.value}`);
  expect(listed.sort()).toEqual(want.sort());
}

describe.each([
  {
    family: 'IPv4',
    width: 1,
    make: () => ipv4UnderTest(new Ipv4Fib()),
    prefix: ipv4Prefix,
    address: ipv4Address.map((a) => [a]),
  },
  { family: 'IPv6', width: 4, make: () => ipv6UnderTest(new Ipv6Fib()), prefix: ipv6Prefix, address: ipv6Address },
])(
  '$family FIB against a linear-scan reference (RFC 1812 5.2.4.3: longest match wins)',
  ({ width, make, prefix, address }) => {
    it('answers every lookup like the reference after any sequence of inserts and deletes', () => {
      fc.assert(
        fc.property(operations(prefix), fc.array(address, { maxLength: 20 }), (ops, extra) => {
          const fib = make();
          const reference = new ReferenceTable();
          applyAll(fib, reference, ops);
          expectSameAnswers(fib, reference, width, extra);
        }),
        { numRuns: 100 },
      );
    });

    it('gives the same answers whatever order the prefixes arrive in', () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(prefix, { selector: (p) => `${p.words.join(',')}/${p.length}`, maxLength: 60 }),
          fc.nat(),
          (prefixes, seed) => {
            const forward = make();
            const shuffled = make();
            const reference = new ReferenceTable();
            prefixes.forEach((p, index) => {
              forward.set(p.words, p.length, index);
              reference.set(p.words, p.length, index);
            });
            const order = prefixes
              .map((_, index) => index)
              .sort((a, b) => ((a * 2654435761 + seed) % 97) - ((b * 2654435761 + seed) % 97));
            for (const index of order) shuffled.set(prefixes[index]!.words, prefixes[index]!.length, index);
            expectSameAnswers(forward, reference, width, []);
            expectSameAnswers(shuffled, reference, width, []);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('answers like the reference after a bulk load and after a rebuild', () => {
      fc.assert(
        fc.property(operations(prefix), (ops) => {
          const incremental = make();
          const reference = new ReferenceTable();
          applyAll(incremental, reference, ops);
          incremental.rebuild();
          expectSameAnswers(incremental, reference, width, []);
          const loaded = make();
          loaded.set(
            mask(
              Array.from({ length: width }, () => 0x12345678),
              7,
            ),
            7,
            99,
          );
          loaded.loadFrom(reference);
          expectSameAnswers(loaded, reference, width, []);
        }),
        { numRuns: 50 },
      );
    });

    it('answers like the reference when inserts and deletes follow a bulk load', () => {
      fc.assert(
        fc.property(
          operations(prefix),
          operations(prefix),
          fc.array(address, { maxLength: 20 }),
          (first, then, extra) => {
            const reference = new ReferenceTable();
            applyAll(make(), reference, first);
            const fib = make();
            fib.loadFrom(reference);
            applyAll(fib, reference, then);
            expectSameAnswers(fib, reference, width, extra);
            fib.rebuild();
            applyAll(fib, reference, first);
            expectSameAnswers(fib, reference, width, extra);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('returns to no route everywhere after every prefix is deleted', () => {
      fc.assert(
        fc.property(fc.array(prefix, { maxLength: 60 }), fc.array(address, { maxLength: 20 }), (prefixes, extra) => {
          const fib = make();
          const reference = new ReferenceTable();
          for (const p of prefixes) {
            fib.set(p.words, p.length, 1);
            reference.set(p.words, p.length, 1);
          }
          for (const p of [...prefixes].reverse()) fib.delete(p.words, p.length);
          const empty = new ReferenceTable();
          expectSameAnswers(fib, empty, width, [...extra, ...probes(reference, width, [])]);
        }),
        { numRuns: 50 },
      );
    });
  },
);

describe('Ipv4Fib edge cases', () => {
  it('matches everything with a default route /0 and nothing once it is deleted', () => {
    const fib = new Ipv4Fib();
    fib.set(0, 0, 7);
    expect(fib.lookup(0)).toBe(7);
    expect(fib.lookup(0xffffffff)).toBe(7);
    expect(fib.lookupLength(0x12345678)).toBe(0);
    expect(fib.delete(0, 0)).toBe(true);
    expect(fib.lookup(0x12345678)).toBe(FIB_NO_ROUTE);
    expect(fib.lookupLength(0x12345678)).toBe(-1);
  });

  it('matches a /32 host route only at its own address', () => {
    const fib = new Ipv4Fib();
    fib.set(0x0a000000, 8, 1);
    fib.set(0x0a0000ff, 32, 2);
    fib.set(0xffffffff, 32, 3);
    expect(fib.lookup(0x0a0000ff)).toBe(2);
    expect(fib.lookup(0x0a0000fe)).toBe(1);
    expect(fib.lookup(0x0a000100)).toBe(1);
    expect(fib.lookup(0xffffffff)).toBe(3);
    expect(fib.lookup(0xfffffffe)).toBe(FIB_NO_ROUTE);
    expect(fib.lookupLength(0x0a0000ff)).toBe(32);
  });

  it('keeps the more specific prefixes when a covering prefix is deleted, and falls back to the next cover', () => {
    const fib = new Ipv4Fib();
    fib.set(0x0a000000, 8, 1); // 10/8
    fib.set(0x0a010000, 16, 2); // 10.1/16
    fib.set(0x0a010100, 24, 3); // 10.1.1/24
    fib.set(0x0a010180, 25, 4); // 10.1.1.128/25
    expect(fib.delete(0x0a010000, 16)).toBe(true);
    expect(fib.lookup(0x0a010203)).toBe(1);
    expect(fib.lookup(0x0a010101)).toBe(3);
    expect(fib.lookup(0x0a010181)).toBe(4);
    expect(fib.delete(0x0a010100, 24)).toBe(true);
    expect(fib.lookup(0x0a010101)).toBe(1);
    expect(fib.lookup(0x0a010181)).toBe(4);
    expect(fib.delete(0x0a010100, 24)).toBe(false);
  });

  it('replaces the value of a prefix set twice without changing the size', () => {
    const fib = new Ipv4Fib();
    fib.set(0xc0a80000, 16, 1);
    fib.set(0xc0a80000, 16, 2);
    expect(fib.size).toBe(1);
    expect(fib.lookup(0xc0a80101)).toBe(2);
    expect(fib.get(0xc0a80000, 16)).toBe(2);
    expect(fib.get(0xc0a80000, 17)).toBe(FIB_NO_ROUTE);
    expect(fib.has(0xc0a80000, 16)).toBe(true);
  });

  it('reuses the nodes freed by deletions instead of growing', () => {
    const fib = new Ipv4Fib();
    const fill = (): void => {
      for (let index = 0; index < 200; index++) fib.set((0x0a000000 + index * 256 + 128) >>> 0, 25, index);
    };
    fill();
    const used = fib.lookupStructureBytes();
    for (let index = 0; index < 200; index++) fib.delete((0x0a000000 + index * 256 + 128) >>> 0, 25);
    fill();
    expect(fib.lookupStructureBytes()).toBe(used);
    fib.clear();
    expect(fib.size).toBe(0);
    expect(fib.lookup(0x0a000080)).toBe(FIB_NO_ROUTE);
  });

  it('rejects bad input with typed errors and keeps the table on a failed load', () => {
    const fib = new Ipv4Fib();
    fib.set(0x0a000000, 8, 1);
    const codeOf = (action: () => unknown): string | undefined => {
      try {
        action();
      } catch (error) {
        expect(error).toBeInstanceOf(FibError);
        return (error as FibError).code;
      }
      return undefined;
    };
    expect(
      codeOf(() => {
        fib.set(0x0a000001, 24, 1);
      }),
    ).toBe('ERR_RIB_FIB_HOST_BITS');
    expect(
      codeOf(() => {
        fib.set(0x0a000000, 33, 1);
      }),
    ).toBe('ERR_RIB_FIB_PREFIX_LENGTH');
    expect(
      codeOf(() => {
        fib.set(0x0a000000, 8.5, 1);
      }),
    ).toBe('ERR_RIB_FIB_PREFIX_LENGTH');
    expect(
      codeOf(() => {
        fib.set(-1, 8, 1);
      }),
    ).toBe('ERR_RIB_FIB_ADDRESS');
    expect(
      codeOf(() => {
        fib.set(0x0b000000, 8, FIB_MAX_VALUE + 1);
      }),
    ).toBe('ERR_RIB_FIB_VALUE');
    expect(
      codeOf(() => {
        fib.set(0x0b000000, 8, -1);
      }),
    ).toBe('ERR_RIB_FIB_VALUE');
    expect(
      codeOf(() => {
        fib.load(new Uint32Array(2), new Uint8Array(1), new Uint32Array(1));
      }),
    ).toBe('ERR_RIB_FIB_LOAD');
    let failed: FibError | undefined;
    try {
      fib.load(Uint32Array.of(0x0c000000, 0x0d000001), Uint8Array.of(8, 8), Uint32Array.of(1, 2));
    } catch (error) {
      failed = error as FibError;
    }
    expect(failed?.code).toBe('ERR_RIB_FIB_HOST_BITS');
    expect(failed?.index).toBe(1);
    expect(fib.lookup(0x0a010101)).toBe(1);
    expect(fib.lookup(0x0c010101)).toBe(FIB_NO_ROUTE);
    expect(fib.size).toBe(1);
  });
});

describe('lookupBatch', () => {
  it('answers like lookup for every batch size, writes only the first count results, and rejects a count too big', () => {
    const ipv4 = new Ipv4Fib();
    const ipv6 = new Ipv6Fib();
    ipv4.set(0x0a000000, 8, 1);
    ipv4.set(0x0a000000, 24, 2);
    ipv4.set(0x0a000080, 25, 3);
    ipv6.set([0x20010db8, 0, 0, 0], 32, 1);
    ipv6.set([0x20010db8, 0x00010000, 0, 0], 48, 2);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0x3ff }), { maxLength: 40 }), fc.nat(), (lows, extra) => {
        const count = lows.length;
        const addresses = Uint32Array.from(lows, (low) => (0x0a000000 + low) >>> 0);
        const out = new Uint32Array(count + 3).fill(77);
        ipv4.lookupBatch(addresses, out, count);
        expect([...out.subarray(0, count)]).toEqual([...addresses].map((address) => ipv4.lookup(address)));
        expect([...out.subarray(count)]).toEqual([77, 77, 77]);
        const words = new Uint32Array(count * 4);
        lows.forEach((low, index) => {
          words.set([0x20010db8, low & 1 ? 0x00010000 : 0x00020000, extra, low], index * 4);
        });
        const out6 = new Int32Array(count);
        ipv6.lookupBatch(words, out6);
        expect([...out6]).toEqual(lows.map((_, index) => ipv6.lookupAt(words, index * 4)));
      }),
      { numRuns: 100 },
    );
    expect(() => {
      ipv4.lookupBatch(new Uint32Array(4), new Uint32Array(2));
    }).toThrow(FibError);
    expect(() => {
      ipv6.lookupBatch(new Uint32Array(8), new Uint32Array(1));
    }).toThrow(FibError);
  });
});

describe('Ipv6Fib edge cases', () => {
  it('matches a /128 only at its address and a /0 everywhere else', () => {
    const fib = new Ipv6Fib();
    fib.set([0, 0, 0, 0], 0, 1);
    fib.set([0x20010db8, 0, 0, 1], 128, 2);
    expect(fib.lookup(0x20010db8, 0, 0, 1)).toBe(2);
    expect(fib.lookup(0x20010db8, 0, 0, 2)).toBe(1);
    expect(fib.lookupLength(0x20010db8, 0, 0, 1)).toBe(128);
    expect(fib.lookupLength(0xffffffff, 0, 0, 1)).toBe(0);
    expect(fib.delete([0, 0, 0, 0], 0)).toBe(true);
    expect(fib.lookup(0x20010db8, 0, 0, 2)).toBe(FIB_NO_ROUTE);
    expect(fib.lookupAt(Uint32Array.of(9, 0x20010db8, 0, 0, 1), 1)).toBe(2);
  });

  it('keeps a /48 when its covering /32 is deleted', () => {
    const fib = new Ipv6Fib();
    fib.set([0x20010db8, 0, 0, 0], 32, 1);
    fib.set([0x20010db8, 0x00010000, 0, 0], 48, 2);
    fib.delete([0x20010db8, 0, 0, 0], 32);
    expect(fib.lookup(0x20010db8, 0x00010000, 5, 5)).toBe(2);
    expect(fib.lookup(0x20010db8, 0x00020000, 5, 5)).toBe(FIB_NO_ROUTE);
  });

  it('rejects host bits, bad lengths and short prefixes with typed errors', () => {
    const fib = new Ipv6Fib();
    expect(() => {
      fib.set([0x20010db8, 0, 0, 1], 64, 1);
    }).toThrow(FibError);
    expect(() => {
      fib.set([0x20010db8, 0, 0, 0], 129, 1);
    }).toThrow(/0\.\.128/);
    expect(() => {
      fib.set([0x20010db8, 0], 32, 1);
    }).toThrow(/four 32-bit words/);
    expect(() => {
      fib.set([0x20010db8, 0, 0, 2 ** 32], 128, 1);
    }).toThrow(FibError);
  });
});

describe('depth-first layout after a bulk load', () => {
  /** Walks the trie in preorder and checks each child node sits exactly where preorder allocation puts it. */
  function expectPreorder(trie: MultibitTrie): void {
    let next = 1 << trie.strides[0]!;
    const visit = (level: number, base: number): void => {
      for (let slot = base; slot < base + (1 << trie.strides[level]!); slot++) {
        const entry = trie.entries[slot]!;
        if (entry >= 0) continue;
        expect(~entry).toBe(next);
        next += 1 << trie.strides[level + 1]!;
        visit(level + 1, ~entry);
      }
    };
    visit(0, 0);
    expect(trie.used).toBe(next);
  }

  it('places every node right after its parent and its earlier siblings subtrees, with no gaps', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(ipv6Prefix, { selector: (p) => `${p.words.join(',')}/${p.length}`, maxLength: 80 }),
        (prefixes) => {
          const trie = new MultibitTrie(4, [16, 16, ...Array.from({ length: 24 }, () => 4)], true);
          trie.load(
            Uint32Array.from(prefixes.flatMap((p) => p.words)),
            Uint8Array.from(prefixes.map((p) => p.length)),
            Uint32Array.from(prefixes.map((_, index) => index)),
            prefixes.length,
          );
          expectPreorder(trie);
          const reference = new ReferenceTable();
          prefixes.forEach((p, index) => {
            reference.set(p.words, p.length, index);
          });
          for (const route of reference.routes.values()) {
            const expected = reference.lookup(route.words)!.value;
            let base = 0;
            let entry = 0;
            for (let level = 0, start = 0; ; level++) {
              const stride = trie.strides[level]!;
              const word = route.words[start >>> 5]!;
              entry = trie.entries[base + ((word << (start & 31)) >>> (32 - stride))]!;
              if (entry >= 0) break;
              base = ~entry;
              start += stride;
            }
            expect(entry).toBe(expected);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps room for updates after a load and grows past it without losing routes', () => {
    const fib = new Ipv6Fib();
    const count = 300;
    const words = new Uint32Array(count * 4);
    const lengths = new Uint8Array(count).fill(48);
    const values = new Uint32Array(count);
    for (let index = 0; index < count; index++) {
      words.set([0x20010db8, (index << 16) >>> 0, 0, 0], index * 4);
      values[index] = index;
    }
    fib.load(words, lengths, values);
    for (let index = 0; index < 2000; index++) fib.set([0x2a000000 + index, 0x00010000, 0, 0], 48, count + index);
    for (let index = 0; index < count; index++) expect(fib.lookup(0x20010db8, (index << 16) >>> 0, 0, 1)).toBe(index);
    for (let index = 0; index < 2000; index++)
      expect(fib.lookup(0x2a000000 + index, 0x00010000, 5, 1)).toBe(count + index);
    expect(fib.lookup(0x2a000000, 0x00020000, 0, 0)).toBe(FIB_NO_ROUTE);
  });
});
