;; GF(2^8) multiply-accumulate kernels in WebAssembly SIMD, for the Reed-Solomon codec of @patronus/wanopt.
;;
;; Source of src/gf/kernel-wasm.generated.ts: edit this file, then run `node scripts/build-wasm.mjs` in
;; packages/wanopt (test/gf/kernel-wasm-build.test.ts fails when the generated module is stale).
;;
;; Multiplication by a constant c is linear over XOR, so for a byte b = (h << 4) | l,
;;   c·b = c·l ⊕ c·(h << 4),
;; and each term is a lookup in a 16-entry table: one i8x16.swizzle (pshufb) does 16 lookups at once. A coefficient's
;; "nibble tables" are 32 bytes: c·0 .. c·15, then c·0x00 .. c·0xF0.
;;
;; Memory layout (the host sets it up; every offset and the stride are multiples of 32):
;;   0 .. 8191          nibble tables of all 256 coefficients (coefficient c at c*32), written once by the host
;;   tables             the expanded tables of one pass: for input i and row r of a pass of R rows, 32 bytes at
;;                      tables + (i*R + r)*32, so the kernel walks them with one pointer
;;   inputs             `count` input shards, shard i at inputs + i*stride
;;   outputs            R output shards, row r at outputs + r*stride
;;
;; Each mulR computes, for R output rows at once, out_r = XOR_i coeff(r, i)·in_i over `length` bytes (rounded up to
;; the step, which the stride padding makes safe). Doing several rows per pass loads every input vector once for all
;; rows, which is what keeps the data in registers and cache; the accumulators live in locals for the whole sum.
(module
  (memory (export "memory") 2)

  ;; Copies the nibble tables of `count` coefficient bytes (at `coefficients`) to `tables`, 32 bytes each.
  (func (export "expand") (param $coefficients i32) (param $count i32) (param $tables i32)
    (local $source i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $source (i32.shl (i32.load8_u (local.get $coefficients)) (i32.const 5)))
        (v128.store (local.get $tables) (v128.load (local.get $source)))
        (v128.store offset=16 (local.get $tables) (v128.load offset=16 (local.get $source)))
        (local.set $coefficients (i32.add (local.get $coefficients) (i32.const 1)))
        (local.set $tables (i32.add (local.get $tables) (i32.const 32)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $next))))

  ;; One output row, 32 bytes per step (two vectors share each table load).
  (func (export "mul1")
    (param $tables i32) (param $inputs i32) (param $count i32) (param $stride i32) (param $outputs i32)
    (param $length i32)
    (local $offset i32) (local $input i32) (local $table i32) (local $remaining i32)
    (local $mask v128) (local $v0 v128) (local $v1 v128) (local $low v128) (local $high v128)
    (local $a0 v128) (local $a1 v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $offset) (local.get $length)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $input (i32.add (local.get $inputs) (local.get $offset)))
        (local.set $table (local.get $tables))
        (local.set $remaining (local.get $count))
        (loop $source
          (local.set $low (v128.load (local.get $table)))
          (local.set $high (v128.load offset=16 (local.get $table)))
          (local.set $v0 (v128.load (local.get $input)))
          (local.set $v1 (v128.load offset=16 (local.get $input)))
          (local.set $a0
            (v128.xor (local.get $a0)
              (v128.xor
                (i8x16.swizzle (local.get $low) (v128.and (local.get $v0) (local.get $mask)))
                (i8x16.swizzle (local.get $high)
                  (v128.and (i16x8.shr_u (local.get $v0) (i32.const 4)) (local.get $mask))))))
          (local.set $a1
            (v128.xor (local.get $a1)
              (v128.xor
                (i8x16.swizzle (local.get $low) (v128.and (local.get $v1) (local.get $mask)))
                (i8x16.swizzle (local.get $high)
                  (v128.and (i16x8.shr_u (local.get $v1) (i32.const 4)) (local.get $mask))))))
          (local.set $table (i32.add (local.get $table) (i32.const 32)))
          (local.set $input (i32.add (local.get $input) (local.get $stride)))
          (br_if $source (local.tee $remaining (i32.sub (local.get $remaining) (i32.const 1)))))
        (v128.store (i32.add (local.get $outputs) (local.get $offset)) (local.get $a0))
        (v128.store offset=16 (i32.add (local.get $outputs) (local.get $offset)) (local.get $a1))
        (local.set $offset (i32.add (local.get $offset) (i32.const 32)))
        (br $step))))

  ;; Two output rows, 32 bytes per step: the nibbles of two input vectors are split once and used by both rows.
  (func (export "mul2")
    (param $tables i32) (param $inputs i32) (param $count i32) (param $stride i32) (param $outputs i32)
    (param $length i32)
    (local $offset i32) (local $input i32) (local $table i32) (local $remaining i32)
    (local $mask v128) (local $v0 v128) (local $v1 v128) (local $low0 v128) (local $high0 v128)
    (local $low1 v128) (local $high1 v128) (local $tlow v128) (local $thigh v128)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $offset) (local.get $length)))
        (local.set $a00 (v128.const i64x2 0 0))
        (local.set $a01 (v128.const i64x2 0 0))
        (local.set $a10 (v128.const i64x2 0 0))
        (local.set $a11 (v128.const i64x2 0 0))
        (local.set $input (i32.add (local.get $inputs) (local.get $offset)))
        (local.set $table (local.get $tables))
        (local.set $remaining (local.get $count))
        (loop $source
          (local.set $v0 (v128.load (local.get $input)))
          (local.set $v1 (v128.load offset=16 (local.get $input)))
          (local.set $low0 (v128.and (local.get $v0) (local.get $mask)))
          (local.set $high0 (v128.and (i16x8.shr_u (local.get $v0) (i32.const 4)) (local.get $mask)))
          (local.set $low1 (v128.and (local.get $v1) (local.get $mask)))
          (local.set $high1 (v128.and (i16x8.shr_u (local.get $v1) (i32.const 4)) (local.get $mask)))
          ;; row 0
          (local.set $tlow (v128.load (local.get $table)))
          (local.set $thigh (v128.load offset=16 (local.get $table)))
          (local.set $a00 (v128.xor (local.get $a00)
            (v128.xor (i8x16.swizzle (local.get $tlow) (local.get $low0))
                      (i8x16.swizzle (local.get $thigh) (local.get $high0)))))
          (local.set $a01 (v128.xor (local.get $a01)
            (v128.xor (i8x16.swizzle (local.get $tlow) (local.get $low1))
                      (i8x16.swizzle (local.get $thigh) (local.get $high1)))))
          ;; row 1
          (local.set $tlow (v128.load offset=32 (local.get $table)))
          (local.set $thigh (v128.load offset=48 (local.get $table)))
          (local.set $a10 (v128.xor (local.get $a10)
            (v128.xor (i8x16.swizzle (local.get $tlow) (local.get $low0))
                      (i8x16.swizzle (local.get $thigh) (local.get $high0)))))
          (local.set $a11 (v128.xor (local.get $a11)
            (v128.xor (i8x16.swizzle (local.get $tlow) (local.get $low1))
                      (i8x16.swizzle (local.get $thigh) (local.get $high1)))))
          (local.set $table (i32.add (local.get $table) (i32.const 64)))
          (local.set $input (i32.add (local.get $input) (local.get $stride)))
          (br_if $source (local.tee $remaining (i32.sub (local.get $remaining) (i32.const 1)))))
        (local.set $input (i32.add (local.get $outputs) (local.get $offset)))
        (v128.store (local.get $input) (local.get $a00))
        (v128.store offset=16 (local.get $input) (local.get $a01))
        (local.set $input (i32.add (local.get $input) (local.get $stride)))
        (v128.store (local.get $input) (local.get $a10))
        (v128.store offset=16 (local.get $input) (local.get $a11))
        (local.set $offset (i32.add (local.get $offset) (i32.const 32)))
        (br $step))))

  ;; Three output rows, 16 bytes per step (three rows of two vectors would not fit the 16 vector registers of x64).
  (func (export "mul3")
    (param $tables i32) (param $inputs i32) (param $count i32) (param $stride i32) (param $outputs i32)
    (param $length i32)
    (local $offset i32) (local $input i32) (local $table i32) (local $remaining i32)
    (local $mask v128) (local $v v128) (local $low v128) (local $high v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $offset) (local.get $length)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $input (i32.add (local.get $inputs) (local.get $offset)))
        (local.set $table (local.get $tables))
        (local.set $remaining (local.get $count))
        (loop $source
          (local.set $v (v128.load (local.get $input)))
          (local.set $low (v128.and (local.get $v) (local.get $mask)))
          (local.set $high (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $mask)))
          (local.set $a0 (v128.xor (local.get $a0)
            (v128.xor (i8x16.swizzle (v128.load (local.get $table)) (local.get $low))
                      (i8x16.swizzle (v128.load offset=16 (local.get $table)) (local.get $high)))))
          (local.set $a1 (v128.xor (local.get $a1)
            (v128.xor (i8x16.swizzle (v128.load offset=32 (local.get $table)) (local.get $low))
                      (i8x16.swizzle (v128.load offset=48 (local.get $table)) (local.get $high)))))
          (local.set $a2 (v128.xor (local.get $a2)
            (v128.xor (i8x16.swizzle (v128.load offset=64 (local.get $table)) (local.get $low))
                      (i8x16.swizzle (v128.load offset=80 (local.get $table)) (local.get $high)))))
          (local.set $table (i32.add (local.get $table) (i32.const 96)))
          (local.set $input (i32.add (local.get $input) (local.get $stride)))
          (br_if $source (local.tee $remaining (i32.sub (local.get $remaining) (i32.const 1)))))
        (local.set $input (i32.add (local.get $outputs) (local.get $offset)))
        (v128.store (local.get $input) (local.get $a0))
        (local.set $input (i32.add (local.get $input) (local.get $stride)))
        (v128.store (local.get $input) (local.get $a1))
        (local.set $input (i32.add (local.get $input) (local.get $stride)))
        (v128.store (local.get $input) (local.get $a2))
        (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
        (br $step))))

  ;; Four output rows, 16 bytes per step.
  (func (export "mul4")
    (param $tables i32) (param $inputs i32) (param $count i32) (param $stride i32) (param $outputs i32)
    (param $length i32)
    (local $offset i32) (local $input i32) (local $table i32) (local $remaining i32)
    (local $mask v128) (local $v v128) (local $low v128) (local $high v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $offset) (local.get $length)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $input (i32.add (local.get $inputs) (local.get $offset)))
        (local.set $table (local.get $tables))
        (local.set $remaining (local.get $count))
        (loop $source
          (local.set $v (v128.load (local.get $input)))
          (local.set $low (v128.and (local.get $v) (local.get $mask)))
          (local.set $high (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $mask)))
          (local.set $a0 (v128.xor (local.get $a0)
            (v128.xor (i8x16.swizzle (v128.load (local.get $table)) (local.get $low))
                      (i8x16.swizzle (v128.load offset=16 (local.get $table)) (local.get $high)))))
          (local.set $a1 (v128.xor (local.get $a1)
            (v128.xor (i8x16.swizzle (v128.load offset=32 (local.get $table)) (local.get $low))
                      (i8x16.swizzle (v128.load offset=48 (local.get $table)) (local.get $high)))))
          (local.set $a2 (v128.xor (local.get $a2)
            (v128.xor (i8x16.swizzle (v128.load offset=64 (local.get $table)) (local.get $low))
                      (i8x16.swizzle (v128.load offset=80 (local.get $table)) (local.get $high)))))
          (local.set $a3 (v128.xor (local.get $a3)
            (v128.xor (i8x16.swizzle (v128.load offset=96 (local.get $table)) (local.get $low))
                      (i8x16.swizzle (v128.load offset=112 (local.get $table)) (local.get $high)))))
          (local.set $table (i32.add (local.get $table) (i32.const 128)))
          (local.set $input (i32.add (local.get $input) (local.get $stride)))
          (br_if $source (local.tee $remaining (i32.sub (local.get $remaining) (i32.const 1)))))
        (local.set $input (i32.add (local.get $outputs) (local.get $offset)))
        (v128.store (local.get $input) (local.get $a0))
        (local.set $input (i32.add (local.get $input) (local.get $stride)))
        (v128.store (local.get $input) (local.get $a1))
        (local.set $input (i32.add (local.get $input) (local.get $stride)))
        (v128.store (local.get $input) (local.get $a2))
        (local.set $input (i32.add (local.get $input) (local.get $stride)))
        (v128.store (local.get $input) (local.get $a3))
        (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
        (br $step)))))
