;; Rabin scan kernel: the same chunking as scanRabin in scan.ts (see there for the algorithm), in WebAssembly, where
;; the fingerprint fits one i64 (JavaScript splits it in two 32-bit halves) and loads need no bounds checks. Memory
;; layout (set up by rabin-wasm.ts):
;;   [0, 2048)           folded push table: 256 little-endian i64, (t << D) XOR ((t * x^D) mod P), so that XORing
;;                       it both reduces and clears the byte t shifted past degree D
;;   [2048, 4096)        shifted pop table: 256 little-endian i64, (b * x^(8w)) mod P, the pop of byte b leaving
;;                       a window of w bytes taken one push later (applied together with that push)
;;   [4096, 6144)        two-byte push table: 256 little-endian i64, (t << (D + 8)) XOR ((t * x^(D + 8)) mod P), kept
;;                       to 64 bits, for the top byte t of a fingerprint pushed two bytes at once
;;   [6144, 8192)        two-push pop table: 256 little-endian i64, (b * x^(8(w + 1))) mod P
;;   [8192, 270336)      cut positions written by scan (up to 65536 i32)
;;   [270336, 271360)    the last `window` stream bytes before the piece, ending at 271360 (bytes leaving the window)
;;   [271360, ...)       the bytes to scan
;; The unfinished chunk's state (fingerprint and length) lives in globals, set before and read after a call (one
;; instance serves every chunker).
(module
  (memory (export "memory") 22)
  (global $fingerprint (mut i64) (i64.const 0))
  (global $length (mut i32) (i32.const 0))

  (func (export "getHigh") (result i32) (i32.wrap_i64 (i64.shr_u (global.get $fingerprint) (i64.const 32))))
  (func (export "getLow") (result i32) (i32.wrap_i64 (global.get $fingerprint)))
  (func (export "getLength") (result i32) (global.get $length))
  (func (export "setState") (param $high i32) (param $low i32) (param $length i32)
    (global.set $fingerprint
      (i64.or (i64.shl (i64.extend_i32_u (local.get $high)) (i64.const 32)) (i64.extend_i32_u (local.get $low))))
    (global.set $length (local.get $length)))

  ;; Scans memory [start, end) and writes the exclusive end of every chunk found to the cut area; returns the count.
  ;; `degree` is D, the degree of the modulus P.
  (func (export "scan")
    (param $start i32) (param $end i32) (param $window i32) (param $degree i32)
    (param $hashStart i32) (param $minimum i32) (param $maximum i32) (param $cutAbove i32) (result i32)
    (local $i i32) (local $f i64) (local $len i32) (local $count i32) (local $stop i32) (local $n i32)
    (local $steady i32) (local $shift i64) (local $secondShift i64) (local $first i64) (local $leaving i32)
    (local.set $i (local.get $start))
    (local.set $f (global.get $fingerprint))
    (local.set $len (global.get $length))
    (local.set $steady (i32.add (local.get $hashStart) (local.get $window)))
    ;; f >> (D - 11), masked to 0x7f8: the top byte of the D-bit fingerprint, times 8 (an i64 table offset)
    (local.set $shift (i64.extend_i32_u (i32.sub (local.get $degree) (i32.const 11))))
    ;; f >> (D - 19), masked to 0x7f8: the byte below the top byte, times 8
    (local.set $secondShift (i64.extend_i32_u (i32.sub (local.get $degree) (i32.const 19))))
    (block $done
      (loop $chunk
        ;; bytes before hashStart are skipped
        (if (i32.lt_u (local.get $len) (local.get $hashStart))
          (then
            (local.set $n (i32.sub (local.get $hashStart) (local.get $len)))
            (if (i32.gt_u (local.get $n) (i32.sub (local.get $end) (local.get $i)))
              (then (local.set $n (i32.sub (local.get $end) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (local.get $n)))
            (local.set $len (i32.add (local.get $len) (local.get $n)))
            (br_if $done (i32.lt_u (local.get $len) (local.get $hashStart)))))
        ;; the window fills: push only (the byte leaving is a zero); a cut is possible once past the minimum
        (block $filled
          (loop $fill
            (br_if $filled (i32.ge_u (local.get $len) (local.get $steady)))
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            ;; the folded push entry also clears the top byte shifted past degree D, so no mask is needed
            (local.set $f (i64.xor
              (i64.or (i64.shl (local.get $f) (i64.const 8)) (i64.extend_i32_u (i32.load8_u (local.get $i))))
              (i64.load (i32.and (i32.wrap_i64 (i64.shr_u (local.get $f) (local.get $shift))) (i32.const 0x7f8)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $len (i32.add (local.get $len) (i32.const 1)))
            (if (i32.or
                  (i32.and (i32.ge_u (local.get $len) (local.get $minimum))
                    (i32.gt_u (i32.wrap_i64 (local.get $f)) (local.get $cutAbove)))
                  (i32.ge_u (local.get $len) (local.get $maximum)))
              (then
                (i32.store offset=8192 (i32.shl (local.get $count) (i32.const 2)) (local.get $i))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $f (i64.const 0))
                (local.set $len (i32.const 0))
                (br $chunk)))
            (br $fill)))
        ;; steady state: pop the byte leaving the window, push the next, up to the maximum size
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $n (i32.sub (local.get $maximum) (local.get $len)))
        (if (i32.gt_u (local.get $n) (i32.sub (local.get $end) (local.get $i)))
          (then (local.set $n (i32.sub (local.get $end) (local.get $i)))))
        (local.set $stop (i32.add (local.get $i) (local.get $n)))
        (local.set $len (i32.add (local.get $len) (local.get $n)))
        ;; two bytes a step: the fingerprint after both comes straight from f (its top two bytes through the two-byte
        ;; and one-byte push tables, loaded side by side), so the chain through f is one shift, load and xor per two
        ;; bytes; the fingerprint after the first byte, needed only for its cut test, branches off it
        (block $pairsDone
          (loop $pairLoop
            (br_if $pairsDone (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $stop)))
            (local.set $leaving (i32.load8_u (i32.sub (local.get $i) (local.get $window))))
            (local.set $first (i64.xor
              (i64.xor (i64.shl (local.get $f) (i64.const 8))
                (i64.xor (i64.extend_i32_u (i32.load8_u (local.get $i)))
                  (i64.load offset=2048 (i32.shl (local.get $leaving) (i32.const 3)))))
              (i64.load (i32.and (i32.wrap_i64 (i64.shr_u (local.get $f) (local.get $shift))) (i32.const 0x7f8)))))
            (local.set $f (i64.xor
              (i64.xor
                (i64.xor (i64.shl (local.get $f) (i64.const 16))
                  (i64.xor
                    (i64.extend_i32_u (i32.or (i32.shl (i32.load8_u (local.get $i)) (i32.const 8))
                      (i32.load8_u offset=1 (local.get $i))))
                    (i64.xor
                      (i64.load offset=6144 (i32.shl (local.get $leaving) (i32.const 3)))
                      (i64.load offset=2048
                        (i32.shl (i32.load8_u offset=1 (i32.sub (local.get $i) (local.get $window))) (i32.const 3))))))
                (i64.load offset=4096
                  (i32.and (i32.wrap_i64 (i64.shr_u (local.get $f) (local.get $shift))) (i32.const 0x7f8))))
              (i64.load (i32.and (i32.wrap_i64 (i64.shr_u (local.get $f) (local.get $secondShift))) (i32.const 0x7f8)))))
            (if (i32.gt_u (i32.wrap_i64 (local.get $first)) (local.get $cutAbove))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (i32.store offset=8192 (i32.shl (local.get $count) (i32.const 2)) (local.get $i))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $f (i64.const 0))
                (local.set $len (i32.const 0))
                (br_if $chunk (i32.lt_u (local.get $i) (local.get $end)))
                (br $done)))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (if (i32.gt_u (i32.wrap_i64 (local.get $f)) (local.get $cutAbove))
              (then
                (i32.store offset=8192 (i32.shl (local.get $count) (i32.const 2)) (local.get $i))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $f (i64.const 0))
                (local.set $len (i32.const 0))
                (br_if $chunk (i32.lt_u (local.get $i) (local.get $end)))
                (br $done)))
            (br $pairLoop)))
        ;; the last byte of an odd stretch, one at a time
        (block $steadyDone
        (br_if $steadyDone (i32.ge_u (local.get $i) (local.get $stop)))
        (loop $steadyLoop
          ;; push(f ^ pop[out], in) = push(f, in) ^ (pop[out] * x^8 mod P): the byte leaving joins the byte entering
          ;; off the dependency chain through f, which is only shift, table load and xor
          (local.set $f (i64.xor
            (i64.xor (i64.shl (local.get $f) (i64.const 8))
              (i64.xor (i64.extend_i32_u (i32.load8_u (local.get $i)))
                (i64.load offset=2048
                  (i32.shl (i32.load8_u (i32.sub (local.get $i) (local.get $window))) (i32.const 3)))))
            (i64.load (i32.and (i32.wrap_i64 (i64.shr_u (local.get $f) (local.get $shift))) (i32.const 0x7f8)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.gt_u (i32.wrap_i64 (local.get $f)) (local.get $cutAbove))
            (then
              (i32.store offset=8192 (i32.shl (local.get $count) (i32.const 2)) (local.get $i))
              (local.set $count (i32.add (local.get $count) (i32.const 1)))
              (local.set $f (i64.const 0))
              (local.set $len (i32.const 0))
              (br_if $chunk (i32.lt_u (local.get $i) (local.get $end)))
              (br $done)))
          (br_if $steadyLoop (i32.lt_u (local.get $i) (local.get $stop)))))
        ;; no cut in the steady stretch: either the data ended or the chunk reached the maximum size
        (br_if $done (i32.lt_u (local.get $len) (local.get $maximum)))
        (i32.store offset=8192 (i32.shl (local.get $count) (i32.const 2)) (local.get $i))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $f (i64.const 0))
        (local.set $len (i32.const 0))
        (br_if $chunk (i32.lt_u (local.get $i) (local.get $end)))))
    (global.set $fingerprint (local.get $f))
    (global.set $length (local.get $len))
    (local.get $count))
)
