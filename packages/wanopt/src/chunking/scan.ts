/**
 * The two hot loops, written as self-contained functions (no references outside their own bodies) because the
 * worker-thread ingest ships them to workers as source text (`Function.prototype.toString`): keep it that way.
 *
 * Both carry their whole state in a small `Int32Array`, so a chunk may span any number of `push` calls and the
 * boundaries are the same as for one buffer.
 */

/** Indexes into the FastCDC state array. */
export const FASTCDC_STATE_HASH = 0;
/** Index of the length of the current chunk so far, in bytes. */
export const FASTCDC_STATE_LENGTH = 1;

/**
 * Scans `data[start, end)` for the next FastCDC cut point (Xia et al., "FastCDC", USENIX ATC 2016, algorithm 1, with
 * normalized chunking; section 3.3 of the 2020 TPDS version).
 *
 * The gear hash is `hash = (hash << 1) + gear[byte]` on 32 bits, so it covers the last 32 bytes. Bytes of a chunk
 * before `hashStart` (minimum size - 32) are skipped (cut-point skipping), bytes from there on are hashed, and a cut
 * is allowed once the chunk is `minimum` bytes long: with `maskSmall` (more bits: rarer cuts) until it is `normal`
 * bytes long, with `maskLarge` (fewer bits) after, and unconditionally at `maximum`. The masks select the hash's top
 * bits, which depend on all 32 bytes of the window.
 *
 * @returns the index in `data` just after the cut (the chunk's exclusive end), or -1 when the chunk continues past
 *   `end` (the state then holds the hash and length so far).
 */
export function scanFastCdc(
  data: Uint8Array,
  start: number,
  end: number,
  gear: Int32Array,
  state: Int32Array,
  hashStart: number,
  minimum: number,
  normal: number,
  maximum: number,
  maskSmall: number,
  maskLarge: number,
): number {
  let hash = state[0]!;
  let length = state[1]!;
  let index = start;
  if (length < hashStart) {
    const skip = Math.min(hashStart - length, end - index);
    index += skip;
    length += skip;
    if (length < hashStart) {
      state[1] = length;
      return -1;
    }
  }
  if (length < minimum - 1) {
    const stop = index + Math.min(minimum - 1 - length, end - index);
    const base = index - length;
    for (; index < stop; index++) hash = ((hash << 1) + gear[data[index]!]!) | 0;
    length = index - base;
    if (length < minimum - 1) {
      state[0] = hash;
      state[1] = length;
      return -1;
    }
  }
  if (length < normal) {
    const stop = index + Math.min(normal - length, end - index);
    const base = index - length;
    for (; index < stop; index++) {
      hash = ((hash << 1) + gear[data[index]!]!) | 0;
      if ((hash & maskSmall) === 0) {
        state[0] = 0;
        state[1] = 0;
        return index + 1;
      }
    }
    length = index - base;
    if (length < normal) {
      state[0] = hash;
      state[1] = length;
      return -1;
    }
  }
  const stop = index + Math.min(maximum - 1 - length, end - index);
  const base = index - length;
  for (; index < stop; index++) {
    hash = ((hash << 1) + gear[data[index]!]!) | 0;
    if ((hash & maskLarge) === 0) {
      state[0] = 0;
      state[1] = 0;
      return index + 1;
    }
  }
  length = index - base;
  if (length >= maximum - 1 && index < end) {
    // The byte that makes the chunk `maximum` long ends it whatever its hash.
    state[0] = 0;
    state[1] = 0;
    return index + 1;
  }
  state[0] = hash;
  state[1] = length;
  return -1;
}

/** Index of the fingerprint's high 32-bit half in the Rabin state array. */
export const RABIN_STATE_HIGH = 0;
/** Index of the fingerprint's low 32-bit half. */
export const RABIN_STATE_LOW = 1;
/** Index of the length of the current chunk so far, in bytes. */
export const RABIN_STATE_LENGTH = 2;

/**
 * Scans `data[start, end)` for the next Rabin cut point. The fingerprint is the window's bytes read as a polynomial
 * over GF(2), modulo the irreducible polynomial P of degree D (Rabin 1981; Broder 1993 for the table method), held as
 * two 32-bit halves so no BigInt is needed:
 *
 * - pop: the byte leaving the window contributed `out * x^(8(w-1))`; XOR its precomputed remainder (`popHigh/Low`).
 * - push: `f = (f << 8 | in) mod P`; the 8 bits shifted past degree D are reduced by one lookup (`pushHigh/Low`).
 *
 * The window starts empty (all zeros) at each chunk start, `window` bytes before the minimum size, so the first
 * candidate cut sees a full window. A cut comes after a byte when the chunk is at least `minimum` long and the low
 * half of the fingerprint, read unsigned, exceeds `cutAbove` (probability 1 / (average - minimum), so chunks average
 * `average` bytes), or when the chunk reaches `maximum`. `tail` holds the `window` stream bytes before `data[0]`.
 *
 * @returns the index in `data` just after the cut, or -1 when the chunk continues past `end`.
 */
export function scanRabin(
  data: Uint8Array,
  start: number,
  end: number,
  tail: Uint8Array,
  window: number,
  pushHigh: Int32Array,
  pushLow: Int32Array,
  popHigh: Int32Array,
  popLow: Int32Array,
  highMask: number,
  topShift: number,
  state: Int32Array,
  hashStart: number,
  minimum: number,
  maximum: number,
  cutAbove: number,
): number {
  let high = state[0]!;
  let low = state[1]!;
  let length = state[2]!;
  let index = start;
  if (length < hashStart) {
    const skip = Math.min(hashStart - length, end - index);
    index += skip;
    length += skip;
    if (length < hashStart) {
      state[2] = length;
      return -1;
    }
  }
  const steady = hashStart + window;
  // Slow path, a few bytes per chunk or push: the window is still filling (the byte leaving it is a zero) or the
  // leaving byte lies in the previous push (in `tail`).
  while (index < end && (length < steady || index < window)) {
    let out = 0;
    if (length >= steady) out = index >= window ? data[index - window]! : tail[index]!;
    high ^= popHigh[out]!;
    low ^= popLow[out]!;
    const top = high >>> topShift;
    high = (((high << 8) | (low >>> 24)) & highMask) ^ pushHigh[top]!;
    low = ((low << 8) | data[index]!) ^ pushLow[top]!;
    index++;
    length++;
    if ((length >= minimum && low >>> 0 > cutAbove) || length >= maximum) {
      state[0] = 0;
      state[1] = 0;
      state[2] = 0;
      return index;
    }
  }
  if (index < end) {
    // Steady state: the chunk is past its minimum (steady >= minimum) and the leaving byte is in `data`.
    const stop = index + Math.min(maximum - length, end - index);
    const base = index - length;
    for (; index < stop; index++) {
      const out = data[index - window]!;
      high ^= popHigh[out]!;
      low ^= popLow[out]!;
      const top = high >>> topShift;
      high = (((high << 8) | (low >>> 24)) & highMask) ^ pushHigh[top]!;
      low = ((low << 8) | data[index]!) ^ pushLow[top]!;
      if (low >>> 0 > cutAbove) {
        state[0] = 0;
        state[1] = 0;
        state[2] = 0;
        return index + 1;
      }
    }
    length = index - base;
    if (length >= maximum) {
      state[0] = 0;
      state[1] = 0;
      state[2] = 0;
      return index;
    }
  }
  state[0] = high;
  state[1] = low;
  state[2] = length;
  return -1;
}
