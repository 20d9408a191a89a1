/**
 * The base of every error `@patronus/bgp` throws. Switch on `code` (stable across releases), not on the message.
 *
 * @example
 * try {
 *   doSomething();
 * } catch (error) {
 *   if (error instanceof BgpError) console.error(error.code, error.message);
 * }
 */
export class BgpError extends Error {
  /** A stable machine-readable code, `ERR_BGP_*`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
