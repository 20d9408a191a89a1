/**
 * Arithmetic in GF(2^8) with the reducing polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and generator 2: the field of
 * the reed-solomon-erasure crate, Backblaze's JavaReedSolomon and klauspost/reedsolomon, so that shards computed here
 * are byte-identical with theirs.
 */

/** The field's reducing polynomial, x^8 + x^4 + x^3 + x^2 + 1. */
export const FIELD_POLYNOMIAL: number = 0x11d;

/** The number of elements of GF(2^8). */
export const FIELD_SIZE: number = 256;

function buildTables(): { logarithm: Uint8Array; exponent: Uint8Array } {
  const logarithm = new Uint8Array(256);
  // Twice the group order so that exponent[log a + log b] needs no modulo in multiply.
  const exponent = new Uint8Array(512);
  let value = 1;
  for (let power = 0; power < 255; power++) {
    exponent[power] = value;
    exponent[power + 255] = value;
    logarithm[value] = power;
    value <<= 1;
    if (value & 0x100) value ^= FIELD_POLYNOMIAL;
  }
  exponent[510] = exponent[0]!;
  exponent[511] = exponent[1]!;
  return { logarithm, exponent };
}

const tables = buildTables();

/** Discrete logarithms base 2: `LOGARITHM[a]` for a in 1..255 (entry 0 is unused). */
export const LOGARITHM: Uint8Array = tables.logarithm;

/** Powers of 2: `EXPONENT[n]` = 2^n for n in 0..509 (the table repeats with period 255). */
export const EXPONENT: Uint8Array = tables.exponent;

/** The product a·b in GF(2^8); a and b are bytes 0..255. */
export function multiply(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXPONENT[LOGARITHM[a]! + LOGARITHM[b]!]!;
}

/** The quotient a / b in GF(2^8); b must not be 0 (callers check, the matrix code never divides by 0). */
export function divide(a: number, b: number): number {
  if (a === 0) return 0;
  return EXPONENT[LOGARITHM[a]! + 255 - LOGARITHM[b]!]!;
}

/** The multiplicative inverse of a non-zero byte. */
export function inverse(a: number): number {
  return EXPONENT[255 - LOGARITHM[a]!]!;
}

/** a^n in GF(2^8) for n ≥ 0, with 0^0 = 1 (the convention the Vandermonde matrix of reed-solomon-erasure uses). */
export function power(a: number, n: number): number {
  if (n === 0) return 1;
  if (a === 0) return 0;
  return EXPONENT[(LOGARITHM[a]! * n) % 255]!;
}

function buildMultiplicationTable(): Uint8Array {
  const table = new Uint8Array(256 * 256);
  for (let a = 1; a < 256; a++) {
    for (let b = 1; b < 256; b++) table[(a << 8) | b] = multiply(a, b);
  }
  return table;
}

/**
 * The full 256×256 product table (64 KiB): row `c` (`MULTIPLICATION_TABLE.subarray(c * 256, c * 256 + 256)`) maps a
 * byte x to c·x, the lookup the JavaScript kernel does per byte.
 */
export const MULTIPLICATION_TABLE: Uint8Array = buildMultiplicationTable();

function buildNibbleTables(): Uint8Array {
  const nibble = new Uint8Array(256 * 32);
  for (let c = 0; c < 256; c++) {
    for (let x = 0; x < 16; x++) {
      nibble[c * 32 + x] = multiply(c, x);
      nibble[c * 32 + 16 + x] = multiply(c, x << 4);
    }
  }
  return nibble;
}

/**
 * Split nibble tables (8 KiB): for coefficient c, bytes `c*32 .. c*32+15` hold c·x for the low nibble x and bytes
 * `c*32+16 .. c*32+31` hold c·(x << 4) for the high nibble. Because multiplication by c is linear over XOR,
 * c·b = low[b & 15] ⊕ high[b >> 4], which is two 16-entry lookups: exactly one `i8x16.swizzle` each.
 */
export const NIBBLE_TABLES: Uint8Array = buildNibbleTables();
