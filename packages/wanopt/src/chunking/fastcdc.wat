;; FastCDC scan kernel: the same loop as scanFastCdc in scan.ts (see there for the algorithm), in WebAssembly, where
;; loads need no bounds checks. Memory layout (set up by fastcdc-wasm.ts):
;;   [0, 1024)        the gear table, 256 little-endian i32
;;   [1024, 263168)   cut positions written by scan (up to 65536 i32)
;;   [263168, ...)    the bytes to scan
;; The state of the unfinished chunk (hash and length so far) lives in two globals, set before and read after a call
;; (one instance serves every chunker).
(module
  (memory (export "memory") 21)
  (global $hash (mut i32) (i32.const 0))
  (global $length (mut i32) (i32.const 0))

  (func (export "getHash") (result i32) (global.get $hash))
  (func (export "getLength") (result i32) (global.get $length))
  (func (export "setState") (param $hash i32) (param $length i32)
    (global.set $hash (local.get $hash))
    (global.set $length (local.get $length)))

  ;; Scans memory [start, end) and writes the exclusive end of every chunk found to the cut area. Returns the number
  ;; of cuts; at most one per `minimum` bytes, so the cut area bounds a call to 65536 * minimum bytes.
  (func (export "scan")
    (param $start i32) (param $end i32) (param $hashStart i32) (param $minimum i32) (param $normal i32)
    (param $maximum i32) (param $maskSmall i32) (param $maskLarge i32) (result i32)
    (local $i i32) (local $h i32) (local $len i32) (local $count i32) (local $stop i32) (local $n i32)
    (local.set $i (local.get $start))
    (local.set $h (global.get $hash))
    (local.set $len (global.get $length))
    (block $done
      (loop $chunk
        ;; cut-point skipping: bytes before hashStart are not hashed
        (if (i32.lt_u (local.get $len) (local.get $hashStart))
          (then
            (local.set $n (i32.sub (local.get $hashStart) (local.get $len)))
            (if (i32.gt_u (local.get $n) (i32.sub (local.get $end) (local.get $i)))
              (then (local.set $n (i32.sub (local.get $end) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (local.get $n)))
            (local.set $len (i32.add (local.get $len) (local.get $n)))
            (br_if $done (i32.lt_u (local.get $len) (local.get $hashStart)))))
        ;; warm-up: hash, no cut before the minimum size
        (if (i32.lt_u (local.get $len) (i32.sub (local.get $minimum) (i32.const 1)))
          (then
            (local.set $n (i32.sub (i32.sub (local.get $minimum) (i32.const 1)) (local.get $len)))
            (if (i32.gt_u (local.get $n) (i32.sub (local.get $end) (local.get $i)))
              (then (local.set $n (i32.sub (local.get $end) (local.get $i)))))
            (local.set $stop (i32.add (local.get $i) (local.get $n)))
            (local.set $len (i32.add (local.get $len) (local.get $n)))
            (block $warmed
              (br_if $warmed (i32.ge_u (local.get $i) (local.get $stop)))
              (loop $warm
                (local.set $h (i32.add (i32.shl (local.get $h) (i32.const 1))
                  (i32.load (i32.shl (i32.load8_u (local.get $i)) (i32.const 2)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $warm (i32.lt_u (local.get $i) (local.get $stop)))))
            (br_if $done (i32.lt_u (local.get $len) (i32.sub (local.get $minimum) (i32.const 1))))))
        ;; normalized chunking, small mask (harder) up to the normal size
        (if (i32.lt_u (local.get $len) (local.get $normal))
          (then
            (local.set $n (i32.sub (local.get $normal) (local.get $len)))
            (if (i32.gt_u (local.get $n) (i32.sub (local.get $end) (local.get $i)))
              (then (local.set $n (i32.sub (local.get $end) (local.get $i)))))
            (local.set $stop (i32.add (local.get $i) (local.get $n)))
            (local.set $len (i32.add (local.get $len) (local.get $n)))
            (block $noCut
              (br_if $noCut (i32.ge_u (local.get $i) (local.get $stop)))
              (loop $small
                (local.set $h (i32.add (i32.shl (local.get $h) (i32.const 1))
                  (i32.load (i32.shl (i32.load8_u (local.get $i)) (i32.const 2)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (if (i32.eqz (i32.and (local.get $h) (local.get $maskSmall)))
                  (then
                    (i32.store (i32.add (i32.const 1024) (i32.shl (local.get $count) (i32.const 2))) (local.get $i))
                    (local.set $count (i32.add (local.get $count) (i32.const 1)))
                    (local.set $h (i32.const 0))
                    (local.set $len (i32.const 0))
                    (br_if $chunk (i32.lt_u (local.get $i) (local.get $end)))
                    (br $done)))
                (br_if $small (i32.lt_u (local.get $i) (local.get $stop)))))
            (br_if $done (i32.lt_u (local.get $len) (local.get $normal)))))
        ;; large mask (easier) up to one byte short of the maximum
        (local.set $n (i32.sub (i32.sub (local.get $maximum) (i32.const 1)) (local.get $len)))
        (if (i32.gt_u (local.get $n) (i32.sub (local.get $end) (local.get $i)))
          (then (local.set $n (i32.sub (local.get $end) (local.get $i)))))
        (local.set $stop (i32.add (local.get $i) (local.get $n)))
        (local.set $len (i32.add (local.get $len) (local.get $n)))
        (block $noLargeCut
          (br_if $noLargeCut (i32.ge_u (local.get $i) (local.get $stop)))
          (loop $large
            (local.set $h (i32.add (i32.shl (local.get $h) (i32.const 1))
              (i32.load (i32.shl (i32.load8_u (local.get $i)) (i32.const 2)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (if (i32.eqz (i32.and (local.get $h) (local.get $maskLarge)))
              (then
                (i32.store (i32.add (i32.const 1024) (i32.shl (local.get $count) (i32.const 2))) (local.get $i))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $h (i32.const 0))
                (local.set $len (i32.const 0))
                (br_if $chunk (i32.lt_u (local.get $i) (local.get $end)))
                (br $done)))
            (br_if $large (i32.lt_u (local.get $i) (local.get $stop)))))
        ;; the byte that makes the chunk `maximum` long ends it
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (i32.store (i32.add (i32.const 1024) (i32.shl (local.get $count) (i32.const 2))) (local.get $i))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $h (i32.const 0))
        (local.set $len (i32.const 0))
        (br_if $chunk (i32.lt_u (local.get $i) (local.get $end)))))
    (global.set $hash (local.get $h))
    (global.set $length (local.get $len))
    (local.get $count))
)
