import { FibError } from './errors';
import type { FibOptions } from './huge-pages';
import { checkValue } from './ipv4';
import { FIB_NO_ROUTE, MultibitTrie, maskInto } from './trie';

/**
 * Strides of the IPv6 trie: a direct-pointing first level on the top 16 bits, a 16-bit level to /32 (only the few
 * /16 blocks that hold routes get one: 61 on a full table), two 8-bit levels to /40 and /48 (nodes of 256 entries),
 * then 4-bit levels (16 entries, one cache line per node) down to /128. Most routes of a full table are /48 or shorter
 * (92%), and a /48 takes four reads, of which three miss the cache when cold. With 4-bit levels from /32 on, a /48
 * took six reads and the trie a third of the memory (29 MB instead of 95 MB on the full 250k-prefix table); the 8-bit
 * levels gave about 1.6x the cold lookups inside the table, measured here side by side.
 */
const IPV6_STRIDES: readonly number[] = [16, 16, 8, 8, ...Array.from({ length: 20 }, () => 4)];

/** One stored IPv6 prefix and its value, as iteration yields it. */
export interface Ipv6FibEntry {
  /** Network address as four unsigned 32-bit words, most significant first (host bits clear). */
  readonly prefix: readonly [number, number, number, number];
  /** Prefix length in bits, 0..128. */
  readonly length: number;
  /** The caller's value, 0..FIB_MAX_VALUE. */
  readonly value: number;
}

/**
 * An IPv6 forwarding table: longest-prefix match from an address (four unsigned 32-bit words, most significant first)
 * to a value the caller chose, in typed arrays. Same contract as {@link Ipv4Fib}.
 *
 * @example
 * const fib = new Ipv6Fib();
 * fib.set([0x20010db8, 0, 0, 0], 32, 1); // 2001:db8::/32 -> next hop 1
 * fib.set([0x20010db8, 0x00010000, 0, 0], 48, 2); // 2001:db8:1::/48 -> next hop 2
 * fib.lookup(0x20010db8, 0x00010000, 0, 1); // 2 (2001:db8:1::1)
 * fib.lookup(0x20010db8, 0x00020000, 0, 1); // 1 (2001:db8:2::1)
 */
export class Ipv6Fib {
  private readonly trie: MultibitTrie;
  private readonly scratch: Uint32Array;
  /** The trie's entries, kept here as the trie moves (a lookup then reads one field, not two). */
  private lookupEntries: Int32Array;

  constructor(options: FibOptions = {}) {
    this.trie = new MultibitTrie(4, IPV6_STRIDES, true, options.hugePages ?? true, (entries) => {
      this.lookupEntries = entries;
    });
    this.lookupEntries = this.trie.entries;
    this.scratch = new Uint32Array(4);
  }

  /**
   * @internal The entries {@link lookupIpv6Entries} reads, for a caller that holds them (the RIB): valid until the
   * next change to this FIB, which may move them.
   */
  get lookupArray(): Int32Array {
    return this.lookupEntries;
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.trie.exact.size;
  }

  /** Stores `value` for `prefix/length` (prefix: four words), replacing its previous value. Throws {@link FibError}. */
  set(prefix: ArrayLike<number>, length: number, value: number): void {
    checkIpv6Prefix(prefix, 0, length, -1);
    checkValue(value, -1);
    this.trie.insert(prefix, 0, length, value);
  }

  /** Removes `prefix/length`; returns false when it was not stored. Throws {@link FibError} on bad input. */
  delete(prefix: ArrayLike<number>, length: number): boolean {
    checkIpv6Prefix(prefix, 0, length, -1);
    return this.trie.remove(prefix, 0, length);
  }

  /** The value stored for exactly `prefix/length` (no longest match), or {@link FIB_NO_ROUTE}. */
  get(prefix: ArrayLike<number>, length: number): number {
    checkIpv6Prefix(prefix, 0, length, -1);
    return this.trie.get(prefix, 0, length);
  }

  /** True when exactly `prefix/length` is stored. */
  has(prefix: ArrayLike<number>, length: number): boolean {
    checkIpv6Prefix(prefix, 0, length, -1);
    return this.trie.exact.find(prefix, 0, length) >= 0;
  }

  /**
   * Longest-prefix match on the address `w0:w1:w2:w3` (unsigned or signed 32-bit words, `w0` most significant): the
   * value of the longest stored prefix containing it, or {@link FIB_NO_ROUTE}. The words are not checked (this is the
   * data-plane hot path): other numbers are read as `word >>> 0` would read them.
   */
  lookup(w0: number, w1: number, w2: number, w3: number): number {
    return lookupIpv6Entries(this.lookupEntries, w0, w1, w2, w3);
  }

  /** Longest-prefix match on the address stored as four words at `addresses[offset..offset+3]`. */
  lookupAt(addresses: Uint32Array, offset: number): number {
    return this.lookup(addresses[offset]!, addresses[offset + 1]!, addresses[offset + 2]!, addresses[offset + 3]!);
  }

  /** The length in bits of the longest stored prefix containing `w0:w1:w2:w3`, or -1 when none does. */
  lookupLength(w0: number, w1: number, w2: number, w3: number): number {
    const entries = this.trie.entries;
    const strides = this.trie.strides;
    const starts = this.trie.starts;
    const address = this.scratch;
    address[0] = w0;
    address[1] = w1;
    address[2] = w2;
    address[3] = w3;
    let base = 0;
    for (let level = 0; level < strides.length; level++) {
      const start = starts[level]!;
      const stride = strides[level]!;
      const word = address[start >>> 5]!;
      const slot = base + ((word << (start & 31)) >>> (32 - stride));
      const entry = entries[slot]!;
      if (entry >= 0) return entry === FIB_NO_ROUTE ? -1 : this.trie.lengths[slot]!;
      base = ~entry;
    }
    return -1;
  }

  /**
   * Looks up `count` addresses (default: all; four words each in `addresses`) into `out[0..count-1]`. It runs in a
   * WebAssembly kernel over the FIB's own memory that walks the batch breadth first, one level per pass for every
   * address still walking, so the reads of a pass all overlap and deep lookups do not hold up shallow ones.
   */
  lookupBatch(addresses: Uint32Array, out: Uint32Array | Int32Array, count: number = addresses.length >>> 2): void {
    if (count * 4 > addresses.length || count > out.length) {
      throw new FibError(
        'ERR_RIB_FIB_LOAD',
        `lookupBatch: count ${count} exceeds the arrays (${addresses.length} words, ${out.length} results)`,
      );
    }
    this.trie.memory.lookup6(addresses, out, count);
  }

  /**
   * Replaces the whole table with `lengths.length` prefixes: words `4i..4i+3` of `prefixes` with `lengths[i]` map to
   * `values[i]` (a later duplicate wins). Validated first: a bad entry throws {@link FibError} (with its `index`) and
   * leaves the table as it was.
   */
  load(prefixes: Uint32Array, lengths: Uint8Array, values: Uint32Array): void {
    const count = lengths.length;
    if (prefixes.length !== count * 4 || values.length !== count) {
      throw new FibError(
        'ERR_RIB_FIB_LOAD',
        `load: ${prefixes.length} prefix words (4 per prefix), ${count} lengths and ${values.length} values differ in count`,
      );
    }
    for (let index = 0; index < count; index++) {
      checkIpv6Prefix(prefixes, index * 4, lengths[index]!, index);
      checkValue(values[index]!, index);
    }
    this.trie.load(prefixes, lengths, values, count);
  }

  /** Rebuilds the trie from the stored prefixes, releasing the space of nodes freed by deletions. */
  rebuild(): void {
    this.trie.rebuild();
  }

  /** Removes every prefix. */
  clear(): void {
    this.trie.exact.reset(0);
    this.trie.clear();
  }

  /** Bytes of typed arrays this FIB holds: the trie (allocated capacity) and its exact-match index. */
  memoryBytes(): number {
    return this.trie.memoryBytes();
  }

  /**
   * Bytes of transparent huge pages backing the lookup entries, as the kernel reports them for their mapping; 0 when
   * they are in ordinary pages (see {@link hugePageSupport}).
   */
  hugePageBytes(): number {
    return this.trie.memory.hugePageBytes();
  }

  /** Bytes of the lookup structure in use (trie entries and their lengths), without the exact-match index. */
  lookupStructureBytes(): number {
    return this.trie.trieBytes();
  }

  /** Every stored prefix with its value, in no particular order. */
  *entries(): IterableIterator<Ipv6FibEntry> {
    const exact = this.trie.exact;
    const keys = exact.keys;
    for (let slot = 0; slot < exact.capacity; slot++) {
      if (exact.isLive(slot)) {
        const prefix: [number, number, number, number] = [
          keys[slot * 4]!,
          keys[slot * 4 + 1]!,
          keys[slot * 4 + 2]!,
          keys[slot * 4 + 3]!,
        ];
        yield { prefix, length: exact.lengths[slot]!, value: exact.values[slot]! };
      }
    }
  }

  /** Same as {@link Ipv6Fib.entries}. */
  [Symbol.iterator](): IterableIterator<Ipv6FibEntry> {
    return this.entries();
  }
}

/**
 * @internal One lookup in the entries of an {@link Ipv6Fib}: direct /16, a 16-bit level to /32, two 8-bit levels to
 * /48, then 4-bit levels (the last: values). The `| 0` as in {@link lookupIpv4Entries}.
 */
export function lookupIpv6Entries(entries: Int32Array, w0: number, w1: number, w2: number, w3: number): number {
  let entry = entries[w0 >>> 16]!;
  if (entry >= 0) return entry;
  entry = entries[(~entry + (w0 & 0xffff)) | 0]!;
  if (entry >= 0) return entry;
  entry = entries[(~entry + (w1 >>> 24)) | 0]!;
  if (entry >= 0) return entry;
  entry = entries[(~entry + ((w1 >>> 16) & 0xff)) | 0]!;
  if (entry >= 0) return entry;
  for (let shift = 12; shift >= 0; shift -= 4) {
    entry = entries[(~entry + ((w1 >>> shift) & 0xf)) | 0]!;
    if (entry >= 0) return entry;
  }
  for (let shift = 28; shift >= 0; shift -= 4) {
    entry = entries[(~entry + ((w2 >>> shift) & 0xf)) | 0]!;
    if (entry >= 0) return entry;
  }
  for (let shift = 28; ; shift -= 4) {
    entry = entries[(~entry + ((w3 >>> shift) & 0xf)) | 0]!;
    if (entry >= 0) return entry;
  }
}

const hostBitsScratch = new Uint32Array(4);

function checkIpv6Prefix(words: ArrayLike<number>, offset: number, length: number, index: number): void {
  if (!Number.isInteger(length) || length < 0 || length > 128) {
    throw new FibError('ERR_RIB_FIB_PREFIX_LENGTH', `IPv6 prefix length ${length} is not an integer in 0..128`, index);
  }
  if (words.length < offset + 4) {
    throw new FibError(
      'ERR_RIB_FIB_ADDRESS',
      `IPv6 prefix needs four 32-bit words, got ${words.length - offset}`,
      index,
    );
  }
  for (let word = 0; word < 4; word++) {
    const value = words[offset + word]!;
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new FibError(
        'ERR_RIB_FIB_ADDRESS',
        `IPv6 prefix word ${word} (${value}) is not an unsigned 32-bit integer`,
        index,
      );
    }
  }
  maskInto(words, offset, length, hostBitsScratch);
  for (let word = 0; word < 4; word++) {
    if (hostBitsScratch[word] !== words[offset + word]) {
      throw new FibError(
        'ERR_RIB_FIB_HOST_BITS',
        `IPv6 prefix ${formatIpv6(words, offset)}/${length} has host bits set (clear the bits after the first ${length})`,
        index,
      );
    }
  }
}

function formatIpv6(words: ArrayLike<number>, offset: number): string {
  const groups: string[] = [];
  for (let word = 0; word < 4; word++) {
    const value = words[offset + word]!;
    groups.push(((value >>> 16) & 0xffff).toString(16), (value & 0xffff).toString(16));
  }
  return groups.join(':');
}
