/**
 * The base of every error `@patronus/cloud` throws. Switch on `code` (stable across releases), not on the message.
 *
 * @example
 * try {
 *   doSomething();
 * } catch (error) {
 *   if (error instanceof CloudError) console.error(error.code, error.message);
 * }
 */
export class CloudError extends Error {
  /** A stable machine-readable code, `ERR_CLOUD_*`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
