/**
 * Dense matrices over GF(2^8), row-major in a `Uint8Array`: the Vandermonde construction, products and Gauss-Jordan
 * inversion that the Reed-Solomon codec needs. Sizes are at most 256×256, built once per codec or erasure pattern,
 * so clarity wins over speed here; the hot path is the multiply-accumulate kernel.
 */
import { WanoptError } from '../errors';
import { inverse, multiply, power } from './field';

/** Thrown when a matrix that must be invertible is not (a caller chose rows that are linearly dependent). */
export class SingularMatrixError extends WanoptError {
  /** The size of the square matrix, rows = columns. */
  readonly size: number;
  /** The column in which elimination found no pivot. */
  readonly column: number;

  constructor(size: number, column: number) {
    super(
      'ERR_WANOPT_SINGULAR_MATRIX',
      `the ${size}×${size} matrix over GF(2^8) is singular (no pivot in column ${column})`,
    );
    this.size = size;
    this.column = column;
  }
}

/** A rows×columns matrix over GF(2^8); element (r, c) is `data[r * columns + c]`. */
export interface GaloisMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly data: Uint8Array;
}

/** A zero matrix of the given size. */
export function zeroMatrix(rows: number, columns: number): GaloisMatrix {
  return { rows, columns, data: new Uint8Array(rows * columns) };
}

/** The identity matrix of the given size. */
export function identityMatrix(size: number): GaloisMatrix {
  const matrix = zeroMatrix(size, size);
  for (let index = 0; index < size; index++) matrix.data[index * size + index] = 1;
  return matrix;
}

/**
 * The rows×columns Vandermonde matrix V(r, c) = r^c over GF(2^8), with 0^0 = 1. Any `columns` of its rows are linearly
 * independent because the evaluation points r are distinct field elements, which is why rows ≤ 256.
 */
export function vandermondeMatrix(rows: number, columns: number): GaloisMatrix {
  const matrix = zeroMatrix(rows, columns);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) matrix.data[row * columns + column] = power(row, column);
  }
  return matrix;
}

/** The product a·b (a.columns must equal b.rows). */
export function multiplyMatrices(a: GaloisMatrix, b: GaloisMatrix): GaloisMatrix {
  const product = zeroMatrix(a.rows, b.columns);
  for (let row = 0; row < a.rows; row++) {
    for (let column = 0; column < b.columns; column++) {
      let sum = 0;
      for (let index = 0; index < a.columns; index++) {
        sum ^= multiply(a.data[row * a.columns + index]!, b.data[index * b.columns + column]!);
      }
      product.data[row * b.columns + column] = sum;
    }
  }
  return product;
}

/** The matrix made of the listed rows of `matrix`, in the order given. */
export function selectRows(matrix: GaloisMatrix, rows: readonly number[]): GaloisMatrix {
  const selected = zeroMatrix(rows.length, matrix.columns);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    selected.data.set(matrix.data.subarray(row * matrix.columns, (row + 1) * matrix.columns), index * matrix.columns);
  }
  return selected;
}

/** The inverse of a square matrix by Gauss-Jordan elimination; throws {@link SingularMatrixError} when none exists. */
export function invertMatrix(matrix: GaloisMatrix): GaloisMatrix {
  const size = matrix.rows;
  const work = new Uint8Array(matrix.data);
  const result = identityMatrix(size);
  const out = result.data;
  for (let column = 0; column < size; column++) {
    let pivot = column;
    while (pivot < size && work[pivot * size + column] === 0) pivot++;
    if (pivot === size) throw new SingularMatrixError(size, column);
    if (pivot !== column) {
      for (let index = 0; index < size; index++) {
        const a = column * size + index;
        const b = pivot * size + index;
        const w = work[a]!;
        work[a] = work[b]!;
        work[b] = w;
        const o = out[a]!;
        out[a] = out[b]!;
        out[b] = o;
      }
    }
    const scale = inverse(work[column * size + column]!);
    if (scale !== 1) {
      for (let index = 0; index < size; index++) {
        work[column * size + index] = multiply(work[column * size + index]!, scale);
        out[column * size + index] = multiply(out[column * size + index]!, scale);
      }
    }
    for (let row = 0; row < size; row++) {
      const factor = row === column ? 0 : work[row * size + column]!;
      if (factor === 0) continue;
      for (let index = 0; index < size; index++) {
        work[row * size + index]! ^= multiply(factor, work[column * size + index]!);
        out[row * size + index]! ^= multiply(factor, out[column * size + index]!);
      }
    }
  }
  return result;
}
