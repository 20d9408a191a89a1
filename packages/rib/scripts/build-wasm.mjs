// Generates the FIB's WebAssembly lookup kernels (the WAT text below, written out as src/fib/kernel.wat for reading)
// and compiles them with the `wabt` npm package into src/fib/kernel-wasm.generated.ts, which is committed so that the
// package needs no toolchain at install or run time. `--check` regenerates and compares instead of writing (exit 1
// when either file is stale); test/fib/kernel-wasm-build.test.ts runs the same comparison.
//
//   node scripts/build-wasm.mjs          (from packages/rib)
//   node scripts/build-wasm.mjs --check
//
// Why WebAssembly: a cache-cold lookup is one to six dependent reads, each a miss of about 150 ns on the machines
// measured, so what counts is how many lookups' misses are in flight at once. The CPU only overlaps lookups that fit
// in its out-of-order window. TurboFan's code for the same loop is several times longer (bounds checks, tagging), so
// fewer lookups fit; the WebAssembly loop is about a dozen instructions per level and keeps about twice as many misses
// in flight (see the package README for the figures).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileWat } from '../../../scripts/wat.mjs';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const watPath = resolve(packageDir, 'src/fib/kernel.wat');
const generatedPath = resolve(packageDir, 'src/fib/kernel-wasm.generated.ts');
const wabtVersion = createRequire(import.meta.url)('wabt/package.json').version;

/** Addresses the IPv4 kernel walks in lockstep: enough independent misses to keep the CPU's miss buffers busy. */
export const LANES = 16;
/** Listed addresses per iteration of an IPv6 pass (2, 8 and 16 ran the same, measured here). */
const UNROLL = 4;
const lanes = [...Array(LANES).keys()];
const indent = (text, spaces) => text.replaceAll('\n', `\n${' '.repeat(spaces)}`);

/**
 * The IPv6 kernel, `lookup6(entries, levels, addresses, out, count, listA, listB)`: the batch walks the trie breadth
 * first. A first pass reads the top level for every address into `out` and lists (in `listA`) those whose entry is a
 * child; each later pass reads the next level for the listed addresses only, and lists those still walking in the
 * other list. So every read of a pass is independent of the others (the CPU keeps as many misses in flight as it can),
 * no branch depends on one address (the list grows by `entry >>> 31`), and a pass takes the level's word, shift and
 * mask once: from level 1 on, `levels` holds 12 bytes per level, the byte offset of the address word that holds the
 * level's bits, the shift and the mask. IPv6 depths vary from two reads to twenty, so groups walked in lockstep wait
 * on their deepest lookup, and lanes that take a new address when theirs ends mispredict that branch; this ran about
 * 1.4x the faster of the two inside a full table, measured here.
 */
/** One listed address's next level in `lookup6`: the list entry at `$cursor + offset`. */
function listedAddress(offset) {
  return `(local.set $index (i32.load offset=${offset} (local.get $cursor)))
(local.set $result (i32.add (local.get $out) (i32.shl (local.get $index) (i32.const 2))))
(local.set $entry (i32.load (i32.add (local.get $entries)
  (i32.shl
    (i32.add (i32.xor (i32.load (local.get $result)) (i32.const -1))
      (i32.and
        (i32.shr_u (i32.load (i32.add (local.get $word) (i32.shl (local.get $index) (i32.const 4))))
          (local.get $shift))
        (local.get $mask)))
    (i32.const 2)))))
(i32.store (local.get $result) (local.get $entry))
(i32.store (i32.add (local.get $next) (i32.shl (local.get $kept) (i32.const 2))) (local.get $index))
(local.set $kept (i32.add (local.get $kept) (i32.shr_u (local.get $entry) (i32.const 31))))`;
}

function ipv6Kernel() {
  return `(func (export "lookup6") (param $entries i32) (param $levels i32) (param $addresses i32) (param $out i32)
    (param $count i32) (param $listA i32) (param $listB i32)
    (local $index i32) (local $listed i32) (local $kept i32) (local $entry i32) (local $cursor i32) (local $end i32)
    (local $list i32) (local $next i32) (local $result i32) (local $word i32) (local $shift i32) (local $mask i32)
    (local $level i32)
    ;; level 0: the top 16 bits of every address
    (block $first
      (loop $address
        (br_if $first (i32.ge_u (local.get $index) (local.get $count)))
        (local.set $entry (i32.load (i32.add (local.get $entries)
          (i32.shl
            (i32.shr_u (i32.load (i32.add (local.get $addresses) (i32.shl (local.get $index) (i32.const 4))))
              (i32.const 16))
            (i32.const 2)))))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $index) (i32.const 2))) (local.get $entry))
        (i32.store (i32.add (local.get $listA) (i32.shl (local.get $listed) (i32.const 2))) (local.get $index))
        (local.set $listed (i32.add (local.get $listed) (i32.shr_u (local.get $entry) (i32.const 31))))
        (local.set $index (i32.add (local.get $index) (i32.const 1)))
        (br $address)))
    ;; each further level, for the addresses still walking
    (local.set $list (local.get $listA))
    (local.set $next (local.get $listB))
    (local.set $level (local.get $levels))
    (block $walked
      (loop $pass
        (br_if $walked (i32.eqz (local.get $listed)))
        (local.set $word (i32.add (local.get $addresses) (i32.load (local.get $level))))
        (local.set $shift (i32.load offset=4 (local.get $level)))
        (local.set $mask (i32.load offset=8 (local.get $level)))
        (local.set $kept (i32.const 0))
        (local.set $cursor (local.get $list))
        (local.set $end (i32.add (local.get $list) (i32.shl (local.get $listed) (i32.const 2))))
        ;; four listed addresses per iteration, then the rest one by one
        (block $quads
          (loop $quad
            (br_if $quads (i32.gt_u (i32.add (local.get $cursor) (i32.const ${UNROLL * 4})) (local.get $end)))
            ${[...Array(UNROLL).keys()].map((k) => indent(listedAddress(k * 4), 12)).join('\n            ')}
            (local.set $cursor (i32.add (local.get $cursor) (i32.const ${UNROLL * 4})))
            (br $quad)))
        (block $passed
          (loop $single
            (br_if $passed (i32.ge_u (local.get $cursor) (local.get $end)))
            ${indent(listedAddress(0), 12)}
            (local.set $cursor (i32.add (local.get $cursor) (i32.const 4)))
            (br $single)))
        (local.set $cursor (local.get $list))
        (local.set $list (local.get $next))
        (local.set $next (local.get $cursor))
        (local.set $listed (local.get $kept))
        (local.set $level (i32.add (local.get $level) (i32.const 12)))
        (br $pass))))`;
}

/**
 * The IPv4 kernel, `lookup4(entries, addresses, out, count, pending)` for the 20-4-8 trie. Nearly every IPv4 lookup
 * ends after one read (most random addresses) or two (addresses inside a full table, mostly /24s), so groups of
 * ${LANES} addresses take the first two levels in lockstep with no branch that depends on one address: a lane whose
 * first read gave a value reads entry 0 (in cache) in the second level and keeps its value. The few lookups that need
 * the third level (/25 to /32) are appended, without a branch, to a list at `pending` and finished after the groups.
 * This keeps a group to about twenty instructions per address, so the CPU has several groups' misses in flight at once
 * (about 1.2x a version with the third level inside the group, and about 2x lanes that take a new address as soon as
 * theirs ends, inside a full table, measured here). Addresses past the last whole group go one at a time.
 */
function ipv4Kernel() {
  return `(func (export "lookup4") (param $entries i32) (param $addresses i32) (param $out i32) (param $count i32)
    (param $pending i32)
    (local $end i32) (local $first i32) (local $results i32) (local $listed i32) (local $address i32) (local $entry i32)
    ;; per lane: the address and the entry read last
    ${lanes.map((i) => `(local $a${i} i32) (local $e${i} i32)`).join('\n    ')}
    (local.set $end (i32.add (local.get $addresses) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $first (local.get $addresses))
    (local.set $results (local.get $out))
    (local.set $listed (local.get $pending))
    (block $groups
      (loop $group
        (br_if $groups (i32.gt_u (i32.add (local.get $addresses) (i32.const ${LANES * 4})) (local.get $end)))
        ;; level 0: the top 20 bits
        ${lanes
          .map(
            (i) => `(local.set $a${i} (i32.load offset=${i * 4} (local.get $addresses)))
        (local.set $e${i} (i32.load (i32.add (local.get $entries)
          (i32.shl (i32.shr_u (local.get $a${i}) (i32.const 12)) (i32.const 2)))))`,
          )
          .join('\n        ')}
        ;; level 1: the next 4 bits, for lanes holding a child (index masked to 0 for lanes holding a value); then the
        ;; result, and the address's place on the pending list, which only advances past it when it is still a child
        ${lanes
          .map(
            (i) => `(local.set $e${i} (select
          (i32.load (i32.add (local.get $entries)
            (i32.shl
              (i32.and
                (i32.add (i32.xor (local.get $e${i}) (i32.const -1))
                  (i32.and (i32.shr_u (local.get $a${i}) (i32.const 8)) (i32.const 15)))
                (i32.shr_s (local.get $e${i}) (i32.const 31)))
              (i32.const 2))))
          (local.get $e${i})
          (i32.lt_s (local.get $e${i}) (i32.const 0))))
        (i32.store offset=${i * 4} (local.get $out) (local.get $e${i}))
        (i32.store (local.get $listed) (i32.add (local.get $addresses) (i32.const ${i * 4})))
        (local.set $listed (i32.add (local.get $listed)
          (i32.shl (i32.shr_u (local.get $e${i}) (i32.const 31)) (i32.const 2))))`,
          )
          .join('\n        ')}
        (local.set $addresses (i32.add (local.get $addresses) (i32.const ${LANES * 4})))
        (local.set $out (i32.add (local.get $out) (i32.const ${LANES * 4})))
        (br $group)))
    ;; level 2 for the listed addresses: the last 8 bits (the last level holds only values)
    (block $finished
      (loop $next
        (br_if $finished (i32.ge_u (local.get $pending) (local.get $listed)))
        (local.set $address (i32.load (local.get $pending)))
        (local.set $entry (i32.add (local.get $results) (i32.sub (local.get $address) (local.get $first))))
        (i32.store (local.get $entry)
          (i32.load (i32.add (local.get $entries)
            (i32.shl
              (i32.add (i32.xor (i32.load (local.get $entry)) (i32.const -1))
                (i32.and (i32.load (local.get $address)) (i32.const 255)))
              (i32.const 2)))))
        (local.set $pending (i32.add (local.get $pending) (i32.const 4)))
        (br $next)))
    ;; the addresses after the last whole group
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $addresses) (local.get $end)))
        (local.set $address (i32.load (local.get $addresses)))
        (local.set $entry (i32.load (i32.add (local.get $entries)
          (i32.shl (i32.shr_u (local.get $address) (i32.const 12)) (i32.const 2)))))
        (if (i32.lt_s (local.get $entry) (i32.const 0))
          (then
            (local.set $entry (i32.load (i32.add (local.get $entries)
              (i32.shl (i32.add (i32.xor (local.get $entry) (i32.const -1))
                (i32.and (i32.shr_u (local.get $address) (i32.const 8)) (i32.const 15))) (i32.const 2)))))
            (if (i32.lt_s (local.get $entry) (i32.const 0))
              (then
                (local.set $entry (i32.load (i32.add (local.get $entries)
                  (i32.shl (i32.add (i32.xor (local.get $entry) (i32.const -1))
                    (i32.and (local.get $address) (i32.const 255))) (i32.const 2)))))))))
        (i32.store (local.get $out) (local.get $entry))
        (local.set $addresses (i32.add (local.get $addresses) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $next))))`;
}

/** The WAT source of both kernels. */
export function kernelSource() {
  return `;; GENERATED by scripts/build-wasm.mjs (edit that, not this). Longest-prefix-match kernels over the multibit trie
;; of src/fib/trie.ts, in the trie's own memory (imported): an entry >= 0 is a value, < 0 the NOT of a child offset.
;; Offsets and pointers are byte addresses; entries are i32 at $entries + 4 * index.
(module
  (import "fib" "memory" (memory 1))

  ${ipv4Kernel()}

  ${ipv6Kernel()})
`;
}

/** Compiles the WAT source to WebAssembly bytes (no debug names, so the output is reproducible). */
export async function compileKernel(source) {
  return compileWat('kernel.wat', source);
}

/** The generated TypeScript module for the compiled bytes. */
export function render(bytes, sourceHash) {
  const base64 = Buffer.from(bytes).toString('base64');
  return `// GENERATED FILE, DO NOT EDIT. Built from scripts/build-wasm.mjs (which also writes src/fib/kernel.wat) with
// wabt ${wabtVersion}. Change the generator, then run \`node scripts/build-wasm.mjs\` in packages/rib;
// test/fib/kernel-wasm-build.test.ts fails when this file is stale.

/** SHA-256 (hex) of the kernel.wat source these bytes were compiled from. */
export const FIB_KERNEL_WAT_SHA256: string = '${sourceHash}';

/** The compiled lookup kernels, base64 (${bytes.length} bytes). */
export const FIB_KERNEL_WASM_BASE64: string =
  '${base64}';
`;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const source = kernelSource();
  const sourceHash = createHash('sha256').update(source).digest('hex');
  const generated = render(await compileKernel(source), sourceHash);
  if (process.argv.includes('--check')) {
    const stale = [
      [watPath, source],
      [generatedPath, generated],
    ].filter(([path, text]) => {
      try {
        return readFileSync(path, 'utf8') !== text;
      } catch {
        return true;
      }
    });
    if (stale.length > 0) {
      console.error(
        `stale: ${stale.map(([path]) => path).join(', ')}; run node scripts/build-wasm.mjs in packages/rib`,
      );
      process.exit(1);
    }
    console.log('kernel.wat and kernel-wasm.generated.ts are up to date');
  } else {
    writeFileSync(watPath, source);
    writeFileSync(generatedPath, generated);
    console.log(`wrote ${watPath} and ${generatedPath}`);
  }
}
