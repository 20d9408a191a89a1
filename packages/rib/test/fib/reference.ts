/**
 * The naive reference the FIB is checked against: a list of prefixes, longest-prefix match by a linear scan over all
 * of them (RFC 1812 section 5.2.4.3: the longest matching prefix wins).
 */

/** One prefix in the reference: `width` words (1 or 4), its length and value. */
export interface ReferenceRoute {
  readonly words: readonly number[];
  readonly length: number;
  readonly value: number;
}

/** A list-backed prefix table with linear-scan longest-prefix match. */
export class ReferenceTable {
  readonly routes: Map<string, ReferenceRoute> = new Map();

  set(words: readonly number[], length: number, value: number): void {
    this.routes.set(`${words.join(',')}/${length}`, { words, length, value });
  }

  delete(words: readonly number[], length: number): boolean {
    return this.routes.delete(`${words.join(',')}/${length}`);
  }

  get(words: readonly number[], length: number): ReferenceRoute | undefined {
    return this.routes.get(`${words.join(',')}/${length}`);
  }

  /** The longest route containing the address, or undefined. */
  lookup(address: readonly number[]): ReferenceRoute | undefined {
    let best: ReferenceRoute | undefined;
    for (const route of this.routes.values()) {
      if (best !== undefined && route.length <= best.length) continue;
      if (contains(route, address)) best = route;
    }
    return best;
  }
}

/** True when the first `route.length` bits of `address` equal the route's. */
export function contains(route: ReferenceRoute, address: readonly number[]): boolean {
  let remaining = route.length;
  for (let index = 0; remaining > 0; index++) {
    const bits = Math.min(32, remaining);
    const shift = 32 - bits;
    // compare the top `bits` bits of the word, as unsigned numbers
    if (Math.floor(route.words[index]! / 2 ** shift) !== Math.floor(address[index]! / 2 ** shift)) return false;
    remaining -= bits;
  }
  return true;
}

/** Clears the bits of `words` after `length` (unsigned words). */
export function mask(words: readonly number[], length: number): number[] {
  return words.map((word, index) => {
    const kept = Math.min(32, Math.max(0, length - index * 32));
    if (kept === 0) return 0;
    const block = 2 ** (32 - kept);
    return Math.floor(word / block) * block;
  });
}
