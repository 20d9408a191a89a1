/**
 * The base of every error `@patronus/ml` throws. Switch on `code` (stable across releases), not on the message.
 *
 * @example
 * try {
 *   doSomething();
 * } catch (error) {
 *   if (error instanceof MlError) console.error(error.code, error.message);
 * }
 */
export class MlError extends Error {
  /** A stable machine-readable code, `ERR_ML_*`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
