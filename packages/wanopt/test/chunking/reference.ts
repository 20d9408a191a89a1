// Slow, straightforward reference chunkers written from the definitions (no tables, no shared code with src/), used
// to check the fast ones.
import { createHmac } from 'node:crypto';

/** Deterministic pseudo-random bytes (xorshift32), so vectors are reproducible. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** The gear table from its definition, with node:crypto's HMAC. */
export function referenceGearTable(key: Uint8Array): number[] {
  const table: number[] = [];
  for (let block = 0; block < 32; block++) {
    const digest = createHmac('sha256', key)
      .update(Buffer.from([0x67, 0x65, 0x61, 0x72, block]))
      .digest();
    for (let word = 0; word < 8; word++) table.push(digest.readInt32BE(word * 4));
  }
  return table;
}

/** FastCDC from the definition: 64-bit-free gear hash kept as an unsigned number, masks as top-bit counts. */
export function referenceFastCdc(
  data: Uint8Array,
  gear: readonly number[],
  minimum: number,
  average: number,
  maximum: number,
  level: number,
): number[] {
  const bits = Math.log2(average);
  const smallBits = bits + level;
  const largeBits = bits - level;
  const ends: number[] = [];
  let chunkStart = 0;
  while (chunkStart < data.length) {
    let hash = 0; // unsigned 32-bit
    let cut = -1;
    for (let position = chunkStart; position < data.length; position++) {
      const length = position - chunkStart + 1;
      if (length === maximum) {
        cut = position + 1;
        break;
      }
      if (length > minimum - 32) hash = (hash * 2 + (gear[data[position]!]! >>> 0)) % 2 ** 32;
      if (length >= minimum) {
        const topBits = length <= average ? smallBits : largeBits;
        if (Math.floor(hash / 2 ** (32 - topBits)) === 0) {
          cut = position + 1;
          break;
        }
      }
    }
    if (cut < 0) cut = data.length;
    ends.push(cut);
    chunkStart = cut;
  }
  return ends;
}

/** Degree of a GF(2) polynomial in a bigint. */
function degree(value: bigint): number {
  return value === 0n ? -1 : value.toString(2).length - 1;
}

/** value mod modulus over GF(2), by long division. */
export function referenceMod(value: bigint, modulus: bigint): bigint {
  let remainder = value;
  const modulusDegree = degree(modulus);
  while (degree(remainder) >= modulusDegree) remainder ^= modulus << BigInt(degree(remainder) - modulusDegree);
  return remainder;
}

/**
 * Rabin chunking from the definition: the fingerprint of the window (the bytes since max(chunk start, position - w +
 * 1), at most w of them, as a polynomial) mod P, rolled with BigInt: shift in a byte, reduce by long division, and
 * subtract the leaving byte's term out * x^(8w) mod P.
 */
export function referenceRabin(
  data: Uint8Array,
  polynomial: bigint,
  window: number,
  minimum: number,
  average: number,
  maximum: number,
): number[] {
  const leavingPower = referenceMod(1n << BigInt(8 * window), polynomial);
  const threshold = Math.floor(2 ** 32 / (average - minimum));
  const ends: number[] = [];
  let chunkStart = 0;
  while (chunkStart < data.length) {
    const hashStart = chunkStart + Math.max(0, minimum - window);
    let fingerprint = 0n;
    let cut = -1;
    for (let position = chunkStart; position < data.length; position++) {
      const length = position - chunkStart + 1;
      if (position >= hashStart) {
        fingerprint = referenceMod((fingerprint << 8n) | BigInt(data[position]!), polynomial);
        const leaving = position - window;
        if (leaving >= hashStart) {
          fingerprint ^= referenceMod(multiply(BigInt(data[leaving]!), leavingPower), polynomial);
        }
      }
      if (length >= maximum) {
        cut = position + 1;
        break;
      }
      const low = Number(fingerprint & 0xffffffffn);
      if (length >= minimum && low >= 2 ** 32 - threshold) {
        cut = position + 1;
        break;
      }
    }
    if (cut < 0) cut = data.length;
    ends.push(cut);
    chunkStart = cut;
  }
  return ends;
}

/** Carry-less multiplication. */
function multiply(a: bigint, b: bigint): bigint {
  let product = 0n;
  for (let bit = 0; b >> BigInt(bit) !== 0n; bit++) if (((b >> BigInt(bit)) & 1n) === 1n) product ^= a << BigInt(bit);
  return product;
}
