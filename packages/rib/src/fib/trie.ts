/**
 * The engine under {@link Ipv4Fib} and {@link Ipv6Fib}: a multibit trie with controlled prefix expansion, stored in
 * one array of 32-bit entries (plus a parallel `Uint8Array` of the prefix length each entry came from). The entries
 * live in a WebAssembly memory ({@link FibMemory}), where the batch lookup kernels read them; JavaScript reads them
 * through an `Int32Array` view.
 *
 * Layout. Level 0 is a direct-pointing array of 2^strides[0] entries at offset 0 (the idea of DIR-24-8 and of
 * Poptrie's direct pointing: most lookups end there). Each deeper node is 2^strides[level] consecutive entries. An
 * entry is either a value (≥ 0: the caller's value, or FIB_NO_ROUTE) or a child node (< 0: the bitwise NOT of the
 * child's offset), so a lookup is `entry = entries[~entry + bits]` until the entry is not negative.
 *
 * Updates. A prefix of length L ends at the level whose bit range holds bit L; it is expanded over the 2^(end-L)
 * entries it covers there, and pushed down into child nodes below those entries. An entry only takes a prefix's value
 * when the entry's own prefix is not longer (the `lengths` array says), so insertion order does not matter. Deletion
 * repaints the entries the prefix owned with the next shorter covering prefix (found in the exact-match table) and
 * frees nodes on the prefix's path that no longer hold anything longer than their parent entry. Nodes are recycled
 * through per-level free lists; `rebuild` compacts (and, when `depthFirstLayout` is set, as for IPv6, puts every
 * subtree in one contiguous run so that the reads of one lookup share pages).
 *
 * Why not Poptrie's compressed nodes (bitmaps and popcount) here: a prototype on the full table (direct pointing on 16
 * or 18 bits, then nodes of 32-position chunks with a child bitmap, a leaf bitmap and leaf runs compressed) needed only
 * 9 MB for 1.05M IPv4 prefixes against 22 MB of entries here, but in JavaScript it looked up 1.3-2x slower cache-cold
 * and 3-5x slower hot: there is no popcount instruction (a dozen operations instead) and each level adds a dependent read (node, then
 * leaf) where this trie reads the value straight from the node. See the package README for the figures.
 */
import { ExactPrefixTable } from './exact';
import { FibMemory } from './memory';

/** The value a lookup returns when no prefix covers the address (2^31 - 1). */
export const FIB_NO_ROUTE = 0x7fffffff;
/** The largest value a FIB stores (2^31 - 2): values are non-negative 31-bit integers. */
export const FIB_MAX_VALUE = 0x7ffffffe;

/** @internal */
export class MultibitTrie {
  /** Words per address: 1 (IPv4) or 4 (IPv6). */
  readonly width: number;
  /** Address bits: 32 or 128. */
  readonly bits: number;
  /** Bits consumed per level; they sum to `bits`. */
  readonly strides: readonly number[];
  /** First address bit of each level. */
  readonly starts: readonly number[];
  /** Entries: values (≥ 0) or NOT-ed child offsets (< 0). Level 0 at offset 0. A view of `memory`. */
  entries: Int32Array;
  /** The memory holding `entries`, with the batch lookup kernels. */
  memory: FibMemory;
  /** Prefix length each value entry came from (0 for FIB_NO_ROUTE). */
  lengths: Uint8Array;
  /** First unused entry of `entries`. */
  used: number;
  /** Offsets of freed nodes, per level. */
  readonly freeNodes: number[][];
  /** Nodes in use, per level (level 0 counts as one). */
  readonly nodeCounts: number[];
  /** Every stored prefix with its value. */
  readonly exact: ExactPrefixTable;
  /** Scratch words of the width (masking, replacement search). */
  private readonly scratch: Uint32Array;

  /** Whether `load` lays nodes out depth first (see {@link MultibitTrie.layOutDepthFirst}). */
  readonly depthFirstLayout: boolean;
  /** Whether `memory` (the only memory a lookup reads) asks for transparent huge pages. */
  readonly hugePages: boolean;
  /** Told the new `entries` each time the trie moves to a new memory (see {@link MultibitTrie.resizeArrays}). */
  private readonly onMove: ((entries: Int32Array) => void) | undefined;

  constructor(
    width: number,
    strides: readonly number[],
    depthFirstLayout = false,
    hugePages = true,
    onMove?: (entries: Int32Array) => void,
  ) {
    this.width = width;
    this.onMove = onMove;
    this.depthFirstLayout = depthFirstLayout;
    this.hugePages = hugePages;
    this.bits = width * 32;
    this.strides = strides;
    const starts: number[] = [];
    let start = 0;
    for (const stride of strides) {
      starts.push(start);
      start += stride;
    }
    this.starts = starts;
    this.freeNodes = strides.map(() => []);
    this.nodeCounts = strides.map(() => 0);
    this.exact = new ExactPrefixTable(width);
    this.scratch = new Uint32Array(width);
    const topSize = 1 << strides[0]!;
    this.memory = this.newMemory(topSize * 2);
    this.entries = this.memory.entries;
    this.lengths = new Uint8Array(this.entries.length);
    this.used = 0;
    this.clear();
  }

  /** Drops every prefix from the trie (not from the exact-match table), keeping the allocated arrays. */
  clear(): void {
    const topSize = 1 << this.strides[0]!;
    this.entries.fill(FIB_NO_ROUTE, 0, topSize);
    this.lengths.fill(0, 0, topSize);
    this.used = topSize;
    for (let level = 0; level < this.strides.length; level++) {
      this.freeNodes[level]!.length = 0;
      this.nodeCounts[level] = level === 0 ? 1 : 0;
    }
  }

  /** Bytes held by the trie (its whole memory) and the exact-match table. */
  memoryBytes(): number {
    return this.memory.byteLength + this.lengths.byteLength + this.exact.memoryBytes();
  }

  /** A memory for at least `capacity` entries (with the level table the IPv6 kernel walks by). */
  private newMemory(capacity: number): FibMemory {
    return new FibMemory(capacity, this.hugePages, this.width === 4 ? this.strides : undefined);
  }

  /** Bytes of the lookup structure up to its high-water mark (entries and lengths), without the exact-match table. */
  trieBytes(): number {
    return this.used * 5;
  }

  /** The `stride` address bits starting at bit `start` of the words at `offset`. */
  private bitsAt(words: ArrayLike<number>, offset: number, start: number, stride: number): number {
    const word = start >>> 5;
    const bit = start & 31;
    const high = (words[offset + word]! << bit) >>> (32 - stride);
    if (bit + stride <= 32) return high;
    return high | (words[offset + word + 1]! >>> (64 - bit - stride));
  }

  private allocateNode(level: number, value: number, length: number): number {
    const size = 1 << this.strides[level]!;
    let offset = this.freeNodes[level]!.pop();
    if (offset === undefined) {
      offset = this.used;
      if (offset + size > this.entries.length) this.grow(offset + size);
      this.used = offset + size;
    }
    this.entries.fill(value, offset, offset + size);
    this.lengths.fill(length, offset, offset + size);
    this.nodeCounts[level]!++;
    return offset;
  }

  private grow(needed: number): void {
    let capacity = this.entries.length * 2;
    while (capacity < needed) capacity *= 2;
    this.resizeArrays(capacity);
  }

  /** Stores or replaces a prefix (validated by the caller: host bits clear, value in range). */
  insert(words: ArrayLike<number>, offset: number, length: number, value: number): void {
    this.exact.set(words, offset, length, value);
    this.paintPrefix(words, offset, length, value);
  }

  /** Expands the prefix over the trie without touching the exact-match table. */
  private paintPrefix(words: ArrayLike<number>, offset: number, length: number, value: number): void {
    let base = 0;
    for (let level = 0; ; level++) {
      const stride = this.strides[level]!;
      const start = this.starts[level]!;
      const end = start + stride;
      const index = this.bitsAt(words, offset, start, stride);
      if (length <= end) {
        const shift = end - length;
        const first = base + ((index >>> shift) << shift);
        const last = first + (1 << shift);
        for (let slot = first; slot < last; slot++) this.paintEntry(level, slot, value, length);
        return;
      }
      const slot = base + index;
      let entry = this.entries[slot]!;
      if (entry >= 0) {
        const child = this.allocateNode(level + 1, entry, this.lengths[slot]!);
        entry = ~child;
        this.entries[slot] = entry;
      }
      base = ~entry;
    }
  }

  /** Gives an entry (or, through a child pointer, its whole subtree) the prefix unless it holds a longer one. */
  private paintEntry(level: number, slot: number, value: number, length: number): void {
    const entry = this.entries[slot]!;
    if (entry < 0) {
      const child = ~entry;
      const size = 1 << this.strides[level + 1]!;
      for (let inner = child; inner < child + size; inner++) this.paintEntry(level + 1, inner, value, length);
    } else if (this.lengths[slot]! <= length) {
      this.entries[slot] = value;
      this.lengths[slot] = length;
    }
  }

  /** Replaces the entries a prefix of `length` owns with the covering prefix (`value`, `coverLength`). */
  private repaintEntry(level: number, slot: number, length: number, value: number, coverLength: number): void {
    const entry = this.entries[slot]!;
    if (entry < 0) {
      const child = ~entry;
      const size = 1 << this.strides[level + 1]!;
      for (let inner = child; inner < child + size; inner++)
        this.repaintEntry(level + 1, inner, length, value, coverLength);
    } else if (this.lengths[slot] === length) {
      this.entries[slot] = value;
      this.lengths[slot] = coverLength;
    }
  }

  /**
   * Calls `visit(first, last)` for ranges that hold every entry an update of this prefix can have written, as the trie
   * now is: on the path to it, the level-0 entry and the whole node at each deeper level (nodes allocated for it, leaf
   * entries turned into pointers, pointers turned back by a collapse); where it ends, the entries it expands to and
   * every node below them (which also hold all the entries that carry its value). For per-entry data kept beside the
   * entries, such as the RIB's route objects. Ranges may overlap; nothing is changed.
   */
  visitPrefixArea(
    words: ArrayLike<number>,
    offset: number,
    length: number,
    visit: (first: number, last: number) => void,
  ): void {
    let base = 0;
    for (let level = 0; ; level++) {
      const stride = this.strides[level]!;
      const start = this.starts[level]!;
      const end = start + stride;
      const index = this.bitsAt(words, offset, start, stride);
      if (level > 0) visit(base, base + (1 << stride));
      if (length <= end) {
        const shift = end - length;
        const first = base + ((index >>> shift) << shift);
        const last = first + (1 << shift);
        if (level === 0) visit(first, last);
        for (let slot = first; slot < last; slot++) {
          const entry = this.entries[slot]!;
          if (entry < 0) this.visitSubtree(level + 1, ~entry, visit);
        }
        return;
      }
      const slot = base + index;
      if (level === 0) visit(slot, slot + 1);
      const entry = this.entries[slot]!;
      if (entry >= 0) return;
      base = ~entry;
    }
  }

  /** Visits the node at `node` of `level` and every node below it. */
  private visitSubtree(level: number, node: number, visit: (first: number, last: number) => void): void {
    const size = 1 << this.strides[level]!;
    visit(node, node + size);
    for (let slot = node; slot < node + size; slot++) {
      const entry = this.entries[slot]!;
      if (entry < 0) this.visitSubtree(level + 1, ~entry, visit);
    }
  }

  /** The value stored for exactly this prefix, or FIB_NO_ROUTE. */
  get(words: ArrayLike<number>, offset: number, length: number): number {
    const slot = this.exact.find(words, offset, length);
    return slot < 0 ? FIB_NO_ROUTE : this.exact.values[slot]!;
  }

  /** Removes a prefix; returns false when it was not stored. */
  remove(words: ArrayLike<number>, offset: number, length: number): boolean {
    if (!this.exact.delete(words, offset, length)) return false;
    // the next shorter prefix covering this one takes its place (RFC 1812 5.2.4.3: longest match wins)
    const scratch = this.scratch;
    let coverValue = FIB_NO_ROUTE;
    let coverLength = 0;
    for (let shorter = length - 1; shorter >= 0; shorter--) {
      maskInto(words, offset, shorter, scratch);
      const slot = this.exact.find(scratch, 0, shorter);
      if (slot >= 0) {
        coverValue = this.exact.values[slot]!;
        coverLength = shorter;
        break;
      }
    }
    // walk down to the level where the prefix ends, remembering the path for the collapse below
    const pathSlots: number[] = [];
    let base = 0;
    for (let level = 0; ; level++) {
      const stride = this.strides[level]!;
      const start = this.starts[level]!;
      const end = start + stride;
      const index = this.bitsAt(words, offset, start, stride);
      if (length <= end) {
        const shift = end - length;
        const first = base + ((index >>> shift) << shift);
        const last = first + (1 << shift);
        for (let slot = first; slot < last; slot++) this.repaintEntry(level, slot, length, coverValue, coverLength);
        this.collapse(pathSlots, level, base);
        return true;
      }
      const slot = base + index;
      const entry = this.entries[slot]!;
      // the prefix was stored, so its path exists; a value here would mean a broken invariant
      if (entry >= 0) return true;
      pathSlots.push(slot);
      base = ~entry;
    }
  }

  /**
   * Frees the nodes on a path, deepest first, that hold nothing longer than their parent entry: such a node is
   * uniform (every entry is the best prefix covering the whole node) and its parent entry can hold that value itself.
   */
  private collapse(pathSlots: number[], deepest: number, deepestBase: number): void {
    let base = deepestBase;
    for (let level = deepest; level > 0; level--) {
      const size = 1 << this.strides[level]!;
      const start = this.starts[level]!;
      for (let slot = base; slot < base + size; slot++) {
        if (this.entries[slot]! < 0 || this.lengths[slot]! > start) return;
      }
      const parentSlot = pathSlots[level - 1]!;
      this.entries[parentSlot] = this.entries[base]!;
      this.lengths[parentSlot] = this.lengths[base]!;
      this.freeNodes[level]!.push(base);
      this.nodeCounts[level]!--;
      base = level >= 2 ? ~this.entries[pathSlots[level - 2]!]! : 0;
    }
  }

  /**
   * Replaces the whole content with `count` prefixes (words `width` per prefix, lengths, values), validated by the
   * caller. Prefixes are expanded shortest first, so no expansion is ever pushed down into a subtree built before it.
   */
  load(words: ArrayLike<number>, lengths: ArrayLike<number>, values: ArrayLike<number>, count: number): void {
    const width = this.width;
    this.exact.reset(count);
    for (let index = 0; index < count; index++) {
      this.exact.set(words, index * width, lengths[index]!, values[index]!);
    }
    // counting sort of the distinct prefixes by length, read back from the exact table (later duplicates won there)
    const exact = this.exact;
    const buckets = new Int32Array(this.bits + 2);
    for (let slot = 0; slot < exact.capacity; slot++) if (exact.isLive(slot)) buckets[exact.lengths[slot]! + 1]!++;
    for (let length = 1; length < buckets.length; length++) buckets[length]! += buckets[length - 1]!;
    const order = new Int32Array(exact.size);
    for (let slot = 0; slot < exact.capacity; slot++) {
      if (exact.isLive(slot)) order[buckets[exact.lengths[slot]!]!++] = slot;
    }
    this.clear();
    for (let index = 0; index < order.length; index++) {
      const slot = order[index]!;
      this.paintPrefix(exact.keys, slot * width, exact.lengths[slot]!, exact.values[slot]!);
    }
    // growth by doubling can leave up to half the arrays unused after a bulk load: keep 1/16 headroom for updates
    const fitted = this.used + (this.used >>> 4);
    if (this.depthFirstLayout) this.layOutDepthFirst(fitted);
    else if (this.entries.length > fitted + (fitted >>> 3)) this.resizeArrays(fitted);
  }

  /**
   * Copies the trie into new arrays of `capacity` entries with every node placed right after its parent's earlier
   * children's subtrees (preorder). Shortest-first loading allocates nodes level by level, so the nodes on one path
   * (a /48's /36, /40, /44 and /48 nodes) land megabytes apart, each on its own page and its own TLB miss; in preorder
   * a /32's whole subtree is a few kilobytes, and a lookup's reads below it mostly share one or two pages (about 15%
   * more IPv6 lookups per second inside a full table, cold and hot, measured here; IPv4 paths are too short to gain).
   */
  private layOutDepthFirst(capacity: number): void {
    const memory = this.newMemory(capacity);
    const entries = memory.entries;
    const lengths = new Uint8Array(entries.length);
    const topSize = 1 << this.strides[0]!;
    this.used = this.copyNode(this.entries, this.lengths, entries, lengths, 0, 0, 0, topSize);
    this.moveTo(memory, lengths);
    for (let level = 0; level < this.strides.length; level++) this.freeNodes[level]!.length = 0;
  }

  /**
   * Copies the node at `from` of the old arrays to `to` of the new ones, and its subtrees in order from `next` on;
   * returns the first entry after them. Entry by entry, not with `set`: most nodes are 16 entries, where a subarray
   * view per node would cost more than the copy.
   */
  private copyNode(
    oldEntries: Int32Array,
    oldLengths: Uint8Array,
    entries: Int32Array,
    lengths: Uint8Array,
    level: number,
    from: number,
    to: number,
    next: number,
  ): number {
    const size = 1 << this.strides[level]!;
    const childSize = level + 1 < this.strides.length ? 1 << this.strides[level + 1]! : 0;
    for (let slot = 0; slot < size; slot++) {
      const entry = oldEntries[from + slot]!;
      lengths[to + slot] = oldLengths[from + slot]!;
      if (entry >= 0) {
        entries[to + slot] = entry;
        continue;
      }
      const child = next;
      entries[to + slot] = ~child;
      next = this.copyNode(oldEntries, oldLengths, entries, lengths, level + 1, ~entry, child, child + childSize);
    }
    return next;
  }

  /**
   * Moves the trie into a new memory of `capacity` entries. Not `WebAssembly.Memory.grow`: growing detaches the old
   * buffer, and the first detached buffer in a process makes V8 check for detachment on every typed-array access in
   * optimized code from then on, this FIB's lookups included; and a memory cannot shrink.
   */
  private resizeArrays(capacity: number): void {
    const memory = this.newMemory(capacity);
    memory.entries.set(this.entries.subarray(0, this.used));
    const lengths = new Uint8Array(memory.entries.length);
    lengths.set(this.lengths.subarray(0, this.used));
    this.moveTo(memory, lengths);
  }

  /** Makes `memory` the trie's, with `lengths` beside it, and tells the owner (a FIB holds `entries` too). */
  private moveTo(memory: FibMemory, lengths: Uint8Array): void {
    this.memory = memory;
    this.entries = memory.entries;
    this.lengths = lengths;
    this.onMove?.(memory.entries);
  }

  /** Rebuilds the trie from the exact-match table, compacting away freed nodes. */
  rebuild(): void {
    const exact = this.exact;
    const width = this.width;
    const count = exact.size;
    const words = new Uint32Array(count * width);
    const lengths = new Uint8Array(count);
    const values = new Uint32Array(count);
    let next = 0;
    for (let slot = 0; slot < exact.capacity; slot++) {
      if (!exact.isLive(slot)) continue;
      for (let index = 0; index < width; index++) words[next * width + index] = exact.keys[slot * width + index]!;
      lengths[next] = exact.lengths[slot]!;
      values[next] = exact.values[slot]!;
      next++;
    }
    this.load(words, lengths, values, count);
  }
}

/** Copies `words` at `offset` into `out` with the bits after `length` cleared. */
export function maskInto(words: ArrayLike<number>, offset: number, length: number, out: Uint32Array): void {
  for (let index = 0; index < out.length; index++) {
    const kept = length - index * 32;
    const word = words[offset + index]!;
    out[index] = kept >= 32 ? word : kept <= 0 ? 0 : (word & (-1 << (32 - kept))) >>> 0;
  }
}
