import { FibError } from './errors';
import type { FibOptions } from './huge-pages';
import { FIB_MAX_VALUE, FIB_NO_ROUTE, MultibitTrie } from './trie';

/**
 * Strides of the IPv4 trie: a direct-pointing first level on the top 20 bits (2^20 entries, 5 MiB), then 4 bits
 * (nodes of 16 entries, one 64-byte cache line) and 8 bits. On a full table 85% of the /20 blocks hold no prefix
 * longer than /20, so most lookups of random addresses end after one read; a /24 takes two, a /25-/32 three.
 */
const IPV4_STRIDES: readonly number[] = [20, 4, 8];

/** One stored IPv4 prefix and its value, as iteration yields it. */
export interface Ipv4FibEntry {
  /** Network address as an unsigned 32-bit number (host bits clear). */
  readonly prefix: number;
  /** Prefix length in bits, 0..32. */
  readonly length: number;
  /** The caller's value, 0..FIB_MAX_VALUE. */
  readonly value: number;
}

/**
 * An IPv4 forwarding table: longest-prefix match from an address (an unsigned 32-bit number) to a value the caller
 * chose (a next-hop index, a next-hop group index for ECMP, a route slot), in typed arrays.
 *
 * Lookups return the value of the longest stored prefix containing the address, or {@link FIB_NO_ROUTE}. Updates are
 * incremental (they touch only the entries the prefix covers) and `load` rebuilds the whole table from arrays.
 *
 * @example
 * const fib = new Ipv4Fib();
 * fib.set(0x0a000000, 8, 1); // 10.0.0.0/8 -> next hop 1
 * fib.set(0x0a010000, 16, 2); // 10.1.0.0/16 -> next hop 2
 * fib.lookup(0x0a010203); // 2 (10.1.2.3)
 * fib.lookup(0x0b000000); // FIB_NO_ROUTE (11.0.0.0)
 */
export class Ipv4Fib {
  private readonly trie: MultibitTrie;
  private readonly scratch: Uint32Array;
  /** The trie's entries, kept here as the trie moves (a lookup then reads one field, not two). */
  private lookupEntries: Int32Array;

  constructor(options: FibOptions = {}) {
    this.trie = new MultibitTrie(1, IPV4_STRIDES, false, options.hugePages ?? true, (entries) => {
      this.lookupEntries = entries;
    });
    this.lookupEntries = this.trie.entries;
    this.scratch = new Uint32Array(1);
  }

  /**
   * @internal The entries {@link lookupIpv4Entries} reads, for a caller that holds them (the RIB): valid until the
   * next change to this FIB, which may move them.
   */
  get lookupArray(): Int32Array {
    return this.lookupEntries;
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.trie.exact.size;
  }

  /** Stores `value` for `prefix/length`, replacing the prefix's previous value. Throws {@link FibError} on bad input. */
  set(prefix: number, length: number, value: number): void {
    checkIpv4Prefix(prefix, length, -1);
    checkValue(value, -1);
    this.scratch[0] = prefix;
    this.trie.insert(this.scratch, 0, length, value);
  }

  /** Removes `prefix/length`; returns false when it was not stored. Throws {@link FibError} on bad input. */
  delete(prefix: number, length: number): boolean {
    checkIpv4Prefix(prefix, length, -1);
    this.scratch[0] = prefix;
    return this.trie.remove(this.scratch, 0, length);
  }

  /** The value stored for exactly `prefix/length` (no longest match), or {@link FIB_NO_ROUTE}. */
  get(prefix: number, length: number): number {
    checkIpv4Prefix(prefix, length, -1);
    this.scratch[0] = prefix;
    return this.trie.get(this.scratch, 0, length);
  }

  /** True when exactly `prefix/length` is stored. */
  has(prefix: number, length: number): boolean {
    checkIpv4Prefix(prefix, length, -1);
    this.scratch[0] = prefix;
    return this.trie.exact.find(this.scratch, 0, length) >= 0;
  }

  /**
   * Longest-prefix match: the value of the longest stored prefix containing `address` (an unsigned 32-bit number, or
   * its signed 32-bit equivalent), or {@link FIB_NO_ROUTE}. One to three array reads. The address is not checked (this
   * is the data-plane hot path): other numbers are read as `address >>> 0` would read them.
   */
  lookup(address: number): number {
    return lookupIpv4Entries(this.lookupEntries, address);
  }

  /**
   * @internal Calls `visit(first, last)` for ranges of {@link lookupArray} indexes that hold every entry an update of
   * `prefix/length` can have written, and every entry that carries its value (see {@link MultibitTrie.visitPrefixArea}).
   * Not checked: for the RIB, which keeps data per entry beside the FIB.
   */
  visitPrefixArea(prefix: number, length: number, visit: (first: number, last: number) => void): void {
    this.scratch[0] = prefix;
    this.trie.visitPrefixArea(this.scratch, 0, length, visit);
  }

  /** The length in bits of the longest stored prefix containing `address`, or -1 when none does. */
  lookupLength(address: number): number {
    const slot = lookupIpv4Index(this.lookupEntries, address);
    return this.lookupEntries[slot] === FIB_NO_ROUTE ? -1 : this.trie.lengths[slot]!;
  }

  /**
   * Looks up `count` addresses (default: all of `addresses`) into `out` (same positions); the loop a data plane runs
   * over a batch of packets. It runs in a WebAssembly kernel over the FIB's own memory, sixteen addresses at a time, so
   * that their cache misses overlap: on a cache-cold full table about twice the rate of `lookup` per address.
   */
  lookupBatch(addresses: Uint32Array, out: Uint32Array | Int32Array, count: number = addresses.length): void {
    if (count > addresses.length || count > out.length) {
      throw new FibError(
        'ERR_RIB_FIB_LOAD',
        `lookupBatch: count ${count} exceeds the arrays (${addresses.length}, ${out.length})`,
      );
    }
    this.trie.memory.lookup4(addresses, out, count);
  }

  /**
   * Replaces the whole table with `lengths.length` prefixes: `prefixes[i]/lengths[i] -> values[i]` (a later duplicate
   * replaces an earlier one). Everything is validated first, so a bad entry throws {@link FibError} (with its `index`)
   * and leaves the table as it was. Much faster than as many `set` calls.
   */
  load(prefixes: Uint32Array, lengths: Uint8Array, values: Uint32Array): void {
    const count = lengths.length;
    if (prefixes.length !== count || values.length !== count) {
      throw new FibError(
        'ERR_RIB_FIB_LOAD',
        `load: ${prefixes.length} prefixes, ${count} lengths and ${values.length} values differ in count`,
      );
    }
    for (let index = 0; index < count; index++) {
      checkIpv4Prefix(prefixes[index]!, lengths[index]!, index);
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
  *entries(): IterableIterator<Ipv4FibEntry> {
    const exact = this.trie.exact;
    for (let slot = 0; slot < exact.capacity; slot++) {
      if (exact.isLive(slot)) {
        yield { prefix: exact.keys[slot]!, length: exact.lengths[slot]!, value: exact.values[slot]! };
      }
    }
  }

  /** Same as {@link Ipv4Fib.entries}. */
  [Symbol.iterator](): IterableIterator<Ipv4FibEntry> {
    return this.entries();
  }
}

/**
 * @internal One lookup in the entries of an {@link Ipv4Fib}: /20 direct, then 4 and 8 bits. The `| 0` tells the
 * compiler the sums stay 32-bit (an entry offset is far below 2^31), which drops an overflow check per read.
 */
export function lookupIpv4Entries(entries: Int32Array, address: number): number {
  let entry = entries[address >>> 12]!;
  if (entry >= 0) return entry;
  entry = entries[(~entry + ((address >>> 8) & 0xf)) | 0]!;
  if (entry >= 0) return entry;
  return entries[(~entry + (address & 0xff)) | 0]!;
}

/**
 * @internal {@link lookupIpv4Entries}, returning the index of the entry the walk ends at (whose value is the answer)
 * instead of the value: for data kept per entry beside the FIB, read with the entry in one step.
 */
export function lookupIpv4Index(entries: Int32Array, address: number): number {
  let index = address >>> 12;
  let entry = entries[index]!;
  if (entry >= 0) return index;
  index = (~entry + ((address >>> 8) & 0xf)) | 0;
  entry = entries[index]!;
  if (entry >= 0) return index;
  return (~entry + (address & 0xff)) | 0;
}

function checkIpv4Prefix(prefix: number, length: number, index: number): void {
  if (!Number.isInteger(length) || length < 0 || length > 32) {
    throw new FibError('ERR_RIB_FIB_PREFIX_LENGTH', `IPv4 prefix length ${length} is not an integer in 0..32`, index);
  }
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 0xffffffff) {
    throw new FibError('ERR_RIB_FIB_ADDRESS', `IPv4 prefix ${prefix} is not an unsigned 32-bit integer`, index);
  }
  const hostBits = length === 32 ? 0 : length === 0 ? prefix : (prefix & (0xffffffff >>> length)) >>> 0;
  if (hostBits !== 0) {
    throw new FibError(
      'ERR_RIB_FIB_HOST_BITS',
      `IPv4 prefix ${formatIpv4(prefix)}/${length} has host bits set (clear the bits after the first ${length})`,
      index,
    );
  }
}

/** @internal Throws unless `value` is an integer in 0..FIB_MAX_VALUE. */
export function checkValue(value: number, index: number): void {
  if (!Number.isInteger(value) || value < 0 || value > FIB_MAX_VALUE) {
    throw new FibError('ERR_RIB_FIB_VALUE', `FIB value ${value} is not an integer in 0..${FIB_MAX_VALUE}`, index);
  }
}

function formatIpv4(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}
