import { RibError } from '../errors';

/**
 * Bad input to a FIB ({@link Ipv4Fib}, {@link Ipv6Fib}): a prefix length out of range, host bits set, a value outside
 * `0..FIB_MAX_VALUE`, or bulk-load arrays of mismatched sizes. `code` is one of `ERR_RIB_FIB_PREFIX_LENGTH`,
 * `ERR_RIB_FIB_HOST_BITS`, `ERR_RIB_FIB_ADDRESS`, `ERR_RIB_FIB_VALUE`, `ERR_RIB_FIB_LOAD`; `index` is the entry of a
 * bulk load that failed (-1 for single operations).
 *
 * @example
 * try {
 *   fib.set(0x0a000001, 24, 7);
 * } catch (error) {
 *   if (error instanceof FibError && error.code === 'ERR_RIB_FIB_HOST_BITS') console.error(error.message);
 * }
 */
export class FibError extends RibError {
  /** Position of the offending entry in a bulk load, or -1 for a single operation. */
  readonly index: number;

  constructor(code: string, message: string, index = -1) {
    super(code, message);
    this.index = index;
  }
}
