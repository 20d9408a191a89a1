import { fc, test } from '@fast-check/vitest';
import { AttributeSet, AttributeSetPool, BgpRoute, InvalidAttributeError } from '@patronus/rib';
import { attributeSetArbitrary } from '@patronus/rib/testing';
import { describe, expect, it } from 'vitest';

describe('AttributeSet', () => {
  it('RFC 4271 9.1.2.2 (a): AS_SEQUENCE counts each AS, AS_SET counts 1, confederation segments count 0', () => {
    const set = AttributeSet.create({
      nextHop: '192.0.2.1',
      asPath: [
        { type: 'AS_CONFED_SEQUENCE', asns: [65100, 65101] },
        { type: 'AS_SEQUENCE', asns: [65001, 65002] },
        { type: 'AS_SET', asns: [65003, 65004, 65005] },
        { type: 'AS_CONFED_SET', asns: [65102] },
      ],
    });
    expect(set.asPathLength).toBe(3);
    expect(set.neighborAs).toBe(65001);
    expect(set.asPathText()).toBe('(65100 65101) 65001 65002 {65003,65004,65005} [65102]');
    expect(AttributeSet.create({ nextHop: '192.0.2.1' }).neighborAs).toBe(0);
  });

  it('rejects out-of-range values with InvalidAttributeError naming the attribute and position', () => {
    expect(() => new BgpRoute('10.0.0.0/8', '192.0.2.1').withLocalPref(-1)).toThrow(
      expect.objectContaining({ code: 'ERR_RIB_INVALID_ATTRIBUTE', attribute: 'LOCAL_PREF' }),
    );
    expect(() => new BgpRoute('10.0.0.0/8', '192.0.2.1', [1, 2 ** 32])).toThrow(
      expect.objectContaining({ attribute: 'AS_PATH', position: 'AS 1' }),
    );
    expect(() => AttributeSet.create({ nextHop: '192.0.2.1', asPath: [{ type: 'AS_SET', asns: [] }] })).toThrow(
      InvalidAttributeError,
    );
    expect(() => AttributeSet.create({ nextHop: '192.0.2.1', origin: 3 as 0 })).toThrow(
      expect.objectContaining({ attribute: 'ORIGIN' }),
    );
    expect(() => AttributeSet.create({ nextHop: '192.0.2.1', communities: [1.5] })).toThrow(
      expect.objectContaining({ attribute: 'COMMUNITIES', position: 'entry 0' }),
    );
  });

  test.prop([attributeSetArbitrary()])('a copy made from the same values is equal and hashes the same', (set) => {
    const copy = AttributeSet.create(set.toInit());
    expect(copy.equals(set)).toBe(true);
    expect(copy.hash).toBe(set.hash);
  });

  test.prop([attributeSetArbitrary(), attributeSetArbitrary()])(
    'sets made from different values are not equal',
    (a, b) => {
      const same = JSON.stringify(a.toInit()) === JSON.stringify(b.toInit());
      expect(a.equals(b)).toBe(same);
    },
  );
});

describe('AttributeSetPool (interning)', () => {
  const context = { localAs: 65000, routerId: 1, clusterId: 1 };

  test.prop([fc.array(attributeSetArbitrary(), { minLength: 1, maxLength: 30 })])(
    'equal sets get one id and one object; ids are freed with their last reference and reused',
    (sets) => {
      const pool = new AttributeSetPool(context, 4);
      const ids = sets.map((set) => pool.acquire(set));
      const copies = sets.map((set) => pool.acquire(AttributeSet.create(set.toInit())));
      expect(copies).toEqual(ids);
      for (let index = 0; index < sets.length; index++) {
        for (let other = 0; other < sets.length; other++) {
          expect(ids[index] === ids[other]).toBe(sets[index]!.equals(sets[other]!));
        }
        expect(pool.get(ids[index]!).equals(sets[index]!)).toBe(true);
      }
      expect(pool.size).toBe(new Set(ids).size);
      for (const id of [...ids, ...copies]) pool.release(id);
      expect(pool.size).toBe(0);
      const again = pool.acquire(sets[0]!);
      expect(ids).toContain(again);
    },
  );

  it('flags AS loops and RFC 4456 loops when a set is interned', () => {
    const pool = new AttributeSetPool(context);
    const loop = pool.acquire(AttributeSet.create({ nextHop: '192.0.2.1', asPath: [65001, 65000] }));
    const clean = pool.acquire(AttributeSet.create({ nextHop: '192.0.2.1', asPath: [65001] }));
    const reflected = pool.acquire(AttributeSet.create({ nextHop: '192.0.2.1', clusterList: [1], originatorId: 1 }));
    expect(pool.flagsOf(loop) & 8).toBe(8);
    expect(pool.flagsOf(clean) & 8).toBe(0);
    expect(pool.flagsOf(reflected) & (16 | 32)).toBe(16 | 32);
  });
});
