/**
 * The base of every error `@patronus/steering` throws. Switch on `code` (stable across releases), not on the message.
 *
 * @example
 * try {
 *   doSomething();
 * } catch (error) {
 *   if (error instanceof SteeringError) console.error(error.code, error.message);
 * }
 */
export class SteeringError extends Error {
  /** A stable machine-readable code, `ERR_STEERING_*`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
